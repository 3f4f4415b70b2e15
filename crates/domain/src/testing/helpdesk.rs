//! The help desk's decisions: who signs in and under which profile, when a
//! session ends, whom an agent may find and act on, how a caller is
//! verified, what each action writes (and under whose rights), and what the
//! owner and the audit trail are told.

use super::*;
use crate::flows::helpdesk::{
    self, ActOutcome, AgentSession, AtDesk, CardPage, Done, NotDone, NotVerified, Opening,
    PhoneCode, Reason, SearchText, SignInOutcome, Verification, VerifyOutcome,
};
use crate::helpdesk::Refusal;
use crate::settings::{DeskAction, HelpdeskProfile, HelpdeskSettings, VerificationMethod, WriteAs};

const IT_GROUP: &str = "cn=helpdesk-it,ou=groups,dc=univ-exemple,dc=fr";
const SCI_GROUP: &str = "cn=helpdesk-sciences,ou=groups,dc=univ-exemple,dc=fr";
const AGENT_PASSWORD: &str = "Agent-Secret-2026";

fn desk_settings(settings: &mut GatewaySettings) {
    settings.helpdesk = HelpdeskSettings {
        profiles: vec![
            HelpdeskProfile {
                name: "sciences".into(),
                group: SCI_GROUP.into(),
                scope: "(&(eduPersonAffiliation=student)(departmentNumber=SCI))".into(),
                actions: vec![
                    DeskAction::Unlock,
                    DeskAction::Unfreeze,
                    DeskAction::SendCode,
                    DeskAction::ListStopped,
                ],
                verification: vec![VerificationMethod::InPerson, VerificationMethod::Identity],
            },
            HelpdeskProfile {
                name: "it".into(),
                group: IT_GROUP.into(),
                scope: "(objectClass=person)".into(),
                actions: DeskAction::ALL.to_vec(),
                verification: VerificationMethod::ALL.to_vec(),
            },
        ],
        exclusion_filter: "(objectClass=applicationProcess)".into(),
        ..HelpdeskSettings::default()
    };
}

/// The world of the help desk: the agents `agentit` (IT, every action)
/// and `agentsci` (the science faculty's desk), the science student
/// `jdupont` (with a question), the letters student `mlefevre`, and a
/// service account.
async fn desk_world(adjust: impl FnOnce(&mut GatewaySettings)) -> World {
    let world = World::with(|settings| {
        desk_settings(settings);
        adjust(settings);
    })
    .await;
    world.directory.edit(&dn_of("jdupont"), |e| {
        e.attributes.push(("departmentNumber".into(), "SCI".into()));
        e.identifiers = vec!["22301001".into()];
    });
    let mut letters = Entry::person("mlefevre");
    letters
        .attributes
        .push(("departmentNumber".into(), "LET".into()));
    letters.identifiers = vec!["22301002".into()];
    world.add(letters);
    for (login, group) in [("agentit", IT_GROUP), ("agentsci", SCI_GROUP)] {
        let mut agent = Entry::person(login);
        agent.password = Some(AGENT_PASSWORD.into());
        agent.identifiers = vec![format!("S-{login}")];
        agent.attributes = vec![("objectClass".into(), "person".into())];
        world.add(agent);
        world.directory.set_group(group, &[&dn_of(login)]);
    }
    let mut service = Entry::person("svc");
    service.identifiers = vec!["svc-1".into()];
    service.attributes = vec![
        ("objectClass".into(), "person".into()),
        ("objectClass".into(), "applicationProcess".into()),
    ];
    world.add(service);
    world
}

fn desk_journey(world: &World) -> Journey {
    world.journey(FlowName::Helpdesk)
}

async fn signed_in(world: &World, journey: &Journey, login: &str) -> AgentSession {
    match helpdesk::sign_in(&world.gateway, journey, login, &secret(AGENT_PASSWORD))
        .await
        .unwrap()
    {
        SignInOutcome::SignedIn(session) => *session,
        other => panic!(
            "{login} did not sign in: {other:?} {:?}",
            world.audit.outcomes()
        ),
    }
}

fn open<T: std::fmt::Debug>(at: AtDesk<T>) -> T {
    match at {
        AtDesk::Open(value) => value,
        AtDesk::Ended => panic!("the session ended"),
    }
}

async fn opened(
    world: &World,
    journey: &Journey,
    session: &AgentSession,
    login: &str,
) -> AgentSession {
    match open(
        helpdesk::open_card(&world.gateway, journey, session, &dn_of(login))
            .await
            .unwrap(),
    ) {
        Opening::Opened(session) => *session,
        Opening::Refused(refusal) => panic!("{login} refused: {refusal:?}"),
    }
}

async fn verified_in_person(
    world: &World,
    journey: &Journey,
    session: &AgentSession,
) -> AgentSession {
    match open(
        helpdesk::verify(
            &world.gateway,
            journey,
            session,
            Verification::InPerson {
                document_checked: true,
            },
        )
        .await
        .unwrap(),
    ) {
        VerifyOutcome::Verified(session) => *session,
        other => panic!("not verified: {other:?}"),
    }
}

