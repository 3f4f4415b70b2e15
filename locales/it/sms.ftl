# Issue 21: code by SMS, choice of channel, the person's recovery data
# (address and mobile) and the notice of every change.

## The SMS texts, kept to the GSM alphabet (à, è, é, ì, ò, ù are in it; the
## curly apostrophe is not and would send the SMS in UCS-2, 70 characters instead of 160).
sms-text-code = { $site }: il tuo codice è { $code }. Scade tra { $minutes } min. Non darlo a nessuno.
sms-text-verify = { $site }: il codice per confermare questo numero è { $code } (valido { $minutes } min). Se non hai richiesto nulla, ignora questo messaggio.
sms-text-mobile-changed = { $site }: dal { $when } questo numero non è più il cellulare di recupero del tuo account. Se non sei stato tu, controlla la tua e-mail o contatta { $contact }.

## Why a number cannot receive a code (docs/sms.md).
sms-number-empty = Inserisci un numero di cellulare.
sms-number-not-a-number = Questo non è un numero di telefono: inserisci solo cifre, per esempio 06 12 34 56 78 o +33 6 12 34 56 78.
sms-number-unknown-country-code = Questo prefisso internazionale non esiste.
sms-number-too-short = Questo numero è troppo corto.
sms-number-too-long = Questo numero è troppo lungo.
sms-number-invalid = Questo numero non esiste in questa forma.
sms-number-country-not-allowed = Non è possibile inviare SMS verso questo paese.
sms-number-landline = È un numero di telefono fisso: non può ricevere SMS. Indica un numero di cellulare.
sms-number-maybe-landline = Questo numero potrebbe essere un fisso: indica un numero di cellulare.
sms-number-premium-rate = È un numero a tariffazione speciale: non vi viene inviato alcun codice. Indica un numero di cellulare.
sms-number-shared-cost = È un numero a costo ripartito: indica un numero di cellulare.
sms-number-toll-free = È un numero verde: indica un numero di cellulare.
sms-number-not-mobile = Non è un numero di cellulare: indica un numero di cellulare.
sms-number-disabled = Gli SMS non sono disponibili su questo sito.

## Recovery data: what is refused.
recovery-value-missing = Inserisci un valore.
recovery-mail-invalid = Inserisci un indirizzo e-mail valido, per esempio nome.cognome@esempio.it.
recovery-mail-institutional = È l'indirizzo del tuo istituto: indica un indirizzo personale, che potrai leggere anche senza questa password.
recovery-value-unchanged = È già quello del tuo account.
recovery-nothing-to-remove = Il tuo account non ne ha.
recovery-code-wrong = Questo codice non è corretto.

## Receive a code by SMS (/sms).
flow-sms-title = Ricevi un codice via SMS
flow-sms-summary = Un codice di 6 cifre inviato al tuo cellulare, dopo il tuo numero personale e la tua data di nascita.
sms-title = Ricevi un codice via SMS
sms-intro = Identificati con il tuo numero personale e la tua data di nascita: ti verrà poi inviato un codice sul cellulare del tuo account o, se preferisci, al tuo indirizzo e-mail di recupero.
sms-channel-title = Dove inviare il codice?
sms-channel-intro = Ecco i recapiti registrati per il tuo account (in parte nascosti).
sms-channel-legend = Invia il codice
sms-channel-mobile = via SMS al { $number }
sms-channel-mail = via e-mail a { $address }
sms-channel-hint = Il codice è valido per pochi minuti e si può usare una sola volta. Ogni giorno si può inviare solo un numero limitato di SMS.
sms-channel-button = Invia il codice
sms-channel-missing = Scegli dove inviare il codice.
sms-channel-unusable = Il numero registrato per il tuo account non può ricevere codici. { $reason } Potrai correggerlo in «Gestisci il mio account».
sms-no-channel-title = Nessun modo per inviarti un codice
sms-no-channel = Il tuo account non ha né un cellulare né un indirizzo e-mail di recupero a cui inviare un codice. Usa «Recupera la mia password» se hai una domanda segreta, oppure contatta { $contact }.
sms-limit-address = Dalla tua connessione sono stati richiesti troppi SMS: riprova tra un'ora oppure scegli l'e-mail.
sms-limit-ceiling = Gli SMS non sono disponibili al momento: riprova tra qualche minuto oppure scegli l'e-mail.
sms-daily-cap = Il tuo account ha già ricevuto il numero massimo di SMS per oggi: riprova dopo { $until } oppure scegli l'e-mail.
sms-failed = Non è stato possibile inviare il codice. Riprova più tardi o contatta { $contact }.
sms-verify-title = Inserisci il codice ricevuto
sms-sent-mobile = È appena stato inviato un codice via SMS al { $number }.
sms-sent-mail = È appena stato inviato un codice via e-mail a { $address }.
sms-sent = Inserisci il codice ricevuto.
sms-code-field = Codice ricevuto
sms-refused-advice = Un codice vale una sola volta, scade dopo pochi minuti e ammette solo { $tries } tentativi: dopo, richiedine uno nuovo con «Invia di nuovo il codice». Dopo { $max } errori, la reimpostazione viene bloccata per un po' di tempo.
sms-password-title = Scegli la tua nuova password

