# Issue 21: code by SMS, choice of channel, the person's recovery data
# (address and mobile) and the notice of every change.

## The SMS texts, kept to the GSM alphabet (ä, ö, ü, ß are in it; curly
## quotes are not and would send the SMS in UCS-2, 70 characters instead of 160).
sms-text-code = { $site }: Ihr Code lautet { $code }. Er läuft in { $minutes } Min. ab. Geben Sie ihn niemandem weiter.
sms-text-verify = { $site }: Der Code zur Bestätigung dieser Nummer lautet { $code } (gültig { $minutes } Min.). Wenn Sie nichts angefordert haben, ignorieren Sie diese Nachricht.
sms-text-mobile-changed = { $site }: Seit dem { $when } ist diese Nummer nicht mehr die Wiederherstellungs-Mobilnummer Ihres Kontos. Wenn Sie das nicht waren, sehen Sie in Ihre E-Mails oder wenden Sie sich an { $contact }.

## Why a number cannot receive a code (docs/sms.md).
sms-number-empty = Geben Sie eine Mobilnummer ein.
sms-number-not-a-number = Das ist keine Telefonnummer: Geben Sie nur Ziffern ein, zum Beispiel 06 12 34 56 78 oder +33 6 12 34 56 78.
sms-number-unknown-country-code = Diese Ländervorwahl gibt es nicht.
sms-number-too-short = Diese Nummer ist zu kurz.
sms-number-too-long = Diese Nummer ist zu lang.
sms-number-invalid = Diese Nummer gibt es in dieser Form nicht.
sms-number-country-not-allowed = In dieses Land können keine SMS gesendet werden.
sms-number-landline = Das ist eine Festnetznummer: Sie kann keine SMS empfangen. Geben Sie eine Mobilnummer an.
sms-number-maybe-landline = Diese Nummer ist möglicherweise eine Festnetznummer: Geben Sie eine Mobilnummer an.
sms-number-premium-rate = Das ist eine kostenpflichtige Sondernummer (Mehrwertdienst): An sie wird kein Code gesendet. Geben Sie eine Mobilnummer an.
sms-number-shared-cost = Das ist eine Service-Nummer mit geteilten Kosten: Geben Sie eine Mobilnummer an.
sms-number-toll-free = Das ist eine gebührenfreie Nummer: Geben Sie eine Mobilnummer an.
sms-number-not-mobile = Das ist keine Mobilnummer: Geben Sie eine Mobilnummer an.
sms-number-disabled = SMS werden auf dieser Website nicht angeboten.

## Recovery data: what is refused.
recovery-value-missing = Geben Sie einen Wert ein.
recovery-mail-invalid = Geben Sie eine gültige E-Mail-Adresse ein, zum Beispiel vorname.nachname@beispiel.de.
recovery-mail-institutional = Das ist die Adresse Ihrer Einrichtung: Geben Sie eine private Adresse an, die Sie auch ohne dieses Passwort lesen können.
recovery-value-unchanged = Das ist bereits die Angabe Ihres Kontos.
recovery-nothing-to-remove = Ihr Konto hat keine solche Angabe.
recovery-code-wrong = Dieser Code ist nicht richtig.

