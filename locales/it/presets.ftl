# The seed systems' own words (config/presets/), which each preset places
# on its pages through the [texts] section of the configuration, in
# Italian. **…** marks what the seeds show in bold.

button-cancel = Annulla

## Caf (services.caf.fr and Partenaires): on every page

caf-notice-reserved = Questo servizio professionale **è riservato esclusivamente alle persone autorizzate.** Se non sei una di esse, l'accesso e la permanenza in questo sito potranno essere perseguiti ai sensi della legge francese n. 88-19 del 5 gennaio 1988 (detta legge Godfrain), così come i tentativi di alterarne o ostacolarne il funzionamento.
caf-notice-commitment = Accedendo a questo servizio, ti impegni a limitare l'uso delle informazioni a cui hai accesso alle missioni e finalità definite nella convenzione firmata tra la Caf e il tuo ente.
caf-notice-personal = I tuoi responsabili ti hanno assegnato diritti di accesso **attribuiti a te personalmente**, notificati al gestore delle autorizzazioni della Caf. Per garantire la riservatezza dei dati ed evitare qualsiasi intrusione, **non devi mai comunicare né condividere il tuo identificativo e la tua password**. In caso di violazione, potrà esserne chiamata in causa la tua responsabilità personale e la convenzione potrà essere disdetta.
caf-why-change-title = Perché cambiare la password?
caf-why-change = Per motivi di sicurezza, ricordati di cambiare regolarmente la password.
caf-personalise = Per motivi di sicurezza, scegli ora una password tua.
caf-captcha-why-title = A che cosa serve?
caf-captcha-why = Questa funzione ci aiuta a impedire a programmi automatici di reimpostare le password.
caf-captcha-how = Inserisci il testo così come appare nell'immagine. Non inserire spazi tra le lettere.
caf-identifier-from-admin = L'identificativo può esserti comunicato dall'amministratore del tuo ente.
caf-temporary-copy = Inserisci il tuo identificativo e la password temporanea ricevuta via e-mail (per la password si consiglia di fare «copia e incolla»).

## Ecolesoft (family portal)

ecolesoft-change-why = **Per migliorare la sicurezza della tua applicazione, ti chiediamo di inserire una nuova password.**
ecolesoft-change-criteria = Scegli una nuova password che rispetti i criteri seguenti:
ecolesoft-login-again = Dopo aver salvato la nuova password, accedi di nuovo con la password che hai appena creato.

## EFP Connect

efp-password-lead = Scegli la tua nuova password. Deve rispettare i criteri indicati qui sotto.
efp-no-access = **Buono a sapersi:** se non hai più accesso all'indirizzo e-mail associato al tuo identificativo, dovrai creare un nuovo account con un indirizzo e-mail valido. Le comunicazioni importanti passeranno da questo indirizzo.
