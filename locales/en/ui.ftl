# Texts of Passerelle's web pages (English).

## Layout

skip-to-content = Skip to content
nav-label = Main navigation
nav-home = Home
nav-activate = Activate my account
nav-forgotten = Forgotten credentials
nav-account = Manage my account
nav-help = Help
lang-switch-label = Language
step-indicator = Step { $step } of { $total }
# A field's label with the colon as the language writes it, and the step bar's percentage.
field-label = { $label }:
field-label-required = { $label } *:
step-percent = { $percent }%
error-summary-title = There is a problem
footer-help = Need help? Contact { $contact }.
logo-alt = { $site } logo

## Home

home-title = Welcome
home-intro = Choose what you would like to do.
forgotten-title = Forgotten credentials
forgotten-intro = Forgotten your password or your login? Choose below.
flow-recover-title = Recover my password
flow-recover-summary = Recover your password in a few steps.
flow-identifier-title = Recover my login
flow-identifier-summary = Recover your login in a few steps.
flow-activate-title = Activate my account
flow-activate-summary = First use: choose your secret question and your password.
flow-account-title = Manage my account
flow-account-summary = Change your password or your secret question.
flow-code-title = Receive a code by e-mail
flow-code-summary = A validation code is sent to your e-mail address.
flow-temporary-title = Receive a temporary password
flow-temporary-summary = A temporary password is sent to your e-mail address.

## Help

help-title = Help
help-intro = To recover your password, have your personal number and your date of birth at hand, then answer your secret question.
help-contact = If it does not work, contact { $contact }.

## Identity (personal number + date of birth)

recover-title = Recover my password
recover-intro = You can recover your password with the information below, which identifies you in our information system.
identifier-kinds-intro = If you are:
kind-student = a student
kind-student-text = you can use your student number or your INE.
kind-staff = a member of staff
kind-staff-text = you can use your staff number.
kind-external = an external user
kind-external-text = you can use the unique identifier you were given.
kind-details-summary = Where do I find these numbers?
detail-student-number = Student number
detail-student-number-text = You received it at the end of enrolment. It is printed on your multiservice card.
detail-ine = INE
detail-ine-text = It is printed, for instance, on your baccalaureate transcript and on your multiservice card.
detail-staff-number = Staff number
detail-staff-number-text = Your number in the staff management database. It is printed on your multiservice card.
detail-uid = UID
detail-uid-text = UID (Unique Identifier)
field-identifier = Personal number
field-identifier-placeholder = Enter your personal number
field-birth-date = Date of birth
field-birth-date-hint = dd/mm/yyyy
button-submit = Submit
identifier-missing = Enter your personal number.
birth-date-invalid = Enter your date of birth as dd/mm/yyyy.
identity-failed = The information you entered does not identify you. Check your personal number and your date of birth.
identity-failed-lock = After { $max } failed attempts, self-service recovery is blocked for { $minutes } minutes; then try again later or contact { $contact }.

## Secret question

question-title = Secret question
question-intro = Answer your secret question.
field-answer-placeholder = your answer
answer-missing = Enter your answer.
answer-wrong = { $left ->
    [one] This answer does not match. You have 1 attempt left.
   *[other] This answer does not match. You have { $left } attempts left.
}
locked-title = Recovery temporarily blocked
locked-text = Too many failed attempts: self-service recovery for this account is blocked until { $until }.
locked-advice = Try again later or contact { $contact }.
no-question-title = Your account is not activated yet
no-question-text = No secret question is recorded for this account: activate your account first.
no-question-contact = To activate your account, contact { $contact }.

## New password

password-title = Choose your new password
field-new-password = New password
field-new-password-placeholder = New password
field-confirmation = Confirmation
field-confirmation-placeholder = Confirm the new password
rules-intro = To be valid, your password:
rules-checkbox = I have read the rules of the institution.
rules-link = Read the rules
rules-checkbox-missing = Tick the box "I have read the rules of the institution."
password-missing = Enter a new password.
confirmation-mismatch = The confirmation does not match the new password.
pw-locked = This account is locked in the directory; contact { $contact }.
pw-refused-directory = The directory refused this password; choose another one.
success-title = Password changed
success-text = Done: your password has been changed. You will also receive a confirmation e-mail.
success-text-no-mail = Done: your password has been changed. No confirmation e-mail could be sent: no address is recorded for your account. To add one, contact { $contact }.
changed-meanwhile-title = Password already changed
changed-meanwhile-text = Your password was changed a moment ago by another request (another tab, or another procedure): the one you have just typed was not recorded.
changed-meanwhile-advice = If it was not you, contact { $contact } straight away.
stopped-title = Self-service is not available for this account
stopped-text = This account cannot be changed through self-service at the moment: it is locked, suspended or closed. Nothing was recorded.
stopped-contact = For any question, contact { $contact }.
old-password-required-title = This change cannot be made here
old-password-required-text = The directory requires your current password for any password change, and a reset cannot supply it. Nothing was recorded.
old-password-required-advice = If you know your current password, change it from "Manage my account"; otherwise, contact { $contact }.
success-services = Remember to use your new password to sign in to:
success-finish = Finish
# Some replica of the directory had not taken the new password yet.
success-replica-lag = Wi-Fi may take a minute to accept it.
# The site's RADIUS server (eduroam) accepted the new password.
success-wifi-confirmed = Wi-Fi (eduroam) already accepts your new password.

## Recover my login

identifier-title = Recover my login
identifier-intro = Enter your personal number and your date of birth: if they match an account, your login is sent to your recovery e-mail address.
identifier-sent-title = Request received
identifier-sent = If the information you entered matches an account, your login has just been sent to the recovery e-mail address recorded for that account.
identifier-sent-advice = Check your spam folder. If no message arrives within a few minutes, contact { $contact }.

## Errors

error-title = Something went wrong
error-back-home = Back to the home page
error-restart = Start again
error-bad-request = The form could not be read. Start again from the beginning.
error-too-large = The form is too large.
error-expired = Your session has expired, start again.
error-csrf = This form is no longer valid. Reload the page and try again.
error-cross-site = This form was sent from another site, not from our pages: nothing was done. If you were filling it in here, open this service from its own address and start again.
error-step = This step is not available: the form was already submitted, or an earlier step was not completed. Start again from the beginning.
error-rate-limited = Too many attempts from your address. Wait a minute and try again.
error-captcha-audio-spent = This recording has been played as many times as allowed. Ask for a new code with “New code”, then listen to that one.
error-unavailable = The service is temporarily unavailable. Try again in a few minutes.
error-internal = An unexpected error occurred. Try again later or contact { $contact }.
error-not-found = This page does not exist.

