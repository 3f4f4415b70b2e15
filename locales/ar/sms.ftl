# Issue 21: code by SMS, choice of channel, the person's recovery data
# (address and mobile) and the notice of every change.

## The SMS texts (Arabic script is not in the GSM alphabet: they go in UCS-2,
## 70 characters per SMS, so keep them short).
sms-text-code = { $site }: رمزك هو { $code }. تنتهي صلاحيته بعد { $minutes } دقيقة. لا تُعطه لأي أحد.
sms-text-verify = { $site }: رمز تأكيد هذا الرقم هو { $code } (صالح لمدة { $minutes } دقيقة). إذا لم تطلب شيئًا، فتجاهل هذه الرسالة.
sms-text-mobile-changed = { $site }: منذ { $when } لم يعد هذا الرقم رقم الهاتف المحمول للاستعادة في حسابك. إذا لم تكن أنت من فعل ذلك، فراجع بريدك الإلكتروني أو تواصل مع { $contact }.

## Why a number cannot receive a code (docs/sms.md).
sms-number-empty = أدخل رقم هاتف محمول.
sms-number-not-a-number = هذا ليس رقم هاتف: أدخل أرقامًا فقط، مثل 06 12 34 56 78 أو +33 6 12 34 56 78.
sms-number-unknown-country-code = رمز البلد هذا غير موجود.
sms-number-too-short = هذا الرقم قصير جدًا.
sms-number-too-long = هذا الرقم طويل جدًا.
sms-number-invalid = لا يوجد رقم بهذا الشكل.
sms-number-country-not-allowed = لا يمكن إرسال الرسائل النصية القصيرة إلى هذا البلد.
sms-number-landline = هذا رقم هاتف ثابت: لا يمكنه استقبال الرسائل النصية القصيرة. أدخل رقم هاتف محمول.
sms-number-maybe-landline = قد يكون هذا الرقم هاتفًا ثابتًا: أدخل رقم هاتف محمول.
sms-number-premium-rate = هذا رقم بتعرفة مرتفعة: لا يُرسَل إليه أي رمز. أدخل رقم هاتف محمول.
sms-number-shared-cost = هذا رقم بتكلفة مشتركة: أدخل رقم هاتف محمول.
sms-number-toll-free = هذا رقم مجاني: أدخل رقم هاتف محمول.
sms-number-not-mobile = هذا ليس رقم هاتف محمول: أدخل رقم هاتف محمول.
sms-number-disabled = الرسائل النصية القصيرة غير متاحة على هذا الموقع.

## Recovery data: what is refused.
recovery-value-missing = أدخل قيمة.
recovery-mail-invalid = أدخل عنوان بريد إلكتروني صالحًا، مثل name.surname@example.org.
recovery-mail-institutional = هذا هو عنوان مؤسستك: أدخل عنوانًا شخصيًا يمكنك قراءته دون كلمة المرور هذه.
recovery-value-unchanged = هذه هي القيمة المسجلة في حسابك بالفعل.
recovery-nothing-to-remove = لا توجد هذه القيمة في حسابك.
recovery-code-wrong = هذا الرمز غير صحيح.

