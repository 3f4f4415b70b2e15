# The mails sent to the person, in Portuguese (see locales/fr/mail.ftl).
# { $date } { $time } { $offset }: "29/11/2026", "07:42", "UTC+01:00".

mail-greeting = Olá,
mail-greeting-named = Olá, { $name },
mail-footer-auto = Esta mensagem foi enviada automaticamente; por favor, não responda.
mail-footer-auto-site = Esta mensagem foi enviada automaticamente por { $site }; por favor, não responda.
mail-footer-help = Precisa de ajuda? Entre em contato com { $contact }.

## Password changed

mail-changed-subject = { $site }: sua senha foi alterada
mail-changed-what = A senha da sua conta { $login } foi alterada em { $date } às { $time } ({ $offset }) a partir do endereço IP { $address }.
mail-changed-services = A partir de agora, a nova senha é a de:
mail-changed-if-you = Se foi você quem fez esta alteração, não precisa fazer mais nada.
mail-changed-if-not = Se não foi você, outra pessoa pode conhecer sua senha:
mail-changed-report-link = avise-nos abrindo este link (válido por { $days } dias), que bloqueia as alterações pelo autosserviço e avisa o suporte:
mail-changed-report-button = avise-nos com este link (válido por { $days } dias), que bloqueia as alterações pelo autosserviço e avisa o suporte:
mail-changed-report-label = Não fui eu
mail-changed-contact = entre em contato com { $contact } imediatamente.

## Password about to expire

mail-expiring-subject = { $days ->
    [one] { $site }: sua senha expira em { $days } dia
   *[other] { $site }: sua senha expira em { $days } dias
}
mail-expiring-what = { $days ->
    [one] A senha da sua conta { $login } expira em { $date } às { $time } (daqui a { $days } dia). Depois dessa data, você não poderá mais entrar.
   *[other] A senha da sua conta { $login } expira em { $date } às { $time } (daqui a { $days } dias). Depois dessa data, você não poderá mais entrar.
}
mail-expiring-change = Altere-a agora em “Gerir minha conta”:
mail-expiring-change-label = Gerir minha conta

## Forgotten login

mail-identifier-subject = { $site }: seu nome de usuário
mail-identifier-asked = Você pediu para receber seu nome de usuário.
mail-identifier-yours = Seu nome de usuário: { $login }
mail-identifier-use = Use-o com sua senha para acessar os serviços de { $site }.
mail-identifier-not-you = Se não foi você quem fez este pedido, pode ignorar esta mensagem: ela foi enviada somente para você. Em caso de dúvida, entre em contato com { $contact }.

## Reset code

mail-code-subject = { $site }: redefinição da sua senha
mail-code-asked = Você pediu a redefinição da sua senha.
mail-code-here = Para confirmar seu pedido, este é o código de redefinição a digitar:
mail-code-once = Este código só pode ser usado uma vez. Ele expira daqui a { $validity }.
mail-code-or-link = Você também pode abrir este link:
mail-code-or-button = Você também pode clicar no botão abaixo:
mail-code-button = Redefinir minha senha
mail-code-not-you = Se não foi você quem fez este pedido, ignore esta mensagem: sua senha continua a mesma. Em caso de dúvida, entre em contato com { $contact }.

## Temporary password

mail-temporary-subject = { $site }: sua senha temporária
mail-temporary-asked = Você pediu a redefinição da sua senha.
mail-temporary-here = Esta é uma senha temporária para entrar:
mail-temporary-login = Nome de usuário:
mail-temporary-password = Senha temporária:
mail-temporary-valid = Ela é válida por { $validity }.
mail-temporary-must-change = Você deverá alterar esta senha no seu primeiro acesso.
mail-temporary-sign-in = Entre aqui para escolher sua nova senha:
mail-temporary-button = Escolher minha nova senha
mail-temporary-not-you = Se não foi você quem fez este pedido, entre em contato com { $contact } imediatamente.

## A password found in a breach list (passerelle breach-sweep --notify)

mail-breached-subject = { $site }: sua senha está em uma lista de senhas vazadas
mail-breached-what = A senha atual da sua conta { $login } está em uma lista de senhas vazadas em violações de dados de outros sites. Ela não foi roubada de nós, mas qualquer pessoa que tenha essa lista pode testá-la na sua conta.
mail-breached-change = Escolha uma nova agora, sem precisar da antiga:
mail-breached-change-label = Escolher uma nova senha
mail-breached-must-change = Até que você a altere, isso será pedido no seu próximo acesso.
mail-breached-never-ask = Nunca pediremos sua senha por e-mail. Se tiver qualquer dúvida sobre esta mensagem, acesse diretamente o site de { $site } ou entre em contato com { $contact }.
