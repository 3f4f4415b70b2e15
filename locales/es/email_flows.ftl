# Texts of the e-mail flows: /code (EFP) and /temporary (CAF, Ecolesoft), in Spanish.

email-button-next = Siguiente
email-hours = { $n ->
    [one] { $n } hora
   *[other] { $n } horas
}
email-minutes = { $n ->
    [one] { $n } minuto
   *[other] { $n } minutos
}

code-title = Restablecer mi contraseña
code-intro = Escriba la dirección de correo electrónico con la que inicia sesión.
code-field-identifier = Identificador (correo electrónico)
code-field-identifier-placeholder = nombre.apellido@ejemplo.es
code-request-hint = Recibirá un correo con un código de validación que necesitará en el paso 2.
code-no-access = Conviene saberlo: si ya no tiene acceso a la dirección de correo asociada a su identificador, contacte con el servicio de asistencia.
code-identifier-missing = Escriba la dirección de correo electrónico de su cuenta.
code-verify-title = Escriba el código recibido
code-sent = Si hay una cuenta que corresponde a «{ $address }», se le ha enviado un correo con un código.
code-sent-link = Escriba el código recibido por correo electrónico.
code-field = Código de validación recibido por correo
code-field-hint = 6 cifras, por ejemplo 2 3 8 3 9 2
code-spam = El código se le ha enviado por correo electrónico. Si no lo ha recibido, mire en la carpeta de correo no deseado (spam).
code-resend = Reenviar el código
code-resend-hint = Se puede pedir un código nuevo { $seconds } segundos después del anterior; el nuevo sustituye al anterior.
code-resent = Si hay una cuenta que corresponde, se le ha enviado un código nuevo; el anterior ya no funciona.
code-malformed = El código de validación tiene 6 cifras.
code-refused = El código introducido no es correcto o ya no es válido.
code-refused-advice = Un código solo sirve una vez, caduca al cabo de { $validity } y admite { $tries } intentos: después, pida uno nuevo con «Reenviar el código». Tras { $max } errores, el restablecimiento queda bloqueado durante un tiempo.
code-password-title = Elija su nueva contraseña
code-success-title = Contraseña cambiada
code-success-text = Su contraseña se ha cambiado correctamente.
code-success-login = Su contraseña ya se ha cambiado: puede iniciar sesión con su identificador y su nueva contraseña.
code-link-title = Restablecer mi contraseña
code-link-intro = Ha abierto el enlace recibido por correo. Pulse el botón para validar su código y elegir su nueva contraseña.
code-link-button = Restablecer mi contraseña
code-link-invalid-title = Enlace no válido
code-link-invalid = Este enlace ya no es válido: el código ha caducado, ya se ha usado o se ha sustituido por uno nuevo. Pida un código nuevo.
code-link-restart = Pedir un código nuevo

temporary-title = Contraseña olvidada
temporary-intro = Escriba su dirección de correo electrónico o su identificador: se le enviará una contraseña temporal por correo.
temporary-field-identifier = Dirección de correo o identificador
temporary-request-hint = La dirección de correo debe ser exactamente la registrada para su cuenta.
temporary-identifier-missing = Escriba su dirección de correo electrónico o su identificador.
temporary-sent-title = Solicitud registrada
temporary-sent = Si hay una cuenta que corresponde, se ha enviado un correo con su nueva contraseña a la dirección indicada.
temporary-sent-on-file = Si hay una cuenta que corresponde, se ha enviado un correo con su nueva contraseña a la dirección registrada para esa cuenta.
temporary-sent-advice = Esta contraseña temporal es válida durante { $validity } y deberá cambiarla la primera vez que inicie sesión. Revise también la carpeta de correo no deseado.
temporary-sent-change = Cambiar mi contraseña temporal
code-resend-wait = Se acaba de pedir un código: espere { $seconds } segundos más antes de pedir otro.
code-resend-restart = Para recibir un código nuevo, empiece de nuevo desde el primer paso.
