# Texts of the "Activate my account", "Manage my account" and "Change my
# password" (temporary password) flows, in Ukrainian.

## Activate my account

activate-title = Активувати мій обліковий запис
activate-intro = Перше використання облікового запису: ідентифікуйтеся за персональним номером і датою народження, а потім оберіть секретне запитання та пароль.
activate-already-title = Обліковий запис уже активовано
activate-already-text = Цей обліковий запис уже активовано: секретне запитання збережено. Якщо ви забули пароль, скористайтеся пунктом «Відновити мій пароль».
activate-already-link = Відновити мій пароль
activate-question-title = Оберіть секретне запитання
activate-question-intro = Це запитання вам поставлять, якщо ви забудете пароль. Оберіть відповідь, яку ви запам'ятаєте і яку ніхто не зможе вгадати.
activate-field-question = Секретне запитання
activate-field-question-own = Власне запитання
activate-field-own-question = Ваше запитання
activate-field-own-question-hint = Від { $min } до { $max } символів.
activate-field-answer = Відповідь
activate-field-answer-hint = Щонайменше { $min } символи; великі літери, діакритичні знаки та зайві пробіли не враховуються.
activate-field-answer-confirm = Підтвердження відповіді
activate-question-missing = Оберіть запитання або напишіть власне.
activate-question-length = Запитання має містити від { $min } до { $max } символів.
activate-answer-too-short = Відповідь має містити щонайменше { $min } символи.
activate-answer-mismatch = Підтвердження не збігається з відповіддю.
activate-answer-is-login = Відповіддю не може бути ваше ім'я користувача.
activate-answer-is-birth-date = Відповіддю не може бути ваша дата народження.
activate-password-title = Оберіть пароль
activate-success-title = Обліковий запис активовано
activate-secret-not-saved = Пароль збережено, але секретне запитання — ні: повторіть активацію, щоб його обрати, або зверніться до { $contact }.

## Manage my account

account-title = Керувати моїм обліковим записом
account-intro = Увійдіть за допомогою імені користувача та поточного пароля.
account-field-login = Ім'я користувача
account-field-login-placeholder = Введіть ім'я користувача
account-field-password = Поточний пароль
account-login-missing = Введіть ім'я користувача.
account-password-missing = Введіть поточний пароль.
account-login-failed = Неправильне ім'я користувача або пароль. Після кількох невдалих спроб обліковий запис блокується на деякий час: спробуйте пізніше.
account-locked = Цей обліковий запис тимчасово заблоковано після забагатьох невдалих спроб. Спробуйте пізніше або зверніться до { $contact }.
account-temporary = Ваш поточний пароль тимчасовий: спочатку оберіть власний.
account-temporary-link = Обрати мій пароль
account-menu-title = Мій обліковий запис
account-menu-intro = Ви увійшли як { $login }. Що ви хочете зробити?
account-change-password = Змінити мій пароль
account-change-question = Змінити моє запитання
account-logout = Вийти
account-logged-out-title = Вихід
account-logged-out = Ви вийшли з облікового запису.
account-password-title = Змінити мій пароль
account-question-title = Змінити моє секретне запитання
account-question-done-title = Запитання збережено
account-question-done = Ваше нове секретне запитання та відповідь на нього збережено.
account-back = Повернутися до мого облікового запису

## Change my password (temporary password)

change-title = Змінити мій пароль
change-intro = Введіть ім'я користувача та поточний пароль (за потреби — тимчасовий пароль, отриманий електронною поштою).
change-password-title = Оберіть власний пароль
change-password-intro = З міркувань безпеки оберіть зараз власний пароль.
change-field-current = Поточний пароль
change-field-confirmation = Підтвердження пароля
change-current-missing = Введіть поточний пароль.
change-current-wrong = Поточний пароль неправильний.
change-current-too-often = Поточний пароль введено неправильно забагато разів. З міркувань безпеки процедуру перервано: ідентифікуйтеся знову.
change-sign-in-again = Ідентифікуватися знову
change-expired-title = Тимчасовий пароль прострочено
change-expired-text = Строк дії цього тимчасового пароля минув: його більше не можна використати. Запросіть новий.
change-expired-link = Запросити новий тимчасовий пароль
change-expired-contact = Щоб отримати новий тимчасовий пароль, зверніться до { $contact }.
activate-in-use-hint = Якщо ваш обліковий запис уже використовується, увійдіть у розділ «Керувати моїм обліковим записом», щоб обрати секретне запитання.

## "It was not me" (the link of the "password changed" mail)
not-me-title = Це був не я
not-me-intro = Пароль облікового запису { $login } змінено { $when } з IP-адреси { $address }.
not-me-explain = Якщо це були не ви, натисніть кнопку: після цього ніхто не зможе змінити пароль цього облікового запису на цьому сайті, а службу підтримки ({ $contact }) буде сповіщено, щоб допомогти вам відновити контроль. Доки ви не натиснете кнопку, нічого не відбудеться.
not-me-button = Це був не я: заблокувати й сповістити підтримку
not-me-done-title = Повідомлення зареєстровано
not-me-done = Зміну пароля через самообслуговування для вашого облікового запису заблоковано, а служба підтримки отримала подробиці зміни (час, IP-адреса, браузер).
not-me-next = Служба підтримки ({ $contact }) перевірить вашу особу надійним способом, надасть вам новий пароль, а потім розблокує обліковий запис. Якщо ви використовуєте той самий пароль деінде, змініть його й там.
not-me-invalid-title = Недійсне посилання
not-me-invalid = Це посилання недійсне або його строк дії минув.
not-me-superseded = Це посилання більше не діє: відтоді пароль змінили ще раз.
not-me-used = Це повідомлення вже зареєстровано: самообслуговування для цього облікового запису заблоковано, а службу підтримки сповіщено.
not-me-contact = Якщо маєте сумніви, зверніться до { $contact }.

## The built-in secret questions (stored on the entry in French)
question-first-pet = Як звали вашу першу домашню тварину?
question-birth-city = У якому місті ви народилися?
question-primary-school = Як називалася ваша початкова школа?
