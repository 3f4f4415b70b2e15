# Texts of Passerelle's web pages (Portuguese, worded to read well in
# Brazil and in Portugal: "senha", no "você" where a sentence can do
# without it).

## Layout

skip-to-content = Ir para o conteúdo
nav-label = Navegação principal
nav-home = Início
nav-activate = Ativar minha conta
nav-forgotten = Dados de acesso esquecidos
nav-account = Gerir minha conta
nav-help = Ajuda
lang-switch-label = Idioma
step-indicator = Etapa { $step } de { $total }
# A field's label with the colon as the language writes it, and the step bar's percentage.
field-label = { $label }:
field-label-required = { $label } *:
step-percent = { $percent }%
error-summary-title = Há um problema
footer-help = Precisa de ajuda? Entre em contato com { $contact }.
logo-alt = Logotipo de { $site }

## Home

home-title = Bem-vindo(a)
home-intro = Escolha o que deseja fazer.
forgotten-title = Dados de acesso esquecidos
forgotten-intro = Esqueceu sua senha ou seu nome de usuário? Escolha abaixo.
flow-recover-title = Recuperar minha senha
flow-recover-summary = Recupere sua senha em poucas etapas.
flow-identifier-title = Recuperar meu nome de usuário
flow-identifier-summary = Recupere seu nome de usuário em poucas etapas.
flow-activate-title = Ativar minha conta
flow-activate-summary = Primeiro acesso: escolha sua pergunta secreta e sua senha.
flow-account-title = Gerir minha conta
flow-account-summary = Altere sua senha ou sua pergunta secreta.
flow-code-title = Receber um código por e-mail
flow-code-summary = Um código de validação é enviado para seu endereço de e-mail.
flow-temporary-title = Receber uma senha temporária
flow-temporary-summary = Uma senha temporária é enviada para seu endereço de e-mail.

## Help

help-title = Ajuda
help-intro = Para recuperar sua senha, tenha em mãos seu número pessoal e sua data de nascimento e, em seguida, responda à sua pergunta secreta.
help-contact = Se não conseguir, entre em contato com { $contact }.

## Identity (personal number + date of birth)

recover-title = Recuperar minha senha
recover-intro = Você pode recuperar sua senha com os dados abaixo, que servem para identificá-lo(a) em nosso sistema de informação.
identifier-kinds-intro = Se você é:
kind-student = estudante
kind-student-text = pode usar seu número de estudante ou seu INE (número nacional de estudante francês).
kind-staff = funcionário(a)
kind-staff-text = pode usar sua matrícula funcional.
kind-external = usuário(a) externo(a)
kind-external-text = pode usar o identificador único que lhe foi fornecido.
kind-details-summary = Onde encontro esses números?
detail-student-number = Número de estudante
detail-student-number-text = Você o recebeu no fim da matrícula. Ele consta do seu cartão multisserviço.
detail-ine = INE
detail-ine-text = Consta, por exemplo, do boletim de notas do baccalauréat francês e do seu cartão multisserviço.
detail-staff-number = Matrícula funcional
detail-staff-number-text = Seu número na base de dados de gestão de pessoal. Consta do seu cartão multisserviço.
detail-uid = UID
detail-uid-text = UID (identificador único)
field-identifier = Número pessoal
field-identifier-placeholder = Digite seu número pessoal
field-birth-date = Data de nascimento
field-birth-date-hint = dd/mm/aaaa
button-submit = Confirmar
identifier-missing = Digite seu número pessoal.
birth-date-invalid = Digite sua data de nascimento no formato dd/mm/aaaa.
identity-failed = Os dados informados não permitem identificá-lo(a). Verifique seu número pessoal e sua data de nascimento.
identity-failed-lock = Após { $max } tentativas sem sucesso, a recuperação pelo autosserviço fica bloqueada por { $minutes } minutos; tente novamente mais tarde ou entre em contato com { $contact }.

## Secret question

question-title = Pergunta secreta
question-intro = Responda à sua pergunta secreta.
field-answer-placeholder = sua resposta
answer-missing = Digite sua resposta.
answer-wrong = { $left ->
    [one] Esta resposta não confere. Resta { $left } tentativa.
   *[other] Esta resposta não confere. Restam { $left } tentativas.
}
locked-title = Recuperação bloqueada temporariamente
locked-text = Tentativas sem sucesso demais: a recuperação pelo autosserviço desta conta está bloqueada até { $until }.
locked-advice = Tente novamente mais tarde ou entre em contato com { $contact }.
no-question-title = Sua conta ainda não está ativada
no-question-text = Nenhuma pergunta secreta está registrada para esta conta: ative primeiro sua conta.
no-question-contact = Para ativar sua conta, entre em contato com { $contact }.

