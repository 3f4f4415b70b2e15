// The help desk (/helpdesk) as its agents use it, in Chromium at phone
// width, axe on every page: at the science faculty's desk in French (a
// wrong sign-in, a search, the card of a student locked out, the check of
// an identity document, « Débloquer », a temporary password shown once,
// the faculty's list, signing out), and on the phone at the IT desk in
// English (a code mailed to the caller and read back, the unlock, the
// owner's mail and its « It was not me » page). The demo's agents and
// people are config/ldap/demo-people.md's; the directory is checked with
// real LDAP binds.
"use strict";

const assert = require("node:assert");
const { test, before, after } = require("node:test");
const { execFile } = require("node:child_process");
const { launch, newPerson, checkPage, PHONE } = require("./support/browser");
const { startDemo, ldapBind } = require("./support/gateway");
const { waitForMail } = require("./support/mail");
const { codeIn } = require("./support/flows");
const { demoPeople } = require("./support/people");

const PEOPLE = demoPeople();
const PEOPLE_DN = "ou=people,dc=univ-exemple,dc=fr";

// What the agent reads, as locales/{fr,en}/helpdesk.ftl say it.
const WORDS = {
  fr: {
    title: "Assistance : connexion des agents",
    login: /^\s*Identifiant\s*:?\s*$/,
    password: /^\s*Mot de passe\s*:?\s*$/,
    signIn: "Se connecter",
    wrong: "Identifiant ou mot de passe incorrect",
    desk: "Assistance",
    query: /^\s*Rechercher une personne\s*:?\s*$/,
    search: "Rechercher",
    open: (name) => `Ouvrir la fiche de ${name}`,
    card: (name) => `Fiche : ${name}`,
    locked: "verrouillé après des échecs de connexion",
    document: "J'ai vérifié une pièce d'identité de la personne.",
    inPerson: "Valider la vérification",
    sendCode: "Envoyer un code",
    code: /^\s*Code lu par la personne\s*:?\s*$/,
    checkCode: "Vérifier le code",
    verified: "Appelant vérifié",
    reason: /^\s*Motif\s*:?\s*$/,
    unlock: "Débloquer",
    unlocked: "Compte débloqué.",
    temporary: "Donner un mot de passe provisoire",
    shown: "Mot de passe provisoire",
    list: "Comptes bloqués ou verrouillés de mon périmètre",
    listTitle: "Comptes bloqués ou verrouillés",
    signOut: "Se déconnecter",
    signedOut: "Déconnexion",
    notMeTitle: "Ce n'était pas moi",
  },
  en: {
    title: "Help desk: agents' sign-in",
    login: /^\s*Login\s*:?\s*$/,
    password: /^\s*Password\s*:?\s*$/,
    signIn: "Sign in",
    wrong: "Wrong login or password",
    desk: "Help desk",
    query: /^\s*Find a person\s*:?\s*$/,
    search: "Search",
    open: (name) => `Open the card of ${name}`,
    card: (name) => `Card: ${name}`,
    locked: "locked after failed sign-ins",
    document: "I checked an identity document of the person.",
    inPerson: "Confirm the check",
    sendCode: "Send a code",
    code: /^\s*Code read by the person\s*:?\s*$/,
    checkCode: "Check the code",
    verified: "Caller verified",
    reason: /^\s*Reason\s*:?\s*$/,
    unlock: "Unlock",
    unlocked: "Account unlocked.",
    temporary: "Give a temporary password",
    shown: "Temporary password",
    list: "Frozen or locked accounts of my scope",
    listTitle: "Frozen or locked accounts",
    signOut: "Sign out",
    signedOut: "Signed out",
    notMeTitle: "It was not me",
  },
};

/** Locks `login` in the directory with failed binds, as a guesser would. */
async function lockByBinds(ldapUrl, login) {
  for (let i = 0; i < 6; i++) {
    await new Promise((resolve) =>
      execFile("ldapwhoami", ["-x", "-H", ldapUrl, "-D", `uid=${login},${PEOPLE_DN}`, "-w", "pas-le-bon"], () =>
        resolve(),
      ),
    );
  }
}

/** One agent's visit: their page, words and the screenshots' names. */
class Agent {
  constructor(page, gateway, lang, name) {
    this.page = page;
    this.gateway = gateway;
    this.w = WORDS[lang];
    this.lang = lang;
    this.name = name;
  }

  async step(what) {
    await checkPage(this.page, `helpdesk-${this.name}-${this.lang}-${what}`);
  }

  async press(name) {
    const button = this.page.locator("main").getByRole("button", { name, exact: true }).first();
    await Promise.all([this.page.waitForNavigation(), button.click()]);
  }

  async heading(name) {
    await this.page.getByRole("heading", { level: 1, name }).waitFor({ timeout: 10000 });
  }

  async says(text) {
    await this.page.locator("main").getByText(text).first().waitFor({ timeout: 10000 });
  }

  async signIn(login, password) {
    await this.page.goto(`${this.gateway.url}/helpdesk`);
    await this.heading(this.w.title);
    await this.page.getByLabel(this.w.login).fill(login);
    await this.page.getByLabel(this.w.password).fill(password);
    await this.press(this.w.signIn);
  }

  async find(query, person) {
    await this.page.getByLabel(this.w.query).fill(query);
    await this.press(this.w.search);
    await this.page.getByRole("button", { name: this.w.open(person) }).waitFor();
  }

  async open(person) {
    const button = this.page.getByRole("button", { name: this.w.open(person) });
    await Promise.all([this.page.waitForNavigation(), button.click()]);
    await this.heading(this.w.card(person));
  }

