//! Configuration layering: defaults < TOML file < `PASSERELLE_` environment,
//! secrets from files, and refusals that name the key at fault.
// figment::Jail's closures must return figment::Error, which is large by
// figment's design, not ours.
#![allow(clippy::result_large_err)]

use figment::Jail;
use passerelle::config::{figment, ConfigError, Settings};
use secrecy::ExposeSecret;
use std::path::Path;

fn load(jail: &Jail, file: Option<&str>) -> Result<Settings, ConfigError> {
    Settings::from_figment(figment(file.map(|f| jail.directory().join(f)).as_deref()))
}

#[test]
fn defaults_apply_when_nothing_is_configured() {
    Jail::expect_with(|jail| {
        let settings = load(jail, None).expect("defaults are valid");
        assert_eq!(settings.server.listen, "127.0.0.1:8080");
        assert_eq!(settings.lockout.max_failures, 5);
        assert_eq!(settings.ldap.identifier_attributes[1], "supannEtuId");
        Ok(())
    });
}

#[test]
fn the_file_overrides_defaults_and_the_environment_overrides_the_file() {
    Jail::expect_with(|jail| {
        jail.create_file(
            "passerelle.toml",
            r#"
            [ldap]
            urls = ["ldap://ldap1.univ.fr", "ldap://ldap2.univ.fr"]
            bind_dn = "cn=from-file"
            [lockout]
            max_failures = 3
            "#,
        )?;
        jail.set_env("PASSERELLE_LDAP__BIND_DN", "cn=from-env");
        jail.set_env("PASSERELLE_SITE__NAME", "Sésame");
        let settings = load(jail, Some("passerelle.toml")).expect("valid");
        assert_eq!(settings.ldap.urls.len(), 2);
        assert_eq!(settings.ldap.bind_dn, "cn=from-env");
        assert_eq!(settings.lockout.max_failures, 3);
        assert_eq!(settings.site.name, "Sésame");
        Ok(())
    });
}

#[test]
fn secrets_are_read_from_files_without_their_trailing_newline() {
    Jail::expect_with(|jail| {
        jail.create_file("bind.secret", "s3cret-from-file\n")?;
        jail.create_file("cookie.secret", &"k".repeat(40))?;
        jail.create_file("pepper.secret", &"p".repeat(20))?;
        jail.set_env("PASSERELLE_LDAP__BIND_PASSWORD_FILE", "bind.secret");
        jail.set_env("PASSERELLE_SECRETS__COOKIE_KEY_FILE", "cookie.secret");
        jail.set_env("PASSERELLE_SECRETS__ANSWER_PEPPER_FILE", "pepper.secret");
        jail.set_env("PASSERELLE_SECRETS__CODE_KEY", "c".repeat(40));
        let settings = load(jail, None).expect("valid");
        let secrets = settings.resolve_secrets().expect("secrets readable");
        assert_eq!(secrets.bind_password.expose_secret(), "s3cret-from-file");
        assert_eq!(secrets.answer_pepper.expose_secret(), "p".repeat(20));
        Ok(())
    });
}

#[test]
fn a_secret_never_appears_in_debug_output() {
    Jail::expect_with(|jail| {
        jail.set_env("PASSERELLE_LDAP__BIND_PASSWORD", "do-not-print-me");
        let settings = load(jail, None).expect("valid");
        assert!(!format!("{settings:?}").contains("do-not-print-me"));
        Ok(())
    });
}

#[test]
fn an_unknown_key_stops_the_start_and_is_named() {
    Jail::expect_with(|jail| {
        jail.create_file("passerelle.toml", "[ldap]\nbind_pasword = \"typo\"\n")?;
        let error = load(jail, Some("passerelle.toml")).expect_err("unknown key refused");
        let message = error.to_string();
        assert!(message.contains("bind_pasword"), "{message}");
        Ok(())
    });
}

/// Issue 24: the example placed `breached_hashes_file` under `[texts]`;
/// uncommented there it failed with "unknown field" and no hint of where
/// it belongs.
#[test]
fn an_unknown_key_that_another_section_has_names_that_section() {
    Jail::expect_with(|jail| {
        jail.create_file(
            "passerelle.toml",
            "[texts]\nbreached_hashes_file = \"/var/lib/passerelle/pwned.txt\"\n",
        )?;
        let message = load(jail, Some("passerelle.toml"))
            .expect_err("refused")
            .to_string();
        assert!(
            message.contains(
                "`breached_hashes_file` is not a key of [texts]: it belongs in [policy] (policy.breached_hashes_file)"
            ),
            "{message}"
        );

        // At the top of the file, before its table.
        jail.create_file("top.toml", "bind_dn = \"cn=passerelle\"\n[ldap]\n")?;
        let message = load(jail, Some("top.toml"))
            .expect_err("refused")
            .to_string();
        assert!(
            message.contains("it belongs in [ldap] (ldap.bind_dn)"),
            "{message}"
        );

        // From the environment too.
        jail.set_env("PASSERELLE_LDAP__MAX_LENGTH", "20");
        let message = load(jail, None).expect_err("refused").to_string();
        assert!(
            message.contains("it belongs in [policy] (policy.max_length)"),
            "{message}"
        );
        Ok(())
    });
}

