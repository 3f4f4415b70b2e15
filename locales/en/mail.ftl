# The mails sent to the person (templates/mail/<kind>/: subject, text,
# HTML). The "It was not me" alert, sent to the help desk, stays in French
# and English, like the help desk's tool.
# { $date } { $time } { $offset }: "2026-11-29", "07:42", "UTC+01:00".

mail-greeting = Hello,
mail-greeting-named = Hello { $name },
mail-footer-auto = This message was sent automatically; please do not reply to it.
mail-footer-auto-site = This message was sent automatically by { $site }; please do not reply to it.
mail-footer-help = Need help? Contact { $contact }.

## Password changed

mail-changed-subject = { $site }: your password was changed
mail-changed-what = The password of your account { $login } was changed on { $date } at { $time } ({ $offset }), from the IP address { $address }.
mail-changed-services = The new password is now the one for:
mail-changed-if-you = If you made this change, there is nothing else to do.
mail-changed-if-not = If you did not, someone else may know your password:
mail-changed-report-link = report it by opening this link (valid { $days } days), which stops self-service changes and alerts the help desk:
mail-changed-report-button = report it with this link (valid { $days } days), which stops self-service changes and alerts the help desk:
mail-changed-report-label = It was not me
mail-changed-contact = contact { $contact } without delay.

## Password about to expire

mail-expiring-subject = { $days ->
    [one] { $site }: your password expires in { $days } day
   *[other] { $site }: your password expires in { $days } days
}
mail-expiring-what = { $days ->
    [one] The password of your account { $login } expires on { $date } at { $time } (in { $days } day). After that you will not be able to sign in.
   *[other] The password of your account { $login } expires on { $date } at { $time } (in { $days } days). After that you will not be able to sign in.
}
mail-expiring-change = Change it now in "Manage my account":
mail-expiring-change-label = Manage my account

## Forgotten login

mail-identifier-subject = { $site }: your login
mail-identifier-asked = You asked to receive your login.
mail-identifier-yours = Your login: { $login }
mail-identifier-use = Use it with your password to sign in to the services of { $site }.
mail-identifier-not-you = If you did not ask for it, you can ignore this message: it was sent to you only. If in doubt, contact { $contact }.

## Reset code

mail-code-subject = { $site }: resetting your password
mail-code-asked = You asked to reset your password.
mail-code-here = To confirm your request, here is the reset code to enter:
mail-code-once = This code can be used once only. It will expire in { $validity }.
mail-code-or-link = You can also open this link:
mail-code-or-button = You can also click the button below:
mail-code-button = Reset my password
mail-code-not-you = If you did not ask for this, ignore this message: your password stays as it is. If in doubt, contact { $contact }.

## Temporary password

mail-temporary-subject = { $site }: your temporary password
mail-temporary-asked = You asked to reset your password.
mail-temporary-here = Here is a temporary password to sign in with:
mail-temporary-login = Login:
mail-temporary-password = Temporary password:
mail-temporary-valid = It is valid for { $validity }.
mail-temporary-must-change = You must change this password when you first sign in.
mail-temporary-sign-in = Sign in here to choose your new password:
mail-temporary-button = Choose my new password
mail-temporary-not-you = If you did not ask for this, contact { $contact } without delay.

## A password found in a breach list (passerelle breach-sweep --notify)

mail-breached-subject = { $site }: your password is in a list of leaked passwords
mail-breached-what = The current password of your account { $login } is in a list of passwords leaked in data breaches of other sites. It was not stolen from us, but anyone who holds that list can try it on your account.
mail-breached-change = Choose a new one now, without needing the old one:
mail-breached-change-label = Choose a new password
mail-breached-must-change = Until you have changed it, you will be asked to do so at your next sign-in.
mail-breached-never-ask = We will never ask for your password by e-mail. If you have any doubt about this message, go to the { $site } site directly or contact { $contact }.
