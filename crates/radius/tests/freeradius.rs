//! The check against a real FreeRADIUS: a right password is accepted over
//! MS-CHAPv2 and PAP, a wrong one is refused after exactly one login
//! attempt (even when an answer is lost and the request sent again), a
//! wrong shared secret or a server that cannot be reached gives "no
//! answer" within the deadline and no login attempt, and neither a forged
//! Accept nor an Accept without proof is ever taken for a confirmation.

mod support;

use std::time::{Duration, Instant};

use passerelle_radius::{PasswordMethod, RadiusError, RadiusOutcome, TRANSMISSIONS};
use secrecy::SecretString;
use support::{check_for, FreeRadius, KnownGood, Logins, OnAnswer, Relay, Silent};

const PERSON: &str = "rosalie.borne";
const PASSWORD: &str = "Jeune-Chataignier-2026";
const OLD_PASSWORD: &str = "Vieux-Platane-1987";
/// With accents, as a person types them (NFC), and hashed by FreeRADIUS
/// itself from the cleartext.
const ACCENTED_PERSON: &str = "gaetan.lefevre";
const ACCENTED_PASSWORD: &str = "Châtaignier-Été-2026";
/// Someone a careless server accepts whatever the password.
const ANYONE: &str = "tout.le.monde";

/// How late past its deadline a check may return: the runtime's wake-up.
const SLACK: Duration = Duration::from_millis(500);

fn site() -> FreeRadius {
    FreeRadius::start(&[
        (PERSON, KnownGood::NtHash(PASSWORD)),
        (ACCENTED_PERSON, KnownGood::Cleartext(ACCENTED_PASSWORD)),
        (ANYONE, KnownGood::AcceptAnything),
    ])
}

fn password(text: &str) -> SecretString {
    SecretString::from(text)
}

#[tokio::test]
async fn the_new_password_is_accepted_over_mschapv2_after_one_login() {
    let radius = site();
    let outcome = radius
        .check(PasswordMethod::Mschapv2, 3)
        .check_password(PERSON, &password(PASSWORD))
        .await
        .expect("the check runs");
    assert_eq!(outcome, RadiusOutcome::Accepted, "{}", radius.log());
    assert_eq!(
        radius.logins_of(PERSON).await,
        Logins {
            ok: 1,
            incorrect: 0
        }
    );
}

#[tokio::test]
async fn the_new_password_is_accepted_over_pap() {
    let radius = site();
    let outcome = radius
        .check(PasswordMethod::Pap, 3)
        .check_password(PERSON, &password(PASSWORD))
        .await
        .expect("the check runs");
    assert_eq!(outcome, RadiusOutcome::Accepted, "{}", radius.log());
}

#[tokio::test]
async fn an_accented_password_is_accepted_both_ways() {
    let radius = site();
    for method in [PasswordMethod::Mschapv2, PasswordMethod::Pap] {
        let outcome = radius
            .check(method, 3)
            .check_password(ACCENTED_PERSON, &password(ACCENTED_PASSWORD))
            .await
            .expect("the check runs");
        assert_eq!(
            outcome,
            RadiusOutcome::Accepted,
            "{method:?}\n{}",
            radius.log()
        );
    }
}

#[tokio::test]
async fn a_password_the_server_does_not_have_is_refused_after_exactly_one_login() {
    for method in [PasswordMethod::Mschapv2, PasswordMethod::Pap] {
        let radius = site();
        let outcome = radius
            .check(method, 3)
            .check_password(PERSON, &password(OLD_PASSWORD))
            .await
            .expect("the check runs");
        assert_eq!(
            outcome,
            RadiusOutcome::Rejected,
            "{method:?}\n{}",
            radius.log()
        );
        assert_eq!(
            radius.logins_of(PERSON).await,
            Logins {
                ok: 0,
                incorrect: 1
            },
            "{method:?}: one refusal is one failed login, never more"
        );
    }
}

#[tokio::test]
async fn an_unknown_person_is_refused() {
    let radius = site();
    let outcome = radius
        .check(PasswordMethod::Mschapv2, 3)
        .check_password("personne.inconnue", &password(PASSWORD))
        .await
        .expect("the check runs");
    assert_eq!(outcome, RadiusOutcome::Rejected);
}

#[tokio::test]
async fn a_lost_answer_is_recovered_by_the_same_request_and_counts_one_login() {
    let radius = site();
    let relay = Relay::start(radius.socket_address(), OnAnswer::Lose(1)).await;
    let started = Instant::now();
    let outcome = check_for(
        &relay.address(),
        radius.secret(),
        PasswordMethod::Mschapv2,
        3,
    )
    .check_password(PERSON, &password(OLD_PASSWORD))
    .await
    .expect("the check runs");
    let elapsed = started.elapsed();

    assert_eq!(outcome, RadiusOutcome::Rejected, "{}", radius.log());
    assert!(elapsed <= Duration::from_secs(3) + SLACK, "{elapsed:?}");
    let requests = relay.requests();
    assert_eq!(
        requests.len(),
        2,
        "sent again once, at a third of the deadline"
    );
    assert_eq!(requests[0], requests[1], "the copy is the same request");
    assert_eq!(
        radius.logins_of(PERSON).await,
        Logins {
            ok: 0,
            incorrect: 1
        },
        "FreeRADIUS answered the copy from its cache, without a second login"
    );
    assert!(
        radius.log().contains("duplicate"),
        "FreeRADIUS saw the copy as a duplicate:\n{}",
        radius.log()
    );
}

