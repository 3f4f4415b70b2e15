# The built-in captcha (no third-party service): image, audio, new code.
# The recorded voice exists in French and English only: a Chinese page
# plays the English letters, and its link says so.
captcha-label = 安全验证码
captcha-instruction = 请输入安全验证码（由数字和字母组成）
captcha-help = 如需显示新的验证码或收听验证码，请使用图片下方的链接。
captcha-case-sensitive = 请注意区分大小写。字符之间不要加空格。
captcha-case-insensitive = 不区分大小写。字符之间不要加空格。
captcha-image-alt = 一张变形的图片，显示需要输入的 { $length } 位安全验证码。如果无法看清，请使用“收听验证码（英语）”。
captcha-listen = 收听验证码（英语）
captcha-listen-fallback = 下载验证码音频（WAV，英语）
captcha-new = 换一个验证码
captcha-why = 安全验证码可防止自动程序重置密码。
captcha-failed = 文字验证失败。
captcha-needed = 请输入图片中的文字（或收听）后继续。
