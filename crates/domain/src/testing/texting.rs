//! Codes by SMS (issue 21): the `sms` flow (identity, the masked way, the
//! code, the password) and the code flow's SMS choice; never a text to a
//! number that is not a mobile; the per-person cooldown and daily cap on
//! the entry, shared by replicas; the per-address limit and the site's
//! ceiling, which refuse before anything is looked up and so say nothing
//! of anybody.

use super::*;
use crate::flows::code::{self, CodeInput, Request, RequestOutcome, VerifyOutcome};
use crate::flows::sms::{self, IdentityOutcome, SendOutcome};
use crate::settings::Channel;
use crate::sms::Limit;

/// `jdupont`, with the mobile `mobile` as stored.
async fn world_with_mobile(
    mobile: Option<&str>,
    adjust: impl FnOnce(&mut GatewaySettings),
) -> World {
    let world = World::empty(adjust);
    let mut entry = Entry::person("jdupont");
    if let Some(mobile) = mobile {
        entry.person.mobiles = vec![mobile.to_owned()];
        entry.person.own_mobile = Some(mobile.to_owned());
    }
    world.add_with_question(entry).await;
    world
}

/// An `sms` flow of `login` past its identity step.
async fn sms_proved(world: &World, gateway: &Gateway, login: &str) -> Journey {
    let mut journey = world.journey(FlowName::Sms);
    match sms::identity(gateway, &journey, &identity(login, BORN))
        .await
        .unwrap()
    {
        IdentityOutcome::Proved(proof) => journey.proof = Some(proof),
        IdentityOutcome::Failed => panic!("identity failed: {:?}", world.audit.outcomes()),
    }
    journey
}

#[tokio::test]
async fn the_sms_flow_sends_a_code_to_the_mobile_and_the_code_proves_the_person() {
    let world = world_with_mobile(Some("06 12 34 56 78"), |_| {}).await;
    let journey = sms_proved(&world, &world.gateway, "jdupont").await;
    let channels = sms::channels(&world.gateway, &journey).await.unwrap();
    assert_eq!(channels.mobile.as_deref(), Some("•• •• •• •• 78"));
    assert_eq!(channels.mail.as_deref(), Some("j•••@e•••.net"));
    let SendOutcome::Sent(claim) = sms::send(&world.gateway, &journey, Channel::Mobile)
        .await
        .unwrap()
    else {
        panic!("not sent: {:?}", world.audit.outcomes());
    };
    assert_eq!(claim.masked, "•• •• •• •• 78");
    world.texter.wait_for(1).await;
    let code = world.texter.last_code("+33612345678");
    let text = &world.texter.to("+33612345678")[0];
    assert!(text.contains("15 min"), "{text}");
    // The code is the entry's pending code: single use.
    let proved = sms::verify(&world.gateway, &journey, CodeInput::Code(code.clone()))
        .await
        .unwrap();
    assert!(matches!(proved, VerifyOutcome::Proved(_)));
    let again = sms::verify(&world.gateway, &journey, CodeInput::Code(code))
        .await
        .unwrap();
    assert!(matches!(again, VerifyOutcome::Refused));
    assert_eq!(
        world.audit.of_step(AuditStep::SendSms),
        [Outcome::SmsSent],
        "{:?}",
        world.audit.outcomes()
    );
}

#[tokio::test]
async fn a_person_with_both_may_choose_the_mail_instead() {
    let world = world_with_mobile(Some("0612345678"), |_| {}).await;
    let journey = sms_proved(&world, &world.gateway, "jdupont").await;
    let outcome = sms::send(&world.gateway, &journey, Channel::Mail)
        .await
        .unwrap();
    assert!(matches!(outcome, SendOutcome::Sent(ref c) if c.masked == "j•••@e•••.net"));
    let code = world.mailer.last_code();
    let proved = sms::verify(&world.gateway, &journey, CodeInput::Code(code))
        .await
        .unwrap();
    assert!(matches!(proved, VerifyOutcome::Proved(_)));
    assert!(world.texter.sent().is_empty());
}

