// Each seed system's flows on `passerelle demo --preset NAME`, as its seed
// describes them (support/plan.js lists them). Skipped with a note while
// the binary has no `--preset`.
"use strict";

const { declare } = require("./support/run");
const { PLAN } = require("./support/plan");

for (const [name, system] of Object.entries(PLAN)) {
  if (system.preset) declare(name, system);
}
