//! Every SMS a visitor can make the gateway send: the 6-digit code of the
//! `sms` flow (once identity is proved, [`send_code`]) and of the code
//! flow's SMS choice (off the request path, whoever was named,
//! [`issue_code`]), and the code that proves a new mobile is the person's
//! ([`send_verification`]). The code is the e-mailed code's, stored on
//! the entry the same way (a keyed hash, its expiry and tries), so the
//! code step ([`super::code`]) checks both alike.
//!
//! Every SMS a visitor asks for counts against the per-address limit
//! ([`crate::sms::SmsLimits::ask`], keyed on the client's network): the
//! flows ask it before anything is known of the person (`code`, `sms`),
//! [`send_verification`] before it claims the person's limits.
//!
//! Each SMS obeys, in this order: the number is a mobile
//! ([`crate::sms::mobile_of`]: never a landline, a premium-rate or an
//! invalid number); the text fits `sms.max_segments`; a place under the
//! site's ceiling (this replica's, [`crate::sms::SmsLimits`]); the
//! per-person cooldown and daily cap, claimed on the entry in the modify
//! that stores the code, while the account may use self-service
//! ([`Gateway::claim_sms_and_store`]). A place under the ceiling that the
//! person's limits refuse is given back.

use crate::audit::{AuditStep, Outcome, Who};
use crate::gateway::{seconds, Gateway, Journey, LookUp};
use crate::lockout::{lock_state, LockState};
use crate::person::Person;
use crate::ports::Change;
use crate::reset_code::ResetCode;
use crate::sms::{mobile_of, Mobile, MobileOnFile};
use crate::state::SmsClaimed;
use chrono::{DateTime, Utc};
use passerelle_text::i18n::t_with;
use passerelle_text::Lang;
use secrecy::{ExposeSecret, SecretString};

/// Why an SMS was not sent, with when the person may ask again where it
/// is a limit of theirs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotTexted {
    /// One went to this person less than `flows.sms_resend_seconds` ago.
    TooSoon { next_at: DateTime<Utc> },
    /// `flows.sms_daily_max` went to this person within 24 hours.
    DailyCap { next_at: DateTime<Utc> },
    /// `flows.sms_daily_max` went to this number within 24 hours, whatever
    /// entries hold it (this replica).
    NumberCap { next_at: DateTime<Utc> },
    /// The site's ceiling a minute is reached.
    Ceiling,
    /// This client's network asked for `flows.sms_per_address_per_hour`
    /// within the hour.
    AddressLimit,
    /// The account may not use self-service now (and why).
    Stopped(crate::standing::Stopped),
    /// The account is locked by too many failures.
    Locked,
    /// The text cannot be sent (too long for `sms.max_segments`), or the
    /// directory failed: nothing stored.
    Failed,
}

impl NotTexted {
    /// The audit outcome.
    pub fn outcome(self) -> Outcome {
        match self {
            NotTexted::TooSoon { .. } => Outcome::SmsCooldown,
            NotTexted::DailyCap { .. } => Outcome::SmsDailyCap,
            NotTexted::NumberCap { .. } => Outcome::SmsNumberCap,
            NotTexted::Ceiling => Outcome::SmsCeiling,
            NotTexted::AddressLimit => Outcome::SmsAddressLimit,
            NotTexted::Stopped(stopped) => super::stopped_outcome(stopped),
            NotTexted::Locked => Outcome::Locked,
            NotTexted::Failed => Outcome::SmsFailed,
        }
    }
}

/// The text of a code SMS, in `lang`.
pub fn code_text(gateway: &Gateway, lang: Lang, code: &ResetCode, valid_seconds: u64) -> String {
    let minutes = valid_seconds.div_ceil(60).max(1).to_string();
    t_with(
        lang,
        "sms-text-code",
        &[
            ("site", &gateway.settings().site.name),
            ("code", code.secret().expose_secret()),
            ("minutes", &minutes),
        ],
    )
}

