//! One's own recovery data (issue 21): in « Gérer mon compte » a new
//! address or mobile is written only after a code sent to it comes back,
//! with the current password typed again not long before, never while the
//! account is locked or frozen; the old value and the institutional
//! address are told, with a « Ce n'était pas moi » link that a later
//! password change does not void; a changed question is told too; an
//! activation writes verified values with the password.

use super::*;
use crate::flows::account::{
    self, ConfirmOutcome, QuestionOutcome, SignInOutcome, ValueOutcome, ValueRequest,
};
use crate::flows::activate;
use crate::flows::not_me::{self as not_me_flow, DisownOutcome, LinkPage};
use crate::mail::RecoveryFactor;
use crate::settings::Channel;
use crate::steps::recovery::PendingValue;
use crate::steps::secret::SecretChoice;

/// `jdupont` with the mobile 06 12 34 56 78, the recovery address
/// `jdupont@example.net` (his own) and an institutional address.
async fn world() -> World {
    let world = World::empty(|_| {});
    let mut entry = Entry::person("jdupont");
    entry.person.mobiles = vec!["06 12 34 56 78".into()];
    entry.person.own_mobile = Some("06 12 34 56 78".into());
    entry.person.own_recovery_mail = Some("jdupont@example.net".into());
    entry.person.institutional_mail = Some("jean.dupont@univ-exemple.fr".into());
    world.add_with_question(entry).await;
    world
}

/// An account session of `jdupont`, signed in.
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

async fn ask(
    world: &World,
    journey: &Journey,
    channel: Channel,
    typed: &str,
    current: &str,
) -> ValueOutcome {
    account::request_value(
        &world.gateway,
        journey,
        channel,
        ValueRequest::Set(typed),
        Some(&secret(current)),
    )
    .await
    .unwrap()
}

async fn pending(world: &World, journey: &Journey, channel: Channel, typed: &str) -> PendingValue {
    match ask(world, journey, channel, typed, CURRENT).await {
        ValueOutcome::CodeSent(pending) => pending,
        _ => panic!("no code sent: {:?}", world.audit.outcomes()),
    }
}

#[tokio::test]
async fn a_new_mobile_is_written_only_once_its_code_comes_back_and_the_old_one_is_told() {
    let world = world().await;
    let journey = signed_in(&world).await;
    let pending = pending(&world, &journey, Channel::Mobile, "+33 7 11 22 33 44").await;
    assert_eq!(pending.value, "+33711223344");
    assert_eq!(pending.masked, "•• •• •• •• 44");
    world.texter.wait_for(1).await;
    assert_eq!(
        world.person("jdupont").own_mobile.as_deref(),
        Some("06 12 34 56 78"),
        "written before its code came back"
    );
    let code = world.texter.last_code("+33711223344");
    let wrong = ResetCode::parse(if code.secret().expose_secret() == "000000" {
        "111111"
    } else {
        "000000"
    })
    .unwrap();
    let outcome = account::confirm_value(&world.gateway, &journey, &pending, Some(&wrong))
        .await
        .unwrap();
    assert!(matches!(outcome, ConfirmOutcome::Wrong));
    assert_eq!(
        world.person("jdupont").state.failure_times.len(),
        1,
        "a wrong code counts"
    );
    let outcome = account::confirm_value(&world.gateway, &journey, &pending, Some(&code))
        .await
        .unwrap();
    assert!(matches!(outcome, ConfirmOutcome::Changed));
    let person = world.person("jdupont");
    assert_eq!(person.own_mobile.as_deref(), Some("+33711223344"));
    // The old number is told by SMS, the addresses by mail with the link.
    world.texter.wait_for(2).await;
    let old = world.texter.to("+33612345678");
    assert_eq!(old.len(), 1, "{old:?}");
    let notices = world.mailer.of("recovery_changed");
    let to: Vec<&str> = notices.iter().map(|m| m.to.as_str()).collect();
    assert_eq!(to, ["jdupont@example.net", "jean.dupont@univ-exemple.fr"]);
    let MailKind::RecoveryChanged {
        factor,
        ref new_value,
        ref not_me_url,
        ..
    } = notices[0].kind
    else {
        panic!("another mail");
    };
    assert_eq!(factor, RecoveryFactor::Mobile);
    assert_eq!(new_value.as_deref(), Some("•• •• •• •• 44"));
    assert!(not_me_url.is_some());
    assert_eq!(
        world.audit.of_step(AuditStep::Recovery).last(),
        Some(&Outcome::MobileChanged)
    );
}

