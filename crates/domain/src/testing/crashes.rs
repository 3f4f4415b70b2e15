//! A gateway stopped at each point of a mail's way (the page answered,
//! the mail held, the code stored, the mail accepted) and another started
//! on what it left in the spool ([`World::restart`]): the person gets
//! exactly one mail, and what it carries works.

use super::*;
use crate::flows::code::{self, CodeInput, Request, VerifyOutcome};
use crate::flows::{identifier, temporary};

/// Asks for a code for `jdupont`: the claim the browser keeps.
async fn ask(world: &World, journey: &Journey) -> code::CodeClaim {
    code::request(
        &world.gateway,
        journey,
        Request::Accepted("jdupont@example.net"),
    )
    .await
    .expect("the request recorded")
    .expect("a claim")
}

/// Waits until the spool holds a held mail.
async fn held(world: &World) {
    for _ in 0..500 {
        if world.mailer.held() == 1 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    panic!("no mail was held");
}

/// The one code mailed, once the spool is empty; and whether it proves.
async fn one_code_that_works(world: &World, journey: &Journey, claim: &code::CodeClaim) {
    for _ in 0..500 {
        if world.mailer.spooled() == 0 && !world.mailer.of("reset_code").is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    assert_eq!(world.mailer.spooled(), 0, "the spool is empty");
    assert_eq!(world.mailer.of("reset_code").len(), 1, "one code mailed");
    let outcome = code::verify(
        &world.gateway,
        journey,
        Some(claim),
        CodeInput::Code(world.mailer.last_code()),
    )
    .await
    .unwrap();
    assert!(
        matches!(outcome, VerifyOutcome::Proved(_)),
        "the code works"
    );
}

#[tokio::test]
async fn stopped_before_the_mail_was_held_the_request_is_done_again() {
    let mut world = World::new().await;
    world.mailer.crash_at(Crash::BeforeHold);
    let journey = world.journey(FlowName::Code);
    let claim = ask(&world, &journey).await;
    assert_eq!(world.mailer.spooled(), 1, "the request is on disk");
    world.restart();
    let sent = world.audit.wait_for(AuditStep::SendCode, 1).await;
    assert_eq!(sent, [Outcome::CodeMailed]);
    one_code_that_works(&world, &journey, &claim).await;
}

#[tokio::test]
async fn stopped_with_the_mail_held_and_nothing_stored_the_request_is_done_again() {
    let mut world = World::new().await;
    world.mailer.crash_at(Crash::AfterHold);
    let journey = world.journey(FlowName::Code);
    let claim = ask(&world, &journey).await;
    held(&world).await;
    assert_eq!(world.person("jdupont").state.code_hash, None);
    world.restart();
    world.audit.wait_for(AuditStep::SendCode, 1).await;
    one_code_that_works(&world, &journey, &claim).await;
}

#[tokio::test]
async fn stopped_after_the_code_was_stored_its_held_mail_is_sent() {
    let mut world = World::new().await;
    world.mailer.crash_at(Crash::AtRelease);
    let journey = world.journey(FlowName::Code);
    let claim = ask(&world, &journey).await;
    world.audit.wait_for(AuditStep::SendCode, 1).await;
    assert!(world.person("jdupont").state.code_hash.is_some());
    assert!(world.mailer.sent().is_empty(), "stopped before it left");
    world.restart();
    one_code_that_works(&world, &journey, &claim).await;
    // The code was claimed once: no second claim, no second code.
    assert_eq!(
        world.audit.of_step(AuditStep::SendCode),
        [Outcome::CodeMailed]
    );
    assert_eq!(world.audit.count(AuditStep::Mail, Outcome::MailResumed), 1);
}

#[tokio::test]
async fn a_held_mail_a_newer_code_superseded_is_withdrawn() {
    let mut world = World::new().await;
    world.mailer.crash_at(Crash::AtRelease);
    let journey = world.journey(FlowName::Code);
    ask(&world, &journey).await;
    world.audit.wait_for(AuditStep::SendCode, 1).await;
    // Another replica mailed a newer code after the cooldown.
    world.clock.advance(61);
    let now = world.clock.now();
    world.directory.edit(&dn_of("jdupont"), |entry| {
        entry.person.state.code_hash = Some("a newer code's hash".into());
        entry.person.state.mail_sent = Some(now);
    });
    world.restart();
    for _ in 0..500 {
        if world.mailer.spooled() == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    assert_eq!(world.mailer.spooled(), 0, "withdrawn");
    assert!(world.mailer.sent().is_empty(), "the old code never leaves");
    assert_eq!(
        world.person("jdupont").state.code_hash.as_deref(),
        Some("a newer code's hash")
    );
}

#[tokio::test]
async fn stopped_after_a_temporary_password_was_held_on_the_entry_its_mail_is_sent() {
    let mut world = World::new().await;
    world.mailer.crash_at(Crash::AtRelease);
    let journey = world.journey(FlowName::Temporary);
    temporary::request(&world.gateway, &journey, Request::Accepted("jdupont"))
        .await
        .expect("the request recorded");
    let sent = world.audit.wait_for(AuditStep::SendTemporary, 1).await;
    assert_eq!(sent, [Outcome::TemporaryPasswordMailed]);
    world.restart();
    for _ in 0..500 {
        if world.mailer.spooled() == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    assert_eq!(world.mailer.of("temporary_password").len(), 1);
    let password = world.mailer.last_temporary();
    let stored = world
        .person("jdupont")
        .state
        .pending_temp_hash
        .expect("held");
    assert!(world
        .gateway
        .code_key()
        .matches_temporary(&dn_of("jdupont"), &password, &stored));
}

#[tokio::test]
async fn a_login_reminder_accepted_before_a_stop_leaves_after_it() {
    let mut world = World::new().await;
    world.mailer.crash_at(Crash::AtSend);
    let journey = world.journey(FlowName::Identifier);
    identifier::identity(&world.gateway, &journey, &identity("22001234", BORN))
        .await
        .unwrap();
    assert!(world.mailer.sent().is_empty());
    world.restart();
    assert_eq!(world.mailer.of("identifier_reminder").len(), 1);
    assert_eq!(world.mailer.spooled(), 0);
    assert_eq!(world.audit.count(AuditStep::Mail, Outcome::MailResumed), 1);
}
