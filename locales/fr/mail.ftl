# Les mails envoyés à la personne (templates/mail/<type>/ : sujet, texte,
# HTML). L'alerte « Ce n'était pas moi », envoyée à l'assistance, reste en
# français et en anglais, comme l'outil de l'assistance.
# { $date } { $time } { $offset } : « 29/11/2026 », « 07:42 », « UTC+01:00 ».

mail-greeting = Bonjour,
mail-greeting-named = Bonjour { $name },
mail-footer-auto = Ce message a été envoyé automatiquement, merci de ne pas y répondre.
mail-footer-auto-site = Ce message a été envoyé automatiquement par { $site }, merci de ne pas y répondre.
mail-footer-help = Besoin d'aide ? Contactez { $contact }.

## Mot de passe modifié

mail-changed-subject = { $site } : votre mot de passe a été modifié
mail-changed-what = Le mot de passe de votre compte { $login } a été modifié le { $date } à { $time } ({ $offset }), depuis l'adresse IP { $address }.
mail-changed-services = Le nouveau mot de passe est dès maintenant celui de :
mail-changed-if-you = Si vous êtes à l'origine de cette modification, vous n'avez rien à faire.
mail-changed-if-not = Si ce n'est pas vous, quelqu'un d'autre connaît peut-être votre mot de passe :
mail-changed-report-link = signalez-le en ouvrant ce lien (valable { $days } jours), qui bloque les modifications en libre-service et prévient l'assistance :
mail-changed-report-button = signalez-le avec ce lien (valable { $days } jours), qui bloque les modifications en libre-service et prévient l'assistance :
mail-changed-report-label = Ce n'était pas moi
mail-changed-contact = contactez sans attendre { $contact }.

## Mot de passe bientôt expiré

mail-expiring-subject = { $days ->
    [one] { $site } : votre mot de passe expire dans { $days } jour
   *[other] { $site } : votre mot de passe expire dans { $days } jours
}
mail-expiring-what = { $days ->
    [one] Le mot de passe de votre compte { $login } expire le { $date } à { $time } (dans { $days } jour). Passé cette date, vous ne pourrez plus vous connecter.
   *[other] Le mot de passe de votre compte { $login } expire le { $date } à { $time } (dans { $days } jours). Passé cette date, vous ne pourrez plus vous connecter.
}
mail-expiring-change = Changez-le dès maintenant dans « Gérer mon compte » :
mail-expiring-change-label = Gérer mon compte

## Identifiant oublié

mail-identifier-subject = { $site } : votre identifiant
mail-identifier-asked = Vous avez demandé à recevoir votre identifiant de connexion.
mail-identifier-yours = Votre identifiant : { $login }
mail-identifier-use = Utilisez-le avec votre mot de passe pour vous connecter aux services de { $site }.
mail-identifier-not-you = Si vous n'êtes pas à l'origine de cette demande, vous pouvez ignorer ce message : il n'a été envoyé qu'à vous. En cas de doute, contactez { $contact }.

## Code de réinitialisation

mail-code-subject = { $site } : réinitialisation de votre mot de passe
mail-code-asked = Vous avez demandé la réinitialisation de votre mot de passe.
mail-code-here = Afin de valider votre demande, voici le code de réinitialisation à saisir :
mail-code-once = Ce code est à usage unique. Il expirera au bout de { $validity }.
mail-code-or-link = Vous pouvez également ouvrir ce lien :
mail-code-or-button = Vous pouvez également cliquer sur le bouton ci-dessous :
mail-code-button = Réinitialiser mon mot de passe
mail-code-not-you = Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : votre mot de passe reste inchangé. En cas de doute, contactez { $contact }.

## Mot de passe provisoire

mail-temporary-subject = { $site } : votre mot de passe provisoire
mail-temporary-asked = Vous avez demandé la réinitialisation de votre mot de passe.
mail-temporary-here = Voici un mot de passe provisoire pour vous connecter :
mail-temporary-login = Identifiant :
mail-temporary-password = Mot de passe provisoire :
mail-temporary-valid = Il est valable { $validity }.
mail-temporary-must-change = Ce mot de passe est à modifier lors de votre première connexion.
mail-temporary-sign-in = Connectez-vous ici pour choisir votre nouveau mot de passe :
mail-temporary-button = Choisir mon nouveau mot de passe
mail-temporary-not-you = Si vous n'êtes pas à l'origine de cette demande, contactez sans attendre { $contact }.

## A password found in a breach list (passerelle breach-sweep --notify)

mail-breached-subject = { $site } : votre mot de passe figure dans une liste de mots de passe divulgués
mail-breached-what = Le mot de passe actuel de votre compte { $login } figure dans une liste de mots de passe divulgués lors de fuites de données sur d'autres sites. Il n'a pas été volé chez nous, mais quiconque possède cette liste peut l'essayer sur votre compte.
mail-breached-change = Choisissez-en un nouveau dès maintenant, sans avoir besoin de l'ancien :
mail-breached-change-label = Choisir un nouveau mot de passe
mail-breached-must-change = Tant que vous ne l'aurez pas changé, il vous sera demandé de le faire à votre prochaine connexion.
mail-breached-never-ask = Nous ne vous demanderons jamais votre mot de passe par courriel. Si vous avez un doute sur ce message, rendez-vous directement sur le site de { $site } ou contactez { $contact }.
