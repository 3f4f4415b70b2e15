# Texts of the "Activate my account", "Manage my account" and "Change my
# password" (temporary password) flows, in Arabic.

## Activate my account

activate-title = تفعيل حسابي
activate-intro = أول استخدام لحسابك: عرّف بنفسك برقمك الشخصي وتاريخ ميلادك، ثم اختر سؤالك السري وكلمة المرور.
activate-already-title = الحساب مفعّل بالفعل
activate-already-text = هذا الحساب مفعّل بالفعل: يوجد سؤال سري مسجّل. إذا نسيت كلمة المرور، فاستخدم «استعادة كلمة المرور».
activate-already-link = استعادة كلمة المرور
activate-question-title = اختر سؤالك السري
activate-question-intro = سيُطرح عليك هذا السؤال إذا نسيت كلمة المرور. اختر إجابة ستتذكرها ولا يستطيع أحد تخمينها.
activate-field-question = السؤال السري
activate-field-question-own = سؤالي الخاص
activate-field-own-question = سؤالك
activate-field-own-question-hint = بين { $min } و{ $max } حرفًا.
activate-field-answer = الإجابة
activate-field-answer-hint = { $min } أحرف على الأقل؛ لا عبرة بالأحرف الكبيرة ولا بعلامات التشكيل ولا بالمسافات الزائدة.
activate-field-answer-confirm = تأكيد الإجابة
activate-question-missing = اختر سؤالًا، أو اكتب سؤالك الخاص.
activate-question-length = يجب أن يتراوح طول سؤالك بين { $min } و{ $max } حرفًا.
activate-answer-too-short = يجب ألا تقل الإجابة عن { $min } أحرف.
activate-answer-mismatch = التأكيد لا يطابق الإجابة.
activate-answer-is-login = يجب ألا تكون الإجابة اسم المستخدم الخاص بك.
activate-answer-is-birth-date = يجب ألا تكون الإجابة تاريخ ميلادك.
activate-password-title = اختر كلمة المرور
activate-success-title = تم تفعيل الحساب
activate-secret-not-saved = سُجّلت كلمة المرور، لكن سؤالك السري لم يُسجَّل: أعد التفعيل لاختياره، أو تواصل مع { $contact }.

## Manage my account

account-title = إدارة حسابي
account-intro = سجّل الدخول باسم المستخدم وكلمة المرور الحالية.
account-field-login = اسم المستخدم
account-field-login-placeholder = أدخل اسم المستخدم
account-field-password = كلمة المرور الحالية
account-login-missing = أدخل اسم المستخدم.
account-password-missing = أدخل كلمة المرور الحالية.
account-login-failed = اسم المستخدم أو كلمة المرور غير صحيحين. بعد عدة محاولات فاشلة، يُقفل الحساب لبعض الوقت: أعد المحاولة لاحقًا.
account-locked = هذا الحساب مقفل مؤقتًا بعد محاولات فاشلة كثيرة جدًا. أعد المحاولة لاحقًا أو تواصل مع { $contact }.
account-temporary = كلمة المرور الحالية مؤقتة: اختر أولًا كلمة مرور خاصة بك.
account-temporary-link = اختيار كلمة المرور
account-menu-title = حسابي
account-menu-intro = أنت مسجّل الدخول باسم { $login }. ماذا تريد أن تفعل؟
account-change-password = تغيير كلمة المرور
account-change-question = تغيير سؤالي
account-logout = تسجيل الخروج
account-logged-out-title = تسجيل الخروج
account-logged-out = لقد سجّلت الخروج.
account-password-title = تغيير كلمة المرور
account-question-title = تغيير سؤالي السري
account-question-done-title = تم تسجيل السؤال
account-question-done = سُجّل سؤالك السري الجديد وإجابته.
account-back = العودة إلى حسابي

## Change my password (temporary password)

change-title = تغيير كلمة المرور
change-intro = أدخل اسم المستخدم وكلمة المرور الحالية (كلمة المرور المؤقتة التي وصلتك بالبريد الإلكتروني، إن وُجدت).
change-password-title = اختر كلمة المرور الخاصة بك
change-password-intro = حفاظًا على أمانك، اختر الآن كلمة مرور خاصة بك.
change-field-current = كلمة المرور الحالية
change-field-confirmation = تأكيد كلمة المرور
change-current-missing = أدخل كلمة المرور الحالية.
change-current-wrong = كلمة المرور الحالية غير صحيحة.
change-current-too-often = أُدخلت كلمة المرور الحالية بشكل خاطئ مرات كثيرة جدًا. حفاظًا على أمانك، أُوقف الإجراء: عرّف بنفسك من جديد.
change-sign-in-again = التعريف بنفسي من جديد
change-expired-title = انتهت صلاحية كلمة المرور المؤقتة
change-expired-text = انتهت صلاحية كلمة المرور المؤقتة هذه ولم يعد بالإمكان استخدامها. اطلب كلمة جديدة.
change-expired-link = طلب كلمة مرور مؤقتة جديدة
change-expired-contact = للحصول على كلمة مرور مؤقتة جديدة، تواصل مع { $contact }.
activate-in-use-hint = إذا كان حسابك مستخدمًا بالفعل، فسجّل الدخول إلى «إدارة حسابي» لاختيار سؤالك السري.

## "It was not me" (the link of the "password changed" mail)
not-me-title = لم أكن أنا
not-me-intro = غُيّرت كلمة مرور الحساب { $login } في { $when } من عنوان IP { $address }.
not-me-explain = إذا لم تكن أنت من فعل ذلك، فاضغط على الزر: لن يتمكن أحد بعد ذلك من تغيير كلمة مرور هذا الحساب على هذا الموقع، وسيُبلَّغ فريق الدعم ({ $contact }) لمساعدتك على استعادة السيطرة عليه. لن يحدث شيء ما لم تضغط على الزر.
not-me-button = لم أكن أنا: إيقاف التغييرات وإبلاغ فريق الدعم
not-me-done-title = تم تسجيل البلاغ
not-me-done = أُوقفت تغييرات كلمة المرور عبر الخدمة الذاتية لحسابك، وتلقّى فريق الدعم تفاصيل التغيير (الوقت، عنوان IP، المتصفح).
not-me-next = سيتحقق فريق الدعم ({ $contact }) من هويتك بوسيلة آمنة، ويعطيك كلمة مرور جديدة، ثم يرفع الإيقاف عن الحساب. إذا كنت تستخدم كلمة المرور نفسها في أماكن أخرى، فغيّرها هناك أيضًا.
not-me-invalid-title = رابط غير صالح
not-me-invalid = هذا الرابط غير صالح أو انتهت صلاحيته.
not-me-superseded = لم يعد هذا الرابط صالحًا: غُيّرت كلمة المرور مرة أخرى منذ ذلك الحين.
not-me-used = سُجّل هذا البلاغ من قبل: الخدمة الذاتية موقوفة لهذا الحساب وقد أُبلغ فريق الدعم.
not-me-contact = إذا كان لديك شك، فتواصل مع { $contact }.

## The built-in secret questions (stored on the entry in French)
question-first-pet = ما اسم أول حيوان أليف امتلكته؟
question-birth-city = في أي مدينة وُلدت؟
question-primary-school = ما اسم مدرستك الابتدائية؟
