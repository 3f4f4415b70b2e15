//! The breach sweep (`passerelle breach-sweep`, issue 23) against the real
//! slapd of `config/ldap`, a generated breach list and the SMTP sink: who is
//! found (and who is not: a password not listed, an account without NT
//! hash), what the report says (counts only, never a hash nor a name),
//! what `--notify` does (a mail with the reset link, `pwdReset` where the
//! site asks for it, nothing but a record for a person without an address,
//! once per list version and password: a second run sends nothing), and
//! what the sweep's two accounts may and may not do in the directory.

use crate::app::{self, spawn_app_with, TestApp, MAIL_WAIT};
use crate::directory_support::StateOps;
use ldap3::{LdapConnAsync, Mod, Scope, SearchEntry};
use passerelle::breach_sweep::{run, SweepReport};
use passerelle::config::Settings;
use passerelle::mail::{MailBranding, Mailer};
use passerelle::slapd::{
    person_ldif, TestPerson, BREACH_NOTICE_DN, BREACH_NOTICE_PASSWORD, BREACH_SWEEP_DN,
    BREACH_SWEEP_PASSWORD, PEOPLE_DN,
};
use secrecy::SecretString;
use std::collections::HashSet;
use std::path::Path;
use std::time::Duration;

const BREACHED: &str = "Motdepasse2024!";
const ALSO_BREACHED: &str = "Universite2024!";
const NOT_BREACHED: &str = "Hetre-Pourpre-Sous-La-Pluie-71";
const INSUFFICIENT_ACCESS: u32 = 50;

/// Who the test directory holds: login -> (password, recovery address,
/// NT hash?, institutional address?).
struct Someone {
    uid: &'static str,
    password: &'static str,
    recovery: bool,
    samba: bool,
    institutional: bool,
}

const PEOPLE: [Someone; 5] = [
    // Found, mailed at their recovery address.
    Someone {
        uid: "sweep.trouvee",
        password: BREACHED,
        recovery: true,
        samba: true,
        institutional: true,
    },
    // Found too (another breached password), mailed.
    Someone {
        uid: "sweep.aussi",
        password: ALSO_BREACHED,
        recovery: true,
        samba: true,
        institutional: true,
    },
    // Found, but no address at all: recorded and marked, not mailed.
    Someone {
        uid: "sweep.sansadresse",
        password: BREACHED,
        recovery: false,
        samba: true,
        institutional: false,
    },
    // Not in the list.
    Someone {
        uid: "sweep.sauve",
        password: NOT_BREACHED,
        recovery: true,
        samba: true,
        institutional: true,
    },
    // No NT hash: nothing to compare (the same breached password in
    // userPassword only).
    Someone {
        uid: "sweep.sanshash",
        password: BREACHED,
        recovery: true,
        samba: false,
        institutional: true,
    },
];

fn dn(uid: &str) -> String {
    format!("uid={uid},{PEOPLE_DN}")
}

fn recovery(uid: &str) -> String {
    format!("{uid}@perso.example.org")
}

async fn add_people(app: &TestApp) {
    let slapd = app.slapd.lock().expect("slapd");
    for someone in &PEOPLE {
        let person = TestPerson {
            password: someone.password.into(),
            recovery_mail: someone.recovery.then(|| recovery(someone.uid)),
            samba: someone.samba,
            ..TestPerson::default()
        };
        let mut ldif = person_ldif(someone.uid, &person);
        if !someone.institutional {
            ldif = ldif
                .lines()
                .filter(|line| !line.starts_with("mail:"))
                .map(|line| format!("{line}\n"))
                .collect();
        }
        slapd.add_ldif(&ldif).expect("a person is added");
    }
}

/// The breach list: the NT hashes of the two breached passwords among
/// 5,000 others, sorted, as Have I Been Pwned ships it (`HASH:COUNT`, CRLF).
fn write_list(path: &Path) -> Vec<String> {
    let mut hashes: Vec<String> = [BREACHED, ALSO_BREACHED]
        .iter()
        .map(|p| passerelle::directory::nthash::nt_hash(&SecretString::from(*p)))
        .collect();
    let mut state = 0x9E37_79B9_7F4A_7C15_u128;
    for _ in 0..5_000 {
        state = state
            .wrapping_mul(0x2545_F491_4F6C_DD1D_6A09_E667_F3BC_C909)
            .wrapping_add(1);
        hashes.push(format!("{state:032X}"));
    }
    hashes.sort();
    let text: String = hashes
        .iter()
        .enumerate()
        .map(|(i, hash)| format!("{hash}:{}\r\n", i % 97 + 1))
        .collect();
    std::fs::write(path, text).expect("the list is written");
    hashes
}

