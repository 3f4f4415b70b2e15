# The seed systems' own words (config/presets/), which each preset places
# on its pages through the [texts] section of the configuration, in
# German. **…** marks what the seeds show in bold.

button-cancel = Abbrechen

## Caf (services.caf.fr and Partenaires): on every page

caf-notice-reserved = Dieser berufliche Dienst **ist ausschließlich berechtigten Personen vorbehalten.** Wenn Sie nicht dazugehören, können der Zugriff auf diese Website und der Verbleib darauf nach dem französischen Gesetz Nr. 88-19 vom 5. Januar 1988 (sogenanntes Godfrain-Gesetz) verfolgt werden, ebenso wie Versuche, ihren Betrieb zu verfälschen oder zu behindern.
caf-notice-commitment = Mit dem Zugriff auf diesen Dienst verpflichten Sie sich, die Nutzung der Informationen, auf die Sie Zugriff haben, auf die Aufgaben und Zwecke zu beschränken, die in der Vereinbarung zwischen der Caf und Ihrer Einrichtung festgelegt sind.
caf-notice-personal = Ihre Vorgesetzten haben Ihnen Zugriffsrechte erteilt, **die Ihnen persönlich zugewiesen sind** und die dem Berechtigungsverwalter der Caf gemeldet wurden. Um die Vertraulichkeit der Daten zu gewährleisten und jedes Eindringen zu verhindern, **dürfen Sie Ihre Kennung und Ihr Passwort niemals weitergeben oder teilen**. Bei Zuwiderhandlung können Sie persönlich haftbar gemacht und die Vereinbarung gekündigt werden.
caf-why-change-title = Warum das Passwort ändern?
caf-why-change = Ändern Sie aus Sicherheitsgründen regelmäßig Ihr Passwort.
caf-personalise = Wählen Sie aus Sicherheitsgründen jetzt Ihr eigenes Passwort.
caf-captcha-why-title = Wozu dient das?
caf-captcha-why = Diese Funktion hilft uns zu verhindern, dass automatisierte Programme Passwörter zurücksetzen.
caf-captcha-how = Geben Sie den Text so ein, wie er im Bild erscheint. Setzen Sie keine Leerzeichen zwischen die Buchstaben.
caf-identifier-from-admin = Ihre Kennung erhalten Sie vom Administrator Ihrer Einrichtung.
caf-temporary-copy = Geben Sie Ihre Kennung und das per E-Mail erhaltene vorläufige Passwort ein (für das Passwort empfiehlt sich Kopieren und Einfügen).

## Ecolesoft (family portal)

ecolesoft-change-why = **Um die Sicherheit Ihrer Anwendung zu verbessern, bitten wir Sie, ein neues Passwort einzugeben.**
ecolesoft-change-criteria = Wählen Sie ein neues Passwort, das die folgenden Kriterien erfüllt:
ecolesoft-login-again = Nachdem das neue Passwort gespeichert ist, melden Sie sich mit dem soeben erstellten Passwort erneut an.

## EFP Connect

efp-password-lead = Wählen Sie Ihr neues Passwort. Es muss die unten aufgeführten Kriterien erfüllen.
efp-no-access = **Gut zu wissen:** Wenn Sie keinen Zugriff mehr auf die mit Ihrer Kennung verknüpfte E-Mail-Adresse haben, müssen Sie ein neues Konto mit einer gültigen E-Mail-Adresse anlegen. Wichtige Mitteilungen werden an diese Adresse gesendet.
