//! The Debian package as a site installs it (issue 22). `scripts/test`
//! builds it (`scripts/package --debug`), installs it with `dpkg --root`
//! into a throwaway root and names that root in `INSTALLED_PACKAGE_ROOT`
//! (not `PASSERELLE_…`: the binary would read it as a configuration key);
//! these tests then run what dpkg installed there, not this build: its
//! `--version`, its man pages read by `man`, its completion scripts, and
//! `passerelle check` with the shipped `/etc/passerelle/passerelle.toml`
//! and the secrets handed over as the systemd unit hands them, against a
//! real slapd built from the packaged `config/ldap`'s twin.
//! Without the variable (a plain `cargo test`) they say so and pass.

use crate::smtp;
use passerelle::slapd::{People, Slapd, SERVICE_DN, SERVICE_PASSWORD};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The root the package was installed into, when `scripts/test` made one.
fn installed_root() -> Option<PathBuf> {
    match std::env::var_os("INSTALLED_PACKAGE_ROOT") {
        Some(root) => {
            let root = PathBuf::from(root);
            assert!(
                root.join("var/lib/dpkg/info/passerelle.list").is_file(),
                "{} holds no installed passerelle package",
                root.display()
            );
            Some(root)
        }
        None => {
            eprintln!("skipped: INSTALLED_PACKAGE_ROOT is not set (scripts/test sets it)");
            None
        }
    }
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// dpkg's own list of what the package installed, without the folders.
fn installed_files(root: &Path) -> Vec<String> {
    std::fs::read_to_string(root.join("var/lib/dpkg/info/passerelle.list"))
        .expect("dpkg's list")
        .lines()
        .filter(|path| root.join(path.trim_start_matches('/')).is_file())
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_package_installs_the_binary_units_conffile_directory_side_manual_and_completions() {
    let Some(root) = installed_root() else { return };
    let files = installed_files(&root);
    for expected in [
        "/usr/bin/passerelle",
        "/usr/lib/systemd/system/passerelle.service",
        "/usr/lib/systemd/system/passerelle-notify-expiring.service",
        "/usr/lib/systemd/system/passerelle-notify-expiring.timer",
        "/usr/lib/systemd/system/passerelle-breach-sweep.service",
        "/usr/lib/systemd/system/passerelle-breach-sweep.timer",
        "/usr/share/man/man1/passerelle-breach-sweep.1.gz",
        "/etc/passerelle/passerelle.toml",
        "/usr/share/passerelle/ldap/README.md",
        "/usr/share/passerelle/ldap/schema/passerelle.ldif",
        "/usr/share/passerelle/ldap/slapd-databases.ldif",
        "/usr/share/passerelle/ldap/replication/providers.ldif",
        "/usr/share/passerelle/ldap/site-recipe.sh",
        "/usr/share/man/man1/passerelle.1.gz",
        "/usr/share/man/man1/passerelle-check.1.gz",
        "/usr/share/bash-completion/completions/passerelle",
        "/usr/share/zsh/vendor-completions/_passerelle",
        "/usr/share/fish/vendor_completions.d/passerelle.fish",
        "/usr/share/doc/passerelle/copyright",
        "/usr/share/doc/passerelle/changelog.gz",
        "/usr/share/doc/passerelle/deployment.md",
    ] {
        assert!(
            files.iter().any(|f| f == expected),
            "{expected} not installed: {files:#?}"
        );
    }
    // The configuration is a conffile (dpkg keeps a site's edits), and it
    // is the example the repository documents.
    let conffiles = std::fs::read_to_string(root.join("var/lib/dpkg/info/passerelle.conffiles"))
        .expect("conffiles");
    assert_eq!(conffiles.trim(), "/etc/passerelle/passerelle.toml");
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/passerelle.example.toml");
    assert_eq!(
        std::fs::read(root.join("etc/passerelle/passerelle.toml")).expect("conffile"),
        std::fs::read(example).expect("example")
    );
    // The units name the binary where the package put it.
    for unit in ["passerelle.service", "passerelle-notify-expiring.service"] {
        let text =
            std::fs::read_to_string(root.join("usr/lib/systemd/system").join(unit)).expect("unit");
        assert!(text.contains("ExecStart=/usr/bin/passerelle "), "{unit}");
    }
}

#[test]
fn the_installed_binary_tells_its_version() {
    let Some(root) = installed_root() else { return };
    let output = Command::new(root.join("usr/bin/passerelle"))
        .arg("--version")
        .output()
        .expect("the installed binary runs");
    assert!(output.status.success(), "{}", text(&output));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).trim(),
        format!("passerelle {}", env!("CARGO_PKG_VERSION"))
    );
}

