//! `passerelle check`: proves a configuration against the real parts before
//! a site goes live. One line per check; exit code 0 only when all pass.

use crate::config::Settings;
use crate::directory::identity::Identifier;
use crate::directory::Directory;
use std::process::ExitCode;

/// Prints `ok: …`, `warning: …` or `error: …` lines and returns the exit code.
pub async fn run(settings: &Settings) -> ExitCode {
    let mut failed = false;
    let mut report = |ok: Result<String, String>| match ok {
        Ok(line) => println!("ok: {line}"),
        Err(line) => {
            failed = true;
            println!("error: {line}");
        }
    };
    report(Ok("the configuration is valid".into()));

    match settings.resolve_secrets() {
        Ok(secrets) => match Directory::new(&settings.ldap, secrets.bind_password) {
            Ok(directory) => check_directory(settings, &directory, &mut report).await,
            Err(e) => report(Err(format!("directory: {e}"))),
        },
        Err(e) => report(Err(format!("secrets: {e}"))),
    }

    match settings.mail.transport {
        crate::mail::MailTransportKind::Smtp => match relay_answers(settings).await {
            Ok(()) => report(Ok(format!(
                "the mail relay {}:{} answers",
                settings.mail.host,
                settings.mail.smtp_port()
            ))),
            Err(e) => report(Err(format!("mail relay: {e:#}"))),
        },
        crate::mail::MailTransportKind::File => report(Ok(format!(
            "mail is written to {}",
            settings.mail.directory.display()
        ))),
        crate::mail::MailTransportKind::None => {
            println!("warning: mail is disabled ([mail] transport = \"none\")")
        }
    }

    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

async fn check_directory(
    settings: &Settings,
    directory: &Directory,
    report: &mut impl FnMut(Result<String, String>),
) {
    match directory.root_dse().await {
        Ok(root) => {
            report(Ok(format!(
                "bound to {} as {}",
                settings.ldap.urls.join(", "),
                settings.ldap.bind_dn
            )));
            if !root.supports_ppolicy {
                println!(
                    "warning: the directory does not advertise the password-policy control: \
                     history and lockout will not be enforced or explained"
                );
            }
            if !root.supports_assertion {
                println!(
                    "warning: the directory does not advertise the assertion control \
                     (1.3.6.1.1.12): self-service state updates will be refused"
                );
            }
        }
        Err(e) => {
            report(Err(format!("directory: {e}")));
            return;
        }
    }
    if let Some(identifier) = &settings.check.test_identifier {
        let found = match Identifier::parse(identifier) {
            Some(id) => directory.find_person(&id).await,
            None => Ok(None),
        };
        match found {
            Ok(Some(person)) => report(Ok(format!("`{identifier}` is {}", person.dn))),
            Ok(None) => report(Err(format!(
                "`check.test_identifier` `{identifier}` finds nobody under {}",
                settings.ldap.base_dn
            ))),
            Err(e) => report(Err(format!("searching `{identifier}`: {e}"))),
        }
    }
}

async fn relay_answers(settings: &Settings) -> anyhow::Result<()> {
    crate::mail::Mailer::build(&settings.mail, (&settings.site).into())?
        .check_relay()
        .await
}
