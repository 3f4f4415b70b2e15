# The built-in captcha (no third-party service): image, audio, new code.
# The recorded voice exists in French and English only: an Arabic page
# plays the English letters, and its link says so.
captcha-label = رمز الأمان
captcha-instruction = انسخ رمز الأمان (المكوّن من أرقام وحروف لاتينية)
captcha-help = لعرض رمز جديد أو للاستماع إلى الرمز، استخدم الروابط الموجودة أسفل الصورة.
captcha-case-sensitive = انتبه إلى الحروف الكبيرة والصغيرة. لا تضع مسافات بين الأحرف.
captcha-case-insensitive = لا فرق بين الحروف الكبيرة والصغيرة. لا تضع مسافات بين الأحرف.
captcha-image-alt = رمز أمان من { $length } محارف عليك نسخه، في صورة مشوّهة. إذا لم تستطع قراءته، فاستخدم «الاستماع إلى الرمز (بالإنجليزية)».
captcha-listen = الاستماع إلى الرمز (بالإنجليزية)
captcha-listen-fallback = تنزيل الرمز بصيغة صوتية (WAV، بالإنجليزية)
captcha-new = رمز جديد
captcha-why = يمنع رمز الأمان البرامج الآلية من إعادة تعيين كلمات المرور.
captcha-failed = فشل التحقق من النص.
captcha-needed = انسخ نص الصورة (أو استمع إليه) للمتابعة.
