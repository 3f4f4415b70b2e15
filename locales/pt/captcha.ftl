# The built-in captcha (no third-party service): image, audio, new code.
# The recorded voice exists in French and English only: a Portuguese page
# plays the English letters, and its link says so.
captcha-label = Código de segurança
captcha-instruction = Copie o código de segurança (formado por algarismos e letras)
captcha-help = Para mostrar um novo código ou ouvir o código, use os links abaixo da imagem.
captcha-case-sensitive = Respeite as maiúsculas e as minúsculas. Não coloque espaços entre os caracteres.
captcha-case-insensitive = Maiúsculas ou minúsculas, tanto faz. Não coloque espaços entre os caracteres.
captcha-image-alt = Código de segurança de { $length } caracteres a copiar, numa imagem distorcida. Se não conseguir lê-lo, use “Ouvir o código (em inglês)”.
captcha-listen = Ouvir o código (em inglês)
captcha-listen-fallback = Baixar o código em áudio (WAV, em inglês)
captcha-new = Novo código
captcha-why = O código de segurança impede que programas automáticos redefinam senhas.
captcha-failed = A verificação do texto falhou.
captcha-needed = Copie o texto da imagem (ou ouça-o) para continuar.