#[tokio::test]
async fn a_new_address_gets_the_code_and_the_old_one_the_notice() {
    let world = world().await;
    let journey = signed_in(&world).await;
    let pending = pending(&world, &journey, Channel::Mail, " Jean.Neuf@Example.org ").await;
    let codes = world.mailer.of("recovery_code");
    assert_eq!(codes.len(), 1);
    assert_eq!(codes[0].to, "Jean.Neuf@Example.org");
    let MailKind::RecoveryCode { ref code, .. } = codes[0].kind else {
        panic!("another mail");
    };
    let code = ResetCode::parse(code.expose_secret()).unwrap();
    let outcome = account::confirm_value(&world.gateway, &journey, &pending, Some(&code))
        .await
        .unwrap();
    assert!(matches!(outcome, ConfirmOutcome::Changed));
    let person = world.person("jdupont");
    assert_eq!(
        person.own_recovery_mail.as_deref(),
        Some("Jean.Neuf@Example.org")
    );
    let notices: Vec<String> = world
        .mailer
        .of("recovery_changed")
        .into_iter()
        .map(|m| m.to)
        .collect();
    assert_eq!(
        notices,
        ["jdupont@example.net", "jean.dupont@univ-exemple.fr"]
    );
}

#[tokio::test]
async fn a_change_of_recovery_data_needs_the_current_password_and_a_usable_value() {
    let world = world().await;
    let journey = signed_in(&world).await;
    let missing = account::request_value(
        &world.gateway,
        &journey,
        Channel::Mobile,
        ValueRequest::Set("0711223344"),
        None,
    )
    .await
    .unwrap();
    assert!(matches!(missing, ValueOutcome::Again(ref p) if p[0].0 == "current"));
    let wrong = ask(
        &world,
        &journey,
        Channel::Mobile,
        "0711223344",
        "pas-le-bon",
    )
    .await;
    assert!(matches!(wrong, ValueOutcome::Again(ref p) if p[0].0 == "current"));
    for (typed, field) in [
        ("01 42 68 53 00", "mobile"),
        ("08 99 12 34 56", "mobile"),
        ("06 12 34 56 78", "mobile"),
    ] {
        let refused = ask(&world, &journey, Channel::Mobile, typed, CURRENT).await;
        assert!(
            matches!(refused, ValueOutcome::Again(ref p) if p.len() == 1 && p[0].0 == field),
            "{typed}"
        );
    }
    let institutional = ask(
        &world,
        &journey,
        Channel::Mail,
        "jean.dupont@univ-exemple.fr",
        CURRENT,
    )
    .await;
    assert!(matches!(institutional, ValueOutcome::Again(ref p) if p[0].0 == "mail"));
    assert!(world.texter.sent().is_empty());
    assert!(world.mailer.of("recovery_code").is_empty());
}

#[tokio::test]
async fn a_frozen_or_locked_account_cannot_write_a_value_even_with_its_code_in_hand() {
    let world = world().await;
    let journey = signed_in(&world).await;
    let pending = pending(&world, &journey, Channel::Mobile, "0711223344").await;
    world.texter.wait_for(1).await;
    let code = world.texter.last_code("+33711223344");
    // Self-service locked by failed attempts (another browser's).
    world.directory.edit(&dn_of("jdupont"), |entry| {
        entry.person.state.locked_until = Some(start() + chrono::Duration::hours(1));
    });
    let locked = account::confirm_value(&world.gateway, &journey, &pending, Some(&code))
        .await
        .unwrap();
    assert!(matches!(locked, ConfirmOutcome::Stopped));
    // Frozen by its owner: the session ends.
    world.directory.edit(&dn_of("jdupont"), |entry| {
        entry.person.state.locked_until = None;
        entry.person.state.frozen = Some("20260302100000Z".into());
    });
    let frozen = account::confirm_value(&world.gateway, &journey, &pending, Some(&code))
        .await
        .unwrap();
    assert!(matches!(frozen, ConfirmOutcome::Ended));
    assert_eq!(
        world.person("jdupont").own_mobile.as_deref(),
        Some("06 12 34 56 78")
    );
}

#[tokio::test]
async fn a_code_that_comes_back_after_the_proof_window_writes_nothing() {
    let world = world().await;
    let journey = signed_in(&world).await;
    let pending = pending(&world, &journey, Channel::Mobile, "0711223344").await;
    world.texter.wait_for(1).await;
    let code = world.texter.last_code("+33711223344");
    world.clock.advance(601);
    let outcome = account::confirm_value(&world.gateway, &journey, &pending, Some(&code))
        .await
        .unwrap();
    assert!(matches!(outcome, ConfirmOutcome::Restart));
    assert_eq!(
        world.person("jdupont").own_mobile.as_deref(),
        Some("06 12 34 56 78")
    );
}

