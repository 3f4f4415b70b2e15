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
