# Texts of the "Activate my account", "Manage my account" and "Change my
# password" (temporary password) flows, in Simplified Chinese.

## Activate my account

activate-title = 激活我的账户
activate-intro = 首次使用账户：请用个人编号和出生日期验证身份，然后设置密保问题和密码。
activate-already-title = 账户已激活
activate-already-text = 此账户已经激活：已登记密保问题。如果您忘记了密码，请使用“找回我的密码”。
activate-already-link = 找回我的密码
activate-question-title = 设置密保问题
activate-question-intro = 如果您忘记密码，系统会向您提出这个问题。请选择一个您记得住、别人猜不到的答案。
activate-field-question = 密保问题
activate-field-question-own = 自定义问题
activate-field-own-question = 您的问题
activate-field-own-question-hint = { $min } 到 { $max } 个字符。
activate-field-answer = 答案
activate-field-answer-hint = 至少 { $min } 个字符；不区分大小写，重音符号和多余的空格不影响结果。
activate-field-answer-confirm = 确认答案
activate-question-missing = 请选择一个问题，或自己写一个。
activate-question-length = 您的问题长度须在 { $min } 到 { $max } 个字符之间。
activate-answer-too-short = 答案至少需要 { $min } 个字符。
activate-answer-mismatch = 确认的答案与答案不一致。
activate-answer-is-login = 答案不能是您的用户名。
activate-answer-is-birth-date = 答案不能是您的出生日期。
activate-password-title = 设置密码
activate-success-title = 账户已激活
activate-secret-not-saved = 您的密码已保存，但密保问题没有保存：请重新激活以设置密保问题，或联系 { $contact }。

## Manage my account

account-title = 管理我的账户
account-intro = 请使用用户名和当前密码登录。
account-field-login = 用户名
account-field-login-placeholder = 请输入用户名
account-field-password = 当前密码
account-login-missing = 请输入用户名。
account-password-missing = 请输入当前密码。
account-login-failed = 用户名或密码错误。多次尝试失败后，账户会被锁定一段时间：请稍后再试。
account-locked = 由于失败次数过多，此账户已被暂时锁定。请稍后再试，或联系 { $contact }。
account-temporary = 您当前的密码是临时密码：请先设置您自己的密码。
account-temporary-link = 设置我的密码
account-menu-title = 我的账户
account-menu-intro = 您已以 { $login } 身份登录。您想做什么？
account-change-password = 修改我的密码
account-change-question = 修改我的问题
account-logout = 退出登录
account-logged-out-title = 已退出
account-logged-out = 您已退出登录。
account-password-title = 修改我的密码
account-question-title = 修改我的密保问题
account-question-done-title = 问题已保存
account-question-done = 您的新密保问题及答案已保存。
account-back = 返回我的账户

## Change my password (temporary password)

change-title = 修改我的密码
change-intro = 请输入您的用户名和当前密码（如适用，即通过邮件收到的临时密码）。
change-password-title = 设置您自己的密码
change-password-intro = 为了安全，请现在设置您自己的密码。
change-field-current = 当前密码
change-field-confirmation = 确认密码
change-current-missing = 请输入当前密码。
change-current-wrong = 当前密码不正确。
change-current-too-often = 当前密码输错次数过多。为安全起见，流程已中止：请重新验证身份。
change-sign-in-again = 重新验证身份
change-expired-title = 临时密码已过期
change-expired-text = 此临时密码已过期，无法再使用。请重新申请一个。
change-expired-link = 申请新的临时密码
change-expired-contact = 如需获取新的临时密码，请联系 { $contact }。
activate-in-use-hint = 如果您的账户已在使用中，请登录“管理我的账户”来设置密保问题。

## "It was not me" (the link of the "password changed" mail)
not-me-title = 不是我本人操作
not-me-intro = 账户 { $login } 的密码已于 { $when } 从 IP 地址 { $address } 被修改。
not-me-explain = 如果不是您本人操作，请按下按钮：之后任何人都无法再在本网站修改此账户的密码，技术支持（{ $contact }）也会收到通知，帮助您重新掌控账户。在您按下按钮之前，不会执行任何操作。
not-me-button = 不是我本人操作：冻结并通知技术支持
not-me-done-title = 报告已记录
not-me-done = 您账户的自助修改密码功能已被冻结，技术支持已收到此次修改的详细信息（时间、IP 地址、浏览器）。
not-me-next = 技术支持（{ $contact }）将通过安全的方式核实您的身份，为您提供新密码，然后解除冻结。如果您在其他地方也使用了同一个密码，请一并修改。
not-me-invalid-title = 链接无效
not-me-invalid = 此链接无效或已过期。
not-me-superseded = 此链接已失效：此后密码又被修改过。
not-me-used = 此报告此前已经记录：此账户的自助服务已被冻结，技术支持也已收到通知。
not-me-contact = 如有疑问，请联系 { $contact }。

## The built-in secret questions (stored on the entry in French)
question-first-pet = 您的第一只宠物叫什么名字？
question-birth-city = 您出生在哪个城市？
question-primary-school = 您的小学叫什么名字？
