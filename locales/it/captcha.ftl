# The built-in captcha (no third-party service): image, audio, new code.
# The recorded voice exists in French and English only: an Italian page
# plays the English letters, and its link says so.
captcha-label = Codice di sicurezza
captcha-instruction = Ricopia il codice di sicurezza (composto da cifre e lettere)
captcha-help = Per vedere un nuovo codice o ascoltare il codice, usa i link sotto l'immagine.
captcha-case-sensitive = Rispetta le maiuscole e le minuscole. Non inserire spazi tra i caratteri.
captcha-case-insensitive = Maiuscole o minuscole, non importa. Non inserire spazi tra i caratteri.
captcha-image-alt = Codice di sicurezza di { $length } caratteri da ricopiare, in un'immagine deformata. Se non riesci a leggerlo, usa «Ascolta il codice (in inglese)».
captcha-listen = Ascolta il codice (in inglese)
captcha-listen-fallback = Scarica il codice in formato audio (WAV, in inglese)
captcha-new = Nuovo codice
captcha-why = Il codice di sicurezza impedisce a programmi automatici di reimpostare le password.
captcha-failed = La verifica del testo non è riuscita.
captcha-needed = Ricopia il testo dell'immagine (o ascoltalo) per continuare.
