# The seed systems' own words (config/presets/), which each preset places
# on its pages through the [texts] section of the configuration, in
# Spanish. **…** marks what the seeds show in bold.

button-cancel = Cancelar

## Caf (services.caf.fr and Partenaires): on every page

caf-notice-reserved = Este servicio profesional **está reservado exclusivamente a las personas autorizadas.** Si usted no es una de ellas, el acceso a este sitio y la permanencia en él podrán ser perseguidos en virtud de la Ley francesa n.º 88-19 de 5 de enero de 1988 (llamada ley Godfrain), al igual que cualquier intento de falsear u obstaculizar su funcionamiento.
caf-notice-commitment = Al acceder a este servicio, se compromete a limitar el uso de la información a la que tiene acceso a las misiones y finalidades definidas en el convenio firmado entre la Caf y su organismo.
caf-notice-personal = Sus superiores le han concedido derechos de acceso **asignados a usted personalmente**, que se han notificado al gestor de autorizaciones de la Caf. Para garantizar la confidencialidad de los datos y evitar cualquier intrusión, **no debe comunicar ni compartir nunca su identificador ni su contraseña**. En caso de incumplimiento, podrá exigírsele responsabilidad personal y el convenio podrá ser rescindido.
caf-why-change-title = ¿Por qué cambiar la contraseña?
caf-why-change = Por motivos de seguridad, acuérdese de cambiar su contraseña con regularidad.
caf-personalise = Por motivos de seguridad, personalice ahora su contraseña.
caf-captcha-why-title = ¿Para qué sirve?
caf-captcha-why = Esta función nos ayuda a impedir que programas automáticos restablezcan contraseñas.
caf-captcha-how = Escriba el texto tal como aparece en la imagen. No ponga espacios entre las letras.
caf-identifier-from-admin = El administrador de su organismo puede facilitarle su identificador.
caf-temporary-copy = Escriba su identificador y la contraseña temporal recibida por correo electrónico (se recomienda copiar y pegar la contraseña).

## Ecolesoft (family portal)

ecolesoft-change-why = **Para mejorar la seguridad de su aplicación, le pedimos que introduzca una nueva contraseña.**
ecolesoft-change-criteria = Elija una nueva contraseña que cumpla los criterios siguientes:
ecolesoft-login-again = Una vez guardada la nueva contraseña, vuelva a iniciar sesión con la contraseña que acaba de crear.

## EFP Connect

efp-password-lead = Elija su nueva contraseña. Debe cumplir los criterios indicados a continuación.
efp-no-access = **Conviene saberlo:** si ya no tiene acceso a la dirección de correo asociada a su identificador, tendrá que crear una cuenta nueva con una dirección de correo válida. Las comunicaciones importantes se enviarán a esa dirección.
