# Texts of Passerelle's web pages (Spanish).

## Layout

skip-to-content = Ir al contenido
nav-label = Navegación principal
nav-home = Inicio
nav-activate = Activar mi cuenta
nav-forgotten = Datos de acceso olvidados
nav-account = Gestionar mi cuenta
nav-help = Ayuda
lang-switch-label = Idioma
step-indicator = Paso { $step } de { $total }
# A field's label with the colon as the language writes it, and the step bar's percentage.
field-label = { $label }:
field-label-required = { $label } *:
step-percent = { $percent } %
error-summary-title = Hay un problema
footer-help = ¿Necesita ayuda? Contacte con { $contact }.
logo-alt = Logotipo de { $site }

## Home

home-title = Le damos la bienvenida
home-intro = Elija lo que desea hacer.
forgotten-title = Datos de acceso olvidados
forgotten-intro = ¿Ha olvidado su contraseña o su nombre de usuario? Elija a continuación.
flow-recover-title = Recuperar mi contraseña
flow-recover-summary = Recupere su contraseña en unos pocos pasos.
flow-identifier-title = Recuperar mi nombre de usuario
flow-identifier-summary = Recupere su nombre de usuario en unos pocos pasos.
flow-activate-title = Activar mi cuenta
flow-activate-summary = Primer acceso: elija su pregunta secreta y su contraseña.
flow-account-title = Gestionar mi cuenta
flow-account-summary = Cambie su contraseña o su pregunta secreta.
flow-code-title = Recibir un código por correo electrónico
flow-code-summary = Se envía un código de validación a su dirección de correo electrónico.
flow-temporary-title = Recibir una contraseña temporal
flow-temporary-summary = Se envía una contraseña temporal a su dirección de correo electrónico.

## Help

help-title = Ayuda
help-intro = Para recuperar su contraseña, tenga a mano su número personal y su fecha de nacimiento; después, responda a su pregunta secreta.
help-contact = Si no lo consigue, contacte con { $contact }.

## Identity (personal number + date of birth)

recover-title = Recuperar mi contraseña
recover-intro = Puede recuperar su contraseña con los datos que se indican a continuación, que sirven para identificarle en nuestro sistema de información.
identifier-kinds-intro = Si usted es:
kind-student = estudiante
kind-student-text = puede usar su número de estudiante o su INE (número nacional de estudiante francés).
kind-staff = personal de la universidad
kind-staff-text = puede usar su número de empleado.
kind-external = usuario externo
kind-external-text = puede usar el identificador único que se le facilitó.
kind-details-summary = ¿Dónde encuentro estos números?
detail-student-number = Número de estudiante
detail-student-number-text = Lo recibió al terminar la matrícula. Figura en su tarjeta multiservicio.
detail-ine = INE
detail-ine-text = Figura, por ejemplo, en su certificado de notas del bachillerato francés y en su tarjeta multiservicio.
detail-staff-number = Número de empleado
detail-staff-number-text = Su número en la base de datos de gestión de personal. Figura en su tarjeta multiservicio.
detail-uid = UID
detail-uid-text = UID (identificador único)
field-identifier = Número personal
field-identifier-placeholder = Escriba su número personal
field-birth-date = Fecha de nacimiento
field-birth-date-hint = dd/mm/aaaa
button-submit = Enviar
identifier-missing = Escriba su número personal.
birth-date-invalid = Escriba su fecha de nacimiento con el formato dd/mm/aaaa.
identity-failed = Los datos introducidos no permiten identificarle. Compruebe su número personal y su fecha de nacimiento.
identity-failed-lock = Tras { $max } intentos fallidos, la recuperación por autoservicio queda bloqueada durante { $minutes } minutos; vuelva a intentarlo más tarde o contacte con { $contact }.

## Secret question

question-title = Pregunta secreta
question-intro = Responda a su pregunta secreta.
field-answer-placeholder = su respuesta
answer-missing = Escriba su respuesta.
answer-wrong = { $left ->
    [one] Esta respuesta no coincide. Le queda 1 intento.
   *[other] Esta respuesta no coincide. Le quedan { $left } intentos.
}
locked-title = Recuperación bloqueada temporalmente
locked-text = Demasiados intentos fallidos: la recuperación por autoservicio de esta cuenta está bloqueada hasta el { $until }.
locked-advice = Vuelva a intentarlo más tarde o contacte con { $contact }.
no-question-title = Su cuenta aún no está activada
no-question-text = Esta cuenta no tiene ninguna pregunta secreta registrada: active primero su cuenta.
no-question-contact = Para activar su cuenta, contacte con { $contact }.

