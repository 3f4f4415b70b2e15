//! `passerelle demo`: the embedded default a newcomer runs first. A real
//! slapd from `config/ldap` with the demo people on a free port, the gateway
//! on 127.0.0.1, mail written to a folder of `.eml` files, and the people a
//! visitor can try printed on the terminal. Ctrl-C stops everything and the
//! throwaway directory is removed.

use crate::config::Settings;
use crate::mail::{MailTransportKind, Mailer};
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

/// The settings of the demo: everything on loopback, throwaway keys.
pub fn demo_settings(port: u16, ldap_url: String, outbox: PathBuf) -> Settings {
    let random = || SecretString::from(Alphanumeric.sample_string(&mut rand::thread_rng(), 48));
    let mut settings = Settings::default();
    settings.server.listen = format!("127.0.0.1:{port}");
    settings.server.public_url = format!("http://127.0.0.1:{port}");
    // The demo is plain http on loopback: a Secure cookie would never come back.
    settings.server.secure_cookies = false;
    settings.site.name = "Sésame (démo Passerelle)".into();
    settings.ldap.urls = vec![ldap_url];
    settings.ldap.bind_password = Some(SecretString::from(SERVICE_PASSWORD));
    // Every flow, so a visitor can try each seed system's way of resetting.
    settings.flows.code = true;
    settings.flows.temporary = true;
    settings.mail.transport = MailTransportKind::File;
    settings.mail.directory = outbox;
    settings.mail.announce_files = true;
    settings.secrets.cookie_key = Some(random());
    settings.secrets.code_key = Some(random());
    settings.secrets.answer_pepper = Some(random());
    settings
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

pub async fn run(port: u16, outbox: PathBuf) -> anyhow::Result<()> {
    // Refuse a busy port before starting anything, with a useful message.
    std::net::TcpListener::bind(("127.0.0.1", port))
        .with_context(|| format!("port {port} is in use: try `scripts/demo --port 9000`"))?;
    std::fs::create_dir_all(&outbox)
        .with_context(|| format!("cannot create the outbox {}", outbox.display()))?;

    let slapd = tokio::task::spawn_blocking(|| Slapd::start(People::Demo))
        .await
        .context("starting slapd")??;
    let mut settings = demo_settings(port, slapd.url(), outbox.clone());
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

    let mailer = Mailer::build(&settings.mail, (&settings.site).into())?;
    let application = crate::web::Application::build(settings, secrets, mailer.clone()).await?;
    println!(
        "Passerelle demo directory: {} (throwaway, removed on exit)",
        slapd.url()
    );
    println!("Mail is written to {}/", outbox.display());
    println!();
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
    drop(slapd);
    drop(breached);
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
    }

    #[test]
    fn the_demo_settings_are_valid() {
        let settings = demo_settings(8080, "ldap://127.0.0.1:3890".into(), "outbox".into());
        settings.validate().unwrap();
        settings.resolve_secrets().unwrap();
        assert_eq!(birth_date_for_people("20030412"), "12/04/2003");
    }
}
