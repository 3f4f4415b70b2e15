# Texts of the e-mail flows: /code (EFP) and /temporary (CAF, Ecolesoft), in German.

email-button-next = Weiter
email-hours = { $n ->
    [one] { $n } Stunde
   *[other] { $n } Stunden
}
email-minutes = { $n ->
    [one] { $n } Minute
   *[other] { $n } Minuten
}

code-title = Mein Passwort zurücksetzen
code-intro = Geben Sie die E-Mail-Adresse ein, mit der Sie sich anmelden.
code-field-identifier = Kennung (E-Mail)
code-field-identifier-placeholder = vorname.nachname@beispiel.de
code-request-hint = Sie erhalten eine E-Mail mit einem Bestätigungscode, den Sie für Schritt 2 benötigen.
code-no-access = Gut zu wissen: Wenn Sie keinen Zugriff mehr auf die mit Ihrer Kennung verknüpfte E-Mail-Adresse haben, wenden Sie sich an den Helpdesk.
code-identifier-missing = Geben Sie die E-Mail-Adresse Ihres Kontos ein.
code-verify-title = Geben Sie den erhaltenen Code ein
code-sent = Wenn ein Konto zu „{ $address }“ passt, wurde Ihnen eine E-Mail mit einem Code gesendet.
code-sent-link = Geben Sie den per E-Mail erhaltenen Code ein.
code-field = Per E-Mail erhaltener Bestätigungscode
code-field-hint = 6 Ziffern, zum Beispiel 2 3 8 3 9 2
code-spam = Der Code wurde Ihnen per E-Mail gesendet. Wenn er nicht angekommen ist, sehen Sie in Ihrem Spam-Ordner nach.
code-resend = Code erneut senden
code-resend-hint = Ein neuer Code kann { $seconds } Sekunden nach dem vorherigen angefordert werden; er ersetzt dann den vorherigen.
code-resent = Wenn ein Konto passt, wurde Ihnen ein neuer Code gesendet; der vorherige funktioniert nicht mehr.
code-malformed = Der Bestätigungscode besteht aus 6 Ziffern.
code-refused = Der eingegebene Code ist falsch oder nicht mehr gültig.
code-refused-advice = Ein Code gilt nur einmal, läuft nach { $validity } ab und erlaubt { $tries } Versuche: Danach fordern Sie mit „Code erneut senden“ einen neuen an. Nach { $max } Fehlern wird das Zurücksetzen eine Zeit lang gesperrt.
code-password-title = Wählen Sie Ihr neues Passwort
code-success-title = Passwort geändert
code-success-text = Ihr Passwort wurde erfolgreich geändert.
code-success-login = Ihr Passwort ist jetzt geändert: Sie können sich mit Ihrer Kennung und Ihrem neuen Passwort anmelden.
code-link-title = Mein Passwort zurücksetzen
code-link-intro = Sie haben den Link aus der E-Mail geöffnet. Drücken Sie die Schaltfläche, um Ihren Code zu bestätigen und Ihr neues Passwort zu wählen.
code-link-button = Mein Passwort zurücksetzen
code-link-invalid-title = Ungültiger Link
code-link-invalid = Dieser Link ist nicht mehr gültig: Der Code ist abgelaufen, wurde schon verwendet oder wurde durch einen neuen ersetzt. Fordern Sie einen neuen Code an.
code-link-restart = Einen neuen Code anfordern

temporary-title = Passwort vergessen
temporary-intro = Geben Sie Ihre E-Mail-Adresse oder Ihre Kennung ein: Sie erhalten ein vorläufiges Passwort per E-Mail.
temporary-field-identifier = E-Mail-Adresse oder Kennung
temporary-request-hint = Die E-Mail-Adresse muss genau der für Ihr Konto hinterlegten entsprechen.
temporary-identifier-missing = Geben Sie Ihre E-Mail-Adresse oder Ihre Kennung ein.
temporary-sent-title = Anfrage erhalten
temporary-sent = Wenn ein Konto passt, wurde eine E-Mail mit Ihrem neuen Passwort an die eingegebene Adresse gesendet.
temporary-sent-on-file = Wenn ein Konto passt, wurde eine E-Mail mit Ihrem neuen Passwort an die für dieses Konto hinterlegte E-Mail-Adresse gesendet.
temporary-sent-advice = Dieses vorläufige Passwort ist { $validity } lang gültig und muss bei Ihrer ersten Anmeldung geändert werden. Sehen Sie auch in Ihrem Spam-Ordner nach.
temporary-sent-change = Mein vorläufiges Passwort ändern
code-resend-wait = Gerade wurde ein Code angefordert: Warten Sie noch { $seconds } Sekunden, bevor Sie einen neuen anfordern.
code-resend-restart = Um einen neuen Code zu erhalten, beginnen Sie noch einmal beim ersten Schritt.
