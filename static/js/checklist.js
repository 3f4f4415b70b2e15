/*
 * Passerelle: live password checklist, show/hide toggle, confirmation match.
 *
 * Progressive enhancement only: the page works without this script and the
 * server decides (src/policy). The evaluation below mirrors the Rust engine
 * rule for rule; tests/vectors/password_policy.json is run through both
 * (`cargo test --test policy_vectors`, `node --test tests/js/`).
 *
 * Markup it understands (the server renders every text, this script only
 * flips states):
 *
 *   <script type="application/json" id="password-rules">{ policy.client_rules_json() }</script>
 *   <input type="password" id="password" name="password" data-password-policy data-toggle>
 *   <ul data-rules-for="password" data-met-text="critère rempli" data-unmet-text="critère non rempli">
 *     <li data-rule="length"><span class="rule-mark" aria-hidden="true" data-mark="×"></span>
 *         12 caractères minimum <span class="rule-state visually-hidden">critère non rempli</span></li>
 *     <li data-rule="min_classes"><span class="rule-mark" aria-hidden="true" data-mark="×"></span> Respectant 3 des 4 critères suivants :
 *       <ul><li data-class="lowercase"><span class="rule-mark" aria-hidden="true" data-mark="×"></span> Contient une minuscule</li> …</ul></li>
 *   </ul>
 *   <p data-rules-status-for="password" aria-live="polite" data-status-template="{passed} critères sur {total} remplis"></p>
 *   <input type="password" id="confirm" name="confirm" data-confirm-for="password" data-toggle>
 *   <p data-confirm-status-for="confirm" aria-live="polite"
 *      data-match-text="Les deux mots de passe sont identiques."
 *      data-mismatch-text="Les deux mots de passe ne sont pas identiques."></p>
 *
 * A toggle button is added after every input[type=password][data-toggle]; its
 * labels come from data-show-text / data-hide-text on the input (default
 * "Afficher" / "Masquer"). No framework, no build step, no inline code, so a
 * strict Content-Security-Policy (script-src 'self') is enough.
 */
