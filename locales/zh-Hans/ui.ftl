# Texts of Passerelle's web pages (Simplified Chinese).

## Layout

skip-to-content = 跳到正文
nav-label = 主导航
nav-home = 首页
nav-activate = 激活我的账户
nav-forgotten = 忘记登录信息
nav-account = 管理我的账户
nav-help = 帮助
lang-switch-label = 语言
step-indicator = 第 { $step } 步，共 { $total } 步
# A field's label with the colon as the language writes it, and the step bar's percentage.
field-label = { $label }：
field-label-required = { $label } *：
step-percent = { $percent }%
error-summary-title = 出现问题
footer-help = 需要帮助？请联系 { $contact }。
logo-alt = { $site } 标志

## Home

home-title = 欢迎
home-intro = 请选择您要办理的事项。
forgotten-title = 忘记登录信息
forgotten-intro = 忘记了密码或用户名？请在下方选择。
flow-recover-title = 找回我的密码
flow-recover-summary = 只需几步即可找回密码。
flow-identifier-title = 找回我的用户名
flow-identifier-summary = 只需几步即可找回登录用户名。
flow-activate-title = 激活我的账户
flow-activate-summary = 首次使用：设置您的密保问题和密码。
flow-account-title = 管理我的账户
flow-account-summary = 修改您的密码或密保问题。
flow-code-title = 通过电子邮件接收验证码
flow-code-summary = 验证码将发送到您的电子邮箱。
flow-temporary-title = 接收临时密码
flow-temporary-summary = 临时密码将发送到您的电子邮箱。

## Help

help-title = 帮助
help-intro = 找回密码时，请准备好您的个人编号和出生日期，然后回答您的密保问题。
help-contact = 如果仍无法完成，请联系 { $contact }。

## Identity (personal number + date of birth)

recover-title = 找回我的密码
recover-intro = 您可以通过以下信息找回密码，这些信息用于在我们的信息系统中确认您的身份。
identifier-kinds-intro = 如果您是：
kind-student = 学生
kind-student-text = 可以使用您的学号或 INE（法国全国学生编号）。
kind-staff = 教职工
kind-staff-text = 可以使用您的工号。
kind-external = 校外人员
kind-external-text = 可以使用发给您的唯一标识符。
kind-details-summary = 在哪里可以找到这些号码？
detail-student-number = 学号
detail-student-number-text = 您在注册手续结束时获得学号，它印在您的多功能卡上。
detail-ine = INE
detail-ine-text = 例如印在您的法国高中毕业会考（baccalauréat）成绩单和多功能卡上。
detail-staff-number = 工号
detail-staff-number-text = 您在人事管理数据库中的编号，印在您的多功能卡上。
detail-uid = UID
detail-uid-text = UID（唯一标识符）
field-identifier = 个人编号
field-identifier-placeholder = 请输入个人编号
field-birth-date = 出生日期
field-birth-date-hint = 日/月/年（例如 15/09/2001）
button-submit = 提交
identifier-missing = 请输入您的个人编号。
birth-date-invalid = 请按“日/月/年”格式输入出生日期（例如 15/09/2001）。
identity-failed = 根据您输入的信息无法确认您的身份。请检查您的个人编号和出生日期。
identity-failed-lock = 连续 { $max } 次尝试失败后，自助找回功能将被锁定 { $minutes } 分钟；届时请稍后再试，或联系 { $contact }。

## Secret question

question-title = 密保问题
question-intro = 请回答您的密保问题。
field-answer-placeholder = 您的答案
answer-missing = 请输入您的答案。
answer-wrong = 答案不正确。您还有 { $left } 次机会。
locked-title = 找回功能已暂时锁定
locked-text = 失败次数过多：此账户的自助找回功能已锁定，直至 { $until }。
locked-advice = 请稍后再试，或联系 { $contact }。
no-question-title = 您的账户尚未激活
no-question-text = 此账户没有登记任何密保问题：请先激活您的账户。
no-question-contact = 如需激活账户，请联系 { $contact }。

## New password

password-title = 设置新密码
field-new-password = 新密码
field-new-password-placeholder = 新密码
field-confirmation = 确认密码
field-confirmation-placeholder = 再次输入新密码
rules-intro = 有效的密码必须：
rules-checkbox = 我已阅读并知悉内部规章。
rules-link = 查看内部规章
rules-checkbox-missing = 请勾选“我已阅读并知悉内部规章。”
password-missing = 请输入新密码。
confirmation-mismatch = 确认密码与新密码不一致。
pw-locked = 此账户已在目录中被锁定；请联系 { $contact }。
pw-refused-directory = 目录拒绝了此密码；请另选一个。
success-title = 密码已修改
success-text = 完成：您的密码已修改成功，您还会收到一封确认邮件。
success-text-no-mail = 完成：您的密码已修改成功。由于您的账户没有登记任何邮箱地址，无法发送确认邮件。如需添加邮箱，请联系 { $contact }。
changed-meanwhile-title = 密码已被修改
changed-meanwhile-text = 您的密码刚刚被另一个请求（另一个标签页或另一项操作）修改：您刚才输入的密码没有保存。
changed-meanwhile-advice = 如果不是您本人操作，请立即联系 { $contact }。
stopped-title = 此账户无法使用自助服务
stopped-text = 此账户目前无法通过自助服务修改：它已被锁定、暂停或关闭。没有保存任何内容。
stopped-contact = 如有任何疑问，请联系 { $contact }。
old-password-required-title = 无法在此处修改
old-password-required-text = 目录要求任何密码修改都必须提供当前密码，而重置流程无法提供。没有保存任何内容。
old-password-required-advice = 如果您知道当前密码，请在“管理我的账户”中修改；否则请联系 { $contact }。
success-services = 请记得使用新密码登录：
success-finish = 完成
# Some replica of the directory had not taken the new password yet.
success-replica-lag = Wi-Fi 可能需要一分钟才能接受新密码。
success-wifi-confirmed = Wi-Fi（eduroam）已接受您的新密码。

## Recover my login

identifier-title = 找回我的用户名
identifier-intro = 请输入您的个人编号和出生日期：如果与某个账户相符，您的登录用户名将发送到您的找回邮箱。
identifier-sent-title = 请求已收到
identifier-sent = 如果您输入的信息与某个账户相符，登录用户名已发送到该账户登记的找回邮箱。
identifier-sent-advice = 请同时查看垃圾邮件文件夹。如果几分钟内仍未收到邮件，请联系 { $contact }。

## Errors

error-title = 发生错误
error-back-home = 返回首页
error-restart = 重新开始
error-bad-request = 无法读取提交的表单。请从头开始。
error-too-large = 提交的表单过大。
error-expired = 您的会话已过期，请重新开始。
error-csrf = 此表单已失效。请刷新页面后重试。
error-cross-site = 此表单是从其他网站提交的，而不是从我们的页面提交：未执行任何操作。如果您是在这里填写的，请通过本服务自己的网址打开它，然后重新开始。
error-step = 此步骤不可用：表单已经提交过，或前面的步骤尚未完成。请从头开始。
error-rate-limited = 来自您的地址的尝试次数过多。请等待一分钟后重试。
error-captcha-audio-spent = 此录音的播放次数已达上限。请点击“换一个验证码”获取新的验证码，然后收听新的验证码。
error-unavailable = 服务暂时不可用。请几分钟后重试。
error-internal = 发生意外错误。请稍后再试，或联系 { $contact }。
error-not-found = 此页面不存在。
