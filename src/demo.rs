//! `passerelle demo`: the embedded default a newcomer runs first. A real
//! slapd from `config/ldap` with the demo people on a free port, the gateway
//! on 127.0.0.1, mail written to a folder of `.eml` files, and the people a
//! visitor can try printed on the terminal. Ctrl-C stops everything and the
//! throwaway directory is removed.
//!
//! Without a preset every flow is on (a tour of the five seed systems'
//! ways). `passerelle demo --preset NAME` runs as that seed system instead:
//! the preset's flows, rules, captcha and texts, the people reached the way
//! its seed reaches them (addresses for EFP and the CAF, family numbers for
//! Ecolesoft), and what to type printed for it.

use crate::config::Settings;
use crate::mail::MailTransportKind;
use crate::secret_answer::AnswerHasher;
use crate::slapd::{People, Slapd, PEOPLE_DN, SERVICE_PASSWORD};
use crate::web::MAIL_FLUSH;
use anyhow::Context;
use rand::distributions::{Alphanumeric, DistString};
use secrecy::SecretString;
use std::path::PathBuf;

/// The table of demo people, single source shared with `config/ldap`.
const DEMO_PEOPLE: &str = include_str!("../config/ldap/demo-people.md");

/// One row of the demo people table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoPerson {
    pub login: String,
    pub student_number: String,
    pub staff_number: String,
    pub birth_date: String,
    pub password: String,
    pub question: Option<(String, String)>,
    pub notes: String,
}

impl DemoPerson {
    /// A newcomer IT created for « Activer mon compte »: no password yet,
    /// marked `passerelleActivationPending: TRUE` in the demo directory.
    pub fn is_to_activate(&self) -> bool {
        self.password.is_empty()
    }
}

/// The demo people as `config/ldap/demo-people.md` lists them.
pub fn demo_people() -> Vec<DemoPerson> {
    DEMO_PEOPLE
        .lines()
        .filter(|line| line.starts_with("| ") && !line.starts_with("| login"))
        .filter_map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
            if cells.len() < 9 {
                return None;
            }
            let question = cells[7]
                .split_once(" / ")
                .map(|(q, a)| (q.trim().to_owned(), a.trim().to_owned()));
            Some(DemoPerson {
                login: cells[0].to_owned(),
                student_number: cells[1].to_owned(),
                staff_number: cells[3].to_owned(),
                birth_date: cells[4].to_owned(),
                password: cells[5].trim_matches('`').to_owned(),
                question,
                notes: cells[8].to_owned(),
            })
        })
        .collect()
}

/// Ecolesoft's family numbers (15 digits, as in its seed's mail) given to
/// a few demo people when the demo runs as `ecolesoft`, in
/// `employeeNumber`: `(login, family number)`.
pub const FAMILY_NUMBERS: [(&str, &str); 4] = [
    ("jdupont", "123456780123001"),
    ("mlefevre", "123456780123002"),
    ("jbernard", "123456780123003"),
    ("prichard", "123456780123004"),
];

/// The help-desk agents of the demo directory, with their password and
/// profile (config/ldap/demo-people.md, "Help-desk agents").
pub const DEMO_AGENTS: [(&str, &str, &str); 2] = [
    ("asupport", "Guichet-Bleu-2025", "it"),
    ("blambert", "Registre-Vert-2025", "scolarite-sciences"),
];

/// The demo's help desk: the IT desk (every person, every action) and the
/// science faculty's student office (its students), whose groups the demo
/// directory holds; writes as the agent, so that the H rules of
/// config/ldap decide them again. The reset actions are those whose pages
/// `flows` turns on.
pub fn demo_helpdesk(flows: &crate::config::FlowSettings) -> crate::config::HelpdeskSettings {
    use crate::config::{
        DeskAction, HelpdeskProfile, HelpdeskSettings, VerificationMethod, WriteAs,
    };
    let change = flows.temporary || flows.account;
    let possible = |action: &DeskAction| match action {
        DeskAction::SendCode => flows.code,
        DeskAction::SendTemporary | DeskAction::TemporaryOnScreen => change,
        _ => true,
    };
    let sciences = [
        DeskAction::Unlock,
        DeskAction::Unfreeze,
        DeskAction::SendCode,
        DeskAction::SendTemporary,
        DeskAction::TemporaryOnScreen,
        DeskAction::ListStopped,
    ];
    HelpdeskSettings {
        profiles: vec![
            HelpdeskProfile {
                name: "it".into(),
                group: "cn=helpdesk-it,ou=groups,dc=univ-exemple,dc=fr".into(),
                scope: "(objectClass=supannPerson)".into(),
                actions: DeskAction::ALL.into_iter().filter(possible).collect(),
                verification: VerificationMethod::ALL.to_vec(),
            },
            HelpdeskProfile {
                name: "scolarite-sciences".into(),
                group: "cn=helpdesk-sciences,ou=groups,dc=univ-exemple,dc=fr".into(),
                scope: "(&(eduPersonAffiliation=student)(departmentNumber=SCI))".into(),
                actions: sciences.into_iter().filter(possible).collect(),
                verification: vec![VerificationMethod::InPerson, VerificationMethod::Identity],
            },
        ],
        write_as: WriteAs::Agent,
        ..HelpdeskSettings::default()
    }
}

