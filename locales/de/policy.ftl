# Password rules (German): the list shown next to the field (policy-rule-*),
# the "3 of the 4" criteria (policy-class-*), the server's errors
# (policy-error-*, policy-input-*) and the live checklist's texts.

## Rule list

policy-rule-length-min = Mindestens { $min } Zeichen
policy-rule-length-max = Höchstens { $max } Zeichen
policy-rule-length-range = Zwischen { $min } und { $max } Zeichen
policy-rule-min-classes = { $min ->
    [4] Erfüllt alle 4 folgenden Kriterien:
   *[other] Erfüllt { $min } der 4 folgenden Kriterien:
}
policy-class-lowercase = Enthält einen Kleinbuchstaben
policy-class-uppercase = Enthält einen Großbuchstaben
policy-class-digit = Enthält eine Ziffer
policy-class-special = Enthält ein Sonderzeichen
policy-rule-min-uppercase = { $min ->
    [one] Mindestens 1 Großbuchstabe
   *[other] Mindestens { $min } Großbuchstaben
}
policy-rule-min-lowercase = { $min ->
    [one] Mindestens 1 Kleinbuchstabe
   *[other] Mindestens { $min } Kleinbuchstaben
}
policy-rule-min-digits = { $min ->
    [one] Mindestens 1 Ziffer
   *[other] Mindestens { $min } Ziffern
}
policy-rule-min-special = { $min ->
    [one] Mindestens 1 Sonderzeichen
   *[other] Mindestens { $min } Sonderzeichen
}
policy-rule-forbidden-characters = Keines dieser Zeichen: { $chars }
policy-rule-forbid-login = Darf Ihren Benutzernamen nicht enthalten
policy-rule-forbid-attribute-values = Darf weder Ihren Vor- noch Ihren Nachnamen enthalten
policy-rule-differ-from-current = Muss sich von Ihrem aktuellen Passwort unterscheiden
policy-rule-min-zxcvbn-score = Darf nicht leicht zu erraten sein (gängige Wörter, Zeichenfolgen, Daten, persönliche Angaben)
policy-rule-not-breached = Darf in keinem bekannten Passwort-Leak vorkommen
policy-rule-history = { $count ->
    [one] Muss sich von dem zuletzt gewählten Passwort unterscheiden
   *[other] Muss sich von den { $count } zuletzt gewählten Passwörtern unterscheiden
}

## Errors

policy-error-too-short = Das Passwort muss mindestens { $min } Zeichen lang sein.
policy-error-too-long = Das Passwort darf höchstens { $max } Zeichen lang sein.
policy-error-too-few-classes = { $min ->
    [4] Das Passwort muss einen Kleinbuchstaben, einen Großbuchstaben, eine Ziffer und ein Sonderzeichen enthalten.
   *[other] Das Passwort muss mindestens { $min } dieser 4 Kriterien erfüllen: ein Kleinbuchstabe, ein Großbuchstabe, eine Ziffer, ein Sonderzeichen.
}
policy-error-too-few-uppercase = { $min ->
    [one] Das Passwort muss mindestens einen Großbuchstaben enthalten.
   *[other] Das Passwort muss mindestens { $min } Großbuchstaben enthalten.
}
policy-error-too-few-lowercase = { $min ->
    [one] Das Passwort muss mindestens einen Kleinbuchstaben enthalten.
   *[other] Das Passwort muss mindestens { $min } Kleinbuchstaben enthalten.
}
policy-error-too-few-digits = { $min ->
    [one] Das Passwort muss mindestens eine Ziffer enthalten.
   *[other] Das Passwort muss mindestens { $min } Ziffern enthalten.
}
policy-error-too-few-special = { $min ->
    [one] Das Passwort muss mindestens ein Sonderzeichen enthalten (Satzzeichen, Symbol).
   *[other] Das Passwort muss mindestens { $min } Sonderzeichen enthalten (Satzzeichen, Symbole).
}
policy-error-forbidden-character = Das Passwort darf keines dieser Zeichen enthalten: { $chars }
policy-error-contains-login = Das Passwort darf Ihren Benutzernamen nicht enthalten.
policy-error-contains-name = Das Passwort darf weder Ihren Vor- noch Ihren Nachnamen enthalten.
policy-error-same-as-current = Das neue Passwort muss sich von Ihrem aktuellen Passwort unterscheiden.
policy-error-too-guessable = Dieses Passwort ist zu leicht zu erraten: Vermeiden Sie gängige Wörter, Zeichenfolgen (1234, qwertz), Daten und persönliche Angaben. Ein Satz aus mehreren Wörtern ist sicherer.
policy-error-breached = Dieses Passwort kommt in einem bekannten Passwort-Leak vor: Es gehört zu den ersten, die ein Angreifer ausprobiert. Wählen Sie ein anderes.
policy-error-in-history = { $count ->
    [0] Sie haben dieses Passwort kürzlich schon verwendet: Wählen Sie ein anderes.
    [one] Das Passwort muss sich von dem zuletzt gewählten Passwort unterscheiden.
   *[other] Das Passwort muss sich von den { $count } zuletzt gewählten Passwörtern unterscheiden.
}
policy-error-too-soon = Ihr Passwort wurde erst vor Kurzem geändert: Versuchen Sie es später erneut.
policy-error-refused-by-directory = Dieses Passwort entspricht nicht der Sicherheitsrichtlinie des Verzeichnisses: Wählen Sie ein anderes.

## Invalid input

policy-input-empty = Geben Sie ein Passwort ein.
policy-input-only-spaces = Das Passwort darf nicht nur aus Leerzeichen bestehen.
policy-input-control-character = Das Passwort enthält ein unsichtbares Zeichen (Zeilenumbruch, Tabulator …), das nicht zulässig ist.
policy-input-too-long = Das Passwort ist zu lang: höchstens { $max } Zeichen.
policy-input-invalid-utf8 = Das Passwort enthält unlesbare Zeichen (kein UTF-8-Text): Geben Sie es erneut ein.

## Live checklist

# { $passed } and { $total } stay as they are: the script replaces them.
policy-checklist-status = { $passed } von { $total } Kriterien erfüllt
policy-checklist-met = Kriterium erfüllt
policy-checklist-unmet = Kriterium nicht erfüllt
policy-checklist-show = Anzeigen
policy-checklist-hide = Verbergen
policy-checklist-show-label = Passwort anzeigen
policy-checklist-confirm-match = Die beiden Passwörter stimmen überein.
policy-checklist-confirm-mismatch = Die beiden Passwörter stimmen nicht überein.
policy-strength-label = Passwortstärke
policy-strength-levels = sehr schwach|schwach|mittel|gut|sehr gut
policy-strength-status = Stärke: { $level }
policy-strength-deferred = Die Stärke dieses Passworts wird beim Absenden des Formulars geprüft.
