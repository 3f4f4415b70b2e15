# The built-in captcha (no third-party service): image, audio, new code.
captcha-label = Security code
captcha-instruction = Type the security code (made of digits and letters)
captcha-help = To show a new code or to listen to the code, use the links below the picture.
captcha-case-sensitive = Upper and lower case matter. Do not put spaces between the characters.
captcha-case-insensitive = Upper or lower case, it does not matter. Do not put spaces between the characters.
captcha-image-alt = Security code of { $length } characters to type, as a distorted picture. If you cannot read it, use “Listen to the code”.
captcha-listen = Listen to the code
captcha-listen-fallback = Download the code as audio (WAV)
captcha-new = New code
captcha-why = The security code stops automated programs from resetting passwords.
captcha-failed = The text check failed.
captcha-needed = Type the text of the picture (or listen to it) to go on.
