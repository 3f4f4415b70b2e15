# Texts of the e-mail flows: /code (EFP) and /temporary (CAF, Ecolesoft).

email-button-next = Suivant
email-hours = { $n ->
    [one] { $n } heure
   *[other] { $n } heures
}
email-minutes = { $n ->
    [one] { $n } minute
   *[other] { $n } minutes
}

code-title = Je réinitialise mon mot de passe
code-intro = Saisissez votre e-mail de connexion pour votre compte.
code-field-identifier = Identifiant (e-mail)
code-field-identifier-placeholder = prenom.nom@exemple.fr
code-request-hint = Vous allez recevoir un e-mail contenant un code de validation nécessaire à l'étape 2.
code-no-access = Bon à savoir : si vous n'avez plus accès à l'adresse e-mail associée à votre identifiant, contactez l'assistance.
code-identifier-missing = Saisissez l'adresse e-mail rattachée à votre compte.
code-verify-title = Saisissez le code reçu
code-sent = Si un compte correspond à « { $address } », un e-mail contenant un code vous a été envoyé.
code-sent-link = Saisissez le code reçu par e-mail.
code-field = Code de validation reçu par e-mail
code-field-hint = 6 chiffres, par exemple 2 3 8 3 9 2
code-spam = Le code vous a été envoyé par e-mail. Si vous ne l'avez pas reçu, vérifiez dans le dossier SPAM de votre boîte mail.
code-resend = Renvoyer le code
code-resend-hint = Un nouveau code peut être demandé { $seconds } secondes après le précédent ; il remplace alors le précédent.
code-resent = Si un compte correspond, un nouveau code vous a été envoyé ; le précédent ne fonctionne plus.
code-malformed = Le code de validation est composé de 6 chiffres.
code-refused = Le code saisi est incorrect ou n'est plus valide.
code-refused-advice = Un code est à usage unique, expire au bout de { $validity } et n'accepte que { $tries } essais : au-delà, demandez-en un nouveau avec « Renvoyer le code ». Après { $max } erreurs, la réinitialisation est bloquée un moment.
code-password-title = Choisissez votre nouveau mot de passe
code-success-title = Mot de passe modifié
code-success-text = Votre mot de passe a été modifié avec succès.
code-success-login = Votre mot de passe est à présent modifié, vous pouvez vous connecter avec votre identifiant et votre nouveau mot de passe.
code-link-title = Réinitialiser mon mot de passe
code-link-intro = Vous avez ouvert le lien reçu par e-mail. Appuyez sur le bouton pour valider votre code et choisir votre nouveau mot de passe.
code-link-button = Réinitialiser mon mot de passe
code-link-invalid-title = Lien non valide
code-link-invalid = Ce lien n'est plus valide : le code a expiré, a déjà servi ou a été remplacé par un nouveau. Demandez un nouveau code.
code-link-restart = Demander un nouveau code

temporary-title = Mot de passe oublié
temporary-intro = Saisissez votre adresse e-mail ou votre identifiant : un mot de passe provisoire vous sera envoyé par e-mail.
temporary-field-identifier = Adresse e-mail ou identifiant
temporary-request-hint = L'adresse e-mail saisie doit correspondre exactement à celle déclarée pour votre compte.
temporary-identifier-missing = Saisissez votre adresse e-mail ou votre identifiant.
temporary-sent-title = Demande enregistrée
temporary-sent = Si un compte correspond, un courriel comportant votre nouveau mot de passe a été envoyé à l'adresse e-mail renseignée.
temporary-sent-on-file = Si un compte correspond, un courriel comportant votre nouveau mot de passe a été envoyé à l'adresse e-mail enregistrée pour ce compte.
temporary-sent-advice = Ce mot de passe provisoire est valable { $validity } et est à modifier lors de votre première connexion. Pensez à vérifier vos courriers indésirables.
temporary-sent-change = Changer mon mot de passe provisoire
code-resend-wait = Un code vient d'être demandé : patientez encore { $seconds } secondes avant d'en demander un nouveau.
code-resend-restart = Pour recevoir un nouveau code, recommencez depuis la première étape.