#[tokio::test]
async fn a_landline_or_no_number_is_never_sent_a_text_and_its_owner_is_told_why() {
    for (stored, unusable) in [(Some("01 42 68 53 00"), Some("landline")), (None, None)] {
        let world = world_with_mobile(stored, |_| {}).await;
        let journey = sms_proved(&world, &world.gateway, "jdupont").await;
        let channels = sms::channels(&world.gateway, &journey).await.unwrap();
        assert_eq!(channels.mobile, None);
        assert_eq!(channels.unusable_mobile, unusable);
        let outcome = sms::send(&world.gateway, &journey, Channel::Mobile)
            .await
            .unwrap();
        assert!(matches!(outcome, SendOutcome::NoChannel));
        // The code flow's SMS for the same person: the same page, no text.
        let code_journey = world.journey(FlowName::Code);
        let asked = code::request_by(
            &world.gateway,
            &code_journey,
            Request::Accepted("jdupont"),
            Channel::Mobile,
        )
        .await
        .unwrap();
        assert!(matches!(asked, RequestOutcome::Issued(_)));
        let sent = world.audit.wait_for(AuditStep::SendSms, 1).await;
        let expected = if stored.is_some() {
            Outcome::UnusableMobile
        } else {
            Outcome::NoMobile
        };
        assert_eq!(sent, [expected]);
        assert!(world.texter.sent().is_empty());
        assert_eq!(world.person("jdupont").state.code_hash, None);
    }
}

#[tokio::test]
async fn the_code_flow_by_sms_is_the_same_page_for_an_unknown_identifier() {
    let world = world_with_mobile(Some("+33 6 12 34 56 78"), |_| {}).await;
    let known = code::request_by(
        &world.gateway,
        &world.journey(FlowName::Code),
        Request::Accepted("jdupont@example.net"),
        Channel::Mobile,
    )
    .await
    .unwrap();
    let unknown = code::request_by(
        &world.gateway,
        &world.journey(FlowName::Code),
        Request::Accepted("personne@example.net"),
        Channel::Mobile,
    )
    .await
    .unwrap();
    let (RequestOutcome::Issued(known), RequestOutcome::Issued(unknown)) = (known, unknown) else {
        panic!("a request was not taken alike");
    };
    assert_eq!(known.channel, Channel::Mobile);
    assert_eq!(unknown.channel, Channel::Mobile);
    let mut sent = world.audit.wait_for(AuditStep::SendSms, 2).await;
    sent.sort_by_key(|o| o.name());
    assert_eq!(sent, [Outcome::SmsSent, Outcome::UnknownAddress]);
    world.texter.wait_for(1).await;
    let code = world.texter.last_code("+33612345678");
    let journey = world.journey(FlowName::Code);
    let proved = code::verify(
        &world.gateway,
        &journey,
        Some(&known),
        CodeInput::Code(code),
    )
    .await
    .unwrap();
    assert!(matches!(proved, VerifyOutcome::Proved(_)));
}

#[tokio::test]
async fn one_sms_per_cooldown_and_so_many_a_day_per_person_whichever_replica_asks() {
    let world = world_with_mobile(Some("0612345678"), |settings| {
        settings.flows.sms_resend_seconds = 60;
        settings.flows.sms_daily_max = 3;
    })
    .await;
    let replica = world.replica();
    let journey = sms_proved(&world, &world.gateway, "jdupont").await;
    assert!(matches!(
        sms::send(&world.gateway, &journey, Channel::Mobile)
            .await
            .unwrap(),
        SendOutcome::Sent(_)
    ));
    world.clock.advance(30);
    let other = sms_proved(&world, &replica, "jdupont").await;
    let too_soon = sms::send(&replica, &other, Channel::Mobile).await.unwrap();
    assert!(matches!(too_soon, SendOutcome::TooSoon { wait: 30 }));
    for _ in 0..2 {
        world.clock.advance(60);
        assert!(matches!(
            sms::send(&replica, &other, Channel::Mobile).await.unwrap(),
            SendOutcome::Sent(_)
        ));
    }
    world.clock.advance(3600);
    let capped = sms::send(&world.gateway, &journey, Channel::Mobile)
        .await
        .unwrap();
    let SendOutcome::DailyCap { until } = capped else {
        panic!("a fourth SMS within a day");
    };
    assert_eq!(until, start() + chrono::Duration::days(1));
    world.texter.wait_for(3).await;
    assert_eq!(world.texter.sent().len(), 3);
    // A day after the first, one more.
    world.clock.set(start() + chrono::Duration::days(1));
    assert!(matches!(
        sms::send(&world.gateway, &journey, Channel::Mobile)
            .await
            .unwrap(),
        SendOutcome::Sent(_)
    ));
    assert_eq!(
        world.audit.count(AuditStep::SendSms, Outcome::SmsCooldown)
            + world.audit.count(AuditStep::SendSms, Outcome::SmsDailyCap),
        2
    );
}

