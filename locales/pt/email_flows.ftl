# Texts of the e-mail flows: /code (EFP) and /temporary (CAF, Ecolesoft), in Portuguese.

email-button-next = Seguinte
email-hours = { $n ->
    [one] { $n } hora
   *[other] { $n } horas
}
email-minutes = { $n ->
    [one] { $n } minuto
   *[other] { $n } minutos
}

code-title = Redefinir minha senha
code-intro = Digite o endereço de e-mail que você usa para entrar na sua conta.
code-field-identifier = Identificador (e-mail)
code-field-identifier-placeholder = nome.sobrenome@exemplo.pt
code-request-hint = Você vai receber um e-mail com um código de validação, necessário na etapa 2.
code-no-access = Bom saber: se você não tem mais acesso ao e-mail associado ao seu identificador, entre em contato com o suporte.
code-identifier-missing = Digite o endereço de e-mail vinculado à sua conta.
code-verify-title = Digite o código recebido
code-sent = Se existir uma conta correspondente a “{ $address }”, um e-mail com um código foi enviado para você.
code-sent-link = Digite o código recebido por e-mail.
code-field = Código de validação recebido por e-mail
code-field-hint = 6 algarismos, por exemplo 2 3 8 3 9 2
code-spam = O código foi enviado para você por e-mail. Se não o recebeu, verifique a pasta de SPAM da sua caixa de correio.
code-resend = Reenviar o código
code-resend-hint = Um novo código pode ser pedido { $seconds } segundos depois do anterior; ele então substitui o anterior.
code-resent = Se existir uma conta correspondente, um novo código foi enviado para você; o anterior não funciona mais.
code-malformed = O código de validação tem 6 algarismos.
code-refused = O código digitado está incorreto ou não é mais válido.
code-refused-advice = Um código só pode ser usado uma vez, expira após { $validity } e só aceita { $tries } tentativas: depois disso, peça um novo com “Reenviar o código”. Após { $max } erros, a redefinição fica bloqueada por algum tempo.
code-password-title = Escolha sua nova senha
code-success-title = Senha alterada
code-success-text = Sua senha foi alterada com sucesso.
code-success-login = Sua senha foi alterada: você já pode entrar com seu identificador e sua nova senha.
code-link-title = Redefinir minha senha
code-link-intro = Você abriu o link recebido por e-mail. Pressione o botão para validar seu código e escolher sua nova senha.
code-link-button = Redefinir minha senha
code-link-invalid-title = Link inválido
code-link-invalid = Este link não é mais válido: o código expirou, já foi usado ou foi substituído por um novo. Peça um novo código.
code-link-restart = Pedir um novo código

temporary-title = Senha esquecida
temporary-intro = Digite seu endereço de e-mail ou seu identificador: uma senha temporária será enviada para você por e-mail.
temporary-field-identifier = Endereço de e-mail ou identificador
temporary-request-hint = O endereço de e-mail digitado deve ser exatamente o registrado para sua conta.
temporary-identifier-missing = Digite seu endereço de e-mail ou seu identificador.
temporary-sent-title = Pedido registrado
temporary-sent = Se existir uma conta correspondente, um e-mail com sua nova senha foi enviado para o endereço informado.
temporary-sent-on-file = Se existir uma conta correspondente, um e-mail com sua nova senha foi enviado para o endereço registrado para essa conta.
temporary-sent-advice = Esta senha temporária é válida por { $validity } e deve ser alterada no seu primeiro acesso. Verifique também a pasta de spam.
temporary-sent-change = Alterar minha senha temporária
code-resend-wait = Um código acaba de ser pedido: aguarde mais { $seconds } segundos antes de pedir um novo.
code-resend-restart = Para receber um novo código, recomece desde a primeira etapa.
