# Texts of the e-mail flows: /code (EFP) and /temporary (CAF, Ecolesoft), in Italian.

email-button-next = Avanti
email-hours = { $n ->
    [one] { $n } ora
   *[other] { $n } ore
}
email-minutes = { $n ->
    [one] { $n } minuto
   *[other] { $n } minuti
}

code-title = Reimposta la mia password
code-intro = Inserisci l'indirizzo e-mail con cui accedi al tuo account.
code-field-identifier = Identificativo (e-mail)
code-field-identifier-placeholder = nome.cognome@esempio.it
code-request-hint = Riceverai un'e-mail con un codice di verifica necessario per il passo 2.
code-no-access = Buono a sapersi: se non hai più accesso all'indirizzo e-mail associato al tuo identificativo, contatta l'assistenza.
code-identifier-missing = Inserisci l'indirizzo e-mail collegato al tuo account.
code-verify-title = Inserisci il codice ricevuto
code-sent = Se esiste un account corrispondente a «{ $address }», ti è stata inviata un'e-mail con un codice.
code-sent-link = Inserisci il codice ricevuto via e-mail.
code-field = Codice di verifica ricevuto via e-mail
code-field-hint = 6 cifre, per esempio 2 3 8 3 9 2
code-spam = Il codice ti è stato inviato via e-mail. Se non l'hai ricevuto, controlla la cartella SPAM della tua casella di posta.
code-resend = Invia di nuovo il codice
code-resend-hint = Un nuovo codice si può richiedere { $seconds } secondi dopo il precedente; sostituisce allora il precedente.
code-resent = Se esiste un account corrispondente, ti è stato inviato un nuovo codice; il precedente non funziona più.
code-malformed = Il codice di verifica è composto da 6 cifre.
code-refused = Il codice inserito non è corretto o non è più valido.
code-refused-advice = Un codice vale una sola volta, scade dopo { $validity } e ammette solo { $tries } tentativi: dopo, richiedine uno nuovo con «Invia di nuovo il codice». Dopo { $max } errori, la reimpostazione viene bloccata per un po' di tempo.
code-password-title = Scegli la tua nuova password
code-success-title = Password modificata
code-success-text = La tua password è stata modificata correttamente.
code-success-login = La tua password è stata modificata: ora puoi accedere con il tuo identificativo e la nuova password.
code-link-title = Reimposta la mia password
code-link-intro = Hai aperto il link ricevuto via e-mail. Premi il pulsante per convalidare il codice e scegliere la nuova password.
code-link-button = Reimposta la mia password
code-link-invalid-title = Link non valido
code-link-invalid = Questo link non è più valido: il codice è scaduto, è già stato usato o è stato sostituito da uno nuovo. Richiedi un nuovo codice.
code-link-restart = Richiedi un nuovo codice

temporary-title = Password dimenticata
temporary-intro = Inserisci il tuo indirizzo e-mail o il tuo identificativo: ti verrà inviata via e-mail una password temporanea.
temporary-field-identifier = Indirizzo e-mail o identificativo
temporary-request-hint = L'indirizzo e-mail inserito deve corrispondere esattamente a quello registrato per il tuo account.
temporary-identifier-missing = Inserisci il tuo indirizzo e-mail o il tuo identificativo.
temporary-sent-title = Richiesta registrata
temporary-sent = Se esiste un account corrispondente, è stata inviata un'e-mail con la tua nuova password all'indirizzo inserito.
temporary-sent-on-file = Se esiste un account corrispondente, è stata inviata un'e-mail con la tua nuova password all'indirizzo registrato per quell'account.
temporary-sent-advice = Questa password temporanea è valida per { $validity } e va cambiata al primo accesso. Controlla anche la cartella della posta indesiderata.
temporary-sent-change = Cambia la mia password temporanea
code-resend-wait = È appena stato richiesto un codice: attendi ancora { $seconds } secondi prima di richiederne uno nuovo.
code-resend-restart = Per ricevere un nuovo codice, ricomincia dal primo passo.
