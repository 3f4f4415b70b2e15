# Password rules (Arabic): the list shown next to the field (policy-rule-*),
# the "3 of the 4" criteria (policy-class-*), the server's errors
# (policy-error-*, policy-input-*) and the live checklist's texts.
# "Letters" here are Latin letters: a password's upper and lower case.

## Rule list

policy-rule-length-min = { $min ->
    [few] { $min } محارف على الأقل
    [many] { $min } محرفًا على الأقل
   *[other] { $min } محرف على الأقل
}
policy-rule-length-max = { $max ->
    [few] { $max } محارف على الأكثر
    [many] { $max } محرفًا على الأكثر
   *[other] { $max } محرف على الأكثر
}
policy-rule-length-range = { $max ->
    [few] بين { $min } و{ $max } محارف
    [many] بين { $min } و{ $max } محرفًا
   *[other] بين { $min } و{ $max } محرف
}
policy-rule-min-classes = { $min ->
    [4] أن تستوفي المعايير الأربعة التالية:
   *[other] أن تستوفي { $min } من المعايير الأربعة التالية:
}
policy-class-lowercase = تحتوي على حرف صغير
policy-class-uppercase = تحتوي على حرف كبير
policy-class-digit = تحتوي على رقم
policy-class-special = تحتوي على رمز خاص
policy-rule-min-uppercase = { $min ->
    [one] حرف كبير واحد على الأقل
    [two] حرفان كبيران على الأقل
   *[other] { $min } من الحروف الكبيرة على الأقل
}
policy-rule-min-lowercase = { $min ->
    [one] حرف صغير واحد على الأقل
    [two] حرفان صغيران على الأقل
   *[other] { $min } من الحروف الصغيرة على الأقل
}
policy-rule-min-digits = { $min ->
    [one] رقم واحد على الأقل
    [two] رقمان على الأقل
   *[other] { $min } من الأرقام على الأقل
}
policy-rule-min-special = { $min ->
    [one] رمز خاص واحد على الأقل
    [two] رمزان خاصان على الأقل
   *[other] { $min } من الرموز الخاصة على الأقل
}
policy-rule-forbidden-characters = لا تحتوي على أي من هذه المحارف: { $chars }
policy-rule-forbid-login = يجب ألا تحتوي على اسم المستخدم الخاص بك
policy-rule-forbid-attribute-values = يجب ألا تحتوي على اسمك الأول ولا على اسم عائلتك
policy-rule-differ-from-current = يجب أن تختلف عن كلمة المرور الحالية
policy-rule-min-zxcvbn-score = يجب ألا يسهل تخمينها (كلمات شائعة، تسلسلات، تواريخ، معلومات شخصية)
policy-rule-not-breached = يجب ألا تظهر في أي تسريب معروف لكلمات المرور
policy-rule-history = { $count ->
    [one] يجب أن تختلف عن آخر كلمة مرور اخترتها
    [two] يجب أن تختلف عن آخر كلمتَي مرور اخترتهما
   *[other] يجب أن تختلف عن آخر { $count } من كلمات المرور التي اخترتها
}

## Errors