## Receive a code by SMS (/sms).
flow-sms-title = تلقّي رمز برسالة نصية
flow-sms-summary = رمز من 6 أرقام يُرسَل إلى هاتفك المحمول، بعد إدخال رقمك الشخصي وتاريخ ميلادك.
sms-title = تلقّي رمز برسالة نصية
sms-intro = عرّف بنفسك برقمك الشخصي وتاريخ ميلادك: بعد ذلك يُرسَل إليك رمز على رقم الهاتف المحمول المسجل في حسابك، أو إلى بريد الاستعادة إن كنت تفضّل ذلك.
sms-channel-title = إلى أين نرسل الرمز؟
sms-channel-intro = هذه وسائل الاتصال بك المسجلة في حسابك (مخفية جزئيًا).
sms-channel-legend = إرسال الرمز
sms-channel-mobile = برسالة نصية إلى { $number }
sms-channel-mail = بالبريد الإلكتروني إلى { $address }
sms-channel-hint = الرمز صالح لبضع دقائق ويُستخدم مرة واحدة فقط. لا يمكن إرسال إلا عدد محدود من الرسائل النصية كل يوم.
sms-channel-button = إرسال الرمز
sms-channel-missing = اختر إلى أين يُرسَل الرمز.
sms-channel-unusable = الرقم المسجل في حسابك لا يمكنه استقبال رمز. { $reason } يمكنك تصحيحه في «إدارة حسابي».
sms-no-channel-title = لا توجد وسيلة لإرسال رمز إليك
sms-no-channel = لا يحتوي حسابك على رقم هاتف محمول ولا على بريد استعادة يمكن إرسال رمز إليه. استخدم «استعادة كلمة المرور» إذا كان لديك سؤال سري، أو تواصل مع { $contact }.
sms-limit-address = طُلب عدد كبير جدًا من الرسائل النصية من اتصالك: أعد المحاولة بعد ساعة، أو اختر البريد الإلكتروني.
sms-limit-ceiling = الرسائل النصية غير متاحة مؤقتًا: أعد المحاولة بعد بضع دقائق، أو اختر البريد الإلكتروني.
sms-daily-cap = تلقّى حسابك بالفعل الحد الأقصى من الرسائل النصية لهذا اليوم: أعد المحاولة بعد { $until }، أو اختر البريد الإلكتروني.
sms-failed = تعذّر إرسال الرمز. أعد المحاولة لاحقًا أو تواصل مع { $contact }.
sms-verify-title = أدخل الرمز الذي وصلك
sms-sent-mobile = أُرسل للتو رمز برسالة نصية إلى { $number }.
sms-sent-mail = أُرسل للتو رمز بالبريد الإلكتروني إلى { $address }.
sms-sent = أدخل الرمز الذي وصلك.
sms-code-field = الرمز الذي وصلك
sms-refused-advice = يُستخدم الرمز مرة واحدة فقط، وتنتهي صلاحيته بعد بضع دقائق، ولا يقبل إلا { $tries } من المحاولات: بعدها اطلب رمزًا جديدًا عبر «إعادة إرسال الرمز». بعد { $max } من الأخطاء، تُوقَف إعادة التعيين لبعض الوقت.
sms-password-title = اختر كلمة المرور الجديدة

## Choice of channel in the e-mail code flow (/code).
code-channel-legend = تلقّي الرمز
code-channel-mail = بالبريد الإلكتروني
code-channel-mobile = برسالة نصية إلى رقم الهاتف المحمول المسجل في الحساب
code-sent-sms = إذا كان «{ $address }» يطابق حسابًا له رقم هاتف محمول، فقد أُرسل للتو رمز إلى هذا الرقم برسالة نصية.