## Choice of channel in the e-mail code flow (/code).
code-channel-legend = Ricevi il codice
code-channel-mail = via e-mail
code-channel-mobile = via SMS, sul cellulare dell'account
code-sent-sms = Se «{ $address }» corrisponde a un account con un numero di cellulare, vi è appena stato inviato un codice via SMS.

## My recovery data (Manage my account).
account-recovery-data = Il mio indirizzo di recupero e il mio cellulare
account-sign-in-again = Accedi di nuovo
recovery-title = I miei dati di recupero
recovery-intro = Questi recapiti servono a ritrovare l'accesso al tuo account se dimentichi la password. Ogni modifica viene segnalata ai tuoi indirizzi.
recovery-mail = Indirizzo e-mail di recupero
recovery-mobile = Numero di cellulare
recovery-none = nessuno
recovery-change-mail = Modifica il mio indirizzo di recupero
recovery-change-mobile = Modifica il mio numero di cellulare
recovery-mail-title = Il mio indirizzo di recupero
recovery-mobile-title = Il mio numero di cellulare
recovery-mail-intro = Indica un indirizzo personale, che potrai leggere anche senza la tua password. Vi verrà inviato un codice: l'indirizzo viene registrato solo dopo che avrai inserito quel codice.
recovery-mobile-intro = Indica il tuo numero di cellulare. Vi verrà inviato un codice via SMS: il numero viene registrato solo dopo che avrai inserito quel codice.
recovery-current-value = Attualmente: { $value }
recovery-new-mail = Nuovo indirizzo di recupero
recovery-new-mobile = Nuovo numero di cellulare
recovery-mail-hint = Per esempio nome.cognome@esempio.it
recovery-mobile-hint = Per esempio 06 12 34 56 78 o +33 6 12 34 56 78
recovery-current-hint = Per sicurezza, inserisci di nuovo la tua password attuale.
recovery-send-code = Invia un codice
recovery-remove = Elimina
recovery-back = Torna ai miei dati di recupero
recovery-removed-title = Eliminato
recovery-mail-removed = Il tuo indirizzo di recupero è stato eliminato; un messaggio lo conferma ai tuoi indirizzi. In caso di dubbio, contatta { $contact }.
recovery-mobile-removed = Il tuo numero di cellulare è stato eliminato; un messaggio lo conferma ai tuoi indirizzi. In caso di dubbio, contatta { $contact }.
recovery-not-sent-later = Al momento non è possibile inviare alcun codice: riprova dopo { $until }.
recovery-not-sent-cooldown = È appena stato inviato un messaggio al tuo account: attendi un minuto prima di richiederne un altro.
recovery-not-sent = Per ora non è stato possibile inviare alcun codice. Riprova più tardi, lascia vuoti questi campi per continuare oppure contatta { $contact }.
recovery-verify-title = Inserisci il codice ricevuto
recovery-code-mail = Codice ricevuto via e-mail
recovery-code-mobile = Codice ricevuto via SMS
recovery-code-sent-mail = È appena stato inviato un codice a { $value }.
recovery-code-sent-mobile = È appena stato inviato un codice via SMS al { $value }.
recovery-changed-title = Modifica registrata
recovery-mail-changed = Il tuo nuovo indirizzo di recupero è registrato; un messaggio lo segnala ai tuoi indirizzi. In caso di dubbio, contatta { $contact }.
recovery-mobile-changed = Il tuo nuovo numero di cellulare è registrato; un messaggio lo segnala ai tuoi indirizzi e al numero precedente. In caso di dubbio, contatta { $contact }.
recovery-restart = Questo codice è scaduto, oppure la password è stata inserita troppo tempo fa: ricomincia la modifica.
recovery-locked = Troppi tentativi non riusciti: le modifiche sono bloccate per un po' di tempo. Riprova più tardi o contatta { $contact }.

## Activate my account: ways to reach you.
activate-recovery-title = I tuoi recapiti di recupero
activate-recovery-intro = Se dimentichi la password, potrà esserti inviato un codice a questi recapiti. A ogni recapito indicato viene inviato un codice, da inserire al passaggio successivo.
activate-recovery-optional = Puoi lasciare vuoti questi campi e compilarli più tardi in «Gestisci il mio account».

## It was not me: a recovery factor changed.
not-me-intro-question = La domanda segreta dell'account { $login } è stata modificata il { $when } dall'indirizzo IP { $address }.
not-me-intro-mail = L'indirizzo di recupero dell'account { $login } è stato modificato il { $when } dall'indirizzo IP { $address }.
not-me-intro-mobile = Il numero di cellulare dell'account { $login } è stato modificato il { $when } dall'indirizzo IP { $address }.
