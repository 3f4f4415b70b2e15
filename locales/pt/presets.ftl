# The seed systems' own words (config/presets/), which each preset places
# on its pages through the [texts] section of the configuration, in
# Portuguese. **…** marks what the seeds show in bold.

button-cancel = Cancelar

## Caf (services.caf.fr and Partenaires): on every page

caf-notice-reserved = Este serviço profissional **é reservado exclusivamente às pessoas autorizadas.** Se você não é uma delas, o acesso e a permanência neste site poderão ser processados nos termos da lei francesa n.º 88-19 de 5 de janeiro de 1988 (chamada lei Godfrain), assim como as tentativas de falsear ou impedir o seu funcionamento.
caf-notice-commitment = Ao acessar este serviço, você se compromete a limitar o uso das informações a que tem acesso às missões e finalidades definidas no convênio assinado entre a Caf e seu organismo.
caf-notice-personal = Sua chefia lhe concedeu direitos de acesso **atribuídos a você pessoalmente**, que foram notificados ao gestor de autorizações da Caf. Para garantir a confidencialidade dos dados e evitar qualquer intrusão, **você nunca deve comunicar nem compartilhar seu identificador e sua senha**. Em caso de descumprimento, sua responsabilidade pessoal poderá ser apurada e o convênio rescindido.
caf-why-change-title = Por que alterar a senha?
caf-why-change = Por razões de segurança, lembre-se de alterar sua senha regularmente.
caf-personalise = Por razões de segurança, escolha agora uma senha sua.
caf-captcha-why-title = Para que serve?
caf-captcha-why = Este recurso nos ajuda a impedir que programas automáticos redefinam senhas.
caf-captcha-how = Digite o texto tal como aparece na imagem. Não coloque espaços entre as letras.
caf-identifier-from-admin = O identificador pode ser fornecido pelo administrador do seu organismo.
caf-temporary-copy = Digite seu identificador e a senha temporária recebida por e-mail (recomenda-se “copiar e colar” a senha).

## Ecolesoft (family portal)

ecolesoft-change-why = **Para melhorar a segurança do seu aplicativo, pedimos que você digite uma nova senha.**
ecolesoft-change-criteria = Escolha uma nova senha que cumpra os critérios seguintes:
ecolesoft-login-again = Depois de registrar a nova senha, entre novamente com a senha que acabou de criar.

## EFP Connect

efp-password-lead = Escolha sua nova senha. Ela deve cumprir os critérios indicados abaixo.
efp-no-access = **Bom saber:** se você não tem mais acesso ao e-mail associado ao seu identificador, terá de criar uma nova conta com um endereço de e-mail válido. As comunicações importantes passarão por esse e-mail.
