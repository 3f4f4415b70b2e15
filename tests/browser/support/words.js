// What a person reads on the pages: the links, labels and buttons the
// suite looks for, as locales/*/ *.ftl say them. French and English are
// written out here (with the presets' own wordings); every other language
// is read from its locale folder (`fromLocale`), so that a language is
// tested as soon as its folder exists.
// Patterns rather than exact strings where a preset may word a thing its
// own way (EFP's « Suivant », CAF's « Valider »), so that the suite finds a
// field the way a person does: by what it is called, not by its id.
"use strict";

const fs = require("node:fs");
const path = require("node:path");

const escape = (t) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A visible label, with or without the " :" (or Chinese "：") and the "*" pages add. */
function label(...texts) {
  const escaped = texts.map(escape);
  return new RegExp(`^\\s*(?:${escaped.join("|")})\\s*\\*?\\s*[:：]?\\s*$`, "i");
}

const WORDS = {
  fr: {
    home: "Bienvenue",
    strength: /^Robustesse : (très faible|faible|moyenne|bonne|très bonne)$/,
    link: {
      recover: "Récupérer mon mot de passe",
      identifier: "Récupérer mon identifiant",
      activate: "Activer mon compte",
      account: "Gérer mon compte",
      code: "Recevoir un code par e-mail",
      temporary: "Recevoir un mot de passe temporaire",
      temporaryChange: /Changer mon mot de passe provisoire|Personnaliser mon mot de passe/,
      changePassword: "Changer mon mot de passe",
      logout: "Me déconnecter",
    },
    field: {
      identifier: label("Numéro personnel"),
      birthDate: label("Date de naissance"),
      newPassword: label("Nouveau mot de passe"),
      confirm: label("Confirmation", "Confirmation mot de passe", "Confirmation du mot de passe"),
      current: label("Mot de passe actuel"),
      login: label("Identifiant"),
      loginPassword: label("Mot de passe actuel", "Mot de passe"),
      rules: /règlement intérieur/i,
      codeAddress: label("Identifiant (e-mail)", "Identifiant", "Adresse e-mail"),
      code: label("Code de validation reçu par e-mail"),
      temporaryIdentifier: label("Adresse e-mail ou identifiant", "Adresse e-mail", "Identifiant", "Numéro de famille"),
      captcha: /Recopiez le code de sécurité|Saisissez le texte/i,
      answer: label("Réponse"),
      answerConfirm: label("Confirmation de la réponse"),
      ownQuestion: "Ma propre question",
    },
    button: {
      submit: /^(Valider|Suivant)$/,
      next: /^(Suivant|Valider)$/,
      resend: "Renvoyer le code",
      show: /^Afficher/,
    },
    heading: {
      success: /Mot de passe modifié|Compte activé|Votre mot de passe a été modifié/,
      activated: "Compte activé",
      question: "Question secrète",
      identifierSent: "Demande enregistrée",
      temporarySent: "Demande enregistrée",
      codeVerify: "Saisissez le code reçu",
      accountMenu: "Mon compte",
      errorSummary: "Il y a un problème",
    },
    text: {
      identityFailed: "ne permettent pas de vous identifier",
      answerWrong: "Cette réponse ne correspond pas",
      codeRefused: "incorrect ou n'est plus valide",
      identifierMissing: "Saisissez votre numéro personnel",
      birthDateInvalid: "Saisissez votre date de naissance",
    },
  },
  en: {
    strength: /^Strength: (very weak|weak|fair|good|very good)$/,
    home: "Welcome",
    link: {
      recover: "Recover my password",
      identifier: /Recover my (login|identifier)/,
      activate: "Activate my account",
      account: "Manage my account",
      code: /Receive a code by e-mail|Get a code by e-mail/,
      temporary: /Receive a temporary password|Get a temporary password/,
      temporaryChange: /Change my temporary password|Choose my password/,
      changePassword: "Change my password",
      logout: "Sign out",
    },
    field: {
      identifier: label("Personal number"),
      birthDate: label("Date of birth"),
      newPassword: label("New password"),
      confirm: label("Confirmation", "Confirm password", "Confirm the password"),
      current: label("Current password"),
      login: label("Login", "Identifier"),
      loginPassword: label("Current password", "Password"),
      rules: /rules of the institution/i,
      codeAddress: label("Identifier (e-mail)", "Identifier", "E-mail address"),
      code: label("Validation code received by e-mail"),
      temporaryIdentifier: label("E-mail address or identifier", "E-mail address", "Identifier", "Family number"),
      captcha: /Type the security code|Type the text/i,
      answer: label("Answer"),
      answerConfirm: label("Confirm the answer"),
      ownQuestion: "My own question",
    },
    button: {
      submit: /^(Submit|Next)$/,
      next: /^(Next|Submit)$/,
      resend: "Send the code again",
      show: /^Show/,
    },
    heading: {
      success: /Password changed|Account activated|Your password has been changed/,
      activated: "Account activated",
      question: "Secret question",
      identifierSent: "Request received",
      temporarySent: "Request received",
      codeVerify: "Enter the code you received",
      accountMenu: "My account",
      errorSummary: "There is a problem",
    },
    text: {
      identityFailed: "does not identify you",
      answerWrong: "This answer does not match",
      codeRefused: "wrong or no longer valid",
      identifierMissing: "Enter your personal number",
      birthDateInvalid: "Enter your date of birth",
    },
  },
};

