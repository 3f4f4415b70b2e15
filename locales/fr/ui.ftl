# Textes des pages web de Passerelle (français, langue par défaut).
# Le vocabulaire suit celui du portail Sésame de l'UPHF.

## Mise en page

skip-to-content = Aller au contenu
nav-label = Navigation principale
nav-home = Accueil
nav-activate = Activer mon compte
nav-forgotten = Identifiants oubliés
nav-account = Gérer mon compte
nav-help = Aide
lang-switch-label = Langue
step-indicator = Étape { $step } sur { $total }
# Le libellé d'un champ avec les deux-points à la française, et le pourcentage de la barre d'étapes.
field-label = { $label } :
field-label-required = { $label } * :
step-percent = { $percent } %
error-summary-title = Il y a un problème
footer-help = Besoin d'aide ? Contactez { $contact }.
logo-alt = Logo de { $site }

## Accueil

home-title = Bienvenue
home-intro = Choisissez ce que vous souhaitez faire.
forgotten-title = Identifiants oubliés
forgotten-intro = Vous avez oublié votre mot de passe ou votre identifiant ? Choisissez ci-dessous.
flow-recover-title = Récupérer mon mot de passe
flow-recover-summary = Permet de récupérer votre mot de passe en quelques étapes.
flow-identifier-title = Récupérer mon identifiant
flow-identifier-summary = Permet de récupérer votre identifiant de connexion en quelques étapes.
flow-activate-title = Activer mon compte
flow-activate-summary = Première connexion : choisissez votre question secrète et votre mot de passe.
flow-account-title = Gérer mon compte
flow-account-summary = Changez votre mot de passe ou votre question secrète.
flow-code-title = Recevoir un code par e-mail
flow-code-summary = Un code de validation est envoyé à votre adresse e-mail.
flow-temporary-title = Recevoir un mot de passe temporaire
flow-temporary-summary = Un mot de passe temporaire est envoyé à votre adresse e-mail.

## Aide

help-title = Aide
help-intro = Pour récupérer votre mot de passe, munissez-vous de votre numéro personnel et de votre date de naissance, puis répondez à votre question secrète.
help-contact = Si vous n'y parvenez pas, contactez { $contact }.

## Identification (numéro personnel + date de naissance)

recover-title = Récupérer mon mot de passe
recover-intro = Vous pouvez récupérer votre mot de passe par l'intermédiaire des informations ci-dessous. Celles-ci permettent de vous identifier au sein de notre système d'information.
identifier-kinds-intro = Si vous êtes :
kind-student = étudiant
kind-student-text = vous pouvez utiliser votre numéro d'étudiant ou votre INE.
kind-staff = personnel
kind-staff-text = vous pouvez utiliser votre matricule personnel.
kind-external = externe
kind-external-text = vous pouvez utiliser l'identifiant unique qui vous a été fourni.
kind-details-summary = Où trouver ces numéros ?
detail-student-number = Numéro d'étudiant
detail-student-number-text = Vous l'avez obtenu à la fin de la procédure d'inscription. Il figure sur votre carte multiservice.
detail-ine = INE
detail-ine-text = Il figure par exemple sur votre relevé de notes du baccalauréat ainsi que sur votre carte multiservice.
detail-staff-number = Matricule
detail-staff-number-text = Numéro d'identification dans la base de gestion du personnel. Il figure sur votre carte multiservice.
detail-uid = UID
detail-uid-text = UID (Identifiant Unique)
field-identifier = Numéro personnel
field-identifier-placeholder = Saisir numéro personnel
field-birth-date = Date de naissance
field-birth-date-hint = jj/mm/aaaa
button-submit = Valider
identifier-missing = Saisissez votre numéro personnel.
birth-date-invalid = Saisissez votre date de naissance au format jj/mm/aaaa.
identity-failed = Les informations saisies ne permettent pas de vous identifier. Vérifiez votre numéro personnel et votre date de naissance.
identity-failed-lock = Après { $max } essais infructueux, la récupération en libre-service est bloquée pendant { $minutes } minutes ; réessayez alors plus tard ou contactez { $contact }.

## Question secrète

question-title = Question secrète
question-intro = Répondez à votre question secrète (question joker).
field-answer-placeholder = votre réponse
answer-missing = Saisissez votre réponse.
answer-wrong = { $left ->
    [one] Cette réponse ne correspond pas. Il vous reste 1 essai.
   *[other] Cette réponse ne correspond pas. Il vous reste { $left } essais.
}
locked-title = Récupération bloquée temporairement
locked-text = Trop d'essais infructueux : la récupération en libre-service de ce compte est bloquée jusqu'à { $until }.
locked-advice = Réessayez plus tard ou contactez { $contact }.
no-question-title = Votre compte n'est pas encore activé
no-question-text = Aucune question secrète n'est enregistrée pour ce compte : activez d'abord votre compte.
no-question-contact = Pour activer votre compte, contactez { $contact }.