/// Signed in as `agent`, the card of `login` open and the caller verified
/// in person.
async fn ready(world: &World, journey: &Journey, agent: &str, login: &str) -> AgentSession {
    let session = signed_in(world, journey, agent).await;
    let session = opened(world, journey, &session, login).await;
    verified_in_person(world, journey, &session).await
}

async fn act(
    world: &World,
    journey: &Journey,
    session: &AgentSession,
    action: DeskAction,
) -> ActOutcome {
    open(
        helpdesk::act(
            &world.gateway,
            journey,
            session,
            action,
            Reason::parse("Appel de l'étudiant").as_ref(),
        )
        .await
        .unwrap(),
    )
}

#[tokio::test]
async fn an_agent_signs_in_with_their_own_password_under_their_group_s_profile() {
    let world = desk_world(|_| {}).await;
    let journey = desk_journey(&world);
    let session = signed_in(&world, &journey, "agentsci").await;
    assert_eq!(session.profile, "sciences");
    assert_eq!(session.dn, dn_of("agentsci"));
    let event = world.audit.events().pop().unwrap();
    assert_eq!(
        (event.step, event.outcome),
        (AuditStep::Login, Outcome::AgentSignedIn)
    );
    assert_eq!(event.agent.as_deref(), Some("agentsci"));
    assert_eq!(event.profile.as_deref(), Some("sciences"));
    assert_eq!(world.directory.binds().len(), 1, "a bind as the agent");
}

#[tokio::test]
async fn a_student_s_own_right_password_opens_no_desk() {
    let world = desk_world(|_| {}).await;
    let journey = desk_journey(&world);
    let outcome = helpdesk::sign_in(&world.gateway, &journey, "jdupont", &secret(CURRENT))
        .await
        .unwrap();
    assert!(matches!(outcome, SignInOutcome::NotAnAgent), "{outcome:?}");
    assert_eq!(world.audit.count(AuditStep::Login, Outcome::NotAnAgent), 1);
    let wrong = helpdesk::sign_in(&world.gateway, &journey, "agentit", &secret("nope"))
        .await
        .unwrap();
    assert!(matches!(wrong, SignInOutcome::Refused));
}

#[tokio::test]
async fn an_agent_locked_by_failed_sign_ins_is_refused_before_any_bind() {
    let world = desk_world(|_| {}).await;
    let journey = desk_journey(&world);
    for _ in 0..3 {
        let outcome = helpdesk::sign_in(&world.gateway, &journey, "agentit", &secret("nope"))
            .await
            .unwrap();
        assert!(matches!(outcome, SignInOutcome::Refused));
        world.clock.advance(1);
    }
    let binds = world.directory.binds().len();
    let outcome = helpdesk::sign_in(&world.gateway, &journey, "agentit", &secret(AGENT_PASSWORD))
        .await
        .unwrap();
    assert!(matches!(outcome, SignInOutcome::Refused), "{outcome:?}");
    assert_eq!(
        world.directory.binds().len(),
        binds,
        "the lock is checked first"
    );
    assert_eq!(world.audit.count(AuditStep::Login, Outcome::Locked), 1);
}

#[tokio::test]
async fn a_session_ends_elsewhere_too_late_or_once_the_agent_leaves_the_group() {
    let world = desk_world(|_| {}).await;
    let journey = desk_journey(&world);
    let session = signed_in(&world, &journey, "agentit").await;
    // Another client address.
    let mut elsewhere = journey.clone();
    elsewhere.visitor.address = "192.0.2.7".parse().unwrap();
    let moved = helpdesk::desk(&world.gateway, &elsewhere, &session)
        .await
        .unwrap();
    assert!(matches!(moved, AtDesk::Ended));
    assert_eq!(
        world.audit.count(AuditStep::Login, Outcome::SessionMoved),
        1
    );
    // Past the absolute limit, however active.
    world
        .clock
        .advance(world.gateway.settings().helpdesk.session_seconds as i64 + 1);
    assert!(matches!(
        helpdesk::desk(&world.gateway, &journey, &session)
            .await
            .unwrap(),
        AtDesk::Ended
    ));
    assert_eq!(
        world.audit.count(AuditStep::Login, Outcome::SessionTooOld),
        1
    );
    // Out of the group.
    let session = signed_in(&world, &journey, "agentit").await;
    world.directory.set_group(IT_GROUP, &[]);
    assert!(matches!(
        helpdesk::desk(&world.gateway, &journey, &session)
            .await
            .unwrap(),
        AtDesk::Ended
    ));
    assert_eq!(
        world.audit.count(AuditStep::Login, Outcome::SessionEnded),
        1
    );
}

