// Every flow of `passerelle demo` (everything on) as a person does it, in
// French and in English, error states included, axe on every page; then
// each preset's flows (skipped with a note until `demo --preset` exists).
"use strict";

const { declare } = require("./support/run");
const { PLAN } = require("./support/plan");

declare("demo", PLAN.demo);
