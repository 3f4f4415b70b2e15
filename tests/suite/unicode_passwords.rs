//! One password, whatever Unicode form it is typed in: a password chosen
//! with a decomposed "é" (e + U+0301, NFD) and later typed with the composed
//! one (U+00E9, NFC) is the same password for LDAP binds (CAS) and for
//! Wi-Fi (the NT hash), against a real slapd started from `config/ldap`.

use crate::directory_support;

use directory_support::*;
use passerelle::directory::{nthash::nt_hash, BindProof, WriteKind};
use passerelle::policy::{normalize_password, PasswordPolicy, PersonContext, PolicyConfig};
use passerelle::slapd::TestPerson;
use secrecy::{ExposeSecret, SecretString};
use unicode_normalization::UnicodeNormalization;

/// "Été-Brûlant-2024" with every accent decomposed, as some systems send it.
fn decomposed(password: &str) -> String {
    password.nfd().collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_chosen_decomposed_binds_and_reaches_wifi_composed() {
    let slapd = start_slapd().await;
    let directory = directory(&slapd);
    let uid = unique_uid("nfd");
    let person = add_person(&slapd, &directory, &uid, &TestPerson::default()).await;

    let composed = "Été-Brûlant-2024";
    let nfd = decomposed(composed);
    assert_ne!(nfd, composed, "the test needs two different byte strings");
    directory
        .write_password(&person, &SecretString::from(nfd.clone()), WriteKind::Chosen)
        .await
        .expect("write");

    // What CAS does: a bind with the composed form, as most keyboards type it.
    assert!(
        binds(&slapd.url(), &person.dn, composed).await,
        "the composed form binds"
    );
    // The gateway's own proof accepts both forms.
    for typed in [composed, nfd.as_str()] {
        assert_eq!(
            directory
                .verify_password(&person, &SecretString::from(typed.to_owned()))
                .await
                .expect("bind"),
            BindProof::Valid,
            "{typed:?}"
        );
    }

    // What Wi-Fi compares against: the NT hash of the composed form.
    let view = admin_view(&slapd, &person.dn, &["sambaNTPassword"]);
    let stored = first(&view, "sambaNTPassword").expect("an NT hash is written");
    assert_eq!(stored, nt_hash(&SecretString::from(composed)));
    assert_eq!(stored, md4_utf16le_upper_hex(composed));
    assert_ne!(
        stored,
        md4_utf16le_upper_hex(&nfd),
        "not the hash of the decomposed bytes"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_chosen_composed_is_proven_when_typed_decomposed() {
    let slapd = start_slapd().await;
    let directory = directory(&slapd);
    let uid = unique_uid("nfc");
    let person = add_person(&slapd, &directory, &uid, &TestPerson::default()).await;
    let composed = "Châtaigne-Épluchée-77";
    directory
        .write_password(&person, &SecretString::from(composed), WriteKind::Chosen)
        .await
        .expect("write");
    assert_eq!(
        directory
            .verify_password(&person, &SecretString::from(decomposed(composed)))
            .await
            .expect("bind"),
        BindProof::Valid
    );
    // And history sees the two forms as one password.
    let again = directory
        .write_password(
            &person,
            &SecretString::from(decomposed(composed)),
            WriteKind::Chosen,
        )
        .await;
    assert!(
        again.is_err(),
        "the same password again is refused: {again:?}"
    );
}

#[test]
fn normalize_password_gives_the_composed_form_and_keeps_compatibility_characters() {
    let typed = SecretString::from(decomposed("Été-Brûlant-2024"));
    assert_eq!(
        normalize_password(&typed).expose_secret(),
        "Été-Brûlant-2024"
    );
    // NFC, not NFKC: a full-width letter or a ligature is its own character.
    for kept in ["Ｐassword-1", "ﬁdèle-2024!", "Été-Brûlant-2024"] {
        assert_eq!(
            normalize_password(&SecretString::from(kept)).expose_secret(),
            kept
        );
    }
}

#[test]
fn the_policy_counts_a_decomposed_accent_as_the_one_character_written() {
    let policy = PasswordPolicy::from_config(&PolicyConfig {
        min_length: Some(9),
        max_length: Some(9),
        differ_from_current: true,
        ..PolicyConfig::default()
    });
    let nobody = PersonContext::default();
    // 9 characters composed, 12 code points decomposed.
    let typed = SecretString::from(decomposed("ÉtéBrûlé7"));
    assert!(
        policy.check(&typed, &nobody).is_acceptable(),
        "{:?}",
        policy.check(&typed, &nobody)
    );
    // The current password typed in the other form is the same password.
    let current = SecretString::from("ÉtéBrûlé7");
    let ctx = PersonContext {
        current_password: Some(&current),
        ..PersonContext::default()
    };
    assert!(!policy.check(&typed, &ctx).is_acceptable());
}

/// The NT hash computed here, independently of the gateway's code.
fn md4_utf16le_upper_hex(password: &str) -> String {
    use md4::{Digest, Md4};
    let bytes: Vec<u8> = password
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    hex::encode_upper(Md4::digest(&bytes))
}
