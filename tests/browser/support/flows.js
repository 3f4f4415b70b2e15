// Every flow as a person goes through it: from the home page, fields found
// by their visible labels, buttons by their names, the mail read from the
// outbox, to the success page; then a real LDAP bind with the new password.
// Each step (and each error state) goes through `checkPage`: axe, no script
// error, screenshots.
"use strict";

const assert = require("node:assert");
const { checkPage, assertReflows } = require("./browser");
const { captchaAnswer } = require("./captcha");
const { waitForMail } = require("./mail");
const { ldapBind } = require("./gateway");
const { WORDS } = require("./words");

const PEOPLE_DN = "ou=people,dc=univ-exemple,dc=fr";

/**
 * One person's visit: their page, the gateway, their language, and the
 * name the screenshots of their steps are filed under.
 */
class Visit {
  constructor({ page, gateway, lang, name, shots = true, reflow = false }) {
    this.page = page;
    this.reflow = reflow;
    this.gateway = gateway;
    this.lang = lang;
    this.words = WORDS[lang];
    this.name = name;
    this.shots = shots;
    // Mails already read, per demo: a later visit on the same demo never
    // takes an earlier visit's mail for its own.
    gateway.seenMails = gateway.seenMails || new Set();
  }

  /** axe, script errors and screenshots of the page as it is now. */
  async step(what) {
    const label = `${this.name}-${this.lang}-${what}`;
    await this.assertLanguage(label);
    await checkPage(this.page, label, { shots: this.shots });
    if (this.reflow) {
      const submit = this.page.locator("main form").getByRole("button", { name: this.words.button.submit });
      await assertReflows(this.page, label, (await submit.count()) > 0 ? submit.first() : null);
    }
  }

  /**
   * The page is in the visit's language and runs its way: `<html lang>`
   * is the language asked for, `dir` is rtl for Arabic (ltr otherwise),
   * and a right-to-left page is mirrored: the site's logo sits at the
   * right of the header, where a left-to-right page has it at the left.
   */
  async assertLanguage(label) {
    const seen = await this.page.evaluate(() => {
      const brand = document.querySelector(".site-brand").getBoundingClientRect();
      const home = document.querySelector(".site-logo").getBoundingClientRect();
      return {
        lang: document.documentElement.lang,
        dir: document.documentElement.dir,
        fromStart: home.left - brand.left,
        fromEnd: brand.right - home.right,
      };
    });
    const rtl = this.lang === "ar";
    assert.strictEqual(seen.lang, this.lang, `${label}: <html lang>`);
    assert.strictEqual(seen.dir, rtl ? "rtl" : "ltr", `${label}: <html dir>`);
    const [near, far] = rtl ? [seen.fromEnd, seen.fromStart] : [seen.fromStart, seen.fromEnd];
    assert.ok(near < far, `${label}: the site's logo is not at the ${rtl ? "right" : "left"} of the header (${JSON.stringify(seen)})`);
  }

  /**
   * The first page of `flow`: from the home page by its link, as a person
   * does, or at its address when the home page does not list it (a preset
   * with one flow may not have one).
   */
  async start(flow) {
    await this.page.goto(`${this.gateway.url}/`);
    const link = this.page.locator("main").getByRole("link", { name: this.words.link[flow] });
    if ((await link.count()) > 0) {
      await Promise.all([this.page.waitForNavigation(), link.first().click()]);
    } else {
      await this.page.goto(`${this.gateway.url}/${flow}`);
    }
  }

  /** Follows a link of the page by its name. */
  async follow(name) {
    const link = this.page.getByRole("link", { name }).first();
    await Promise.all([this.page.waitForNavigation(), link.click()]);
  }

  field(which) {
    return this.page.getByLabel(this.words.field[which]);
  }

  button(which) {
    return this.page.getByRole("button", { name: this.words.button[which] });
  }

  /** Presses the form's main button and waits for the page it leads to. */
  async submit(which = "submit") {
    const button = this.page.locator("main form").getByRole("button", { name: this.words.button[which] }).first();
    await Promise.all([this.page.waitForNavigation(), button.click()]);
  }

  async heading(name) {
    await this.page.getByRole("heading", { level: 1, name }).waitFor({ timeout: 10000 });
  }

  /** The page says `text` (in an error summary, a field's message, a notice). */
  async says(text) {
    await this.page.locator("main").getByText(text).first().waitFor({ timeout: 10000 });
  }

  /** Types the captcha the page shows, when it shows one. */
  async captcha(flow) {
    const box = this.field("captcha");
    if ((await box.count()) === 0) return;
    const answer = await captchaAnswer(this.page.context(), this.gateway, flow);
    assert.ok(answer, `the ${flow} page shows a captcha but its cookie holds none`);
    await box.fill(answer);
  }

