# Password rules (Portuguese): the list shown next to the field (policy-rule-*),
# the "3 of the 4" criteria (policy-class-*), the server's errors
# (policy-error-*, policy-input-*) and the live checklist's texts.

## Rule list

policy-rule-length-min = No mínimo { $min } caracteres
policy-rule-length-max = No máximo { $max } caracteres
policy-rule-length-range = Entre { $min } e { $max } caracteres
policy-rule-min-classes = { $min ->
    [4] Cumprir os 4 critérios seguintes:
   *[other] Cumprir { $min } dos 4 critérios seguintes:
}
policy-class-lowercase = Contém uma letra minúscula
policy-class-uppercase = Contém uma letra maiúscula
policy-class-digit = Contém um algarismo
policy-class-special = Contém um caractere especial
policy-rule-min-uppercase = { $min ->
    [one] Pelo menos { $min } letra maiúscula
   *[other] Pelo menos { $min } letras maiúsculas
}
policy-rule-min-lowercase = { $min ->
    [one] Pelo menos { $min } letra minúscula
   *[other] Pelo menos { $min } letras minúsculas
}
policy-rule-min-digits = { $min ->
    [one] Pelo menos { $min } algarismo
   *[other] Pelo menos { $min } algarismos
}
policy-rule-min-special = { $min ->
    [one] Pelo menos { $min } caractere especial
   *[other] Pelo menos { $min } caracteres especiais
}
policy-rule-forbidden-characters = Nenhum destes caracteres: { $chars }
policy-rule-forbid-login = Não pode conter seu nome de usuário
policy-rule-forbid-attribute-values = Não pode conter seu nome nem seu sobrenome
policy-rule-differ-from-current = Deve ser diferente da sua senha atual
policy-rule-min-zxcvbn-score = Não pode ser fácil de adivinhar (palavras comuns, sequências, datas, dados pessoais)
policy-rule-not-breached = Não pode aparecer em nenhum vazamento de senhas conhecido
policy-rule-history = { $count ->
    [one] Deve ser diferente da última senha que você escolheu
   *[other] Deve ser diferente das { $count } últimas senhas que você escolheu
}

## Errors

policy-error-too-short = A senha deve ter pelo menos { $min } caracteres.
policy-error-too-long = A senha não pode passar de { $max } caracteres.
policy-error-too-few-classes = { $min ->
    [4] A senha deve conter uma letra minúscula, uma maiúscula, um algarismo e um caractere especial.
   *[other] A senha deve cumprir pelo menos { $min } destes 4 critérios: uma letra minúscula, uma maiúscula, um algarismo, um caractere especial.
}
policy-error-too-few-uppercase = { $min ->
    [one] A senha deve conter pelo menos uma letra maiúscula.
   *[other] A senha deve conter pelo menos { $min } letras maiúsculas.
}
policy-error-too-few-lowercase = { $min ->
    [one] A senha deve conter pelo menos uma letra minúscula.
   *[other] A senha deve conter pelo menos { $min } letras minúsculas.
}
policy-error-too-few-digits = { $min ->
    [one] A senha deve conter pelo menos um algarismo.
   *[other] A senha deve conter pelo menos { $min } algarismos.
}
policy-error-too-few-special = { $min ->
    [one] A senha deve conter pelo menos um caractere especial (pontuação, símbolo).
   *[other] A senha deve conter pelo menos { $min } caracteres especiais (pontuação, símbolos).
}
policy-error-forbidden-character = A senha não pode conter nenhum destes caracteres: { $chars }
policy-error-contains-login = A senha não pode conter seu nome de usuário.
policy-error-contains-name = A senha não pode conter seu nome nem seu sobrenome.
policy-error-same-as-current = A nova senha deve ser diferente da sua senha atual.
policy-error-too-guessable = Esta senha é fácil demais de adivinhar: evite palavras comuns, sequências (1234, qwerty), datas e dados pessoais. Uma frase de várias palavras é mais segura.
policy-error-breached = Esta senha aparece num vazamento de senhas conhecido: é uma das primeiras que um atacante tenta. Escolha outra.
policy-error-in-history = { $count ->
    [0] Você já usou esta senha recentemente: escolha outra.
    [one] A senha deve ser diferente da última senha que você escolheu.
   *[other] A senha deve ser diferente das { $count } últimas senhas que você escolheu.
}
policy-error-too-soon = Sua senha foi alterada há muito pouco tempo: tente novamente mais tarde.
policy-error-refused-by-directory = Esta senha não cumpre a política de segurança do diretório: escolha outra.

## Invalid input

policy-input-empty = Digite uma senha.
policy-input-only-spaces = A senha não pode ser formada apenas por espaços.
policy-input-control-character = A senha contém um caractere invisível (quebra de linha, tabulação…) que não é aceito.
policy-input-too-long = A senha é longa demais: no máximo { $max } caracteres.
policy-input-invalid-utf8 = A senha contém caracteres ilegíveis (texto que não é UTF-8): digite-a novamente.

## Live checklist

# { $passed } and { $total } stay as they are: the script replaces them.
policy-checklist-status = { $passed } de { $total } critérios cumpridos
policy-checklist-met = critério cumprido
policy-checklist-unmet = critério não cumprido
policy-checklist-show = Mostrar
policy-checklist-hide = Ocultar
policy-checklist-show-label = Mostrar a senha
policy-checklist-confirm-match = As duas senhas são iguais.
policy-checklist-confirm-mismatch = As duas senhas não são iguais.
policy-strength-label = Força da senha
policy-strength-levels = muito fraca|fraca|razoável|boa|muito boa
policy-strength-status = Força: { $level }
policy-strength-deferred = A força desta senha será verificada quando você enviar o formulário.