#[tokio::test]
async fn a_removed_mobile_is_gone_at_once_and_its_number_told() {
    let world = world().await;
    let journey = signed_in(&world).await;
    let outcome = account::request_value(
        &world.gateway,
        &journey,
        Channel::Mobile,
        ValueRequest::Remove,
        Some(&secret(CURRENT)),
    )
    .await
    .unwrap();
    assert!(matches!(outcome, ValueOutcome::Removed));
    let person = world.person("jdupont");
    assert_eq!(person.own_mobile, None);
    assert!(person.mobiles.is_empty());
    world.texter.wait_for(1).await;
    assert_eq!(world.texter.to("+33612345678").len(), 1);
    assert_eq!(world.mailer.of("recovery_changed").len(), 2);
}

#[tokio::test]
async fn a_changed_question_needs_the_current_password_and_is_told_to_its_owner() {
    let world = world().await;
    let journey = signed_in(&world).await;
    let answer = secret("Une réponse longue");
    let choice = SecretChoice {
        question: "0",
        own_question: "",
        answer: &answer,
        answer_confirm: &answer,
    };
    let without = account::choose_secret(&world.gateway, &journey, &choice, None)
        .await
        .unwrap();
    assert!(matches!(without, QuestionOutcome::Again(ref p) if p[0].0 == "current"));
    let before = world.person("jdupont").state.answer_hash;
    let changed = account::choose_secret(&world.gateway, &journey, &choice, Some(&secret(CURRENT)))
        .await
        .unwrap();
    assert!(matches!(changed, QuestionOutcome::Changed));
    assert_ne!(world.person("jdupont").state.answer_hash, before);
    let notices = world.mailer.of("recovery_changed");
    assert_eq!(notices.len(), 2);
    assert!(matches!(
        notices[0].kind,
        MailKind::RecoveryChanged {
            factor: RecoveryFactor::Question,
            ..
        }
    ));
}

#[tokio::test]
async fn the_link_of_a_changed_mobile_freezes_even_after_the_password_changed() {
    let world = world().await;
    let journey = signed_in(&world).await;
    let pending = pending(&world, &journey, Channel::Mobile, "0711223344").await;
    world.texter.wait_for(1).await;
    let code = world.texter.last_code("+33711223344");
    account::confirm_value(&world.gateway, &journey, &pending, Some(&code))
        .await
        .unwrap();
    let url = world
        .mailer
        .of("recovery_changed")
        .iter()
        .find_map(|m| match &m.kind {
            MailKind::RecoveryChanged { not_me_url, .. } => not_me_url.clone(),
            _ => None,
        })
        .expect("a link");
    let token = url.rsplit('/').next().unwrap().to_owned();
    // Whoever changed the mobile resets the password with it...
    let recover = recover_proved(&world.gateway, &world, "jdupont").await;
    crate::flows::recover::submit_password(
        &world.gateway,
        &recover,
        &form(&secret("Nouveau-Secret-2026")),
    )
    .await
    .unwrap();
    // ...and the owner's link still freezes.
    let page = not_me_flow::open(&world.gateway, &token).await.unwrap();
    assert!(
        matches!(page, LinkPage::Usable { ref factor, .. } if factor.as_deref() == Some("mobile"))
    );
    let outcome = not_me_flow::disown(&world.gateway, &world.journey(FlowName::NotMe), &token)
        .await
        .unwrap();
    assert!(matches!(outcome, DisownOutcome::Frozen));
    assert!(world.person("jdupont").state.frozen.is_some());
}

#[tokio::test]
async fn an_activation_writes_its_verified_mobile_with_the_password() {
    let world = World::empty(|settings| {
        settings.flows.activation_asks = vec![Channel::Mail, Channel::Mobile];
    });
    let mut entry = Entry::person("nnouveau");
    entry.person.activation_pending = true;
    entry.person.recovery_mails.clear();
    world.add(entry);
    let mut journey = world.journey(FlowName::Activate);
    let activate::IdentityOutcome::Proved(proof) =
        activate::identity(&world.gateway, &journey, &identity("nnouveau", BORN))
            .await
            .unwrap()
    else {
        panic!("identity");
    };
    journey.proof = Some(proof);
    assert_eq!(
        activate::asks(&world.gateway),
        [Channel::Mail, Channel::Mobile]
    );
    let sent = activate::request_values(
        &world.gateway,
        &journey,
        &[(Channel::Mail, ""), (Channel::Mobile, "07 11 22 33 44")],
    )
    .await
    .unwrap();
    let activate::ValuesOutcome::Sent(awaiting) = sent else {
        panic!("no code sent");
    };
    assert_eq!(awaiting.len(), 1);
    world.texter.wait_for(1).await;
    let code = world.texter.last_code("+33711223344");
    let verified = activate::verify_values(
        &world.gateway,
        &journey,
        &awaiting,
        &[(Channel::Mobile, Some(code))],
    )
    .await
    .unwrap();
    let activate::CodesOutcome::Verified(values) = verified else {
        panic!("not verified");
    };
    assert_eq!(world.person("nnouveau").own_mobile, None, "written early");
    let answer = secret("Une réponse longue");
    let pending = match activate::choose_secret(
        &world.gateway,
        &journey,
        &SecretChoice {
            question: "0",
            own_question: "",
            answer: &answer,
            answer_confirm: &answer,
        },
    )
    .await
    .unwrap()
    {
        activate::SecretOutcome::Chosen(mut pending) => {
            pending.recovery = values;
            pending
        }
        _ => panic!("question"),
    };
    let outcome = activate::submit_password(
        &world.gateway,
        &journey,
        &pending,
        &form(&secret("Nouveau-Secret-2026")),
    )
    .await
    .unwrap();
    assert!(matches!(
        outcome,
        crate::flows::PasswordOutcome::Done { .. }
    ));
    let writes = world.directory.writes();
    assert!(writes[0]
        .also
        .contains(&Change::SetMobile(Some("+33711223344".into()))));
    assert_eq!(
        world.person("nnouveau").own_mobile.as_deref(),
        Some("+33711223344")
    );
}

