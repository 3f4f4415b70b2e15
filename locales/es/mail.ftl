# The mails sent to the person, in Spanish (see locales/fr/mail.ftl).
# { $date } { $time } { $offset }: "29/11/2026", "07:42", "UTC+01:00".

mail-greeting = Hola:
mail-greeting-named = Hola, { $name }:
mail-footer-auto = Este mensaje se ha enviado automáticamente; no responda a él.
mail-footer-auto-site = { $site } ha enviado este mensaje automáticamente; no responda a él.
mail-footer-help = ¿Necesita ayuda? Contacte con { $contact }.

## Password changed

mail-changed-subject = { $site }: se ha cambiado su contraseña
mail-changed-what = La contraseña de su cuenta { $login } se cambió el { $date } a las { $time } ({ $offset }) desde la dirección IP { $address }.
mail-changed-services = A partir de ahora, la nueva contraseña es la de:
mail-changed-if-you = Si ha hecho usted este cambio, no tiene que hacer nada más.
mail-changed-if-not = Si no ha sido usted, es posible que otra persona conozca su contraseña:
mail-changed-report-link = avíselo abriendo este enlace (válido { $days } días), que bloquea los cambios por autoservicio y avisa al servicio de asistencia:
mail-changed-report-button = avíselo con este enlace (válido { $days } días), que bloquea los cambios por autoservicio y avisa al servicio de asistencia:
mail-changed-report-label = No he sido yo
mail-changed-contact = contacte sin demora con { $contact }.

## Password about to expire

mail-expiring-subject = { $days ->
    [one] { $site }: su contraseña caduca dentro de { $days } día
   *[other] { $site }: su contraseña caduca dentro de { $days } días
}
mail-expiring-what = { $days ->
    [one] La contraseña de su cuenta { $login } caduca el { $date } a las { $time } (dentro de { $days } día). Después de esa fecha no podrá iniciar sesión.
   *[other] La contraseña de su cuenta { $login } caduca el { $date } a las { $time } (dentro de { $days } días). Después de esa fecha no podrá iniciar sesión.
}
mail-expiring-change = Cámbiela ahora en «Gestionar mi cuenta»:
mail-expiring-change-label = Gestionar mi cuenta

## Forgotten login

mail-identifier-subject = { $site }: su nombre de usuario
mail-identifier-asked = Ha pedido recibir su nombre de usuario.
mail-identifier-yours = Su nombre de usuario: { $login }
mail-identifier-use = Úselo con su contraseña para acceder a los servicios de { $site }.
mail-identifier-not-you = Si no ha hecho usted esta solicitud, puede ignorar este mensaje: solo se le ha enviado a usted. En caso de duda, contacte con { $contact }.

## Reset code

mail-code-subject = { $site }: restablecimiento de su contraseña
mail-code-asked = Ha pedido restablecer su contraseña.
mail-code-here = Para confirmar su solicitud, este es el código de restablecimiento que debe introducir:
mail-code-once = Este código solo se puede usar una vez. Caducará dentro de { $validity }.
mail-code-or-link = También puede abrir este enlace:
mail-code-or-button = También puede pulsar el botón siguiente:
mail-code-button = Restablecer mi contraseña
mail-code-not-you = Si no ha hecho usted esta solicitud, ignore este mensaje: su contraseña no cambia. En caso de duda, contacte con { $contact }.

## Temporary password

mail-temporary-subject = { $site }: su contraseña temporal
mail-temporary-asked = Ha pedido restablecer su contraseña.
mail-temporary-here = Esta es una contraseña temporal para iniciar sesión:
mail-temporary-login = Nombre de usuario:
mail-temporary-password = Contraseña temporal:
mail-temporary-valid = Es válida durante { $validity }.
mail-temporary-must-change = Deberá cambiar esta contraseña la primera vez que inicie sesión.
mail-temporary-sign-in = Inicie sesión aquí para elegir su nueva contraseña:
mail-temporary-button = Elegir mi nueva contraseña
mail-temporary-not-you = Si no ha hecho usted esta solicitud, contacte sin demora con { $contact }.

## A password found in a breach list (passerelle breach-sweep --notify)

mail-breached-subject = { $site }: su contraseña figura en una lista de contraseñas filtradas
mail-breached-what = La contraseña actual de su cuenta { $login } figura en una lista de contraseñas filtradas en brechas de datos de otros sitios. No nos la robaron a nosotros, pero cualquiera que tenga esa lista puede probarla en su cuenta.
mail-breached-change = Elija una nueva ahora, sin necesidad de la anterior:
mail-breached-change-label = Elegir una nueva contraseña
mail-breached-must-change = Hasta que la cambie, se le pedirá que lo haga en su próximo inicio de sesión.
mail-breached-never-ask = Nunca le pediremos su contraseña por correo electrónico. Si tiene alguna duda sobre este mensaje, vaya directamente al sitio de { $site } o contacte con { $contact }.
