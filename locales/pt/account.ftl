# Texts of the "Activate my account", "Manage my account" and "Change my
# password" (temporary password) flows, in Portuguese.

## Activate my account

activate-title = Ativar minha conta
activate-intro = Primeiro uso da sua conta: identifique-se com seu número pessoal e sua data de nascimento e, depois, escolha sua pergunta secreta e sua senha.
activate-already-title = Conta já ativada
activate-already-text = Esta conta já está ativada: há uma pergunta secreta registrada. Se esqueceu sua senha, use “Recuperar minha senha”.
activate-already-link = Recuperar minha senha
activate-question-title = Escolha sua pergunta secreta
activate-question-intro = Esta pergunta será feita se você esquecer sua senha. Escolha uma resposta de que vai se lembrar e que ninguém consiga adivinhar.
activate-field-question = Pergunta secreta
activate-field-question-own = Minha própria pergunta
activate-field-own-question = Sua pergunta
activate-field-own-question-hint = Entre { $min } e { $max } caracteres.
activate-field-answer = Resposta
activate-field-answer-hint = Pelo menos { $min } caracteres; maiúsculas, acentos e espaços a mais não contam.
activate-field-answer-confirm = Confirme a resposta
activate-question-missing = Escolha uma pergunta ou escreva a sua.
activate-question-length = Sua pergunta deve ter entre { $min } e { $max } caracteres.
activate-answer-too-short = A resposta deve ter pelo menos { $min } caracteres.
activate-answer-mismatch = A confirmação não corresponde à resposta.
activate-answer-is-login = A resposta não pode ser seu nome de usuário.
activate-answer-is-birth-date = A resposta não pode ser sua data de nascimento.
activate-password-title = Escolha sua senha
activate-success-title = Conta ativada
activate-secret-not-saved = Sua senha foi registrada, mas sua pergunta secreta não: refaça a ativação para escolhê-la ou entre em contato com { $contact }.

## Manage my account

account-title = Gerir minha conta
account-intro = Entre com seu nome de usuário e sua senha atual.
account-field-login = Nome de usuário
account-field-login-placeholder = Digite seu nome de usuário
account-field-password = Senha atual
account-login-missing = Digite seu nome de usuário.
account-password-missing = Digite sua senha atual.
account-login-failed = Nome de usuário ou senha incorretos. Após várias tentativas sem sucesso, a conta fica bloqueada por algum tempo: tente novamente mais tarde.
account-locked = Esta conta está temporariamente bloqueada após tentativas sem sucesso demais. Tente novamente mais tarde ou entre em contato com { $contact }.
account-temporary = Sua senha atual é temporária: escolha primeiro uma senha sua.
account-temporary-link = Escolher minha senha
account-menu-title = Minha conta
account-menu-intro = Você entrou como { $login }. O que deseja fazer?
account-change-password = Alterar minha senha
account-change-question = Alterar minha pergunta
account-logout = Sair
account-logged-out-title = Sessão encerrada
account-logged-out = Você saiu da sua conta.
account-password-title = Alterar minha senha
account-question-title = Alterar minha pergunta secreta
account-question-done-title = Pergunta registrada
account-question-done = Sua nova pergunta secreta e a resposta foram registradas.
account-back = Voltar à minha conta

## Change my password (temporary password)

change-title = Alterar minha senha
change-intro = Digite seu nome de usuário e sua senha atual (a senha temporária recebida por e-mail, se for o caso).
change-password-title = Escolha sua própria senha
change-password-intro = Por segurança, escolha agora uma senha sua.
change-field-current = Senha atual
change-field-confirmation = Confirmar a senha
change-current-missing = Digite sua senha atual.
change-current-wrong = A senha atual está incorreta.
change-current-too-often = A senha atual foi digitada incorretamente vezes demais. Por segurança, o procedimento foi interrompido: identifique-se novamente.
change-sign-in-again = Identificar-me novamente
change-expired-title = Senha temporária expirada
change-expired-text = Esta senha temporária expirou e não pode mais ser usada. Peça uma nova.
change-expired-link = Pedir uma nova senha temporária
change-expired-contact = Para obter uma nova senha temporária, entre em contato com { $contact }.
activate-in-use-hint = Se sua conta já está em uso, entre em “Gerir minha conta” para escolher sua pergunta secreta.

## "It was not me" (the link of the "password changed" mail)
not-me-title = Não fui eu
not-me-intro = A senha da conta { $login } foi alterada em { $when } a partir do endereço IP { $address }.
not-me-explain = Se não foi você, pressione o botão: ninguém mais poderá alterar a senha desta conta neste site, e o suporte ({ $contact }) será avisado para ajudar você a retomar o controle. Nada é feito enquanto você não pressionar.
not-me-button = Não fui eu: bloquear e avisar o suporte
not-me-done-title = Aviso registrado
not-me-done = As alterações de senha pelo autosserviço estão bloqueadas para sua conta, e o suporte recebeu os detalhes da alteração (data, endereço IP, navegador).
not-me-next = O suporte ({ $contact }) vai confirmar sua identidade por um meio seguro, fornecer uma nova senha e depois desbloquear a conta. Se você usa a mesma senha em outros lugares, altere-a lá também.
not-me-invalid-title = Link inválido
not-me-invalid = Este link não é válido ou expirou.
not-me-superseded = Este link não vale mais: a senha foi alterada novamente desde então.
not-me-used = Este aviso já foi registrado: o autosserviço está bloqueado para esta conta e o suporte foi avisado.
not-me-contact = Em caso de dúvida, entre em contato com { $contact }.

## The built-in secret questions (stored on the entry in French)
question-first-pet = Qual era o nome do seu primeiro animal de estimação?
question-birth-city = Em que cidade você nasceu?
question-primary-school = Qual era o nome da sua escola primária?