/// The sweep's settings on `app`'s directory, with the list in `dir`.
fn sweep_settings(app: &TestApp, dir: &Path) -> Settings {
    let mut settings = app.settings.clone();
    settings.flows.code = true;
    let sweep = &mut settings.breach_sweep;
    sweep.hashes_file = Some(dir.join("pwned-ntlm.txt"));
    sweep.reader_bind_password = Some(SecretString::from(BREACH_SWEEP_PASSWORD));
    sweep.notice_bind_password = Some(SecretString::from(BREACH_NOTICE_PASSWORD));
    sweep.force_change = true;
    sweep.list_version = Some("hibp-test-1".into());
    settings
}

fn view(app: &TestApp, uid: &str, attr: &str) -> Vec<String> {
    app.admin_view(&dn(uid), &[attr])
        .into_iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(attr))
        .map(|(_, values)| values)
        .unwrap_or_default()
}

fn nothing_secret_in(report: &SweepReport, hashes: &[String]) {
    let text = report.lines().join("\n");
    for hash in hashes {
        assert!(
            !text.contains(hash.as_str()),
            "a hash in the report: {text}"
        );
    }
    for someone in &PEOPLE {
        assert!(!text.contains(someone.uid), "a name in the report: {text}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_sweep_finds_the_breached_passwords_in_use_and_notifies_each_person_once() {
    let app = spawn_app_with(|s| s.flows.code = true).await;
    add_people(&app).await;
    let dir = tempfile::tempdir().expect("dir");
    let hashes = write_list(&dir.path().join("pwned-ntlm.txt"));
    let settings = sweep_settings(&app, dir.path());

    // A report alone: counts, nothing written, nobody mailed.
    let report = run(&settings, None, chrono::Utc::now())
        .await
        .expect("the sweep runs");
    println!("{}", report.lines().join("\n"));
    assert_eq!(
        (
            report.accounts,
            report.with_nt_hash,
            report.without_nt_hash,
            report.found
        ),
        (5, 4, 1, 3),
        "{report:?}"
    );
    assert_eq!(report.list_hashes, 5_002);
    assert_eq!(report.list_version, "hibp-test-1");
    assert!(report.notices.is_none());
    nothing_secret_in(&report, &hashes);
    assert!(view(&app, "sweep.trouvee", "pwdReset").is_empty());
    assert!(view(&app, "sweep.trouvee", "passerelleBreachNotice").is_empty());

    // --notify: mailed, marked, recorded.
    let mailer = Mailer::build(&settings.mail, MailBranding::from(&settings.site)).expect("mailer");
    let report = run(&settings, Some(&mailer), chrono::Utc::now())
        .await
        .expect("the sweep notifies");
    assert!(mailer.flush(Duration::from_secs(15)).await);
    println!("{}", report.lines().join("\n"));
    nothing_secret_in(&report, &hashes);
    let notices = report.notices.clone().expect("notices");
    assert_eq!(
        (
            notices.recorded,
            notices.mailed,
            notices.no_address,
            notices.marked_for_change
        ),
        (3, 2, 1, 3),
        "{notices:?}"
    );
    assert_eq!(notices.errors, 0);
    for uid in ["sweep.trouvee", "sweep.aussi"] {
        let mail = app.smtp.wait_for_mail(&recovery(uid), MAIL_WAIT).await;
        assert!(
            mail.subject().contains("mots de passe divulgués"),
            "{}",
            mail.subject()
        );
        let text = mail.text_body();
        assert!(
            text.contains(&format!("{}/code", settings.server.public_url)),
            "{text}"
        );
        assert!(text.contains(uid), "{text}");
        assert!(text.contains("il vous sera demandé"), "{text}");
        for hash in &hashes {
            assert!(!text.contains(hash.as_str()));
        }
    }
    for uid in ["sweep.trouvee", "sweep.aussi", "sweep.sansadresse"] {
        assert_eq!(view(&app, uid, "pwdReset"), ["TRUE"], "{uid}");
        let notice = view(&app, uid, "passerelleBreachNotice");
        assert_eq!(notice.len(), 1, "{uid}");
        assert!(notice[0].starts_with("hibp-test-1 "), "{notice:?}");
    }
    for uid in ["sweep.sauve", "sweep.sanshash"] {
        assert!(view(&app, uid, "pwdReset").is_empty(), "{uid}");
        assert!(
            view(&app, uid, "passerelleBreachNotice").is_empty(),
            "{uid}"
        );
        assert!(app.smtp.mails_to(&recovery(uid)).is_empty(), "{uid}");
    }

    // The same list again: nobody is told twice.
    let again = run(&settings, Some(&mailer), chrono::Utc::now())
        .await
        .expect("the sweep runs again");
    assert!(mailer.flush(Duration::from_secs(15)).await);
    let notices = again.notices.expect("notices");
    assert_eq!(
        (notices.recorded, notices.already_notified),
        (0, 3),
        "{notices:?}"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    for uid in ["sweep.trouvee", "sweep.aussi"] {
        assert_eq!(app.smtp.mails_to(&recovery(uid)).len(), 1, "{uid}");
    }

    // A person who chose a new password through the gateway is no longer
    // found, and the write lifted the forced change.
    let directory = app.directory();
    let entry = directory
        .read_person(&dn("sweep.trouvee"))
        .await
        .unwrap()
        .unwrap();
    directory
        .write_password(
            &entry,
            &SecretString::from(app::NEW_PASSWORD),
            passerelle::directory::WriteKind::Chosen,
        )
        .await
        .expect("the gateway writes a new password");
    assert!(view(&app, "sweep.trouvee", "pwdReset").is_empty());
    let after = run(&settings, None, chrono::Utc::now()).await.unwrap();
    assert_eq!(after.found, 2, "{after:?}");

    // A new version of the list tells the people still found once more.
    let mut next = settings.clone();
    next.breach_sweep.list_version = Some("hibp-test-2".into());
    let report = run(&next, Some(&mailer), chrono::Utc::now()).await.unwrap();
    assert!(mailer.flush(Duration::from_secs(15)).await);
    let notices = report.notices.expect("notices");
    assert_eq!((notices.recorded, notices.mailed), (2, 1), "{notices:?}");
    assert_eq!(
        app.smtp
            .wait_for_mails(&recovery("sweep.aussi"), 2, MAIL_WAIT)
            .await
            .len(),
        2
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_command_prints_counts_and_writes_its_metrics_for_the_textfile_collector() {
    let app = spawn_app_with(|_| {}).await;
    add_people(&app).await;
    let dir = tempfile::tempdir().expect("dir");
    let hashes = write_list(&dir.path().join("pwned-ntlm.txt"));
    let metrics = dir.path().join("passerelle_breach_sweep.prom");
    let password_file = dir.path().join("sweep-password");
    std::fs::write(&password_file, format!("{BREACH_SWEEP_PASSWORD}\n")).unwrap();
    let config = dir.path().join("passerelle.toml");
    std::fs::write(
        &config,
        format!(
            "[ldap]\nurls = [\"{}\"]\nbase_dn = \"{PEOPLE_DN}\"\n\n[log]\nlevel = \"warn\"\n\n\
             [breach_sweep]\nhashes_file = \"{}\"\nreader_bind_password_file = \"{}\"\nmetrics_file = \"{}\"\n",
            app.ldap_url,
            dir.path().join("pwned-ntlm.txt").display(),
            password_file.display(),
            metrics.display()
        ),
    )
    .unwrap();
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_passerelle"))
        .args(["breach-sweep", "--config"])
        .arg(&config)
        .output()
        .await
        .expect("the binary runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("5 accounts in scope, 4 with an NT hash, 1 without; 3 found in the list"),
        "{stdout}"
    );
    assert!(stdout.contains("(5002 hashes)"), "{stdout}");
    assert!(stdout.contains("list sha256:"), "{stdout}");
    for hash in &hashes {
        assert!(!stdout.contains(hash.as_str()) && !stderr.contains(hash.as_str()));
    }
    let text = std::fs::read_to_string(&metrics).expect("the metrics file");
    for line in [
        "passerelle_breach_sweep_success 1",
        "passerelle_breach_sweep_accounts{state=\"found\"} 3",
        "passerelle_breach_sweep_accounts{state=\"without_nt_hash\"} 1",
        "passerelle_breach_sweep_list_hashes 5002",
    ] {
        assert!(text.lines().any(|l| l == line), "{line} in\n{text}");
    }

    // A list out of order: the run fails, says where, and the metrics say
    // so while keeping the last success.
    let list = dir.path().join("pwned-ntlm.txt");
    let mut lines: Vec<String> = std::fs::read_to_string(&list)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    lines.swap(10, 20);
    std::fs::write(&list, lines.join("\n")).unwrap();
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_passerelle"))
        .args(["breach-sweep", "--config"])
        .arg(&config)
        .output()
        .await
        .expect("the binary runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(stderr.contains("line 12: not sorted by hash"), "{stderr}");
    let failed = std::fs::read_to_string(&metrics).unwrap();
    assert!(
        failed.contains("passerelle_breach_sweep_success 0\n"),
        "{failed}"
    );
    assert!(failed.contains("passerelle_breach_sweep_last_success_timestamp_seconds "));
}

async fn bound(url: &str, dn: &str, password: &str) -> ldap3::Ldap {
    let (conn, mut ldap) = LdapConnAsync::new(url).await.expect("connect");
    ldap3::drive!(conn);
    let result = ldap.simple_bind(dn, password).await.expect("bind");
    assert_eq!(result.rc, 0, "bind as {dn}");
    ldap
}

/// The attributes of `dn` that `ldap`'s identity can read, by lowercase name.
async fn readable(ldap: &mut ldap3::Ldap, dn: &str) -> HashSet<String> {
    let (entries, _) = ldap
        .search(dn, Scope::Base, "(objectClass=*)", vec!["*", "+"])
        .await
        .expect("search")
        .success()
        .expect("found");
    entries
        .into_iter()
        .next()
        .map(|entry| {
            let entry = SearchEntry::construct(entry);
            entry
                .attrs
                .keys()
                .chain(entry.bin_attrs.keys())
                .map(|name| name.to_ascii_lowercase())
                .collect()
        })
        .unwrap_or_default()
}

async fn modify_rc(ldap: &mut ldap3::Ldap, dn: &str, attr: &str, value: &str) -> u32 {
    ldap.modify(
        dn,
        vec![Mod::Replace(
            attr.to_owned(),
            HashSet::from([value.to_owned()]),
        )],
    )
    .await
    .expect("modify round trip")
    .rc
}

#[tokio::test(flavor = "multi_thread")]
async fn the_sweep_account_reads_nt_hashes_and_writes_nothing_and_its_notices_write_no_password() {
    let app = spawn_app_with(|_| {}).await;
    add_people(&app).await;
    let person = dn("sweep.trouvee");
    // A password written by the gateway, so the entry has a pwdChangedTime.
    let directory = app.directory();
    let entry = directory.read_person(&person).await.unwrap().unwrap();
    directory
        .write_password(
            &entry,
            &SecretString::from(app::NEW_PASSWORD),
            passerelle::directory::WriteKind::Chosen,
        )
        .await
        .expect("the gateway writes a password");

    let mut sweep = bound(&app.ldap_url, BREACH_SWEEP_DN, BREACH_SWEEP_PASSWORD).await;
    let seen = readable(&mut sweep, &person).await;
    for attr in ["sambantpassword", "pwdchangedtime", "uid"] {
        assert!(seen.contains(attr), "the sweep reads {attr}: {seen:?}");
    }
    for attr in [
        "userpassword",
        "mail",
        "supannmailperso",
        "schacdateofbirth",
        "givenname",
        "pwdhistory",
    ] {
        assert!(
            !seen.contains(attr),
            "the sweep must not read {attr}: {seen:?}"
        );
    }
    for (attr, value) in [
        ("sambaNTPassword", "31D6CFE0D16AE931B73C59D7E0C089C0"),
        ("userPassword", "Pirate-2026!"),
        ("pwdReset", "TRUE"),
        ("passerelleBreachNotice", "x -"),
        ("mail", "pirate@example.org"),
    ] {
        assert_eq!(
            modify_rc(&mut sweep, &person, attr, value).await,
            INSUFFICIENT_ACCESS,
            "the sweep writes {attr}"
        );
    }
    assert_eq!(
        modify_rc(&mut sweep, BREACH_SWEEP_DN, "description", "x").await,
        INSUFFICIENT_ACCESS,
        "its own entry"
    );

    let mut notice = bound(&app.ldap_url, BREACH_NOTICE_DN, BREACH_NOTICE_PASSWORD).await;
    let seen = readable(&mut notice, &person).await;
    for attr in ["mail", "supannmailperso", "pwdchangedtime", "entrycsn"] {
        assert!(seen.contains(attr), "the notices read {attr}: {seen:?}");
    }
    for attr in ["sambantpassword", "userpassword", "pwdhistory"] {
        assert!(
            !seen.contains(attr),
            "the notices must not read {attr}: {seen:?}"
        );
    }
    for (attr, value) in [
        ("sambaNTPassword", "31D6CFE0D16AE931B73C59D7E0C089C0"),
        ("userPassword", "Pirate-2026!"),
        ("mail", "pirate@example.org"),
        ("passerelleQuestion", "?"),
    ] {
        assert_eq!(
            modify_rc(&mut notice, &person, attr, value).await,
            INSUFFICIENT_ACCESS,
            "the notices write {attr}"
        );
    }
    assert_eq!(modify_rc(&mut notice, &person, "pwdReset", "TRUE").await, 0);
    assert_eq!(
        modify_rc(&mut notice, &person, "passerelleBreachNotice", "hibp-1 -").await,
        0
    );
    // Only the notices read their record: not the gateway, not the person.
    let mut gateway = bound(
        &app.ldap_url,
        passerelle::slapd::SERVICE_DN,
        passerelle::slapd::SERVICE_PASSWORD,
    )
    .await;
    assert!(!readable(&mut gateway, &person)
        .await
        .contains("passerellebreachnotice"));
    assert!(readable(&mut notice, &person)
        .await
        .contains("passerellebreachnotice"));
}
