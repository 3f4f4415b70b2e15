# Issue 21: code by SMS, choice of channel, the person's recovery data
# (address and mobile) and the notice of every change.

## The SMS texts (Chinese characters are not in the GSM alphabet: they go in
## UCS-2, 70 characters per SMS, so keep them short).
sms-text-code = { $site }：您的验证码是 { $code }，{ $minutes } 分钟内有效。请勿告诉任何人。
sms-text-verify = { $site }：用于确认此号码的验证码是 { $code }（{ $minutes } 分钟内有效）。如果您没有申请，请忽略此短信。
sms-text-mobile-changed = { $site }：自 { $when } 起，此号码已不再是您账户的找回手机号码。如果不是您本人操作，请查看您的邮箱或联系 { $contact }。

## Why a number cannot receive a code (docs/sms.md).
sms-number-empty = 请输入手机号码。
sms-number-not-a-number = 这不是电话号码：请只输入数字，例如 06 12 34 56 78 或 +33 6 12 34 56 78。
sms-number-unknown-country-code = 此国家/地区代码不存在。
sms-number-too-short = 此号码太短。
sms-number-too-long = 此号码太长。
sms-number-invalid = 不存在这种格式的号码。
sms-number-country-not-allowed = 无法向此国家/地区发送短信。
sms-number-landline = 这是固定电话号码，无法接收短信。请提供手机号码。
sms-number-maybe-landline = 此号码可能是固定电话：请提供手机号码。
sms-number-premium-rate = 这是增值收费号码：不会向其发送任何验证码。请提供手机号码。
sms-number-shared-cost = 这是分摊付费号码：请提供手机号码。
sms-number-toll-free = 这是免费电话号码：请提供手机号码。
sms-number-not-mobile = 这不是手机号码：请提供手机号码。
sms-number-disabled = 本网站不提供短信服务。

## Recovery data: what is refused.
recovery-value-missing = 请输入内容。
recovery-mail-invalid = 请输入有效的电子邮件地址，例如 zhang.san@example.cn。
recovery-mail-institutional = 这是您所在机构的邮箱：请提供一个个人邮箱，确保在没有此密码时也能查看。
recovery-value-unchanged = 这已经是您账户当前的设置。
recovery-nothing-to-remove = 您的账户没有此项信息。
recovery-code-wrong = 验证码不正确。

## Receive a code by SMS (/sms).
flow-sms-title = 通过短信接收验证码
flow-sms-summary = 输入个人编号和出生日期后，向您的手机发送 6 位验证码。
sms-title = 通过短信接收验证码
sms-intro = 请使用您的个人编号和出生日期验证身份：随后验证码将发送到您账户的手机号码，也可以按您的选择发送到您的找回邮箱。
sms-channel-title = 验证码发送到哪里？
sms-channel-intro = 以下是您账户中登记的联系方式（部分已隐藏）。
sms-channel-legend = 发送验证码
sms-channel-mobile = 通过短信发送到 { $number }
sms-channel-mail = 通过电子邮件发送到 { $address }
sms-channel-hint = 验证码在几分钟内有效，且只能使用一次。每天可发送的短信数量有限。
sms-channel-button = 发送验证码
sms-channel-missing = 请选择验证码的发送方式。
sms-channel-unusable = 您账户登记的号码无法接收验证码。{ $reason } 您可以在“管理我的账户”中更正。
sms-no-channel-title = 无法向您发送验证码
sms-no-channel = 您的账户既没有手机号码，也没有可用于发送验证码的找回邮箱。如果您设置了密保问题，请使用“找回我的密码”，或联系 { $contact }。
sms-limit-address = 您的网络连接申请的短信过多：请在一小时后重试，或选择电子邮件。
sms-limit-ceiling = 短信服务暂时不可用：请几分钟后重试，或选择电子邮件。
sms-daily-cap = 您的账户今天接收的短信已达上限：请在 { $until } 之后重试，或选择电子邮件。
sms-failed = 验证码发送失败。请稍后重试或联系 { $contact }。
sms-verify-title = 请输入收到的验证码
sms-sent-mobile = 验证码已通过短信发送到 { $number }。
sms-sent-mail = 验证码已通过电子邮件发送到 { $address }。
sms-sent = 请输入收到的验证码。
sms-code-field = 收到的验证码
sms-refused-advice = 每个验证码只能使用一次，几分钟后过期，并且只允许尝试 { $tries } 次：超过后，请点击“重新发送验证码”获取新的验证码。累计出错 { $max } 次后，重置功能将被锁定一段时间。
sms-password-title = 设置新密码

