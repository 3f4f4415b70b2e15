// The demo people, read from config/ldap/demo-people.md: the single table
// the directory, the Rust demo and this suite share.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const { ROOT } = require("./gateway");

function strip(accented) {
  return accented.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
}

/** Every demo person by login, with what a person would type for each. */
function demoPeople() {
  const table = fs.readFileSync(path.join(ROOT, "config/ldap/demo-people.md"), "utf8");
  const people = {};
  for (const line of table.split("\n")) {
    if (!line.startsWith("| ") || line.startsWith("| login")) continue;
    const cells = line.replace(/^\||\|$/g, "").split("|").map((c) => c.trim());
    if (cells.length < 9) continue;
    const [login, student, ine, staff, birthDate, password, samba, qa, notes] = cells;
    const [question, answer] = qa.includes(" / ") ? qa.split(" / ").map((s) => s.trim()) : [null, null];
    people[login] = {
      login,
      number: student || staff,
      ine,
      birthDate,
      password: password.replace(/`/g, ""),
      samba: samba === "yes",
      question,
      answer,
      notes,
      // Mail is <login>@univ-exemple.fr; the recovery address
      // <given>.<sn>@example.org without accents (see the table's header).
      mail: `${login}@univ-exemple.fr`,
    };
  }
  // The recovery address comes from the names, which the table does not
  // hold: read them from the LDIF it was generated with.
  const ldif = fs.readFileSync(path.join(ROOT, "config/ldap/demo-people.ldif"), "utf8");
  for (const entry of ldif.split(/\n\n+/)) {
    const uid = /^uid: (.+)$/m.exec(entry);
    const perso = /^supannMailPerso: (.+)$/m.exec(entry);
    const mobile = /^mobile: (.+)$/m.exec(entry);
    if (uid && people[uid[1]]) people[uid[1]].recovery = perso ? strip(perso[1]) : people[uid[1]].mail;
    if (uid && people[uid[1]]) people[uid[1]].mobile = mobile ? mobile[1] : null;
  }
  return people;
}

module.exports = { demoPeople };