## New password

password-title = Escolha sua nova senha
field-new-password = Nova senha
field-new-password-placeholder = Nova senha
field-confirmation = Confirmação
field-confirmation-placeholder = Repita a nova senha
rules-intro = Para ser válida, sua senha deve:
rules-checkbox = Declaro ter lido o regulamento interno.
rules-link = Consultar o regulamento interno
rules-checkbox-missing = Marque a caixa “Declaro ter lido o regulamento interno.”
password-missing = Digite uma nova senha.
confirmation-mismatch = A confirmação não corresponde à nova senha.
pw-locked = Esta conta está bloqueada no diretório; entre em contato com { $contact }.
pw-refused-directory = O diretório recusou esta senha; escolha outra.
success-title = Senha alterada
success-text = Pronto: sua senha foi alterada. Você também receberá um e-mail de confirmação.
success-text-no-mail = Pronto: sua senha foi alterada. Não foi possível enviar um e-mail de confirmação porque nenhum endereço está registrado para sua conta. Para adicionar um, entre em contato com { $contact }.
changed-meanwhile-title = Senha já alterada
changed-meanwhile-text = Sua senha acaba de ser alterada por outro pedido (outra aba ou outro procedimento): a que você acabou de digitar não foi registrada.
changed-meanwhile-advice = Se não foi você, entre em contato com { $contact } imediatamente.
stopped-title = Autosserviço indisponível para esta conta
stopped-text = No momento, esta conta não pode ser alterada pelo autosserviço: ela está bloqueada, suspensa ou encerrada. Nada foi registrado.
stopped-contact = Em caso de dúvida, entre em contato com { $contact }.
old-password-required-title = Não é possível fazer esta alteração aqui
old-password-required-text = O diretório exige sua senha atual para qualquer alteração de senha, e uma redefinição não pode fornecê-la. Nada foi registrado.
old-password-required-advice = Se você sabe sua senha atual, altere-a em “Gerir minha conta”; caso contrário, entre em contato com { $contact }.
success-services = Lembre-se de usar sua nova senha para acessar:
success-finish = Concluir
# Some replica of the directory had not taken the new password yet.
success-replica-lag = O Wi-Fi pode levar um minuto para aceitá-la.
success-wifi-confirmed = O Wi-Fi (eduroam) já aceita sua nova senha.

## Recover my login

identifier-title = Recuperar meu nome de usuário
identifier-intro = Informe seu número pessoal e sua data de nascimento: se corresponderem a uma conta, seu nome de usuário será enviado para seu e-mail de recuperação.
identifier-sent-title = Pedido registrado
identifier-sent = Se os dados informados corresponderem a uma conta, seu nome de usuário acaba de ser enviado para o e-mail de recuperação registrado para essa conta.
identifier-sent-advice = Verifique também a pasta de spam. Se nenhuma mensagem chegar em alguns minutos, entre em contato com { $contact }.

## Errors

error-title = Ocorreu um erro
error-back-home = Voltar ao início
error-restart = Recomeçar
error-bad-request = Não foi possível ler o formulário enviado. Recomece desde o início.
error-too-large = O formulário enviado é grande demais.
error-expired = Sua sessão expirou; recomece.
error-csrf = Este formulário não é mais válido. Recarregue a página e tente novamente.
error-cross-site = Este formulário foi enviado de outro site, não das nossas páginas: nada foi feito. Se você o preenchia aqui, abra este serviço pelo endereço dele e recomece.
error-step = Esta etapa não está disponível: o formulário já foi enviado ou uma etapa anterior não foi concluída. Recomece desde o início.
error-rate-limited = Tentativas demais a partir do seu endereço. Aguarde um minuto e tente novamente.
error-captcha-audio-spent = Esta gravação já foi ouvida o número máximo de vezes permitido. Peça um novo código com “Novo código” e ouça esse.
error-unavailable = O serviço está temporariamente indisponível. Tente novamente em alguns minutos.
error-internal = Ocorreu um erro inesperado. Tente novamente mais tarde ou entre em contato com { $contact }.
error-not-found = Esta página não existe.
