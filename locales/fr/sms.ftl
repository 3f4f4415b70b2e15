# Issue 21 : le code par SMS, le choix du moyen, les données de secours de
# la personne (adresse et mobile) et l'avis de chaque changement.

## Les SMS eux-mêmes, dans l'alphabet GSM (é, è, à, ù en sont ; ê, â, ç et
## l'apostrophe courbe n'en sont pas et enverraient le SMS en UCS-2, 70
## caractères par SMS au lieu de 160).
sms-text-code = { $site } : votre code est { $code }. Il expire dans { $minutes } min. Ne le donnez à personne.
sms-text-verify = { $site } : le code pour confirmer ce numéro est { $code } (valable { $minutes } min). Si vous n'avez rien demandé, ignorez ce message.
sms-text-mobile-changed = { $site } : ce numéro n'est plus le mobile de secours de votre compte depuis le { $when }. Si ce n'est pas vous, voyez votre messagerie ou contactez { $contact }.

## Pourquoi un numéro ne peut pas recevoir de code (docs/sms.md).
sms-number-empty = Saisissez un numéro de mobile.
sms-number-not-a-number = Ce n'est pas un numéro de téléphone : saisissez seulement des chiffres, par exemple 06 12 34 56 78 ou +33 6 12 34 56 78.
sms-number-unknown-country-code = Cet indicatif de pays n'existe pas.
sms-number-too-short = Ce numéro est trop court.
sms-number-too-long = Ce numéro est trop long.
sms-number-invalid = Ce numéro n'existe pas sous cette forme.
sms-number-country-not-allowed = Les SMS ne peuvent pas être envoyés vers ce pays.
sms-number-landline = C'est un numéro de téléphone fixe : il ne peut pas recevoir de SMS. Donnez un numéro de mobile.
sms-number-maybe-landline = Ce numéro peut être un fixe : donnez un numéro de mobile.
sms-number-premium-rate = C'est un numéro surtaxé : aucun code n'y est envoyé. Donnez un numéro de mobile.
sms-number-shared-cost = C'est un numéro à coût partagé : donnez un numéro de mobile.
sms-number-toll-free = C'est un numéro vert : donnez un numéro de mobile.
sms-number-not-mobile = Ce n'est pas un numéro de mobile : donnez un numéro de mobile.
sms-number-disabled = Les SMS ne sont pas proposés sur ce site.

## Données de secours : ce qui est refusé.
recovery-value-missing = Saisissez une valeur.
recovery-mail-invalid = Saisissez une adresse e-mail valide, par exemple prenom.nom@exemple.fr.
recovery-mail-institutional = C'est votre adresse de l'établissement : donnez une adresse personnelle, que vous pourrez lire sans ce mot de passe.
recovery-value-unchanged = C'est déjà celle de votre compte.
recovery-nothing-to-remove = Votre compte n'en a pas.
recovery-code-wrong = Ce code n'est pas le bon.

## Recevoir un code par SMS (/sms).
flow-sms-title = Recevoir un code par SMS
flow-sms-summary = Un code à 6 chiffres envoyé sur votre mobile, après votre numéro personnel et votre date de naissance.
sms-title = Recevoir un code par SMS
sms-intro = Identifiez-vous avec votre numéro personnel et votre date de naissance : un code vous sera ensuite envoyé sur le mobile de votre compte, ou à votre adresse de secours si vous préférez.
sms-channel-title = Où envoyer le code ?
sms-channel-intro = Voici les moyens de vous joindre enregistrés pour votre compte (en partie masqués).
sms-channel-legend = Envoyer le code
sms-channel-mobile = par SMS au { $number }
sms-channel-mail = par e-mail à { $address }
sms-channel-hint = Le code est valable quelques minutes et ne sert qu'une fois. Un nombre limité de SMS peut être envoyé chaque jour.
sms-channel-button = Envoyer le code
sms-channel-missing = Choisissez où envoyer le code.
sms-channel-unusable = Le numéro enregistré pour votre compte ne peut pas recevoir de code. { $reason } Vous pourrez le corriger dans « Gérer mon compte ».
sms-no-channel-title = Aucun moyen de vous envoyer un code
sms-no-channel = Votre compte n'a ni mobile ni adresse de secours auxquels envoyer un code. Utilisez « Récupérer mon mot de passe » si vous avez une question secrète, ou contactez { $contact }.
sms-limit-address = Trop de demandes de SMS ont été faites depuis votre connexion : réessayez dans une heure, ou choisissez l'e-mail.
sms-limit-ceiling = Les SMS sont momentanément indisponibles : réessayez dans quelques minutes, ou choisissez l'e-mail.
sms-daily-cap = Votre compte a déjà reçu le nombre maximal de SMS pour aujourd'hui : réessayez après { $until }, ou choisissez l'e-mail.
sms-failed = Le code n'a pas pu être envoyé. Réessayez plus tard ou contactez { $contact }.
sms-verify-title = Saisissez le code reçu
sms-sent-mobile = Un code vient d'être envoyé par SMS au { $number }.
sms-sent-mail = Un code vient d'être envoyé par e-mail à { $address }.
sms-sent = Saisissez le code reçu.
sms-code-field = Code reçu
sms-refused-advice = Un code est à usage unique, expire au bout de quelques minutes et n'accepte que { $tries } essais : au-delà, demandez-en un nouveau avec « Renvoyer le code ». Après { $max } erreurs, la réinitialisation est bloquée un moment.
sms-password-title = Choisissez votre nouveau mot de passe

