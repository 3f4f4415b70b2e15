# Texts of the e-mail flows: /code (EFP) and /temporary (CAF, Ecolesoft).

email-button-next = Next
email-hours = { $n ->
    [one] { $n } hour
   *[other] { $n } hours
}
email-minutes = { $n ->
    [one] { $n } minute
   *[other] { $n } minutes
}

code-title = Reset my password
code-intro = Enter the e-mail address you sign in with.
code-field-identifier = Identifier (e-mail)
code-field-identifier-placeholder = first.last@example.org
code-request-hint = You will receive an e-mail with a validation code needed for step 2.
code-no-access = Good to know: if you can no longer read the mailbox of your account, contact the help desk.
code-identifier-missing = Enter the e-mail address of your account.
code-verify-title = Enter the code you received
code-sent = If an account matches "{ $address }", an e-mail with a code has been sent to you.
code-sent-link = Enter the code you received by e-mail.
code-field = Validation code received by e-mail
code-field-hint = 6 digits, for example 2 3 8 3 9 2
code-spam = The code was sent to you by e-mail. If it has not arrived, look in your spam folder.
code-resend = Send the code again
code-resend-hint = A new code can be asked for { $seconds } seconds after the previous one; it then replaces it.
code-resent = If an account matches, a new code has been sent to you; the previous one no longer works.
code-malformed = The validation code has 6 digits.
code-refused = The code is wrong or no longer valid.
code-refused-advice = A code works once, expires after { $validity } and allows { $tries } tries: after that, ask for a new one with "Send the code again". After { $max } mistakes, resetting is blocked for a while.
code-password-title = Choose your new password
code-success-title = Password changed
code-success-text = Your password has been changed.
code-success-login = You can now sign in with your identifier and your new password.
code-link-title = Reset my password
code-link-intro = You opened the link from the e-mail. Press the button to validate your code and choose your new password.
code-link-button = Reset my password
code-link-invalid-title = Link not valid
code-link-invalid = This link is no longer valid: the code has expired, has been used or was replaced by a new one. Ask for a new code.
code-link-restart = Ask for a new code

temporary-title = Forgotten password
temporary-intro = Enter your e-mail address or your identifier: a temporary password will be sent to you by e-mail.
temporary-field-identifier = E-mail address or identifier
temporary-request-hint = The e-mail address must be exactly the one registered for your account.
temporary-identifier-missing = Enter your e-mail address or your identifier.
temporary-sent-title = Request received
temporary-sent = If an account matches, an e-mail with your new password has been sent to the address entered.
temporary-sent-on-file = If an account matches, an e-mail with your new password has been sent to the e-mail address on file for that account.
temporary-sent-advice = This temporary password is valid for { $validity } and must be changed when you first sign in. Remember to check your spam folder.
temporary-sent-change = Change my temporary password
code-resend-wait = A code was just asked for: wait { $seconds } more seconds before asking for a new one.
code-resend-restart = To receive a new code, start again from the first step.
