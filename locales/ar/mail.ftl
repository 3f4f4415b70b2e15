# The mails sent to the person, in Arabic (see locales/fr/mail.ftl); the
# HTML part carries dir="rtl".
# { $date } { $time } { $offset }: "29/11/2026", "07:42", "UTC+01:00".

mail-greeting = مرحبًا،
mail-greeting-named = مرحبًا { $name }،
mail-footer-auto = أُرسلت هذه الرسالة تلقائيًا، يُرجى عدم الرد عليها.
mail-footer-auto-site = أرسل { $site } هذه الرسالة تلقائيًا، يُرجى عدم الرد عليها.
mail-footer-help = هل تحتاج إلى مساعدة؟ تواصل مع { $contact }.

## Password changed

mail-changed-subject = { $site }: غُيّرت كلمة المرور الخاصة بك
mail-changed-what = غُيّرت كلمة مرور حسابك { $login } في { $date } الساعة { $time } ({ $offset })، من عنوان IP { $address }.
mail-changed-services = أصبحت كلمة المرور الجديدة من الآن هي كلمة المرور لـ:
mail-changed-if-you = إذا كنت أنت من أجرى هذا التغيير، فلا داعي لأي إجراء.
mail-changed-if-not = إذا لم تكن أنت، فربما يعرف شخص آخر كلمة المرور الخاصة بك:
mail-changed-report-link = { $days ->
    [few] أبلغ عن ذلك بفتح هذا الرابط (صالح لمدة { $days } أيام)، فهو يوقف التغييرات عبر الخدمة الذاتية ويُبلغ فريق الدعم:
   *[other] أبلغ عن ذلك بفتح هذا الرابط (صالح لمدة { $days } يومًا)، فهو يوقف التغييرات عبر الخدمة الذاتية ويُبلغ فريق الدعم:
}
mail-changed-report-button = { $days ->
    [few] أبلغ عن ذلك بهذا الرابط (صالح لمدة { $days } أيام)، فهو يوقف التغييرات عبر الخدمة الذاتية ويُبلغ فريق الدعم:
   *[other] أبلغ عن ذلك بهذا الرابط (صالح لمدة { $days } يومًا)، فهو يوقف التغييرات عبر الخدمة الذاتية ويُبلغ فريق الدعم:
}
mail-changed-report-label = لم أكن أنا
mail-changed-contact = تواصل مع { $contact } دون تأخير.

## Password about to expire

mail-expiring-subject = { $days ->
    [one] { $site }: تنتهي صلاحية كلمة المرور الخاصة بك خلال يوم واحد
    [two] { $site }: تنتهي صلاحية كلمة المرور الخاصة بك خلال يومين
    [few] { $site }: تنتهي صلاحية كلمة المرور الخاصة بك خلال { $days } أيام
   *[other] { $site }: تنتهي صلاحية كلمة المرور الخاصة بك خلال { $days } يومًا
}
mail-expiring-what = { $days ->
    [one] تنتهي صلاحية كلمة مرور حسابك { $login } في { $date } الساعة { $time } (خلال يوم واحد). بعد هذا الموعد لن تتمكن من تسجيل الدخول.
    [two] تنتهي صلاحية كلمة مرور حسابك { $login } في { $date } الساعة { $time } (خلال يومين). بعد هذا الموعد لن تتمكن من تسجيل الدخول.
    [few] تنتهي صلاحية كلمة مرور حسابك { $login } في { $date } الساعة { $time } (خلال { $days } أيام). بعد هذا الموعد لن تتمكن من تسجيل الدخول.
   *[other] تنتهي صلاحية كلمة مرور حسابك { $login } في { $date } الساعة { $time } (خلال { $days } يومًا). بعد هذا الموعد لن تتمكن من تسجيل الدخول.
}
mail-expiring-change = غيّرها الآن من «إدارة حسابي»:
mail-expiring-change-label = إدارة حسابي

## Forgotten login

mail-identifier-subject = { $site }: اسم المستخدم الخاص بك
mail-identifier-asked = طلبت تلقي اسم المستخدم الخاص بك.
mail-identifier-yours = اسم المستخدم الخاص بك: { $login }
mail-identifier-use = استخدمه مع كلمة المرور لتسجيل الدخول إلى خدمات { $site }.
mail-identifier-not-you = إذا لم تكن أنت من قدّم هذا الطلب، فيمكنك تجاهل هذه الرسالة: لم تُرسَل إلا إليك. إذا كان لديك شك، فتواصل مع { $contact }.

## Reset code

mail-code-subject = { $site }: إعادة تعيين كلمة المرور
mail-code-asked = طلبت إعادة تعيين كلمة المرور الخاصة بك.
mail-code-here = لتأكيد طلبك، إليك رمز إعادة التعيين الذي عليك إدخاله:
mail-code-once = يُستخدم هذا الرمز مرة واحدة فقط، وتنتهي صلاحيته بعد { $validity }.
mail-code-or-link = يمكنك أيضًا فتح هذا الرابط:
mail-code-or-button = يمكنك أيضًا الضغط على الزر أدناه:
mail-code-button = إعادة تعيين كلمة المرور
mail-code-not-you = إذا لم تكن أنت من قدّم هذا الطلب، فتجاهل هذه الرسالة: تبقى كلمة المرور الخاصة بك كما هي. إذا كان لديك شك، فتواصل مع { $contact }.

## Temporary password

mail-temporary-subject = { $site }: كلمة المرور المؤقتة الخاصة بك
mail-temporary-asked = طلبت إعادة تعيين كلمة المرور الخاصة بك.
mail-temporary-here = إليك كلمة مرور مؤقتة لتسجيل الدخول:
mail-temporary-login = اسم المستخدم:
mail-temporary-password = كلمة المرور المؤقتة:
mail-temporary-valid = وهي صالحة لمدة { $validity }.
mail-temporary-must-change = يجب عليك تغيير كلمة المرور هذه عند أول تسجيل دخول.
mail-temporary-sign-in = سجّل الدخول من هنا لاختيار كلمة المرور الجديدة:
mail-temporary-button = اختيار كلمة المرور الجديدة
mail-temporary-not-you = إذا لم تكن أنت من قدّم هذا الطلب، فتواصل مع { $contact } دون تأخير.

## A password found in a breach list (passerelle breach-sweep --notify)

mail-breached-subject = { $site }: كلمة مرورك موجودة في قائمة كلمات مرور مسرّبة
mail-breached-what = كلمة المرور الحالية لحسابك { $login } موجودة في قائمة كلمات مرور سُرّبت في اختراقات بيانات لمواقع أخرى. لم تُسرق منا، لكن أي شخص يملك هذه القائمة يمكنه تجربتها على حسابك.
mail-breached-change = اختر كلمة مرور جديدة الآن، دون الحاجة إلى القديمة:
mail-breached-change-label = اختيار كلمة مرور جديدة
mail-breached-must-change = إلى أن تغيّرها، سيُطلب منك ذلك عند تسجيل دخولك التالي.
mail-breached-never-ask = لن نطلب منك كلمة المرور عبر البريد الإلكتروني أبدًا. إذا كان لديك أي شك في هذه الرسالة، فانتقل مباشرة إلى موقع { $site } أو تواصل مع { $contact }.
