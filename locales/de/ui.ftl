# Texts of Passerelle's web pages (German).

## Layout

skip-to-content = Zum Inhalt springen
nav-label = Hauptnavigation
nav-home = Startseite
nav-activate = Mein Konto aktivieren
nav-forgotten = Zugangsdaten vergessen
nav-account = Mein Konto verwalten
nav-help = Hilfe
lang-switch-label = Sprache
step-indicator = Schritt { $step } von { $total }
# A field's label with the colon as the language writes it, and the step bar's percentage.
field-label = { $label }:
field-label-required = { $label } *:
step-percent = { $percent } %
error-summary-title = Es gibt ein Problem
footer-help = Brauchen Sie Hilfe? Wenden Sie sich an { $contact }.
logo-alt = Logo von { $site }

## Home

home-title = Willkommen
home-intro = Wählen Sie, was Sie tun möchten.
forgotten-title = Zugangsdaten vergessen
forgotten-intro = Passwort oder Benutzernamen vergessen? Wählen Sie unten aus.
flow-recover-title = Mein Passwort wiederherstellen
flow-recover-summary = Stellen Sie Ihr Passwort in wenigen Schritten wieder her.
flow-identifier-title = Meinen Benutzernamen wiederherstellen
flow-identifier-summary = Erhalten Sie Ihren Benutzernamen in wenigen Schritten zurück.
flow-activate-title = Mein Konto aktivieren
flow-activate-summary = Erste Anmeldung: Wählen Sie Ihre Sicherheitsfrage und Ihr Passwort.
flow-account-title = Mein Konto verwalten
flow-account-summary = Ändern Sie Ihr Passwort oder Ihre Sicherheitsfrage.
flow-code-title = Einen Code per E-Mail erhalten
flow-code-summary = Ein Bestätigungscode wird an Ihre E-Mail-Adresse gesendet.
flow-temporary-title = Ein vorläufiges Passwort erhalten
flow-temporary-summary = Ein vorläufiges Passwort wird an Ihre E-Mail-Adresse gesendet.

## Help

help-title = Hilfe
help-intro = Um Ihr Passwort wiederherzustellen, halten Sie Ihre persönliche Nummer und Ihr Geburtsdatum bereit und beantworten Sie dann Ihre Sicherheitsfrage.
help-contact = Wenn es nicht klappt, wenden Sie sich an { $contact }.

## Identity (personal number + date of birth)

recover-title = Mein Passwort wiederherstellen
recover-intro = Mit den folgenden Angaben können Sie Ihr Passwort wiederherstellen; sie dienen dazu, Sie in unserem Informationssystem zu identifizieren.
identifier-kinds-intro = Wenn Sie Folgendes sind:
kind-student = Studierende/r
kind-student-text = Sie können Ihre Matrikelnummer oder Ihre INE (französische nationale Studierendennummer) verwenden.
kind-staff = Beschäftigte/r
kind-staff-text = Sie können Ihre Personalnummer verwenden.
kind-external = Externe/r
kind-external-text = Sie können die eindeutige Kennung verwenden, die Ihnen mitgeteilt wurde.
kind-details-summary = Wo finde ich diese Nummern?
detail-student-number = Matrikelnummer
detail-student-number-text = Sie haben sie am Ende der Einschreibung erhalten. Sie steht auf Ihrer Multifunktionskarte.
detail-ine = INE
detail-ine-text = Sie steht zum Beispiel auf Ihrem Notenblatt des französischen Abiturs (Baccalauréat) und auf Ihrer Multifunktionskarte.
detail-staff-number = Personalnummer
detail-staff-number-text = Ihre Nummer in der Personalverwaltung. Sie steht auf Ihrer Multifunktionskarte.
detail-uid = UID
detail-uid-text = UID (eindeutige Kennung)
field-identifier = Persönliche Nummer
field-identifier-placeholder = Persönliche Nummer eingeben
field-birth-date = Geburtsdatum
field-birth-date-hint = TT/MM/JJJJ
button-submit = Bestätigen
identifier-missing = Geben Sie Ihre persönliche Nummer ein.
birth-date-invalid = Geben Sie Ihr Geburtsdatum im Format TT/MM/JJJJ ein.
identity-failed = Mit den eingegebenen Angaben können wir Sie nicht identifizieren. Prüfen Sie Ihre persönliche Nummer und Ihr Geburtsdatum.
identity-failed-lock = Nach { $max } erfolglosen Versuchen wird die Selbstbedienungs-Wiederherstellung für { $minutes } Minuten gesperrt; versuchen Sie es dann später erneut oder wenden Sie sich an { $contact }.

## Secret question

question-title = Sicherheitsfrage
question-intro = Beantworten Sie Ihre Sicherheitsfrage.
field-answer-placeholder = Ihre Antwort
answer-missing = Geben Sie Ihre Antwort ein.
answer-wrong = { $left ->
    [one] Diese Antwort stimmt nicht. Sie haben noch 1 Versuch.
   *[other] Diese Antwort stimmt nicht. Sie haben noch { $left } Versuche.
}
locked-title = Wiederherstellung vorübergehend gesperrt
locked-text = Zu viele erfolglose Versuche: Die Selbstbedienungs-Wiederherstellung ist für dieses Konto bis { $until } gesperrt.
locked-advice = Versuchen Sie es später erneut oder wenden Sie sich an { $contact }.
no-question-title = Ihr Konto ist noch nicht aktiviert
no-question-text = Für dieses Konto ist keine Sicherheitsfrage hinterlegt: Aktivieren Sie zuerst Ihr Konto.
no-question-contact = Um Ihr Konto zu aktivieren, wenden Sie sich an { $contact }.

