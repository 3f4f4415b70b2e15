# Password rules (Italian): the list shown next to the field (policy-rule-*),
# the "3 of the 4" criteria (policy-class-*), the server's errors
# (policy-error-*, policy-input-*) and the live checklist's texts.

## Rule list

policy-rule-length-min = Almeno { $min } caratteri
policy-rule-length-max = Al massimo { $max } caratteri
policy-rule-length-range = Tra { $min } e { $max } caratteri
policy-rule-min-classes = { $min ->
    [4] Rispettare tutti i 4 criteri seguenti:
   *[other] Rispettare { $min } dei 4 criteri seguenti:
}
policy-class-lowercase = Contiene una lettera minuscola
policy-class-uppercase = Contiene una lettera maiuscola
policy-class-digit = Contiene una cifra
policy-class-special = Contiene un carattere speciale
policy-rule-min-uppercase = { $min ->
    [one] Almeno 1 lettera maiuscola
   *[other] Almeno { $min } lettere maiuscole
}
policy-rule-min-lowercase = { $min ->
    [one] Almeno 1 lettera minuscola
   *[other] Almeno { $min } lettere minuscole
}
policy-rule-min-digits = { $min ->
    [one] Almeno 1 cifra
   *[other] Almeno { $min } cifre
}
policy-rule-min-special = { $min ->
    [one] Almeno 1 carattere speciale
   *[other] Almeno { $min } caratteri speciali
}
policy-rule-forbidden-characters = Nessuno di questi caratteri: { $chars }
policy-rule-forbid-login = Non deve contenere il tuo nome utente
policy-rule-forbid-attribute-values = Non deve contenere il tuo nome né il tuo cognome
policy-rule-differ-from-current = Deve essere diversa dalla password attuale
policy-rule-min-zxcvbn-score = Non deve essere facile da indovinare (parole comuni, sequenze, date, dati personali)
policy-rule-not-breached = Non deve comparire in una fuga di password nota
policy-rule-history = { $count ->
    [one] Deve essere diversa dall'ultima password che hai scelto
   *[other] Deve essere diversa dalle ultime { $count } password che hai scelto
}

## Errors

policy-error-too-short = La password deve contenere almeno { $min } caratteri.
policy-error-too-long = La password non deve superare { $max } caratteri.
policy-error-too-few-classes = { $min ->
    [4] La password deve contenere una lettera minuscola, una maiuscola, una cifra e un carattere speciale.
   *[other] La password deve rispettare almeno { $min } di questi 4 criteri: una lettera minuscola, una maiuscola, una cifra, un carattere speciale.
}
policy-error-too-few-uppercase = { $min ->
    [one] La password deve contenere almeno una lettera maiuscola.
   *[other] La password deve contenere almeno { $min } lettere maiuscole.
}
policy-error-too-few-lowercase = { $min ->
    [one] La password deve contenere almeno una lettera minuscola.
   *[other] La password deve contenere almeno { $min } lettere minuscole.
}
policy-error-too-few-digits = { $min ->
    [one] La password deve contenere almeno una cifra.
   *[other] La password deve contenere almeno { $min } cifre.
}
policy-error-too-few-special = { $min ->
    [one] La password deve contenere almeno un carattere speciale (punteggiatura, simbolo).
   *[other] La password deve contenere almeno { $min } caratteri speciali (punteggiatura, simboli).
}
policy-error-forbidden-character = La password non deve contenere nessuno di questi caratteri: { $chars }
policy-error-contains-login = La password non deve contenere il tuo nome utente.
policy-error-contains-name = La password non deve contenere il tuo nome né il tuo cognome.
policy-error-same-as-current = La nuova password deve essere diversa dalla password attuale.
policy-error-too-guessable = Questa password è troppo facile da indovinare: evita parole comuni, sequenze (1234, qwerty), date e dati personali. Una frase di più parole è più sicura.
policy-error-breached = Questa password compare in una fuga di password nota: è tra le prime che un attaccante prova. Scegline un'altra.
policy-error-in-history = { $count ->
    [0] Hai già usato questa password di recente: scegline un'altra.
    [one] La password deve essere diversa dall'ultima password che hai scelto.
   *[other] La password deve essere diversa dalle ultime { $count } password che hai scelto.
}
policy-error-too-soon = La tua password è stata cambiata troppo di recente: riprova più tardi.
policy-error-refused-by-directory = Questa password non rispetta la politica di sicurezza della directory: scegline un'altra.

## Invalid input

policy-input-empty = Inserisci una password.
policy-input-only-spaces = La password non può essere composta solo da spazi.
policy-input-control-character = La password contiene un carattere invisibile (a capo, tabulazione…) che non è accettato.
policy-input-too-long = La password è troppo lunga: al massimo { $max } caratteri.
policy-input-invalid-utf8 = La password contiene caratteri illeggibili (testo non UTF-8): inseriscila di nuovo.

## Live checklist

# { $passed } and { $total } stay as they are: the script replaces them.
policy-checklist-status = { $passed } criteri su { $total } rispettati
policy-checklist-met = criterio rispettato
policy-checklist-unmet = criterio non rispettato
policy-checklist-show = Mostra
policy-checklist-hide = Nascondi
policy-checklist-show-label = Mostra la password
policy-checklist-confirm-match = Le due password coincidono.
policy-checklist-confirm-mismatch = Le due password non coincidono.
policy-strength-label = Robustezza della password
policy-strength-levels = molto debole|debole|media|buona|molto buona
policy-strength-status = Robustezza: { $level }
policy-strength-deferred = La robustezza di questa password verrà verificata all'invio del modulo.
