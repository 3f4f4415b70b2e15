# Texts of Passerelle's web pages (Italian).

## Layout

skip-to-content = Vai al contenuto
nav-label = Navigazione principale
nav-home = Pagina iniziale
nav-activate = Attiva il mio account
nav-forgotten = Credenziali dimenticate
nav-account = Gestisci il mio account
nav-help = Aiuto
lang-switch-label = Lingua
step-indicator = Passo { $step } di { $total }
# A field's label with the colon as the language writes it, and the step bar's percentage.
field-label = { $label }:
field-label-required = { $label } *:
step-percent = { $percent }%
error-summary-title = C'è un problema
footer-help = Serve aiuto? Contatta { $contact }.
logo-alt = Logo di { $site }

## Home

home-title = Benvenuti
home-intro = Scegli che cosa vuoi fare.
forgotten-title = Credenziali dimenticate
forgotten-intro = Hai dimenticato la password o il nome utente? Scegli qui sotto.
flow-recover-title = Recupera la mia password
flow-recover-summary = Recupera la tua password in pochi passaggi.
flow-identifier-title = Recupera il mio nome utente
flow-identifier-summary = Recupera il tuo nome utente in pochi passaggi.
flow-activate-title = Attiva il mio account
flow-activate-summary = Primo accesso: scegli la tua domanda segreta e la tua password.
flow-account-title = Gestisci il mio account
flow-account-summary = Cambia la tua password o la tua domanda segreta.
flow-code-title = Ricevi un codice via e-mail
flow-code-summary = Un codice di verifica viene inviato al tuo indirizzo e-mail.
flow-temporary-title = Ricevi una password temporanea
flow-temporary-summary = Una password temporanea viene inviata al tuo indirizzo e-mail.

## Help

help-title = Aiuto
help-intro = Per recuperare la password, tieni a portata di mano il tuo numero personale e la tua data di nascita, poi rispondi alla tua domanda segreta.
help-contact = Se non ci riesci, contatta { $contact }.

## Identity (personal number + date of birth)

recover-title = Recupera la mia password
recover-intro = Puoi recuperare la password con i dati qui sotto, che servono a identificarti nel nostro sistema informativo.
identifier-kinds-intro = Se sei:
kind-student = studente
kind-student-text = puoi usare il tuo numero di matricola o il tuo INE (numero nazionale di studente francese).
kind-staff = personale
kind-staff-text = puoi usare il tuo numero di matricola del personale.
kind-external = utente esterno
kind-external-text = puoi usare l'identificativo unico che ti è stato fornito.
kind-details-summary = Dove trovo questi numeri?
detail-student-number = Numero di matricola
detail-student-number-text = L'hai ricevuto al termine dell'iscrizione. È riportato sulla tua tessera multiservizi.
detail-ine = INE
detail-ine-text = È riportato, per esempio, sulla pagella del baccalauréat francese e sulla tua tessera multiservizi.
detail-staff-number = Matricola del personale
detail-staff-number-text = Il tuo numero nella banca dati di gestione del personale. È riportato sulla tua tessera multiservizi.
detail-uid = UID
detail-uid-text = UID (identificativo unico)
field-identifier = Numero personale
field-identifier-placeholder = Inserisci il numero personale
field-birth-date = Data di nascita
field-birth-date-hint = gg/mm/aaaa
button-submit = Conferma
identifier-missing = Inserisci il tuo numero personale.
birth-date-invalid = Inserisci la tua data di nascita nel formato gg/mm/aaaa.
identity-failed = I dati inseriti non permettono di identificarti. Controlla il numero personale e la data di nascita.
identity-failed-lock = Dopo { $max } tentativi non riusciti, il recupero self-service viene bloccato per { $minutes } minuti; riprova più tardi oppure contatta { $contact }.

## Secret question

question-title = Domanda segreta
question-intro = Rispondi alla tua domanda segreta.
field-answer-placeholder = la tua risposta
answer-missing = Inserisci la tua risposta.
answer-wrong = { $left ->
    [one] Questa risposta non corrisponde. Ti resta 1 tentativo.
   *[other] Questa risposta non corrisponde. Ti restano { $left } tentativi.
}
locked-title = Recupero temporaneamente bloccato
locked-text = Troppi tentativi non riusciti: il recupero self-service di questo account è bloccato fino al { $until }.
locked-advice = Riprova più tardi oppure contatta { $contact }.
no-question-title = Il tuo account non è ancora attivato
no-question-text = Per questo account non è registrata alcuna domanda segreta: attiva prima il tuo account.
no-question-contact = Per attivare il tuo account, contatta { $contact }.

