# Texts of the "Activate my account", "Manage my account" and "Change my
# password" (temporary password) flows, in Italian.

## Activate my account

activate-title = Attiva il mio account
activate-intro = Primo utilizzo del tuo account: identificati con il tuo numero personale e la tua data di nascita, poi scegli la tua domanda segreta e la tua password.
activate-already-title = Account già attivato
activate-already-text = Questo account è già attivato: è registrata una domanda segreta. Se hai dimenticato la password, usa «Recupera la mia password».
activate-already-link = Recupera la mia password
activate-question-title = Scegli la tua domanda segreta
activate-question-intro = Questa domanda ti verrà posta se dimentichi la password. Scegli una risposta che ricorderai e che nessuno può indovinare.
activate-field-question = Domanda segreta
activate-field-question-own = La mia domanda
activate-field-own-question = La tua domanda
activate-field-own-question-hint = Tra { $min } e { $max } caratteri.
activate-field-answer = Risposta
activate-field-answer-hint = Almeno { $min } caratteri; maiuscole, accenti e spazi in più non contano.
activate-field-answer-confirm = Conferma la risposta
activate-question-missing = Scegli una domanda oppure scrivi la tua.
activate-question-length = La tua domanda deve avere tra { $min } e { $max } caratteri.
activate-answer-too-short = La risposta deve avere almeno { $min } caratteri.
activate-answer-mismatch = La conferma non corrisponde alla risposta.
activate-answer-is-login = La risposta non può essere il tuo nome utente.
activate-answer-is-birth-date = La risposta non può essere la tua data di nascita.
activate-password-title = Scegli la tua password
activate-success-title = Account attivato
activate-secret-not-saved = La tua password è stata salvata, ma la domanda segreta no: ripeti l'attivazione per sceglierla oppure contatta { $contact }.

## Manage my account

account-title = Gestisci il mio account
account-intro = Accedi con il tuo nome utente e la tua password attuale.
account-field-login = Nome utente
account-field-login-placeholder = Inserisci il tuo nome utente
account-field-password = Password attuale
account-login-missing = Inserisci il tuo nome utente.
account-password-missing = Inserisci la tua password attuale.
account-login-failed = Nome utente o password errati. Dopo diversi tentativi non riusciti un account viene bloccato per un po' di tempo: riprova più tardi.
account-locked = Questo account è temporaneamente bloccato dopo troppi tentativi non riusciti. Riprova più tardi oppure contatta { $contact }.
account-temporary = La tua password attuale è temporanea: prima scegline una tua.
account-temporary-link = Scegli la mia password
account-menu-title = Il mio account
account-menu-intro = Hai effettuato l'accesso come { $login }. Che cosa vuoi fare?
account-change-password = Cambia la mia password
account-change-question = Cambia la mia domanda
account-logout = Esci
account-logged-out-title = Disconnessione
account-logged-out = Sei uscito dal tuo account.
account-password-title = Cambia la mia password
account-question-title = Cambia la mia domanda segreta
account-question-done-title = Domanda salvata
account-question-done = La tua nuova domanda segreta e la sua risposta sono state salvate.
account-back = Torna al mio account

## Change my password (temporary password)

change-title = Cambia la mia password
change-intro = Inserisci il tuo nome utente e la tua password attuale (la password temporanea ricevuta via e-mail, se è il caso).
change-password-title = Scegli la tua password
change-password-intro = Per la tua sicurezza, scegli ora una password tua.
change-field-current = Password attuale
change-field-confirmation = Conferma la password
change-current-missing = Inserisci la tua password attuale.
change-current-wrong = La password attuale non è corretta.
change-current-too-often = La password attuale è stata inserita in modo errato troppe volte. Per sicurezza la procedura è stata interrotta: identificati di nuovo.
change-sign-in-again = Identificati di nuovo
change-expired-title = Password temporanea scaduta
change-expired-text = Questa password temporanea è scaduta e non può più essere usata. Richiedine una nuova.
change-expired-link = Richiedi una nuova password temporanea
change-expired-contact = Per ottenere una nuova password temporanea, contatta { $contact }.
activate-in-use-hint = Se il tuo account è già in uso, accedi a «Gestisci il mio account» per scegliere la tua domanda segreta.

## "It was not me" (the link of the "password changed" mail)
not-me-title = Non sono stato io
not-me-intro = La password dell'account { $login } è stata modificata il { $when } dall'indirizzo IP { $address }.
not-me-explain = Se non sei stato tu, premi il pulsante: nessuno potrà più cambiare la password di questo account su questo sito e l'assistenza ({ $contact }) verrà avvisata per aiutarti a riprenderne il controllo. Finché non premi, non succede nulla.
not-me-button = Non sono stato io: blocca e avvisa l'assistenza
not-me-done-title = Segnalazione registrata
not-me-done = I cambi di password in self-service sono bloccati per il tuo account e l'assistenza ha ricevuto i dettagli della modifica (data, indirizzo IP, browser).
not-me-next = L'assistenza ({ $contact }) verificherà la tua identità con un mezzo sicuro, ti darà una nuova password e poi sbloccherà l'account. Se usi la stessa password altrove, cambiala anche lì.
not-me-invalid-title = Link non valido
not-me-invalid = Questo link non è valido o è scaduto.
not-me-superseded = Questo link non vale più: da allora la password è stata modificata di nuovo.
not-me-used = Questa segnalazione è già stata registrata: il self-service è bloccato per questo account e l'assistenza è stata avvisata.
not-me-contact = In caso di dubbio, contatta { $contact }.

## The built-in secret questions (stored on the entry in French)
question-first-pet = Come si chiamava il tuo primo animale domestico?
question-birth-city = In quale città sei nato/a?
question-primary-school = Come si chiamava la tua scuola elementare?
