//! Secret answers hashed before normalisation version 2 keep working, and
//! are upgraded in the directory after one right answer, against a real
//! slapd started from `config/ldap`.

use crate::directory_support;

use argon2::password_hash::{PasswordHasher, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use directory_support::*;
use passerelle::secret_answer::{normalise_v1, AnswerCheck, AnswerHasher};
use passerelle::slapd::TestPerson;
use secrecy::SecretString;

const PEPPER: &str = "a pepper for the answer tests";

/// A hash exactly as gateways stored them before version 2: argon2id,
/// OWASP settings, peppered, of the v1 normalisation, no `data` marker.
fn v1_hash(answer: &str) -> String {
    Argon2::new_with_secret(
        PEPPER.as_bytes(),
        Algorithm::Argon2id,
        Version::V0x13,
        Params::new(19_456, 2, 1, None).unwrap(),
    )
    .unwrap()
    .hash_password(
        normalise_v1(answer).as_bytes(),
        &SaltString::generate(&mut rand::rngs::OsRng),
    )
    .unwrap()
    .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_old_answer_hash_is_upgraded_after_one_right_answer() {
    let slapd = start_slapd().await;
    let directory = directory(&slapd);
    let uid = unique_uid("answer");
    let person = add_person(&slapd, &directory, &uid, &TestPerson::default()).await;
    let question = "Dans quelle ville sont nés vos parents ?";
    directory
        .set_secret(&person, question, &v1_hash("Saint-Étienne-du-Rouvray"))
        .await
        .expect("store the old hash");
    let hasher = AnswerHasher::new(&SecretString::from(PEPPER), 1).unwrap();
    let stored = |p: &passerelle::directory::Person| p.state.answer_hash.clone();

    // Before the upgrade, only the spelling version 1 accepted works.
    let person = directory.reload(&person).await.unwrap().unwrap();
    let spaced = SecretString::from("saint etienne du rouvray");
    assert_eq!(
        hasher
            .check(&spaced, stored(&person).as_deref())
            .await
            .unwrap(),
        AnswerCheck::Wrong
    );
    let outcome = hasher
        .check(
            &SecretString::from("SAINT-ETIENNE-DU-ROUVRAY"),
            stored(&person).as_deref(),
        )
        .await
        .unwrap();
    let AnswerCheck::RightRehash(new_hash) = outcome else {
        panic!("a right answer to an old hash asks for a rehash: {outcome:?}");
    };
    // What the recover flow does then: store the new hash, same question,
    // only while the entry still holds the old one.
    let old_hash = stored(&person).expect("the old hash");
    assert!(directory
        .rehash_secret(&person, question, &old_hash, &new_hash)
        .await
        .expect("store the new hash"));

    let person = directory.reload(&person).await.unwrap().unwrap();
    assert_eq!(person.state.question.as_deref(), Some(question));
    assert_eq!(
        hasher
            .check(&spaced, stored(&person).as_deref())
            .await
            .unwrap(),
        AnswerCheck::Right,
        "hyphens typed as spaces now match, and no further rehash is asked"
    );

    // A rehash planned from a reading made before the owner chose another
    // question never puts the old one back.
    let owner_s = "Quel est le nom de votre premier animal ?";
    directory
        .set_secret(&person, owner_s, &new_hash)
        .await
        .unwrap();
    assert!(!directory
        .rehash_secret(&person, question, &old_hash, &new_hash)
        .await
        .unwrap());
    let person = directory.reload(&person).await.unwrap().unwrap();
    assert_eq!(person.state.question.as_deref(), Some(owner_s));
}
