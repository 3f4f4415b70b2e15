/*
 * Passerelle: the password strength meter, beside the live checklist.
 *
 * Progressive enhancement only: without this script the page works and the
 * server decides. The score is zxcvbn's (static/js/vendor/zxcvbn.js, loaded
 * when a password is first typed), computed exactly as the server computes
 * it (crates/domain/src/policy/check.rs, `strength_score`): the password in
 * NFC, the person's own words counted (their login, names and birth date,
 * which the server lists in the page's rules as person.strength_inputs),
 * its first 32 characters, and its first 64 when those score below the
 * site's `min_zxcvbn_score` (4 when the site has none). The shared vectors
 * tests/vectors/strength.json are run through both (`cargo test -p
 * passerelle-domain strength`, `node --test tests/js/`).
 *
 * Markup it understands (the server renders every text):
 *
 *   <div data-strength-for="password" data-script="/static/js/vendor/zxcvbn.js"
 *        data-levels="très faible|faible|moyenne|bonne|très bonne"
 *        data-status-template="Robustesse : {level}"
 *        data-deferred-text="La robustesse … sera vérifiée à l'envoi." hidden>
 *     <meter min="0" max="4" …></meter>
 *     <p data-strength-text aria-live="polite"></p>
 *   </div>
 */
(function (root) {
  'use strict';

  var FIRST_CHARS = 32;
  var MAX_CHARS = 64;
  // The server's zxcvbn counts characters where zxcvbn.js counts UTF-16
  // units: outside the Basic Multilingual Plane the two could differ.
  var ASTRAL = /[\u{10000}-\u{10FFFF}]/u;
  // The live text is spoken at most this often (milliseconds).
  var ANNOUNCE_EVERY = 800;

  function prefix(text, chars) {
    return Array.from(text).slice(0, chars).join('');
  }

  /**
   * The server's score (0 to 4) of `password` with the words `inputs`
   * counted and the site's minimum `min`; null for an empty password or
   * one the meter cannot score as the server does.
   */
  function score(zxcvbn, password, inputs, min) {
    var candidate = String(password).normalize('NFC');
    if (candidate === '') return null;
    var first = prefix(candidate, FIRST_CHARS);
    if (ASTRAL.test(first)) return null;
    var firstScore = zxcvbn(first, inputs).score;
    if (firstScore >= min || Array.from(candidate).length <= FIRST_CHARS) {
      return firstScore;
    }
    var longer = prefix(candidate, MAX_CHARS);
    if (ASTRAL.test(longer)) return null;
    return zxcvbn(longer, inputs).score;
  }

  /** The site's minimum score, from the page's rules (4 when none). */
  function minimum(rules) {
    var found = (rules.rules || []).filter(function (rule) {
      return rule.id === 'min_zxcvbn_score';
    })[0];
    return found && typeof found.min === 'number' ? found.min : 4;
  }

  function attach(doc) {
    var box = doc.querySelector('[data-strength-for]');
    if (!box) return;
    var input = doc.getElementById(box.getAttribute('data-strength-for'));
    var rulesElement = doc.getElementById('password-rules');
    if (!input || !rulesElement) return;
    var rules;
    try {
      rules = JSON.parse(rulesElement.textContent);
    } catch (e) {
      return;
    }
    var inputs = (rules.person && rules.person.strength_inputs) || [];
    var min = minimum(rules);
    var levels = (box.getAttribute('data-levels') || '').split('|');
    var template = box.getAttribute('data-status-template') || '{level}';
    var deferred = box.getAttribute('data-deferred-text') || '';
    var meter = box.querySelector('meter');
    var text = box.querySelector('[data-strength-text]');
    var loading = false;
    var timer = null;
    var lastSpoken = 0;

    function show(value) {
      var said;
      if (input.value === '') {
        said = '';
        if (meter) meter.value = 0;
      } else if (value === null) {
        said = deferred;
        if (meter) meter.value = 0;
      } else {
        said = template.replace('{level}', levels[value] || String(value));
        if (meter) meter.value = value;
      }
      box.setAttribute('data-score', value === null ? '' : String(value));
      if (!text || text.textContent === said) return;
      // Spoken at most every ANNOUNCE_EVERY ms; the last word always lands.
      var wait = Math.max(0, lastSpoken + ANNOUNCE_EVERY - Date.now());
      clearTimeout(timer);
      timer = setTimeout(function () {
        lastSpoken = Date.now();
        text.textContent = said;
      }, wait);
    }

    function update() {
      if (typeof root.zxcvbn !== 'function') {
        load();
        return;
      }
      show(score(root.zxcvbn, input.value, inputs, min));
    }

    function load() {
      if (loading) return;
      loading = true;
      var script = doc.createElement('script');
      script.src = box.getAttribute('data-script');
      script.async = true;
      script.onload = update;
      doc.head.appendChild(script);
    }

    input.addEventListener('input', update);
    box.hidden = false;
    if (input.value !== '') update();
  }

  if (typeof module !== 'undefined' && module.exports) {
    module.exports = { score: score, minimum: minimum, FIRST_CHARS: FIRST_CHARS, MAX_CHARS: MAX_CHARS };
  }
  if (typeof document !== 'undefined') {
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', function () {
        attach(document);
      });
    } else {
      attach(document);
    }
  }
})(typeof window !== 'undefined' ? window : this);
