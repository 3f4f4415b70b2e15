// Debian's Chromium driven by Playwright-core (no browser is downloaded),
// and the checks every page of the suite goes through: axe-core for WCAG
// 2.0/2.1 A and AA, no script error, and a screenshot of the step at phone
// and desktop width under target/browser-artifacts/.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const { chromium } = require("playwright-core");
const { artifactsDir } = require("./gateway");

const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

/** The widths each step is photographed at: a phone and a desktop. */
const PHONE = { width: 360, height: 640 };
const DESKTOP = { width: 1280, height: 640 };

/**
 * The browser a person of each language has, as regional as people's
 * browsers are: the gateway must read pt-BR as Portuguese and zh-CN as
 * Simplified Chinese (only French and English are asked for as such).
 */
const BROWSER_LOCALES = {
  fr: "fr-FR",
  en: "en-GB",
  es: "es-ES",
  de: "de-DE",
  it: "it-IT",
  pt: "pt-BR",
  ar: "ar-MA",
  "zh-Hans": "zh-CN",
  uk: "uk-UA",
};

/** The rules axe runs: WCAG 2.0 and 2.1, levels A and AA. */
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const AXE_SOURCE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

async function launch() {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (scripts/test does)`);
  }
  // Playwright adds --headless and a fresh --user-data-dir of its own.
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * A fresh browser profile (no cookies) as a person in `lang` (a code of
 * locales/, see BROWSER_LOCALES) would have it, with or without JavaScript, at `viewport` (CSS
 * pixels; `deviceScaleFactor` 2 with a 640 px viewport is a 1280 px
 * window zoomed to 200 %). Page
 * errors and console errors (a broken script, a resource the CSP refused)
 * are collected in `context.problems`.
 */
async function newPerson(browser, { lang = "fr", javaScriptEnabled = true, viewport = DESKTOP, deviceScaleFactor = 1 } = {}) {
  const locale = BROWSER_LOCALES[lang];
  if (!locale) throw new Error(`no browser locale for ${lang}`);
  const primary = locale.split("-")[0];
  const context = await browser.newContext({
    locale,
    extraHTTPHeaders: { "Accept-Language": `${locale},${primary};q=0.9` },
    javaScriptEnabled,
    viewport: viewport || DESKTOP,
    deviceScaleFactor: deviceScaleFactor || 1,
  });
  context.problems = [];
  context.javaScriptEnabled = javaScriptEnabled;
  context.locale = locale;
  context.on("page", (page) => watch(context, page));
  const page = await context.newPage();
  return { context, page };
}

function watch(context, page) {
  page.on("pageerror", (error) => context.problems.push(`script error on ${page.url()}: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") context.problems.push(`console error on ${page.url()}: ${message.text()}`);
  });
}

/** Rejects when `promise` takes longer than `ms`. */
function within(ms, what, promise) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** axe's violations on `page` as it is now. */
async function axeViolations(page, label) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) {
    // Evaluated, not added as a <script>: the page's CSP stays as it is, so
    // a script of the page that breaks the CSP still fails the suite.
    await page.evaluate(AXE_SOURCE);
  }
  return within(
    30000,
    `axe on "${label}"`,
    page.evaluate(
      (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] }),
      AXE_TAGS,
    ),
  );
}

/**
 * axe on a page shown without JavaScript. axe is a script and cannot run
 * its timers there, so it runs on a copy: the same document (scripts
 * removed, so the copy stays as the page is without them) served at the
 * same address in a profile with JavaScript, with the same styles, images,
 * size and language.
 */
async function axeWithoutScripts(page, label) {
  const html = (await page.content()).replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, "");
  const original = page.context();
  const copy = await original.browser().newContext({
    viewport: page.viewportSize(),
    locale: original.locale,
  });
  try {
    const mirror = await copy.newPage();
    const url = page.url();
    await mirror.route(url, (route) => route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: html }));
    await mirror.goto(url);
    return await axeViolations(mirror, label);
  } finally {
    await copy.close();
  }
}

/** Runs axe on the page as it is now; throws a readable report on any violation. */
async function assertAccessible(page, label) {
  const results =
    page.context().javaScriptEnabled === false ? await axeWithoutScripts(page, label) : await axeViolations(page, label);
  if (results.violations.length > 0) {
    const report = results.violations
      .map((v) => {
        const nodes = v.nodes
          .slice(0, 5)
          .map((n) => `      ${n.target.join(" ")}\n        ${n.failureSummary.replace(/\n/g, "\n        ")}`)
          .join("\n");
        return `  [${v.impact}] ${v.id}: ${v.help}\n    ${v.helpUrl}\n${nodes}`;
      })
      .join("\n");
    throw new Error(`axe found ${results.violations.length} WCAG 2.1 A/AA violation(s) on "${label}" (${page.url()}):\n${report}`);
  }
}

function slug(text) {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

/** Saves the page at phone and desktop width, then puts the viewport back. */
async function screenshots(page, name) {
  const dir = artifactsDir();
  fs.mkdirSync(dir, { recursive: true });
  const before = page.viewportSize();
  for (const [suffix, size] of [["phone", PHONE], ["desktop", DESKTOP]]) {
    await page.setViewportSize(size);
    await page.screenshot({ path: path.join(dir, `${slug(name)}-${suffix}.png`), fullPage: true });
  }
  await page.setViewportSize(before);
}

/**
 * What every step goes through: axe, no script error so far, and the two
 * screenshots (`shots: false` to skip them, for variants of a step already
 * photographed).
 */
async function checkPage(page, name, { shots = true } = {}) {
  await assertAccessible(page, name);
  const problems = page.context().problems || [];
  if (problems.length > 0) throw new Error(`on "${name}":\n${problems.join("\n")}`);
  if (shots) await screenshots(page, name);
}

/**
 * WCAG 1.4.10 reflow: at the page's current size nothing is cut off (no
 * horizontal scroll) and the form's submit button is on screen once
 * scrolled to, and receives the click (no other element covers it).
 */
async function assertReflows(page, label, button) {
  const widths = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
    wide: [...document.querySelectorAll("body *")]
      .filter((el) => {
        const box = el.getBoundingClientRect();
        return box.width > 0 && box.right > document.documentElement.clientWidth + 1;
      })
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${el.className ? "." + String(el.className).split(" ").join(".") : ""} (right edge ${Math.round(el.getBoundingClientRect().right)})`),
  }));
  if (widths.scroll > widths.client) {
    throw new Error(`"${label}" scrolls sideways at ${widths.client} px (content ${widths.scroll} px): ${widths.wide.join(", ")}`);
  }
  if (button) {
    await button.scrollIntoViewIfNeeded();
    const box = await button.boundingBox();
    if (!box || box.width < 1 || box.x < 0 || box.x + box.width > widths.client + 1) {
      throw new Error(`"${label}": the button is cut off at ${widths.client} px: ${JSON.stringify(box)}`);
    }
    // A trial click: Playwright checks the button is visible, stable and
    // the topmost element at its centre, without clicking.
    await button.click({ trial: true, timeout: 5000 });
  }
}

module.exports = { launch, newPerson, checkPage, assertAccessible, assertReflows, screenshots, PHONE, DESKTOP };
