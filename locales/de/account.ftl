# Texts of the "Activate my account", "Manage my account" and "Change my
# password" (temporary password) flows, in German.

## Activate my account

activate-title = Mein Konto aktivieren
activate-intro = Erste Nutzung Ihres Kontos: Identifizieren Sie sich mit Ihrer persönlichen Nummer und Ihrem Geburtsdatum und wählen Sie dann Ihre Sicherheitsfrage und Ihr Passwort.
activate-already-title = Konto bereits aktiviert
activate-already-text = Dieses Konto ist bereits aktiviert: Eine Sicherheitsfrage ist hinterlegt. Wenn Sie Ihr Passwort vergessen haben, verwenden Sie „Mein Passwort wiederherstellen“.
activate-already-link = Mein Passwort wiederherstellen
activate-question-title = Wählen Sie Ihre Sicherheitsfrage
activate-question-intro = Diese Frage wird Ihnen gestellt, wenn Sie Ihr Passwort vergessen. Wählen Sie eine Antwort, an die Sie sich erinnern und die niemand erraten kann.
activate-field-question = Sicherheitsfrage
activate-field-question-own = Meine eigene Frage
activate-field-own-question = Ihre Frage
activate-field-own-question-hint = Zwischen { $min } und { $max } Zeichen.
activate-field-answer = Antwort
activate-field-answer-hint = Mindestens { $min } Zeichen; Groß- und Kleinschreibung, Akzente und überzählige Leerzeichen spielen keine Rolle.
activate-field-answer-confirm = Antwort bestätigen
activate-question-missing = Wählen Sie eine Frage oder schreiben Sie Ihre eigene.
activate-question-length = Ihre Frage muss zwischen { $min } und { $max } Zeichen lang sein.
activate-answer-too-short = Die Antwort muss mindestens { $min } Zeichen lang sein.
activate-answer-mismatch = Die Bestätigung stimmt nicht mit der Antwort überein.
activate-answer-is-login = Die Antwort darf nicht Ihr Benutzername sein.
activate-answer-is-birth-date = Die Antwort darf nicht Ihr Geburtsdatum sein.
activate-password-title = Wählen Sie Ihr Passwort
activate-success-title = Konto aktiviert
activate-secret-not-saved = Ihr Passwort wurde gespeichert, Ihre Sicherheitsfrage jedoch nicht: Starten Sie die Aktivierung erneut, um sie zu wählen, oder wenden Sie sich an { $contact }.

## Manage my account

account-title = Mein Konto verwalten
account-intro = Melden Sie sich mit Ihrem Benutzernamen und Ihrem aktuellen Passwort an.
account-field-login = Benutzername
account-field-login-placeholder = Benutzernamen eingeben
account-field-password = Aktuelles Passwort
account-login-missing = Geben Sie Ihren Benutzernamen ein.
account-password-missing = Geben Sie Ihr aktuelles Passwort ein.
account-login-failed = Benutzername oder Passwort falsch. Nach mehreren erfolglosen Versuchen wird ein Konto eine Zeit lang gesperrt: Versuchen Sie es später erneut.
account-locked = Dieses Konto ist nach zu vielen erfolglosen Versuchen vorübergehend gesperrt. Versuchen Sie es später erneut oder wenden Sie sich an { $contact }.
account-temporary = Ihr aktuelles Passwort ist ein vorläufiges: Wählen Sie zuerst ein eigenes.
account-temporary-link = Mein Passwort wählen
account-menu-title = Mein Konto
account-menu-intro = Sie sind angemeldet als { $login }. Was möchten Sie tun?
account-change-password = Mein Passwort ändern
account-change-question = Meine Frage ändern
account-logout = Abmelden
account-logged-out-title = Abgemeldet
account-logged-out = Sie sind abgemeldet.
account-password-title = Mein Passwort ändern
account-question-title = Meine Sicherheitsfrage ändern
account-question-done-title = Frage gespeichert
account-question-done = Ihre neue Sicherheitsfrage und die Antwort darauf sind gespeichert.
account-back = Zurück zu meinem Konto

## Change my password (temporary password)

change-title = Mein Passwort ändern
change-intro = Geben Sie Ihren Benutzernamen und Ihr aktuelles Passwort ein (gegebenenfalls das vorläufige Passwort aus der E-Mail).
change-password-title = Wählen Sie Ihr eigenes Passwort
change-password-intro = Wählen Sie zu Ihrer Sicherheit jetzt Ihr eigenes Passwort.
change-field-current = Aktuelles Passwort
change-field-confirmation = Passwort bestätigen
change-current-missing = Geben Sie Ihr aktuelles Passwort ein.
change-current-wrong = Das aktuelle Passwort ist falsch.
change-current-too-often = Das aktuelle Passwort wurde zu oft falsch eingegeben. Zu Ihrer Sicherheit wurde der Vorgang abgebrochen: Melden Sie sich erneut an.
change-sign-in-again = Erneut anmelden
change-expired-title = Vorläufiges Passwort abgelaufen
change-expired-text = Dieses vorläufige Passwort ist abgelaufen und kann nicht mehr verwendet werden. Fordern Sie ein neues an.
change-expired-link = Ein neues vorläufiges Passwort anfordern
change-expired-contact = Um ein neues vorläufiges Passwort zu erhalten, wenden Sie sich an { $contact }.
activate-in-use-hint = Wenn Ihr Konto bereits in Gebrauch ist, melden Sie sich unter „Mein Konto verwalten“ an, um Ihre Sicherheitsfrage zu wählen.

## "It was not me" (the link of the "password changed" mail)
not-me-title = Das war ich nicht
not-me-intro = Das Passwort des Kontos { $login } wurde am { $when } von der IP-Adresse { $address } aus geändert.
not-me-explain = Wenn Sie das nicht waren, drücken Sie die Schaltfläche: Dann kann niemand mehr das Passwort dieses Kontos auf dieser Website ändern, und der Helpdesk ({ $contact }) wird benachrichtigt, um Ihnen zu helfen, die Kontrolle zurückzugewinnen. Solange Sie nicht drücken, geschieht nichts.
not-me-button = Das war ich nicht: sperren und Helpdesk benachrichtigen
not-me-done-title = Meldung gespeichert
not-me-done = Passwortänderungen per Selbstbedienung sind für Ihr Konto gesperrt, und der Helpdesk hat die Einzelheiten der Änderung erhalten (Zeitpunkt, IP-Adresse, Browser).
not-me-next = Der Helpdesk ({ $contact }) wird Ihre Identität auf sicherem Weg prüfen, Ihnen ein neues Passwort geben und dann das Konto entsperren. Wenn Sie dasselbe Passwort auch anderswo verwenden, ändern Sie es dort ebenfalls.
not-me-invalid-title = Ungültiger Link
not-me-invalid = Dieser Link ist ungültig oder abgelaufen.
not-me-superseded = Dieser Link gilt nicht mehr: Das Passwort wurde seitdem erneut geändert.
not-me-used = Diese Meldung wurde bereits gespeichert: Die Selbstbedienung ist für dieses Konto gesperrt und der Helpdesk wurde benachrichtigt.
not-me-contact = Im Zweifel wenden Sie sich an { $contact }.

## The built-in secret questions (stored on the entry in French)
question-first-pet = Wie hieß Ihr erstes Haustier?
question-birth-city = In welcher Stadt sind Sie geboren?
question-primary-school = Wie hieß Ihre Grundschule?
