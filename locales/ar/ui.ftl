# Texts of Passerelle's web pages (Arabic, right to left: the pages carry
# dir="rtl"). Numbers, logins and addresses stay in Latin digits and
# letters, as people type them.

## Layout

skip-to-content = الانتقال إلى المحتوى
nav-label = التنقل الرئيسي
nav-home = الصفحة الرئيسية
nav-activate = تفعيل حسابي
nav-forgotten = نسيت بيانات الدخول
nav-account = إدارة حسابي
nav-help = مساعدة
lang-switch-label = اللغة
step-indicator = الخطوة { $step } من { $total }
# A field's label with the colon as the language writes it, and the step bar's percentage.
field-label = { $label }:
field-label-required = { $label } *:
step-percent = { $percent }٪
error-summary-title = توجد مشكلة
footer-help = هل تحتاج إلى مساعدة؟ تواصل مع { $contact }.
logo-alt = شعار { $site }

## Home

home-title = مرحبًا بك
home-intro = اختر ما تريد القيام به.
forgotten-title = نسيت بيانات الدخول
forgotten-intro = هل نسيت كلمة المرور أو اسم المستخدم؟ اختر مما يلي.
flow-recover-title = استعادة كلمة المرور
flow-recover-summary = استعد كلمة المرور في بضع خطوات.
flow-identifier-title = استعادة اسم المستخدم
flow-identifier-summary = استعد اسم المستخدم الخاص بك في بضع خطوات.
flow-activate-title = تفعيل حسابي
flow-activate-summary = أول استخدام: اختر سؤالك السري وكلمة المرور.
flow-account-title = إدارة حسابي
flow-account-summary = غيّر كلمة المرور أو سؤالك السري.
flow-code-title = تلقي رمز عبر البريد الإلكتروني
flow-code-summary = يُرسَل رمز تحقق إلى عنوان بريدك الإلكتروني.
flow-temporary-title = تلقي كلمة مرور مؤقتة
flow-temporary-summary = تُرسَل كلمة مرور مؤقتة إلى عنوان بريدك الإلكتروني.

## Help

help-title = مساعدة
help-intro = لاستعادة كلمة المرور، جهّز رقمك الشخصي وتاريخ ميلادك، ثم أجب عن سؤالك السري.
help-contact = إذا لم تنجح في ذلك، تواصل مع { $contact }.

## Identity (personal number + date of birth)

recover-title = استعادة كلمة المرور
recover-intro = يمكنك استعادة كلمة المرور باستخدام المعلومات أدناه، فهي تتيح التعرّف عليك في نظامنا المعلوماتي.
identifier-kinds-intro = إذا كنت:
kind-student = طالبًا
kind-student-text = يمكنك استخدام رقم الطالب أو رقم INE (الرقم الوطني للطالب في فرنسا).
kind-staff = موظفًا
kind-staff-text = يمكنك استخدام رقمك الوظيفي.
kind-external = مستخدمًا من خارج المؤسسة
kind-external-text = يمكنك استخدام المعرّف الفريد الذي أُعطي لك.
kind-details-summary = أين أجد هذه الأرقام؟
detail-student-number = رقم الطالب
detail-student-number-text = حصلت عليه في نهاية إجراءات التسجيل، وهو مكتوب على بطاقتك متعددة الخدمات.
detail-ine = INE
detail-ine-text = تجده مثلًا في كشف درجات البكالوريا الفرنسية وعلى بطاقتك متعددة الخدمات.
detail-staff-number = الرقم الوظيفي
detail-staff-number-text = رقمك في قاعدة بيانات إدارة الموظفين، وهو مكتوب على بطاقتك متعددة الخدمات.
detail-uid = UID
detail-uid-text = UID (المعرّف الفريد)
field-identifier = الرقم الشخصي
field-identifier-placeholder = أدخل رقمك الشخصي
field-birth-date = تاريخ الميلاد
field-birth-date-hint = يوم/شهر/سنة (مثل 15/09/2001)
button-submit = تأكيد
identifier-missing = أدخل رقمك الشخصي.
birth-date-invalid = أدخل تاريخ ميلادك بالشكل يوم/شهر/سنة (مثل 15/09/2001).
identity-failed = لا تسمح المعلومات التي أدخلتها بالتعرّف عليك. تحقّق من رقمك الشخصي ومن تاريخ ميلادك.
identity-failed-lock = { $minutes ->
    [few] بعد { $max } من المحاولات الفاشلة، تُوقَف الاستعادة عبر الخدمة الذاتية لمدة { $minutes } دقائق؛ أعد المحاولة بعد ذلك أو تواصل مع { $contact }.
   *[other] بعد { $max } من المحاولات الفاشلة، تُوقَف الاستعادة عبر الخدمة الذاتية لمدة { $minutes } دقيقة؛ أعد المحاولة بعد ذلك أو تواصل مع { $contact }.
}

## Secret question

question-title = السؤال السري
question-intro = أجب عن سؤالك السري.
field-answer-placeholder = إجابتك
answer-missing = أدخل إجابتك.
answer-wrong = { $left ->
    [zero] هذه الإجابة غير مطابقة. لم تبقَ لديك أي محاولة.
    [one] هذه الإجابة غير مطابقة. بقيت لديك محاولة واحدة.
    [two] هذه الإجابة غير مطابقة. بقيت لديك محاولتان.
    [few] هذه الإجابة غير مطابقة. بقيت لديك { $left } محاولات.
   *[other] هذه الإجابة غير مطابقة. بقيت لديك { $left } محاولة.
}
locked-title = الاستعادة موقوفة مؤقتًا
locked-text = محاولات فاشلة كثيرة جدًا: الاستعادة عبر الخدمة الذاتية لهذا الحساب موقوفة حتى { $until }.
locked-advice = أعد المحاولة لاحقًا أو تواصل مع { $contact }.
no-question-title = حسابك غير مفعّل بعد
no-question-text = لا يوجد سؤال سري مسجّل لهذا الحساب: فعّل حسابك أولًا.
no-question-contact = لتفعيل حسابك، تواصل مع { $contact }.