## Le choix du moyen dans le code par e-mail (/code).
code-channel-legend = Recevoir le code
code-channel-mail = par e-mail
code-channel-mobile = par SMS, sur le mobile du compte
code-sent-sms = Si « { $address } » correspond à un compte qui a un numéro de mobile, un code vient d'y être envoyé par SMS.

## Mes données de secours (Gérer mon compte).
account-recovery-data = Mon adresse de secours et mon mobile
account-sign-in-again = Se reconnecter
recovery-title = Mes données de secours
recovery-intro = Ces moyens de vous joindre servent à retrouver l'accès à votre compte si vous oubliez votre mot de passe. Chaque modification est signalée à vos adresses.
recovery-mail = Adresse e-mail de secours
recovery-mobile = Numéro de mobile
recovery-none = aucune
recovery-change-mail = Modifier mon adresse de secours
recovery-change-mobile = Modifier mon numéro de mobile
recovery-mail-title = Mon adresse de secours
recovery-mobile-title = Mon numéro de mobile
recovery-mail-intro = Donnez une adresse personnelle, que vous pourrez lire même sans votre mot de passe. Un code y sera envoyé : l'adresse n'est enregistrée qu'une fois ce code saisi.
recovery-mobile-intro = Donnez votre numéro de mobile. Un code y sera envoyé par SMS : le numéro n'est enregistré qu'une fois ce code saisi.
recovery-current-value = Actuellement : { $value }
recovery-new-mail = Nouvelle adresse de secours
recovery-new-mobile = Nouveau numéro de mobile
recovery-mail-hint = Par exemple prenom.nom@exemple.fr
recovery-mobile-hint = Par exemple 06 12 34 56 78 ou +33 6 12 34 56 78
recovery-current-hint = Par sécurité, saisissez de nouveau votre mot de passe actuel.
recovery-send-code = Envoyer un code
recovery-remove = Supprimer
recovery-back = Retour à mes données de secours
recovery-removed-title = Supprimé
recovery-mail-removed = Votre adresse de secours est supprimée ; un message le confirme à vos adresses. En cas de doute, contactez { $contact }.
recovery-mobile-removed = Votre numéro de mobile est supprimé ; un message le confirme à vos adresses. En cas de doute, contactez { $contact }.
recovery-not-sent-later = Aucun code ne peut être envoyé maintenant : réessayez après { $until }.
recovery-not-sent-cooldown = Un message vient d'être envoyé à votre compte : patientez une minute avant d'en demander un autre.
recovery-not-sent = Aucun code n'a pu être envoyé pour l'instant. Réessayez plus tard, laissez ces champs vides pour continuer, ou contactez { $contact }.
recovery-verify-title = Saisissez le code reçu
recovery-code-mail = Code reçu par e-mail
recovery-code-mobile = Code reçu par SMS
recovery-code-sent-mail = Un code vient d'être envoyé à { $value }.
recovery-code-sent-mobile = Un code vient d'être envoyé par SMS au { $value }.
recovery-changed-title = Modification enregistrée
recovery-mail-changed = Votre nouvelle adresse de secours est enregistrée ; un message le signale à vos adresses. En cas de doute, contactez { $contact }.
recovery-mobile-changed = Votre nouveau numéro de mobile est enregistré ; un message le signale à vos adresses et à l'ancien numéro. En cas de doute, contactez { $contact }.
recovery-restart = Ce code a expiré, ou votre mot de passe a été saisi il y a trop longtemps : recommencez la modification.
recovery-locked = Trop d'essais infructueux : les modifications sont bloquées un moment. Réessayez plus tard ou contactez { $contact }.

## Activer mon compte : les moyens de vous joindre.
activate-recovery-title = Vos moyens de secours
activate-recovery-intro = Si vous oubliez votre mot de passe, un code pourra vous être envoyé à ces adresses. Un code est envoyé à chaque valeur donnée, à saisir à l'étape suivante.
activate-recovery-optional = Vous pouvez laisser ces champs vides et les remplir plus tard dans « Gérer mon compte ».

## Ce n'était pas moi : un facteur de récupération modifié.
not-me-intro-question = La question secrète du compte { $login } a été modifiée le { $when }, depuis l'adresse IP { $address }.
not-me-intro-mail = L'adresse de secours du compte { $login } a été modifiée le { $when }, depuis l'adresse IP { $address }.
not-me-intro-mobile = Le numéro de mobile du compte { $login } a été modifié le { $when }, depuis l'adresse IP { $address }.
