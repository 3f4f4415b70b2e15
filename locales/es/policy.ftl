# Password rules (Spanish): the list shown next to the field (policy-rule-*),
# the "3 of the 4" criteria (policy-class-*), the server's errors
# (policy-error-*, policy-input-*) and the live checklist's texts.

## Rule list

policy-rule-length-min = Al menos { $min } caracteres
policy-rule-length-max = Como máximo { $max } caracteres
policy-rule-length-range = Entre { $min } y { $max } caracteres
policy-rule-min-classes = { $min ->
    [4] Que cumpla los 4 criterios siguientes:
   *[other] Que cumpla { $min } de los 4 criterios siguientes:
}
policy-class-lowercase = Contiene una minúscula
policy-class-uppercase = Contiene una mayúscula
policy-class-digit = Contiene una cifra
policy-class-special = Contiene un carácter especial
policy-rule-min-uppercase = { $min ->
    [one] Al menos 1 mayúscula
   *[other] Al menos { $min } mayúsculas
}
policy-rule-min-lowercase = { $min ->
    [one] Al menos 1 minúscula
   *[other] Al menos { $min } minúsculas
}
policy-rule-min-digits = { $min ->
    [one] Al menos 1 cifra
   *[other] Al menos { $min } cifras
}
policy-rule-min-special = { $min ->
    [one] Al menos 1 carácter especial
   *[other] Al menos { $min } caracteres especiales
}
policy-rule-forbidden-characters = Sin ninguno de estos caracteres: { $chars }
policy-rule-forbid-login = No debe contener su nombre de usuario
policy-rule-forbid-attribute-values = No debe contener su nombre ni sus apellidos
policy-rule-differ-from-current = Debe ser distinta de su contraseña actual
policy-rule-min-zxcvbn-score = No debe ser fácil de adivinar (palabras comunes, secuencias, fechas, datos personales)
policy-rule-not-breached = No debe figurar en ninguna filtración de contraseñas conocida
policy-rule-history = { $count ->
    [one] Debe ser distinta de la última contraseña que eligió
   *[other] Debe ser distinta de las { $count } últimas contraseñas que eligió
}

## Errors

policy-error-too-short = La contraseña debe tener al menos { $min } caracteres.
policy-error-too-long = La contraseña no debe superar los { $max } caracteres.
policy-error-too-few-classes = { $min ->
    [4] La contraseña debe contener una minúscula, una mayúscula, una cifra y un carácter especial.
   *[other] La contraseña debe cumplir al menos { $min } de estos 4 criterios: una minúscula, una mayúscula, una cifra, un carácter especial.
}
policy-error-too-few-uppercase = { $min ->
    [one] La contraseña debe contener al menos una mayúscula.
   *[other] La contraseña debe contener al menos { $min } mayúsculas.
}
policy-error-too-few-lowercase = { $min ->
    [one] La contraseña debe contener al menos una minúscula.
   *[other] La contraseña debe contener al menos { $min } minúsculas.
}
policy-error-too-few-digits = { $min ->
    [one] La contraseña debe contener al menos una cifra.
   *[other] La contraseña debe contener al menos { $min } cifras.
}
policy-error-too-few-special = { $min ->
    [one] La contraseña debe contener al menos un carácter especial (signo de puntuación, símbolo).
   *[other] La contraseña debe contener al menos { $min } caracteres especiales (signos de puntuación, símbolos).
}
policy-error-forbidden-character = La contraseña no debe contener ninguno de estos caracteres: { $chars }
policy-error-contains-login = La contraseña no debe contener su nombre de usuario.
policy-error-contains-name = La contraseña no debe contener su nombre ni sus apellidos.
policy-error-same-as-current = La nueva contraseña debe ser distinta de su contraseña actual.
policy-error-too-guessable = Esta contraseña es demasiado fácil de adivinar: evite las palabras comunes, las secuencias (1234, qwerty), las fechas y sus datos personales. Una frase de varias palabras es más segura.
policy-error-breached = Esta contraseña figura en una filtración de contraseñas conocida: es de las primeras que prueba un atacante. Elija otra.
policy-error-in-history = { $count ->
    [0] Ya ha usado esta contraseña recientemente: elija otra.
    [one] La contraseña debe ser distinta de la última contraseña que eligió.
   *[other] La contraseña debe ser distinta de las { $count } últimas contraseñas que eligió.
}
policy-error-too-soon = Su contraseña se cambió hace demasiado poco: vuelva a intentarlo más tarde.
policy-error-refused-by-directory = Esta contraseña no cumple la política de seguridad del directorio: elija otra.

## Invalid input

policy-input-empty = Escriba una contraseña.
policy-input-only-spaces = La contraseña no puede estar formada solo por espacios.
policy-input-control-character = La contraseña contiene un carácter invisible (salto de línea, tabulación…) que no se admite.
policy-input-too-long = La contraseña es demasiado larga: { $max } caracteres como máximo.
policy-input-invalid-utf8 = La contraseña contiene caracteres ilegibles (texto que no es UTF-8): escríbala de nuevo.

## Live checklist

# { $passed } and { $total } stay as they are: the script replaces them.
policy-checklist-status = { $passed } de { $total } criterios cumplidos
policy-checklist-met = criterio cumplido
policy-checklist-unmet = criterio no cumplido
policy-checklist-show = Mostrar
policy-checklist-hide = Ocultar
policy-checklist-show-label = Mostrar la contraseña
policy-checklist-confirm-match = Las dos contraseñas coinciden.
policy-checklist-confirm-mismatch = Las dos contraseñas no coinciden.
policy-strength-label = Solidez de la contraseña
policy-strength-levels = muy débil|débil|aceptable|buena|muy buena
policy-strength-status = Solidez: { $level }
policy-strength-deferred = La solidez de esta contraseña se comprobará al enviar el formulario.
