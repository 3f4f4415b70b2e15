# Texts of the "Activate my account", "Manage my account" and "Change my
# password" (temporary password) flows, in Spanish.

## Activate my account

activate-title = Activar mi cuenta
activate-intro = Primer uso de su cuenta: identifíquese con su número personal y su fecha de nacimiento y, después, elija su pregunta secreta y su contraseña.
activate-already-title = Cuenta ya activada
activate-already-text = Esta cuenta ya está activada: tiene una pregunta secreta registrada. Si ha olvidado su contraseña, use «Recuperar mi contraseña».
activate-already-link = Recuperar mi contraseña
activate-question-title = Elija su pregunta secreta
activate-question-intro = Se le hará esta pregunta si olvida su contraseña. Elija una respuesta que vaya a recordar y que nadie pueda adivinar.
activate-field-question = Pregunta secreta
activate-field-question-own = Mi propia pregunta
activate-field-own-question = Su pregunta
activate-field-own-question-hint = Entre { $min } y { $max } caracteres.
activate-field-answer = Respuesta
activate-field-answer-hint = Al menos { $min } caracteres; no importan las mayúsculas, los acentos ni los espacios de más.
activate-field-answer-confirm = Confirme la respuesta
activate-question-missing = Elija una pregunta o escriba la suya.
activate-question-length = Su pregunta debe tener entre { $min } y { $max } caracteres.
activate-answer-too-short = La respuesta debe tener al menos { $min } caracteres.
activate-answer-mismatch = La confirmación no coincide con la respuesta.
activate-answer-is-login = La respuesta no puede ser su nombre de usuario.
activate-answer-is-birth-date = La respuesta no puede ser su fecha de nacimiento.
activate-password-title = Elija su contraseña
activate-success-title = Cuenta activada
activate-secret-not-saved = Su contraseña se ha guardado, pero su pregunta secreta no: repita la activación para elegirla o contacte con { $contact }.

## Manage my account

account-title = Gestionar mi cuenta
account-intro = Inicie sesión con su nombre de usuario y su contraseña actual.
account-field-login = Nombre de usuario
account-field-login-placeholder = Escriba su nombre de usuario
account-field-password = Contraseña actual
account-login-missing = Escriba su nombre de usuario.
account-password-missing = Escriba su contraseña actual.
account-login-failed = Nombre de usuario o contraseña incorrectos. Tras varios intentos fallidos, la cuenta se bloquea durante un tiempo: vuelva a intentarlo más tarde.
account-locked = Esta cuenta está bloqueada temporalmente tras demasiados intentos fallidos. Vuelva a intentarlo más tarde o contacte con { $contact }.
account-temporary = Su contraseña actual es temporal: primero elija una propia.
account-temporary-link = Elegir mi contraseña
account-menu-title = Mi cuenta
account-menu-intro = Ha iniciado sesión como { $login }. ¿Qué desea hacer?
account-change-password = Cambiar mi contraseña
account-change-question = Cambiar mi pregunta
account-logout = Cerrar sesión
account-logged-out-title = Sesión cerrada
account-logged-out = Ha cerrado la sesión.
account-password-title = Cambiar mi contraseña
account-question-title = Cambiar mi pregunta secreta
account-question-done-title = Pregunta guardada
account-question-done = Su nueva pregunta secreta y su respuesta se han guardado.
account-back = Volver a mi cuenta

## Change my password (temporary password)

change-title = Cambiar mi contraseña
change-intro = Escriba su nombre de usuario y su contraseña actual (la contraseña temporal recibida por correo, si es el caso).
change-password-title = Elija su propia contraseña
change-password-intro = Por seguridad, elija ahora su propia contraseña.
change-field-current = Contraseña actual
change-field-confirmation = Confirmar la contraseña
change-current-missing = Escriba su contraseña actual.
change-current-wrong = La contraseña actual no es correcta.
change-current-too-often = La contraseña actual se ha escrito mal demasiadas veces. Por seguridad, el trámite se ha interrumpido: vuelva a identificarse.
change-sign-in-again = Volver a identificarme
change-expired-title = Contraseña temporal caducada
change-expired-text = Esta contraseña temporal ha caducado y ya no se puede usar. Pida una nueva.
change-expired-link = Pedir una nueva contraseña temporal
change-expired-contact = Para obtener una nueva contraseña temporal, contacte con { $contact }.
activate-in-use-hint = Si su cuenta ya está en uso, inicie sesión en «Gestionar mi cuenta» para elegir su pregunta secreta.

## "It was not me" (the link of the "password changed" mail)
not-me-title = No he sido yo
not-me-intro = La contraseña de la cuenta { $login } se cambió el { $when } desde la dirección IP { $address }.
not-me-explain = Si no ha sido usted, pulse el botón: nadie podrá volver a cambiar la contraseña de esta cuenta en este sitio y se avisará al servicio de asistencia ({ $contact }) para ayudarle a recuperar el control. No se hace nada hasta que lo pulse.
not-me-button = No he sido yo: bloquear y avisar a asistencia
not-me-done-title = Aviso registrado
not-me-done = Los cambios de contraseña por autoservicio están bloqueados para su cuenta, y el servicio de asistencia ha recibido los detalles del cambio (fecha, dirección IP, navegador).
not-me-next = El servicio de asistencia ({ $contact }) comprobará su identidad por un medio seguro, le dará una nueva contraseña y después desbloqueará la cuenta. Si usa la misma contraseña en otros sitios, cámbiela también allí.
not-me-invalid-title = Enlace no válido
not-me-invalid = Este enlace no es válido o ha caducado.
not-me-superseded = Este enlace ya no sirve: la contraseña se ha vuelto a cambiar desde entonces.
not-me-used = Este aviso ya estaba registrado: el autoservicio está bloqueado para esta cuenta y se ha avisado al servicio de asistencia.
not-me-contact = En caso de duda, contacte con { $contact }.

## The built-in secret questions (stored on the entry in French)
question-first-pet = ¿Cómo se llamaba su primera mascota?
question-birth-city = ¿En qué ciudad nació?
question-primary-school = ¿Cómo se llamaba su colegio de primaria?