#[tokio::test]
async fn a_faculty_agent_finds_and_opens_only_their_faculty_s_students() {
    let world = desk_world(|_| {}).await;
    let journey = desk_journey(&world);
    let session = signed_in(&world, &journey, "agentsci").await;
    let found = open(
        helpdesk::search(
            &world.gateway,
            &journey,
            &session,
            &SearchText::parse("Dupont").unwrap(),
        )
        .await
        .unwrap(),
    );
    let logins: Vec<&str> = found.people.iter().map(|p| p.login.as_str()).collect();
    assert_eq!(logins, ["jdupont"], "every test person is a Dupont");
    let search = world.audit.events().pop().unwrap();
    assert_eq!(search.outcome, Outcome::Searched);
    assert_eq!(search.query.as_deref(), Some("Dupont"));
    // The letters student, by editing the form: refused and audited.
    let refused = open(
        helpdesk::open_card(&world.gateway, &journey, &session, &dn_of("mlefevre"))
            .await
            .unwrap(),
    );
    assert!(matches!(refused, Opening::Refused(Refusal::OutOfScope)));
    assert_eq!(world.audit.count(AuditStep::Card, Outcome::OutOfScope), 1);
    // A DN that is no entry at all: the same.
    let nobody = open(
        helpdesk::open_card(&world.gateway, &journey, &session, "uid=x)(uid=*,dc=x")
            .await
            .unwrap(),
    );
    assert!(matches!(nobody, Opening::Refused(Refusal::OutOfScope)));
}

#[tokio::test]
async fn an_agent_never_acts_on_themselves_another_agent_or_an_excluded_account() {
    let world = desk_world(|_| {}).await;
    let journey = desk_journey(&world);
    let session = signed_in(&world, &journey, "agentit").await;
    for (login, refusal, outcome) in [
        ("agentit", Refusal::Oneself, Outcome::Oneself),
        ("agentsci", Refusal::Agent, Outcome::TargetIsAgent),
        ("svc", Refusal::OutOfScope, Outcome::OutOfScope),
    ] {
        let opening = open(
            helpdesk::open_card(&world.gateway, &journey, &session, &dn_of(login))
                .await
                .unwrap(),
        );
        assert!(
            matches!(opening, Opening::Refused(r) if r == refusal),
            "{login}: {opening:?}"
        );
        assert_eq!(world.audit.events().pop().unwrap().outcome, outcome);
    }
    // Nor through a card opened earlier on a session edited by hand.
    let mut forged = session.clone();
    forged.person = Some(dn_of("agentsci"));
    forged.verified = Some(crate::helpdesk::Verified {
        dn: dn_of("agentsci"),
        method: VerificationMethod::InPerson,
        at: world.gateway.now().timestamp(),
    });
    let outcome = act(&world, &journey, &forged, DeskAction::TemporaryOnScreen).await;
    assert!(matches!(
        outcome,
        ActOutcome::NotDone(NotDone::Refused(Refusal::Agent))
    ));
    assert!(world.directory.writes().is_empty());
}

#[tokio::test]
async fn a_dn_edited_into_the_form_opens_only_whom_the_search_could_find() {
    // An administrator's entry outside `ldap.base_dn` (matching the widest
    // scope, `(objectClass=person)`), locked; and an entry under it that
    // matches the science desk's scope but not `ldap.person_filter`.
    let world = desk_world(|_| {}).await;
    let journey = desk_journey(&world);
    let admin_dn = "uid=admin,ou=admins,dc=univ-exemple,dc=fr";
    let mut admin = Entry::person("admin");
    admin.person.dn = admin_dn.into();
    admin.person.state.failure_times = vec![world.gateway.now(); 5];
    world.add(admin);
    let mut evil = Entry::person("evil");
    evil.person.dn = "uid=evil,ou=people,dc=evil-dc=univ-exemple,dc=fr".into();
    world.add(evil);
    let mut account = Entry::person("kiosk");
    account.attributes = vec![
        ("objectClass".into(), "account".into()),
        ("eduPersonAffiliation".into(), "student".into()),
        ("departmentNumber".into(), "SCI".into()),
    ];
    world.add(account);

    let session = signed_in(&world, &journey, "agentit").await;
    for dn in [admin_dn, "uid=evil,ou=people,dc=evil-dc=univ-exemple,dc=fr"] {
        let opening = open(
            helpdesk::open_card(&world.gateway, &journey, &session, dn)
                .await
                .unwrap(),
        );
        assert!(
            matches!(opening, Opening::Refused(Refusal::OutOfScope)),
            "{dn}: {opening:?}"
        );
    }
    // Nor acted on through a session that carries it (every action
    // decides again who the person is).
    let mut carried = session.clone();
    carried.person = Some(admin_dn.into());
    carried.verified = Some(crate::helpdesk::Verified {
        dn: admin_dn.into(),
        method: VerificationMethod::InPerson,
        at: world.gateway.now().timestamp(),
    });
    for action in [
        DeskAction::Unlock,
        DeskAction::ClearQuestion,
        DeskAction::TemporaryOnScreen,
    ] {
        let outcome = act(&world, &journey, &carried, action).await;
        assert!(
            matches!(
                outcome,
                ActOutcome::NotDone(NotDone::Refused(Refusal::OutOfScope))
            ),
            "{action:?}: {outcome:?}"
        );
    }
    assert!(world.directory.writes().is_empty());
    assert!(world
        .directory
        .applied()
        .iter()
        .all(|(dn, _)| dn != admin_dn));

    let session = signed_in(&world, &journey, "agentsci").await;
    let opening = open(
        helpdesk::open_card(&world.gateway, &journey, &session, &dn_of("kiosk"))
            .await
            .unwrap(),
    );
    assert!(
        matches!(opening, Opening::Refused(Refusal::OutOfScope)),
        "{opening:?}"
    );
    assert_eq!(world.audit.count(AuditStep::Card, Outcome::OutOfScope), 3);
}

