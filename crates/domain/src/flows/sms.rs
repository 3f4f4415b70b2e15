//! Recevoir un code par SMS (issue 21): identifier + birth date, then the
//! way to send the code (the person's mobile and, when they have one too,
//! their recovery address, both masked), the 6-digit code, the new password
//! ([`crate::flow::FlowName::Sms`]'s steps).
//!
//! Until the identity step is passed every page is the same for everyone
//! (the shared identity step: one failure, one floor, attempts counted on
//! the entry); only then does the page show what the account has, masked,
//! to the person who proved it. The code is the e-mailed code's, stored on
//! the entry the same way (single use, expiry, tries), sent within every
//! SMS limit ([`crate::steps::texting`]): this client address's requests
//! an hour and the site's ceiling a minute (told on the page, since they
//! say nothing of the person), the person's cooldown and daily cap (told
//! to the person, who proved who they are).

use super::code::{CodeInput, VerifyOutcome};
use super::{Asks, IdentityInput, PasswordOutcome};
use crate::audit::{AuditStep, Outcome};
use crate::gateway::{Gateway, Journey, Proof, StepError};
use crate::settings::Channel;
use crate::sms::{mask_mail, mobile_of, Limit, MobileOnFile};
use crate::steps::code::{self, CodeCheck};
use crate::steps::identity::{self, Identity};
use crate::steps::new_password::NewPassword;
use crate::steps::texting::{self, NotTexted};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::time::Instant;

/// How the identity step ended.
pub enum IdentityOutcome {
    /// On to the choice of the way.
    Proved(Proof),
    /// The one failure.
    Failed,
}

/// The identity step's POST.
pub async fn identity(
    gateway: &Gateway,
    journey: &Journey,
    input: &IdentityInput,
) -> Result<IdentityOutcome, StepError> {
    match identity::prove(
        gateway,
        journey,
        input.identifier.as_ref(),
        &input.birth_date,
    )
    .await?
    {
        Identity::Proved(person) => {
            gateway.event(journey, AuditStep::Identity, Outcome::Proved, &*person);
            Ok(IdentityOutcome::Proved(Proof::of(&person)))
        }
        Identity::Failed => Ok(IdentityOutcome::Failed),
    }
}

/// What the account offers to send a code to, masked, for the person who
/// proved it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Channels {
    /// The mobile, masked (`•• •• •• •• 78`).
    pub mobile: Option<String>,
    /// The number on file is no mobile a code may be sent to: why
    /// (`landline`…), for its owner to fix it.
    pub unusable_mobile: Option<&'static str>,
    /// The recovery address, masked (`j•••@g•••.fr`).
    pub mail: Option<String>,
}

impl Channels {
    /// Nothing to send a code to.
    pub fn is_empty(&self) -> bool {
        self.mobile.is_none() && self.mail.is_none()
    }
}

/// The channel page (a GET), after the identity step.
pub async fn channels(gateway: &Gateway, journey: &Journey) -> Result<Channels, StepError> {
    let person = gateway.proved_person(journey).await?;
    let (mobile, unusable_mobile) = match mobile_of(gateway.texter(), &person) {
        MobileOnFile::Mobile(mobile) => (Some(mobile.masked().to_owned()), None),
        MobileOnFile::Unusable(refused) => (None, Some(refused.0)),
        MobileOnFile::None => (None, None),
    };
    Ok(Channels {
        mobile,
        unusable_mobile,
        mail: person.recovery_mails.first().map(|m| mask_mail(m)),
    })
}

/// What this browser asked for and when, kept by the web: the way chosen
/// (and its mask, for the code page), and the time, so that "Renvoyer le
/// code" says how long to wait.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SentClaim {
    pub channel: Channel,
    pub masked: String,
    /// Unix seconds.
    pub asked_at: i64,
}

/// How the channel step ended.
pub enum SendOutcome {
    /// The code is on its way.
    Sent(SentClaim),
    /// The account has no such way (or nothing at all).
    NoChannel,
    /// This client address asked too often, or the site's ceiling is
    /// reached: try later (or by mail).
    Limited(Limit),
    /// A code went to this person less than the cooldown ago.
    TooSoon { wait: i64 },
    /// The person's daily cap of SMS is reached until then.
    DailyCap { until: DateTime<Utc> },
    /// The account may not use self-service now, or is locked.
    Stopped,
    /// The code could not be sent (a text too long for
    /// `sms.max_segments`, a mail that cannot be composed, the directory).
    Failed,
}