  /** The next mail to `address` (or to one of several). */
  async mail(address) {
    return waitForMail(this.gateway.outbox, address, { seen: this.gateway.seenMails });
  }

  /** The directory accepts `password` for `login` (a real LDAP bind). */
  async assertBinds(login, password) {
    assert.ok(this.gateway.ldapUrl, "the demo printed no LDAP URL");
    assert.ok(
      await ldapBind(this.gateway.ldapUrl, `uid=${login},${PEOPLE_DN}`, password),
      `the directory refuses the new password of ${login}`,
    );
  }

  /** The password page: new password, confirmation, rules box if any. */
  async choosePassword(password, { current, errors = false } = {}) {
    if (current !== undefined) await this.field("current").fill(current);
    if (errors) {
      // A password breaking a rule (too short), then the page says why.
      await this.field("newPassword").fill("court");
      await this.field("confirm").fill("court");
      await this.tickRules();
      await this.step("password-typing");
      await this.submit();
      await this.page.locator(".error-summary").waitFor();
      await this.step("password-refused");
      if (current !== undefined) await this.field("current").fill(current);
    }
    await this.field("newPassword").fill(password);
    // The strength meter (a script: the no-JavaScript suite has none) says
    // a level in the page's language.
    if (this.page.context().javaScriptEnabled !== false) {
      await this.page.locator("[data-strength-text]").filter({ hasText: this.words.strength }).waitFor({ timeout: 10000 });
    }
    await this.field("confirm").fill(password);
    await this.tickRules();
    await this.submit();
  }

  async tickRules() {
    const box = this.page.getByRole("checkbox", { name: this.words.field.rules });
    if ((await box.count()) > 0) await box.check();
  }
}

/** A birth date as the form asks for it (jj/mm/aaaa) from YYYYMMDD. */
function typedDate(yyyymmdd) {
  return `${yyyymmdd.slice(6, 8)}/${yyyymmdd.slice(4, 6)}/${yyyymmdd.slice(0, 4)}`;
}

/**
 * Récupérer mon mot de passe (UPHF): number + birth date → secret question →
 * new password → confirmation mail; with `errors`, the empty form, a wrong
 * birth date, a wrong answer and a password breaking a rule on the way.
 */
async function recover(v, person, password, { errors = false } = {}) {
  const w = v.words;
  await v.start("recover");
  await v.step("identity");
  if (errors) {
    await v.submit();
    await v.says(w.text.identifierMissing);
    await v.step("identity-empty");
    await v.field("identifier").fill(person.number);
    await v.field("birthDate").fill("01/01/1901");
    await v.submit();
    await v.says(w.text.identityFailed);
    await v.step("identity-wrong");
  }
  await v.field("identifier").fill(person.number);
  await v.field("birthDate").fill(typedDate(person.birthDate));
  await v.submit();
  await v.heading(w.heading.question);
  await v.step("question");
  const answer = v.page.getByLabel(person.question, { exact: true });
  if (errors) {
    await answer.fill("pas la bonne réponse");
    await v.submit();
    await v.says(w.text.answerWrong);
    await v.step("question-wrong");
  }
  await answer.fill(person.answer);
  await v.submit();
  await v.step("password");
  await v.choosePassword(password, { errors });
  await v.heading(w.heading.success);
  await v.step("success");
  await v.assertBinds(person.login, password);
  const mail = await v.mail(person.addresses);
  assert.match(mail.text, new RegExp(person.login));
}

/** Récupérer mon identifiant: number + birth date → the login mailed. */
async function identifier(v, person) {
  const w = v.words;
  await v.start("identifier");
  await v.step("identity");
  await v.field("identifier").fill(person.number);
  await v.field("birthDate").fill(typedDate(person.birthDate));
  await v.submit();
  await v.heading(w.heading.identifierSent);
  await v.step("sent");
  const mail = await v.mail(person.addresses);
  assert.match(mail.text, new RegExp(`\\b${person.login}\\b`), mail.text);
}

/** Activer mon compte: identity → choose a question and answer → password. */
async function activate(v, person, password, { errors = false } = {}) {
  const w = v.words;
  await v.start("activate");
  await v.step("identity");
  await v.field("identifier").fill(person.number);
  await v.field("birthDate").fill(typedDate(person.birthDate));
  await v.submit();
  await v.step("question");
  if (errors) {
    await v.submit();
    await v.page.locator(".error-summary").waitFor();
    await v.step("question-empty");
  }
  // The first question the page offers, chosen by its label.
  const first = v.page.getByRole("radio").first();
  await first.check();
  await v.field("answer").fill("Une réponse longue");
  await v.field("answerConfirm").fill("Une réponse longue");
  await v.submit();
  await v.step("password");
  await v.choosePassword(password, { errors });
  await v.heading(w.heading.success);
  await v.step("success");
  await v.assertBinds(person.login, password);
}

