# Password rules (Simplified Chinese): the list shown next to the field
# (policy-rule-*), the "3 of the 4" criteria (policy-class-*), the server's
# errors (policy-error-*, policy-input-*) and the live checklist's texts.

## Rule list

policy-rule-length-min = 至少 { $min } 个字符
policy-rule-length-max = 最多 { $max } 个字符
policy-rule-length-range = { $min } 到 { $max } 个字符
policy-rule-min-classes = { $min ->
    [4] 满足以下全部 4 项要求：
   *[other] 满足以下 4 项要求中的 { $min } 项：
}
policy-class-lowercase = 包含小写字母
policy-class-uppercase = 包含大写字母
policy-class-digit = 包含数字
policy-class-special = 包含特殊字符
policy-rule-min-uppercase = 至少 { $min } 个大写字母
policy-rule-min-lowercase = 至少 { $min } 个小写字母
policy-rule-min-digits = 至少 { $min } 个数字
policy-rule-min-special = 至少 { $min } 个特殊字符
policy-rule-forbidden-characters = 不含以下任何字符：{ $chars }
policy-rule-forbid-login = 不得包含您的用户名
policy-rule-forbid-attribute-values = 不得包含您的姓或名
policy-rule-differ-from-current = 必须与当前密码不同
policy-rule-min-zxcvbn-score = 不得容易被猜到（常用词、连续字符、日期、个人信息）
policy-rule-not-breached = 未出现在已知的密码泄露事件中
policy-rule-history = { $count ->
    [one] 必须与您上一次设置的密码不同
   *[other] 必须与您最近 { $count } 次设置的密码都不同
}

## Errors

policy-error-too-short = 密码至少需要 { $min } 个字符。
policy-error-too-long = 密码不得超过 { $max } 个字符。
policy-error-too-few-classes = { $min ->
    [4] 密码必须包含小写字母、大写字母、数字和特殊字符。
   *[other] 密码必须至少满足以下 4 项要求中的 { $min } 项：小写字母、大写字母、数字、特殊字符。
}
policy-error-too-few-uppercase = 密码必须至少包含 { $min } 个大写字母。
policy-error-too-few-lowercase = 密码必须至少包含 { $min } 个小写字母。
policy-error-too-few-digits = 密码必须至少包含 { $min } 个数字。
policy-error-too-few-special = 密码必须至少包含 { $min } 个特殊字符（标点、符号）。
policy-error-forbidden-character = 密码不得包含以下任何字符：{ $chars }
policy-error-contains-login = 密码不得包含您的用户名。
policy-error-contains-name = 密码不得包含您的姓或名。
policy-error-same-as-current = 新密码必须与当前密码不同。
policy-error-too-guessable = 此密码太容易被猜到：请避免使用常用词、连续字符（1234、qwerty）、日期和个人信息。由多个词组成的短语更安全。
policy-error-breached = 此密码出现在已知的密码泄露事件中：它是攻击者最先尝试的密码之一。请另选一个。
policy-error-in-history = { $count ->
    [0] 您最近用过这个密码：请另选一个。
    [one] 密码必须与您上一次设置的密码不同。
   *[other] 密码必须与您最近 { $count } 次设置的密码都不同。
}
policy-error-too-soon = 您的密码刚修改不久：请稍后再试。
policy-error-refused-by-directory = 此密码不符合目录的安全策略：请另选一个。

## Invalid input

policy-input-empty = 请输入密码。
policy-input-only-spaces = 密码不能只由空格组成。
policy-input-control-character = 密码中含有不被接受的不可见字符（换行符、制表符等）。
policy-input-too-long = 密码太长：最多 { $max } 个字符。
policy-input-invalid-utf8 = 密码中含有无法识别的字符（不是 UTF-8 文本）：请重新输入。

## Live checklist

# { $passed } and { $total } stay as they are: the script replaces them.
policy-checklist-status = 已满足 { $passed }/{ $total } 项要求
policy-checklist-met = 已满足
policy-checklist-unmet = 未满足
policy-checklist-show = 显示
policy-checklist-hide = 隐藏
policy-checklist-show-label = 显示密码
policy-checklist-confirm-match = 两次输入的密码一致。
policy-checklist-confirm-mismatch = 两次输入的密码不一致。
policy-strength-label = 密码强度
policy-strength-levels = 很弱|弱|中等|强|很强
policy-strength-status = 强度：{ $level }
policy-strength-deferred = 提交表单时将检查此密码的强度。