/// The settings of the demo: everything on loopback, throwaway keys.
pub fn demo_settings(port: u16, ldap_url: String, outbox: PathBuf) -> Settings {
    let mut settings = Settings::default();
    settings.site.name = "Sésame (démo Passerelle)".into();
    // Every flow, so a visitor can try each seed system's way of resetting.
    settings.flows.code = true;
    settings.flows.temporary = true;
    // And the SMS of issue 21, written to the outbox (`on_loopback`): a
    // code by SMS, the code flow's choice, recovery data verified by code.
    settings.flows.sms = true;
    settings.flows.code_sms = true;
    settings.flows.activation_asks = vec![
        passerelle_domain::settings::Channel::Mail,
        passerelle_domain::settings::Channel::Mobile,
    ];
    settings.site.services = vec![
        "Wi-Fi eduroam".into(),
        "CAS".into(),
        "Impression (PaperCut)".into(),
        "Messagerie".into(),
    ];
    on_loopback(settings, port, ldap_url, outbox)
}

/// The settings of the demo run as `preset`: the preset over the built-in
/// defaults, then the demo's directory, keys and mail folder. People type
/// what the seed asks for: an address (EFP, CAF), a family number
/// (Ecolesoft), a personal number (UPHF).
pub fn preset_demo_settings(
    preset: &str,
    port: u16,
    ldap_url: String,
    outbox: PathBuf,
) -> anyhow::Result<Settings> {
    let mut settings = Settings::from_figment(crate::config::preset_figment(preset)?)?;
    settings.site.name = format!("{} (démo Passerelle)", settings.site.name);
    match settings.preset.as_deref() {
        // The professional address is the identifier, and where mail goes.
        Some("efp" | "caf-services") => {
            settings.ldap.recovery_mail_attributes = vec!["mail".into()];
        }
        Some("caf-partenaires") => {
            settings.ldap.identifier_attributes = vec!["uid".into()];
            settings.ldap.recovery_mail_attributes = vec!["mail".into()];
        }
        Some("ecolesoft") => {
            settings.ldap.identifier_attributes = vec!["employeeNumber".into()];
            settings.ldap.recovery_mail_attributes = vec!["supannMailPerso".into()];
        }
        _ => {}
    }
    Ok(on_loopback(settings, port, ldap_url, outbox))
}

fn on_loopback(mut settings: Settings, port: u16, ldap_url: String, outbox: PathBuf) -> Settings {
    let random = || SecretString::from(Alphanumeric.sample_string(&mut rand::thread_rng(), 48));
    settings.helpdesk = demo_helpdesk(&settings.flows);
    settings.server.listen = format!("127.0.0.1:{port}");
    settings.server.public_url = format!("http://127.0.0.1:{port}");
    // The demo is plain http on loopback: a Secure cookie would never come back.
    settings.server.secure_cookies = false;
    // One visitor on loopback tries every flow and its errors, in two
    // languages, within a minute or two: the per-address limit of a real
    // site (20 a minute) would stop the tour, not a robot.
    settings.server.rate_limit_per_minute = 120;
    settings.server.rate_limit_burst = 60;
    // The demo's pages are on loopback already: /metrics among them, and no
    // second port that two demos (or a real gateway) would fight over.
    settings.metrics.listen = String::new();
    settings.metrics.public = true;
    settings.ldap.urls = vec![ldap_url];
    settings.ldap.bind_password = Some(SecretString::from(SERVICE_PASSWORD));
    settings.mail.transport = MailTransportKind::File;
    // The audit trail beside the mails, where `passerelle audit` can read it.
    settings.audit.output = crate::config::AuditOutput::File;
    settings.audit.file = Some(outbox.join("audit.jsonl"));
    settings.audit.replica = Some("demo".into());
    // SMS go to a folder of their own beside the mails, whatever the
    // preset: a demo never reaches an SMS gateway.
    settings.sms.transport = passerelle_sms::SmsTransportKind::File;
    settings.sms.directory = outbox.join("sms");
    settings.mail.directory = outbox;
    settings.mail.announce_files = true;
    settings.secrets.cookie_key = Some(random());
    settings.secrets.code_key = Some(random());
    settings.secrets.answer_pepper = Some(random());
    keys_from_environment(&mut settings, |name| std::env::var(name).ok());
    settings
}

