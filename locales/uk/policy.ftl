# Password rules (Ukrainian): the list shown next to the field (policy-rule-*),
# the "3 of the 4" criteria (policy-class-*), the server's errors
# (policy-error-*, policy-input-*) and the live checklist's texts.

## Rule list

policy-rule-length-min = { $min ->
    [one] Щонайменше { $min } символ
    [few] Щонайменше { $min } символи
   *[other] Щонайменше { $min } символів
}
policy-rule-length-max = Не більше { $max } символів
policy-rule-length-range = Від { $min } до { $max } символів
policy-rule-min-classes = { $min ->
    [4] Відповідати всім 4 таким критеріям:
   *[other] Відповідати { $min } з 4 таких критеріїв:
}
policy-class-lowercase = Містить малу літеру
policy-class-uppercase = Містить велику літеру
policy-class-digit = Містить цифру
policy-class-special = Містить спеціальний символ
policy-rule-min-uppercase = { $min ->
    [one] Щонайменше { $min } велика літера
    [few] Щонайменше { $min } великі літери
   *[other] Щонайменше { $min } великих літер
}
policy-rule-min-lowercase = { $min ->
    [one] Щонайменше { $min } мала літера
    [few] Щонайменше { $min } малі літери
   *[other] Щонайменше { $min } малих літер
}
policy-rule-min-digits = { $min ->
    [one] Щонайменше { $min } цифра
    [few] Щонайменше { $min } цифри
   *[other] Щонайменше { $min } цифр
}
policy-rule-min-special = { $min ->
    [one] Щонайменше { $min } спеціальний символ
    [few] Щонайменше { $min } спеціальні символи
   *[other] Щонайменше { $min } спеціальних символів
}
policy-rule-forbidden-characters = Без жодного з цих символів: { $chars }
policy-rule-forbid-login = Не повинен містити ваше ім'я користувача
policy-rule-forbid-attribute-values = Не повинен містити ваше ім'я чи прізвище
policy-rule-differ-from-current = Має відрізнятися від поточного пароля
policy-rule-min-zxcvbn-score = Не повинен легко вгадуватися (поширені слова, послідовності, дати, особисті дані)
policy-rule-not-breached = Не повинен траплятися у відомих витоках паролів
policy-rule-history = { $count ->
    [one] Має відрізнятися від останнього обраного вами пароля
   *[other] Має відрізнятися від останніх обраних вами паролів (кількість: { $count })
}

## Errors

policy-error-too-short = { $min ->
    [one] Пароль має містити щонайменше { $min } символ.
    [few] Пароль має містити щонайменше { $min } символи.
   *[other] Пароль має містити щонайменше { $min } символів.
}
policy-error-too-long = Пароль має містити не більше { $max } символів.
policy-error-too-few-classes = { $min ->
    [4] Пароль має містити малу літеру, велику літеру, цифру та спеціальний символ.
   *[other] Пароль має відповідати щонайменше { $min } з цих 4 критеріїв: мала літера, велика літера, цифра, спеціальний символ.
}
policy-error-too-few-uppercase = { $min ->
    [one] Пароль має містити щонайменше одну велику літеру.
    [few] Пароль має містити щонайменше { $min } великі літери.
   *[other] Пароль має містити щонайменше { $min } великих літер.
}
policy-error-too-few-lowercase = { $min ->
    [one] Пароль має містити щонайменше одну малу літеру.
    [few] Пароль має містити щонайменше { $min } малі літери.
   *[other] Пароль має містити щонайменше { $min } малих літер.
}
policy-error-too-few-digits = { $min ->
    [one] Пароль має містити щонайменше одну цифру.
    [few] Пароль має містити щонайменше { $min } цифри.
   *[other] Пароль має містити щонайменше { $min } цифр.
}
policy-error-too-few-special = { $min ->
    [one] Пароль має містити щонайменше один спеціальний символ (розділовий знак, символ).
    [few] Пароль має містити щонайменше { $min } спеціальні символи (розділові знаки, символи).
   *[other] Пароль має містити щонайменше { $min } спеціальних символів (розділових знаків, символів).
}
policy-error-forbidden-character = Пароль не повинен містити жодного з цих символів: { $chars }
policy-error-contains-login = Пароль не повинен містити ваше ім'я користувача.
policy-error-contains-name = Пароль не повинен містити ваше ім'я чи прізвище.
policy-error-same-as-current = Новий пароль має відрізнятися від поточного.
policy-error-too-guessable = Цей пароль занадто легко вгадати: уникайте поширених слів, послідовностей (1234, qwerty, йцукен), дат і особистих даних. Фраза з кількох слів надійніша.
policy-error-breached = Цей пароль трапляється у відомому витоку паролів: його зловмисник спробує серед перших. Оберіть інший.
policy-error-in-history = { $count ->
    [0] Ви нещодавно вже використовували цей пароль: оберіть інший.
    [one] Пароль має відрізнятися від останнього обраного вами пароля.
   *[other] Пароль має відрізнятися від останніх обраних вами паролів (кількість: { $count }).
}
policy-error-too-soon = Ваш пароль змінено зовсім нещодавно: спробуйте пізніше.
policy-error-refused-by-directory = Цей пароль не відповідає політиці безпеки каталогу: оберіть інший.

## Invalid input

policy-input-empty = Введіть пароль.
policy-input-only-spaces = Пароль не може складатися лише з пробілів.
policy-input-control-character = Пароль містить невидимий символ (розрив рядка, табуляцію…), який не допускається.
policy-input-too-long = Пароль задовгий: не більше { $max } символів.
policy-input-invalid-utf8 = Пароль містить нечитабельні символи (текст не в UTF-8): введіть його ще раз.

## Live checklist

# { $passed } and { $total } stay as they are: the script replaces them.
policy-checklist-status = Виконано критеріїв: { $passed } з { $total }
policy-checklist-met = критерій виконано
policy-checklist-unmet = критерій не виконано
policy-checklist-show = Показати
policy-checklist-hide = Приховати
policy-checklist-show-label = Показати пароль
policy-checklist-confirm-match = Обидва паролі збігаються.
policy-checklist-confirm-mismatch = Паролі не збігаються.
policy-strength-label = Надійність пароля
policy-strength-levels = дуже слабкий|слабкий|середній|добрий|дуже добрий
policy-strength-status = Надійність: { $level }
policy-strength-deferred = Надійність цього пароля буде перевірено під час надсилання форми.
