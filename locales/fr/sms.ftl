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