## New password

password-title = Scegli la tua nuova password
field-new-password = Nuova password
field-new-password-placeholder = Nuova password
field-confirmation = Conferma
field-confirmation-placeholder = Ripeti la nuova password
rules-intro = Per essere valida, la tua password deve:
rules-checkbox = Dichiaro di aver letto il regolamento interno.
rules-link = Leggi il regolamento interno
rules-checkbox-missing = Spunta la casella «Dichiaro di aver letto il regolamento interno.»
password-missing = Inserisci una nuova password.
confirmation-mismatch = La conferma non corrisponde alla nuova password.
pw-locked = Questo account è bloccato nella directory; contatta { $contact }.
pw-refused-directory = La directory ha rifiutato questa password; scegline un'altra.
success-title = Password modificata
success-text = Fatto: la tua password è stata modificata. Riceverai anche un'e-mail di conferma.
success-text-no-mail = Fatto: la tua password è stata modificata. Non è stato possibile inviare un'e-mail di conferma perché per il tuo account non è registrato alcun indirizzo. Per aggiungerne uno, contatta { $contact }.
changed-meanwhile-title = Password già modificata
changed-meanwhile-text = La tua password è stata appena modificata da un'altra richiesta (un'altra scheda o un'altra procedura): quella che hai appena inserito non è stata salvata.
changed-meanwhile-advice = Se non sei stato tu, contatta subito { $contact }.
stopped-title = Self-service non disponibile per questo account
stopped-text = Al momento questo account non può essere modificato in self-service: è bloccato, sospeso o chiuso. Non è stato salvato nulla.
stopped-contact = Per qualsiasi domanda, contatta { $contact }.
old-password-required-title = Questa modifica non si può fare qui
old-password-required-text = La directory richiede la password attuale per qualsiasi cambio di password, e un ripristino non può fornirla. Non è stato salvato nulla.
old-password-required-advice = Se conosci la password attuale, cambiala da «Gestisci il mio account»; altrimenti contatta { $contact }.
success-services = Ricordati di usare la nuova password per accedere a:
success-finish = Fine
# Some replica of the directory had not taken the new password yet.
success-replica-lag = La rete Wi-Fi potrebbe impiegare un minuto ad accettarla.
success-wifi-confirmed = Il Wi-Fi (eduroam) accetta già la tua nuova password.

## Recover my login

identifier-title = Recupera il mio nome utente
identifier-intro = Indica il tuo numero personale e la tua data di nascita: se corrispondono a un account, il nome utente viene inviato al tuo indirizzo e-mail di recupero.
identifier-sent-title = Richiesta registrata
identifier-sent = Se i dati inseriti corrispondono a un account, il nome utente è appena stato inviato all'indirizzo e-mail di recupero registrato per quell'account.
identifier-sent-advice = Controlla anche la cartella della posta indesiderata. Se entro qualche minuto non arriva nulla, contatta { $contact }.

## Errors

error-title = Si è verificato un errore
error-back-home = Torna alla pagina iniziale
error-restart = Ricomincia
error-bad-request = Non è stato possibile leggere il modulo inviato. Ricomincia dall'inizio.
error-too-large = Il modulo inviato è troppo grande.
error-expired = La sessione è scaduta: ricomincia.
error-csrf = Questo modulo non è più valido. Ricarica la pagina e riprova.
error-cross-site = Questo modulo è stato inviato da un altro sito, non dalle nostre pagine: non è stato fatto nulla. Se lo stavi compilando qui, apri questo servizio dal suo indirizzo e ricomincia.
error-step = Questo passaggio non è disponibile: il modulo è già stato inviato oppure un passaggio precedente non è stato completato. Ricomincia dall'inizio.
error-rate-limited = Troppi tentativi dal tuo indirizzo. Attendi un minuto e riprova.
error-captcha-audio-spent = Questa registrazione è stata ascoltata il numero massimo di volte consentito. Chiedi un nuovo codice con «Nuovo codice», poi ascolta quello.
error-unavailable = Il servizio è momentaneamente non disponibile. Riprova tra qualche minuto.
error-internal = Si è verificato un errore imprevisto. Riprova più tardi oppure contatta { $contact }.
error-not-found = Questa pagina non esiste.
