# Textes des parcours « Activer mon compte », « Gérer mon compte » et
# « Changer mon mot de passe » (mot de passe provisoire). Français, langue
# par défaut ; vocabulaire du portail Sésame (UPHF) et des pages CAF.

## Activer mon compte

activate-title = Activer mon compte
activate-intro = Première utilisation de votre compte : identifiez-vous avec votre numéro personnel et votre date de naissance, puis choisissez votre question secrète et votre mot de passe.
activate-already-title = Compte déjà activé
activate-already-text = Ce compte est déjà activé : une question secrète est enregistrée. Si vous avez oublié votre mot de passe, utilisez « Récupérer mon mot de passe ».
activate-already-link = Récupérer mon mot de passe
activate-question-title = Choisissez votre question secrète
activate-question-intro = Cette question (question joker) vous sera posée si vous oubliez votre mot de passe. Choisissez une réponse dont vous vous souviendrez et que personne ne peut deviner.
activate-field-question = Question secrète
activate-field-question-own = Ma propre question
activate-field-own-question = Votre question
activate-field-own-question-hint = Entre { $min } et { $max } caractères.
activate-field-answer = Réponse
activate-field-answer-hint = Au moins { $min } caractères ; les majuscules, les accents et les espaces en trop ne comptent pas.
activate-field-answer-confirm = Confirmation de la réponse
activate-question-missing = Choisissez une question, ou écrivez la vôtre.
activate-question-length = Votre question doit compter entre { $min } et { $max } caractères.
activate-answer-too-short = La réponse doit compter au moins { $min } caractères.
activate-answer-mismatch = La confirmation ne correspond pas à la réponse.
activate-answer-is-login = La réponse ne doit pas être votre identifiant.
activate-answer-is-birth-date = La réponse ne doit pas être votre date de naissance.
activate-password-title = Choisissez votre mot de passe
activate-success-title = Compte activé
activate-secret-not-saved = Votre mot de passe a bien été enregistré, mais pas votre question secrète : recommencez l'activation pour la choisir, ou contactez { $contact }.

## Gérer mon compte

account-title = Gérer mon compte
account-intro = Connectez-vous avec votre identifiant et votre mot de passe actuel.
account-field-login = Identifiant
account-field-login-placeholder = Saisir votre identifiant
account-field-password = Mot de passe actuel
account-login-missing = Saisissez votre identifiant.
account-password-missing = Saisissez votre mot de passe actuel.
account-login-failed = Identifiant ou mot de passe incorrect. Après plusieurs essais infructueux, un compte est verrouillé pour un moment : réessayez plus tard.
account-locked = Ce compte est temporairement verrouillé après trop d'essais infructueux. Réessayez plus tard ou contactez { $contact }.
account-temporary = Votre mot de passe actuel est un mot de passe provisoire : personnalisez-le d'abord.
account-temporary-link = Personnaliser mon mot de passe
account-menu-title = Mon compte
account-menu-intro = Vous êtes connecté en tant que { $login }. Que souhaitez-vous faire ?
account-change-password = Changer mon mot de passe
account-change-question = Changer ma question
account-logout = Me déconnecter
account-logged-out-title = Déconnexion
account-logged-out = Vous êtes déconnecté.
account-password-title = Changer mon mot de passe
account-question-title = Changer ma question secrète
account-question-done-title = Question enregistrée
account-question-done = Votre nouvelle question secrète et sa réponse sont enregistrées.
account-back = Retour à mon compte

## Changer mon mot de passe (mot de passe provisoire)

change-title = Changer mon mot de passe
change-intro = Saisissez votre identifiant et votre mot de passe actuel (le mot de passe provisoire reçu par mail, le cas échéant).
change-password-title = Personnaliser votre mot de passe
change-password-intro = Par mesure de sécurité, veuillez maintenant personnaliser votre mot de passe.
change-field-current = Mot de passe actuel
change-field-confirmation = Confirmation mot de passe
change-current-missing = Saisissez votre mot de passe actuel.
change-current-wrong = Le mot de passe actuel est incorrect.
change-current-too-often = Le mot de passe actuel a été saisi de façon incorrecte trop de fois. Par sécurité, la procédure est interrompue : identifiez-vous à nouveau.
change-sign-in-again = S'identifier à nouveau
change-expired-title = Mot de passe provisoire expiré
change-expired-text = Ce mot de passe provisoire a expiré : il ne peut plus être utilisé. Demandez-en un nouveau.
change-expired-link = Demander un nouveau mot de passe provisoire
change-expired-contact = Pour obtenir un nouveau mot de passe provisoire, contactez { $contact }.
activate-in-use-hint = Si votre compte est déjà en service, connectez-vous à « Gérer mon compte » pour choisir votre question secrète.

## « Ce n'était pas moi » (the link of the "password changed" mail)
not-me-title = Ce n'était pas moi
not-me-intro = Le mot de passe du compte { $login } a été modifié le { $when }, depuis l'adresse IP { $address }.
not-me-explain = Si ce n'est pas vous, appuyez sur le bouton : plus personne ne pourra changer le mot de passe de ce compte sur ce site, et l'assistance ({ $contact }) sera prévenue pour vous aider à reprendre la main. Rien n'est fait tant que vous n'appuyez pas.
not-me-button = Ce n'était pas moi : bloquer et prévenir l'assistance
not-me-done-title = Signalement enregistré
not-me-done = Les changements de mot de passe en libre-service sont bloqués pour votre compte, et l'assistance a reçu les détails de la modification (date, adresse IP, navigateur).
not-me-next = L'assistance ({ $contact }) va vérifier votre identité par un moyen sûr, vous donner un nouveau mot de passe, puis débloquer le compte. Si vous utilisez le même mot de passe ailleurs, changez-le aussi.
not-me-invalid-title = Lien non valide
not-me-invalid = Ce lien n'est pas valide ou a expiré.
not-me-superseded = Ce lien ne vaut plus : le mot de passe a été modifié de nouveau depuis.
not-me-used = Ce signalement a déjà été enregistré : le libre-service est bloqué pour ce compte et l'assistance a été prévenue.
not-me-contact = En cas de doute, contactez { $contact }.

## The built-in secret questions (stored on the entry in French)
question-first-pet = Quel est le nom de votre premier animal de compagnie ?
question-birth-city = Dans quelle ville êtes-vous né(e) ?
question-primary-school = Quel était le nom de votre école primaire ?
