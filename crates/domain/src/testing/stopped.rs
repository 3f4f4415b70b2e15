//! Locks and freezes on every writing step (issue 19, §2): when, between a
//! flow's proof and its submission, IT locks the account, its owner
//! freezes it, it reaches its end (`pwdEndTime`, `shadowExpire`) or its
//! start is still to come (`pwdStartTime`), no step writes anything and
//! nothing is mailed; also when the change lands at the very moment of the
//! write. ppolicy's timed lock, on the contrary, does not stop a reset.

use super::*;
use crate::flows::account::{self, QuestionOutcome, SignInOutcome};
use crate::flows::{activate, change, code, recover, PasswordOutcome, PendingSecret};
use crate::steps::secret::SecretChoice;

/// One reason an account may not use self-service: as IT, the owner or
/// the calendar sets it, and the audit outcome it gives.
struct Stop {
    why: &'static str,
    stop: fn(&mut Entry),
    audited: Outcome,
}

/// Every reason an account may not use self-service.
fn stops() -> Vec<Stop> {
    vec![
        Stop {
            why: "IT's lock",
            stop: |e| e.person.ppolicy.lock = PpolicyLock::Administrative,
            audited: Outcome::LockedByIt,
        },
        Stop {
            why: "the owner's freeze",
            stop: |e| e.person.state.frozen = Some("20260302095900Z".into()),
            audited: Outcome::SelfServiceFrozen,
        },
        Stop {
            why: "pwdEndTime passed",
            stop: |e| e.person.pwd_end_time = Some(start() - chrono::Duration::seconds(1)),
            audited: Outcome::AccountClosed,
        },
        Stop {
            why: "shadowExpire reached",
            stop: |e| e.person.shadow_expire = Some(start().timestamp().div_euclid(86_400)),
            audited: Outcome::AccountClosed,
        },
        Stop {
            why: "pwdStartTime to come",
            stop: |e| e.person.pwd_start_time = Some(start() + chrono::Duration::days(1)),
            audited: Outcome::AccountNotOpenYet,
        },
    ]
}

/// Nothing was written for `login` since `before`, and no mail left.
fn nothing_written(world: &World, login: &str, before: &Entry, why: &str) {
    let now = world.directory.entry(&dn_of(login));
    assert!(
        world.directory.writes().is_empty(),
        "{why}: a password was written"
    );
    assert_eq!(now.password, before.password, "{why}");
    assert_eq!(
        now.person.state.question, before.person.state.question,
        "{why}"
    );
    assert_eq!(
        now.person.state.answer_hash, before.person.state.answer_hash,
        "{why}"
    );
    assert_eq!(
        now.person.activation_pending, before.person.activation_pending,
        "{why}"
    );
    assert!(
        world.mailer.of("password_changed").is_empty(),
        "{why}: a mail left"
    );
}

#[tokio::test]
async fn a_recover_password_is_not_written_once_the_account_is_stopped_after_the_proof() {
    for Stop { why, stop, audited } in stops() {
        let world = World::new().await;
        let journey = recover_proved(&world.gateway, &world, "jdupont").await;
        world.directory.edit(&dn_of("jdupont"), stop);
        let before = world.directory.entry(&dn_of("jdupont"));
        let outcome = recover::submit_password(
            &world.gateway,
            &journey,
            &form(&secret("Nouveau-Secret-2026")),
        )
        .await
        .unwrap();
        assert!(
            matches!(outcome, PasswordOutcome::Stopped),
            "{why}: {outcome:?}"
        );
        nothing_written(&world, "jdupont", &before, why);
        assert_eq!(world.audit.of_step(AuditStep::Password), [audited], "{why}");
    }
}

#[tokio::test]
async fn no_answer_is_checked_once_the_account_is_stopped_after_the_identity() {
    use crate::flows::recover::{AnswerOutcome, IdentityOutcome};
    for Stop { why, stop, audited } in stops() {
        let world = World::new().await;
        let mut journey = world.journey(FlowName::Recover);
        match recover::identity(&world.gateway, &journey, &identity("jdupont", BORN))
            .await
            .unwrap()
        {
            IdentityOutcome::Proved(proof) => journey.proof = Some(proof),
            _ => panic!("{why}: identity not proved"),
        }
        world.directory.edit(&dn_of("jdupont"), stop);
        let before = world.directory.entry(&dn_of("jdupont"));
        // The right answer and a wrong one alike: no oracle, nothing counted.
        for typed in [ANSWER, "Valenciennes"] {
            let outcome = recover::answer(&world.gateway, &journey, &secret(typed))
                .await
                .unwrap();
            assert!(matches!(outcome, AnswerOutcome::Stopped), "{why}: {typed}");
        }
        assert_eq!(
            world
                .directory
                .entry(&dn_of("jdupont"))
                .person
                .state
                .failure_times,
            before.person.state.failure_times,
            "{why}: an attempt counted"
        );
        assert_eq!(
            world.audit.of_step(AuditStep::Question),
            [audited, audited],
            "{why}"
        );
    }
}

