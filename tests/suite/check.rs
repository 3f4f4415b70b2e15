//! `passerelle check` as an operator runs it before going live: against a
//! real slapd built from `config/ldap` and a real SMTP conversation, one
//! line per check (`ok`, `warn`, `FAIL`) and exit code 0 only when no check
//! failed. Each broken part a site meets (the service account's password,
//! its own state: locked, to be changed after a reset, expired; an
//! attribute name, the relay, a placeholder key, a secret file others can
//! read, a file that overrides its preset, access rules that let the
//! gateway read password hashes, accounts in use that « Activer mon
//! compte » would open) is named with what to do.

use crate::smtp;

use passerelle::slapd::{
    person_ldif, People, Slapd, TestPerson, CONFIG_ADMIN_DN, PEOPLE_DN, SERVICE_DN,
    SERVICE_PASSWORD,
};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BINARY: &str = env!("CARGO_BIN_EXE_passerelle");

/// The rules of the demo directory's default policy, so `[policy]` and the
/// directory agree.
const AGREEING_POLICY: &str = "[policy]\nmin_length = 6\nmax_length = 64\nhistory = 3\n";

/// A configuration as a site writes it: every secret in a file of its own.
/// `extra` is appended: tables not written here (TOML refuses a table or a
/// key given twice).
fn site_config(
    dir: &Path,
    ldap_url: &str,
    bind_password: &str,
    smtp_port: u16,
    extra: &str,
) -> PathBuf {
    let secret = |name: &str, value: &str| {
        let path = dir.join(name);
        std::fs::write(&path, format!("{value}\n")).unwrap();
        private(&path);
        path.display().to_string()
    };
    let path = dir.join("passerelle.toml");
    std::fs::write(
        &path,
        format!(
            r#"
[ldap]
urls = ["{ldap_url}"]
bind_dn = "{SERVICE_DN}"
bind_password_file = "{}"
[mail]
host = "127.0.0.1"
port = {smtp_port}
spool_directory = "{}"
[secrets]
cookie_key_file = "{}"
answer_pepper_file = "{}"
code_key_file = "{}"
[check]
test_identifier = "22301001"
{extra}
"#,
            secret("bind-password", bind_password),
            dir.join("spool").display(),
            secret(
                "cookie-key",
                "q0JX8c2vTn7LmA4pZr9WsE1yUb6KdH3fVw3nXc+Qm1r/8TzK"
            ),
            secret("answer-pepper", "p0YbLs6GdHa2eJfUo4NiRt5ZkWq7PyC9"),
            secret("code-key", "Wm4Qz8Tt1cN5rB0xLh7JpV2sK9aYd3eFg6uHiO+/nMw="),
        ),
    )
    .unwrap();
    path
}

/// Readable by its owner only, as a site keeps a secret file.
fn private(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
}

async fn check(config: &Path) -> Output {
    let config = config.to_owned();
    tokio::task::spawn_blocking(move || {
        Command::new(BINARY)
            .args(["check", "--config"])
            .arg(config)
            .output()
            .unwrap()
    })
    .await
    .unwrap()
}

fn printed(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// The lines of one status, e.g. every `FAIL` line.
fn lines<'a>(text: &'a str, status: &str) -> Vec<&'a str> {
    text.lines()
        .filter(|line| line.split_whitespace().next() == Some(status))
        .collect()
}

fn entry_csn(slapd: &Slapd, dn: &str) -> String {
    let entries = slapd
        .search_as_admin(dn, "(objectClass=*)", &["entryCSN"])
        .unwrap();
    entries[0].1["entryCSN"][0].clone()
}

