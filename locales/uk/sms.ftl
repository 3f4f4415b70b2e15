# Issue 21: code by SMS, choice of channel, the person's recovery data
# (address and mobile) and the notice of every change.

## The SMS texts (Cyrillic is not in the GSM alphabet: they go in UCS-2,
## 70 characters per SMS, so keep them short).
sms-text-code = { $site }: ваш код { $code }. Діє { $minutes } хв. Нікому його не повідомляйте.
sms-text-verify = { $site }: код для підтвердження цього номера — { $code } (діє { $minutes } хв). Якщо ви нічого не запитували, проігноруйте це повідомлення.
sms-text-mobile-changed = { $site }: з { $when } цей номер більше не є резервним мобільним номером вашого облікового запису. Якщо це були не ви, перевірте пошту або зверніться до { $contact }.

## Why a number cannot receive a code (docs/sms.md).
sms-number-empty = Введіть номер мобільного телефону.
sms-number-not-a-number = Це не номер телефону: вводьте лише цифри, наприклад 06 12 34 56 78 або +33 6 12 34 56 78.
sms-number-unknown-country-code = Такого коду країни не існує.
sms-number-too-short = Цей номер закороткий.
sms-number-too-long = Цей номер задовгий.
sms-number-invalid = Номера в такому вигляді не існує.
sms-number-country-not-allowed = Надсилати SMS до цієї країни неможливо.
sms-number-landline = Це номер стаціонарного телефону: він не може отримувати SMS. Вкажіть номер мобільного телефону.
sms-number-maybe-landline = Цей номер може бути стаціонарним: вкажіть номер мобільного телефону.
sms-number-premium-rate = Це платний номер із підвищеним тарифом: коди на нього не надсилаються. Вкажіть номер мобільного телефону.
sms-number-shared-cost = Це номер зі спільною оплатою: вкажіть номер мобільного телефону.
sms-number-toll-free = Це безкоштовний номер: вкажіть номер мобільного телефону.
sms-number-not-mobile = Це не номер мобільного телефону: вкажіть номер мобільного телефону.
sms-number-disabled = На цьому сайті надсилання SMS не передбачено.

## Recovery data: what is refused.
recovery-value-missing = Введіть значення.
recovery-mail-invalid = Введіть дійсну електронну адресу, наприклад imia.prizvyshche@pryklad.ua.
recovery-mail-institutional = Це адреса вашого навчального закладу: вкажіть особисту адресу, яку ви зможете читати без цього пароля.
recovery-value-unchanged = Це значення вже вказано у вашому обліковому записі.
recovery-nothing-to-remove = У вашому обліковому записі цього не вказано.
recovery-code-wrong = Цей код неправильний.

## Receive a code by SMS (/sms).
flow-sms-title = Отримати код через SMS
flow-sms-summary = 6-значний код надсилається на ваш мобільний телефон після введення персонального номера й дати народження.
sms-title = Отримати код через SMS
sms-intro = Ідентифікуйтеся за допомогою персонального номера й дати народження: після цього код буде надіслано на мобільний номер вашого облікового запису або, якщо бажаєте, на вашу резервну електронну адресу.
sms-channel-title = Куди надіслати код?
sms-channel-intro = Ось контактні дані, збережені для вашого облікового запису (частково приховані).
sms-channel-legend = Надіслати код
sms-channel-mobile = через SMS на { $number }
sms-channel-mail = електронною поштою на { $address }
sms-channel-hint = Код діє кілька хвилин і використовується лише один раз. Кількість SMS, які можна надіслати за день, обмежена.
sms-channel-button = Надіслати код
sms-channel-missing = Виберіть, куди надіслати код.
sms-channel-unusable = Номер, збережений для вашого облікового запису, не може отримувати коди. { $reason } Ви зможете виправити його в розділі «Керувати моїм обліковим записом».
sms-no-channel-title = Немає способу надіслати вам код
sms-no-channel = У вашому обліковому записі немає ні мобільного номера, ні резервної електронної адреси, на які можна надіслати код. Скористайтеся розділом «Відновити мій пароль», якщо у вас є секретне запитання, або зверніться до { $contact }.
sms-limit-address = З вашого з'єднання запитано забагато SMS: спробуйте ще раз через годину або виберіть електронну пошту.
sms-limit-ceiling = SMS тимчасово недоступні: спробуйте ще раз за кілька хвилин або виберіть електронну пошту.
sms-daily-cap = Ваш обліковий запис уже отримав максимальну кількість SMS на сьогодні: спробуйте ще раз після { $until } або виберіть електронну пошту.
sms-failed = Не вдалося надіслати код. Спробуйте пізніше або зверніться до { $contact }.
sms-verify-title = Введіть отриманий код
sms-sent-mobile = Код щойно надіслано через SMS на { $number }.
sms-sent-mail = Код щойно надіслано електронною поштою на { $address }.
sms-sent = Введіть отриманий код.
sms-code-field = Отриманий код
sms-refused-advice = Код можна використати лише один раз, він діє кілька хвилин, кількість спроб — { $tries }: після цього запросіть новий кнопкою «Надіслати код ще раз». Після { $max } помилок скидання пароля блокується на деякий час.
sms-password-title = Оберіть новий пароль

