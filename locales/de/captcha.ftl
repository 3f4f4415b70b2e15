# The built-in captcha (no third-party service): image, audio, new code.
# The recorded voice exists in French and English only: a German page
# plays the English letters, and its link says so.
captcha-label = Sicherheitscode
captcha-instruction = Geben Sie den Sicherheitscode ein (aus Ziffern und Buchstaben)
captcha-help = Um einen neuen Code anzuzeigen oder den Code anzuhören, verwenden Sie die Links unter dem Bild.
captcha-case-sensitive = Achten Sie auf Groß- und Kleinschreibung. Setzen Sie keine Leerzeichen zwischen die Zeichen.
captcha-case-insensitive = Groß- oder Kleinschreibung spielt keine Rolle. Setzen Sie keine Leerzeichen zwischen die Zeichen.
captcha-image-alt = Sicherheitscode aus { $length } Zeichen zum Abtippen, als verzerrtes Bild. Wenn Sie ihn nicht lesen können, verwenden Sie „Code anhören (auf Englisch)“.
captcha-listen = Code anhören (auf Englisch)
captcha-listen-fallback = Code als Audiodatei herunterladen (WAV, auf Englisch)
captcha-new = Neuer Code
captcha-why = Der Sicherheitscode verhindert, dass automatisierte Programme Passwörter zurücksetzen.
captcha-failed = Die Überprüfung des Textes ist fehlgeschlagen.
captcha-needed = Geben Sie den Text aus dem Bild ein (oder hören Sie ihn an), um fortzufahren.