#[tokio::test]
async fn a_wrong_shared_secret_gets_no_answer_and_no_login_within_the_deadline() {
    let radius = site();
    let started = Instant::now();
    let outcome = check_for(
        &radius.address(),
        SecretString::from("not-the-secret-of-this-client"),
        PasswordMethod::Mschapv2,
        1,
    )
    .check_password(PERSON, &password(PASSWORD))
    .await
    .expect("the check runs");
    let elapsed = started.elapsed();

    assert_eq!(outcome, RadiusOutcome::NoAnswer);
    assert!(elapsed <= Duration::from_secs(1) + SLACK, "{elapsed:?}");
    assert_eq!(
        radius.logins_of(PERSON).await,
        Logins {
            ok: 0,
            incorrect: 0
        },
        "the server dropped the requests before any login"
    );
    assert!(
        radius.log().contains("invalid Message-Authenticator"),
        "FreeRADIUS says why it dropped them:\n{}",
        radius.log()
    );
}

#[tokio::test]
async fn a_server_nobody_listens_on_gives_no_answer_within_the_deadline() {
    let port = std::net::UdpSocket::bind("127.0.0.1:0")
        .and_then(|socket| socket.local_addr())
        .expect("a free port")
        .port();
    let started = Instant::now();
    let outcome = check_for(
        &format!("127.0.0.1:{port}"),
        SecretString::from("a-shared-secret-for-nobody"),
        PasswordMethod::Mschapv2,
        1,
    )
    .check_password(PERSON, &password(PASSWORD))
    .await
    .expect("the check runs");
    let elapsed = started.elapsed();
    assert_eq!(outcome, RadiusOutcome::NoAnswer);
    assert!(elapsed <= Duration::from_secs(1) + SLACK, "{elapsed:?}");
}

#[tokio::test]
async fn a_silent_server_gets_the_same_request_three_times_then_no_answer() {
    let silent = Silent::start().await;
    let started = Instant::now();
    let outcome = check_for(
        &silent.address(),
        SecretString::from("a-shared-secret-for-silence"),
        PasswordMethod::Mschapv2,
        1,
    )
    .check_password(PERSON, &password(PASSWORD))
    .await
    .expect("the check runs");
    let elapsed = started.elapsed();

    assert_eq!(outcome, RadiusOutcome::NoAnswer);
    assert!(elapsed >= Duration::from_secs(1), "waited the deadline out");
    assert!(elapsed <= Duration::from_secs(1) + SLACK, "{elapsed:?}");
    let requests = silent.requests();
    assert_eq!(requests.len(), TRANSMISSIONS as usize);
    assert!(
        requests.iter().all(|copy| *copy == requests[0]),
        "every transmission is the same request"
    );
}

#[tokio::test]
async fn a_refusal_turned_into_an_accept_on_the_way_is_never_believed() {
    let radius = site();
    let relay = Relay::start(radius.socket_address(), OnAnswer::RejectToAccept).await;
    for method in [PasswordMethod::Mschapv2, PasswordMethod::Pap] {
        let outcome = check_for(&relay.address(), radius.secret(), method, 1)
            .check_password(PERSON, &password(OLD_PASSWORD))
            .await
            .expect("the check runs");
        assert_eq!(
            outcome,
            RadiusOutcome::NoAnswer,
            "{method:?}: the altered answer fails its signature and is ignored"
        );
    }
}

#[tokio::test]
async fn a_server_that_accepts_without_checking_is_caught_over_mschapv2() {
    let radius = site();
    let result = radius
        .check(PasswordMethod::Mschapv2, 3)
        .check_password(ANYONE, &password("nimporte-quoi"))
        .await;
    assert!(
        matches!(result, Err(RadiusError::UnprovenAccept)),
        "no MS-CHAP2-Success, no confirmation: {result:?}"
    );

    // PAP has no such proof: the server's word is all there is
    // (docs/radius.md says so).
    let outcome = radius
        .check(PasswordMethod::Pap, 3)
        .check_password(ANYONE, &password("nimporte-quoi"))
        .await
        .expect("the check runs");
    assert_eq!(outcome, RadiusOutcome::Accepted);
}

#[tokio::test]
async fn a_refusal_held_back_by_the_server_still_counts_one_login() {
    // A server that holds refusals back (Debian's default reject_delay is
    // 1 s; 2 s here so that the copy sent at a third of 3 s surely comes
    // while the refusal is still held): the copy reaches a request still in
    // hand and is not authenticated again.
    let radius = FreeRadius::start_with_reject_delay(&[(PERSON, KnownGood::NtHash(PASSWORD))], 2);
    let relay = Relay::start(radius.socket_address(), OnAnswer::Lose(0)).await;
    let outcome = check_for(&relay.address(), radius.secret(), PasswordMethod::Pap, 3)
        .check_password(PERSON, &password(OLD_PASSWORD))
        .await
        .expect("the check runs");
    assert_eq!(outcome, RadiusOutcome::Rejected, "{}", radius.log());
    assert!(
        relay.requests().len() >= 2,
        "the copy was sent while the refusal was held back"
    );
    assert_eq!(
        radius.logins_of(PERSON).await,
        Logins {
            ok: 0,
            incorrect: 1
        }
    );
}