#[tokio::test]
async fn a_code_password_is_not_written_once_the_account_is_stopped_after_the_proof() {
    for Stop { why, stop, audited } in stops() {
        let world = World::new().await;
        let mut journey = world.journey(FlowName::Code);
        let (claim, right) = super::lockout::code_asked(&world, &journey).await;
        match code::verify(
            &world.gateway,
            &journey,
            Some(&claim),
            code::CodeInput::Code(right),
        )
        .await
        .unwrap()
        {
            code::VerifyOutcome::Proved(proof) => journey.proof = Some(proof),
            _ => panic!("{why}: the code did not prove"),
        }
        world.directory.edit(&dn_of("jdupont"), stop);
        let before = world.directory.entry(&dn_of("jdupont"));
        let outcome = code::submit_password(
            &world.gateway,
            &journey,
            &form(&secret("Nouveau-Secret-2026")),
        )
        .await
        .unwrap();
        assert!(
            matches!(outcome, PasswordOutcome::Stopped),
            "{why}: {outcome:?}"
        );
        nothing_written(&world, "jdupont", &before, why);
        assert_eq!(world.audit.of_step(AuditStep::Password), [audited], "{why}");
    }
}

/// An `activate` flow of `login` (marked, without a question) through
/// identity and the choice of a question.
pub(super) async fn activation_chosen(world: &World, login: &str) -> (Journey, PendingSecret) {
    let mut journey = world.journey(FlowName::Activate);
    match activate::identity(&world.gateway, &journey, &identity(login, BORN))
        .await
        .unwrap()
    {
        activate::IdentityOutcome::Proved(proof) => journey.proof = Some(proof),
        activate::IdentityOutcome::Failed => {
            panic!("{login} not proved: {:?}", world.audit.outcomes())
        }
    }
    let answer = secret("Rue des Lilas");
    let choice = SecretChoice {
        question: "1",
        own_question: "",
        answer: &answer,
        answer_confirm: &answer,
    };
    match activate::choose_secret(&world.gateway, &journey, &choice)
        .await
        .unwrap()
    {
        activate::SecretOutcome::Chosen(pending) => (journey, pending),
        _ => panic!("{login}: the question was not chosen"),
    }
}

/// A person the site marked for activation, without a question.
pub(super) fn to_activate(login: &str) -> Entry {
    let mut entry = Entry::person(login);
    entry.person.activation_pending = true;
    entry.person.pwd_changed_time = None;
    entry
}

#[tokio::test]
async fn an_activation_is_not_written_once_the_account_is_stopped_after_the_question() {
    for Stop { why, stop, audited } in stops() {
        let world = World::empty(|_| {});
        world.add(to_activate("nouveau"));
        let (journey, pending) = activation_chosen(&world, "nouveau").await;
        world.directory.edit(&dn_of("nouveau"), stop);
        let before = world.directory.entry(&dn_of("nouveau"));
        let outcome = activate::submit_password(
            &world.gateway,
            &journey,
            &pending,
            &form(&secret("Nouveau-Secret-2026")),
        )
        .await
        .unwrap();
        assert!(
            matches!(outcome, PasswordOutcome::Stopped),
            "{why}: {outcome:?}"
        );
        nothing_written(&world, "nouveau", &before, why);
        assert_eq!(world.audit.of_step(AuditStep::Password), [audited], "{why}");
    }
}

/// An `account` session of `jdupont`.
async fn signed_in(world: &World) -> Journey {
    let mut journey = world.journey(FlowName::Account);
    match account::sign_in(&world.gateway, &journey, "jdupont", &secret(CURRENT))
        .await
        .unwrap()
    {
        SignInOutcome::SignedIn(proof) => journey.proof = Some(proof),
        _ => panic!("not signed in: {:?}", world.audit.outcomes()),
    }
    journey
}