policy-error-too-short = { $min ->
    [few] يجب أن تتكوّن كلمة المرور من { $min } محارف على الأقل.
    [many] يجب أن تتكوّن كلمة المرور من { $min } محرفًا على الأقل.
   *[other] يجب أن تتكوّن كلمة المرور من { $min } محرف على الأقل.
}
policy-error-too-long = { $max ->
    [few] يجب ألا تتجاوز كلمة المرور { $max } محارف.
    [many] يجب ألا تتجاوز كلمة المرور { $max } محرفًا.
   *[other] يجب ألا تتجاوز كلمة المرور { $max } محرف.
}
policy-error-too-few-classes = { $min ->
    [4] يجب أن تحتوي كلمة المرور على حرف صغير وحرف كبير ورقم ورمز خاص.
   *[other] يجب أن تستوفي كلمة المرور { $min } على الأقل من هذه المعايير الأربعة: حرف صغير، حرف كبير، رقم، رمز خاص.
}
policy-error-too-few-uppercase = { $min ->
    [one] يجب أن تحتوي كلمة المرور على حرف كبير واحد على الأقل.
    [two] يجب أن تحتوي كلمة المرور على حرفين كبيرين على الأقل.
   *[other] يجب أن تحتوي كلمة المرور على { $min } من الحروف الكبيرة على الأقل.
}
policy-error-too-few-lowercase = { $min ->
    [one] يجب أن تحتوي كلمة المرور على حرف صغير واحد على الأقل.
    [two] يجب أن تحتوي كلمة المرور على حرفين صغيرين على الأقل.
   *[other] يجب أن تحتوي كلمة المرور على { $min } من الحروف الصغيرة على الأقل.
}
policy-error-too-few-digits = { $min ->
    [one] يجب أن تحتوي كلمة المرور على رقم واحد على الأقل.
    [two] يجب أن تحتوي كلمة المرور على رقمين على الأقل.
   *[other] يجب أن تحتوي كلمة المرور على { $min } من الأرقام على الأقل.
}
policy-error-too-few-special = { $min ->
    [one] يجب أن تحتوي كلمة المرور على رمز خاص واحد على الأقل (علامة ترقيم أو رمز).
    [two] يجب أن تحتوي كلمة المرور على رمزين خاصين على الأقل (علامات ترقيم أو رموز).
   *[other] يجب أن تحتوي كلمة المرور على { $min } من الرموز الخاصة على الأقل (علامات ترقيم أو رموز).
}
policy-error-forbidden-character = يجب ألا تحتوي كلمة المرور على أي من هذه المحارف: { $chars }
policy-error-contains-login = يجب ألا تحتوي كلمة المرور على اسم المستخدم الخاص بك.
policy-error-contains-name = يجب ألا تحتوي كلمة المرور على اسمك الأول ولا على اسم عائلتك.
policy-error-same-as-current = يجب أن تختلف كلمة المرور الجديدة عن كلمة المرور الحالية.
policy-error-too-guessable = يسهل تخمين كلمة المرور هذه كثيرًا: تجنّب الكلمات الشائعة والتسلسلات (1234، qwerty) والتواريخ ومعلوماتك الشخصية. العبارة المكوّنة من عدة كلمات أكثر أمانًا.
policy-error-breached = تظهر كلمة المرور هذه في تسريب معروف لكلمات المرور: إنها من أوائل ما يجرّبه المهاجم. اختر كلمة أخرى.
policy-error-in-history = { $count ->
    [0] لقد استخدمت كلمة المرور هذه مؤخرًا: اختر كلمة أخرى.
    [one] يجب أن تختلف كلمة المرور عن آخر كلمة مرور اخترتها.
    [two] يجب أن تختلف كلمة المرور عن آخر كلمتَي مرور اخترتهما.
   *[other] يجب أن تختلف كلمة المرور عن آخر { $count } من كلمات المرور التي اخترتها.
}
policy-error-too-soon = غُيّرت كلمة المرور منذ وقت قريب جدًا: أعد المحاولة لاحقًا.
policy-error-refused-by-directory = لا تستوفي كلمة المرور هذه سياسة الأمان الخاصة بدليل الحسابات: اختر كلمة أخرى.

## Invalid input

policy-input-empty = أدخل كلمة مرور.
policy-input-only-spaces = لا يمكن أن تتكوّن كلمة المرور من مسافات فقط.
policy-input-control-character = تحتوي كلمة المرور على محرف غير مرئي (سطر جديد، مسافة جدولة…) غير مقبول.
policy-input-too-long = { $max ->
    [few] كلمة المرور طويلة جدًا: { $max } محارف على الأكثر.
    [many] كلمة المرور طويلة جدًا: { $max } محرفًا على الأكثر.
   *[other] كلمة المرور طويلة جدًا: { $max } محرف على الأكثر.
}
policy-input-invalid-utf8 = تحتوي كلمة المرور على محارف غير مقروءة (نص ليس بترميز UTF-8): أدخلها من جديد.

## Live checklist

# { $passed } and { $total } stay as they are: the script replaces them.
policy-checklist-status = استُوفي { $passed } من { $total } معايير
policy-checklist-met = المعيار مستوفى
policy-checklist-unmet = المعيار غير مستوفى
policy-checklist-show = إظهار
policy-checklist-hide = إخفاء
policy-checklist-show-label = إظهار كلمة المرور
policy-checklist-confirm-match = كلمتا المرور متطابقتان.
policy-checklist-confirm-mismatch = كلمتا المرور غير متطابقتين.
policy-strength-label = قوة كلمة المرور
policy-strength-levels = ضعيفة جدًا|ضعيفة|متوسطة|جيدة|جيدة جدًا
policy-strength-status = القوة: { $level }
policy-strength-deferred = ستُفحص قوة كلمة المرور هذه عند إرسال النموذج.