/// The demo's keys are random, unless `PASSERELLE_SECRETS__COOKIE_KEY` or
/// `PASSERELLE_SECRETS__CODE_KEY` (the names `serve` reads) give them: the
/// browser suite (`tests/browser/`) sets both, so that it can read the
/// captcha it must type from the flow cookie, as the Rust tests do.
fn keys_from_environment(settings: &mut Settings, var: impl Fn(&str) -> Option<String>) {
    if let Some(key) = var("PASSERELLE_SECRETS__COOKIE_KEY").filter(|k| !k.is_empty()) {
        settings.secrets.cookie_key = Some(SecretString::from(key));
    }
    if let Some(key) = var("PASSERELLE_SECRETS__CODE_KEY").filter(|k| !k.is_empty()) {
        settings.secrets.code_key = Some(SecretString::from(key));
    }
}

fn birth_date_for_people(yyyymmdd: &str) -> String {
    if yyyymmdd.len() == 8 {
        format!(
            "{}/{}/{}",
            &yyyymmdd[6..8],
            &yyyymmdd[4..6],
            &yyyymmdd[0..4]
        )
    } else {
        yyyymmdd.to_owned()
    }
}

/// Stores the hash of each demo person's suggested answer, with this run's
/// pepper, as IT would with `passerelle hash-answer` and ldapmodify.
async fn seed_answers(
    slapd: &Slapd,
    hasher: &AnswerHasher,
    people: &[DemoPerson],
) -> anyhow::Result<()> {
    for person in people {
        if let Some((_, answer)) = &person.question {
            let hash = hasher.hash(&SecretString::from(answer.clone())).await?;
            slapd.modify_ldif(&format!(
                "dn: uid={},{PEOPLE_DN}\nchangetype: modify\nreplace: passerelleAnswerHash\npasserelleAnswerHash: {hash}\n",
                person.login
            ))?;
        }
    }
    Ok(())
}

/// `config/breached-sample.txt`, built into the binary, in a temporary
/// file the demo's policy searches.
fn breached_sample() -> std::io::Result<tempfile::NamedTempFile> {
    use std::io::Write;
    let mut file = tempfile::NamedTempFile::new()?;
    file.write_all(include_bytes!("../config/breached-sample.txt"))?;
    file.flush()?;
    Ok(file)
}

/// Gives the demo people of [`FAMILY_NUMBERS`] their family number.
fn seed_family_numbers(slapd: &Slapd) -> anyhow::Result<()> {
    for (login, number) in FAMILY_NUMBERS {
        slapd.modify_ldif(&format!(
            "dn: uid={login},{PEOPLE_DN}\nchangetype: modify\nreplace: employeeNumber\nemployeeNumber: {number}\n"
        ))?;
    }
    Ok(())
}

/// Prints who to try and what to type when the demo runs as `preset`.
fn print_preset_people(preset: &str, people: &[DemoPerson]) {
    let address = |login: &str| format!("{login}@univ-exemple.fr");
    let with_samba: Vec<&DemoPerson> = people
        .iter()
        .filter(|p| p.notes.is_empty())
        .take(4)
        .collect();
    match preset {
        "ecolesoft" => {
            println!("Families to try at /temporary (numéro de la famille; the mail lands in the outbox):");
            for (login, number) in FAMILY_NUMBERS {
                let person = people.iter().find(|p| p.login == login);
                println!(
                    "  {number}  ({login}, current password {})",
                    person.map_or("", |p| p.password.as_str())
                );
            }
            println!("Then sign in at /change with the family number and the temporary password.");
        }
        "efp" => {
            println!("People to try at /code (Identifiant: e-mail professionnel):");
            for person in with_samba {
                println!("  {:<28} ({})", address(&person.login), person.login);
            }
        }
        "caf-services" | "caf-partenaires" => {
            let typed = if preset == "caf-services" {
                "adresse e-mail"
            } else {
                "identifiant"
            };
            println!("Agents to try at /temporary ({typed}, current password):");
            for person in with_samba {
                let login = if preset == "caf-services" {
                    address(&person.login)
                } else {
                    person.login.clone()
                };
                println!("  {login:<28} {}", person.password);
            }
            println!("Then sign in at /change with the same login and the temporary password.");
        }
        _ => print_uphf_people(people),
    }
}

