// Runs the shared strength vectors (tests/vectors/strength.json) through the
// page's meter, static/js/strength.js over the vendored zxcvbn, so that it
// can never disagree with the server's score, which runs the same file
// (crates/domain/src/policy/check.rs, strength_vectors).
// Run with: node --test tests/js/
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const zxcvbn = require('../../static/js/vendor/zxcvbn.js');
const strength = require('../../static/js/strength.js');
const vectors = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', 'vectors', 'strength.json'), 'utf8')
);

test('the meter scores every shared vector as the server does', () => {
  const wrong = [];
  for (const c of vectors.cases) {
    const got = strength.score(zxcvbn, c.password, vectors.inputs, c.min);
    if (got !== c.meter) wrong.push([c.password, c.min, got, c.meter]);
  }
  assert.deepEqual(wrong, [], `${wrong.length} differ`);
});

test('the meter only ever defers where the server counts characters differently', () => {
  for (const c of vectors.cases) {
    if (c.meter === null) {
      assert.ok(/[\u{10000}-\u{10FFFF}]/u.test(c.password), c.password);
    } else {
      assert.equal(c.meter, c.score, c.password);
    }
  }
  assert.ok(vectors.cases.some((c) => c.meter === null), 'a deferred case is tested');
});

test('an empty password has no score', () => {
  assert.equal(strength.score(zxcvbn, '', [], 4), null);
});

test('the site minimum comes from the page rules, 4 without the rule', () => {
  assert.equal(strength.minimum({ rules: [{ id: 'min_zxcvbn_score', min: 2 }] }), 2);
  assert.equal(strength.minimum({ rules: [{ id: 'length', min: 8 }] }), 4);
});

test('a password typed in decomposed form is scored in NFC, as the server stores it', () => {
  const composed = strength.score(zxcvbn, 'été-Vanille-2031', [], 4);
  const decomposed = strength.score(zxcvbn, 'e\u0301te\u0301-Vanille-2031', [], 4);
  assert.equal(decomposed, composed);
});