## My recovery data (Manage my account).
account-recovery-data = بريد الاستعادة ورقم هاتفي المحمول
account-sign-in-again = تسجيل الدخول مجددًا
recovery-title = بيانات الاستعادة الخاصة بي
recovery-intro = تساعدك وسائل الاتصال هذه على استعادة الوصول إلى حسابك إذا نسيت كلمة المرور. يُبلَّغ عن كل تغيير إلى عناوينك.
recovery-mail = بريد الاستعادة الإلكتروني
recovery-mobile = رقم الهاتف المحمول
recovery-none = لا شيء
recovery-change-mail = تغيير بريد الاستعادة
recovery-change-mobile = تغيير رقم هاتفي المحمول
recovery-mail-title = بريد الاستعادة الخاص بي
recovery-mobile-title = رقم هاتفي المحمول
recovery-mail-intro = أدخل عنوانًا شخصيًا يمكنك قراءته حتى دون كلمة المرور. سيُرسَل إليه رمز: لا يُسجَّل العنوان إلا بعد إدخال هذا الرمز.
recovery-mobile-intro = أدخل رقم هاتفك المحمول. سيُرسَل إليه رمز برسالة نصية: لا يُسجَّل الرقم إلا بعد إدخال هذا الرمز.
recovery-current-value = حاليًا: { $value }
recovery-new-mail = بريد الاستعادة الجديد
recovery-new-mobile = رقم الهاتف المحمول الجديد
recovery-mail-hint = مثل name.surname@example.org
recovery-mobile-hint = مثل 06 12 34 56 78 أو +33 6 12 34 56 78
recovery-current-hint = حفاظًا على أمانك، أدخل كلمة المرور الحالية مرة أخرى.
recovery-send-code = إرسال رمز
recovery-remove = حذف
recovery-back = العودة إلى بيانات الاستعادة الخاصة بي
recovery-removed-title = تم الحذف
recovery-mail-removed = حُذف بريد الاستعادة الخاص بك؛ وتؤكد ذلك رسالة مرسلة إلى عناوينك. إذا كان لديك أي شك، فتواصل مع { $contact }.
recovery-mobile-removed = حُذف رقم هاتفك المحمول؛ وتؤكد ذلك رسالة مرسلة إلى عناوينك. إذا كان لديك أي شك، فتواصل مع { $contact }.
recovery-not-sent-later = لا يمكن إرسال أي رمز الآن: أعد المحاولة بعد { $until }.
recovery-not-sent-cooldown = أُرسلت للتو رسالة إلى حسابك: انتظر دقيقة قبل طلب رسالة أخرى.
recovery-not-sent = تعذّر إرسال أي رمز في الوقت الحالي. أعد المحاولة لاحقًا، أو اترك هذه الحقول فارغة للمتابعة، أو تواصل مع { $contact }.
recovery-verify-title = أدخل الرمز الذي وصلك
recovery-code-mail = الرمز الذي وصلك بالبريد الإلكتروني
recovery-code-mobile = الرمز الذي وصلك برسالة نصية
recovery-code-sent-mail = أُرسل للتو رمز إلى { $value }.
recovery-code-sent-mobile = أُرسل للتو رمز برسالة نصية إلى { $value }.
recovery-changed-title = تم حفظ التغيير
recovery-mail-changed = سُجّل بريد الاستعادة الجديد؛ وتُبلغ بذلك رسالة مرسلة إلى عناوينك. إذا كان لديك أي شك، فتواصل مع { $contact }.
recovery-mobile-changed = سُجّل رقم هاتفك المحمول الجديد؛ وتُبلغ بذلك رسالة مرسلة إلى عناوينك وإلى الرقم القديم. إذا كان لديك أي شك، فتواصل مع { $contact }.
recovery-restart = انتهت صلاحية هذا الرمز، أو أُدخلت كلمة المرور منذ وقت طويل جدًا: ابدأ التغيير من جديد.
recovery-locked = محاولات فاشلة كثيرة جدًا: أُوقفت التغييرات لبعض الوقت. أعد المحاولة لاحقًا أو تواصل مع { $contact }.

## Activate my account: ways to reach you.
activate-recovery-title = وسائل الاستعادة الخاصة بك
activate-recovery-intro = إذا نسيت كلمة المرور، يمكن إرسال رمز إليك عبر هذه الوسائل. يُرسَل رمز إلى كل قيمة تُدخلها، وعليك إدخاله في الخطوة التالية.
activate-recovery-optional = يمكنك ترك هذه الحقول فارغة وتعبئتها لاحقًا في «إدارة حسابي».

## It was not me: a recovery factor changed.
not-me-intro-question = غُيّر السؤال السري للحساب { $login } في { $when } من عنوان IP { $address }.
not-me-intro-mail = غُيّر بريد الاستعادة للحساب { $login } في { $when } من عنوان IP { $address }.
not-me-intro-mobile = غُيّر رقم الهاتف المحمول للحساب { $login } في { $when } من عنوان IP { $address }.