## Receive a code by SMS (/sms).
flow-sms-title = Einen Code per SMS erhalten
flow-sms-summary = Ein 6-stelliger Code auf Ihr Mobiltelefon, nach Angabe Ihrer persönlichen Nummer und Ihres Geburtsdatums.
sms-title = Einen Code per SMS erhalten
sms-intro = Identifizieren Sie sich mit Ihrer persönlichen Nummer und Ihrem Geburtsdatum: Anschließend wird Ihnen ein Code an die Mobilnummer Ihres Kontos gesendet oder, wenn Sie möchten, an Ihre Wiederherstellungs-E-Mail-Adresse.
sms-channel-title = Wohin soll der Code gesendet werden?
sms-channel-intro = Dies sind die für Ihr Konto gespeicherten Kontaktwege (teilweise verdeckt).
sms-channel-legend = Code senden
sms-channel-mobile = per SMS an { $number }
sms-channel-mail = per E-Mail an { $address }
sms-channel-hint = Der Code ist einige Minuten gültig und kann nur einmal verwendet werden. Pro Tag kann nur eine begrenzte Anzahl von SMS gesendet werden.
sms-channel-button = Code senden
sms-channel-missing = Wählen Sie, wohin der Code gesendet werden soll.
sms-channel-unusable = Die für Ihr Konto gespeicherte Nummer kann keinen Code empfangen. { $reason } Sie können sie unter „Mein Konto verwalten“ korrigieren.
sms-no-channel-title = Keine Möglichkeit, Ihnen einen Code zu senden
sms-no-channel = Für Ihr Konto ist weder eine Mobilnummer noch eine Wiederherstellungs-E-Mail-Adresse gespeichert, an die ein Code gesendet werden könnte. Nutzen Sie „Mein Passwort wiederherstellen“, wenn Sie eine Sicherheitsfrage haben, oder wenden Sie sich an { $contact }.
sms-limit-address = Von Ihrer Verbindung aus wurden zu viele SMS angefordert: Versuchen Sie es in einer Stunde erneut oder wählen Sie E-Mail.
sms-limit-ceiling = SMS sind vorübergehend nicht verfügbar: Versuchen Sie es in einigen Minuten erneut oder wählen Sie E-Mail.
sms-daily-cap = Ihr Konto hat heute bereits die Höchstzahl an SMS erhalten: Versuchen Sie es nach { $until } erneut oder wählen Sie E-Mail.
sms-failed = Der Code konnte nicht gesendet werden. Versuchen Sie es später erneut oder wenden Sie sich an { $contact }.
sms-verify-title = Geben Sie den erhaltenen Code ein
sms-sent-mobile = Soeben wurde ein Code per SMS an { $number } gesendet.
sms-sent-mail = Soeben wurde ein Code per E-Mail an { $address } gesendet.
sms-sent = Geben Sie den erhaltenen Code ein.
sms-code-field = Erhaltener Code
sms-refused-advice = Ein Code gilt nur einmal, läuft nach einigen Minuten ab und erlaubt nur { $tries } Versuche: Danach fordern Sie mit „Code erneut senden“ einen neuen an. Nach { $max } Fehlern wird das Zurücksetzen eine Zeit lang gesperrt.
sms-password-title = Wählen Sie Ihr neues Passwort

## Choice of channel in the e-mail code flow (/code).
code-channel-legend = Code erhalten
code-channel-mail = per E-Mail
code-channel-mobile = per SMS an die Mobilnummer des Kontos
code-sent-sms = Wenn „{ $address }“ zu einem Konto mit Mobilnummer passt, wurde soeben ein Code per SMS an diese Nummer gesendet.