## Choice of channel in the e-mail code flow (/code).
code-channel-legend = Отримати код
code-channel-mail = електронною поштою
code-channel-mobile = через SMS на мобільний номер облікового запису
code-sent-sms = Якщо «{ $address }» відповідає обліковому запису з мобільним номером, на цей номер щойно надіслано код через SMS.

## My recovery data (Manage my account).
account-recovery-data = Моя резервна адреса і мобільний номер
account-sign-in-again = Увійти знову
recovery-title = Мої резервні дані
recovery-intro = Ці контактні дані допомагають відновити доступ до облікового запису, якщо ви забудете пароль. Про кожну зміну повідомляється на ваші адреси.
recovery-mail = Резервна електронна адреса
recovery-mobile = Мобільний номер
recovery-none = не вказано
recovery-change-mail = Змінити резервну адресу
recovery-change-mobile = Змінити мобільний номер
recovery-mail-title = Моя резервна адреса
recovery-mobile-title = Мій мобільний номер
recovery-mail-intro = Вкажіть особисту адресу, яку ви зможете читати навіть без пароля. На неї буде надіслано код: адресу буде збережено лише після введення цього коду.
recovery-mobile-intro = Вкажіть свій мобільний номер. На нього буде надіслано код через SMS: номер буде збережено лише після введення цього коду.
recovery-current-value = Зараз: { $value }
recovery-new-mail = Нова резервна адреса
recovery-new-mobile = Новий мобільний номер
recovery-mail-hint = Наприклад imia.prizvyshche@pryklad.ua
recovery-mobile-hint = Наприклад 06 12 34 56 78 або +33 6 12 34 56 78
recovery-current-hint = З міркувань безпеки введіть ще раз свій поточний пароль.
recovery-send-code = Надіслати код
recovery-remove = Видалити
recovery-back = Назад до моїх резервних даних
recovery-removed-title = Видалено
recovery-mail-removed = Вашу резервну адресу видалено; це підтверджує повідомлення, надіслане на ваші адреси. Якщо є сумніви, зверніться до { $contact }.
recovery-mobile-removed = Ваш мобільний номер видалено; це підтверджує повідомлення, надіслане на ваші адреси. Якщо є сумніви, зверніться до { $contact }.
recovery-not-sent-later = Зараз неможливо надіслати код: спробуйте ще раз після { $until }.
recovery-not-sent-cooldown = Вашому обліковому запису щойно надіслано повідомлення: зачекайте хвилину, перш ніж запитувати інше.
recovery-not-sent = Поки що не вдалося надіслати жодного коду. Спробуйте пізніше, залиште ці поля порожніми, щоб продовжити, або зверніться до { $contact }.
recovery-verify-title = Введіть отриманий код
recovery-code-mail = Код з листа
recovery-code-mobile = Код з SMS
recovery-code-sent-mail = Код щойно надіслано на { $value }.
recovery-code-sent-mobile = Код щойно надіслано через SMS на { $value }.
recovery-changed-title = Зміну збережено
recovery-mail-changed = Вашу нову резервну адресу збережено; про це повідомляється на ваші адреси. Якщо є сумніви, зверніться до { $contact }.
recovery-mobile-changed = Ваш новий мобільний номер збережено; про це повідомляється на ваші адреси та на попередній номер. Якщо є сумніви, зверніться до { $contact }.
recovery-restart = Строк дії цього коду минув, або пароль було введено надто давно: почніть зміну спочатку.
recovery-locked = Забагато невдалих спроб: зміни заблоковано на деякий час. Спробуйте пізніше або зверніться до { $contact }.

## Activate my account: ways to reach you.
activate-recovery-title = Ваші резервні контакти
activate-recovery-intro = Якщо ви забудете пароль, на ці контакти можна буде надіслати код. На кожен указаний контакт надсилається код, який потрібно ввести на наступному кроці.
activate-recovery-optional = Ви можете залишити ці поля порожніми й заповнити їх пізніше в розділі «Керувати моїм обліковим записом».

## It was not me: a recovery factor changed.
not-me-intro-question = Секретне запитання облікового запису { $login } змінено { $when } з IP-адреси { $address }.
not-me-intro-mail = Резервну адресу облікового запису { $login } змінено { $when } з IP-адреси { $address }.
not-me-intro-mobile = Мобільний номер облікового запису { $login } змінено { $when } з IP-адреси { $address }.
