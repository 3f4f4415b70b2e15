# Issue 21: the code by SMS, the choice of the way, the person's own
# recovery data (address and mobile) and the notice of every change.

## The texts themselves (a straight apostrophe: ’ would send the SMS in UCS-2).
sms-text-code = { $site }: your code is { $code }. It expires in { $minutes } min. Never give it to anyone.
sms-text-verify = { $site }: the code to confirm this number is { $code } (valid { $minutes } min). If you asked for nothing, ignore this message.
sms-text-mobile-changed = { $site }: this number is no longer the recovery mobile of your account since { $when }. If it was not you, read your mail or contact { $contact }.

## Why a number cannot receive a code (docs/sms.md).
sms-number-empty = Enter a mobile number.
sms-number-not-a-number = This is not a phone number: type digits only, for example 06 12 34 56 78 or +33 6 12 34 56 78.
sms-number-unknown-country-code = This country code does not exist.
sms-number-too-short = This number is too short.
sms-number-too-long = This number is too long.
sms-number-invalid = This number does not exist in this form.
sms-number-country-not-allowed = SMS cannot be sent to this country.
sms-number-landline = This is a landline number: it cannot receive SMS. Give a mobile number.
sms-number-maybe-landline = This number may be a landline: give a mobile number.
sms-number-premium-rate = This is a premium-rate number: no code is sent to it. Give a mobile number.
sms-number-shared-cost = This is a shared-cost number: give a mobile number.
sms-number-toll-free = This is a free-phone number: give a mobile number.
sms-number-not-mobile = This is not a mobile number: give a mobile number.
sms-number-disabled = SMS are not offered on this site.

## Recovery data: what is refused.
recovery-value-missing = Enter a value.
recovery-mail-invalid = Enter a valid e-mail address, for example first.last@example.org.
recovery-mail-institutional = This is your institution's address: give a personal address, one you can read without this password.
recovery-value-unchanged = This is already your account's.
recovery-nothing-to-remove = Your account has none.
recovery-code-wrong = This code is not the right one.

## Receive a code by SMS (/sms).
flow-sms-title = Receive a code by SMS
flow-sms-summary = A 6-digit code sent to your mobile, after your personal number and date of birth.
sms-title = Receive a code by SMS
sms-intro = Identify yourself with your personal number and date of birth: a code will then be sent to your account's mobile, or to your recovery address if you prefer.
sms-channel-title = Where should the code go?
sms-channel-intro = These are the ways to reach you recorded for your account (partly masked).
sms-channel-legend = Send the code
sms-channel-mobile = by SMS to { $number }
sms-channel-mail = by e-mail to { $address }
sms-channel-hint = The code is valid for a few minutes and works once. Only so many SMS can be sent each day.
sms-channel-button = Send the code
sms-channel-missing = Choose where to send the code.
sms-channel-unusable = The number recorded for your account cannot receive a code. { $reason } You can correct it in "Manage my account".
sms-no-channel-title = No way to send you a code
sms-no-channel = Your account has neither a mobile nor a recovery address to send a code to. Use "Recover my password" if you have a secret question, or contact { $contact }.
sms-limit-address = Too many SMS were asked for from your connection: try again in an hour, or choose e-mail.
sms-limit-ceiling = SMS are unavailable for the moment: try again in a few minutes, or choose e-mail.
sms-daily-cap = Your account has already received the most SMS allowed today: try again after { $until }, or choose e-mail.
sms-failed = The code could not be sent. Try again later or contact { $contact }.
sms-verify-title = Enter the code you received
sms-sent-mobile = A code was just sent by SMS to { $number }.
sms-sent-mail = A code was just sent by e-mail to { $address }.
sms-sent = Enter the code you received.
sms-code-field = Code received
sms-refused-advice = A code works once, expires after a few minutes and allows only { $tries } tries: after that, ask for a new one with "Send the code again". After { $max } mistakes, resetting is blocked for a while.
sms-password-title = Choose your new password

## The choice of the way in the code flow (/code).
code-channel-legend = Receive the code
code-channel-mail = by e-mail
code-channel-mobile = by SMS, on the account's mobile
code-sent-sms = If "{ $address }" matches an account with a mobile number, a code was just sent to it by SMS.

## My recovery data (Manage my account).
account-recovery-data = My recovery address and mobile
account-sign-in-again = Sign in again
recovery-title = My recovery data
recovery-intro = These ways to reach you let you back into your account if you forget your password. Every change is reported to your addresses.
recovery-mail = Recovery e-mail address
recovery-mobile = Mobile number
recovery-none = none
recovery-change-mail = Change my recovery address
recovery-change-mobile = Change my mobile number
recovery-mail-title = My recovery address
recovery-mobile-title = My mobile number
recovery-mail-intro = Give a personal address, one you can read even without your password. A code will be sent to it: the address is recorded only once that code is typed.
recovery-mobile-intro = Give your mobile number. A code will be sent to it by SMS: the number is recorded only once that code is typed.
recovery-current-value = Now: { $value }
recovery-new-mail = New recovery address
recovery-new-mobile = New mobile number
recovery-mail-hint = For example first.last@example.org
recovery-mobile-hint = For example 06 12 34 56 78 or +33 6 12 34 56 78
recovery-current-hint = For your security, type your current password again.
recovery-send-code = Send a code
recovery-remove = Remove
recovery-back = Back to my recovery data
recovery-removed-title = Removed
recovery-mail-removed = Your recovery address is removed; a message confirms it to your addresses. If in doubt, contact { $contact }.
recovery-mobile-removed = Your mobile number is removed; a message confirms it to your addresses. If in doubt, contact { $contact }.
recovery-not-sent-later = No code can be sent now: try again after { $until }.
recovery-not-sent-cooldown = A message was just sent to your account: wait a minute before asking for another.
recovery-not-sent = No code could be sent for now. Try again later, leave these fields empty to go on, or contact { $contact }.
recovery-verify-title = Enter the code you received
recovery-code-mail = Code received by e-mail
recovery-code-mobile = Code received by SMS
recovery-code-sent-mail = A code was just sent to { $value }.
recovery-code-sent-mobile = A code was just sent by SMS to { $value }.
recovery-changed-title = Change recorded
recovery-mail-changed = Your new recovery address is recorded; a message reports it to your addresses. If in doubt, contact { $contact }.
recovery-mobile-changed = Your new mobile number is recorded; a message reports it to your addresses and to the old number. If in doubt, contact { $contact }.
recovery-restart = This code has expired, or your password was typed too long ago: start the change again.
recovery-locked = Too many failed tries: changes are blocked for a while. Try again later or contact { $contact }.

## Activate my account: ways to reach you.
activate-recovery-title = Your recovery details
activate-recovery-intro = If you forget your password, a code can be sent to these. A code is sent to each value given, to be typed at the next step.
activate-recovery-optional = You may leave these fields empty and fill them in later in "Manage my account".

## It wasn't me: a recovery factor changed.
not-me-intro-question = The secret question of the account { $login } was changed on { $when }, from the IP address { $address }.
not-me-intro-mail = The recovery address of the account { $login } was changed on { $when }, from the IP address { $address }.
not-me-intro-mobile = The mobile number of the account { $login } was changed on { $when }, from the IP address { $address }.