## New password

password-title = Elija su nueva contraseña
field-new-password = Nueva contraseña
field-new-password-placeholder = Nueva contraseña
field-confirmation = Confirmación
field-confirmation-placeholder = Repita la nueva contraseña
rules-intro = Para ser válida, su contraseña debe:
rules-checkbox = He leído el reglamento interno.
rules-link = Consultar el reglamento interno
rules-checkbox-missing = Marque la casilla «He leído el reglamento interno.»
password-missing = Escriba una nueva contraseña.
confirmation-mismatch = La confirmación no coincide con la nueva contraseña.
pw-locked = Esta cuenta está bloqueada en el directorio; contacte con { $contact }.
pw-refused-directory = El directorio ha rechazado esta contraseña; elija otra.
success-title = Contraseña cambiada
success-text = Listo: su contraseña se ha cambiado. También recibirá un correo de confirmación.
success-text-no-mail = Listo: su contraseña se ha cambiado. No se ha podido enviar ningún correo de confirmación porque su cuenta no tiene ninguna dirección registrada. Para añadir una, contacte con { $contact }.
changed-meanwhile-title = Contraseña ya cambiada
changed-meanwhile-text = Su contraseña se acaba de cambiar mediante otra solicitud (otra pestaña u otro trámite): la que acaba de escribir no se ha guardado.
changed-meanwhile-advice = Si no ha sido usted, contacte con { $contact } de inmediato.
stopped-title = Autoservicio no disponible para esta cuenta
stopped-text = Esta cuenta no se puede modificar por autoservicio en este momento: está bloqueada, suspendida o cerrada. No se ha guardado nada.
stopped-contact = Para cualquier consulta, contacte con { $contact }.
old-password-required-title = Este cambio no se puede hacer aquí
old-password-required-text = El directorio exige su contraseña actual para cualquier cambio de contraseña, y un restablecimiento no puede proporcionarla. No se ha guardado nada.
old-password-required-advice = Si conoce su contraseña actual, cámbiela desde «Gestionar mi cuenta»; si no, contacte con { $contact }.
success-services = Recuerde usar su nueva contraseña para acceder a:
success-finish = Terminar
# Some replica of the directory had not taken the new password yet.
success-replica-lag = La red wifi puede tardar un minuto en aceptarla.
success-wifi-confirmed = La red wifi (eduroam) ya acepta su nueva contraseña.

## Recover my login

identifier-title = Recuperar mi nombre de usuario
identifier-intro = Indique su número personal y su fecha de nacimiento: si corresponden a una cuenta, su nombre de usuario se enviará a su dirección de correo de recuperación.
identifier-sent-title = Solicitud registrada
identifier-sent = Si los datos introducidos corresponden a una cuenta, su nombre de usuario se acaba de enviar a la dirección de correo de recuperación registrada para esa cuenta.
identifier-sent-advice = Revise también la carpeta de correo no deseado. Si no recibe nada en unos minutos, contacte con { $contact }.

## Errors

error-title = Se ha producido un error
error-back-home = Volver al inicio
error-restart = Empezar de nuevo
error-bad-request = No se ha podido leer el formulario enviado. Empiece de nuevo desde el principio.
error-too-large = El formulario enviado es demasiado grande.
error-expired = Su sesión ha caducado; empiece de nuevo.
error-csrf = Este formulario ya no es válido. Recargue la página y vuelva a intentarlo.
error-cross-site = Este formulario se ha enviado desde otro sitio, no desde nuestras páginas: no se ha hecho nada. Si lo estaba rellenando aquí, abra este servicio desde su propia dirección y empiece de nuevo.
error-step = Este paso no está disponible: el formulario ya se envió o no se completó un paso anterior. Empiece de nuevo desde el principio.
error-rate-limited = Demasiados intentos desde su dirección. Espere un minuto y vuelva a intentarlo.
error-captcha-audio-spent = Esta grabación ya se ha escuchado el número máximo de veces permitido. Pida un código nuevo con «Código nuevo» y escuche ese.
error-unavailable = El servicio no está disponible en este momento. Vuelva a intentarlo dentro de unos minutos.
error-internal = Se ha producido un error inesperado. Vuelva a intentarlo más tarde o contacte con { $contact }.
error-not-found = Esta página no existe.
