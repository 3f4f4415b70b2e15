// Issue 22: one full flow in each of the nine languages, axe on every page:
// French, English, Spanish, German, Italian, Portuguese, Chinese and
// Ukrainian at desktop width; Arabic (right to left) at phone width (320
// CSS pixels), where every page must also reflow (WCAG 1.4.10), and its
// pages must say `<html lang="ar" dir="rtl">`.
"use strict";

const assert = require("node:assert");
const { test } = require("node:test");
const { declare } = require("./support/run");
const { PLAN } = require("./support/plan");
const { WORDS } = require("./support/words");

const rows = (keep) => ({ ...PLAN.languages, runs: PLAN.languages.runs.filter(keep) });

test("every language of the plan has its words", () => {
  const langs = PLAN.languages.runs.map((row) => row.lang).sort();
  assert.deepStrictEqual(langs, ["ar", "de", "en", "es", "fr", "it", "pt", "uk", "zh-Hans"]);
  for (const lang of langs) assert.ok(WORDS[lang], lang);
});

declare("languages", rows((row) => row.lang !== "ar"), { name: "lang", shots: false });
declare("rtl", rows((row) => row.lang === "ar"), {
  name: "rtl",
  viewport: { width: 320, height: 640 },
  reflow: true,
  shots: true,
});
