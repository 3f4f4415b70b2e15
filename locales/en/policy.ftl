# Password rules: the list shown next to the field (policy-rule-*), the
# "3 of the 4" criteria (policy-class-*), the server's errors (policy-error-*,
# policy-input-*) and the live checklist's texts (policy-checklist-*).

## Rule list

policy-rule-length-min = At least { $min } characters
policy-rule-length-max = At most { $max } characters
policy-rule-length-range = Between { $min } and { $max } characters
policy-rule-min-classes = { $min ->
    [4] Meeting all 4 of the following criteria:
   *[other] Meeting { $min } of the following 4 criteria:
}
policy-class-lowercase = Contains a lowercase letter
policy-class-uppercase = Contains an uppercase letter
policy-class-digit = Contains a digit
policy-class-special = Contains a special character
policy-rule-min-uppercase = { $min ->
    [one] At least 1 uppercase letter
   *[other] At least { $min } uppercase letters
}
policy-rule-min-lowercase = { $min ->
    [one] At least 1 lowercase letter
   *[other] At least { $min } lowercase letters
}
policy-rule-min-digits = { $min ->
    [one] At least 1 digit
   *[other] At least { $min } digits
}
policy-rule-min-special = { $min ->
    [one] At least 1 special character
   *[other] At least { $min } special characters
}
policy-rule-forbidden-characters = None of these characters: { $chars }
policy-rule-forbid-login = Must not contain your login
policy-rule-forbid-attribute-values = Must not contain your first or last name
policy-rule-differ-from-current = Must differ from your current password
policy-rule-min-zxcvbn-score = Must not be easy to guess (common words, sequences, dates, personal details)
policy-rule-not-breached = Must not appear in a known password breach
policy-rule-history = { $count ->
    [one] Must differ from the last password you chose
   *[other] Must differ from the last { $count } passwords you chose
}

## Errors

policy-error-too-short = The password must be at least { $min } characters long.
policy-error-too-long = The password must be at most { $max } characters long.
policy-error-too-few-classes = { $min ->
    [4] The password must contain a lowercase letter, an uppercase letter, a digit and a special character.
   *[other] The password must meet at least { $min } of these 4 criteria: a lowercase letter, an uppercase letter, a digit, a special character.
}
policy-error-too-few-uppercase = { $min ->
    [one] The password must contain at least one uppercase letter.
   *[other] The password must contain at least { $min } uppercase letters.
}
policy-error-too-few-lowercase = { $min ->
    [one] The password must contain at least one lowercase letter.
   *[other] The password must contain at least { $min } lowercase letters.
}
policy-error-too-few-digits = { $min ->
    [one] The password must contain at least one digit.
   *[other] The password must contain at least { $min } digits.
}
policy-error-too-few-special = { $min ->
    [one] The password must contain at least one special character (punctuation, symbol).
   *[other] The password must contain at least { $min } special characters (punctuation, symbols).
}
policy-error-forbidden-character = The password must not contain any of these characters: { $chars }
policy-error-contains-login = The password must not contain your login.
policy-error-contains-name = The password must not contain your first or last name.
policy-error-same-as-current = The new password must differ from your current password.
policy-error-too-guessable = This password is too easy to guess: avoid common words, sequences (1234, qwerty), dates and personal details. A phrase of several words is safer.
policy-error-breached = This password appears in a known password breach: it is among the first an attacker tries. Choose another one.
policy-error-in-history = { $count ->
    [0] You have used this password recently: please choose another one.
    [one] The password must differ from the last password you chose.
   *[other] The password must differ from the last { $count } passwords you chose.
}
policy-error-too-soon = Your password was changed too recently: please try again later.
policy-error-refused-by-directory = This password does not meet the directory's security policy: please choose another one.

## Invalid input

policy-input-empty = Please enter a password.
policy-input-only-spaces = The password cannot consist of spaces only.
policy-input-control-character = The password contains an invisible character (line break, tab…) that is not accepted.
policy-input-too-long = The password is too long: { $max } characters at most.
policy-input-invalid-utf8 = The password contains unreadable characters (not UTF-8 text): please type it again.

## Live checklist

# { $passed } and { $total } stay as they are: the script replaces them.
policy-checklist-status = { $passed } of { $total } criteria met
policy-checklist-met = criterion met
policy-checklist-unmet = criterion not met
policy-checklist-show = Show
policy-checklist-hide = Hide
policy-checklist-show-label = Show the password
policy-checklist-confirm-match = Both passwords match.
policy-checklist-confirm-mismatch = The two passwords do not match.
policy-strength-label = Password strength
policy-strength-levels = very weak|weak|fair|good|very good
policy-strength-status = Strength: { $level }
policy-strength-deferred = The strength of this password will be checked when you send the form.
