//! `passerelle check`: proves a configuration against the real parts before
//! a site goes live. One line per check; exit code 0 only when all pass.

use crate::config::Settings;
use crate::directory::identity::Identifier;
use crate::directory::{Directory, DirectoryPolicy};
use crate::policy::PolicyConfig;
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
    match directory.default_policy().await {
        Ok(policy) if policy.dn.is_empty() => {
            if !settings.ldap.default_policy_dn.trim().is_empty() {
                println!(
                    "warning: ldap.default_policy_dn `{}` is not a pwdPolicy entry the gateway can read: \
                     only [policy] is shown and checked for people without pwdPolicySubentry",
                    settings.ldap.default_policy_dn
                );
            }
        }
        Ok(policy) => {
            for line in policy_disagreements(&settings.policy, &policy) {
                println!("warning: {line}");
            }
        }
        Err(e) => report(Err(format!("reading the default password policy: {e}"))),
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

/// Each point where the site's `[policy]` and the directory's policy
/// `directory` say different things, one sentence each, naming both values
/// and what a person will meet (the effective rules of
/// [`crate::policy::PasswordPolicy::effective`]).
pub fn policy_disagreements(site: &PolicyConfig, directory: &DirectoryPolicy) -> Vec<String> {
    let positive = |n: Option<u32>| n.filter(|&n| n > 0);
    let dn = &directory.dn;
    let mut lines = Vec::new();
    let site_min = positive(site.min_length);
    let directory_min = directory.enforced_min_length();
    if site_min != directory_min {
        let shown = site_min.max(directory_min).unwrap_or(0);
        lines.push(format!(
            "policy.min_length is {}, pwdMinLength of {dn} is {}: people are asked for at least {shown} characters{}",
            site_min.unwrap_or(0),
            directory_min.unwrap_or(0),
            if directory_min < site_min {
                " by the gateway, fewer by other tools that write passwords"
            } else {
                ""
            }
        ));
    }
    let site_max = positive(site.max_length);
    let directory_max = directory.enforced_max_length();
    if site_max != directory_max {
        lines.push(format!(
            "policy.max_length is {}, pwdMaxLength of {dn} is {} (0 = none): the smaller one applies",
            site_max.unwrap_or(0),
            directory_max.unwrap_or(0)
        ));
    }
    if let (Some(max), Some(min)) = (site_max, directory_min) {
        if max < min {
            lines.push(format!(
                "policy.max_length ({max}) is below pwdMinLength of {dn} ({min}): no password could meet both; the directory's minimum wins"
            ));
        }
    }
    let site_history = positive(site.history).unwrap_or(0);
    if site_history != directory.in_history {
        lines.push(format!(
            "policy.history is {site_history}, pwdInHistory of {dn} is {}: the directory's number is shown and enforced",
            directory.in_history
        ));
    }
    lines
}

async fn relay_answers(settings: &Settings) -> anyhow::Result<()> {
    crate::mail::Mailer::build(&settings.mail, (&settings.site).into())?
        .check_relay()
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::QualityCheck;

    #[test]
    fn each_disagreement_is_one_line_and_agreement_is_silent() {
        let directory = DirectoryPolicy {
            dn: "cn=default,ou=policies,dc=univ-exemple,dc=fr".into(),
            min_length: 24,
            max_length: 64,
            in_history: 3,
            check_quality: QualityCheck::IfPossible,
            ..DirectoryPolicy::default()
        };
        let site = PolicyConfig {
            min_length: Some(8),
            max_length: Some(20),
            history: None,
            ..PolicyConfig::default()
        };
        let lines = policy_disagreements(&site, &directory);
        assert_eq!(lines.len(), 4, "{lines:#?}");
        assert!(lines[0].contains("pwdMinLength") && lines[0].contains("24"));
        assert!(lines[1].contains("pwdMaxLength"));
        assert!(lines[2].contains("no password could meet both"));
        assert!(lines[3].contains("pwdInHistory") && lines[3].contains('3'));
        let same = PolicyConfig {
            min_length: Some(24),
            max_length: Some(64),
            history: Some(3),
            ..PolicyConfig::default()
        };
        assert!(policy_disagreements(&same, &directory).is_empty());
    }
}
