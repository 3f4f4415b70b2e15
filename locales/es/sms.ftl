# Issue 21: code by SMS, choice of channel, the person's recovery data
# (address and mobile) and the notice of every change.

## The SMS texts, kept to the GSM alphabet (á, í, ó, ú, ¿ are not all in it:
## accents dropped there so the SMS stays at 160 characters, not 70 in UCS-2).
sms-text-code = { $site }: su codigo es { $code }. Caduca en { $minutes } min. No se lo dé a nadie.
sms-text-verify = { $site }: el codigo para confirmar este numero es { $code } (valido { $minutes } min). Si no ha pedido nada, ignore este mensaje.
sms-text-mobile-changed = { $site }: desde el { $when }, este numero ya no es el movil de recuperacion de su cuenta. Si no ha sido usted, revise su correo o contacte con { $contact }.

## Why a number cannot receive a code (docs/sms.md).
sms-number-empty = Escriba un número de móvil.
sms-number-not-a-number = Esto no es un número de teléfono: escriba solo cifras, por ejemplo 06 12 34 56 78 o +33 6 12 34 56 78.
sms-number-unknown-country-code = Este prefijo de país no existe.
sms-number-too-short = Este número es demasiado corto.
sms-number-too-long = Este número es demasiado largo.
sms-number-invalid = Este número no existe en esta forma.
sms-number-country-not-allowed = No se pueden enviar SMS a este país.
sms-number-landline = Es un número de teléfono fijo: no puede recibir SMS. Indique un número de móvil.
sms-number-maybe-landline = Este número puede ser un fijo: indique un número de móvil.
sms-number-premium-rate = Es un número de tarificación adicional: no se envía ningún código a él. Indique un número de móvil.
sms-number-shared-cost = Es un número de coste compartido: indique un número de móvil.
sms-number-toll-free = Es un número gratuito: indique un número de móvil.
sms-number-not-mobile = No es un número de móvil: indique un número de móvil.
sms-number-disabled = Este sitio no ofrece el envío por SMS.

## Recovery data: what is refused.
recovery-value-missing = Escriba un valor.
recovery-mail-invalid = Escriba una dirección de correo válida, por ejemplo nombre.apellido@ejemplo.es.
recovery-mail-institutional = Es la dirección de su institución: indique una dirección personal, que pueda leer sin esta contraseña.
recovery-value-unchanged = Ya es la de su cuenta.
recovery-nothing-to-remove = Su cuenta no tiene este dato.
recovery-code-wrong = Este código no es el correcto.

## Receive a code by SMS (/sms).
flow-sms-title = Recibir un código por SMS
flow-sms-summary = Un código de 6 cifras enviado a su móvil, tras indicar su número personal y su fecha de nacimiento.
sms-title = Recibir un código por SMS
sms-intro = Identifíquese con su número personal y su fecha de nacimiento: después se le enviará un código al móvil de su cuenta o, si lo prefiere, a su dirección de correo de recuperación.
sms-channel-title = ¿Adónde enviamos el código?
sms-channel-intro = Estos son los medios de contacto registrados para su cuenta (parcialmente ocultos).
sms-channel-legend = Enviar el código
sms-channel-mobile = por SMS al { $number }
sms-channel-mail = por correo a { $address }
sms-channel-hint = El código es válido durante unos minutos y solo sirve una vez. Cada día solo se puede enviar un número limitado de SMS.
sms-channel-button = Enviar el código
sms-channel-missing = Elija adónde enviar el código.
sms-channel-unusable = El número registrado para su cuenta no puede recibir códigos. { $reason } Podrá corregirlo en «Gestionar mi cuenta».
sms-no-channel-title = No hay ningún medio para enviarle un código
sms-no-channel = Su cuenta no tiene ni móvil ni dirección de correo de recuperación a los que enviar un código. Use «Recuperar mi contraseña» si tiene una pregunta secreta, o contacte con { $contact }.
sms-limit-address = Se han pedido demasiados SMS desde su conexión: vuelva a intentarlo dentro de una hora o elija el correo electrónico.
sms-limit-ceiling = Los SMS no están disponibles en este momento: vuelva a intentarlo dentro de unos minutos o elija el correo electrónico.
sms-daily-cap = Su cuenta ya ha recibido el número máximo de SMS permitido hoy: vuelva a intentarlo después de { $until } o elija el correo electrónico.
sms-failed = No se ha podido enviar el código. Vuelva a intentarlo más tarde o contacte con { $contact }.
sms-verify-title = Escriba el código recibido
sms-sent-mobile = Se acaba de enviar un código por SMS al { $number }.
sms-sent-mail = Se acaba de enviar un código por correo a { $address }.
sms-sent = Escriba el código recibido.
sms-code-field = Código recibido
sms-refused-advice = Un código solo sirve una vez, caduca al cabo de unos minutos y admite { $tries } intentos: después, pida uno nuevo con «Reenviar el código». Tras { $max } errores, el restablecimiento queda bloqueado durante un tiempo.
sms-password-title = Elija su nueva contraseña

