# The mails sent to the person, in Ukrainian (see locales/fr/mail.ftl).
# { $date } { $time } { $offset }: "29.11.2026", "07:42", "UTC+01:00".

mail-greeting = Доброго дня!
mail-greeting-named = Доброго дня, { $name }!
mail-footer-auto = Цей лист надіслано автоматично, будь ласка, не відповідайте на нього.
mail-footer-auto-site = Цей лист автоматично надіслав сервіс { $site }, будь ласка, не відповідайте на нього.
mail-footer-help = Потрібна допомога? Зверніться до { $contact }.

## Password changed

mail-changed-subject = { $site }: ваш пароль змінено
mail-changed-what = Пароль вашого облікового запису { $login } змінено { $date } о { $time } ({ $offset }) з IP-адреси { $address }.
mail-changed-services = Відтепер новий пароль діє для:
mail-changed-if-you = Якщо цю зміну зробили ви, більше нічого робити не потрібно.
mail-changed-if-not = Якщо це були не ви, ваш пароль, можливо, знає хтось інший:
mail-changed-report-link = повідомте про це, відкривши це посилання (дійсне днів: { $days }); воно блокує зміни через самообслуговування і сповіщає службу підтримки:
mail-changed-report-button = повідомте про це за цим посиланням (дійсне днів: { $days }); воно блокує зміни через самообслуговування і сповіщає службу підтримки:
mail-changed-report-label = Це був не я
mail-changed-contact = негайно зверніться до { $contact }.

## Password about to expire

mail-expiring-subject = { $days ->
    [one] { $site }: строк дії вашого пароля спливає через { $days } день
    [few] { $site }: строк дії вашого пароля спливає через { $days } дні
   *[other] { $site }: строк дії вашого пароля спливає через { $days } днів
}
mail-expiring-what = { $days ->
    [one] Строк дії пароля вашого облікового запису { $login } спливає { $date } о { $time } (через { $days } день). Після цього ви не зможете увійти.
    [few] Строк дії пароля вашого облікового запису { $login } спливає { $date } о { $time } (через { $days } дні). Після цього ви не зможете увійти.
   *[other] Строк дії пароля вашого облікового запису { $login } спливає { $date } о { $time } (через { $days } днів). Після цього ви не зможете увійти.
}
mail-expiring-change = Змініть його вже зараз у розділі «Керувати моїм обліковим записом»:
mail-expiring-change-label = Керувати моїм обліковим записом

## Forgotten login

mail-identifier-subject = { $site }: ваше ім'я користувача
mail-identifier-asked = Ви запросили своє ім'я користувача.
mail-identifier-yours = Ваше ім'я користувача: { $login }
mail-identifier-use = Використовуйте його разом із паролем для входу в сервіси { $site }.
mail-identifier-not-you = Якщо ви цього не запитували, можете проігнорувати цей лист: його надіслано лише вам. Якщо маєте сумніви, зверніться до { $contact }.

## Reset code

mail-code-subject = { $site }: скидання вашого пароля
mail-code-asked = Ви запросили скидання пароля.
mail-code-here = Щоб підтвердити запит, введіть цей код скидання:
mail-code-once = Цей код можна використати лише один раз. Строк його дії — { $validity }.
mail-code-or-link = Також можна відкрити це посилання:
mail-code-or-button = Також можна натиснути кнопку нижче:
mail-code-button = Скинути мій пароль
mail-code-not-you = Якщо ви цього не запитували, проігноруйте цей лист: ваш пароль залишиться без змін. Якщо маєте сумніви, зверніться до { $contact }.

## Temporary password

mail-temporary-subject = { $site }: ваш тимчасовий пароль
mail-temporary-asked = Ви запросили скидання пароля.
mail-temporary-here = Ось тимчасовий пароль для входу:
mail-temporary-login = Ім'я користувача:
mail-temporary-password = Тимчасовий пароль:
mail-temporary-valid = Строк його дії — { $validity }.
mail-temporary-must-change = Цей пароль потрібно змінити під час першого входу.
mail-temporary-sign-in = Увійдіть тут, щоб обрати новий пароль:
mail-temporary-button = Обрати мій новий пароль
mail-temporary-not-you = Якщо ви цього не запитували, негайно зверніться до { $contact }.

## A password found in a breach list (passerelle breach-sweep --notify)

mail-breached-subject = { $site }: ваш пароль є у списку оприлюднених паролів
mail-breached-what = Поточний пароль вашого облікового запису { $login } є у списку паролів, що потрапили у відкритий доступ унаслідок витоків даних з інших сайтів. Його викрали не в нас, але будь-хто, хто має цей список, може спробувати його для вашого облікового запису.
mail-breached-change = Оберіть новий уже зараз, старий для цього не потрібен:
mail-breached-change-label = Обрати новий пароль
mail-breached-must-change = Доки ви його не зміните, вас попросять зробити це під час наступного входу.
mail-breached-never-ask = Ми ніколи не запитуємо пароль електронною поштою. Якщо у вас є сумніви щодо цього листа, перейдіть безпосередньо на сайт { $site } або зверніться до { $contact }.
