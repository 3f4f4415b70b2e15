# The mails sent to the person, in Simplified Chinese (see locales/fr/mail.ftl).
# { $date } { $time } { $offset }: "2026-11-29", "07:42", "UTC+01:00".

mail-greeting = 您好：
mail-greeting-named = { $name }，您好：
mail-footer-auto = 此邮件由系统自动发送，请勿回复。
mail-footer-auto-site = 此邮件由 { $site } 自动发送，请勿回复。
mail-footer-help = 需要帮助？请联系 { $contact }。

## Password changed

mail-changed-subject = { $site }：您的密码已修改
mail-changed-what = 您的账户 { $login } 的密码已于 { $date } { $time }（{ $offset }）从 IP 地址 { $address } 被修改。
mail-changed-services = 从现在起，新密码适用于：
mail-changed-if-you = 如果是您本人修改的，无需进行任何操作。
mail-changed-if-not = 如果不是您本人操作，可能有其他人知道您的密码：
mail-changed-report-link = 请打开此链接报告（{ $days } 天内有效），它会冻结自助修改并通知技术支持：
mail-changed-report-button = 请通过此链接报告（{ $days } 天内有效），它会冻结自助修改并通知技术支持：
mail-changed-report-label = 不是我本人操作
mail-changed-contact = 请立即联系 { $contact }。

## Password about to expire

mail-expiring-subject = { $site }：您的密码将在 { $days } 天后过期
mail-expiring-what = 您的账户 { $login } 的密码将于 { $date } { $time } 过期（{ $days } 天后）。过期后您将无法登录。
mail-expiring-change = 请立即在“管理我的账户”中修改：
mail-expiring-change-label = 管理我的账户

## Forgotten login

mail-identifier-subject = { $site }：您的用户名
mail-identifier-asked = 您申请了找回登录用户名。
mail-identifier-yours = 您的用户名：{ $login }
mail-identifier-use = 请将其与您的密码一起使用，登录 { $site } 的各项服务。
mail-identifier-not-you = 如果这不是您本人申请的，可以忽略此邮件：它只发送给了您。如有疑问，请联系 { $contact }。

## Reset code

mail-code-subject = { $site }：重置您的密码
mail-code-asked = 您申请了重置密码。
mail-code-here = 为确认您的申请，请输入以下重置验证码：
mail-code-once = 此验证码只能使用一次，将在 { $validity }后过期。
mail-code-or-link = 您也可以打开此链接：
mail-code-or-button = 您也可以点击下方按钮：
mail-code-button = 重置我的密码
mail-code-not-you = 如果这不是您本人申请的，请忽略此邮件：您的密码保持不变。如有疑问，请联系 { $contact }。

## Temporary password

mail-temporary-subject = { $site }：您的临时密码
mail-temporary-asked = 您申请了重置密码。
mail-temporary-here = 以下是用于登录的临时密码：
mail-temporary-login = 用户名：
mail-temporary-password = 临时密码：
mail-temporary-valid = 有效期为 { $validity }。
mail-temporary-must-change = 首次登录时必须修改此密码。
mail-temporary-sign-in = 请在此登录并设置新密码：
mail-temporary-button = 设置我的新密码
mail-temporary-not-you = 如果这不是您本人申请的，请立即联系 { $contact }。

## A password found in a breach list (passerelle breach-sweep --notify)

mail-breached-subject = { $site }：您的密码出现在已泄露密码列表中
mail-breached-what = 您的账户 { $login } 的当前密码出现在其他网站数据泄露所公开的密码列表中。它并非从我们这里被盗，但任何持有该列表的人都可以用它尝试登录您的账户。
mail-breached-change = 请立即设置新密码，无需提供旧密码：
mail-breached-change-label = 设置新密码
mail-breached-must-change = 在您修改之前，下次登录时系统会要求您修改密码。
mail-breached-never-ask = 我们绝不会通过电子邮件索要您的密码。如对本邮件有任何疑问，请直接访问 { $site } 网站或联系 { $contact }。
