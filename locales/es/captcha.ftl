# The built-in captcha (no third-party service): image, audio, new code.
# The recorded voice exists in French and English only: a Spanish page
# plays the English letters, and its link says so.
captcha-label = Código de seguridad
captcha-instruction = Copie el código de seguridad (formado por cifras y letras)
captcha-help = Para ver un código nuevo o escuchar el código, use los enlaces que hay debajo de la imagen.
captcha-case-sensitive = Respete las mayúsculas y las minúsculas. No ponga espacios entre los caracteres.
captcha-case-insensitive = Da igual que sean mayúsculas o minúsculas. No ponga espacios entre los caracteres.
captcha-image-alt = Código de seguridad de { $length } caracteres que debe copiar, en forma de imagen deformada. Si no puede leerlo, use «Escuchar el código (en inglés)».
captcha-listen = Escuchar el código (en inglés)
captcha-listen-fallback = Descargar el código en audio (WAV, en inglés)
captcha-new = Código nuevo
captcha-why = El código de seguridad impide que programas automáticos restablezcan contraseñas.
captcha-failed = La comprobación del texto ha fallado.
captcha-needed = Copie el texto de la imagen (o escúchelo) para continuar.
