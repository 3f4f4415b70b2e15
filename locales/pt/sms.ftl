# Issue 21: code by SMS, choice of channel, the person's recovery data
# (address and mobile) and the notice of every change.

## The SMS texts, kept to the GSM alphabet (é is in it; ã, õ, ó, ê, ç, á, í, ú
## are not and would send the SMS in UCS-2, 70 characters instead of 160:
## those accents are dropped in these three texts only).
sms-text-code = { $site }: seu codigo é { $code }. Expira em { $minutes } min. Nao o passe a ninguém.
sms-text-verify = { $site }: o codigo para confirmar este numero é { $code } (valido por { $minutes } min). Se nao pediu nada, ignore esta mensagem.
sms-text-mobile-changed = { $site }: desde { $when }, este numero nao é mais o celular de recuperacao da sua conta. Se nao foi voce, veja seu e-mail ou contate { $contact }.

## Why a number cannot receive a code (docs/sms.md).
sms-number-empty = Digite um número de celular.
sms-number-not-a-number = Isto não é um número de telefone: digite apenas algarismos, por exemplo 06 12 34 56 78 ou +33 6 12 34 56 78.
sms-number-unknown-country-code = Este código de país não existe.
sms-number-too-short = Este número é curto demais.
sms-number-too-long = Este número é longo demais.
sms-number-invalid = Este número não existe nesta forma.
sms-number-country-not-allowed = Não é possível enviar SMS para este país.
sms-number-landline = É um número de telefone fixo: não pode receber SMS. Informe um número de celular.
sms-number-maybe-landline = Este número pode ser um fixo: informe um número de celular.
sms-number-premium-rate = É um número de tarifa especial: nenhum código é enviado para ele. Informe um número de celular.
sms-number-shared-cost = É um número de custo partilhado: informe um número de celular.
sms-number-toll-free = É um número gratuito: informe um número de celular.
sms-number-not-mobile = Não é um número de celular: informe um número de celular.
sms-number-disabled = O envio por SMS não é oferecido neste site.

## Recovery data: what is refused.
recovery-value-missing = Digite um valor.
recovery-mail-invalid = Digite um endereço de e-mail válido, por exemplo nome.sobrenome@exemplo.pt.
recovery-mail-institutional = Este é o endereço da sua instituição: informe um endereço pessoal, que você possa ler sem esta senha.
recovery-value-unchanged = Este já é o da sua conta.
recovery-nothing-to-remove = Sua conta não tem esse dado.
recovery-code-wrong = Este código não é o correto.

## Receive a code by SMS (/sms).
flow-sms-title = Receber um código por SMS
flow-sms-summary = Um código de 6 dígitos enviado para seu celular, após informar seu número pessoal e sua data de nascimento.
sms-title = Receber um código por SMS
sms-intro = Identifique-se com seu número pessoal e sua data de nascimento: em seguida, um código será enviado para o celular da sua conta ou, se preferir, para seu e-mail de recuperação.
sms-channel-title = Para onde enviar o código?
sms-channel-intro = Estes são os meios de contato registrados para sua conta (parcialmente ocultos).
sms-channel-legend = Enviar o código
sms-channel-mobile = por SMS para { $number }
sms-channel-mail = por e-mail para { $address }
sms-channel-hint = O código vale por alguns minutos e só pode ser usado uma vez. Apenas um número limitado de SMS pode ser enviado por dia.
sms-channel-button = Enviar o código
sms-channel-missing = Escolha para onde enviar o código.
sms-channel-unusable = O número registrado para sua conta não pode receber códigos. { $reason } Você poderá corrigi-lo em “Gerir minha conta”.
sms-no-channel-title = Nenhum meio de enviar um código para você
sms-no-channel = Sua conta não tem celular nem e-mail de recuperação para onde enviar um código. Use “Recuperar minha senha” se você tiver uma pergunta secreta, ou entre em contato com { $contact }.
sms-limit-address = Foram pedidos SMS demais a partir da sua conexão: tente novamente daqui a uma hora ou escolha o e-mail.
sms-limit-ceiling = Os SMS estão temporariamente indisponíveis: tente novamente daqui a alguns minutos ou escolha o e-mail.
sms-daily-cap = Sua conta já recebeu o número máximo de SMS permitido hoje: tente novamente após { $until } ou escolha o e-mail.
sms-failed = Não foi possível enviar o código. Tente novamente mais tarde ou entre em contato com { $contact }.
sms-verify-title = Digite o código recebido
sms-sent-mobile = Um código acaba de ser enviado por SMS para { $number }.
sms-sent-mail = Um código acaba de ser enviado por e-mail para { $address }.
sms-sent = Digite o código recebido.
sms-code-field = Código recebido
sms-refused-advice = Um código só pode ser usado uma vez, expira após alguns minutos e só aceita { $tries } tentativas: depois disso, peça um novo com “Reenviar o código”. Após { $max } erros, a redefinição fica bloqueada por algum tempo.
sms-password-title = Escolha sua nova senha

