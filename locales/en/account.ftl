# Texts of the "Activate my account", "Manage my account" and "Change my
# password" (temporary password) flows, in English.

## Activate my account

activate-title = Activate my account
activate-intro = First use of your account: identify yourself with your personal number and your birth date, then choose your secret question and your password.
activate-already-title = Account already activated
activate-already-text = This account is already activated: a secret question is recorded. If you forgot your password, use "Recover my password".
activate-already-link = Recover my password
activate-question-title = Choose your secret question
activate-question-intro = This question will be asked if you forget your password. Choose an answer you will remember and nobody can guess.
activate-field-question = Secret question
activate-field-question-own = My own question
activate-field-own-question = Your question
activate-field-own-question-hint = Between { $min } and { $max } characters.
activate-field-answer = Answer
activate-field-answer-hint = At least { $min } characters; capitals, accents and extra spaces do not matter.
activate-field-answer-confirm = Confirm the answer
activate-question-missing = Choose a question, or write your own.
activate-question-length = Your question must be between { $min } and { $max } characters long.
activate-answer-too-short = The answer must be at least { $min } characters long.
activate-answer-mismatch = The confirmation does not match the answer.
activate-answer-is-login = The answer must not be your login.
activate-answer-is-birth-date = The answer must not be your birth date.
activate-password-title = Choose your password
activate-success-title = Account activated
activate-secret-not-saved = Your password was recorded, but not your secret question: start the activation again to choose it, or contact { $contact }.

## Manage my account

account-title = Manage my account
account-intro = Sign in with your login and your current password.
account-field-login = Login
account-field-login-placeholder = Enter your login
account-field-password = Current password
account-login-missing = Enter your login.
account-password-missing = Enter your current password.
account-login-failed = Wrong login or password. After several failed attempts an account is locked for a while: try again later.
account-locked = This account is temporarily locked after too many failed attempts. Try again later or contact { $contact }.
account-temporary = Your current password is a temporary one: choose your own first.
account-temporary-link = Choose my password
account-menu-title = My account
account-menu-intro = You are signed in as { $login }. What would you like to do?
account-change-password = Change my password
account-change-question = Change my question
account-logout = Sign out
account-logged-out-title = Signed out
account-logged-out = You are signed out.
account-password-title = Change my password
account-question-title = Change my secret question
account-question-done-title = Question recorded
account-question-done = Your new secret question and its answer are recorded.
account-back = Back to my account

## Change my password (temporary password)

change-title = Change my password
change-intro = Enter your login and your current password (the temporary password you received by e-mail, if any).
change-password-title = Choose your own password
change-password-intro = For your security, please now choose your own password.
change-field-current = Current password
change-field-confirmation = Confirm password
change-current-missing = Enter your current password.
change-current-wrong = The current password is wrong.
change-current-too-often = The current password was typed wrong too many times. For your security the procedure has stopped: please sign in again.
change-sign-in-again = Sign in again
change-expired-title = Temporary password expired
change-expired-text = This temporary password has expired and can no longer be used. Ask for a new one.
change-expired-link = Ask for a new temporary password
change-expired-contact = To get a new temporary password, contact { $contact }.
activate-in-use-hint = If your account is already in use, sign in to "Manage my account" to choose your secret question.

## "It was not me" (the link of the "password changed" mail)
not-me-title = It was not me
not-me-intro = The password of the account { $login } was changed on { $when }, from the IP address { $address }.
not-me-explain = If it was not you, press the button: nobody will be able to change this account's password on this site any more, and the help desk ({ $contact }) will be alerted to help you take it back. Nothing is done until you press it.
not-me-button = It was not me: freeze and alert the help desk
not-me-done-title = Report recorded
not-me-done = Self-service password changes are frozen for your account, and the help desk received the details of the change (time, IP address, browser).
not-me-next = The help desk ({ $contact }) will check who you are by a safe means, give you a new password, then lift the freeze. If you use the same password elsewhere, change it there too.
not-me-invalid-title = Invalid link
not-me-invalid = This link is not valid or has expired.
not-me-superseded = This link no longer counts: the password was changed again since.
not-me-used = This report was already recorded: self-service is frozen for this account and the help desk was alerted.
not-me-contact = If in doubt, contact { $contact }.

## The built-in secret questions (stored on the entry in French)
question-first-pet = What was the name of your first pet?
question-birth-city = In which city were you born?
question-primary-school = What was the name of your primary school?