## Nouveau mot de passe

password-title = Choisissez votre nouveau mot de passe
field-new-password = Nouveau mot de passe
field-new-password-placeholder = Nouveau mot de passe
field-confirmation = Confirmation
field-confirmation-placeholder = Confirmation nouveau mot de passe
rules-intro = Pour être valide, votre mot de passe :
rules-checkbox = Je reconnais avoir pris connaissance du règlement intérieur.
rules-link = Consulter le règlement intérieur
rules-checkbox-missing = Cochez la case « Je reconnais avoir pris connaissance du règlement intérieur. »
password-missing = Saisissez un nouveau mot de passe.
confirmation-mismatch = La confirmation ne correspond pas au nouveau mot de passe.
pw-locked = Ce compte est verrouillé dans l'annuaire ; contactez { $contact }.
pw-refused-directory = L'annuaire a refusé ce mot de passe ; choisissez-en un autre.
success-title = Mot de passe modifié
success-text = Voilà, votre mot de passe a bien été modifié, vous recevrez également un mail de confirmation sur votre boite mail.
success-text-no-mail = Voilà, votre mot de passe a bien été modifié. Aucun mail de confirmation n'a pu être envoyé : aucune adresse n'est enregistrée pour votre compte. Pour en ajouter une, contactez { $contact }.
changed-meanwhile-title = Mot de passe déjà modifié
changed-meanwhile-text = Votre mot de passe a été modifié il y a un instant par une autre demande (un autre onglet, ou une autre démarche) : celui que vous venez de saisir n'a pas été enregistré.
changed-meanwhile-advice = Si ce n'était pas vous, contactez { $contact } sans attendre.
stopped-title = Libre-service indisponible pour ce compte
stopped-text = Ce compte ne peut pas être modifié en libre-service pour le moment : il est verrouillé, suspendu ou clos. Rien n'a été enregistré.
stopped-contact = Pour toute question, contactez { $contact }.
old-password-required-title = Changement impossible ici
old-password-required-text = L'annuaire exige votre mot de passe actuel pour tout changement de mot de passe, et une réinitialisation ne peut pas le fournir. Rien n'a été enregistré.
old-password-required-advice = Si vous connaissez votre mot de passe actuel, changez-le depuis « Gérer mon compte » ; sinon, contactez { $contact }.
success-services = N'oubliez pas d'utiliser votre nouveau mot de passe pour vous connecter :
success-finish = Terminer
# Une réplique de l'annuaire n'avait pas encore le nouveau mot de passe.
success-replica-lag = Le Wi-Fi peut mettre une minute à l'accepter.
# Le serveur RADIUS du site (eduroam) a accepté le nouveau mot de passe.
success-wifi-confirmed = Le Wi-Fi (eduroam) accepte déjà votre nouveau mot de passe.

## Récupérer mon identifiant

identifier-title = Récupérer mon identifiant
identifier-intro = Indiquez votre numéro personnel et votre date de naissance : s'ils correspondent à un compte, votre identifiant de connexion est envoyé à votre adresse e-mail de récupération.
identifier-sent-title = Demande enregistrée
identifier-sent = Si les informations saisies correspondent à un compte, votre identifiant de connexion vient d'être envoyé à l'adresse e-mail de récupération enregistrée pour ce compte.
identifier-sent-advice = Pensez à vérifier vos courriers indésirables. Sans message d'ici quelques minutes, contactez { $contact }.

## Erreurs

error-title = Une erreur s'est produite
error-back-home = Retour à l'accueil
error-restart = Recommencer
error-bad-request = Le formulaire envoyé n'a pas pu être lu. Recommencez depuis le début.
error-too-large = Le formulaire envoyé est trop volumineux.
error-expired = Votre session a expiré, recommencez.
error-csrf = Ce formulaire n'est plus valide. Rechargez la page et recommencez.
error-cross-site = Ce formulaire a été envoyé depuis un autre site, pas depuis nos pages : rien n'a été fait. Si vous le remplissiez ici, ouvrez ce service depuis sa propre adresse et recommencez.
error-step = Cette étape n'est pas disponible : le formulaire a déjà été envoyé, ou une étape précédente n'a pas été validée. Recommencez depuis le début.
error-rate-limited = Trop de tentatives depuis votre adresse. Patientez une minute puis réessayez.
error-captcha-audio-spent = Cet enregistrement a été écouté autant de fois que permis. Demandez un nouveau code avec « Nouveau code », puis écoutez celui-ci.
error-unavailable = Le service est momentanément indisponible. Réessayez dans quelques minutes.
error-internal = Une erreur inattendue s'est produite. Réessayez plus tard ou contactez { $contact }.
error-not-found = Cette page n'existe pas.