#[tokio::test]
async fn an_action_needs_the_profile_a_verified_caller_and_a_reason() {
    let world = desk_world(|_| {}).await;
    let journey = desk_journey(&world);
    let session = signed_in(&world, &journey, "agentsci").await;
    let session = opened(&world, &journey, &session, "jdupont").await;
    // Not verified yet.
    let outcome = act(&world, &journey, &session, DeskAction::Unlock).await;
    assert!(matches!(outcome, ActOutcome::NotDone(NotDone::NotVerified)));
    // An in-person check without the document box.
    let not = open(
        helpdesk::verify(
            &world.gateway,
            &journey,
            &session,
            Verification::InPerson {
                document_checked: false,
            },
        )
        .await
        .unwrap(),
    );
    assert!(matches!(
        not,
        VerifyOutcome::NotVerified(NotVerified::DocumentNotChecked)
    ));
    // A way the profile does not accept.
    let not = open(
        helpdesk::verify(
            &world.gateway,
            &journey,
            &session,
            Verification::PhoneCode(ResetCode::parse("123456")),
        )
        .await
        .unwrap(),
    );
    assert!(matches!(
        not,
        VerifyOutcome::NotVerified(NotVerified::NotAllowed)
    ));
    let session = verified_in_person(&world, &journey, &session).await;
    // An action the profile lacks.
    let outcome = act(&world, &journey, &session, DeskAction::TemporaryOnScreen).await;
    assert!(matches!(outcome, ActOutcome::NotDone(NotDone::NotAllowed)));
    // No reason.
    let outcome = open(
        helpdesk::act(&world.gateway, &journey, &session, DeskAction::Unlock, None)
            .await
            .unwrap(),
    );
    assert!(matches!(outcome, ActOutcome::NotDone(NotDone::NoReason)));
    // The verification lapses.
    world
        .clock
        .advance(world.gateway.settings().helpdesk.verification_seconds as i64 + 1);
    let outcome = act(&world, &journey, &session, DeskAction::Unlock).await;
    assert!(matches!(outcome, ActOutcome::NotDone(NotDone::NotVerified)));
    assert!(world
        .directory
        .applied()
        .iter()
        .all(|(_, changes)| !changes.iter().any(|c| matches!(c, Change::ClearFailures))));
    assert_eq!(
        world.audit.count(AuditStep::Unlock, Outcome::NotVerified),
        2
    );
    assert_eq!(
        world
            .audit
            .count(AuditStep::TemporaryOnScreen, Outcome::NotAllowed),
        1
    );
}

#[tokio::test]
async fn unlock_lifts_the_self_service_and_ppolicy_locks_but_it_s_lock_only_when_allowed() {
    let world = desk_world(|_| {}).await;
    let journey = desk_journey(&world);
    let since = world.gateway.now() - chrono::Duration::seconds(30);
    world.directory.edit(&dn_of("jdupont"), |e| {
        e.person.state.failure_times = vec![since];
        e.person.state.locked_until = Some(since + chrono::Duration::seconds(600));
        e.person.ppolicy.lock = PpolicyLock::Timed { since };
    });
    world.directory.set_policy(|p| {
        p.lockout = true;
        p.lockout_duration = Duration::from_secs(900);
    });
    let session = ready(&world, &journey, "agentsci", "jdupont").await;
    let card = match open(
        helpdesk::card(&world.gateway, &journey, &session)
            .await
            .unwrap(),
    ) {
        CardPage::Shown(view) => view,
        other => panic!("{other:?}"),
    };
    assert!(card.actions.contains(&DeskAction::Unlock));
    assert_eq!(card.verified, Some(VerificationMethod::InPerson));
    let outcome = act(&world, &journey, &session, DeskAction::Unlock).await;
    assert!(
        matches!(outcome, ActOutcome::Done(Done::Unlocked)),
        "{outcome:?}"
    );
    let person = world.person("jdupont");
    assert!(person.state.failure_times.is_empty());
    assert_eq!(person.state.locked_until, None);
    assert_eq!(person.ppolicy.lock, PpolicyLock::None);
    let outcome = act(&world, &journey, &session, DeskAction::Unlock).await;
    assert!(matches!(outcome, ActOutcome::NotDone(NotDone::NothingToDo)));

    // IT's lock for good: not for the faculty's desk, nothing written.
    world.directory.edit(&dn_of("jdupont"), |e| {
        e.person.ppolicy.lock = PpolicyLock::Administrative;
        e.person.state.failure_times = vec![since];
    });
    let outcome = act(&world, &journey, &session, DeskAction::Unlock).await;
    assert!(matches!(outcome, ActOutcome::NotDone(NotDone::ItLock)));
    assert_eq!(world.person("jdupont").state.failure_times, vec![since]);
    // The IT desk may.
    let journey = desk_journey(&world);
    let it = ready(&world, &journey, "agentit", "jdupont").await;
    let outcome = act(&world, &journey, &it, DeskAction::UnlockItLock).await;
    assert!(matches!(outcome, ActOutcome::Done(Done::Unlocked)));
    assert_eq!(world.person("jdupont").ppolicy.lock, PpolicyLock::None);
}