(function () {
  'use strict';

  var HARD_MAX_CHARS = 128;
  var LOWERCASE = /\p{Lowercase}/u;
  var UPPERCASE = /\p{Uppercase}/u;
  var DIGIT = /\p{Nd}/u;
  // Neither letter, number, white space, control character nor combining
  // mark: punctuation, symbols, emoji (Rust: text::is_special).
  var SPECIAL = /[^\p{Alphabetic}\p{N}\p{White_Space}\p{Cc}\p{M}]/u;
  var CONTROL = /\p{Cc}/u;
  var ONLY_SPACES = /^\p{White_Space}+$/u;
  var MARKS = /\p{M}/gu;
  var NOT_ALPHANUMERIC = /[^\p{Alphabetic}\p{N}]+/u;
  var CLASSES = ['lowercase', 'uppercase', 'digit', 'special'];

  /** Lowercase, decompose, drop combining marks: "Élodie" -> "elodie". */
  function fold(text) {
    return String(text).toLowerCase().normalize('NFD').replace(MARKS, '');
  }

  /** Folded tokens of 3+ characters of the person's name values. */
  function nameTokens(names) {
    var tokens = [];
    (names || []).forEach(function (value) {
      fold(value).split(NOT_ALPHANUMERIC).forEach(function (token) {
        if (Array.from(token).length >= 3 && tokens.indexOf(token) < 0) {
          tokens.push(token);
        }
      });
    });
    return tokens;
  }

  /** The reason a candidate is not a password at all, or null. */
  function inputError(password, chars, maxChars) {
    if (password.length === 0) return 'empty';
    if (chars.length > maxChars) return 'too_long';
    if (CONTROL.test(password)) return 'control_character';
    if (ONLY_SPACES.test(password)) return 'only_spaces';
    return null;
  }

  function atLeast(count, min) {
    return count >= min;
  }

  /**
   * Evaluates a password against the rules document the server sent.
   * Returns { inputError, rules: { id: true | false | null }, classes,
   * passed, total }. null means "cannot tell here" (no login known); rules
   * marked "client": false (zxcvbn, history, current password) are absent.
   */
  function evaluate(doc, password, person) {
    var rules = (doc && doc.rules) || [];
    var maxChars = (doc && doc.max_chars) || HARD_MAX_CHARS;
    person = person || (doc && doc.person) || null;
    password = String(password == null ? '' : password);
    // Bounded as typed, then evaluated in NFC, the form the server checks
    // and writes (a decomposed "é" is one character), and bounded again.
    var rawError = inputError(password, Array.from(password), maxChars);
    password = password.normalize('NFC');
    var chars = Array.from(password);
    var result = {
      inputError: rawError || inputError(password, chars, maxChars),
      rules: {},
      classes: { lowercase: false, uppercase: false, digit: false, special: false },
      passed: 0,
      total: 0
    };
    if (result.inputError) return result;

    var counts = { lowercase: 0, uppercase: 0, digit: 0, special: 0 };
    chars.forEach(function (c) {
      if (LOWERCASE.test(c)) counts.lowercase += 1;
      if (UPPERCASE.test(c)) counts.uppercase += 1;
      if (DIGIT.test(c)) counts.digit += 1;
      if (SPECIAL.test(c)) counts.special += 1;
    });
    var present = 0;
    CLASSES.forEach(function (name) {
      result.classes[name] = counts[name] > 0;
      if (counts[name] > 0) present += 1;
    });
    var folded = null;
    function foldedPassword() {
      if (folded === null) folded = fold(password);
      return folded;
    }

    rules.forEach(function (rule) {
      if (!rule.client) return;
      var value = null;
      switch (rule.id) {
        case 'length':
          value = (rule.min == null || chars.length >= rule.min) &&
                  (rule.max == null || chars.length <= rule.max);
          break;
        case 'min_classes': value = atLeast(present, rule.min); break;
        case 'min_uppercase': value = atLeast(counts.uppercase, rule.min); break;
        case 'min_lowercase': value = atLeast(counts.lowercase, rule.min); break;
        case 'min_digits': value = atLeast(counts.digit, rule.min); break;
        case 'min_special': value = atLeast(counts.special, rule.min); break;
        case 'forbidden_characters':
          value = !Array.from(rule.chars || '').some(function (c) {
            return password.indexOf(c) >= 0;
          });
          break;
        case 'forbid_login': {
          var login = person && person.login ? fold(person.login) : '';
          value = login === '' ? null : foldedPassword().indexOf(login) < 0;
          break;
        }
        case 'forbid_attribute_values': {
          var tokens = nameTokens(person && person.names);
          value = tokens.length === 0 ? null : !tokens.some(function (token) {
            return foldedPassword().indexOf(token) >= 0;
          });
          break;
        }
        default:
          value = null; // a rule this script does not know: the server decides
      }
      result.rules[rule.id] = value;
      if (value !== null) {
        result.total += 1;
        if (value) result.passed += 1;
      }
    });
    return result;
  }

  /* ------------------------------------------------------------------ DOM */

  function ensureId(element, prefix) {
    if (!element.id) {
      ensureId.counter = (ensureId.counter || 0) + 1;
      element.id = prefix + '-' + ensureId.counter;
    }
    return element.id;
  }

  function byFor(documentRef, attribute, id) {
    return documentRef.querySelector('[' + attribute + '="' + id + '"]') ||
      documentRef.querySelector('[' + attribute + '=""]');
  }

  /** Marks an item met (true), unmet (false) or undecided (null). */
  function mark(item, state, list) {
    item.classList.toggle('rule-met', state === true);
    item.classList.toggle('rule-unmet', state === false);
    item.classList.toggle('rule-neutral', state === null);
    var markElement = item.querySelector(':scope > .rule-mark');
    // The mark is drawn by CSS from data-mark (.rule-mark::before): a lone
    // symbol as text is one axe-core cannot measure the contrast of.
    if (markElement) markElement.setAttribute('data-mark', state === true ? '✓' : state === false ? '×' : '•');
    var stateElement = item.querySelector(':scope > .rule-state');
    if (stateElement && list) {
      stateElement.textContent = state === true
        ? (list.getAttribute('data-met-text') || 'critère rempli')
        : state === false ? (list.getAttribute('data-unmet-text') || 'critère non rempli') : '';
    }
  }

  function enhanceChecklist(documentRef, doc) {
    var inputs = documentRef.querySelectorAll('input[data-password-policy]');
    Array.prototype.forEach.call(inputs, function (input) {
      var id = ensureId(input, 'password');
      var list = byFor(documentRef, 'data-rules-for', id);
      var status = byFor(documentRef, 'data-rules-status-for', id);
      if (!list) return;
      var person = doc.person || null;
      // Rules the page can never decide (no login or names sent) stay neutral.
      function undecidable(id) {
        if (id === 'forbid_login') return !(person && person.login && fold(person.login) !== '');
        if (id === 'forbid_attribute_values') return nameTokens(person && person.names).length === 0;
        return false;
      }
      var decidable = {};
      var total = 0;
      (doc.rules || []).forEach(function (rule) {
        if (rule.client && !undecidable(rule.id)) {
          decidable[rule.id] = true;
          total += 1;
        }
      });
      var lastStatus = '';
      function update() {
        var result = evaluate(doc, input.value);
        Array.prototype.forEach.call(list.querySelectorAll('[data-rule]'), function (item) {
          var id = item.getAttribute('data-rule');
          if (!decidable[id]) {
            // Checked by the server or the directory only (history, zxcvbn,
            // current password), or about a person the page does not know.
            mark(item, null, list);
            return;
          }
          mark(item, result.inputError ? false : result.rules[id] === true, list);
        });
        Array.prototype.forEach.call(list.querySelectorAll('[data-class]'), function (item) {
          mark(item, !result.inputError && result.classes[item.getAttribute('data-class')] === true, list);
        });
        if (status) {
          var passed = result.inputError ? 0 : result.passed;
          var template = status.getAttribute('data-status-template') || '{passed} critères sur {total} remplis';
          var text = template.replace('{passed}', String(passed)).replace('{total}', String(total));
          // Announce only when the count changes, not on every keystroke.
          if (text !== lastStatus) {
            status.textContent = text;
            lastStatus = text;
          }
        }
      }
      input.addEventListener('input', update);
      update();
    });
  }

  function enhanceToggles(documentRef) {
    var inputs = documentRef.querySelectorAll('input[type="password"][data-toggle]');
    Array.prototype.forEach.call(inputs, function (input) {
      var id = ensureId(input, 'password');
      var showText = input.getAttribute('data-show-text') || 'Afficher';
      var hideText = input.getAttribute('data-hide-text') || 'Masquer';
      var button = documentRef.createElement('button');
      button.type = 'button';
      button.className = 'password-toggle';
      button.setAttribute('aria-controls', id);
      button.setAttribute('aria-pressed', 'false');
      button.textContent = showText;
      button.addEventListener('click', function () {
        var shown = input.type === 'password';
        input.type = shown ? 'text' : 'password';
        button.setAttribute('aria-pressed', shown ? 'true' : 'false');
        button.textContent = shown ? hideText : showText;
        input.focus();
      });
      input.insertAdjacentElement('afterend', button);
      // Never submit (or let the browser remember) a password as plain text.
      if (input.form) {
        input.form.addEventListener('submit', function () {
          input.type = 'password';
          button.setAttribute('aria-pressed', 'false');
          button.textContent = showText;
        });
      }
    });
  }

  function enhanceConfirmations(documentRef) {
    var confirmations = documentRef.querySelectorAll('input[data-confirm-for]');
    Array.prototype.forEach.call(confirmations, function (confirm) {
      var original = documentRef.getElementById(confirm.getAttribute('data-confirm-for'));
      if (!original) return;
      var status = byFor(documentRef, 'data-confirm-status-for', ensureId(confirm, 'confirm'));
      function update() {
        if (confirm.value === '') {
          confirm.removeAttribute('aria-invalid');
          if (status) {
            status.textContent = '';
            status.classList.remove('confirm-match', 'confirm-mismatch');
          }
          return;
        }
        var match = confirm.value === original.value;
        confirm.setAttribute('aria-invalid', match ? 'false' : 'true');
        if (status) {
          status.classList.toggle('confirm-match', match);
          status.classList.toggle('confirm-mismatch', !match);
          status.textContent = match
            ? (status.getAttribute('data-match-text') || 'Les deux mots de passe sont identiques.')
            : (status.getAttribute('data-mismatch-text') || 'Les deux mots de passe ne sont pas identiques.');
        }
      }
      confirm.addEventListener('input', update);
      original.addEventListener('input', update);
    });
  }

  function readRules(documentRef) {
    var element = documentRef.getElementById('password-rules');
    if (!element) return null;
    try {
      return JSON.parse(element.textContent);
    } catch (error) {
      return null; // the server's messages still say everything
    }
  }

  function init(documentRef) {
    var doc = readRules(documentRef);
    if (doc) enhanceChecklist(documentRef, doc);
    enhanceToggles(documentRef);
    enhanceConfirmations(documentRef);
  }

  if (typeof module !== 'undefined' && module.exports) {
    module.exports = { evaluate: evaluate, fold: fold, nameTokens: nameTokens, init: init };
  } else if (typeof document !== 'undefined') {
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', function () { init(document); });
    } else {
      init(document);
    }
  }
})();
