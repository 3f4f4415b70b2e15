# Règles de mot de passe : la liste affichée à côté du champ (policy-rule-*),
# les critères « 3 des 4 » (policy-class-*), les erreurs du serveur
# (policy-error-*, policy-input-*) et les textes de la liste dynamique
# (policy-checklist-*). Formulations reprises des services d'origine.

## Liste des règles

policy-rule-length-min = { $min } caractères minimum
policy-rule-length-max = { $max } caractères maximum
policy-rule-length-range = Entre { $min } et { $max } caractères
policy-rule-min-classes = { $min ->
    [4] Respectant les 4 critères suivants :
   *[other] Respectant { $min } des 4 critères suivants :
}
policy-class-lowercase = Contient une minuscule
policy-class-uppercase = Contient une majuscule
policy-class-digit = Contient un chiffre
policy-class-special = Contient un caractère spécial
policy-rule-min-uppercase = { $min ->
    [one] Au moins 1 majuscule
   *[other] Au moins { $min } majuscules
}
policy-rule-min-lowercase = { $min ->
    [one] Au moins 1 minuscule
   *[other] Au moins { $min } minuscules
}
policy-rule-min-digits = { $min ->
    [one] Au moins 1 chiffre
   *[other] Au moins { $min } chiffres
}
policy-rule-min-special = { $min ->
    [one] Au moins 1 caractère spécial
   *[other] Au moins { $min } caractères spéciaux
}
policy-rule-forbidden-characters = Ne contient aucun de ces caractères : { $chars }
policy-rule-forbid-login = Ne doit pas contenir votre login
policy-rule-forbid-attribute-values = Ne doit pas contenir votre nom ni votre prénom
policy-rule-differ-from-current = Doit être différent de votre mot de passe actuel
policy-rule-min-zxcvbn-score = Ne doit pas être facile à deviner (mots courants, suites, dates, informations personnelles)
policy-rule-not-breached = N'apparaît pas dans une fuite de mots de passe connue
policy-rule-history = { $count ->
    [one] Doit être différent du dernier mot de passe que vous avez choisi
   *[other] Doit être différent des { $count } derniers mots de passe que vous avez choisis
}

## Erreurs

policy-error-too-short = Le mot de passe doit contenir au moins { $min } caractères.
policy-error-too-long = Le mot de passe ne doit pas dépasser { $max } caractères.
policy-error-too-few-classes = { $min ->
    [4] Le mot de passe doit contenir une minuscule, une majuscule, un chiffre et un caractère spécial.
   *[other] Le mot de passe doit respecter au moins { $min } de ces 4 critères : une minuscule, une majuscule, un chiffre, un caractère spécial.
}
policy-error-too-few-uppercase = { $min ->
    [one] Le mot de passe doit contenir au moins une majuscule.
   *[other] Le mot de passe doit contenir au moins { $min } majuscules.
}
policy-error-too-few-lowercase = { $min ->
    [one] Le mot de passe doit contenir au moins une minuscule.
   *[other] Le mot de passe doit contenir au moins { $min } minuscules.
}
policy-error-too-few-digits = { $min ->
    [one] Le mot de passe doit contenir au moins un chiffre.
   *[other] Le mot de passe doit contenir au moins { $min } chiffres.
}
policy-error-too-few-special = { $min ->
    [one] Le mot de passe doit contenir au moins un caractère spécial (ponctuation, symbole).
   *[other] Le mot de passe doit contenir au moins { $min } caractères spéciaux (ponctuation, symboles).
}
policy-error-forbidden-character = Le mot de passe ne doit contenir aucun de ces caractères : { $chars }
policy-error-contains-login = Le mot de passe ne doit pas contenir votre login.
policy-error-contains-name = Le mot de passe ne doit pas contenir votre nom ni votre prénom.
policy-error-same-as-current = Le nouveau mot de passe doit être différent de votre mot de passe actuel.
policy-error-too-guessable = Ce mot de passe est trop facile à deviner : évitez les mots courants, les suites (1234, azerty), les dates et vos informations personnelles. Une phrase de plusieurs mots est plus sûre.
policy-error-breached = Ce mot de passe apparaît dans une fuite de mots de passe connue : c'est l'un des premiers qu'un attaquant essaie. Choisissez-en un autre.
policy-error-in-history = { $count ->
    [0] Vous avez déjà utilisé ce mot de passe récemment : choisissez-en un autre.
    [one] Le mot de passe doit être différent du dernier mot de passe que vous avez choisi.
   *[other] Le mot de passe doit être différent des { $count } derniers mots de passe que vous avez choisis.
}
policy-error-too-soon = Votre mot de passe a été changé trop récemment : réessayez plus tard.
policy-error-refused-by-directory = Ce mot de passe ne respecte pas la politique de sécurité de l'annuaire : choisissez-en un autre.

## Saisie invalide

policy-input-empty = Saisissez un mot de passe.
policy-input-only-spaces = Le mot de passe ne peut pas être composé uniquement d'espaces.
policy-input-control-character = Le mot de passe contient un caractère invisible (retour à la ligne, tabulation…) qui n'est pas accepté.
policy-input-too-long = Le mot de passe est trop long : { $max } caractères au maximum.
policy-input-invalid-utf8 = Le mot de passe contient des caractères illisibles (texte non UTF-8) : saisissez-le à nouveau.

## Liste dynamique

# { $passed } et { $total } restent tels quels : le script les remplace.
policy-checklist-status = { $passed } critères sur { $total } remplis
policy-checklist-met = critère rempli
policy-checklist-unmet = critère non rempli
policy-checklist-show = Afficher
policy-checklist-hide = Masquer
policy-checklist-show-label = Afficher le mot de passe
policy-checklist-confirm-match = Les deux mots de passe sont identiques.
policy-checklist-confirm-mismatch = Les deux mots de passe ne sont pas identiques.
policy-strength-label = Robustesse du mot de passe
policy-strength-levels = très faible|faible|moyenne|bonne|très bonne
policy-strength-status = Robustesse : { $level }
policy-strength-deferred = La robustesse de ce mot de passe sera vérifiée à l'envoi du formulaire.