#[tokio::test]
async fn an_open_account_session_writes_no_password_once_the_account_is_stopped() {
    for Stop { why, stop, .. } in stops() {
        let world = World::new().await;
        let journey = signed_in(&world).await;
        world.directory.edit(&dn_of("jdupont"), stop);
        let before = world.directory.entry(&dn_of("jdupont"));
        let outcome = account::submit_password(
            &world.gateway,
            &journey,
            &form_with_current(&secret("Nouveau-Secret-2026"), &secret(CURRENT)),
        )
        .await;
        // The session's password form is told plainly that self-service
        // is stopped for the account; nothing is written.
        assert!(
            matches!(outcome, Ok(PasswordOutcome::Stopped)),
            "{why}: {outcome:?}"
        );
        nothing_written(&world, "jdupont", &before, why);
        assert_eq!(
            world.audit.of_step(AuditStep::Login),
            [Outcome::SignedIn],
            "{why}"
        );
        assert_eq!(world.audit.of_step(AuditStep::Password).len(), 1, "{why}");
    }
}

fn new_question<'a>(answer: &'a SecretString) -> SecretChoice<'a> {
    SecretChoice {
        question: "own",
        own_question: "Quel est mon plat préféré ?",
        answer,
        answer_confirm: answer,
    }
}

#[tokio::test]
async fn an_open_account_session_cannot_replace_the_question_once_the_account_is_stopped() {
    for Stop { why, stop, .. } in stops() {
        let world = World::new().await;
        let journey = signed_in(&world).await;
        world.directory.edit(&dn_of("jdupont"), stop);
        let before = world.directory.entry(&dn_of("jdupont"));
        let answer = secret("Couscous");
        let outcome = account::choose_secret(
            &world.gateway,
            &journey,
            &new_question(&answer),
            Some(&secret(CURRENT)),
        )
        .await
        .unwrap();
        assert!(matches!(outcome, QuestionOutcome::Ended), "{why}");
        nothing_written(&world, "jdupont", &before, why);
        assert!(
            !world
                .audit
                .of_step(AuditStep::Question)
                .contains(&Outcome::QuestionChanged),
            "{why}"
        );
    }
}

#[tokio::test]
async fn a_question_change_is_refused_when_it_locks_the_account_at_the_moment_of_writing() {
    for Stop { why, stop, .. } in stops() {
        let world = World::new().await;
        let journey = signed_in(&world).await;
        let before = world.directory.entry(&dn_of("jdupont"));
        world.directory.before_next_apply(
            &dn_of("jdupont"),
            |changes| {
                changes
                    .iter()
                    .any(|c| matches!(c, Change::SetSecret { .. }))
            },
            stop,
        );
        let answer = secret("Couscous");
        let outcome = account::choose_secret(
            &world.gateway,
            &journey,
            &new_question(&answer),
            Some(&secret(CURRENT)),
        )
        .await
        .unwrap();
        assert!(matches!(outcome, QuestionOutcome::Ended), "{why}");
        let now = world.directory.entry(&dn_of("jdupont"));
        assert_eq!(
            now.person.state.question, before.person.state.question,
            "{why}"
        );
        assert_eq!(
            world.audit.of_step(AuditStep::Question),
            [Outcome::SessionEnded],
            "{why}"
        );
    }
}

#[tokio::test]
async fn a_change_password_is_not_written_once_the_account_is_stopped_after_the_sign_in() {
    for Stop { why, stop, audited } in stops() {
        let world = World::new().await;
        let mut journey = world.journey(FlowName::Change);
        match change::sign_in(&world.gateway, &journey, "jdupont", &secret(CURRENT))
            .await
            .unwrap()
        {
            change::SignInOutcome::Proved(proof) => journey.proof = Some(proof),
            _ => panic!("{why}: not signed in"),
        }
        world.directory.edit(&dn_of("jdupont"), stop);
        let before = world.directory.entry(&dn_of("jdupont"));
        let (chosen, current) = (secret("Nouveau-Secret-2026"), secret(CURRENT));
        let outcome = change::submit_password(
            &world.gateway,
            &journey,
            &form_with_current(&chosen, &current),
        )
        .await
        .unwrap();
        assert!(
            matches!(outcome, PasswordOutcome::Stopped),
            "{why}: {outcome:?}"
        );
        nothing_written(&world, "jdupont", &before, why);
        assert_eq!(world.audit.of_step(AuditStep::Password), [audited], "{why}");
        // The current password was not even checked again.
        assert_eq!(world.directory.binds().len(), 1, "{why}");
    }
}

