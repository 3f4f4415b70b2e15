// Runs the shared vectors (tests/vectors/password_policy.json) through the
// page's checklist, static/js/checklist.js, so that it can never disagree with
// the Rust engine, which runs the same file (tests/policy_vectors.rs).
// Run with: node --test tests/js/
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const checklist = require('../../static/js/checklist.js');
const vectors = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', 'vectors', 'password_policy.json'), 'utf8')
);

for (const c of vectors.cases) {
  test(c.name, () => {
    const doc = vectors.policies[c.policy].client_rules;
    const context = c.context || {};
    const person = { login: context.login || '', names: context.names || [] };
    const password = c.password.repeat(c.repeat || 1);
    const result = checklist.evaluate(doc, password, person);

    assert.equal(result.inputError, c.input_error || null, 'input error');
    const clientIds = doc.rules.filter((r) => r.client).map((r) => r.id);
    const expected = {};
    for (const id of clientIds) {
      if (id in c.expected) expected[id] = c.expected[id];
    }
    assert.deepEqual(result.rules, expected, 'verdict per rule');
    for (const rule of doc.rules.filter((r) => !r.client)) {
      assert.ok(!(rule.id in result.rules), `${rule.id} is server-only`);
    }
    if (c.classes) assert.deepEqual(result.classes, c.classes, 'classes');
  });
}

test('every client rule of every case has an expectation', () => {
  for (const c of vectors.cases) {
    if (c.input_error) continue;
    for (const rule of vectors.policies[c.policy].client_rules.rules) {
      if (rule.client) assert.ok(rule.id in c.expected, `${c.name}: ${rule.id}`);
    }
  }
});

test('folding removes accents and case like the server', () => {
  assert.equal(checklist.fold('Élodie'), 'elodie');
  assert.deepEqual(checklist.nameTokens(['Jean-Pierre', 'Le Gall']), ['jean', 'pierre', 'gall']);
});

test('the person sent with the rules is used when none is given', () => {
  const doc = { max_chars: 128, rules: [{ id: 'forbid_login', client: true }], person: { login: 'jdupont', names: [] } };
  assert.equal(checklist.evaluate(doc, 'Jdupont2024!').rules.forbid_login, false);
  assert.equal(checklist.evaluate({ ...doc, person: undefined }, 'Jdupont2024!').rules.forbid_login, null);
});

test('a rule the script does not know is left to the server', () => {
  const doc = { max_chars: 128, rules: [{ id: 'future_rule', client: true }] };
  assert.equal(checklist.evaluate(doc, 'abc').rules.future_rule, null);
});
