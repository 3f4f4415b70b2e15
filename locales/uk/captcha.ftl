# The built-in captcha (no third-party service): image, audio, new code.
# The recorded voice exists in French and English only: a Ukrainian page
# plays the English letters, and its link says so.
captcha-label = Код безпеки
captcha-instruction = Перепишіть код безпеки (складається з цифр і латинських літер)
captcha-help = Щоб показати новий код або прослухати код, скористайтеся посиланнями під зображенням.
captcha-case-sensitive = Зважайте на великі й малі літери. Не ставте пробілів між символами.
captcha-case-insensitive = Великі чи малі літери — неважливо. Не ставте пробілів між символами.
captcha-image-alt = Код безпеки з { $length } символів, який треба переписати, у вигляді спотвореного зображення. Якщо не можете його прочитати, скористайтеся посиланням «Прослухати код (англійською)».
captcha-listen = Прослухати код (англійською)
captcha-listen-fallback = Завантажити код як аудіо (WAV, англійською)
captcha-new = Новий код
captcha-why = Код безпеки не дає автоматизованим програмам скидати паролі.
captcha-failed = Перевірка тексту не вдалася.
captcha-needed = Щоб продовжити, перепишіть текст із зображення (або прослухайте його).
