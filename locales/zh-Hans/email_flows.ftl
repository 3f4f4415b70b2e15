# Texts of the e-mail flows: /code (EFP) and /temporary (CAF, Ecolesoft), in Simplified Chinese.

email-button-next = 下一步
email-hours = { $n } 小时
email-minutes = { $n } 分钟

code-title = 重置我的密码
code-intro = 请输入您用于登录账户的电子邮箱地址。
code-field-identifier = 登录名（电子邮箱）
code-field-identifier-placeholder = zhang.san@example.cn
code-request-hint = 您将收到一封包含验证码的邮件，第 2 步需要用到该验证码。
code-no-access = 温馨提示：如果您已无法使用与登录名关联的邮箱，请联系技术支持。
code-identifier-missing = 请输入与您账户关联的电子邮箱地址。
code-verify-title = 请输入收到的验证码
code-sent = 如果存在与“{ $address }”对应的账户，我们已向您发送一封含验证码的邮件。
code-sent-link = 请输入通过邮件收到的验证码。
code-field = 邮件中收到的验证码
code-field-hint = 6 位数字，例如 2 3 8 3 9 2
code-spam = 验证码已通过邮件发送给您。如果没有收到，请查看邮箱的垃圾邮件（SPAM）文件夹。
code-resend = 重新发送验证码
code-resend-hint = 上一个验证码发出 { $seconds } 秒后可以申请新的验证码；新验证码将取代旧的。
code-resent = 如果存在对应的账户，我们已向您发送新的验证码；之前的验证码已失效。
code-malformed = 验证码由 6 位数字组成。
code-refused = 输入的验证码不正确或已失效。
code-refused-advice = 每个验证码只能使用一次，{ $validity }后过期，并且只允许尝试 { $tries } 次：超过后，请点击“重新发送验证码”获取新的验证码。累计出错 { $max } 次后，重置功能将被锁定一段时间。
code-password-title = 设置新密码
code-success-title = 密码已修改
code-success-text = 您的密码已成功修改。
code-success-login = 您的密码已修改：现在可以使用登录名和新密码登录。
code-link-title = 重置我的密码
code-link-intro = 您打开了邮件中的链接。请按下按钮以验证验证码并设置新密码。
code-link-button = 重置我的密码
code-link-invalid-title = 链接无效
code-link-invalid = 此链接已失效：验证码已过期、已被使用，或已被新的验证码取代。请重新申请验证码。
code-link-restart = 重新申请验证码

temporary-title = 忘记密码
temporary-intro = 请输入您的电子邮箱地址或登录名：我们会通过邮件向您发送临时密码。
temporary-field-identifier = 电子邮箱地址或登录名
temporary-request-hint = 输入的邮箱地址必须与您账户登记的地址完全一致。
temporary-identifier-missing = 请输入您的电子邮箱地址或登录名。
temporary-sent-title = 请求已收到
temporary-sent = 如果存在对应的账户，包含新密码的邮件已发送到您填写的邮箱地址。
temporary-sent-on-file = 如果存在对应的账户，包含新密码的邮件已发送到该账户登记的邮箱地址。
temporary-sent-advice = 此临时密码的有效期为 { $validity }，首次登录时必须修改。请同时查看垃圾邮件文件夹。
temporary-sent-change = 修改我的临时密码
code-resend-wait = 刚刚已申请过验证码：请再等待 { $seconds } 秒后再申请新的验证码。
code-resend-restart = 如需接收新的验证码，请从第一步重新开始。
