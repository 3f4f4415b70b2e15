# Le captcha intégré (aucun service tiers) : image, version audio, nouveau code.
captcha-label = Code de sécurité
captcha-instruction = Recopiez le code de sécurité (composé de chiffres et de lettres)
captcha-help = Pour afficher un nouveau code ou écouter le code, utilisez les liens situés sous l'image.
captcha-case-sensitive = Respectez les majuscules et les minuscules. N'insérez pas d'espace entre les caractères.
captcha-case-insensitive = Majuscules ou minuscules, peu importe. N'insérez pas d'espace entre les caractères.
captcha-image-alt = Code de sécurité de { $length } caractères à recopier, en image déformée. Si vous ne pouvez pas le lire, utilisez « Écouter le code ».
captcha-listen = Écouter le code
captcha-listen-fallback = Télécharger le code au format audio (WAV)
captcha-new = Nouveau code
captcha-why = Le code de sécurité empêche des programmes automatisés de réinitialiser les mots de passe.
captcha-failed = La vérification du texte a échoué.
captcha-needed = Recopiez le texte de l’image (ou écoutez-le) pour continuer.