#[tokio::test]
async fn a_number_several_entries_hold_gets_one_person_s_daily_share() {
    // A parent's phone on two children's entries.
    let world = world_with_mobile(Some("0612345678"), |settings| {
        settings.flows.sms_resend_seconds = 60;
        settings.flows.sms_daily_max = 2;
    })
    .await;
    let mut sibling = Entry::person("mdupont");
    sibling.person.mobiles = vec!["06 12 34 56 78".to_owned()];
    sibling.person.own_mobile = Some("06 12 34 56 78".to_owned());
    world.add_with_question(sibling).await;
    for login in ["jdupont", "mdupont"] {
        let journey = sms_proved(&world, &world.gateway, login).await;
        assert!(matches!(
            sms::send(&world.gateway, &journey, Channel::Mobile)
                .await
                .unwrap(),
            SendOutcome::Sent(_)
        ));
        world.clock.advance(120);
    }
    // Each child is under their own cap; the number is not.
    let journey = sms_proved(&world, &world.gateway, "mdupont").await;
    let capped = sms::send(&world.gateway, &journey, Channel::Mobile)
        .await
        .unwrap();
    let SendOutcome::DailyCap { until } = capped else {
        panic!("a third SMS to the number within a day");
    };
    assert_eq!(until, start() + chrono::Duration::days(1));
    assert_eq!(
        world.audit.count(AuditStep::SendSms, Outcome::SmsNumberCap),
        1
    );
    world.texter.wait_for(2).await;
    assert_eq!(world.texter.to("+33612345678").len(), 2);
    // The refused one claimed nothing on the entry.
    assert_eq!(world.person("mdupont").state.sms_sent.len(), 1);
}

#[tokio::test]
async fn the_site_ceiling_refuses_anybody_once_reached_and_frees_a_minute_later() {
    let world = World::empty(|settings| settings.flows.sms_per_minute = 2);
    for login in ["ana", "bob", "cyd"] {
        let mut entry = Entry::person(login);
        entry.person.mobiles = vec![format!("06123456{}", 70 + login.len())];
        world.add(entry);
    }
    assert!(matches!(
        ask_sms(&world, "ana").await,
        RequestOutcome::Issued(_)
    ));
    world.audit.wait_for(AuditStep::SendSms, 1).await;
    assert!(matches!(
        ask_sms(&world, "bob").await,
        RequestOutcome::Issued(_)
    ));
    world.audit.wait_for(AuditStep::SendSms, 2).await;
    // Full: refused whoever is named, known or not, and nothing looked up.
    for typed in ["cyd", "nobody-at-all"] {
        assert!(matches!(
            ask_sms(&world, typed).await,
            RequestOutcome::SmsLimited(Limit::Ceiling)
        ));
    }
    assert_eq!(
        world.audit.count(AuditStep::Address, Outcome::SmsCeiling),
        2
    );
    world.clock.advance(60);
    assert!(matches!(
        ask_sms(&world, "cyd").await,
        RequestOutcome::Issued(_)
    ));
    world.texter.wait_for(3).await;
}

#[tokio::test]
async fn an_address_that_asks_too_often_is_refused_alike_for_known_and_unknown() {
    let world = world_with_mobile(Some("0612345678"), |settings| {
        settings.flows.sms_per_address_per_hour = 2;
    })
    .await;
    assert!(matches!(
        ask_sms(&world, "nobody-1").await,
        RequestOutcome::Issued(_)
    ));
    assert!(matches!(
        ask_sms(&world, "nobody-2").await,
        RequestOutcome::Issued(_)
    ));
    assert!(matches!(
        ask_sms(&world, "jdupont").await,
        RequestOutcome::SmsLimited(Limit::Address)
    ));
    assert!(matches!(
        ask_sms(&world, "nobody-3").await,
        RequestOutcome::SmsLimited(Limit::Address)
    ));
    world.clock.advance(3600);
    assert!(matches!(
        ask_sms(&world, "jdupont").await,
        RequestOutcome::Issued(_)
    ));
    world.texter.wait_for(1).await;
}

