# Les mots des systèmes d'origine (config/presets/), que chaque préréglage
# place sur ses pages par la section [texts] de la configuration. Le texte
# est celui des procédures d'origine ; **…** y marque ce qu'elles mettent en
# gras.

button-cancel = Annuler

## Caf (services.caf.fr et Partenaires) : sur chaque page

caf-notice-reserved = Ce service professionnel **est réservé aux seules personnes habilitées.** Si vous n'êtes pas l'une d'entre elles, l'accès et le maintien dans ce site pourront être poursuivis au titre de la Loi n° 88-19 du 5 Janvier 1988 (dite loi Godfrain), de même que les tentatives pour fausser ou entraver son fonctionnement.
caf-notice-commitment = En accédant à ce service, vous vous engagez à limiter l'utilisation des informations auxquelles vous avez accès aux missions et finalités définies dans la convention signée entre la Caf et votre organisme.
caf-notice-personal = Votre hiérarchie vous a communiqué des droits d'accès **qui vous sont personnellement affectés**, et qui ont été notifiés au gestionnaire des habilitations de la Caf. Afin de garantir la confidentialité des données, et d'éviter toute intrusion, **vous ne devez jamais communiquer ni partager votre identifiant et votre mot de passe**. En cas de non-respect, votre responsabilité personnelle pourra être recherchée et la convention dénoncée.
caf-why-change-title = Pourquoi changer son mot de passe ?
caf-why-change = Pour des raisons de sécurité, pensez à changer régulièrement votre mot de passe.
caf-personalise = Par mesure de sécurité, veuillez maintenant personnaliser votre mot de passe.
caf-captcha-why-title = À quoi ça sert ?
caf-captcha-why = Cette fonctionnalité nous aide à empêcher des programmes automatisés de réinitialiser les mots de passe.
caf-captcha-how = Saisissez le texte tel qu'il apparaît dans l'image. N'insérez pas d'espace entre les lettres.
caf-identifier-from-admin = L'identifiant peut être communiqué par l'administrateur de l'organisme concerné.
caf-temporary-copy = Saisissez votre identifiant et le mot de passe provisoire reçu par courriel (il est recommandé de faire un « copier/coller » pour le mot de passe).

## Ecolesoft (Accès famille)

ecolesoft-change-why = **Pour améliorer la sécurité de votre application, nous vous demandons de saisir un nouveau mot de passe.**
ecolesoft-change-criteria = Veuillez choisir un nouveau mot de passe répondant aux critères suivants :
ecolesoft-login-again = Après l'enregistrement de ce nouveau mot de passe, connectez-vous de nouveau avec le mot de passe que vous venez de créer.

## EFP Connect

efp-password-lead = Choisissez votre nouveau mot de passe. Ce dernier doit respecter les critères notés ci-dessous.
efp-no-access = **Bon à savoir :** si vous n'avez plus accès à l'adresse e-mail associée à votre identifiant, il vous faudra créer un nouveau compte avec une adresse mail valide. Les communications importantes passeront par cet e-mail.