## New password

password-title = اختر كلمة المرور الجديدة
field-new-password = كلمة المرور الجديدة
field-new-password-placeholder = كلمة المرور الجديدة
field-confirmation = التأكيد
field-confirmation-placeholder = أعد كتابة كلمة المرور الجديدة
rules-intro = لكي تكون كلمة المرور صالحة، يجب أن:
rules-checkbox = أقرّ بأنني اطّلعت على النظام الداخلي.
rules-link = الاطلاع على النظام الداخلي
rules-checkbox-missing = ضع علامة في خانة «أقرّ بأنني اطّلعت على النظام الداخلي.»
password-missing = أدخل كلمة مرور جديدة.
confirmation-mismatch = التأكيد لا يطابق كلمة المرور الجديدة.
pw-locked = هذا الحساب مقفل في دليل الحسابات؛ تواصل مع { $contact }.
pw-refused-directory = رفض دليل الحسابات كلمة المرور هذه؛ اختر كلمة أخرى.
success-title = تم تغيير كلمة المرور
success-text = تم: غُيّرت كلمة المرور بنجاح، وستتلقى أيضًا رسالة تأكيد في بريدك الإلكتروني.
success-text-no-mail = تم: غُيّرت كلمة المرور بنجاح. تعذّر إرسال رسالة تأكيد لأنه لا يوجد أي عنوان بريد مسجّل لحسابك. لإضافة عنوان، تواصل مع { $contact }.
changed-meanwhile-title = كلمة المرور غُيّرت بالفعل
changed-meanwhile-text = غُيّرت كلمة المرور قبل لحظات بطلب آخر (علامة تبويب أخرى أو إجراء آخر): لم تُسجَّل الكلمة التي أدخلتها للتو.
changed-meanwhile-advice = إذا لم تكن أنت من فعل ذلك، فتواصل مع { $contact } فورًا.
stopped-title = الخدمة الذاتية غير متاحة لهذا الحساب
stopped-text = لا يمكن تعديل هذا الحساب عبر الخدمة الذاتية حاليًا: فهو مقفل أو معلّق أو مغلق. لم يُسجَّل أي شيء.
stopped-contact = لأي استفسار، تواصل مع { $contact }.
old-password-required-title = لا يمكن إجراء هذا التغيير هنا
old-password-required-text = يشترط دليل الحسابات كلمة المرور الحالية لأي تغيير لكلمة المرور، ولا يمكن لإعادة التعيين أن توفّرها. لم يُسجَّل أي شيء.
old-password-required-advice = إذا كنت تعرف كلمة المرور الحالية، فغيّرها من «إدارة حسابي»؛ وإلا فتواصل مع { $contact }.
success-services = لا تنسَ استخدام كلمة المرور الجديدة لتسجيل الدخول إلى:
success-finish = إنهاء
# Some replica of the directory had not taken the new password yet.
success-replica-lag = قد تستغرق شبكة Wi-Fi دقيقة لقبولها.
success-wifi-confirmed = شبكة Wi-Fi (eduroam) تقبل كلمة مرورك الجديدة بالفعل.

## Recover my login

identifier-title = استعادة اسم المستخدم
identifier-intro = أدخل رقمك الشخصي وتاريخ ميلادك: إذا طابقا حسابًا، يُرسَل اسم المستخدم إلى بريد الاستعادة الخاص بك.
identifier-sent-title = تم تسجيل الطلب
identifier-sent = إذا كانت المعلومات المُدخلة تطابق حسابًا، فقد أُرسل اسم المستخدم للتو إلى بريد الاستعادة المسجّل لهذا الحساب.
identifier-sent-advice = تحقّق من مجلد الرسائل غير المرغوب فيها. إذا لم تصلك رسالة خلال بضع دقائق، فتواصل مع { $contact }.

## Errors

error-title = حدث خطأ
error-back-home = العودة إلى الصفحة الرئيسية
error-restart = البدء من جديد
error-bad-request = تعذّرت قراءة النموذج المُرسَل. ابدأ من جديد من البداية.
error-too-large = النموذج المُرسَل كبير جدًا.
error-expired = انتهت صلاحية جلستك؛ ابدأ من جديد.
error-csrf = لم يعد هذا النموذج صالحًا. أعد تحميل الصفحة وحاول مرة أخرى.
error-cross-site = أُرسل هذا النموذج من موقع آخر وليس من صفحاتنا: لم يُنفَّذ أي شيء. إذا كنت تملؤه هنا، فافتح هذه الخدمة من عنوانها الخاص وابدأ من جديد.
error-step = هذه الخطوة غير متاحة: إما أن النموذج أُرسل بالفعل، أو أن خطوة سابقة لم تكتمل. ابدأ من جديد من البداية.
error-rate-limited = محاولات كثيرة جدًا من عنوانك. انتظر دقيقة ثم حاول مرة أخرى.
error-captcha-audio-spent = استُمع إلى هذا التسجيل العدد الأقصى المسموح به من المرات. اطلب رمزًا جديدًا عبر «رمز جديد»، ثم استمع إليه.
error-unavailable = الخدمة غير متاحة مؤقتًا. حاول مرة أخرى بعد بضع دقائق.
error-internal = حدث خطأ غير متوقع. حاول مرة أخرى لاحقًا أو تواصل مع { $contact }.
error-not-found = هذه الصفحة غير موجودة.
