//! The per-person mail cooldown (`flows.code_resend_seconds`, 60 s here):
//! whatever the flow, address or replica asking, a person is mailed at
//! most once per cooldown, and a second request changes nothing stored.

use super::*;
use crate::flows::code::{self, CodeInput, Request, VerifyOutcome};
use crate::flows::{account, identifier, temporary};

async fn ask_code(world: &World, gateway: &Gateway) {
    let journey = world.journey(FlowName::Code);
    code::request(gateway, &journey, Request::Accepted("jdupont@example.net"))
        .await
        .expect("the request recorded")
        .expect("a claim");
}

#[tokio::test]
async fn a_second_code_within_the_cooldown_is_not_mailed_and_one_at_its_end_is() {
    let world = World::new().await;
    ask_code(&world, &world.gateway).await;
    world.audit.wait_for(AuditStep::SendCode, 1).await;
    world.clock.advance(59);
    ask_code(&world, &world.gateway).await;
    world.audit.wait_for(AuditStep::SendCode, 2).await;
    assert_eq!(
        world.mailer.of("reset_code").len(),
        1,
        "a code left within the cooldown"
    );
    world.clock.advance(1);
    ask_code(&world, &world.gateway).await;
    let sent = world.audit.wait_for(AuditStep::SendCode, 3).await;
    assert_eq!(
        sent,
        [Outcome::CodeMailed, Outcome::Cooldown, Outcome::CodeMailed]
    );
    assert_eq!(world.mailer.of("reset_code").len(), 2);
}

#[tokio::test]
async fn a_code_refused_by_the_cooldown_leaves_the_pending_code_usable() {
    let world = World::new().await;
    let journey = world.journey(FlowName::Code);
    let claim = code::request(
        &world.gateway,
        &journey,
        Request::Accepted("jdupont@example.net"),
    )
    .await
    .expect("the request recorded")
    .expect("a claim");
    world.audit.wait_for(AuditStep::SendCode, 1).await;
    let first = world.mailer.last_code();
    world.clock.advance(10);
    ask_code(&world, &world.gateway).await;
    world.audit.wait_for(AuditStep::SendCode, 2).await;
    let outcome = code::verify(
        &world.gateway,
        &journey,
        Some(&claim),
        CodeInput::Code(first.clone()),
    )
    .await
    .unwrap();
    assert!(matches!(outcome, VerifyOutcome::Proved(_)));
}

#[tokio::test]
async fn a_new_code_after_the_cooldown_voids_the_previous_one() {
    let world = World::new().await;
    let journey = world.journey(FlowName::Code);
    let claim = code::request(
        &world.gateway,
        &journey,
        Request::Accepted("jdupont@example.net"),
    )
    .await
    .expect("the request recorded")
    .expect("a claim");
    world.audit.wait_for(AuditStep::SendCode, 1).await;
    let first = world.mailer.last_code();
    world.clock.advance(60);
    ask_code(&world, &world.gateway).await;
    world.audit.wait_for(AuditStep::SendCode, 2).await;
    let second = world.mailer.last_code();
    let outcome = code::verify(
        &world.gateway,
        &journey,
        Some(&claim),
        CodeInput::Code(first.clone()),
    )
    .await
    .unwrap();
    if first.secret().expose_secret() != second.secret().expose_secret() {
        assert!(
            matches!(outcome, VerifyOutcome::Refused),
            "a voided code proved"
        );
    }
    world.clock.advance(1);
    let outcome = code::verify(
        &world.gateway,
        &journey,
        Some(&claim),
        CodeInput::Code(second),
    )
    .await
    .unwrap();
    assert!(matches!(outcome, VerifyOutcome::Proved(_)));
}

#[tokio::test]
async fn two_replicas_asked_for_a_code_at_once_mail_it_once() {
    let world = World::new().await;
    let other = world.replica();
    ask_code(&world, &world.gateway).await;
    ask_code(&world, &other).await;
    let sent = world.audit.wait_for(AuditStep::SendCode, 2).await;
    assert_eq!(
        world.mailer.of("reset_code").len(),
        1,
        "both replicas mailed"
    );
    assert_eq!(
        [Outcome::CodeMailed, Outcome::Cooldown]
            .iter()
            .map(|o| sent.iter().filter(|s| *s == o).count())
            .collect::<Vec<_>>(),
        [1, 1]
    );
    // The one code mailed is the one stored.
    let code = world.mailer.last_code();
    assert_eq!(
        world.person("jdupont").state.code_hash,
        Some(world.code_hash("jdupont", &code))
    );
}

#[tokio::test]
async fn a_login_reminder_is_mailed_once_per_cooldown() {
    let world = World::new().await;
    for _ in 0..2 {
        let journey = world.journey(FlowName::Identifier);
        identifier::identity(&world.gateway, &journey, &identity("22001234", BORN))
            .await
            .unwrap();
        world.clock.advance(30);
    }
    assert_eq!(world.mailer.of("identifier_reminder").len(), 1);
    assert_eq!(
        world.audit.of_step(AuditStep::Identity),
        [Outcome::LoginMailed, Outcome::Cooldown]
    );
}

#[tokio::test]
async fn a_code_and_a_temporary_password_share_one_cooldown() {
    let world = World::new().await;
    ask_code(&world, &world.gateway).await;
    world.audit.wait_for(AuditStep::SendCode, 1).await;
    world.clock.advance(5);
    let journey = world.journey(FlowName::Temporary);
    temporary::request(&world.gateway, &journey, Request::Accepted("jdupont"))
        .await
        .expect("the request recorded");
    let sent = world.audit.wait_for(AuditStep::SendTemporary, 1).await;
    assert_eq!(sent, [Outcome::Cooldown]);
    assert!(world.mailer.of("temporary_password").is_empty());
    assert_eq!(world.person("jdupont").state.pending_temp_hash, None);
}

#[tokio::test]
async fn a_stranger_s_temporary_password_request_locks_nobody_out() {
    let world = World::new().await;
    let journey = world.journey(FlowName::Temporary);
    temporary::request(&world.gateway, &journey, Request::Accepted("jdupont"))
        .await
        .expect("the request recorded");
    let sent = world.audit.wait_for(AuditStep::SendTemporary, 1).await;
    assert_eq!(sent, [Outcome::TemporaryPasswordMailed]);
    assert!(
        world.directory.writes().is_empty(),
        "the password was replaced"
    );
    let journey = world.journey(FlowName::Account);
    let signed = account::sign_in(&world.gateway, &journey, "jdupont", &secret(CURRENT))
        .await
        .unwrap();
    assert!(matches!(signed, account::SignInOutcome::SignedIn(_)));
}
