# The seed systems' own words (config/presets/), which each preset places
# on its pages through the [texts] section of the configuration, in
# Simplified Chinese. **…** marks what the seeds show in bold.

button-cancel = 取消

## Caf (services.caf.fr and Partenaires): on every page

caf-notice-reserved = 本专业服务**仅限获得授权的人员使用。**如果您不属于授权人员，访问并停留在本网站的行为可能依据法国 1988 年 1 月 5 日第 88-19 号法律（即《戈德弗兰法》）被追究责任，企图篡改或妨碍本网站运行的行为同样如此。
caf-notice-commitment = 访问本服务即表示您承诺：仅将您可以访问的信息用于 Caf 与贵机构所签协议中规定的任务和目的。
caf-notice-personal = 您的上级为您开通了**专属于您个人**的访问权限，并已告知 Caf 的权限管理员。为保障数据机密、防止任何入侵，**您绝不能透露或与他人共用您的登录名和密码**。如有违反，您可能被追究个人责任，协议也可能被解除。
caf-why-change-title = 为什么要修改密码？
caf-why-change = 出于安全考虑，请记得定期修改密码。
caf-personalise = 出于安全考虑，请现在设置您自己的密码。
caf-captcha-why-title = 这有什么用？
caf-captcha-why = 此功能帮助我们防止自动程序重置密码。
caf-captcha-how = 请按图片中显示的样子输入文字。字母之间不要加空格。
caf-identifier-from-admin = 登录名可由贵机构的管理员提供。
caf-temporary-copy = 请输入您的登录名和通过邮件收到的临时密码（建议复制粘贴密码）。

## Ecolesoft (family portal)

ecolesoft-change-why = **为提高您所用应用的安全性，请您输入新密码。**
ecolesoft-change-criteria = 请设置符合以下要求的新密码：
ecolesoft-login-again = 新密码保存后，请使用刚刚设置的密码重新登录。

## EFP Connect

efp-password-lead = 请设置新密码。新密码必须符合下列要求。
efp-no-access = **温馨提示：**如果您已无法使用与登录名关联的邮箱，需要用有效的邮箱地址创建新账户。重要通知将发送到该邮箱。