/// Claims the site's ceiling, the number's daily limit and the person's
/// limits for one SMS to `to` whose text is `text`, storing `changes` in
/// the same modify as the claim. Nothing is stored when any limit refuses.
async fn claim(
    gateway: &Gateway,
    person: &Person,
    to: &Mobile,
    text: &str,
    changes: Vec<Change>,
) -> Result<(), NotTexted> {
    if !gateway.texter().fits(text) {
        tracing::warn!("an SMS text does not fit sms.max_segments: nothing sent");
        return Err(NotTexted::Failed);
    }
    let now = gateway.now();
    if let LockState::Locked { .. } = lock_state(&person.state, &gateway.settings().lockout, now) {
        return Err(NotTexted::Locked);
    }
    let flows = &gateway.settings().flows;
    let Some(slot) = gateway.sms_limits().take(now, flows.sms_per_minute) else {
        return Err(NotTexted::Ceiling);
    };
    let number = match gateway
        .sms_limits()
        .take_number(to, now, flows.sms_daily_max)
    {
        Ok(number) => number,
        Err(next_at) => {
            gateway.sms_limits().give_back(slot);
            // The person's own cap, when it is reached too, says more.
            let day_ago = now - seconds(86_400);
            let own: Vec<_> = person
                .state
                .sms_sent
                .iter()
                .filter(|t| **t > day_ago)
                .collect();
            if own.len() >= usize::try_from(flows.sms_daily_max).unwrap_or(usize::MAX) {
                if let Some(oldest) = own.into_iter().min() {
                    return Err(NotTexted::DailyCap {
                        next_at: *oldest + seconds(86_400),
                    });
                }
            }
            return Err(NotTexted::NumberCap { next_at });
        }
    };
    let claimed = match gateway.directory().policy(person).await {
        Ok(policy) => gateway.claim_sms_and_store(person, &policy, changes).await,
        Err(error) => Err(error),
    };
    let refused = match claimed {
        Ok(SmsClaimed::Stored) => return Ok(()),
        Ok(SmsClaimed::TooSoon { next_at }) => NotTexted::TooSoon { next_at },
        Ok(SmsClaimed::DailyCap { next_at }) => NotTexted::DailyCap { next_at },
        Ok(SmsClaimed::Stopped(stopped)) => NotTexted::Stopped(stopped),
        Err(error) => {
            tracing::warn!(%error, "claiming an SMS failed");
            NotTexted::Failed
        }
    };
    gateway.sms_limits().give_back(slot);
    gateway.sms_limits().give_back_number(number);
    Err(refused)
}

/// A request for an SMS from the visitor of `journey`, under the
/// per-address limit and the site's ceiling ([`crate::sms::SmsLimits::ask`],
/// the site's settings): decided before anything is known of the person.
pub(crate) fn ask_sms(gateway: &Gateway, journey: &Journey) -> Result<(), crate::sms::Limit> {
    let flows = &gateway.settings().flows;
    gateway.sms_limits().ask(
        journey.visitor.network,
        gateway.now(),
        flows.sms_per_address_per_hour,
        flows.sms_per_minute,
    )
}

/// Sends `text` to `to` and audits how it went under `send_sms`.
async fn deliver(
    gateway: &Gateway,
    journey: &Journey,
    account: Who<'_>,
    to: &Mobile,
    text: SecretString,
    sent: Outcome,
) {
    match gateway.texter().send(to, &text).await {
        Ok(()) => gateway.event(journey, AuditStep::SendSms, sent, account),
        Err(failure) => {
            tracing::warn!(reason = failure.label, "an SMS was not handed over");
            gateway.event(journey, AuditStep::SendSms, Outcome::SmsFailed, account);
        }
    }
}

/// A new code for `person`, to `mobile`: stored (voiding any pending one)
/// under the person's limits, then sent off the request path. For the
/// `sms` flow, whose identity step was passed: the outcome may be told.
pub async fn send_code(
    gateway: &Gateway,
    journey: &Journey,
    person: &Person,
    mobile: &Mobile,
) -> Result<(), NotTexted> {
    let flows = &gateway.settings().flows;
    let code = ResetCode::generate();
    let now = gateway.now();
    let text = code_text(
        gateway,
        journey.visitor.lang,
        &code,
        flows.sms_code_validity_seconds,
    );
    let stored = Change::SetCode {
        hash: gateway.code_key().hash(&person.dn, &code),
        expiry: now + seconds(flows.sms_code_validity_seconds),
        tries: flows.code_tries.max(1),
        sent_at: now,
    };
    if let Err(refused) = claim(gateway, person, mobile, &text, vec![stored]).await {
        gateway.event(journey, AuditStep::SendSms, refused.outcome(), person);
        return Err(refused);
    }
    let (gateway, journey, person, mobile) = (
        gateway.clone(),
        journey.clone(),
        person.clone(),
        mobile.clone(),
    );
    tokio::spawn(async move {
        let text = SecretString::from(text);
        deliver(
            &gateway,
            &journey,
            Who::Person(&person),
            &mobile,
            text,
            Outcome::SmsSent,
        )
        .await;
    });
    Ok(())
}