/// The channel step's POST: a new code, by `channel`.
pub async fn send(
    gateway: &Gateway,
    journey: &Journey,
    channel: Channel,
) -> Result<SendOutcome, StepError> {
    let person = gateway.proved_person(journey).await?;
    let now = gateway.now();
    let event = |outcome| gateway.event(journey, AuditStep::Channel, outcome, &person);
    let sent = |masked: String| {
        SendOutcome::Sent(SentClaim {
            channel,
            masked,
            asked_at: now.timestamp(),
        })
    };
    match channel {
        Channel::Mobile => {
            let mobile = match mobile_of(gateway.texter(), &person) {
                MobileOnFile::Mobile(mobile) => mobile,
                MobileOnFile::Unusable(_) => {
                    event(Outcome::UnusableMobile);
                    return Ok(SendOutcome::NoChannel);
                }
                MobileOnFile::None => {
                    event(Outcome::NoMobile);
                    return Ok(SendOutcome::NoChannel);
                }
            };
            if let Err(limit) = texting::ask_sms(gateway, journey) {
                event(limit.outcome());
                return Ok(SendOutcome::Limited(limit));
            }
            Ok(
                match texting::send_code(gateway, journey, &person, &mobile).await {
                    Ok(()) => sent(mobile.masked().to_owned()),
                    Err(NotTexted::TooSoon { next_at }) => SendOutcome::TooSoon {
                        wait: (next_at - now).num_seconds().max(1),
                    },
                    Err(NotTexted::DailyCap { next_at } | NotTexted::NumberCap { next_at }) => {
                        SendOutcome::DailyCap { until: next_at }
                    }
                    Err(NotTexted::Ceiling) => SendOutcome::Limited(Limit::Ceiling),
                    Err(NotTexted::AddressLimit) => SendOutcome::Limited(Limit::Address),
                    Err(NotTexted::Stopped(_) | NotTexted::Locked) => SendOutcome::Stopped,
                    Err(NotTexted::Failed) => SendOutcome::Failed,
                },
            )
        }
        Channel::Mail => {
            let Some(to) = person.recovery_mails.first().cloned() else {
                event(Outcome::NoRecoveryAddress);
                return Ok(SendOutcome::NoChannel);
            };
            if let crate::lockout::LockState::Locked { .. } = gateway.lock_state(&person) {
                event(Outcome::Locked);
                return Ok(SendOutcome::Stopped);
            }
            let masked = mask_mail(&to);
            let outcome = crate::steps::mailing::mail_code(gateway, journey, &person, to).await;
            gateway.event(journey, AuditStep::SendCode, outcome, &person);
            Ok(match outcome {
                Outcome::CodeMailed => sent(masked),
                Outcome::Cooldown => SendOutcome::TooSoon {
                    wait: i64::try_from(gateway.settings().flows.code_resend_seconds)
                        .unwrap_or(i64::MAX),
                },
                Outcome::LockedByIt
                | Outcome::SelfServiceFrozen
                | Outcome::AccountClosed
                | Outcome::AccountNotOpenYet => SendOutcome::Stopped,
                _ => SendOutcome::Failed,
            })
        }
    }
}

/// The code step's POST.
pub async fn verify(
    gateway: &Gateway,
    journey: &Journey,
    input: CodeInput,
) -> Result<VerifyOutcome, StepError> {
    let started = Instant::now();
    let code = match input {
        CodeInput::Code(code) => code,
        CodeInput::CaptchaFailed => {
            gateway.event(
                journey,
                AuditStep::Code,
                Outcome::CaptchaFailed,
                crate::audit::Who::Nobody,
            );
            return Ok(VerifyOutcome::NotChecked);
        }
        CodeInput::Malformed => return Ok(VerifyOutcome::NotChecked),
    };
    let person = gateway.proved_person(journey).await?;
    Ok(
        match code::check(
            gateway,
            journey,
            AuditStep::Code,
            Some(person),
            &code,
            started,
        )
        .await?
        {
            CodeCheck::Proved(person) => VerifyOutcome::Proved(Proof::of(&person)),
            CodeCheck::Refused => VerifyOutcome::Refused,
        },
    )
}

/// "Renvoyer le code": a new code by the same way, once the wait since
/// this browser's last request is over (the entry's limits decide too).
pub async fn resend(
    gateway: &Gateway,
    journey: &Journey,
    claim: &SentClaim,
) -> Result<SendOutcome, StepError> {
    let flows = &gateway.settings().flows;
    let cooldown = match claim.channel {
        Channel::Mobile => flows.sms_resend_seconds,
        Channel::Mail => flows.code_resend_seconds,
    };
    let wait = claim
        .asked_at
        .saturating_add(i64::try_from(cooldown).unwrap_or(i64::MAX))
        .saturating_sub(gateway.now().timestamp());
    if wait > 0 {
        gateway.event(
            journey,
            AuditStep::Resend,
            Outcome::TooSoon,
            crate::audit::Who::Nobody,
        );
        return Ok(SendOutcome::TooSoon { wait });
    }
    gateway.event(
        journey,
        AuditStep::Resend,
        Outcome::Requested,
        crate::audit::Who::Nobody,
    );
    send(gateway, journey, claim.channel).await
}

/// The new-password step's POST.
pub async fn submit_password(
    gateway: &Gateway,
    journey: &Journey,
    form: &NewPassword<'_>,
) -> Result<PasswordOutcome, StepError> {
    super::password::submit(gateway, journey, form, Asks::Nothing).await
}
