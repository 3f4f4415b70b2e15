//! Presets as a configuration layer: `preset = "efp"` puts the seed
//! system's settings (compiled into the binary) between the built-in
//! defaults and the site's file, so a site writes only what differs; the
//! file and the environment still win. An unknown preset, a text naming no
//! message and a main colour too light for white text stop the start with
//! the key named.
// figment::Jail's closures must return figment::Error, which is large by
// figment's design, not ours.
#![allow(clippy::result_large_err)]

use figment::providers::{Format, Toml};
use figment::Jail;
use passerelle::config::{figment, preset_figment, ConfigError, Settings, PRESETS};
use passerelle::policy::PolicyConfig;

fn load(jail: &Jail, file: &str) -> Result<Settings, ConfigError> {
    Settings::from_figment(figment(Some(&jail.directory().join(file))))
}

#[test]
fn a_preset_loads_under_the_file_so_a_site_writes_only_what_differs() {
    Jail::expect_with(|jail| {
        jail.create_file(
            "passerelle.toml",
            r#"
            preset = "efp"
            [site]
            name = "EFP Connect (recette)"
            "#,
        )?;
        let settings = load(jail, "passerelle.toml").expect("loads");
        // From the preset: seed 002's flows, rules, captcha and texts.
        assert_eq!(settings.preset.as_deref(), Some("efp"));
        assert!(settings.flows.code);
        assert!(!settings.flows.recover && !settings.flows.temporary);
        assert_eq!(settings.policy.min_length, Some(12));
        assert_eq!(settings.policy.min_classes, Some(3));
        assert_eq!(
            settings.texts.password.submit.as_deref(),
            Some("email-button-next")
        );
        // From the file.
        assert_eq!(settings.site.name, "EFP Connect (recette)");
        // From the defaults, which the preset does not touch.
        assert_eq!(settings.lockout.max_failures, 5);
        Ok(())
    });
}

#[test]
fn the_file_overrides_the_preset_and_the_environment_overrides_the_file() {
    Jail::expect_with(|jail| {
        jail.create_file(
            "passerelle.toml",
            r#"
            [policy]
            min_length = 10
            [flows]
            account = false
            "#,
        )?;
        // The preset itself may come from the environment.
        jail.set_env("PASSERELLE_PRESET", "ecolesoft");
        jail.set_env("PASSERELLE_POLICY__MIN_DIGITS", "2");
        let settings = load(jail, "passerelle.toml").expect("loads");
        assert_eq!(settings.preset.as_deref(), Some("ecolesoft"));
        assert!(settings.flows.temporary, "from the preset");
        assert!(!settings.flows.account, "the file wins over the preset");
        assert_eq!(settings.policy.min_length, Some(10), "the file wins");
        assert_eq!(settings.policy.min_uppercase, Some(1), "from the preset");
        assert_eq!(settings.policy.min_digits, Some(2), "the environment wins");
        Ok(())
    });
}

#[test]
fn an_unknown_preset_is_refused_with_the_names_listed() {
    Jail::expect_with(|jail| {
        jail.create_file("passerelle.toml", "preset = \"sesame\"\n")?;
        let message = load(jail, "passerelle.toml")
            .expect_err("refused")
            .to_string();
        assert!(message.starts_with("`preset`"), "{message}");
        assert!(message.contains("\"sesame\""), "{message}");
        for (name, _) in PRESETS {
            assert!(message.contains(&format!("\"{name}\"")), "{message}");
        }
        Ok(())
    });
}

/// Each preset named alone is a whole valid configuration, and the same
/// as its file under `config/presets/` (the binary carries them, so a
/// gateway installed without the repository still finds them).
#[test]
fn each_preset_loads_by_name_as_its_file_says() {
    for (name, _) in PRESETS {
        let by_name = Settings::from_figment(preset_figment(name).unwrap())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let file = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join(format!("config/presets/{name}.toml"));
        let from_file: PolicyConfig = figment::Figment::from(Toml::file(file))
            .extract_inner("policy")
            .unwrap();
        assert_eq!(by_name.policy, from_file, "{name}");
        assert_eq!(by_name.preset.as_deref(), Some(name));
    }
}

/// Only UPHF's seed lists services that take the new password; the other
/// presets list none, and neither do the defaults (a gateway cannot know
/// what a site runs).
#[test]
fn only_the_uphf_preset_lists_services() {
    assert!(Settings::default().site.services.is_empty());
    for (name, _) in PRESETS {
        let settings = Settings::from_figment(preset_figment(name).unwrap()).unwrap();
        assert_eq!(settings.site.services.is_empty(), name != "uphf", "{name}");
    }
}

#[test]
fn a_text_that_names_no_message_is_refused() {
    Jail::expect_with(|jail| {
        jail.create_file(
            "passerelle.toml",
            "[texts.password]\nlead = [\"caf-personalize\"]\n",
        )?;
        let message = load(jail, "passerelle.toml")
            .expect_err("refused")
            .to_string();
        assert!(message.contains("texts.password.lead"), "{message}");
        assert!(message.contains("caf-personalize"), "{message}");
        // A literal text is a text, not an id.
        jail.create_file(
            "literal.toml",
            "[texts]\nnotice = [\"Service réservé aux agents.\"]\n",
        )?;
        assert!(load(jail, "literal.toml").is_ok());
        Ok(())
    });
}

#[test]
fn a_main_colour_too_light_for_white_text_is_refused() {
    Jail::expect_with(|jail| {
        jail.create_file("light.toml", "[site]\nmain_color = \"#f2a900\"\n")?;
        let message = load(jail, "light.toml").expect_err("refused").to_string();
        assert!(message.contains("site.main_color"), "{message}");
        assert!(message.contains("4.5:1"), "{message}");
        jail.create_file("dark.toml", "[site]\nmain_color = \"#005a9c\"\n")?;
        assert!(load(jail, "dark.toml").is_ok());
        Ok(())
    });
}