## My recovery data (Manage my account).
account-recovery-data = Meine Wiederherstellungsadresse und Mobilnummer
account-sign-in-again = Erneut anmelden
recovery-title = Meine Wiederherstellungsdaten
recovery-intro = Über diese Kontaktwege erhalten Sie wieder Zugang zu Ihrem Konto, wenn Sie Ihr Passwort vergessen. Jede Änderung wird Ihren Adressen gemeldet.
recovery-mail = Wiederherstellungs-E-Mail-Adresse
recovery-mobile = Mobilnummer
recovery-none = keine
recovery-change-mail = Meine Wiederherstellungsadresse ändern
recovery-change-mobile = Meine Mobilnummer ändern
recovery-mail-title = Meine Wiederherstellungsadresse
recovery-mobile-title = Meine Mobilnummer
recovery-mail-intro = Geben Sie eine private Adresse an, die Sie auch ohne Ihr Passwort lesen können. Dorthin wird ein Code gesendet: Die Adresse wird erst gespeichert, wenn dieser Code eingegeben ist.
recovery-mobile-intro = Geben Sie Ihre Mobilnummer an. Dorthin wird ein Code per SMS gesendet: Die Nummer wird erst gespeichert, wenn dieser Code eingegeben ist.
recovery-current-value = Derzeit: { $value }
recovery-new-mail = Neue Wiederherstellungsadresse
recovery-new-mobile = Neue Mobilnummer
recovery-mail-hint = Zum Beispiel vorname.nachname@beispiel.de
recovery-mobile-hint = Zum Beispiel 06 12 34 56 78 oder +33 6 12 34 56 78
recovery-current-hint = Geben Sie zu Ihrer Sicherheit Ihr aktuelles Passwort erneut ein.
recovery-send-code = Code senden
recovery-remove = Entfernen
recovery-back = Zurück zu meinen Wiederherstellungsdaten
recovery-removed-title = Entfernt
recovery-mail-removed = Ihre Wiederherstellungsadresse wurde entfernt; eine Nachricht an Ihre Adressen bestätigt dies. Im Zweifel wenden Sie sich an { $contact }.
recovery-mobile-removed = Ihre Mobilnummer wurde entfernt; eine Nachricht an Ihre Adressen bestätigt dies. Im Zweifel wenden Sie sich an { $contact }.
recovery-not-sent-later = Derzeit kann kein Code gesendet werden: Versuchen Sie es nach { $until } erneut.
recovery-not-sent-cooldown = Soeben wurde eine Nachricht an Ihr Konto gesendet: Warten Sie eine Minute, bevor Sie eine weitere anfordern.
recovery-not-sent = Vorerst konnte kein Code gesendet werden. Versuchen Sie es später erneut, lassen Sie diese Felder leer, um fortzufahren, oder wenden Sie sich an { $contact }.
recovery-verify-title = Geben Sie den erhaltenen Code ein
recovery-code-mail = Per E-Mail erhaltener Code
recovery-code-mobile = Per SMS erhaltener Code
recovery-code-sent-mail = Soeben wurde ein Code an { $value } gesendet.
recovery-code-sent-mobile = Soeben wurde ein Code per SMS an { $value } gesendet.
recovery-changed-title = Änderung gespeichert
recovery-mail-changed = Ihre neue Wiederherstellungsadresse ist gespeichert; eine Nachricht an Ihre Adressen meldet dies. Im Zweifel wenden Sie sich an { $contact }.
recovery-mobile-changed = Ihre neue Mobilnummer ist gespeichert; eine Nachricht an Ihre Adressen und an die bisherige Nummer meldet dies. Im Zweifel wenden Sie sich an { $contact }.
recovery-restart = Dieser Code ist abgelaufen, oder Ihr Passwort wurde vor zu langer Zeit eingegeben: Beginnen Sie die Änderung von vorn.
recovery-locked = Zu viele Fehlversuche: Änderungen sind eine Zeit lang gesperrt. Versuchen Sie es später erneut oder wenden Sie sich an { $contact }.

## Activate my account: ways to reach you.
activate-recovery-title = Ihre Wiederherstellungsdaten
activate-recovery-intro = Wenn Sie Ihr Passwort vergessen, kann Ihnen ein Code an diese Kontaktwege gesendet werden. An jede angegebene Adresse bzw. Nummer wird ein Code gesendet, den Sie im nächsten Schritt eingeben.
activate-recovery-optional = Sie können diese Felder leer lassen und später unter „Mein Konto verwalten“ ausfüllen.

## It was not me: a recovery factor changed.
not-me-intro-question = Die Sicherheitsfrage des Kontos { $login } wurde am { $when } von der IP-Adresse { $address } aus geändert.
not-me-intro-mail = Die Wiederherstellungsadresse des Kontos { $login } wurde am { $when } von der IP-Adresse { $address } aus geändert.
not-me-intro-mobile = Die Mobilnummer des Kontos { $login } wurde am { $when } von der IP-Adresse { $address } aus geändert.