#[tokio::test]
async fn lifting_a_freeze_mails_the_owner_a_link_that_freezes_again_once() {
    let world = desk_world(|_| {}).await;
    let journey = desk_journey(&world);
    world.directory.edit(&dn_of("jdupont"), |e| {
        e.person.state.frozen = Some("20260301100000Z".into());
        e.person.state.frozen_reason = Some("not-me: …".into());
        e.person.state.disowned_change = Some("an-old-change".into());
    });
    let session = ready(&world, &journey, "agentsci", "jdupont").await;
    let outcome = act(&world, &journey, &session, DeskAction::Unfreeze).await;
    assert!(matches!(outcome, ActOutcome::Done(Done::Unfrozen)));
    assert_eq!(world.person("jdupont").state.frozen, None);
    let notices = world.mailer.of("helpdesk_action");
    assert_eq!(notices.len(), 1);
    assert_eq!(notices[0].to, "jdupont@example.net");
    let MailKind::HelpdeskAction {
        action,
        agent,
        not_me_url: Some(url),
        ..
    } = &notices[0].kind
    else {
        panic!("{:?}", notices[0].kind)
    };
    assert_eq!(*action, DeskAction::Unfreeze);
    assert_eq!(*agent, None, "by the help desk, not the agent's name");
    let event = world
        .audit
        .events()
        .into_iter()
        .find(|e| e.outcome == Outcome::Unfrozen)
        .unwrap();
    assert_eq!(event.agent.as_deref(), Some("agentsci"));
    assert_eq!(event.reason.as_deref(), Some("Appel de l'étudiant"));
    assert_eq!(event.verified_by.as_deref(), Some("in_person"));
    assert_eq!(
        world.audit.count(AuditStep::Unfreeze, Outcome::OwnerMailed),
        1
    );
    // The owner did not call: the link freezes self-service again, once.
    let token = url.rsplit('/').next().unwrap();
    let not_me = world.journey(FlowName::NotMe);
    let page = crate::flows::not_me::open(&world.gateway, token)
        .await
        .unwrap();
    assert!(matches!(
        page,
        crate::flows::not_me::LinkPage::Usable {
            action: Some(DeskAction::Unfreeze),
            ..
        }
    ));
    let first = crate::flows::not_me::disown(&world.gateway, &not_me, token)
        .await
        .unwrap();
    assert!(matches!(first, crate::flows::not_me::DisownOutcome::Frozen));
    let frozen = world.person("jdupont").state;
    assert!(frozen.frozen.is_some());
    assert!(frozen
        .frozen_reason
        .unwrap()
        .contains("help desk's unfreeze"));
    let again = crate::flows::not_me::disown(&world.gateway, &not_me, token)
        .await
        .unwrap();
    assert!(matches!(
        again,
        crate::flows::not_me::DisownOutcome::Unusable(crate::flows::not_me::Unusable::AlreadyUsed)
    ));
}

#[tokio::test]
async fn no_lock_is_lifted_while_the_owner_s_freeze_holds() {
    let world = desk_world(|_| {}).await;
    let journey = desk_journey(&world);
    let since = world.gateway.now() - chrono::Duration::seconds(30);
    world.directory.edit(&dn_of("jdupont"), |e| {
        e.person.state.frozen = Some("20260301100000Z".into());
        e.person.ppolicy.lock = PpolicyLock::Timed { since };
    });
    let session = ready(&world, &journey, "agentit", "jdupont").await;
    let card = match open(
        helpdesk::card(&world.gateway, &journey, &session)
            .await
            .unwrap(),
    ) {
        CardPage::Shown(view) => view,
        other => panic!("{other:?}"),
    };
    assert!(
        !card.actions.contains(&DeskAction::Unlock),
        "{:?}",
        card.actions
    );
    assert!(card.actions.contains(&DeskAction::Unfreeze));
    let outcome = act(&world, &journey, &session, DeskAction::Unlock).await;
    assert!(
        matches!(outcome, ActOutcome::NotDone(NotDone::Frozen)),
        "{outcome:?}"
    );
    assert_eq!(
        world.person("jdupont").ppolicy.lock,
        PpolicyLock::Timed { since }
    );
    let outcome = act(&world, &journey, &session, DeskAction::Unfreeze).await;
    assert!(matches!(outcome, ActOutcome::Done(Done::Unfrozen)));
    let outcome = act(&world, &journey, &session, DeskAction::Unlock).await;
    assert!(
        matches!(outcome, ActOutcome::Done(Done::Unlocked)),
        "{outcome:?}"
    );
}

