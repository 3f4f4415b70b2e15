// The page script that sends a form once: a second submit while the first
// travels is ignored (the server also answers it with the first's outcome).
const { test } = require("node:test");
const assert = require("node:assert");
const fs = require("node:fs");
const path = require("node:path");
const { JSDOM } = require("jsdom");

const script = fs.readFileSync(path.join(__dirname, "../../static/js/forms.js"), "utf8");

test("a second submit of the same form is ignored and the button says it is busy", () => {
  const dom = new JSDOM(
    '<form method="post" action="/x"><button type="submit">Valider</button></form>',
    { runScripts: "outside-only" },
  );
  dom.window.eval(script);
  const form = dom.window.document.querySelector("form");
  let sent = 0;
  // Count the submissions that were not prevented.
  // On the window: after the page script's listener on the document.
  dom.window.addEventListener("submit", (event) => {
    if (!event.defaultPrevented) sent += 1;
    event.preventDefault();
  });
  const submit = () => form.dispatchEvent(new dom.window.Event("submit", { bubbles: true, cancelable: true }));
  submit();
  submit();
  assert.strictEqual(sent, 1);
  assert.strictEqual(form.querySelector("button").getAttribute("aria-disabled"), "true");
  dom.window.dispatchEvent(new dom.window.Event("pageshow"));
  assert.strictEqual(form.querySelector("button").getAttribute("aria-disabled"), null);
});

test("« Votre question » shows only once « own question » is chosen", () => {
  const dom = new JSDOM(
    '<form><input type="radio" name="question" id="question-0" value="0" checked>' +
      '<input type="radio" name="question" id="question-own" value="own">' +
      '<div id="own" data-show-when="question-own"><input id="own_question"></div></form>',
    { runScripts: "outside-only" },
  );
  dom.window.eval(script);
  const doc = dom.window.document;
  const own = doc.getElementById("own");
  assert.strictEqual(own.hidden, true);
  doc.getElementById("question-own").checked = true;
  doc.getElementById("question-own").dispatchEvent(new dom.window.Event("change", { bubbles: true }));
  assert.strictEqual(own.hidden, false);
  doc.getElementById("question-0").checked = true;
  doc.getElementById("question-0").dispatchEvent(new dom.window.Event("change", { bubbles: true }));
  assert.strictEqual(own.hidden, true);
});