## New password

password-title = Wählen Sie Ihr neues Passwort
field-new-password = Neues Passwort
field-new-password-placeholder = Neues Passwort
field-confirmation = Bestätigung
field-confirmation-placeholder = Neues Passwort wiederholen
rules-intro = Damit Ihr Passwort gültig ist, muss es:
rules-checkbox = Ich habe die Nutzungsordnung zur Kenntnis genommen.
rules-link = Nutzungsordnung lesen
rules-checkbox-missing = Kreuzen Sie das Kästchen „Ich habe die Nutzungsordnung zur Kenntnis genommen.“ an.
password-missing = Geben Sie ein neues Passwort ein.
confirmation-mismatch = Die Bestätigung stimmt nicht mit dem neuen Passwort überein.
pw-locked = Dieses Konto ist im Verzeichnis gesperrt; wenden Sie sich an { $contact }.
pw-refused-directory = Das Verzeichnis hat dieses Passwort abgelehnt; wählen Sie ein anderes.
success-title = Passwort geändert
success-text = Fertig: Ihr Passwort wurde geändert. Sie erhalten außerdem eine Bestätigung per E-Mail.
success-text-no-mail = Fertig: Ihr Passwort wurde geändert. Es konnte keine Bestätigung per E-Mail gesendet werden, weil für Ihr Konto keine Adresse hinterlegt ist. Um eine hinzuzufügen, wenden Sie sich an { $contact }.
changed-meanwhile-title = Passwort bereits geändert
changed-meanwhile-text = Ihr Passwort wurde soeben durch eine andere Anfrage geändert (einen anderen Tab oder einen anderen Vorgang): Das Passwort, das Sie gerade eingegeben haben, wurde nicht gespeichert.
changed-meanwhile-advice = Wenn Sie das nicht waren, wenden Sie sich sofort an { $contact }.
stopped-title = Selbstbedienung für dieses Konto nicht verfügbar
stopped-text = Dieses Konto kann derzeit nicht per Selbstbedienung geändert werden: Es ist gesperrt, ausgesetzt oder geschlossen. Es wurde nichts gespeichert.
stopped-contact = Bei Fragen wenden Sie sich an { $contact }.
old-password-required-title = Diese Änderung ist hier nicht möglich
old-password-required-text = Das Verzeichnis verlangt für jede Passwortänderung Ihr aktuelles Passwort, und eine Wiederherstellung kann es nicht liefern. Es wurde nichts gespeichert.
old-password-required-advice = Wenn Sie Ihr aktuelles Passwort kennen, ändern Sie es unter „Mein Konto verwalten“; andernfalls wenden Sie sich an { $contact }.
success-services = Denken Sie daran, sich mit Ihrem neuen Passwort anzumelden bei:
success-finish = Fertig
# Some replica of the directory had not taken the new password yet.
success-replica-lag = Es kann eine Minute dauern, bis das WLAN es akzeptiert.
success-wifi-confirmed = Das WLAN (eduroam) akzeptiert Ihr neues Passwort bereits.

## Recover my login

identifier-title = Meinen Benutzernamen wiederherstellen
identifier-intro = Geben Sie Ihre persönliche Nummer und Ihr Geburtsdatum ein: Wenn sie zu einem Konto passen, wird Ihr Benutzername an Ihre Wiederherstellungs-E-Mail-Adresse gesendet.
identifier-sent-title = Anfrage erhalten
identifier-sent = Wenn die eingegebenen Angaben zu einem Konto passen, wurde Ihr Benutzername soeben an die für dieses Konto hinterlegte Wiederherstellungs-E-Mail-Adresse gesendet.
identifier-sent-advice = Sehen Sie auch in Ihrem Spam-Ordner nach. Wenn in einigen Minuten keine Nachricht eintrifft, wenden Sie sich an { $contact }.

## Errors

error-title = Es ist ein Fehler aufgetreten
error-back-home = Zurück zur Startseite
error-restart = Neu beginnen
error-bad-request = Das gesendete Formular konnte nicht gelesen werden. Beginnen Sie noch einmal von vorn.
error-too-large = Das gesendete Formular ist zu groß.
error-expired = Ihre Sitzung ist abgelaufen; beginnen Sie neu.
error-csrf = Dieses Formular ist nicht mehr gültig. Laden Sie die Seite neu und versuchen Sie es noch einmal.
error-cross-site = Dieses Formular wurde von einer anderen Website gesendet, nicht von unseren Seiten: Es wurde nichts ausgeführt. Wenn Sie es hier ausgefüllt haben, öffnen Sie diesen Dienst über seine eigene Adresse und beginnen Sie neu.
error-step = Dieser Schritt ist nicht verfügbar: Das Formular wurde bereits gesendet, oder ein vorheriger Schritt wurde nicht abgeschlossen. Beginnen Sie noch einmal von vorn.
error-rate-limited = Zu viele Versuche von Ihrer Adresse. Warten Sie eine Minute und versuchen Sie es dann erneut.
error-captcha-audio-spent = Diese Aufnahme wurde so oft abgespielt wie erlaubt. Fordern Sie mit „Neuer Code“ einen neuen Code an und hören Sie sich diesen an.
error-unavailable = Der Dienst ist vorübergehend nicht verfügbar. Versuchen Sie es in einigen Minuten erneut.
error-internal = Ein unerwarteter Fehler ist aufgetreten. Versuchen Sie es später erneut oder wenden Sie sich an { $contact }.
error-not-found = Diese Seite existiert nicht.