#[tokio::test]
async fn clearing_the_question_leaves_the_password_and_says_so_to_the_owner() {
    let world = desk_world(|_| {}).await;
    let journey = desk_journey(&world);
    let session = ready(&world, &journey, "agentit", "jdupont").await;
    let before = world.person("jdupont").pwd_changed_time;
    let outcome = act(&world, &journey, &session, DeskAction::ClearQuestion).await;
    assert!(matches!(outcome, ActOutcome::Done(Done::QuestionCleared)));
    let person = world.person("jdupont");
    assert_eq!(person.state.question, None);
    assert_eq!(person.state.answer_hash, None);
    assert_eq!(person.pwd_changed_time, before);
    assert!(world.directory.writes().is_empty());
    assert_eq!(world.mailer.of("helpdesk_action").len(), 1);
    let outcome = act(&world, &journey, &session, DeskAction::ClearQuestion).await;
    assert!(matches!(outcome, ActOutcome::NotDone(NotDone::NothingToDo)));
}

#[tokio::test]
async fn a_temporary_password_on_screen_must_be_changed_and_never_lifts_it_s_lock() {
    let world = desk_world(|_| {}).await;
    let journey = desk_journey(&world);
    let session = ready(&world, &journey, "agentit", "jdupont").await;
    let outcome = act(&world, &journey, &session, DeskAction::TemporaryOnScreen).await;
    let ActOutcome::Done(Done::TemporaryShown(password)) = outcome else {
        panic!("{outcome:?}")
    };
    let writes = world.directory.writes();
    assert_eq!(writes.len(), 1);
    assert_eq!(writes[0].password, password.expose_secret());
    assert!(matches!(writes[0].kind, WriteKind::Temporary { .. }));
    assert!(world.person("jdupont").password_must_change);
    // The owner's mail carries the password change's own link.
    let notice = world.mailer.of("helpdesk_action").pop().unwrap();
    let MailKind::HelpdeskAction { not_me_url, .. } = notice.kind else {
        panic!()
    };
    let token = not_me_url.unwrap().rsplit('/').next().unwrap().to_owned();
    assert!(matches!(
        crate::flows::not_me::open(&world.gateway, &token)
            .await
            .unwrap(),
        crate::flows::not_me::LinkPage::Usable { action: None, .. }
    ));
    assert!(
        !format!("{:?}", world.audit.events()).contains(password.expose_secret()),
        "no password in the trail"
    );
    // IT's lock: a new password would lift it; nothing written.
    world.directory.edit(&dn_of("mlefevre"), |e| {
        e.person.ppolicy.lock = PpolicyLock::Administrative;
    });
    let session = opened(&world, &journey, &session, "mlefevre").await;
    let session = verified_in_person(&world, &journey, &session).await;
    let outcome = act(&world, &journey, &session, DeskAction::TemporaryOnScreen).await;
    assert!(
        matches!(
            outcome,
            ActOutcome::NotDone(NotDone::Stopped(crate::standing::Stopped::ItLock))
        ),
        "{outcome:?}"
    );
    assert_eq!(world.directory.writes().len(), 1);
}

#[tokio::test]
async fn a_reset_goes_to_the_person_s_own_address_under_the_cooldown() {
    let world = desk_world(|_| {}).await;
    let journey = desk_journey(&world);
    let session = ready(&world, &journey, "agentsci", "jdupont").await;
    let outcome = act(&world, &journey, &session, DeskAction::SendCode).await;
    assert!(
        matches!(outcome, ActOutcome::Done(Done::CodeSent)),
        "{outcome:?}"
    );
    let codes = world.mailer.of("reset_code");
    assert_eq!(codes.len(), 1);
    assert_eq!(codes[0].to, "jdupont@example.net");
    assert_eq!(world.mailer.of("helpdesk_action").len(), 1);
    let again = act(&world, &journey, &session, DeskAction::SendCode).await;
    assert!(matches!(
        again,
        ActOutcome::NotDone(NotDone::NotSent(Outcome::Cooldown))
    ));
    // The code the help desk sent works at /code like any other.
    let code = world.mailer.last_code();
    let person = world.person("jdupont");
    assert!(world.gateway.code_key().matches(
        &person.dn,
        &code,
        person.state.code_hash.as_deref().unwrap()
    ));
}

