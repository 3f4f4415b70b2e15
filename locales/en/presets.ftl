# The seed systems' own words (config/presets/), which each preset places
# on its pages through the [texts] section of the configuration, in
# English. **…** marks what the seeds show in bold.

button-cancel = Cancel

## Caf (services.caf.fr and Partenaires): on every page

caf-notice-reserved = This professional service **is reserved to authorised persons only.** If you are not one of them, accessing and remaining on this site may be prosecuted under Law no. 88-19 of 5 January 1988 (known as the Godfrain law), as may attempts to distort or hinder its operation.
caf-notice-commitment = By accessing this service, you undertake to limit the use of the information you can access to the missions and purposes defined in the agreement signed between the Caf and your organisation.
caf-notice-personal = Your management has given you access rights **that are assigned to you personally**, and which have been notified to the Caf's authorisation manager. To guarantee the confidentiality of the data and to prevent any intrusion, **you must never disclose or share your identifier and your password**. Failing this, you may be held personally liable and the agreement may be terminated.
caf-why-change-title = Why change your password?
caf-why-change = For security reasons, remember to change your password regularly.
caf-personalise = For security reasons, please now personalise your password.
caf-captcha-why-title = What is it for?
caf-captcha-why = This feature helps us prevent automated programs from resetting passwords.
caf-captcha-how = Type the text as it appears in the image. Do not put spaces between the letters.
caf-identifier-from-admin = Your identifier can be given to you by your organisation's administrator.
caf-temporary-copy = Type your identifier and the temporary password you received by e-mail (copying and pasting the password is recommended).

## Ecolesoft (family portal)

ecolesoft-change-why = **To improve the security of your application, we ask you to enter a new password.**
ecolesoft-change-criteria = Please choose a new password meeting the following criteria:
ecolesoft-login-again = Once this new password is saved, sign in again with the password you have just created.

## EFP Connect

efp-password-lead = Choose your new password. It must meet the criteria listed below.
efp-no-access = **Good to know:** if you no longer have access to the e-mail address linked to your identifier, you will need to create a new account with a valid e-mail address. Important communications will be sent to that address.
