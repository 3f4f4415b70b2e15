//! The example configurations of `docs/sms.md`, read from the page itself,
//! so the TOML a site copies is the TOML these tests run; and the helpers
//! that point an example at a loopback receiver with secrets in temporary
//! files.

use passerelle_sms::{MobileNumber, NumberRules, SmsSender, SmsSettings};
use std::path::PathBuf;

const PAGE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/sms.md");

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    sms: SmsSettings,
}

/// The TOML block that follows `<!-- example: NAME -->` on the page.
pub fn example_toml(name: &str) -> String {
    let page = std::fs::read_to_string(PAGE).expect("docs/sms.md");
    let marker = format!("<!-- example: {name} -->");
    let after = page
        .split_once(&marker)
        .unwrap_or_else(|| panic!("no {marker} in docs/sms.md"))
        .1;
    let block = after
        .trim_start()
        .strip_prefix("```toml\n")
        .unwrap_or_else(|| panic!("a ```toml block after {marker}"));
    block
        .split_once("\n```")
        .expect("the block's end")
        .0
        .to_owned()
}

/// The settings of example `name`, as a site's file would give them.
pub fn example(name: &str) -> SmsSettings {
    toml::from_str::<ConfigFile>(&example_toml(name))
        .unwrap_or_else(|error| panic!("example {name}: {error}"))
        .sms
}

/// Every example's name, in page order.
pub fn example_names() -> Vec<String> {
    let page = std::fs::read_to_string(PAGE).expect("docs/sms.md");
    page.split("<!-- example: ")
        .skip(1)
        .map(|rest| rest.split_once(" -->").expect("marker end").0.to_owned())
        .collect()
}

/// A site's setup of an example for a test: its URL's path kept but its
/// host replaced by `base_url`, each secret file written with `secrets`'
/// value (which the test then expects on the wire), and retries quick.
pub struct Site {
    pub settings: SmsSettings,
    _secrets: tempfile::TempDir,
}

impl Site {
    pub fn new(name: &str, base_url: &str, secrets: &[(&str, &str)]) -> Site {
        let mut settings = example(name);
        settings.http.url = repoint(&settings.http.url, base_url);
        let directory = tempfile::tempdir().expect("a temporary directory");
        for (secret, value) in secrets {
            let path: PathBuf = directory.path().join(secret);
            // As an operator writes it: with a trailing newline.
            std::fs::write(&path, format!("{value}\n")).expect("secret file");
            let entry = settings
                .http
                .secret_files
                .get_mut(*secret)
                .unwrap_or_else(|| panic!("example {name} has no secret {secret}"));
            *entry = path;
        }
        settings.http.retry_base_seconds = 0.01;
        Site {
            settings,
            _secrets: directory,
        }
    }

    pub fn sender(&self) -> SmsSender {
        SmsSender::from_settings(&self.settings).expect("the example builds a sender")
    }
}

/// `https://host/path?query` → `<base_url>/path?query`.
fn repoint(url: &str, base_url: &str) -> String {
    let after_scheme = url.split_once("://").expect("an absolute URL").1;
    let path = &after_scheme[after_scheme.find('/').unwrap_or(after_scheme.len())..];
    format!("{base_url}{path}")
}

/// A French mobile as a person types it.
pub fn mobile() -> MobileNumber {
    MobileNumber::parse("06 12 34 56 78", &NumberRules::default()).expect("a mobile")
}

#[test]
fn every_example_of_the_page_is_valid_settings() {
    let names = example_names();
    for expected in ["smsu", "ovh", "twilio", "json"] {
        assert!(
            names.iter().any(|name| name == expected),
            "{expected} in {names:?}"
        );
    }
    for name in names {
        let settings = example(&name);
        settings
            .validate()
            .unwrap_or_else(|error| panic!("example {name}: {error}"));
        assert_eq!(
            settings
                .number_rules()
                .expect("rules")
                .default_region()
                .code(),
            "FR"
        );
    }
}

#[test]
fn no_example_writes_a_secret_inline() {
    for name in example_names() {
        let http = example(&name).http;
        let mut secret_places: Vec<(String, String)> = Vec::new();
        if let Some(password) = http.basic_auth_password {
            secret_places.push(("basic_auth_password".into(), password));
        }
        for (key, value) in http.query.into_iter().chain(http.headers) {
            let key_lower = key.to_lowercase();
            if ["password", "authorization", "token", "key"]
                .iter()
                .any(|word| key_lower.contains(word))
            {
                secret_places.push((key, value));
            }
        }
        for (key, value) in secret_places {
            assert!(
                value.contains("{secret:"),
                "example {name}: {key} = {value:?}"
            );
        }
    }
}
