//! « Ce n'était pas moi »: the link of a "password changed" mail freezes
//! self-service once, is void after a later change, and a frozen account
//! is refused everywhere until IT lifts the freeze.

use super::*;
use crate::flows::not_me::{self, DisownOutcome, LinkPage, Unusable};
use crate::flows::{recover, PasswordOutcome};

/// Resets `jdupont`'s password through `recover` and returns the not-me
/// token of its confirmation mail.
async fn changed_by_recover(world: &World, password: &str) -> String {
    let journey = recover_proved(&world.gateway, world, "jdupont").await;
    let outcome = recover::submit_password(&world.gateway, &journey, &form(&secret(password)))
        .await
        .unwrap();
    assert!(
        matches!(outcome, PasswordOutcome::Done { .. }),
        "{outcome:?}"
    );
    world.mailer.last_not_me_token()
}

#[tokio::test]
async fn a_not_me_link_freezes_once_and_a_second_click_says_it_was_used() {
    let world = World::new().await;
    let token = changed_by_recover(&world, "Nouveau-Secret-2026").await;
    world.clock.advance(3600);
    let page = not_me::open(&world.gateway, &token).await.unwrap();
    assert!(matches!(page, LinkPage::Usable { ref login, .. } if login == "jdupont"));
    assert_eq!(
        world.person("jdupont").state.frozen,
        None,
        "opening the link froze"
    );
    let journey = world.journey(FlowName::NotMe);
    let first = not_me::disown(&world.gateway, &journey, &token)
        .await
        .unwrap();
    assert!(matches!(first, DisownOutcome::Frozen));
    let second = not_me::disown(&world.gateway, &journey, &token)
        .await
        .unwrap();
    assert!(matches!(
        second,
        DisownOutcome::Unusable(Unusable::AlreadyUsed)
    ));
    let state = world.person("jdupont").state;
    assert!(state.frozen.is_some());
    assert_eq!(
        world.audit.of_step(AuditStep::NotMe),
        [
            Outcome::Frozen,
            Outcome::HelpdeskMailed,
            Outcome::AlreadyUsed
        ]
    );
    let alerts = world.mailer.of("not_me_alert");
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].to, "helpdesk@univ-exemple.fr");
}

#[tokio::test]
async fn a_not_me_link_after_a_later_change_is_superseded_and_freezes_nothing() {
    let world = World::new().await;
    let token = changed_by_recover(&world, "Nouveau-Secret-2026").await;
    // A later change in the same second: only the change id tells.
    changed_by_recover(&world, "Encore-Nouveau-2026").await;
    let journey = world.journey(FlowName::NotMe);
    let page = not_me::open(&world.gateway, &token).await.unwrap();
    assert!(matches!(page, LinkPage::Unusable(Unusable::Superseded)));
    let outcome = not_me::disown(&world.gateway, &journey, &token)
        .await
        .unwrap();
    assert!(matches!(
        outcome,
        DisownOutcome::Unusable(Unusable::Superseded)
    ));
    assert_eq!(world.person("jdupont").state.frozen, None);
    assert!(world.mailer.of("not_me_alert").is_empty());
}

#[tokio::test]
async fn after_a_not_me_freeze_nobody_gets_through_recover_until_it_lifts_it() {
    let world = World::new().await;
    let token = changed_by_recover(&world, "Nouveau-Secret-2026").await;
    let journey = world.journey(FlowName::NotMe);
    not_me::disown(&world.gateway, &journey, &token)
        .await
        .unwrap();
    let attempt = world.journey(FlowName::Recover);
    let outcome = recover::identity(&world.gateway, &attempt, &identity("jdupont", BORN))
        .await
        .unwrap();
    assert!(matches!(outcome, recover::IdentityOutcome::Failed));
    assert_eq!(
        world.audit.of_step(AuditStep::Identity).last(),
        Some(&Outcome::SelfServiceFrozen)
    );
    // IT lifts the freeze: the person may reset again.
    world
        .directory
        .edit(&dn_of("jdupont"), |e| e.person.state.frozen = None);
    let outcome = recover::identity(&world.gateway, &attempt, &identity("jdupont", BORN))
        .await
        .unwrap();
    assert!(matches!(outcome, recover::IdentityOutcome::Proved(_)));
}

#[tokio::test]
async fn a_not_me_link_past_its_days_is_invalid() {
    let world = World::new().await;
    let token = changed_by_recover(&world, "Nouveau-Secret-2026").await;
    world.clock.advance(7 * 86_400);
    let page = not_me::open(&world.gateway, &token).await.unwrap();
    assert!(matches!(page, LinkPage::Unusable(Unusable::Invalid)));
    let journey = world.journey(FlowName::NotMe);
    let outcome = not_me::disown(&world.gateway, &journey, &token)
        .await
        .unwrap();
    assert!(matches!(
        outcome,
        DisownOutcome::Unusable(Unusable::Invalid)
    ));
    assert_eq!(world.person("jdupont").state.frozen, None);
}

#[tokio::test]
async fn a_not_me_link_stays_spent_after_it_lifts_the_freeze() {
    let world = World::new().await;
    let token = changed_by_recover(&world, "Nouveau-Secret-2026").await;
    let journey = world.journey(FlowName::NotMe);
    not_me::disown(&world.gateway, &journey, &token)
        .await
        .unwrap();
    // IT's lift removes the freeze and keeps the disowned change.
    world.directory.edit(&dn_of("jdupont"), |e| {
        e.person.state.frozen = None;
        e.person.state.frozen_reason = None;
    });
    let outcome = not_me::disown(&world.gateway, &journey, &token)
        .await
        .unwrap();
    assert!(matches!(
        outcome,
        DisownOutcome::Unusable(Unusable::AlreadyUsed)
    ));
    assert_eq!(world.person("jdupont").state.frozen, None, "frozen again");
    assert_eq!(world.mailer.of("not_me_alert").len(), 1);
}

#[tokio::test]
async fn a_temporary_password_written_into_user_password_is_confirmed_with_its_own_link() {
    let world = World::with(|s| s.flows.temporary_in_user_password = true).await;
    let journey = world.journey(FlowName::Temporary);
    crate::flows::temporary::request(
        &world.gateway,
        &journey,
        crate::flows::code::Request::Accepted("jdupont"),
    )
    .await
    .unwrap();
    world.audit.wait_for(AuditStep::SendTemporary, 1).await;
    // Whoever holds the recovery mailbox replaced the password: its owner
    // is told at every address of theirs, with a link that freezes.
    let changed = world.mailer.of("password_changed");
    assert!(!changed.is_empty(), "the owner was not told");
    let token = world.mailer.last_not_me_token();
    let page = not_me::open(&world.gateway, &token).await.unwrap();
    assert!(
        matches!(page, LinkPage::Usable { .. }),
        "the written temporary password's link is not usable"
    );
    let journey = world.journey(FlowName::NotMe);
    let outcome = not_me::disown(&world.gateway, &journey, &token)
        .await
        .unwrap();
    assert!(matches!(outcome, DisownOutcome::Frozen));
}
