// What a person reads on the pages, in French and in English: the links,
// labels and buttons the suite looks for, as locales/*/ *.ftl say them.
// Patterns rather than exact strings where a preset may word a thing its
// own way (EFP's « Suivant », CAF's « Valider »), so that the suite finds a
// field the way a person does: by what it is called, not by its id.
"use strict";

/** A visible label, with or without the " :" and the "*" pages add. */
function label(...texts) {
  const escaped = texts.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^\\s*(?:${escaped.join("|")})\\s*\\*?\\s*:?\\s*$`, "i");
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

module.exports = { WORDS, label };