fn print_uphf_people(people: &[DemoPerson]) {
    println!("People to try (Numéro personnel, Date de naissance, question → réponse):");
    for person in people.iter().filter(|p| p.question.is_some()) {
        let (question, answer) = person.question.clone().unwrap_or_default();
        let number = if person.student_number.is_empty() {
            &person.staff_number
        } else {
            &person.student_number
        };
        println!(
            "  {:<10} n° {:<9} né(e) le {}  « {} » → {}",
            person.login,
            number,
            birth_date_for_people(&person.birth_date),
            question,
            answer
        );
    }
    println!("Newcomers to activate at /activate (Numéro personnel, Date de naissance):");
    for person in people.iter().filter(|p| p.is_to_activate()) {
        let number = if person.student_number.is_empty() {
            &person.staff_number
        } else {
            &person.student_number
        };
        println!(
            "  {:<10} n° {:<9} né(e) le {}",
            person.login,
            number,
            birth_date_for_people(&person.birth_date)
        );
    }
}

/// Prints the help desk's agents.
fn print_agents() {
    println!("Help-desk agents at /helpdesk (reached from no public page):");
    for (login, password, profile) in DEMO_AGENTS {
        let scope = if profile == "it" {
            "every person"
        } else {
            "science students (departmentNumber SCI) only"
        };
        println!("  {login:<10} {password:<20} profile {profile}: {scope}");
    }
}

