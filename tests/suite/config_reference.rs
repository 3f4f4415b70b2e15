//! The configuration reference, `docs/configuration.md`, is generated from
//! the code (`passerelle::config_reference`): these tests fail when a key
//! is added, renamed or removed without the file following, and when a
//! shipped TOML file (the example, the presets) uses a key the reference
//! does not document. `UPDATE_DOCS=1 cargo test --test suite
//! config_reference` rewrites the file.

use figment::providers::Format as _;
use passerelle::config::Settings;
use passerelle::config_reference::{key_names, markdown, REFERENCE_PATH};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The keys a reference documents, from its `### \`key\`` headings.
fn documented(text: &str) -> BTreeSet<String> {
    text.lines()
        .filter_map(|line| line.strip_prefix("### `")?.strip_suffix('`'))
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_configuration_reference_documents_every_key_of_the_code() {
    let generated = markdown().unwrap_or_else(|e| panic!("{e}"));
    let path = repository().join(REFERENCE_PATH);
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    if generated == on_disk {
        return;
    }
    if std::env::var_os("UPDATE_DOCS").is_some_and(|v| v == "1") {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let (code, file) = (documented(&generated), documented(&on_disk));
    let missing: Vec<&String> = code.difference(&file).collect();
    let stale: Vec<&String> = file.difference(&code).collect();
    panic!(
        "{REFERENCE_PATH} is out of date.\n  keys missing from it: {missing:?}\n  keys it documents that no longer exist: {stale:?}\n  {}\nRegenerate it: UPDATE_DOCS=1 cargo test --test suite config_reference\n(or cargo run -q -- config-reference > {REFERENCE_PATH}), then review the diff.",
        if missing.is_empty() && stale.is_empty() {
            "same keys: a type, a default or a meaning changed"
        } else {
            "and maybe more: types, defaults or meanings"
        }
    );
}

/// Every dotted key of a TOML file: tables are walked down until a key
/// the reference documents (a table-valued key such as
/// `ldap.identifier_case` counts as one key).
fn keys_of(path: &Path, known: &BTreeSet<String>) -> Vec<String> {
    let value: serde_json::Value =
        figment::Figment::from(figment::providers::Toml::file_exact(path))
            .extract()
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut keys = Vec::new();
    let mut stack = vec![(String::new(), value)];
    while let Some((prefix, value)) = stack.pop() {
        match value {
            serde_json::Value::Object(map) if !known.contains(&prefix) => {
                for (name, value) in map {
                    let dotted = if prefix.is_empty() {
                        name
                    } else {
                        format!("{prefix}.{name}")
                    };
                    stack.push((dotted, value));
                }
            }
            _ => keys.push(prefix),
        }
    }
    keys
}

#[test]
fn every_key_of_the_shipped_configuration_files_is_documented() {
    let known: BTreeSet<String> = key_names()
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .collect();
    let mut files = vec![repository().join("config/passerelle.example.toml")];
    let mut presets: Vec<PathBuf> = std::fs::read_dir(repository().join("config/presets"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "toml"))
        .collect();
    presets.sort();
    files.extend(presets);
    let mut undocumented = Vec::new();
    for file in &files {
        for key in keys_of(file, &known) {
            if !known.contains(&key) {
                undocumented.push(format!("{}: {key}", file.display()));
            }
        }
    }
    assert!(
        undocumented.is_empty(),
        "keys used but not in {REFERENCE_PATH}: {undocumented:#?}"
    );
    // The example is a configuration a site can start from.
    Settings::load(Some(&files[0])).expect("the example configuration loads");
}

#[test]
fn the_reference_names_each_key_with_its_type_default_and_variable() {
    let text = markdown().unwrap();
    let ldap_urls = text
        .split("### `ldap.urls`")
        .nth(1)
        .and_then(|rest| rest.split("### ").next())
        .expect("ldap.urls is documented");
    assert!(
        ldap_urls.contains("- type: array of strings"),
        "{ldap_urls}"
    );
    assert!(
        ldap_urls.contains("- default: `[\"ldap://127.0.0.1:389\"]`"),
        "{ldap_urls}"
    );
    assert!(ldap_urls.contains("`PASSERELLE_LDAP__URLS`"), "{ldap_urls}");
    assert!(ldap_urls.contains("failover"), "{ldap_urls}");
}