/** Gérer mon compte: login + current password → change the password. */
async function account(v, person, password, { errors = false } = {}) {
  const w = v.words;
  await v.start("account");
  await v.step("login");
  if (errors) {
    await v.field("login").fill(person.login);
    await v.field("loginPassword").fill("pas-le-bon-mot-de-passe");
    await v.submit();
    await v.page.locator(".error-summary").waitFor();
    await v.step("login-wrong");
  }
  await v.field("login").fill(person.login);
  await v.field("loginPassword").fill(person.password);
  await v.submit();
  await v.heading(w.heading.accountMenu);
  await v.step("menu");
  await v.follow(w.link.changePassword);
  await v.step("password");
  const asksCurrent = (await v.field("current").count()) > 0;
  await v.choosePassword(password, { current: asksCurrent ? person.password : undefined, errors });
  await v.heading(w.heading.success);
  await v.step("success");
  await v.assertBinds(person.login, password);
}

/** The 6 digits of a code mail ("2 3 8 3 9 2"). */
function codeIn(text) {
  for (const line of text.split(/\r?\n/)) {
    const digits = line.replace(/\s+/g, "");
    if (/^\d{6}$/.test(digits)) return digits;
  }
  throw new Error(`no code in:\n${text}`);
}

/**
 * A code by e-mail (EFP): address + captcha → the 6-digit code read from
 * the mail → new password → success. With `errors`, the empty form and a
 * wrong code first.
 */
async function code(v, person, password, { errors = false } = {}) {
  const w = v.words;
  await v.start("code");
  await v.step("request");
  if (errors) {
    await v.submit("next");
    await v.page.locator(".error-summary").waitFor();
    await v.step("request-empty");
  }
  await v.field("codeAddress").fill(person.typed);
  await v.captcha("code");
  await v.submit("next");
  await v.heading(w.heading.codeVerify);
  await v.step("verify");
  const mail = await v.mail(person.addresses);
  const digits = codeIn(mail.text);
  if (errors) {
    const wrong = digits === "000000" ? "111111" : "000000";
    await v.field("code").fill(wrong);
    await v.captcha("code");
    await v.submit("next");
    await v.says(w.text.codeRefused);
    await v.step("verify-wrong");
  }
  await v.field("code").fill(digits);
  await v.captcha("code");
  await v.submit("next");
  await v.step("password");
  await v.choosePassword(password, { errors });
  await v.heading(w.heading.success);
  await v.step("success");
  await v.assertBinds(person.login, password);
}

/** The login and temporary password a temporary-password mail gives. */
function temporaryIn(text) {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  const value = (re) => {
    const line = lines.find((l) => re.test(l));
    return line ? line.replace(re, "").trim() : null;
  };
  const login = value(/^[-•*]?\s*(Login|Identifiant)\s*:\s*/i);
  const password = value(/^[-•*]?\s*(Mot de passe( provisoire)?|(Temporary )?password)\s*:\s*/i);
  if (!login || !password) throw new Error(`no login or password in:\n${text}`);
  return { login, password };
}

/**
 * A temporary password by e-mail (CAF, Ecolesoft): identifier + captcha →
 * the mail → sign in with it → the forced change → success.
 */
async function temporary(v, person, password, { errors = false } = {}) {
  const w = v.words;
  await v.start("temporary");
  await v.step("request");
  if (errors) {
    await v.submit();
    await v.page.locator(".error-summary").waitFor();
    await v.step("request-empty");
  }
  await v.field("temporaryIdentifier").fill(person.typed);
  await v.captcha("temporary");
  await v.submit();
  await v.heading(w.heading.temporarySent);
  await v.step("sent");
  const mail = await v.mail(person.addresses);
  const sent = temporaryIn(mail.text);
  // The page's link to the forced change, or its address when a preset's
  // page words it otherwise (the mail's link leads there too).
  const onward = v.page.locator("main").getByRole("link", { name: w.link.temporaryChange });
  if ((await onward.count()) > 0) await v.follow(w.link.temporaryChange);
  else await v.page.goto(`${v.gateway.url}/change`);
  await v.step("sign-in");
  if (errors) {
    await v.field("login").fill(sent.login);
    await v.field("loginPassword").fill("pas-le-bon");
    await v.submit();
    await v.page.locator(".error-summary").waitFor();
    await v.step("sign-in-wrong");
  }
  await v.field("login").fill(sent.login);
  await v.field("loginPassword").fill(sent.password);
  await v.submit();
  await v.step("password");
  const asksCurrent = (await v.field("current").count()) > 0;
  await v.choosePassword(password, { current: asksCurrent ? sent.password : undefined, errors });
  await v.heading(w.heading.success);
  await v.step("success");
  await v.assertBinds(person.login, password);
}

const FLOWS = { recover, identifier, activate, account, code, temporary };

module.exports = { Visit, FLOWS, typedDate, codeIn, temporaryIn };