## Choice of channel in the e-mail code flow (/code).
code-channel-legend = 接收验证码
code-channel-mail = 通过电子邮件
code-channel-mobile = 通过短信，发送到账户的手机号码
code-sent-sms = 如果“{ $address }”对应的账户登记了手机号码，验证码已通过短信发送到该号码。

## My recovery data (Manage my account).
account-recovery-data = 我的找回邮箱和手机号码
account-sign-in-again = 重新登录
recovery-title = 我的找回信息
recovery-intro = 如果您忘记密码，可通过这些联系方式重新访问您的账户。每次修改都会通知到您的邮箱。
recovery-mail = 找回邮箱
recovery-mobile = 手机号码
recovery-none = 未设置
recovery-change-mail = 修改我的找回邮箱
recovery-change-mobile = 修改我的手机号码
recovery-mail-title = 我的找回邮箱
recovery-mobile-title = 我的手机号码
recovery-mail-intro = 请提供一个个人邮箱，确保在没有密码时也能查看。我们会向其发送验证码：输入该验证码后，邮箱才会被保存。
recovery-mobile-intro = 请提供您的手机号码。我们会通过短信向其发送验证码：输入该验证码后，号码才会被保存。
recovery-current-value = 当前：{ $value }
recovery-new-mail = 新的找回邮箱
recovery-new-mobile = 新的手机号码
recovery-mail-hint = 例如 zhang.san@example.cn
recovery-mobile-hint = 例如 06 12 34 56 78 或 +33 6 12 34 56 78
recovery-current-hint = 为了安全，请再次输入您当前的密码。
recovery-send-code = 发送验证码
recovery-remove = 删除
recovery-back = 返回我的找回信息
recovery-removed-title = 已删除
recovery-mail-removed = 您的找回邮箱已删除；已向您的邮箱发送确认消息。如有疑问，请联系 { $contact }。
recovery-mobile-removed = 您的手机号码已删除；已向您的邮箱发送确认消息。如有疑问，请联系 { $contact }。
recovery-not-sent-later = 目前无法发送验证码：请在 { $until } 之后重试。
recovery-not-sent-cooldown = 刚刚已向您的账户发送了一条消息：请等待一分钟后再申请。
recovery-not-sent = 暂时无法发送验证码。请稍后重试，或将这些字段留空以继续，或联系 { $contact }。
recovery-verify-title = 请输入收到的验证码
recovery-code-mail = 邮件中收到的验证码
recovery-code-mobile = 短信中收到的验证码
recovery-code-sent-mail = 验证码已发送到 { $value }。
recovery-code-sent-mobile = 验证码已通过短信发送到 { $value }。
recovery-changed-title = 修改已保存
recovery-mail-changed = 您的新找回邮箱已保存；已向您的邮箱发送通知。如有疑问，请联系 { $contact }。
recovery-mobile-changed = 您的新手机号码已保存；已向您的邮箱和原号码发送通知。如有疑问，请联系 { $contact }。
recovery-restart = 此验证码已过期，或您输入密码的时间已过久：请重新开始修改。
recovery-locked = 失败次数过多：修改功能已被锁定一段时间。请稍后重试或联系 { $contact }。

## Activate my account: ways to reach you.
activate-recovery-title = 您的找回方式
activate-recovery-intro = 如果您忘记密码，可以向这些联系方式发送验证码。我们会向您填写的每一项发送验证码，请在下一步中输入。
activate-recovery-optional = 您可以将这些字段留空，稍后在“管理我的账户”中填写。

## It was not me: a recovery factor changed.
not-me-intro-question = 账户 { $login } 的密保问题已于 { $when } 从 IP 地址 { $address } 被修改。
not-me-intro-mail = 账户 { $login } 的找回邮箱已于 { $when } 从 IP 地址 { $address } 被修改。
not-me-intro-mobile = 账户 { $login } 的手机号码已于 { $when } 从 IP 地址 { $address } 被修改。