#[tokio::test]
async fn a_phone_code_verifies_the_caller_and_proves_nothing_at_code() {
    let world = desk_world(|_| {}).await;
    let journey = desk_journey(&world);
    let session = signed_in(&world, &journey, "agentit").await;
    let session = opened(&world, &journey, &session, "jdupont").await;
    let sent = open(
        helpdesk::send_phone_code(&world.gateway, &journey, &session)
            .await
            .unwrap(),
    );
    assert_eq!(sent, PhoneCode::Sent);
    let mail = world.mailer.of("helpdesk_code").pop().unwrap();
    assert_eq!(mail.to, "jdupont@example.net");
    let MailKind::DeskCode { code, .. } = mail.kind else {
        panic!()
    };
    let code = ResetCode::parse(code.expose_secret()).unwrap();
    let person = world.person("jdupont");
    let stored = person.state.code_hash.clone().unwrap();
    assert!(
        !world.gateway.code_key().matches(&person.dn, &code, &stored),
        "the help desk's code is no reset code"
    );
    // A wrong code is counted on the entry.
    let wrong = open(
        helpdesk::verify(
            &world.gateway,
            &journey,
            &session,
            Verification::PhoneCode(ResetCode::parse("000000")),
        )
        .await
        .unwrap(),
    );
    assert!(
        matches!(
            wrong,
            VerifyOutcome::NotVerified(NotVerified::WrongCode { .. })
        ) || code.secret().expose_secret() == "000000"
    );
    assert_eq!(world.person("jdupont").state.failure_times.len(), 1);
    let right = open(
        helpdesk::verify(
            &world.gateway,
            &journey,
            &session,
            Verification::PhoneCode(Some(code)),
        )
        .await
        .unwrap(),
    );
    let VerifyOutcome::Verified(session) = right else {
        panic!("{right:?}")
    };
    assert_eq!(
        session.verification(&world.gateway.settings().helpdesk, world.gateway.now()),
        Some(VerificationMethod::PhoneCode)
    );
    assert_eq!(world.person("jdupont").state.code_hash, None, "single use");
}

#[tokio::test]
async fn a_frozen_caller_can_still_be_verified_by_phone_once_per_cooldown() {
    let world = desk_world(|_| {}).await;
    let journey = desk_journey(&world);
    world.directory.edit(&dn_of("jdupont"), |e| {
        e.person.state.frozen = Some("20260301100000Z".into());
    });
    let session = signed_in(&world, &journey, "agentit").await;
    let session = opened(&world, &journey, &session, "jdupont").await;
    let sent = open(
        helpdesk::send_phone_code(&world.gateway, &journey, &session)
            .await
            .unwrap(),
    );
    assert_eq!(sent, PhoneCode::Sent);
    let again = open(
        helpdesk::send_phone_code(&world.gateway, &journey, &session)
            .await
            .unwrap(),
    );
    assert_eq!(again, PhoneCode::NotSent(Outcome::Cooldown));
    assert_eq!(world.mailer.of("helpdesk_code").len(), 1);
}

#[tokio::test]
async fn an_identity_verification_is_the_card_s_person_and_counts_like_the_public_step() {
    let world = desk_world(|_| {}).await;
    let journey = desk_journey(&world);
    let session = signed_in(&world, &journey, "agentsci").await;
    let session = opened(&world, &journey, &session, "jdupont").await;
    let verify = |identifier: &str, born: &str| {
        let gateway = world.gateway.clone();
        let (journey, session) = (journey.clone(), session.clone());
        let input = identity(identifier, born);
        async move {
            open(
                helpdesk::verify(&gateway, &journey, &session, Verification::Identity(input))
                    .await
                    .unwrap(),
            )
        }
    };
    // Another person's identifier (and birth date): not this caller.
    let other = verify("22301002", BORN).await;
    assert!(matches!(
        other,
        VerifyOutcome::NotVerified(NotVerified::NotThePerson)
    ));
    let wrong = verify("22301001", "01/01/2000").await;
    assert!(matches!(
        wrong,
        VerifyOutcome::NotVerified(NotVerified::WrongBirthDate)
    ));
    assert_eq!(world.person("jdupont").state.failure_times.len(), 1);
    world.clock.advance(1);
    let right = verify("22301001", BORN).await;
    assert!(matches!(right, VerifyOutcome::Verified(_)), "{right:?}");
    assert_eq!(world.audit.count(AuditStep::Verify, Outcome::Verified), 1);
}

