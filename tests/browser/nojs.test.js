// The pages work without JavaScript (DESIGN.md: the live checklist and the
// « Afficher » buttons are conveniences): recover, code and temporary from
// the first page to a bind with the new password, error states included,
// with JavaScript disabled in the browser; and the SMS reset and the
// recovery-data pages of issue 21. axe runs on each page.
"use strict";

const { declare } = require("./support/run");
const { PLAN } = require("./support/plan");

const fr = { ...PLAN.demo, runs: PLAN.demo.runs.filter((row) => row.lang === "fr") };

declare("nojs", fr, { name: "nojs", javaScriptEnabled: false, only: ["recover", "code", "temporary", "sms", "recovery"] });