## Choice of channel in the e-mail code flow (/code).
code-channel-legend = Recibir el código
code-channel-mail = por correo electrónico
code-channel-mobile = por SMS, en el móvil de la cuenta
code-sent-sms = Si «{ $address }» corresponde a una cuenta con número de móvil, se le acaba de enviar un código por SMS.

## My recovery data (Manage my account).
account-recovery-data = Mi dirección de recuperación y mi móvil
account-sign-in-again = Volver a iniciar sesión
recovery-title = Mis datos de recuperación
recovery-intro = Estos medios de contacto sirven para recuperar el acceso a su cuenta si olvida su contraseña. Cada cambio se notifica a sus direcciones.
recovery-mail = Dirección de correo de recuperación
recovery-mobile = Número de móvil
recovery-none = ninguno
recovery-change-mail = Cambiar mi dirección de recuperación
recovery-change-mobile = Cambiar mi número de móvil
recovery-mail-title = Mi dirección de recuperación
recovery-mobile-title = Mi número de móvil
recovery-mail-intro = Indique una dirección personal, que pueda leer incluso sin su contraseña. Se le enviará un código: la dirección solo se guarda una vez escrito ese código.
recovery-mobile-intro = Indique su número de móvil. Se le enviará un código por SMS: el número solo se guarda una vez escrito ese código.
recovery-current-value = Actualmente: { $value }
recovery-new-mail = Nueva dirección de recuperación
recovery-new-mobile = Nuevo número de móvil
recovery-mail-hint = Por ejemplo nombre.apellido@ejemplo.es
recovery-mobile-hint = Por ejemplo 06 12 34 56 78 o +33 6 12 34 56 78
recovery-current-hint = Por seguridad, vuelva a escribir su contraseña actual.
recovery-send-code = Enviar un código
recovery-remove = Eliminar
recovery-back = Volver a mis datos de recuperación
recovery-removed-title = Eliminado
recovery-mail-removed = Se ha eliminado su dirección de recuperación; un mensaje lo confirma a sus direcciones. En caso de duda, contacte con { $contact }.
recovery-mobile-removed = Se ha eliminado su número de móvil; un mensaje lo confirma a sus direcciones. En caso de duda, contacte con { $contact }.
recovery-not-sent-later = Ahora no se puede enviar ningún código: vuelva a intentarlo después de { $until }.
recovery-not-sent-cooldown = Se acaba de enviar un mensaje a su cuenta: espere un minuto antes de pedir otro.
recovery-not-sent = Por ahora no se ha podido enviar ningún código. Vuelva a intentarlo más tarde, deje estos campos vacíos para continuar o contacte con { $contact }.
recovery-verify-title = Escriba el código recibido
recovery-code-mail = Código recibido por correo
recovery-code-mobile = Código recibido por SMS
recovery-code-sent-mail = Se acaba de enviar un código a { $value }.
recovery-code-sent-mobile = Se acaba de enviar un código por SMS al { $value }.
recovery-changed-title = Cambio guardado
recovery-mail-changed = Se ha guardado su nueva dirección de recuperación; un mensaje lo notifica a sus direcciones. En caso de duda, contacte con { $contact }.
recovery-mobile-changed = Se ha guardado su nuevo número de móvil; un mensaje lo notifica a sus direcciones y al número anterior. En caso de duda, contacte con { $contact }.
recovery-restart = Este código ha caducado, o escribió su contraseña hace demasiado tiempo: vuelva a empezar el cambio.
recovery-locked = Demasiados intentos fallidos: los cambios quedan bloqueados durante un tiempo. Vuelva a intentarlo más tarde o contacte con { $contact }.

## Activate my account: ways to reach you.
activate-recovery-title = Sus medios de recuperación
activate-recovery-intro = Si olvida su contraseña, se le podrá enviar un código a estos medios. Se envía un código a cada dato indicado, que deberá escribir en el paso siguiente.
activate-recovery-optional = Puede dejar estos campos vacíos y completarlos más tarde en «Gestionar mi cuenta».

## It was not me: a recovery factor changed.
not-me-intro-question = La pregunta secreta de la cuenta { $login } se cambió el { $when } desde la dirección IP { $address }.
not-me-intro-mail = La dirección de recuperación de la cuenta { $login } se cambió el { $when } desde la dirección IP { $address }.
not-me-intro-mobile = El número de móvil de la cuenta { $login } se cambió el { $when } desde la dirección IP { $address }.
