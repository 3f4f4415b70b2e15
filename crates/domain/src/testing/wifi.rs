//! Wi-Fi confirmed (issue 23): after a chosen password is written the site's
//! RADIUS server is asked once, with that password, and what it said
//! reaches the done page and the audit trail; a temporary password, a twin's
//! submission and a refused write ask nothing, and a refusal is never asked
//! again.

use super::*;
use crate::flows::code::Request;
use crate::flows::{change, recover, temporary, PasswordOutcome};

fn wifi_of(outcome: &PasswordOutcome) -> Option<WifiAnswer> {
    match outcome {
        PasswordOutcome::Done { wifi, .. } => *wifi,
        other => panic!("not done: {other:?}"),
    }
}

#[tokio::test]
async fn a_chosen_password_is_asked_about_once_and_the_page_hears_the_answer() {
    for (answer, outcome) in [
        (WifiAnswer::Accepted, Outcome::RadiusConfirmed),
        (WifiAnswer::Refused, Outcome::RadiusRefused),
        (WifiAnswer::NoAnswer, Outcome::RadiusLagging),
    ] {
        let world = World::with_wifi(|_| {}).await;
        world.wifi.answer(answer);
        let journey = recover_proved(&world.gateway, &world, "jdupont").await;
        // Typed in NFD: RADIUS is asked with the password as written (NFC).
        let done = recover::submit_password(
            &world.gateway,
            &journey,
            &form(&secret("E\u{301}te\u{301}-Nouveau-2026")),
        )
        .await
        .unwrap();
        assert_eq!(wifi_of(&done), Some(answer));
        assert_eq!(
            world.wifi.asked(),
            [("jdupont".to_owned(), "Été-Nouveau-2026".to_owned())],
            "one question, about the password written"
        );
        assert_eq!(
            world.audit.of_step(AuditStep::Password),
            [Outcome::Changed, outcome]
        );
    }
}

#[tokio::test]
async fn without_a_radius_check_the_page_is_told_nothing_about_wifi() {
    let world = World::new().await;
    let journey = recover_proved(&world.gateway, &world, "jdupont").await;
    let done = recover::submit_password(
        &world.gateway,
        &journey,
        &form(&secret("Nouveau-Secret-2026")),
    )
    .await
    .unwrap();
    assert_eq!(wifi_of(&done), None);
    assert!(world.wifi.asked().is_empty());
    assert_eq!(world.audit.of_step(AuditStep::Password), [Outcome::Changed]);
}

#[tokio::test]
async fn a_double_click_asks_once_and_a_refused_write_asks_nothing() {
    let world = World::with_wifi(|_| {}).await;
    world.wifi.answer(WifiAnswer::Refused);
    let journey = recover_proved(&world.gateway, &world, "jdupont").await;
    let chosen = secret("Nouveau-Secret-2026");
    recover::submit_password(&world.gateway, &journey, &form(&chosen))
        .await
        .unwrap();
    let twin = recover::submit_password(&world.gateway, &journey, &form(&chosen))
        .await
        .unwrap();
    assert!(matches!(twin, PasswordOutcome::DoneByTwin), "{twin:?}");
    assert_eq!(
        world.wifi.asked().len(),
        1,
        "the refusal is not asked again"
    );

    // The directory refuses the next one (in history): nothing to ask.
    let world = World::with_wifi(|_| {}).await;
    let journey = recover_proved(&world.gateway, &world, "jdupont").await;
    let refused = recover::submit_password(&world.gateway, &journey, &form(&secret(CURRENT)))
        .await
        .unwrap();
    assert!(
        matches!(refused, PasswordOutcome::Again { .. }),
        "{refused:?}"
    );
    assert!(world.wifi.asked().is_empty());
}

#[tokio::test]
async fn a_temporary_password_is_never_asked_about_and_the_password_chosen_after_it_is() {
    let world = World::with_wifi(|s| s.flows.temporary_in_user_password = true).await;
    let journey = world.journey(FlowName::Temporary);
    temporary::request(&world.gateway, &journey, Request::Accepted("jdupont"))
        .await
        .expect("the request recorded");
    let sent = world.audit.wait_for(AuditStep::SendTemporary, 1).await;
    assert_eq!(sent, [Outcome::TemporaryPasswordMailed]);
    let temporary = world.mailer.last_temporary();
    assert!(matches!(
        world.directory.writes()[0].kind,
        WriteKind::Temporary { .. }
    ));
    assert!(world.wifi.asked().is_empty(), "the mailed password never");

    let mut journey = world.journey(FlowName::Change);
    match change::sign_in(&world.gateway, &journey, "jdupont", &temporary)
        .await
        .unwrap()
    {
        change::SignInOutcome::Proved(proof) => journey.proof = Some(proof),
        _ => panic!("not proved: {:?}", world.audit.outcomes()),
    }
    let chosen = secret("Nouveau-Secret-2026");
    let done = change::submit_password(
        &world.gateway,
        &journey,
        &form_with_current(&chosen, &temporary),
    )
    .await
    .unwrap();
    assert_eq!(wifi_of(&done), Some(WifiAnswer::Accepted));
    assert_eq!(
        world.wifi.asked(),
        [("jdupont".to_owned(), "Nouveau-Secret-2026".to_owned())]
    );
}