#[tokio::test]
async fn a_stop_landing_at_the_very_moment_of_the_write_still_stops_it_in_every_flow() {
    for Stop { why, stop, audited } in stops() {
        for flow in [
            FlowName::Recover,
            FlowName::Account,
            FlowName::Change,
            FlowName::Activate,
        ] {
            let world = World::new().await;
            world.add(to_activate("nouveau"));
            let chosen = secret("Nouveau-Secret-2026");
            let current = secret(CURRENT);
            let (login, outcome) = match flow {
                FlowName::Recover => {
                    let journey = recover_proved(&world.gateway, &world, "jdupont").await;
                    world.directory.before_next_write(&dn_of("jdupont"), stop);
                    (
                        "jdupont",
                        recover::submit_password(&world.gateway, &journey, &form(&chosen)).await,
                    )
                }
                FlowName::Account => {
                    let journey = signed_in(&world).await;
                    world.directory.before_next_write(&dn_of("jdupont"), stop);
                    (
                        "jdupont",
                        account::submit_password(
                            &world.gateway,
                            &journey,
                            &form_with_current(&chosen, &secret(CURRENT)),
                        )
                        .await,
                    )
                }
                FlowName::Change => {
                    let journey = world.proved(FlowName::Change, &dn_of("jdupont"));
                    world.directory.before_next_write(&dn_of("jdupont"), stop);
                    let form = form_with_current(&chosen, &current);
                    (
                        "jdupont",
                        change::submit_password(&world.gateway, &journey, &form).await,
                    )
                }
                _ => {
                    let (journey, pending) = activation_chosen(&world, "nouveau").await;
                    world.directory.before_next_write(&dn_of("nouveau"), stop);
                    let form = form(&chosen);
                    (
                        "nouveau",
                        activate::submit_password(&world.gateway, &journey, &pending, &form).await,
                    )
                }
            };
            let outcome = outcome.unwrap();
            let what = format!("{why}, {}", flow.as_str());
            assert!(
                matches!(outcome, PasswordOutcome::Stopped),
                "{what}: {outcome:?}"
            );
            assert!(world.directory.writes().is_empty(), "{what}: written");
            assert!(world.mailer.of("password_changed").is_empty(), "{what}");
            assert_eq!(
                world.audit.of_step(AuditStep::Password).last(),
                Some(&audited),
                "{what}"
            );
            let entry = world.directory.entry(&dn_of(login));
            assert_eq!(entry.password.as_deref(), Some(CURRENT), "{what}");
        }
    }
}

#[tokio::test]
async fn ppolicy_s_timed_lock_does_not_stop_a_reset_and_the_write_lifts_it() {
    let world = World::new().await;
    world.directory.set_policy(|p| {
        p.lockout = true;
        p.max_failure = 5;
        p.lockout_duration = Duration::from_secs(900);
    });
    let dn = dn_of("jdupont");
    world.directory.edit(&dn, |e| {
        e.person.ppolicy.lock = PpolicyLock::Timed { since: start() };
        e.person.ppolicy_locked = true;
    });
    let journey = recover_proved(&world.gateway, &world, "jdupont").await;
    let outcome = recover::submit_password(
        &world.gateway,
        &journey,
        &form(&secret("Nouveau-Secret-2026")),
    )
    .await
    .unwrap();
    assert!(
        matches!(outcome, PasswordOutcome::Done { .. }),
        "{outcome:?}"
    );
    assert_eq!(
        world.directory.entry(&dn).person.ppolicy.lock,
        PpolicyLock::None
    );
    assert_eq!(world.directory.writes().len(), 1);
}

#[tokio::test]
async fn ppolicy_s_lock_under_a_policy_without_a_duration_stops_a_reset_like_it_s_lock() {
    let world = World::new().await;
    world.directory.set_policy(|p| {
        p.lockout = true;
        p.max_failure = 5;
        p.lockout_duration = Duration::ZERO;
    });
    let dn = dn_of("jdupont");
    let journey = recover_proved(&world.gateway, &world, "jdupont").await;
    world.directory.edit(&dn, |e| {
        e.person.ppolicy.lock = PpolicyLock::Timed { since: start() };
        e.person.ppolicy_locked = true;
    });
    let outcome = recover::submit_password(
        &world.gateway,
        &journey,
        &form(&secret("Nouveau-Secret-2026")),
    )
    .await
    .unwrap();
    assert!(matches!(outcome, PasswordOutcome::Stopped), "{outcome:?}");
    assert!(world.directory.writes().is_empty());
    assert_eq!(
        world.audit.of_step(AuditStep::Password),
        [Outcome::LockedByIt]
    );
}

