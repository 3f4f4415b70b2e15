// Runs the rows of the plan (support/plan.js) as node:test tests: one demo
// per system and flow, one browser per test file, one fresh browser
// profile per visit.
"use strict";

const { test, before, after } = require("node:test");
const { launch, newPerson } = require("./browser");
const { FLOWS, Visit } = require("./flows");
const { startDemo, supportsPresets, createNewcomer } = require("./gateway");
const { demoPeople } = require("./people");
const { newPassword } = require("./plan");

const PEOPLE = demoPeople();

/** The person of a plan row, as the flow functions want them. */
async function personFor(row, gateway, i) {
  if (row.person.startsWith("newcomer:")) {
    // IT creates the account; the person then activates it.
    const uid = row.person.slice("newcomer:".length);
    const person = {
      login: uid,
      number: String(29990001 + i),
      birthDate: "20060301",
      recovery: `${uid}@perso.example.org`,
    };
    await createNewcomer(gateway.ldapUrl, { uid, ...person });
    return { ...person, addresses: [person.recovery] };
  }
  let person = PEOPLE[row.person];
  if (!person && gateway.printed[row.person]) {
    // A person only a preset's demo has: what it printed is all we know,
    // and their mail is the next one in the outbox.
    person = { login: row.person, number: gateway.printed[row.person], mail: null, recovery: null };
  }
  if (!person) throw new Error(`no demo person ${row.person} in config/ldap/demo-people.md or printed by the demo`);
  const typed = row.typed ? row.typed(person, gateway.printed) : person.number;
  return {
    ...person,
    number: row.typed ? typed : person.number,
    typed,
    // Where the flow's mail may go: the address typed, the recovery address
    // or the institutional one, as the system is configured.
    addresses: [typed.includes("@") ? typed : null, person.recovery, person.mail].filter(Boolean),
  };
}

/**
 * Declares one test per flow of `system` (a block of the plan). `variant`
 * sets how each visit is made: `name` (prefix of its screenshots),
 * `viewport` and `deviceScaleFactor`, `javaScriptEnabled`, `reflow` (check WCAG reflow at every
 * step), `shots`, `errors` (false to skip the error states), `only` (the
 * flows to run).
 */
function declare(systemName, system, variant = {}) {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    if (browser) await browser.close();
  });

  const byFlow = new Map();
  system.runs.forEach((row, i) => {
    if (variant.only && !variant.only.includes(row.flow)) return;
    if (!byFlow.has(row.flow)) byFlow.set(row.flow, []);
    byFlow.get(row.flow).push({ row, i });
  });

  for (const [flow, rows] of byFlow) {
    const langs = rows.map(({ row }) => row.lang).join(" and ");
    test(`${systemName}: ${flow} (${langs})`, async (t) => {
      if (system.preset && !(await supportsPresets())) {
        const note = `passerelle demo has no --preset yet: ${systemName} skipped`;
        t.diagnostic(note);
        t.skip(note);
        return;
      }
      const gateway = await startDemo({ preset: system.preset });
      try {
        for (const { row, i } of rows) {
          const person = await personFor(row, gateway, i);
          const { context, page } = await newPerson(browser, {
            lang: row.lang,
            javaScriptEnabled: variant.javaScriptEnabled !== false,
            viewport: variant.viewport,
            deviceScaleFactor: variant.deviceScaleFactor,
          });
          const visit = new Visit({
            page,
            gateway,
            lang: row.lang,
            name: `${variant.name || systemName}-${flow}`,
            shots: variant.shots !== false,
            reflow: !!variant.reflow,
          });
          try {
            await FLOWS[flow](visit, person, newPassword(i), { errors: variant.errors !== false && !!row.errors });
          } catch (error) {
            // What the person saw, to tell a changed word from a broken page.
            const shown = await page
              .locator("main")
              .innerText({ timeout: 2000 })
              .catch(() => "(no page)");
            error.message = `${systemName} ${flow} in ${row.lang} as ${row.person}, at ${page.url()}:\n${error.message}\nThe page said:\n${shown.slice(0, 1500)}`;
            throw error;
          } finally {
            await context.close();
          }
        }
      } finally {
        await gateway.stop();
      }
    });
  }
}

module.exports = { declare };