## Choice of channel in the e-mail code flow (/code).
code-channel-legend = Receber o código
code-channel-mail = por e-mail
code-channel-mobile = por SMS, no celular da conta
code-sent-sms = Se “{ $address }” corresponder a uma conta com número de celular, um código acaba de ser enviado para ele por SMS.

## My recovery data (Manage my account).
account-recovery-data = Meu e-mail de recuperação e meu celular
account-sign-in-again = Entrar novamente
recovery-title = Meus dados de recuperação
recovery-intro = Estes meios de contato servem para recuperar o acesso à sua conta se você esquecer a senha. Cada alteração é comunicada aos seus endereços.
recovery-mail = E-mail de recuperação
recovery-mobile = Número de celular
recovery-none = nenhum
recovery-change-mail = Alterar meu e-mail de recuperação
recovery-change-mobile = Alterar meu número de celular
recovery-mail-title = Meu e-mail de recuperação
recovery-mobile-title = Meu número de celular
recovery-mail-intro = Informe um endereço pessoal, que você possa ler mesmo sem sua senha. Um código será enviado para ele: o endereço só é registrado depois que esse código for digitado.
recovery-mobile-intro = Informe seu número de celular. Um código será enviado para ele por SMS: o número só é registrado depois que esse código for digitado.
recovery-current-value = Atualmente: { $value }
recovery-new-mail = Novo e-mail de recuperação
recovery-new-mobile = Novo número de celular
recovery-mail-hint = Por exemplo nome.sobrenome@exemplo.pt
recovery-mobile-hint = Por exemplo 06 12 34 56 78 ou +33 6 12 34 56 78
recovery-current-hint = Por segurança, digite novamente sua senha atual.
recovery-send-code = Enviar um código
recovery-remove = Remover
recovery-back = Voltar aos meus dados de recuperação
recovery-removed-title = Removido
recovery-mail-removed = Seu e-mail de recuperação foi removido; uma mensagem confirma isso aos seus endereços. Em caso de dúvida, entre em contato com { $contact }.
recovery-mobile-removed = Seu número de celular foi removido; uma mensagem confirma isso aos seus endereços. Em caso de dúvida, entre em contato com { $contact }.
recovery-not-sent-later = Nenhum código pode ser enviado agora: tente novamente após { $until }.
recovery-not-sent-cooldown = Uma mensagem acaba de ser enviada à sua conta: aguarde um minuto antes de pedir outra.
recovery-not-sent = Por enquanto, não foi possível enviar nenhum código. Tente novamente mais tarde, deixe estes campos vazios para continuar ou entre em contato com { $contact }.
recovery-verify-title = Digite o código recebido
recovery-code-mail = Código recebido por e-mail
recovery-code-mobile = Código recebido por SMS
recovery-code-sent-mail = Um código acaba de ser enviado para { $value }.
recovery-code-sent-mobile = Um código acaba de ser enviado por SMS para { $value }.
recovery-changed-title = Alteração registrada
recovery-mail-changed = Seu novo e-mail de recuperação foi registrado; uma mensagem comunica isso aos seus endereços. Em caso de dúvida, entre em contato com { $contact }.
recovery-mobile-changed = Seu novo número de celular foi registrado; uma mensagem comunica isso aos seus endereços e ao número anterior. Em caso de dúvida, entre em contato com { $contact }.
recovery-restart = Este código expirou, ou sua senha foi digitada há muito tempo: recomece a alteração.
recovery-locked = Tentativas malsucedidas demais: as alterações ficam bloqueadas por algum tempo. Tente novamente mais tarde ou entre em contato com { $contact }.

## Activate my account: ways to reach you.
activate-recovery-title = Seus meios de recuperação
activate-recovery-intro = Se você esquecer a senha, um código poderá ser enviado para estes contatos. Um código é enviado para cada dado informado, a ser digitado na etapa seguinte.
activate-recovery-optional = Você pode deixar estes campos vazios e preenchê-los mais tarde em “Gerir minha conta”.

## It was not me: a recovery factor changed.
not-me-intro-question = A pergunta secreta da conta { $login } foi alterada em { $when } a partir do endereço IP { $address }.
not-me-intro-mail = O e-mail de recuperação da conta { $login } foi alterado em { $when } a partir do endereço IP { $address }.
not-me-intro-mobile = O número de celular da conta { $login } foi alterado em { $when } a partir do endereço IP { $address }.