#[tokio::test]
async fn a_frozen_account_is_sent_no_sms_and_nothing_is_stored() {
    let world = world_with_mobile(Some("0612345678"), |_| {}).await;
    world.directory.edit(&dn_of("jdupont"), |entry| {
        entry.person.state.frozen = Some("20260301000000Z".into());
    });
    let asked = code::request_by(
        &world.gateway,
        &world.journey(FlowName::Code),
        Request::Accepted("jdupont"),
        Channel::Mobile,
    )
    .await
    .unwrap();
    assert!(matches!(asked, RequestOutcome::Issued(_)));
    let sent = world.audit.wait_for(AuditStep::SendSms, 1).await;
    assert_eq!(sent, [Outcome::SelfServiceFrozen]);
    assert!(world.texter.sent().is_empty());
    let person = world.person("jdupont");
    assert_eq!(person.state.code_hash, None);
    assert!(person.state.sms_sent.is_empty());
}

#[tokio::test]
async fn a_refused_text_is_audited_and_the_person_is_still_counted() {
    let world = world_with_mobile(Some("0612345678"), |_| {}).await;
    world
        .texter
        .refusing
        .store(true, std::sync::atomic::Ordering::SeqCst);
    let journey = sms_proved(&world, &world.gateway, "jdupont").await;
    let outcome = sms::send(&world.gateway, &journey, Channel::Mobile)
        .await
        .unwrap();
    assert!(matches!(outcome, SendOutcome::Sent(_)));
    let sent = world.audit.wait_for(AuditStep::SendSms, 1).await;
    assert_eq!(sent, [Outcome::SmsFailed]);
    // It may have cost: the person's limits count it.
    assert_eq!(world.person("jdupont").state.sms_sent.len(), 1);
}

/// The code flow's first step by SMS for `typed`, as a browser asks it.
async fn ask_sms(world: &World, typed: &str) -> RequestOutcome {
    code::request_by(
        &world.gateway,
        &world.journey(FlowName::Code),
        Request::Accepted(typed),
        Channel::Mobile,
    )
    .await
    .unwrap()
}

/// A new instance of `flow` from the client address `address`, its network
/// counted as the web counts it (an IPv6 address's /64).
fn journey_from(world: &World, flow: FlowName, address: &str) -> Journey {
    let mut journey = world.journey(flow);
    journey.visitor.address = address.parse().unwrap();
    journey.visitor.network =
        crate::audit::client_network(journey.visitor.address, crate::audit::DEFAULT_IPV6_PREFIX);
    journey
}

#[tokio::test]
async fn an_ipv6_client_rotating_addresses_within_its_64_meets_the_sms_limit() {
    let world = world_with_mobile(Some("0612345678"), |settings| {
        settings.flows.sms_per_address_per_hour = 2;
    })
    .await;
    let ask_from = |address: &'static str, typed: &'static str| {
        let journey = journey_from(&world, FlowName::Code, address);
        let gateway = world.gateway.clone();
        async move {
            code::request_by(
                &gateway,
                &journey,
                Request::Accepted(typed),
                Channel::Mobile,
            )
            .await
            .unwrap()
        }
    };
    assert!(matches!(
        ask_from("2001:db8:5:5::1", "nobody-1").await,
        RequestOutcome::Issued(_)
    ));
    assert!(matches!(
        ask_from("2001:db8:5:5::2", "nobody-2").await,
        RequestOutcome::Issued(_)
    ));
    // A third address of the same /64, naming a real person: refused.
    assert!(matches!(
        ask_from("2001:db8:5:5:abcd::3", "jdupont").await,
        RequestOutcome::SmsLimited(Limit::Address)
    ));
    // Another subscriber's /64 is counted on its own.
    assert!(matches!(
        ask_from("2001:db8:5:6::1", "nobody-3").await,
        RequestOutcome::Issued(_)
    ));
    assert_eq!(
        world
            .audit
            .count(AuditStep::Address, Outcome::SmsAddressLimit),
        1
    );
}