/// `man -l` reads each installed page as `man passerelle` would: groff
/// renders it without a warning, and it says what the page is for.
#[test]
fn man_reads_the_installed_pages_without_a_warning() {
    let Some(root) = installed_root() else { return };
    let man1 = root.join("usr/share/man/man1");
    let mut pages: Vec<PathBuf> = std::fs::read_dir(&man1)
        .expect("man1")
        .map(|entry| entry.expect("entry").path())
        .collect();
    pages.sort();
    assert!(pages.len() >= 6, "{pages:?}");
    for page in &pages {
        let output = Command::new("man")
            .arg("-l")
            .arg(page)
            .env("MANPAGER", "cat")
            .env("MANWIDTH", "80")
            .output()
            .expect("man (man-db) is installed");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success() && stderr.trim().is_empty(),
            "{}: {stderr}",
            page.display()
        );
        let shown = String::from_utf8_lossy(&output.stdout);
        assert!(
            shown.contains("NAME") && shown.contains("SYNOPSIS"),
            "{shown}"
        );
    }
    let main = Command::new("man")
        .arg("-l")
        .arg(man1.join("passerelle.1.gz"))
        .env("MANPAGER", "cat")
        .env("MANWIDTH", "80")
        .output()
        .expect("man");
    let shown = String::from_utf8_lossy(&main.stdout);
    for said in [
        "Self-service password gateway for OpenLDAP",
        "passerelle-check(1)",
        "/etc/passerelle/passerelle.toml",
        "LoadCredential=",
        env!("CARGO_PKG_VERSION"),
    ] {
        assert!(shown.contains(said), "{said}: {shown}");
    }
}

/// bash loads the completion script and completes the commands from it.
#[test]
fn bash_completes_the_commands_from_the_installed_script() {
    let Some(root) = installed_root() else { return };
    let script = root.join("usr/share/bash-completion/completions/passerelle");
    let output = Command::new("bash")
        .arg("-c")
        .arg(
            r#"source "$1"
COMP_WORDS=(passerelle no); COMP_CWORD=1; COMP_LINE="passerelle no"; COMP_POINT=${#COMP_LINE}
complete -p passerelle >/dev/null || exit 3
_passerelle passerelle no passerelle
printf '%s\n' "${COMPREPLY[@]}""#,
        )
        .arg("bash")
        .arg(&script)
        .output()
        .expect("bash");
    let shown = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{}", text(&output));
    assert_eq!(shown.trim(), "notify-expiring", "{}", text(&output));
}

/// The installed binary, the shipped configuration file, the secrets as
/// files named by the variables `passerelle.service` sets, and the
/// addresses of this test's slapd and relay above the file, as a site
/// overrides them: `passerelle check` finds nothing that fails.
#[tokio::test]
async fn the_installed_binary_checks_the_test_directory_with_the_shipped_configuration() {
    let Some(root) = installed_root() else { return };
    let slapd = tokio::task::spawn_blocking(|| Slapd::start(People::Demo))
        .await
        .unwrap()
        .unwrap();
    let sink = smtp::SmtpSink::start().await;
    let credentials = tempfile::tempdir().unwrap();
    let secret = |name: &str, value: &str| {
        use std::os::unix::fs::PermissionsExt;
        let path = credentials.path().join(name);
        std::fs::write(&path, value).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        path
    };
    let binary = root.join("usr/bin/passerelle");
    let config = root.join("etc/passerelle/passerelle.toml");
    let mut command = Command::new(binary);
    command
        .args(["check", "--config"])
        .arg(&config)
        .env(
            "PASSERELLE_LDAP__BIND_PASSWORD_FILE",
            secret("ldap-bind-password", SERVICE_PASSWORD),
        )
        .env(
            "PASSERELLE_SECRETS__COOKIE_KEY_FILE",
            secret(
                "cookie-key",
                "q0JX8c2vTn7LmA4pZr9WsE1yUb6KdH3fVw3nXc+Qm1r/8TzK",
            ),
        )
        .env(
            "PASSERELLE_SECRETS__ANSWER_PEPPER_FILE",
            secret("answer-pepper", "p0YbLs6GdHa2eJfUo4NiRt5ZkWq7PyC9"),
        )
        .env(
            "PASSERELLE_SECRETS__CODE_KEY_FILE",
            secret("code-key", "Wm4Qz8Tt1cN5rB0xLh7JpV2sK9aYd3eFg6uHiO+/nMw="),
        )
        .env("PASSERELLE_LDAP__URLS", format!("[\"{}\"]", slapd.url()))
        .env("PASSERELLE_LDAP__BIND_DN", SERVICE_DN)
        .env("PASSERELLE_MAIL__HOST", "127.0.0.1")
        .env("PASSERELLE_MAIL__PORT", sink.port().to_string())
        // Quoted: figment reads an unquoted number as a number.
        .env("PASSERELLE_CHECK__TEST_IDENTIFIER", "\"22301001\"");
    let output = tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap();
    let printed = text(&output);
    assert_eq!(output.status.code(), Some(0), "{printed}");
    let status = |line: &str| line.split_whitespace().next().map(str::to_owned);
    assert!(
        !printed
            .lines()
            .any(|l| status(l).as_deref() == Some("FAIL")),
        "{printed}"
    );
    for topic in [
        "config",
        "secrets",
        "directory",
        "ppolicy",
        "schema",
        "rights",
        "mail",
    ] {
        assert!(
            printed.lines().any(|l| status(l).as_deref() == Some("ok")
                && l.split_whitespace().nth(1) == Some(topic)),
            "no ok line for {topic}: {printed}"
        );
    }
    // The example's [policy] is not the demo directory's: said, not failed.
    // Nothing else is to be warned of.
    for line in printed
        .lines()
        .filter(|l| status(l).as_deref() == Some("warn"))
    {
        assert_eq!(line.split_whitespace().nth(1), Some("policy"), "{printed}");
    }
    let last = printed.trim_end().lines().last().unwrap_or_default();
    assert!(last.contains(" 0 FAIL: ready"), "{printed}");
    assert!(
        !printed.contains(SERVICE_PASSWORD),
        "a secret was printed: {printed}"
    );
    assert!(sink.mails().is_empty(), "check sent a mail");
}