#[tokio::test]
async fn as_the_agent_the_directory_decides_again_and_its_refusal_writes_nothing() {
    let world = desk_world(|settings| settings.helpdesk.write_as = WriteAs::Agent).await;
    let journey = desk_journey(&world);
    world.directory.edit(&dn_of("jdupont"), |e| {
        e.person.state.frozen = Some("20260301100000Z".into());
    });
    world.directory.edit(&dn_of("mlefevre"), |e| {
        e.person.state.frozen = Some("20260301100000Z".into());
    });
    world.directory.deny(&dn_of("agentit"), &dn_of("mlefevre"));
    let session = ready(&world, &journey, "agentit", "jdupont").await;
    let outcome = act(&world, &journey, &session, DeskAction::Unfreeze).await;
    assert!(matches!(outcome, ActOutcome::Done(Done::Unfrozen)));
    assert_eq!(
        world.directory.written_as(),
        [(dn_of("agentit"), dn_of("jdupont"))]
    );
    let session = opened(&world, &journey, &session, "mlefevre").await;
    let session = verified_in_person(&world, &journey, &session).await;
    let outcome = act(&world, &journey, &session, DeskAction::Unfreeze).await;
    assert!(
        matches!(outcome, ActOutcome::NotDone(NotDone::Forbidden)),
        "{outcome:?}"
    );
    assert!(world.person("mlefevre").state.frozen.is_some());
    assert_eq!(
        world
            .audit
            .count(AuditStep::Unfreeze, Outcome::ForbiddenByDirectory),
        1
    );
    assert!(
        world.mailer.of("helpdesk_action").len() == 1,
        "only the done one is told"
    );
}

#[tokio::test]
async fn the_list_shows_the_scope_s_frozen_and_locked_accounts_only() {
    let world = desk_world(|_| {}).await;
    let journey = desk_journey(&world);
    for login in ["jdupont", "mlefevre"] {
        world.directory.edit(&dn_of(login), |e| {
            e.person.state.frozen = Some("20260301100000Z".into());
        });
    }
    let session = signed_in(&world, &journey, "agentsci").await;
    let listed = open(
        helpdesk::stopped(&world.gateway, &journey, &session)
            .await
            .unwrap(),
    )
    .unwrap();
    let logins: Vec<&str> = listed.iter().map(|(p, _)| p.login.as_str()).collect();
    assert_eq!(logins, ["jdupont"]);
    assert_eq!(
        world.audit.count(AuditStep::ListStopped, Outcome::Listed),
        1
    );
}

#[tokio::test]
async fn no_agent_is_found_or_listed_by_any_agent() {
    // Every test person is a « Dupont », the agents too; the IT desk's
    // scope is every person.
    let world = desk_world(|_| {}).await;
    let journey = desk_journey(&world);
    for login in ["jdupont", "agentsci"] {
        world.directory.edit(&dn_of(login), |e| {
            e.person.state.frozen = Some("20260301100000Z".into());
            e.person.state.frozen_reason = Some("changement de mot de passe".into());
        });
    }
    let session = signed_in(&world, &journey, "agentit").await;
    let found = open(
        helpdesk::search(
            &world.gateway,
            &journey,
            &session,
            &SearchText::parse("Dupont").unwrap(),
        )
        .await
        .unwrap(),
    );
    let mut logins: Vec<&str> = found.people.iter().map(|p| p.login.as_str()).collect();
    logins.sort_unstable();
    assert_eq!(logins, ["jdupont", "mlefevre"]);
    let listed = open(
        helpdesk::stopped(&world.gateway, &journey, &session)
            .await
            .unwrap(),
    )
    .unwrap();
    let logins: Vec<&str> = listed.iter().map(|(p, _)| p.login.as_str()).collect();
    assert_eq!(logins, ["jdupont"], "no agent's freeze, nor its reason");
}

#[tokio::test]
async fn a_session_ends_once_the_directory_locks_the_agent_or_wants_a_new_password() {
    let world = desk_world(|_| {}).await;
    let journey = desk_journey(&world);
    type Edit = fn(&mut Entry);
    let edits: [(&str, Edit); 3] = [
        // Failed binds elsewhere: ppolicy locked the agent after the sign-in.
        ("ppolicy lock", |e| {
            e.person.ppolicy.lock = crate::ppolicy::PpolicyLock::Timed {
                since: start() + chrono::Duration::seconds(1),
            };
        }),
        // An administrator reset the agent's password (`pwdReset`).
        ("must change", |e| e.person.password_must_change = true),
        // IT's lock for good.
        ("IT's lock", |e| {
            e.person.ppolicy.lock = crate::ppolicy::PpolicyLock::Administrative;
        }),
    ];
    for (what, edit) in edits {
        let session = signed_in(&world, &journey, "agentit").await;
        world.directory.edit(&dn_of("agentit"), edit);
        world.clock.advance(1);
        let at = helpdesk::desk(&world.gateway, &journey, &session)
            .await
            .unwrap();
        assert!(matches!(at, AtDesk::Ended), "{what}");
        world.directory.edit(&dn_of("agentit"), |e| {
            e.person.ppolicy.lock = crate::ppolicy::PpolicyLock::None;
            e.person.password_must_change = false;
        });
    }
    assert_eq!(
        world.audit.count(AuditStep::Login, Outcome::SessionEnded),
        3
    );
}