#[test]
fn a_typo_gets_no_misleading_hint() {
    Jail::expect_with(|jail| {
        jail.create_file("passerelle.toml", "[ldap]\nbind_pasword = \"typo\"\n")?;
        let message = load(jail, Some("passerelle.toml"))
            .expect_err("refused")
            .to_string();
        assert!(!message.contains("belongs in"), "{message}");
        Ok(())
    });
}

#[test]
fn an_unknown_environment_variable_is_refused_too() {
    Jail::expect_with(|jail| {
        jail.set_env("PASSERELLE_LDAP__TIMEOUT_SECONDZ", "3");
        let message = load(jail, None).expect_err("refused").to_string();
        assert!(message.contains("timeout_secondz"), "{message}");
        Ok(())
    });
}

#[test]
fn an_invalid_value_names_the_key_and_what_is_expected() {
    Jail::expect_with(|jail| {
        jail.create_file("a.toml", "[ldap]\nurls = [\"http://ldap.univ.fr\"]\n")?;
        let message = load(jail, Some("a.toml")).expect_err("refused").to_string();
        assert!(
            message.contains("ldap.urls") && message.contains("ldap://"),
            "{message}"
        );

        jail.create_file("b.toml", "[lockout]\nmax_failures = \"five\"\n")?;
        let message = load(jail, Some("b.toml")).expect_err("refused").to_string();
        assert!(message.contains("max_failures"), "{message}");

        jail.create_file("c.toml", "[server]\npublic_url = \"sesame\"\n")?;
        let message = load(jail, Some("c.toml")).expect_err("refused").to_string();
        assert!(message.contains("server.public_url"), "{message}");
        Ok(())
    });
}

#[test]
fn a_missing_file_is_an_error_not_silently_defaults() {
    Jail::expect_with(|jail| {
        let error = load(jail, Some("nowhere.toml")).expect_err("missing file refused");
        assert!(error.to_string().contains("nowhere.toml"), "{error}");
        Ok(())
    });
}

#[test]
fn a_secret_given_inline_and_as_a_file_is_refused() {
    Jail::expect_with(|jail| {
        jail.create_file("bind.secret", "x")?;
        jail.set_env("PASSERELLE_LDAP__BIND_PASSWORD", "y");
        jail.set_env("PASSERELLE_LDAP__BIND_PASSWORD_FILE", "bind.secret");
        let settings = load(jail, None).expect("loads");
        let message = settings
            .resolve_secrets()
            .expect_err("ambiguous")
            .to_string();
        assert!(message.contains("ldap.bind_password"), "{message}");
        Ok(())
    });
}

#[test]
fn the_example_configuration_is_valid_and_complete() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/passerelle.example.toml");
    let settings = Settings::load(Some(&example)).expect("example configuration loads");
    assert!(settings.flows.recover);
}

/// Every key the example shows commented out stands in its own section:
/// uncommented together, they load (the example once placed
/// `breached_hashes_file` under `[texts]`). A commented key that is also
/// set (an alternative value) is left as it is.
#[test]
fn every_key_the_example_comments_out_stands_in_its_own_section() {
    use figment::providers::{Format as _, Toml};
    use std::collections::HashSet;
    let example = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("config/passerelle.example.toml"),
    )
    .unwrap();
    // `key = value` on one line: its key.
    let key_of = |text: &str| -> Option<String> {
        figment::Figment::from(Toml::string(text))
            .extract::<serde_json::Map<String, serde_json::Value>>()
            .ok()
            .filter(|table| table.len() == 1)
            .and_then(|table| table.keys().next().cloned())
    };
    let mut section = String::new();
    let mut set = HashSet::new();
    for line in example.lines() {
        if let Some(header) = line.strip_prefix("# [").or_else(|| line.strip_prefix('[')) {
            section = header.trim_end_matches(']').to_owned();
        } else if let Some(key) = key_of(line) {
            set.insert(format!("{section}.{key}"));
        }
    }
    let mut uncommented = 0;
    let mut text = String::new();
    section.clear();
    for line in example.lines() {
        let candidate = line.strip_prefix("# ").unwrap_or(line);
        if let Some(header) = line.strip_prefix("# [").or_else(|| line.strip_prefix('[')) {
            section = header.trim_end_matches(']').to_owned();
            text.push_str(candidate);
        } else if let Some(key) = line.strip_prefix("# ").and_then(|_| key_of(candidate)) {
            if set.insert(format!("{section}.{key}")) {
                uncommented += 1;
                text.push_str(candidate);
            } else {
                text.push_str(line);
            }
        } else {
            text.push_str(line);
        }
        text.push('\n');
    }
    assert!(uncommented > 40, "{uncommented} keys uncommented");
    figment::Figment::from(Toml::string(&text))
        .extract::<Settings>()
        .unwrap_or_else(|e| panic!("{e}\n{text}"));
}