/** The one-line messages of locales/<lang>/*.ftl (selectors are skipped). */
function readLocale(lang) {
  const dir = path.join(__dirname, "../../../locales", lang);
  const messages = {};
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".ftl"))) {
    for (const line of fs.readFileSync(path.join(dir, file), "utf8").split("\n")) {
      const m = /^([a-z][a-z0-9-]*) = (.+)$/.exec(line);
      if (m && !m[2].includes("->")) messages[m[1]] = m[2].trim();
    }
  }
  return messages;
}

/** The same shape as WORDS.fr, read from the language's own texts. */
function fromLocale(lang) {
  const m = readLocale(lang);
  const t = (id) => {
    if (!(id in m)) throw new Error(`locales/${lang}: no one-line message ${id}`);
    return m[id];
  };
  const oneOf = (...ids) => new RegExp(`^(${ids.map((id) => escape(t(id))).join("|")})$`);
  const start = (id) => t(id).split(/[.。:：]/)[0];
  const levels = t("policy-strength-levels").split("|").map(escape).join("|");
  const strength = escape(t("policy-strength-status")).replace(escape("{ $level }"), `(${levels})`);
  return {
    home: t("home-title"),
    strength: new RegExp(`^${strength}$`),
    link: {
      recover: t("flow-recover-title"),
      identifier: t("flow-identifier-title"),
      activate: t("flow-activate-title"),
      account: t("flow-account-title"),
      code: t("flow-code-title"),
      temporary: t("flow-temporary-title"),
      temporaryChange: oneOf("temporary-sent-change", "account-temporary-link"),
      changePassword: t("account-change-password"),
      logout: t("account-logout"),
    },
    field: {
      identifier: label(t("field-identifier")),
      birthDate: label(t("field-birth-date")),
      newPassword: label(t("field-new-password")),
      confirm: label(t("field-confirmation"), t("change-field-confirmation")),
      current: label(t("change-field-current")),
      login: label(t("account-field-login")),
      loginPassword: label(t("account-field-password")),
      rules: new RegExp(escape(start("rules-checkbox"))),
      codeAddress: label(t("code-field-identifier")),
      code: label(t("code-field")),
      temporaryIdentifier: label(t("temporary-field-identifier")),
      captcha: new RegExp(escape(t("captcha-instruction"))),
      answer: label(t("activate-field-answer")),
      answerConfirm: label(t("activate-field-answer-confirm")),
      ownQuestion: t("activate-field-question-own"),
    },
    button: {
      submit: oneOf("button-submit", "email-button-next"),
      next: oneOf("email-button-next", "button-submit"),
      resend: t("code-resend"),
      show: new RegExp(`^${escape(t("policy-checklist-show"))}`),
    },
    heading: {
      success: oneOf("success-title", "activate-success-title", "code-success-title"),
      activated: t("activate-success-title"),
      question: t("question-title"),
      identifierSent: t("identifier-sent-title"),
      temporarySent: t("temporary-sent-title"),
      codeVerify: t("code-verify-title"),
      accountMenu: t("account-menu-title"),
      errorSummary: t("error-summary-title"),
    },
    text: {
      identityFailed: start("identity-failed"),
      codeRefused: start("code-refused"),
      identifierMissing: start("identifier-missing"),
      birthDateInvalid: start("birth-date-invalid"),
    },
  };
}

for (const lang of ["es", "de", "it", "pt", "ar", "zh-Hans", "uk"]) WORDS[lang] = fromLocale(lang);

module.exports = { WORDS, label, fromLocale };
