# The JSON API speaks to integrators (portals, scripts): French and English
# only; the other languages get English (docs/api.md).

## JSON API (RFC 9457 problems: title, then detail)

api-problem-bad-request = Unreadable request
api-problem-bad-request-detail = The body must be a valid JSON document, encoded in UTF-8, with the expected fields.
api-problem-unsupported-media-type = Content type refused
api-problem-unsupported-media-type-detail = Send the body as application/json.
api-problem-too-large = Request too large
api-problem-too-large-detail = The body is over the accepted size.
api-problem-unauthorized = Token missing or refused
api-problem-unauthorized-detail = Present a valid token in the Authorization: Bearer header.
api-problem-cookies-refused = Token required
api-problem-cookies-refused-detail = The API does not accept cookies: present a token in the Authorization: Bearer header.
api-problem-forbidden = Action not allowed
api-problem-forbidden-detail = This token does not allow this action.
api-problem-rate-limited = Too many requests
api-problem-rate-limited-detail = This client is over its allowed rate; try again after the delay Retry-After gives.
api-problem-not-found = Unknown address
api-problem-not-found-detail = No API action at this address.
api-problem-method-not-allowed = Method not accepted
api-problem-method-not-allowed-detail = This address does not accept this HTTP method.
api-problem-action-disabled = Action turned off
api-problem-action-disabled-detail = The site turned off the flow this action is part of.
api-problem-unknown-person = Unknown person
api-problem-unknown-person-detail = This identifier names no account.
api-problem-invalid-input = Missing field
api-problem-invalid-input-detail = A required field is empty.
api-problem-sign-in-refused = Login or current password refused
api-problem-sign-in-refused-detail = The login or the current password is wrong, or the account may not use this service now. Each failure is counted and may lock the account.
api-problem-password-refused = New password refused
api-problem-password-refused-detail = The new password does not meet the rules; see "problems". Nothing was changed.
api-problem-locked = Account locked
api-problem-locked-detail = Too many failed attempts: self-service is locked for this account until the time given.
api-problem-self-service-stopped = Self-service unavailable for this account
api-problem-self-service-stopped-detail = This account may not use self-service now (locked by IT, frozen, or closed). Nothing was changed.
api-problem-changed-meanwhile = Password changed meanwhile
api-problem-changed-meanwhile-detail = Another request changed the password during this one. Nothing was changed.
api-problem-old-password-required = Change not possible through this service
api-problem-old-password-required-detail = The directory demands an operation the gateway cannot make for this account. Nothing was changed; contact the help desk.
api-problem-temporary-expired = Temporary password expired
api-problem-temporary-expired-detail = The temporary password was right but has expired: ask for a new one.
api-problem-unavailable = Service temporarily unavailable
api-problem-unavailable-detail = The directory does not answer. Try again in a few minutes.
api-problem-internal = Unexpected error
api-problem-internal-detail = The request could not be completed. Try again later.
