# The mails sent to the person, in Italian (see locales/fr/mail.ftl).
# { $date } { $time } { $offset }: "29/11/2026", "07:42", "UTC+01:00".

mail-greeting = Buongiorno,
mail-greeting-named = Buongiorno { $name },
mail-footer-auto = Questo messaggio è stato inviato automaticamente: ti preghiamo di non rispondere.
mail-footer-auto-site = Questo messaggio è stato inviato automaticamente da { $site }: ti preghiamo di non rispondere.
mail-footer-help = Serve aiuto? Contatta { $contact }.

## Password changed

mail-changed-subject = { $site }: la tua password è stata modificata
mail-changed-what = La password del tuo account { $login } è stata modificata il { $date } alle { $time } ({ $offset }) dall'indirizzo IP { $address }.
mail-changed-services = Da ora la nuova password vale per:
mail-changed-if-you = Se hai fatto tu questa modifica, non devi fare nient'altro.
mail-changed-if-not = Se non sei stato tu, qualcun altro potrebbe conoscere la tua password:
mail-changed-report-link = segnalalo aprendo questo link (valido { $days } giorni), che blocca le modifiche in self-service e avvisa l'assistenza:
mail-changed-report-button = segnalalo con questo link (valido { $days } giorni), che blocca le modifiche in self-service e avvisa l'assistenza:
mail-changed-report-label = Non sono stato io
mail-changed-contact = contatta subito { $contact }.

## Password about to expire

mail-expiring-subject = { $days ->
    [one] { $site }: la tua password scade tra { $days } giorno
   *[other] { $site }: la tua password scade tra { $days } giorni
}
mail-expiring-what = { $days ->
    [one] La password del tuo account { $login } scade il { $date } alle { $time } (tra { $days } giorno). Dopo questa data non potrai più accedere.
   *[other] La password del tuo account { $login } scade il { $date } alle { $time } (tra { $days } giorni). Dopo questa data non potrai più accedere.
}
mail-expiring-change = Cambiala subito in «Gestisci il mio account»:
mail-expiring-change-label = Gestisci il mio account

## Forgotten login

mail-identifier-subject = { $site }: il tuo nome utente
mail-identifier-asked = Hai chiesto di ricevere il tuo nome utente.
mail-identifier-yours = Il tuo nome utente: { $login }
mail-identifier-use = Usalo con la tua password per accedere ai servizi di { $site }.
mail-identifier-not-you = Se non hai fatto tu questa richiesta, puoi ignorare questo messaggio: è stato inviato solo a te. In caso di dubbio, contatta { $contact }.

## Reset code

mail-code-subject = { $site }: reimpostazione della tua password
mail-code-asked = Hai chiesto di reimpostare la tua password.
mail-code-here = Per confermare la richiesta, ecco il codice di reimpostazione da inserire:
mail-code-once = Questo codice si può usare una sola volta. Scadrà tra { $validity }.
mail-code-or-link = Puoi anche aprire questo link:
mail-code-or-button = Puoi anche fare clic sul pulsante qui sotto:
mail-code-button = Reimposta la mia password
mail-code-not-you = Se non hai fatto tu questa richiesta, ignora questo messaggio: la tua password resta invariata. In caso di dubbio, contatta { $contact }.

## Temporary password

mail-temporary-subject = { $site }: la tua password temporanea
mail-temporary-asked = Hai chiesto di reimpostare la tua password.
mail-temporary-here = Ecco una password temporanea per accedere:
mail-temporary-login = Nome utente:
mail-temporary-password = Password temporanea:
mail-temporary-valid = È valida per { $validity }.
mail-temporary-must-change = Dovrai cambiare questa password al primo accesso.
mail-temporary-sign-in = Accedi qui per scegliere la tua nuova password:
mail-temporary-button = Scegli la mia nuova password
mail-temporary-not-you = Se non hai fatto tu questa richiesta, contatta subito { $contact }.

## A password found in a breach list (passerelle breach-sweep --notify)

mail-breached-subject = { $site }: la tua password è in un elenco di password divulgate
mail-breached-what = La password attuale del tuo account { $login } è in un elenco di password divulgate in fughe di dati di altri siti. Non è stata rubata da noi, ma chiunque possieda quell'elenco può provarla sul tuo account.
mail-breached-change = Scegline subito una nuova, senza bisogno di quella vecchia:
mail-breached-change-label = Scegli una nuova password
mail-breached-must-change = Finché non l'avrai cambiata, ti verrà chiesto di farlo al prossimo accesso.
mail-breached-never-ask = Non ti chiederemo mai la password per e-mail. Se hai dubbi su questo messaggio, vai direttamente sul sito di { $site } o contatta { $contact }.