#[tokio::test]
async fn a_stopped_account_is_mailed_no_code_and_stores_none() {
    for Stop { why, stop, audited } in stops() {
        let world = World::new().await;
        world.directory.edit(&dn_of("jdupont"), stop);
        let journey = world.journey(FlowName::Code);
        code::request(
            &world.gateway,
            &journey,
            code::Request::Accepted("jdupont@example.net"),
        )
        .await
        .expect("the request recorded")
        .expect("a claim");
        let sent = world.audit.wait_for(AuditStep::SendCode, 1).await;
        assert_eq!(sent, [audited], "{why}: the trail says why");
        assert!(world.mailer.sent().is_empty(), "{why}");
        assert_eq!(world.person("jdupont").state.code_hash, None, "{why}");
    }
}

#[tokio::test]
async fn a_stopped_account_fails_identity_like_anyone_and_the_trail_says_why() {
    for Stop { why, stop, audited } in stops() {
        let world = World::new().await;
        world.directory.edit(&dn_of("jdupont"), stop);
        let journey = world.journey(FlowName::Recover);
        let outcome = recover::identity(&world.gateway, &journey, &identity("jdupont", BORN))
            .await
            .unwrap();
        assert!(matches!(outcome, recover::IdentityOutcome::Failed), "{why}");
        assert_eq!(world.audit.of_step(AuditStep::Identity), [audited], "{why}");
        assert!(
            world.person("jdupont").state.failure_times.is_empty(),
            "{why}"
        );
    }
}

#[tokio::test]
async fn nothing_is_stored_or_mailed_when_the_account_stops_at_the_moment_of_storing() {
    let mut leaks = Vec::new();
    for Stop { why, stop, .. } in stops() {
        for written in [None, Some(false), Some(true)] {
            let world =
                World::with(|s| s.flows.temporary_in_user_password = written == Some(true)).await;
            let dn = dn_of("jdupont");
            let step = match written {
                None => {
                    world.directory.before_next_apply(
                        &dn,
                        |c| c.iter().any(|c| matches!(c, Change::SetCode { .. })),
                        stop,
                    );
                    let journey = world.journey(FlowName::Code);
                    code::request(&world.gateway, &journey, code::Request::Accepted("jdupont"))
                        .await
                        .expect("the request recorded");
                    AuditStep::SendCode
                }
                Some(false) => {
                    world.directory.before_next_apply(
                        &dn,
                        |c| c.iter().any(|c| matches!(c, Change::HoldTemporary { .. })),
                        stop,
                    );
                    let journey = world.journey(FlowName::Temporary);
                    crate::flows::temporary::request(
                        &world.gateway,
                        &journey,
                        code::Request::Accepted("jdupont"),
                    )
                    .await
                    .expect("the request recorded");
                    AuditStep::SendTemporary
                }
                Some(true) => {
                    world.directory.before_next_write(&dn, stop);
                    let journey = world.journey(FlowName::Temporary);
                    crate::flows::temporary::request(
                        &world.gateway,
                        &journey,
                        code::Request::Accepted("jdupont"),
                    )
                    .await
                    .expect("the request recorded");
                    AuditStep::SendTemporary
                }
            };
            let audited = world.audit.wait_for(step, 1).await;
            let entry = world.directory.entry(&dn);
            let stored = entry.person.state.code_hash.is_some()
                || entry.person.state.pending_temp_hash.is_some()
                || entry.password.as_deref() != Some(CURRENT);
            let mailed = !world.mailer.sent().is_empty();
            if stored || mailed {
                let kind = match written {
                    None => "code",
                    Some(false) => "held temporary",
                    Some(true) => "written temporary",
                };
                leaks.push(format!(
                    "{why}, {kind}: stored {stored}, mailed {mailed}, audited {audited:?}"
                ));
            }
        }
    }
    assert!(leaks.is_empty(), "{leaks:#?}");
}