  async act(action, reason) {
    await this.page.getByLabel(this.w.reason).fill(reason);
    await this.press(action);
  }
}

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  if (browser) await browser.close();
});

test("helpdesk: at the science faculty's desk (fr, phone width)", async () => {
  const gateway = await startDemo();
  const { context, page } = await newPerson(browser, { lang: "fr", viewport: PHONE });
  const agent = new Agent(page, gateway, "fr", "desk");
  const seen = new Set();
  try {
    const student = PEOPLE.jdupont;
    const blambert = PEOPLE.blambert;
    assert.ok(blambert, "the demo's faculty agent is in config/ldap/demo-people.md");
    await lockByBinds(gateway.ldapUrl, student.login);
    assert.ok(!(await ldapBind(gateway.ldapUrl, `uid=${student.login},${PEOPLE_DN}`, student.password)), "locked");

    await agent.signIn(blambert.login, "pas-le-bon");
    await agent.says(agent.w.wrong);
    await agent.step("sign-in-wrong");
    await agent.signIn(blambert.login, blambert.password);
    await agent.heading(agent.w.desk);
    await agent.step("desk");

    await agent.find("Dupont", "Jean Dupont");
    await agent.step("results");
    await agent.open("Jean Dupont");
    await agent.says(agent.w.locked);
    await agent.step("card");

    await page.getByLabel(agent.w.document).check();
    await agent.press(agent.w.inPerson);
    await agent.says(agent.w.verified);
    await agent.step("verified");

    await agent.act(agent.w.unlock, "Au guichet, compte verrouillé");
    await agent.says(agent.w.unlocked);
    await agent.step("unlocked");
    assert.ok(await ldapBind(gateway.ldapUrl, `uid=${student.login},${PEOPLE_DN}`, student.password), "unlocked");
    const notice = await waitForMail(gateway.outbox, [student.recovery], { seen });
    assert.match(notice.text, /le service d'assistance\s+a débloqué votre compte/, notice.text);

    await agent.act(agent.w.temporary, "Au guichet, mot de passe oublié");
    await page.locator(".desk-password code").waitFor();
    const shown = (await page.locator(".desk-password code").innerText()).trim();
    assert.ok(shown.length >= 10, shown);
    await agent.step("temporary-shown");
    await page.reload();
    assert.equal(await page.locator(".desk-password").count(), 0, "shown once only");

    await page.goto(`${gateway.url}/helpdesk/desk`);
    await Promise.all([page.waitForNavigation(), page.getByRole("link", { name: agent.w.list }).click()]);
    await agent.heading(agent.w.listTitle);
    await agent.step("list");

    await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: agent.w.signOut }).first().click()]);
    await agent.heading(agent.w.signedOut);
    await agent.step("signed-out");
  } catch (error) {
    const shown = await page.locator("main").innerText({ timeout: 2000 }).catch(() => "(no page)");
    error.message = `${error.message}\nat ${page.url()}, the page said:\n${shown.slice(0, 1500)}`;
    throw error;
  } finally {
    await context.close();
    await gateway.stop();
  }
});

test("helpdesk: on the phone at the IT desk (en, phone width)", async () => {
  const gateway = await startDemo();
  const { context, page } = await newPerson(browser, { lang: "en", viewport: PHONE });
  const agent = new Agent(page, gateway, "en", "phone");
  const seen = new Set();
  try {
    const caller = PEOPLE.mlefevre;
    const asupport = PEOPLE.asupport;
    await lockByBinds(gateway.ldapUrl, caller.login);
    await agent.signIn(asupport.login, asupport.password);
    await agent.heading(agent.w.desk);
    await agent.step("desk");
    await agent.find(caller.number, "Marie Lefèvre");
    await agent.open("Marie Lefèvre");
    await agent.says(agent.w.locked);
    await agent.step("card");

    await agent.press(agent.w.sendCode);
    await agent.step("code-sent");
    const mail = await waitForMail(gateway.outbox, [caller.recovery], { seen });
    const digits = codeIn(mail.text);
    await page.getByLabel(agent.w.code).fill(digits);
    await agent.press(agent.w.checkCode);
    await agent.says(agent.w.verified);
    await agent.step("verified");

    await agent.act(agent.w.unlock, "Phone call, locked out");
    await agent.says(agent.w.unlocked);
    await agent.step("unlocked");
    assert.ok(await ldapBind(gateway.ldapUrl, `uid=${caller.login},${PEOPLE_DN}`, caller.password), "unlocked");

    // The owner's mail, and the page of its link (nothing is frozen by
    // opening it).
    const notice = await waitForMail(gateway.outbox, [caller.recovery], { seen });
    const link = /https?:\/\/\S+\/not-me\/\S+/.exec(notice.text);
    assert.ok(link, notice.text);
    const owner = await newPerson(browser, { lang: "en", viewport: PHONE });
    try {
      await owner.page.goto(link[0]);
      await owner.page.getByRole("heading", { level: 1, name: agent.w.notMeTitle }).waitFor();
      await checkPage(owner.page, "helpdesk-phone-en-owner-not-me");
    } finally {
      await owner.context.close();
    }
  } catch (error) {
    const shown = await page.locator("main").innerText({ timeout: 2000 }).catch(() => "(no page)");
    error.message = `${error.message}\nat ${page.url()}, the page said:\n${shown.slice(0, 1500)}`;
    throw error;
  } finally {
    await context.close();
    await gateway.stop();
  }
});
