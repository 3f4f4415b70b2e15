# The mails sent to the person, in German (see locales/fr/mail.ftl).
# { $date } { $time } { $offset }: "29.11.2026", "07:42", "UTC+01:00".

mail-greeting = Guten Tag,
mail-greeting-named = Guten Tag { $name },
mail-footer-auto = Diese Nachricht wurde automatisch versendet; bitte antworten Sie nicht darauf.
mail-footer-auto-site = Diese Nachricht wurde automatisch von { $site } versendet; bitte antworten Sie nicht darauf.
mail-footer-help = Brauchen Sie Hilfe? Wenden Sie sich an { $contact }.

## Password changed

mail-changed-subject = { $site }: Ihr Passwort wurde geändert
mail-changed-what = Das Passwort Ihres Kontos { $login } wurde am { $date } um { $time } Uhr ({ $offset }) von der IP-Adresse { $address } aus geändert.
mail-changed-services = Das neue Passwort gilt ab sofort für:
mail-changed-if-you = Wenn Sie diese Änderung vorgenommen haben, müssen Sie nichts weiter tun.
mail-changed-if-not = Wenn Sie es nicht waren, kennt möglicherweise jemand anderes Ihr Passwort:
mail-changed-report-link = Melden Sie es über diesen Link (gültig { $days } Tage). Er sperrt Änderungen per Selbstbedienung und benachrichtigt den Helpdesk:
mail-changed-report-button = Melden Sie es über diesen Link (gültig { $days } Tage). Er sperrt Änderungen per Selbstbedienung und benachrichtigt den Helpdesk:
mail-changed-report-label = Das war ich nicht
mail-changed-contact = Wenden Sie sich umgehend an { $contact }.

## Password about to expire

mail-expiring-subject = { $days ->
    [one] { $site }: Ihr Passwort läuft in { $days } Tag ab
   *[other] { $site }: Ihr Passwort läuft in { $days } Tagen ab
}
mail-expiring-what = { $days ->
    [one] Das Passwort Ihres Kontos { $login } läuft am { $date } um { $time } Uhr ab (in { $days } Tag). Danach können Sie sich nicht mehr anmelden.
   *[other] Das Passwort Ihres Kontos { $login } läuft am { $date } um { $time } Uhr ab (in { $days } Tagen). Danach können Sie sich nicht mehr anmelden.
}
mail-expiring-change = Ändern Sie es jetzt unter „Mein Konto verwalten“:
mail-expiring-change-label = Mein Konto verwalten

## Forgotten login

mail-identifier-subject = { $site }: Ihr Benutzername
mail-identifier-asked = Sie haben angefordert, Ihren Benutzernamen zu erhalten.
mail-identifier-yours = Ihr Benutzername: { $login }
mail-identifier-use = Verwenden Sie ihn mit Ihrem Passwort, um sich bei den Diensten von { $site } anzumelden.
mail-identifier-not-you = Wenn Sie dies nicht angefordert haben, können Sie diese Nachricht ignorieren: Sie wurde nur an Sie gesendet. Im Zweifel wenden Sie sich an { $contact }.

## Reset code

mail-code-subject = { $site }: Zurücksetzen Ihres Passworts
mail-code-asked = Sie haben angefordert, Ihr Passwort zurückzusetzen.
mail-code-here = Zur Bestätigung Ihrer Anfrage finden Sie hier den Code, den Sie eingeben müssen:
mail-code-once = Dieser Code kann nur einmal verwendet werden. Er läuft in { $validity } ab.
mail-code-or-link = Sie können auch diesen Link öffnen:
mail-code-or-button = Sie können auch auf die folgende Schaltfläche klicken:
mail-code-button = Mein Passwort zurücksetzen
mail-code-not-you = Wenn Sie dies nicht angefordert haben, ignorieren Sie diese Nachricht: Ihr Passwort bleibt unverändert. Im Zweifel wenden Sie sich an { $contact }.

## Temporary password

mail-temporary-subject = { $site }: Ihr vorläufiges Passwort
mail-temporary-asked = Sie haben angefordert, Ihr Passwort zurückzusetzen.
mail-temporary-here = Hier ist ein vorläufiges Passwort für die Anmeldung:
mail-temporary-login = Benutzername:
mail-temporary-password = Vorläufiges Passwort:
mail-temporary-valid = Es ist { $validity } lang gültig.
mail-temporary-must-change = Sie müssen dieses Passwort bei Ihrer ersten Anmeldung ändern.
mail-temporary-sign-in = Melden Sie sich hier an, um Ihr neues Passwort zu wählen:
mail-temporary-button = Mein neues Passwort wählen
mail-temporary-not-you = Wenn Sie dies nicht angefordert haben, wenden Sie sich umgehend an { $contact }.

## A password found in a breach list (passerelle breach-sweep --notify)

mail-breached-subject = { $site }: Ihr Passwort steht in einer Liste veröffentlichter Passwörter
mail-breached-what = Das aktuelle Passwort Ihres Kontos { $login } steht in einer Liste von Passwörtern, die bei Datenlecks anderer Websites veröffentlicht wurden. Es wurde nicht bei uns gestohlen, aber wer diese Liste besitzt, kann es an Ihrem Konto ausprobieren.
mail-breached-change = Wählen Sie jetzt ein neues, ohne das alte zu benötigen:
mail-breached-change-label = Neues Passwort wählen
mail-breached-must-change = Bis Sie es geändert haben, werden Sie bei Ihrer nächsten Anmeldung dazu aufgefordert.
mail-breached-never-ask = Wir fragen Sie niemals per E-Mail nach Ihrem Passwort. Wenn Sie an dieser Nachricht zweifeln, gehen Sie direkt auf die Website von { $site } oder wenden Sie sich an { $contact }.
