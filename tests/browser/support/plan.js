// What the browser suite runs: one table, system → flows → people. Each
// row is one person's visit: the flow, the language, the demo person (a
// login of config/ldap/demo-people.md, or a newcomer IT creates for
// activation), what they type to be found when it is not their personal
// number, and whether the error states are tried on the way.
//
// `demo` is `passerelle demo` with every flow on; the others are
// `passerelle demo --preset NAME`, skipped with a note while the binary has
// no `--preset`. To add a preset: add its block, with the flows its seed has
// and people its demo prints (what they type comes from `typed`, a function
// of the demo person and of what the demo printed for them).
//
// A person appears once per system: each run of a system gets its own demo,
// and a second visit by the same person would meet the mail cooldown and
// the password history.
"use strict";

/** What the preset's demo printed for this person as their number. */
const printedNumber = (person, printed) => printed[person.login] || person.number;
/** The person's institutional address (EFP, CAF services: addresses are logins). */
const address = (person) => person.mail;
/** The person's login (CAF partenaires: "Identifiant"). */
const login = (person) => person.login;

const PLAN = {
  demo: {
    preset: null,
    runs: [
      { flow: "recover", lang: "fr", person: "jdupont", errors: true },
      { flow: "recover", lang: "en", person: "jbernard", errors: true },
      { flow: "identifier", lang: "fr", person: "mlefevre" },
      { flow: "identifier", lang: "en", person: "adumas", typed: () => "p4106a" },
      { flow: "activate", lang: "fr", person: "newcomer:nnouvelle", errors: true },
      { flow: "activate", lang: "en", person: "newcomer:tneuf", errors: true },
      { flow: "account", lang: "fr", person: "fnoel", errors: true },
      { flow: "account", lang: "en", person: "prichard", errors: true },
      { flow: "code", lang: "fr", person: "tnguyen", typed: address, errors: true },
      { flow: "code", lang: "en", person: "gdurand", typed: address, errors: true },
      { flow: "temporary", lang: "fr", person: "ecote", typed: address, errors: true },
      { flow: "temporary", lang: "en", person: "ipetit", typed: login, errors: true },
    ],
  },
  // Seed 004: the primary flow and its three companions.
  uphf: {
    preset: "uphf",
    runs: [
      { flow: "recover", lang: "fr", person: "hgarcon", errors: true },
      { flow: "recover", lang: "en", person: "cbenaissa" },
      { flow: "identifier", lang: "fr", person: "lfontaine" },
      { flow: "activate", lang: "fr", person: "newcomer:uneuve" },
      { flow: "account", lang: "en", person: "slaurent" },
    ],
  },
  // Seed 002: address + captcha, 6-digit code, 12 characters and 3 of 4.
  efp: {
    preset: "efp",
    runs: [
      { flow: "code", lang: "fr", person: "zbrahimi", typed: address, errors: true },
      { flow: "code", lang: "en", person: "rleroux", typed: address },
    ],
  },
  // Seed 001: the address and a case-sensitive captcha, a temporary
  // password, then current + new + confirmation.
  "caf-services": {
    preset: "caf-services",
    runs: [
      { flow: "temporary", lang: "fr", person: "yboucher", typed: address, errors: true },
      { flow: "temporary", lang: "en", person: "sdaoud", typed: address },
    ],
  },
  // Seed 000: identifier + temporary password, forced "personnaliser".
  "caf-partenaires": {
    preset: "caf-partenaires",
    runs: [
      { flow: "temporary", lang: "fr", person: "mrousseau", typed: login, errors: true },
      { flow: "temporary", lang: "en", person: "gdurand", typed: login },
    ],
  },
  // Seed 003: the family number, a temporary password, the forced change.
  // The preset's demo gives these people a family number and prints it.
  ecolesoft: {
    preset: "ecolesoft",
    runs: [
      { flow: "temporary", lang: "fr", person: "jdupont", typed: printedNumber, errors: true },
      { flow: "temporary", lang: "en", person: "mlefevre", typed: printedNumber },
    ],
  },
  // Issue 22: one full flow in each of the nine languages (the code by
  // e-mail: the captcha and its spoken-code link, the mail in the
  // person's language, the password page and its strength meter), each
  // person's browser asking for the language as browsers do (pt-BR,
  // zh-CN...). languages.test.js runs Arabic at phone width on its own.
  languages: {
    preset: null,
    runs: [
      { flow: "code", lang: "fr", person: "fnoel", typed: address },
      { flow: "code", lang: "en", person: "lmuller", typed: address },
      { flow: "code", lang: "es", person: "alemaitre", typed: address },
      { flow: "code", lang: "de", person: "nfaure", typed: address },
      { flow: "code", lang: "it", person: "ipetit", typed: address },
      { flow: "code", lang: "pt", person: "rleroux", typed: address },
      { flow: "code", lang: "zh-Hans", person: "cdelacroix", typed: address },
      { flow: "code", lang: "uk", person: "kmoreau", typed: address },
      { flow: "code", lang: "ar", person: "prichard", typed: address },
    ],
  },
};

/** A new password for run `i` of a system: long enough and varied enough for every preset's rules, never containing a login. */
function newPassword(i) {
  return `Brise-Marine-${4821 + i}`;
}

module.exports = { PLAN, newPassword };