/// Runs the demo, as the seed system `preset` when one is named.
pub async fn run(port: u16, outbox: PathBuf, preset: Option<String>) -> anyhow::Result<()> {
    if let Some(name) = &preset {
        // An unknown name is refused before anything starts.
        crate::config::preset_figment(name)?;
    }
    // Refuse a busy port before starting anything, with a useful message.
    // Port 0 takes a free one, and the pages' own address (`public_url`,
    // which forms must come from and mails link to) names that port.
    let port = std::net::TcpListener::bind(("127.0.0.1", port))
        .and_then(|probe| probe.local_addr())
        .with_context(|| format!("port {port} is in use: try `scripts/demo --port 9000`"))?
        .port();
    std::fs::create_dir_all(&outbox)
        .with_context(|| format!("cannot create the outbox {}", outbox.display()))?;

    let slapd = tokio::task::spawn_blocking(|| Slapd::start(People::Demo))
        .await
        .context("starting slapd")??;
    let mut settings = match &preset {
        Some(name) => preset_demo_settings(name, port, slapd.url(), outbox.clone())?,
        None => demo_settings(port, slapd.url(), outbox.clone()),
    };
    // The sample list of breached passwords (config/breached-sample.txt),
    // so a visitor sees "Motdepasse2024!" refused; removed on exit.
    let breached = breached_sample().context("writing the breached-password sample")?;
    settings.policy.breached_hashes_file = Some(breached.path().to_owned());
    crate::telemetry::init(&settings.log);
    let secrets = settings.resolve_secrets()?;
    let people = demo_people();
    // Its work area is released once the answers are seeded.
    let hasher = AnswerHasher::new(&secrets.answer_pepper, 1)?;
    seed_answers(&slapd, &hasher, &people).await?;
    drop(hasher);
    if preset.as_deref() == Some("ecolesoft") {
        seed_family_numbers(&slapd)?;
    }

    // The spool is as throwaway as the directory its codes are for.
    let spool = tempfile::Builder::new()
        .prefix("passerelle-demo-spool-")
        .tempdir()
        .context("creating the demo's mail spool")?;
    settings.mail.spool_directory = spool.path().to_owned();
    let mailer = crate::assemble::site_mailer(&settings, &secrets)?;
    let printed_settings = settings.clone();
    let application = crate::web::Application::build(settings, secrets, mailer.clone()).await?;
    println!(
        "Passerelle demo directory: {} (throwaway, removed on exit)",
        slapd.url()
    );
    println!("Mail is written to {}/", outbox.display());
    println!(
        "SMS are written to {}/ (people with a mobile: config/ldap/demo-people.md)",
        outbox.join("sms").display()
    );
    println!(
        "The audit trail to {}: `passerelle audit --account LOGIN {}`",
        outbox.join("audit.jsonl").display(),
        outbox.join("audit.jsonl").display()
    );
    if let Some(name) = &preset {
        println!(
            "Running as the preset \"{name}\" (config/presets/{name}.toml): {}",
            printed_settings.site.name
        );
    }
    println!();
    match &preset {
        Some(name) => print_preset_people(name, &people),
        None => print_uphf_people(&people),
    }
    print_agents();
    println!(
        "  (all {} demo people: config/ldap/demo-people.md)",
        people.len()
    );
    println!();
    println!(
        "Passerelle demo: http://127.0.0.1:{}/   (Ctrl-C to stop)",
        application.port()
    );
    let outcome = application.run_until_stopped().await;
    mailer.flush(MAIL_FLUSH).await;
    drop(mailer);
    drop(slapd);
    drop(breached);
    drop(spool);
    println!("Passerelle demo stopped; the demo directory is removed.");
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_people_table_lists_people_with_questions() {
        let people = demo_people();
        assert!(people.len() >= 20, "{}", people.len());
        let jdupont = people.iter().find(|p| p.login == "jdupont").unwrap();
        assert_eq!(jdupont.student_number, "22301001");
        assert_eq!(jdupont.question.as_ref().unwrap().1, "Médor");
        assert!(people.iter().filter(|p| p.question.is_some()).count() >= 3);
        let newcomers: Vec<&str> = people
            .iter()
            .filter(|p| p.is_to_activate())
            .map(|p| p.login.as_str())
            .collect();
        assert_eq!(newcomers, ["nnouveau", "aarrivee"]);
    }

    #[test]
    fn the_demo_settings_are_valid() {
        let settings = demo_settings(8080, "ldap://127.0.0.1:3890".into(), "outbox".into());
        settings.validate().unwrap();
        assert_eq!(
            settings.helpdesk.profiles.len(),
            2,
            "the demo has a help desk"
        );
        let agents: Vec<&str> = DEMO_AGENTS.iter().map(|(login, _, _)| *login).collect();
        for login in agents {
            assert!(
                demo_people().iter().any(|p| p.login == login),
                "{login} is a demo person"
            );
        }
        settings.resolve_secrets().unwrap();
        assert_eq!(birth_date_for_people("20030412"), "12/04/2003");
        assert!(settings.flows.sms && settings.flows.code_sms);
        assert_eq!(settings.sms.directory, PathBuf::from("outbox/sms"));
    }

    #[test]
    fn each_preset_demo_runs_its_seed_flows_only() {
        for (name, _) in crate::config::PRESETS {
            let settings =
                preset_demo_settings(name, 8080, "ldap://127.0.0.1:3890".into(), "o".into())
                    .unwrap();
            settings.validate().unwrap();
            settings.resolve_secrets().unwrap();
            assert_eq!(settings.preset.as_deref(), Some(name));
            let flows = &settings.flows;
            assert_eq!(flows.code, name == "efp", "{name}");
            assert_eq!(
                flows.temporary,
                name.starts_with("caf") || name == "ecolesoft"
            );
            assert_eq!(flows.recover, name == "uphf", "{name}");
        }
        assert!(preset_demo_settings("sesame", 1, "ldap://x".into(), "o".into()).is_err());
    }

    #[test]
    fn the_demo_keys_come_from_the_environment_when_it_gives_them() {
        use secrecy::ExposeSecret;
        let mut settings = demo_settings(8080, "ldap://127.0.0.1:3890".into(), "outbox".into());
        let random = settings.secrets.code_key.clone().unwrap();
        keys_from_environment(&mut settings, |name| {
            (name == "PASSERELLE_SECRETS__COOKIE_KEY").then(|| "c".repeat(40))
        });
        let secrets = settings.resolve_secrets().unwrap();
        assert_eq!(secrets.cookie_key.expose_secret(), &"c".repeat(40));
        assert_eq!(secrets.code_key.expose_secret(), random.expose_secret());
    }
}