#[tokio::test]
async fn a_healthy_demo_setup_passes_every_check_and_changes_nothing() {
    let slapd = tokio::task::spawn_blocking(|| Slapd::start(People::Demo))
        .await
        .unwrap()
        .unwrap();
    let sink = smtp::SmtpSink::start().await;
    let dir = tempfile::tempdir().unwrap();
    let config = site_config(
        dir.path(),
        &slapd.url(),
        SERVICE_PASSWORD,
        sink.port(),
        AGREEING_POLICY,
    );
    let jdupont = "uid=jdupont,ou=people,dc=univ-exemple,dc=fr";
    let before = entry_csn(&slapd, jdupont);

    let output = check(&config).await;
    let text = printed(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(lines(&text, "FAIL").is_empty(), "{text}");
    assert!(lines(&text, "warn").is_empty(), "{text}");
    let ok = lines(&text, "ok");
    for topic in [
        "config",
        "secrets",
        "keys",
        "url",
        "timezone",
        "argon2",
        "directory",
        "ppolicy",
        "schema",
        "policy",
        "search",
        "rights",
        "mail",
        "activate",
    ] {
        assert!(
            ok.iter()
                .any(|l| l.split_whitespace().nth(1) == Some(topic)),
            "no ok line for {topic}: {text}"
        );
    }
    assert!(text.contains("cannot read userPassword"), "{text}");
    assert!(text.contains("may write a new password"), "{text}");
    assert!(text.contains("No-Op control"), "{text}");
    assert!(text.contains("password-policy overlay answers"), "{text}");
    assert!(text.trim_end().ends_with("0 warn, 0 FAIL: ready"), "{text}");
    assert!(
        !text.contains(SERVICE_PASSWORD),
        "a secret was printed: {text}"
    );
    // The write was measured, not made: the entry did not change and the
    // person's password still works.
    assert_eq!(entry_csn(&slapd, jdupont), before);
    assert!(crate::directory_support::binds(&slapd.url(), jdupont, "Soleil-Vert-42").await);
    assert!(sink.mails().is_empty(), "check sent a mail");
}

#[tokio::test]
async fn each_help_desk_group_is_read_as_the_sign_in_reads_it() {
    let slapd = tokio::task::spawn_blocking(|| Slapd::start(People::Demo))
        .await
        .unwrap()
        .unwrap();
    let sink = smtp::SmtpSink::start().await;
    let dir = tempfile::tempdir().unwrap();
    let helpdesk = r#"
[[helpdesk.profiles]]
name = "it"
group = "cn=helpdesk-it,ou=groups,dc=univ-exemple,dc=fr"
actions = ["unlock"]
verification = ["in_person"]

[[helpdesk.profiles]]
name = "typo"
group = "cn=helpdesk-itt,ou=groups,dc=univ-exemple,dc=fr"
actions = ["unlock"]
verification = ["in_person"]
"#;
    let config = site_config(
        dir.path(),
        &slapd.url(),
        SERVICE_PASSWORD,
        sink.port(),
        &format!("{AGREEING_POLICY}{helpdesk}"),
    );
    let output = check(&config).await;
    let text = printed(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        lines(&text, "ok")
            .iter()
            .any(|l| l.contains("profile it: its group cn=helpdesk-it")),
        "{text}"
    );
    let failed = lines(&text, "FAIL");
    assert_eq!(failed.len(), 1, "{text}");
    assert!(
        failed[0].contains("profile typo") && failed[0].contains("cannot sign in"),
        "{text}"
    );
}

#[tokio::test]
async fn each_broken_part_fails_with_its_reason_and_what_to_do() {
    let slapd = tokio::task::spawn_blocking(|| Slapd::start(People::Demo))
        .await
        .unwrap()
        .unwrap();
    let sink = smtp::SmtpSink::start().await;
    let dead_port = crate::directory_support::dead_port();
    let url = slapd.url();
    let dirs: Vec<tempfile::TempDir> = (0..4).map(|_| tempfile::tempdir().unwrap()).collect();
    let wrong_password = site_config(
        dirs[0].path(),
        &url,
        "not-the-password",
        sink.port(),
        AGREEING_POLICY,
    );
    let missing_attribute = site_config(
        dirs[1].path(),
        &url,
        SERVICE_PASSWORD,
        sink.port(),
        &format!("{AGREEING_POLICY}[flows]\nrecover = true\n"),
    );
    // A typo in an attribute name, in the [ldap] table site_config wrote.
    let text = std::fs::read_to_string(&missing_attribute)
        .unwrap()
        .replace(
            "bind_dn = ",
            "identifier_attributes = [\"uid\", \"supannEtuId\", \"supannEmpIdd\"]\nbind_dn = ",
        );
    std::fs::write(&missing_attribute, text).unwrap();
    let relay_down = site_config(
        dirs[2].path(),
        &url,
        SERVICE_PASSWORD,
        dead_port,
        AGREEING_POLICY,
    );
    let weak_key = site_config(
        dirs[3].path(),
        &url,
        SERVICE_PASSWORD,
        sink.port(),
        AGREEING_POLICY,
    );
    std::fs::write(dirs[3].path().join("cookie-key"), "k".repeat(48)).unwrap();
    private(&dirs[3].path().join("cookie-key"));

    let (wrong_password, missing_attribute, relay_down, weak_key) = tokio::join!(
        check(&wrong_password),
        check(&missing_attribute),
        check(&relay_down),
        check(&weak_key)
    );
    for (output, topic, says) in [
        (&wrong_password, "directory", "refused the service account"),
        (
            &missing_attribute,
            "schema",
            "ldap.identifier_attributes: `supannEmpIdd` is not in the directory's schema",
        ),
        (&relay_down, "mail", "mail relay"),
        (&weak_key, "keys", "secrets.cookie_key is weak"),
    ] {
        let text = printed(output);
        assert_eq!(output.status.code(), Some(1), "{text}");
        let failures = lines(&text, "FAIL");
        assert_eq!(failures.len(), 1, "one failure expected: {text}");
        assert_eq!(failures[0].split_whitespace().nth(1), Some(topic), "{text}");
        assert!(failures[0].contains(says), "{text}");
        assert!(text.trim_end().ends_with("1 FAIL: not ready"), "{text}");
        assert!(
            !text.contains(SERVICE_PASSWORD) && !text.contains("kkkkkkkk"),
            "{text}"
        );
    }
    assert!(
        printed(&weak_key).contains("openssl rand"),
        "the fix is named: {}",
        printed(&weak_key)
    );
    // The pitfall behind most refusals of a password file (issue 24).
    let text = printed(&wrong_password);
    assert!(
        text.contains("slappasswd -T FILE` hashes the newline too"),
        "{text}"
    );
}

/// Sets the service account's access to people's `userPassword` (rule 2
/// of `config/ldap/slapd-databases.ldif`, olcAccess {6} behind the help
/// desk's rules H0 to H3) to `level`, as IT would by mistake.
fn grant_on_passwords(slapd: &Slapd, level: &str) {
    use std::io::Write;
    let ldif = format!(
        "dn: olcDatabase={{1}}mdb,cn=config\nchangetype: modify\ndelete: olcAccess\nolcAccess: {{6}}\n-\nadd: olcAccess\nolcAccess: {{6}}to dn.subtree=\"ou=people,dc=univ-exemple,dc=fr\" attrs=userPassword by dn.exact=\"{SERVICE_DN}\" {level} by anonymous auth by * none\n"
    );
    let mut child = Command::new("ldapmodify")
        .args(["-x", "-H", &slapd.url(), "-D", CONFIG_ADMIN_DN, "-y"])
        .arg(slapd.dir().join("admin.password"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(ldif.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[tokio::test]
async fn access_rules_that_let_the_gateway_read_or_not_write_passwords_are_reported() {
    let mut slapds = Vec::new();
    for _ in 0..2 {
        slapds.push(
            tokio::task::spawn_blocking(|| Slapd::start(People::Demo))
                .await
                .unwrap()
                .unwrap(),
        );
    }
    let sink = smtp::SmtpSink::start().await;
    // `write` includes read: the gateway could dump every hash.
    grant_on_passwords(&slapds[0], "write");
    // `read` without write: no reset could ever be written.
    grant_on_passwords(&slapds[1], "read");
    let dirs: Vec<tempfile::TempDir> = (0..2).map(|_| tempfile::tempdir().unwrap()).collect();
    let reads = site_config(
        dirs[0].path(),
        &slapds[0].url(),
        SERVICE_PASSWORD,
        sink.port(),
        AGREEING_POLICY,
    );
    let cannot_write = site_config(
        dirs[1].path(),
        &slapds[1].url(),
        SERVICE_PASSWORD,
        sink.port(),
        AGREEING_POLICY,
    );
    let (reads, cannot_write) = tokio::join!(check(&reads), check(&cannot_write));

    let text = printed(&reads);
    assert_eq!(reads.status.code(), Some(1), "{text}");
    let failures = lines(&text, "FAIL");
    assert_eq!(failures.len(), 1, "{text}");
    assert!(
        failures[0].contains("can read or search userPassword"),
        "{text}"
    );
    assert!(failures[0].contains("`=w`"), "{text}");
    assert!(text.contains("may write a new password"), "{text}");

    let text = printed(&cannot_write);
    assert_eq!(cannot_write.status.code(), Some(1), "{text}");
    let failures = lines(&text, "FAIL");
    assert_eq!(failures.len(), 2, "{text}");
    assert!(
        failures
            .iter()
            .any(|l| l.contains("can read or search userPassword")),
        "{text}"
    );
    assert!(
        failures
            .iter()
            .any(|l| l.contains("may not write a new password")),
        "{text}"
    );
}

#[tokio::test]
async fn check_names_an_unknown_test_identifier_and_a_dead_directory() {
    let slapd = tokio::task::spawn_blocking(|| Slapd::start(People::Empty))
        .await
        .unwrap()
        .unwrap();
    let sink = smtp::SmtpSink::start().await;
    let dirs: Vec<tempfile::TempDir> = (0..2).map(|_| tempfile::tempdir().unwrap()).collect();
    let nobody = site_config(
        dirs[0].path(),
        &slapd.url(),
        SERVICE_PASSWORD,
        sink.port(),
        AGREEING_POLICY,
    );
    let dead = format!("ldap://127.0.0.1:{}", crate::directory_support::dead_port());
    let down = site_config(
        dirs[1].path(),
        &dead,
        SERVICE_PASSWORD,
        sink.port(),
        AGREEING_POLICY,
    );
    let (nobody, down) = tokio::join!(check(&nobody), check(&down));

    let text = printed(&nobody);
    assert_eq!(nobody.status.code(), Some(1), "{text}");
    assert!(
        text.contains("`check.test_identifier` `22301001` finds nobody"),
        "{text}"
    );
    // Nobody to measure the rights on: said, not failed.
    assert!(
        lines(&text, "warn").iter().any(|l| l.contains("rights")),
        "{text}"
    );

    let text = printed(&down);
    assert_eq!(down.status.code(), Some(1), "{text}");
    let failures = lines(&text, "FAIL");
    assert_eq!(failures.len(), 1, "{text}");
    assert!(failures[0].contains("no server of ldap.urls"), "{text}");
}

#[tokio::test]
async fn strict_mode_fails_on_warnings() {
    // No directory or relay needed to see the warnings of an http site
    // whose secrets are inline; both are down, so only count the warnings.
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("passerelle.toml");
    std::fs::write(
        &config,
        "[mail]\ntransport = \"none\"\n[flows]\nidentifier = false\n",
    )
    .unwrap();
    let output = tokio::task::spawn_blocking(move || {
        Command::new(BINARY)
            .args(["check", "--strict", "--config"])
            .arg(&config)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let text = printed(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        lines(&text, "warn")
            .iter()
            .any(|l| l.contains("mail is disabled")),
        "{text}"
    );
}

#[tokio::test]
async fn an_invalid_configuration_stops_with_the_key_named() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("bad.toml");
    std::fs::write(&config, "[ldap]\nbind_dnn = \"cn=typo\"\n").unwrap();
    let output = check(&config).await;
    let printed = printed(&output);
    assert_eq!(output.status.code(), Some(2), "{printed}");
    assert!(printed.contains("bind_dnn"), "{printed}");
    assert_eq!(printed.trim().lines().count(), 1, "{printed}");
}

/// Issue 24 and issue 19 (accounts provisioned in bulk): accounts that
/// the activation filter opens although they already have a password are
/// a FAIL, each named, with the signs that were looked for; the newcomers
/// without a password and an account with a question already are not.
#[tokio::test]
async fn accounts_the_activation_filter_opens_with_a_password_fail_the_check() {
    let slapd = tokio::task::spawn_blocking(|| Slapd::start(People::Demo))
        .await
        .unwrap()
        .unwrap();
    let sink = smtp::SmtpSink::start().await;
    // Loaded with an initial password, its NT hash and the mark, as a bulk
    // import that marks everyone does.
    let bulk = TestPerson {
        activation_pending: true,
        student_number: Some("29100001".into()),
        ..TestPerson::default()
    };
    slapd.add_ldif(&person_ldif("importe", &bulk)).unwrap();
    // Marked when new, in use since: its password was changed online.
    let in_use = TestPerson {
        activation_pending: true,
        samba: false,
        shadow: false,
        student_number: Some("29100002".into()),
        ..TestPerson::default()
    };
    slapd.add_ldif(&person_ldif("utilise", &in_use)).unwrap();
    slapd
        .modify_ldif(&format!(
            "dn: uid=utilise,{PEOPLE_DN}\nchangetype: modify\nreplace: userPassword\nuserPassword: Change-En-Ligne-2025\n"
        ))
        .unwrap();
    // Marked, with a password, but activated already (a question): the
    // flow never opens it.
    let activated = TestPerson {
        activation_pending: true,
        student_number: Some("29100003".into()),
        ..TestPerson::default()
    };
    slapd.add_ldif(&person_ldif("active", &activated)).unwrap();
    slapd
        .modify_ldif(&format!(
            "dn: uid=active,{PEOPLE_DN}\nchangetype: modify\nreplace: passerelleQuestion\npasserelleQuestion: Ville ?\n"
        ))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let config = site_config(
        dir.path(),
        &slapd.url(),
        SERVICE_PASSWORD,
        sink.port(),
        AGREEING_POLICY,
    );

    let output = check(&config).await;
    let text = printed(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    let failures = lines(&text, "FAIL");
    assert_eq!(failures.len(), 1, "{text}");
    let failure = failures[0];
    assert_eq!(
        failure.split_whitespace().nth(1),
        Some("activate"),
        "{text}"
    );
    assert!(failure.contains("opens 2 account(s)"), "{failure}");
    for dn in [
        format!("uid=importe,{PEOPLE_DN}"),
        format!("uid=utilise,{PEOPLE_DN}"),
    ] {
        assert!(failure.contains(&dn), "{dn} not named: {failure}");
    }
    assert!(!failure.contains("uid=active,"), "{failure}");
    assert!(!failure.contains("nnouveau"), "{failure}");
    assert!(
        failure.contains("signs of a password looked for: pwdChangedTime"),
        "{failure}"
    );
    assert!(
        failure.contains("delete: passerelleActivationPending"),
        "what to do: {failure}"
    );
}

/// An activation filter that opens accounts by what they lack (the old
/// default) is named, with the marker to use instead.
#[tokio::test]
async fn an_activation_filter_by_absence_is_a_warning() {
    let slapd = tokio::task::spawn_blocking(|| Slapd::start(People::Demo))
        .await
        .unwrap()
        .unwrap();
    let sink = smtp::SmtpSink::start().await;
    let dir = tempfile::tempdir().unwrap();
    let config = site_config(
        dir.path(),
        &slapd.url(),
        SERVICE_PASSWORD,
        sink.port(),
        &format!("{AGREEING_POLICY}[flows]\nactivation_filter = \"(!(pwdChangedTime=*))\"\n"),
    );
    let output = check(&config).await;
    let text = printed(&output);
    let warnings = lines(&text, "warn");
    assert!(
        warnings
            .iter()
            .any(|l| l.contains("activate") && l.contains("(passerelleActivationPending=TRUE)")),
        "{text}"
    );
}

/// Puts the service account back under the people's policy, as the
/// bootstrap did before issue 24 (no `pwdPolicySubentry`: five failed
/// binds lock it, a password the rootdn sets must be changed).
fn under_the_peoples_policy(slapd: &Slapd) {
    slapd
        .modify_ldif(&format!(
            "dn: {SERVICE_DN}\nchangetype: modify\ndelete: pwdPolicySubentry\n"
        ))
        .unwrap();
}

/// Binds as the service account with `password` on a connection of its
/// own; the result code.
async fn service_bind(url: &str, password: &str) -> u32 {
    let (conn, mut ldap) = ldap3::LdapConnAsync::new(url).await.unwrap();
    ldap3::drive!(conn);
    ldap.simple_bind(SERVICE_DN, password).await.unwrap().rc
}

/// Issue 24: the service account's own states are named with what to do,
/// not reported as a wrong password (locked) or as an ok bind followed by
/// refusals (must change after a reset).
#[tokio::test]
async fn a_locked_service_account_and_one_that_must_change_its_password_are_named() {
    let mut slapds = Vec::new();
    for _ in 0..2 {
        slapds.push(
            tokio::task::spawn_blocking(|| Slapd::start(People::Demo))
                .await
                .unwrap()
                .unwrap(),
        );
    }
    let sink = smtp::SmtpSink::start().await;
    // Locked: five wrong binds, an operator's typo repeated.
    under_the_peoples_policy(&slapds[0]);
    for _ in 0..5 {
        assert_eq!(
            service_bind(&slapds[0].url(), "une-faute-de-frappe").await,
            49
        );
    }
    // Must change: the rootdn reset its password.
    under_the_peoples_policy(&slapds[1]);
    slapds[1]
        .modify_ldif(&format!(
            "dn: {SERVICE_DN}\nchangetype: modify\nreplace: userPassword\nuserPassword: {SERVICE_PASSWORD}\n"
        ))
        .unwrap();
    let dirs: Vec<tempfile::TempDir> = (0..2).map(|_| tempfile::tempdir().unwrap()).collect();
    let configs: Vec<PathBuf> = slapds
        .iter()
        .zip(&dirs)
        .map(|(slapd, dir)| {
            site_config(
                dir.path(),
                &slapd.url(),
                SERVICE_PASSWORD,
                sink.port(),
                AGREEING_POLICY,
            )
        })
        .collect();
    let (locked, must_change) = tokio::join!(check(&configs[0]), check(&configs[1]));

    for (output, says, fix) in [
        (
            &locked,
            "is locked by the directory's password policy",
            "delete pwdAccountLockedTime and pwdFailureTime",
        ),
        (
            &must_change,
            "must change its password (pwdReset: TRUE",
            "delete pwdReset",
        ),
    ] {
        let text = printed(output);
        assert_eq!(output.status.code(), Some(1), "{text}");
        let failures = lines(&text, "FAIL");
        assert_eq!(failures.len(), 1, "one failure, the cause: {text}");
        assert_eq!(failures[0].split_whitespace().nth(1), Some("directory"));
        assert!(failures[0].contains(says), "{text}");
        assert!(failures[0].contains(fix), "{text}");
        assert!(
            failures[0].contains("cn=services"),
            "the lasting fix: {text}"
        );
        assert!(!text.contains("invalid credentials"), "{text}");
    }
}

/// An expired service account password (a site whose policy for
/// `ou=services` has a maximum age) is named too.
#[tokio::test]
async fn an_expired_service_account_password_is_named() {
    let slapd = tokio::task::spawn_blocking(|| Slapd::start(People::Demo))
        .await
        .unwrap()
        .unwrap();
    let sink = smtp::SmtpSink::start().await;
    slapd
        .modify_ldif(&format!(
            "dn: cn=services,ou=policies,{}\nchangetype: modify\nreplace: pwdMaxAge\npwdMaxAge: 1\n",
            passerelle::slapd::BASE_DN
        ))
        .unwrap();
    // A password set online gets pwdChangedTime, from which it ages.
    slapd
        .modify_ldif(&format!(
            "dn: {SERVICE_DN}\nchangetype: modify\nreplace: userPassword\nuserPassword: {SERVICE_PASSWORD}\n"
        ))
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while service_bind(&slapd.url(), SERVICE_PASSWORD).await == 0 {
        assert!(std::time::Instant::now() < deadline, "never expired");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let dir = tempfile::tempdir().unwrap();
    let config = site_config(
        dir.path(),
        &slapd.url(),
        SERVICE_PASSWORD,
        sink.port(),
        AGREEING_POLICY,
    );
    let output = check(&config).await;
    let text = printed(&output);
    let failures = lines(&text, "FAIL");
    assert_eq!(failures.len(), 1, "{text}");
    assert!(failures[0].contains("has expired"), "{text}");
}

/// Issue 24: a secret file anyone on the machine can read was reported as
/// "readable", ok. Only a file its owner alone can read is ok; others warn
/// with their mode.
#[tokio::test]
async fn a_secret_file_others_can_read_is_a_warning_with_its_mode() {
    use std::os::unix::fs::PermissionsExt;
    let slapd = tokio::task::spawn_blocking(|| Slapd::start(People::Demo))
        .await
        .unwrap()
        .unwrap();
    let sink = smtp::SmtpSink::start().await;
    let dir = tempfile::tempdir().unwrap();
    let config = site_config(
        dir.path(),
        &slapd.url(),
        SERVICE_PASSWORD,
        sink.port(),
        AGREEING_POLICY,
    );
    // As `echo secret > file` leaves it under the usual umask 022.
    let world = dir.path().join("bind-password");
    std::fs::set_permissions(&world, std::fs::Permissions::from_mode(0o644)).unwrap();
    let group = dir.path().join("code-key");
    std::fs::set_permissions(&group, std::fs::Permissions::from_mode(0o640)).unwrap();

    let output = check(&config).await;
    let text = printed(&output);
    assert_eq!(
        output.status.code(),
        Some(0),
        "a warning, not a failure: {text}"
    );
    let warnings = lines(&text, "warn");
    assert_eq!(warnings.len(), 2, "{text}");
    assert!(
        warnings[0].contains("ldap.bind_password_file")
            && warnings[0].contains("is mode 0644")
            && warnings[0].contains("every user of this machine")
            && warnings[0].contains("chmod 600"),
        "{text}"
    );
    assert!(
        warnings[1].contains("secrets.code_key_file")
            && warnings[1].contains("is mode 0640")
            && warnings[1].contains("its group"),
        "{text}"
    );
    let ok = lines(&text, "ok");
    for key in ["secrets.cookie_key_file", "secrets.answer_pepper_file"] {
        assert!(
            ok.iter()
                .any(|l| l.contains(key) && l.contains("owner only (0600)")),
            "{key}: {text}"
        );
    }
    assert!(
        !ok.iter().any(|l| l.contains("bind_password_file")),
        "{text}"
    );
}

/// Issue 24: a copied example configuration that also names a preset
/// silently overrode the preset with the example's values. `check` lists
/// every key where the file overrides its preset, and warns for those it
/// sets back to the built-in default.
#[tokio::test]
async fn the_keys_a_file_overrides_in_its_preset_are_listed() {
    let slapd = tokio::task::spawn_blocking(|| Slapd::start(People::Demo))
        .await
        .unwrap()
        .unwrap();
    let sink = smtp::SmtpSink::start().await;
    let dir = tempfile::tempdir().unwrap();
    let config = site_config(
        dir.path(),
        &slapd.url(),
        SERVICE_PASSWORD,
        sink.port(),
        // As the old example configuration had them, and one deliberate
        // change. AGREEING_POLICY's min_length (6) overrides the preset's 8.
        &format!("{AGREEING_POLICY}forbid_login = false\n[site]\nname = \"Passerelle\"\nrules_url = \"https://www.univ-exemple.fr/ri\"\n[flows]\nrequire_rules_checkbox = true\n"),
    );
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("preset = \"uphf\"\n{text}")).unwrap();

    let output = check(&config).await;
    let text = printed(&output);
    let preset: Vec<&str> = text
        .lines()
        .filter(|l| l.split_whitespace().nth(1) == Some("preset"))
        .collect();
    assert_eq!(preset.len(), 2, "{text}");
    assert!(preset[0].starts_with("ok"), "{text}");
    assert!(
        preset[0].contains("overrides 1 key(s) of the preset \"uphf\"")
            && preset[0].contains("policy.min_length (8 → 6)"),
        "{text}"
    );
    assert!(preset[1].starts_with("warn"), "{text}");
    for key in [
        "policy.forbid_login (true → false)",
        "site.name (\"Sésame\" → \"Passerelle\")",
    ] {
        assert!(preset[1].contains(key), "{key}: {text}");
    }
    // Equal to the preset's value: not an override.
    assert!(!text.contains("require_rules_checkbox"), "{text}");
    assert!(preset[1].contains("remove these lines"), "{text}");

    // The example configuration itself, copied beside a preset, overrides
    // nothing (its preset-sensitive keys are commented out).
    let example = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("config/passerelle.example.toml"),
    )
    .unwrap();
    for (name, _) in passerelle::config::PRESETS {
        let copy = dir.path().join(format!("{name}.toml"));
        std::fs::write(&copy, format!("preset = \"{name}\"\n{example}")).unwrap();
        let (found, overrides) = passerelle::config::preset_overrides(&copy)
            .unwrap()
            .unwrap();
        assert_eq!(found, name);
        assert!(overrides.is_empty(), "{name}: {overrides:#?}");
    }
}

/// Issue 25: `serve` refuses to start without its mail spool, so `check`
/// says so beforehand (a warning: a demo or a test may not send mail).
#[tokio::test]
async fn an_unwritable_mail_spool_is_a_warning_naming_the_directory() {
    let dir = tempfile::tempdir().unwrap();
    // A file where the spool's directory should be.
    let spool = dir.path().join("spool");
    std::fs::write(&spool, "").unwrap();
    let sink = smtp::SmtpSink::start().await;
    let config = site_config(
        dir.path(),
        "ldap://127.0.0.1:1",
        SERVICE_PASSWORD,
        sink.port(),
        "",
    );
    let text = printed(&check(&config).await);
    let warnings = lines(&text, "warn");
    assert!(
        warnings.iter().any(|l| l.contains("mail spool")
            && l.contains(&spool.display().to_string())
            && l.contains("not a directory")),
        "{text}"
    );
}

/// Issue 19, §2: a policy with `pwdSafeModify: TRUE` demands the old
/// password in every change, which no reset has: `check` names the policy
/// and says what it means for self-service.
#[tokio::test]
async fn a_policy_with_safe_modify_is_a_warning_that_says_what_it_means_for_self_service() {
    let slapd = tokio::task::spawn_blocking(|| Slapd::start(People::Demo))
        .await
        .unwrap()
        .unwrap();
    slapd
        .add_ldif(
            "dn: cn=safe,ou=policies,dc=univ-exemple,dc=fr\nobjectClass: organizationalRole\nobjectClass: pwdPolicy\ncn: safe\npwdAttribute: userPassword\npwdInHistory: 3\npwdMinLength: 6\npwdMaxLength: 64\npwdCheckQuality: 1\npwdSafeModify: TRUE\n",
        )
        .unwrap();
    let sink = smtp::SmtpSink::start().await;
    let dir = tempfile::tempdir().unwrap();
    let config = site_config(
        dir.path(),
        &slapd.url(),
        SERVICE_PASSWORD,
        sink.port(),
        AGREEING_POLICY,
    );
    let output = check(&config).await;
    let text = printed(&output);
    assert_eq!(output.status.code(), Some(0), "a warning only: {text}");
    let warned = lines(&text, "warn");
    assert_eq!(warned.len(), 1, "{text}");
    for said in [
        "cn=safe,ou=policies,dc=univ-exemple,dc=fr",
        "pwdSafeModify",
        "/change and /account",
        "current password",
        "no reset",
        "/recover",
    ] {
        assert!(warned[0].contains(said), "{said}: {text}");
    }
    assert!(
        !warned[0].contains("cn=default"),
        "only the policy that sets it: {text}"
    );
}
