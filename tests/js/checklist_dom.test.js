// The checklist in a page: marks, live status, show/hide button and
// confirmation feedback, in jsdom (a test-only dependency in package.json,
// installed by scripts/test with `npm ci`).
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const { JSDOM } = require('jsdom');
const skip = false;
const script = fs.readFileSync(path.join(__dirname, '..', '..', 'static', 'js', 'checklist.js'), 'utf8');

function page(rules) {
  const html = `<!doctype html><form>
<script type="application/json" id="password-rules">${JSON.stringify(rules)}</script>
<input type="password" id="password" data-password-policy data-toggle>
<ul data-rules-for="password">
 <li data-rule="length"><span class="rule-mark" aria-hidden="true" data-mark="×"></span> 12 caractères minimum <span class="rule-state visually-hidden">critère non rempli</span></li>
 <li data-rule="min_classes"><span class="rule-mark" aria-hidden="true" data-mark="×"></span> Respectant 3 des 4 critères suivants :
   <ul><li data-class="lowercase"><span class="rule-mark" aria-hidden="true" data-mark="×"></span> Contient une minuscule</li>
       <li data-class="special"><span class="rule-mark" aria-hidden="true" data-mark="×"></span> Contient un caractère spécial</li></ul></li>
 <li data-rule="forbid_login"><span class="rule-mark" aria-hidden="true" data-mark="×"></span> Ne doit pas contenir votre login</li>
 <li data-rule="history"><span class="rule-mark" aria-hidden="true" data-mark="×"></span> Doit être différent des 3 derniers mots de passe</li>
</ul>
<p data-rules-status-for="password" aria-live="polite" data-status-template="{passed} critères sur {total} remplis"></p>
<input type="password" id="confirm" data-confirm-for="password" data-toggle>
<p data-confirm-status-for="confirm" aria-live="polite"></p>
</form>`;
  const dom = new JSDOM(html, { runScripts: 'outside-only' });
  dom.window.eval(script);
  return new Promise((resolve) => {
    dom.window.document.addEventListener('DOMContentLoaded', () => resolve(dom.window));
  });
}

const RULES = {
  max_chars: 128,
  rules: [
    { id: 'length', min: 12, client: true },
    { id: 'min_classes', min: 3, client: true },
    { id: 'forbid_login', client: true },
    { id: 'history', count: 3, client: false },
  ],
  person: { login: 'jdupont', names: [] },
};

function type(window, id, value) {
  const input = window.document.getElementById(id);
  input.value = value;
  input.dispatchEvent(new window.Event('input'));
}

function mark(window, selector) {
  return window.document.querySelector(`${selector} > .rule-mark`).getAttribute('data-mark');
}

test('marks turn from × to ✓ as the person types, with a live count', { skip }, async () => {
  const window = await page(RULES);
  const status = window.document.querySelector('[data-rules-status-for]');
  assert.equal(mark(window, '[data-rule="length"]'), '×');
  assert.equal(status.textContent, '0 critères sur 3 remplis');

  type(window, 'password', 'Élodie-2024!x');
  assert.equal(mark(window, '[data-rule="length"]'), '✓');
  assert.equal(mark(window, '[data-rule="min_classes"]'), '✓');
  assert.equal(mark(window, '[data-class="special"]'), '✓');
  assert.equal(mark(window, '[data-rule="forbid_login"]'), '✓');
  assert.ok(window.document.querySelector('[data-rule="length"]').classList.contains('rule-met'));
  assert.equal(window.document.querySelector('[data-rule="length"] > .rule-state').textContent, 'critère rempli');
  assert.equal(status.textContent, '3 critères sur 3 remplis');

  type(window, 'password', 'Jdupont2024!');
  assert.equal(mark(window, '[data-rule="forbid_login"]'), '×');
  assert.equal(status.textContent, '2 critères sur 3 remplis');
});

test('a rule only the directory checks stays neutral', { skip }, async () => {
  const window = await page(RULES);
  type(window, 'password', 'Élodie-2024!x');
  assert.equal(mark(window, '[data-rule="history"]'), '•');
});

test('without the person the login rule stays neutral and is not counted', { skip }, async () => {
  const window = await page({ ...RULES, person: undefined });
  type(window, 'password', 'Jdupont2024!');
  assert.equal(mark(window, '[data-rule="forbid_login"]'), '•');
  assert.equal(window.document.querySelector('[data-rules-status-for]').textContent, '2 critères sur 2 remplis');
});

test('the show/hide button is a real toggle button', { skip }, async () => {
  const window = await page(RULES);
  const input = window.document.getElementById('password');
  const button = window.document.querySelector('button[aria-controls="password"]');
  assert.equal(button.type, 'button');
  assert.equal(button.getAttribute('aria-pressed'), 'false');
  assert.equal(button.textContent, 'Afficher');
  button.click();
  assert.equal(input.type, 'text');
  assert.equal(button.getAttribute('aria-pressed'), 'true');
  assert.equal(button.textContent, 'Masquer');
  input.form.dispatchEvent(new window.Event('submit'));
  assert.equal(input.type, 'password', 'never submitted as text');
});

test('the confirmation says whether both passwords match', { skip }, async () => {
  const window = await page(RULES);
  const status = window.document.querySelector('[data-confirm-status-for="confirm"]');
  type(window, 'password', 'Élodie-2024!x');
  type(window, 'confirm', 'Élodie-2024!');
  assert.equal(status.textContent, 'Les deux mots de passe ne sont pas identiques.');
  assert.equal(window.document.getElementById('confirm').getAttribute('aria-invalid'), 'true');
  type(window, 'confirm', 'Élodie-2024!x');
  assert.equal(status.textContent, 'Les deux mots de passe sont identiques.');
  assert.equal(window.document.getElementById('confirm').getAttribute('aria-invalid'), 'false');
});