/// The code flow's SMS, off the request path: the person `typed` names
/// (an address or identifier), their mobile, the limits, the code stored
/// and sent. Nothing of it reaches the page, which is the same for
/// everyone; the audit trail says what happened under `send_sms`.
pub async fn issue_code(gateway: Gateway, journey: Journey, typed: String) {
    let event = |outcome, who: Who<'_>| gateway.event(&journey, AuditStep::SendSms, outcome, who);
    let person = match gateway.find_named(&typed, LookUp::MailFirst).await {
        Ok(Some(person)) => person,
        Ok(None) => return event(Outcome::UnknownAddress, Who::Nobody),
        Err(error) => {
            tracing::warn!(%error, "looking up an identifier for an SMS failed");
            return event(Outcome::DirectoryError, Who::Nobody);
        }
    };
    let mobile = match mobile_of(gateway.texter(), &person) {
        MobileOnFile::Mobile(mobile) => mobile,
        MobileOnFile::Unusable(_) => return event(Outcome::UnusableMobile, Who::Person(&person)),
        MobileOnFile::None => return event(Outcome::NoMobile, Who::Person(&person)),
    };
    match super::standing_now(&gateway, &person).await {
        Ok(Ok(())) => {}
        Ok(Err(stopped)) => return event(super::stopped_outcome(stopped), Who::Person(&person)),
        Err(error) => {
            tracing::warn!(%error, "reading a password policy for an SMS failed");
            return event(Outcome::DirectoryError, Who::Person(&person));
        }
    }
    let flows = &gateway.settings().flows;
    let code = ResetCode::generate();
    let now = gateway.now();
    let text = code_text(
        &gateway,
        journey.visitor.lang,
        &code,
        flows.sms_code_validity_seconds,
    );
    let stored = Change::SetCode {
        hash: gateway.code_key().hash(&person.dn, &code),
        expiry: now + seconds(flows.sms_code_validity_seconds),
        tries: flows.code_tries.max(1),
        sent_at: now,
    };
    if let Err(refused) = claim(&gateway, &person, &mobile, &text, vec![stored]).await {
        return event(refused.outcome(), Who::Person(&person));
    }
    deliver(
        &gateway,
        &journey,
        Who::Person(&person),
        &mobile,
        SecretString::from(text),
        Outcome::SmsSent,
    )
    .await;
}

/// Sends `text`, a code proving a new mobile is the person's, to `to`
/// under the per-address limit, like every SMS a visitor asks for, and
/// the person's limits (a signed-in person, or an activation past its
/// identity step, may try numbers: each costs). Audited under `recovery`.
pub async fn send_verification(
    gateway: &Gateway,
    journey: &Journey,
    person: &Person,
    to: &Mobile,
    text: String,
) -> Result<(), NotTexted> {
    if let Err(limit) = ask_sms(gateway, journey) {
        let refused = match limit {
            crate::sms::Limit::Address => NotTexted::AddressLimit,
            crate::sms::Limit::Ceiling => NotTexted::Ceiling,
        };
        gateway.event(journey, AuditStep::Recovery, refused.outcome(), person);
        return Err(refused);
    }
    if let Err(refused) = claim(gateway, person, to, &text, Vec::new()).await {
        gateway.event(journey, AuditStep::Recovery, refused.outcome(), person);
        return Err(refused);
    }
    gateway.event(
        journey,
        AuditStep::Recovery,
        Outcome::RecoveryCodeSent,
        person,
    );
    let (gateway, journey, person, to) =
        (gateway.clone(), journey.clone(), person.clone(), to.clone());
    tokio::spawn(async move {
        let text = SecretString::from(text);
        deliver(
            &gateway,
            &journey,
            Who::Person(&person),
            &to,
            text,
            Outcome::SmsSent,
        )
        .await;
    });
    Ok(())
}

/// A short notice by SMS to the number a person's mobile was until now
/// (changed or removed), off the request path; no code, no link (the
/// mails carry the « Ce n'était pas moi » link). Not counted under the
/// person's limits (the change itself was), but under the site's ceiling.
pub fn notify_old_mobile(gateway: &Gateway, journey: &Journey, person: &Person, old: &Mobile) {
    let lang = journey.visitor.lang;
    let settings = gateway.settings();
    let when = settings
        .site
        .local_time(&gateway.now())
        .format(lang.date_time_format())
        .to_string();
    let text = t_with(
        lang,
        "sms-text-mobile-changed",
        &[
            ("site", &settings.site.name),
            ("when", &when),
            ("contact", &settings.site.help_contact),
        ],
    );
    if !gateway.texter().fits(&text)
        || gateway
            .sms_limits()
            .take(gateway.now(), settings.flows.sms_per_minute)
            .is_none()
    {
        gateway.event(journey, AuditStep::Notice, Outcome::SmsFailed, person);
        return;
    }
    let (gateway, journey, person, old) = (
        gateway.clone(),
        journey.clone(),
        person.clone(),
        old.clone(),
    );
    tokio::spawn(async move {
        match gateway.texter().send(&old, &SecretString::from(text)).await {
            Ok(()) => gateway.event(&journey, AuditStep::Notice, Outcome::NoticeTexted, &person),
            Err(failure) => {
                tracing::warn!(reason = failure.label, "a notice SMS was not handed over");
                gateway.event(&journey, AuditStep::Notice, Outcome::SmsFailed, &person);
            }
        }
    });
}