#[tokio::test]
async fn the_sms_that_verifies_a_new_mobile_counts_against_the_per_address_limit() {
    let world = World::empty(|settings| {
        settings.flows.code_sms = true;
        settings.flows.sms_per_address_per_hour = 2;
    });
    let mut entry = Entry::person("jdupont");
    entry.person.own_recovery_mail = Some("jdupont@example.net".into());
    world.add_with_question(entry).await;
    let journey = signed_in(&world).await;
    // One SMS asked for through the code flow from the same address...
    let asked = crate::flows::code::request_by(
        &world.gateway,
        &world.journey(FlowName::Code),
        crate::flows::code::Request::Accepted("nobody"),
        Channel::Mobile,
    )
    .await
    .unwrap();
    assert!(matches!(
        asked,
        crate::flows::code::RequestOutcome::Issued(_)
    ));
    // ...one verification SMS, which counts as the second...
    pending(&world, &journey, Channel::Mobile, "0711223344").await;
    world.texter.wait_for(1).await;
    // ...and, the person's own cooldown over, the third is refused.
    world
        .clock
        .advance(world.gateway.settings().flows.sms_resend_seconds as i64 + 1);
    let outcome = ask(&world, &journey, Channel::Mobile, "0722334455", CURRENT).await;
    assert!(
        matches!(
            outcome,
            ValueOutcome::NotSent(crate::steps::recovery::NotSent::Texting(
                crate::steps::texting::NotTexted::AddressLimit
            ))
        ),
        "{:?}",
        world.audit.outcomes()
    );
    assert_eq!(
        world
            .audit
            .count(AuditStep::Recovery, Outcome::SmsAddressLimit),
        1
    );
    assert!(world.texter.to("+33722334455").is_empty());
}

#[tokio::test]
async fn a_confirmed_code_is_single_use_whatever_copy_of_the_cookie_brings_it_back() {
    let world = world().await;
    let journey = signed_in(&world).await;
    let first = pending(&world, &journey, Channel::Mobile, "0711223344").await;
    world.texter.wait_for(1).await;
    let first_code = world.texter.last_code("+33711223344");
    let outcome = account::confirm_value(&world.gateway, &journey, &first, Some(&first_code))
        .await
        .unwrap();
    assert!(matches!(outcome, ConfirmOutcome::Changed));
    let notices = world.mailer.of("recovery_changed").len();
    // The same form posted again: nothing written, nobody told again.
    let again = account::confirm_value(&world.gateway, &journey, &first, Some(&first_code))
        .await
        .unwrap();
    assert!(matches!(again, ConfirmOutcome::Restart));
    assert_eq!(world.mailer.of("recovery_changed").len(), notices);
    // The owner moves on to another number...
    world
        .clock
        .advance(world.gateway.settings().flows.sms_resend_seconds as i64 + 1);
    let second = pending(&world, &journey, Channel::Mobile, "0722334455").await;
    world.texter.wait_for(3).await;
    let second_code = world.texter.last_code("+33722334455");
    let outcome = account::confirm_value(&world.gateway, &journey, &second, Some(&second_code))
        .await
        .unwrap();
    assert!(matches!(outcome, ConfirmOutcome::Changed));
    // ...and an old copy of the cookie, with the first code, writes nothing.
    let replayed = account::confirm_value(&world.gateway, &journey, &first, Some(&first_code))
        .await
        .unwrap();
    assert!(matches!(replayed, ConfirmOutcome::Restart));
    assert_eq!(
        world.person("jdupont").own_mobile.as_deref(),
        Some("+33722334455")
    );
    assert_eq!(
        world
            .audit
            .count(AuditStep::Recovery, Outcome::RecoveryCodeUsed),
        2
    );
}
