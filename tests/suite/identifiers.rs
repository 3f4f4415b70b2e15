//! Identifiers and birth dates as people type them, against a real slapd
//! started from `config/ldap` with the demo people
//! (`config/ldap/demo-people.md`): a staff number in the wrong case, a
//! value pasted with spaces, full-width digits from an East Asian keyboard,
//! filter metacharacters, and a value two entries share.

use crate::directory_support;

use directory_support::*;
use figment::providers::{Format, Toml};
use figment::Figment;
use passerelle::config::{LdapSettings, Settings};
use passerelle::directory::{BirthDate, Directory, DirectoryError, IdentifierCase, Person};
use passerelle::slapd::{person_ldif, People, Slapd, TestPerson};
use std::collections::BTreeMap;

async fn start_demo() -> Slapd {
    tokio::task::spawn_blocking(|| Slapd::start(People::Demo))
        .await
        .expect("join")
        .expect("slapd starts")
}

/// The login of the one person `typed` finds, `None` for nobody.
async fn who(directory: &Directory, typed: &str) -> Option<String> {
    directory
        .find_person_by_input(typed)
        .await
        .unwrap_or_else(|e| panic!("{typed:?}: {e}"))
        .map(|p: Person| p.login)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn identifiers_are_found_however_people_type_them() {
    let slapd = start_demo().await;
    let directory = directory(&slapd);

    // adumas's staff number is P4106A in a case-exact attribute.
    for typed in [
        "P4106A",
        "p4106a",
        " P4106A ",
        "\tp4106A\n",
        "Ｐ４１０６Ａ",
        "ｐ４１０６ａ",
    ] {
        assert_eq!(
            who(&directory, typed).await.as_deref(),
            Some("adumas"),
            "{typed:?}"
        );
    }
    // jdupont: student number 22301001, INE 1234567890A, login jdupont.
    for typed in [
        "２２３０１００１",
        "\u{3000}22301001\u{3000}",
        " 22301001 ",
        "1234567890a",
        "１２３４５６７８９０Ａ",
        "JDupont",
        " jdupont ",
        // Copied from a PDF, a web page or a mail, with what comes along
        // unseen: a zero-width space, a byte-order mark, a soft hyphen,
        // bidirectional marks.
        "22301001\u{200B}",
        "\u{FEFF}22301001",
        "2230\u{00AD}1001",
        "\u{200E}jdupont\u{200F}",
        "\u{202A}1234567890A\u{202C}",
    ] {
        assert_eq!(
            who(&directory, typed).await.as_deref(),
            Some("jdupont"),
            "{typed:?}"
        );
    }
    // Staff numbers made only of digits still work.
    assert_eq!(who(&directory, "41001").await.as_deref(), Some("jbernard"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_or_unknown_input_finds_nobody() {
    let slapd = start_demo().await;
    let directory = directory(&slapd);
    for typed in [
        "*)(uid=*",
        "*",
        "*)(supannEmpId=*",
        "P4106*",
        "p4106a)(|(uid=*",
        "\\2a",
        "P4106B",
        "",
        "   ",
    ] {
        assert_eq!(who(&directory, typed).await, None, "{typed:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_value_two_entries_share_is_refused_as_ambiguous() {
    let slapd = start_demo().await;
    let directory = directory(&slapd);
    // chomonyme and phomonyme share supannEmpId 49999.
    for typed in ["49999", " ４９９９９ "] {
        let outcome = directory.find_person_by_input(typed).await;
        assert!(
            matches!(outcome, Err(DirectoryError::Ambiguous)),
            "{typed:?}: {outcome:?}"
        );
    }
    // Normalised per attribute, one typed value can reach two people
    // through two attributes: a login "x7741b" and a staff number "X7741B".
    slapd
        .add_ldif(&person_ldif("x7741b", &TestPerson::default()))
        .expect("add");
    slapd
        .add_ldif(&person_ldif(
            "ambistaff",
            &TestPerson {
                staff_number: Some("X7741B".into()),
                ..TestPerson::default()
            },
        ))
        .expect("add");
    let outcome = directory.find_person_by_input("x7741b").await;
    assert!(
        matches!(outcome, Err(DirectoryError::Ambiguous)),
        "{outcome:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_configured_case_is_the_one_searched() {
    let slapd = start_demo().await;
    // A site that states supannEmpId is exact: the typed case must match.
    let mut settings: LdapSettings = settings_for(vec![slapd.url()]);
    settings.identifier_case = BTreeMap::from([("supannempid".to_owned(), IdentifierCase::Exact)]);
    let exact = directory_with(settings);
    assert_eq!(who(&exact, "p4106a").await, None);
    assert_eq!(who(&exact, "P4106A").await.as_deref(), Some("adumas"));

    // A staff number stored in small letters, declared "lower".
    slapd
        .add_ldif(&person_ldif(
            "lowstaff",
            &TestPerson {
                staff_number: Some("q5207c".into()),
                ..TestPerson::default()
            },
        ))
        .expect("add");
    let mut settings = settings_for(vec![slapd.url()]);
    settings.identifier_case = BTreeMap::from([("supannEmpId".to_owned(), IdentifierCase::Lower)]);
    let lower = directory_with(settings);
    assert_eq!(who(&lower, "Q5207C").await.as_deref(), Some("lowstaff"));
    // With the default (upper) it is not found: the case matters.
    assert_eq!(who(&directory(&slapd), "Q5207C").await, None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pasted_or_full_width_birth_date_matches_the_directory() {
    let slapd = start_demo().await;
    let directory = directory(&slapd);
    let person = directory
        .find_person_by_input(" p4106a ")
        .await
        .expect("search")
        .expect("adumas");
    // adumas was born on 1971-04-03 (schacDateOfBirth 19710403).
    for typed in [
        " 03/04/1971 ",
        "０３/０４/１９７１",
        "\u{3000}1971-04-03\t",
        "03/04/1971\u{200B}",
        "\u{FEFF}03\u{2060}/04/1971",
    ] {
        let parsed = BirthDate::parse(typed).unwrap_or_else(|| panic!("{typed:?} refused"));
        assert_eq!(Some(parsed.date()), person.birth_date, "{typed:?}");
    }
}

fn settings_from(toml: &str) -> Result<Settings, String> {
    Settings::from_figment(Figment::from(Toml::string(toml))).map_err(|e| e.to_string())
}

#[test]
fn identifier_case_is_one_readable_line_of_toml() {
    let settings = settings_from(
        r#"
        [ldap]
        identifier_attributes = ["uid", "supannEmpId", "employeeNumber"]
        identifier_case = { employeeNumber = "upper", supannEmpId = "exact" }
        "#,
    )
    .expect("valid");
    let ldap = &settings.ldap;
    assert_eq!(
        ldap.identifier_case_of("employeeNumber"),
        IdentifierCase::Upper
    );
    assert_eq!(
        ldap.identifier_case_of("supannEmpId"),
        IdentifierCase::Exact
    );
    // Unlisted: the built-in default for that attribute.
    assert_eq!(ldap.identifier_case_of("uid"), IdentifierCase::Lower);
}

#[test]
fn plain_attribute_lists_keep_working_with_supann_defaults() {
    let settings = settings_from(
        r#"
        [ldap]
        identifier_attributes = ["uid", "supannEtuId", "supannCodeINE", "supannEmpId"]
        "#,
    )
    .expect("valid");
    let ldap = &settings.ldap;
    assert_eq!(
        ldap.identifier_case_of("supannEmpId"),
        IdentifierCase::Upper
    );
    assert_eq!(
        ldap.identifier_case_of("supannCodeINE"),
        IdentifierCase::Upper
    );
    assert_eq!(ldap.identifier_case_of("uid"), IdentifierCase::Lower);
    assert_eq!(
        ldap.identifier_case_of("supannEtuId"),
        IdentifierCase::Exact
    );
}

#[test]
fn a_case_for_an_attribute_nobody_searches_or_an_unknown_case_is_refused() {
    let typo = settings_from(
        r#"
        [ldap]
        identifier_case = { supannEmpID = "upper", supanEtuId = "exact" }
        "#,
    )
    .expect_err("typo refused");
    assert!(typo.contains("ldap.identifier_case"), "{typo}");
    assert!(typo.contains("supanEtuId"), "{typo}");

    let unknown = settings_from(
        r#"
        [ldap]
        identifier_case = { supannEmpId = "capitals" }
        "#,
    )
    .expect_err("unknown case refused");
    assert!(unknown.contains("capitals"), "{unknown}");
}

#[test]
fn every_preset_and_the_example_still_load() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let example =
        Settings::load(Some(&root.join("config/passerelle.example.toml"))).expect("example loads");
    assert_eq!(
        example.ldap.identifier_case_of("supannEmpId"),
        IdentifierCase::Upper
    );
    let uphf = Settings::load(Some(&root.join("config/presets/uphf.toml"))).expect("uphf loads");
    assert_eq!(
        uphf.ldap.identifier_case_of("supannEmpId"),
        IdentifierCase::Upper
    );
}

#[test]
// figment::Jail's closures must return figment::Error, which is large by
// figment's design, not ours.
#[allow(clippy::result_large_err)]
fn identifier_case_can_be_set_from_the_environment() {
    figment::Jail::expect_with(|jail| {
        jail.set_env("PASSERELLE_LDAP__IDENTIFIER_CASE__SUPANNEMPID", "exact");
        let settings =
            Settings::from_figment(passerelle::config::figment(None)).map_err(|e| e.to_string())?;
        assert_eq!(
            settings.ldap.identifier_case_of("supannEmpId"),
            IdentifierCase::Exact
        );
        Ok(())
    });
}
