//! Réinitialiser par code (EFP Connect): address + captcha, the 6-digit
//! code received by mail (or the mail's link), the new password
//! ([`crate::flow::FlowName::Code`]'s steps).
//!
//! Nothing on the way to the code step depends on whether the address
//! matched: the first POST records its request on disk (the same record
//! for everyone, [`mailing::promise`]) and answers; the lookup, the code
//! and the mail happen off the request path; the
//! address typed travels with the web ([`CodeClaim`]) so the flow cookie
//! has the same shape for everyone; a code for an address that matched
//! nobody fails exactly like a wrong one, after the same floor.

use super::{Asks, PasswordOutcome};
use crate::audit::{AuditStep, Outcome, Who};
use crate::gateway::{Gateway, Journey, LookUp, Proof, StepError};
use crate::reset_code::ResetCode;
use crate::settings::Channel;
use crate::sms::Limit;
use crate::steps::code::{self, CodeCheck};
use crate::steps::new_password::NewPassword;
use crate::steps::{mailing, texting};
use serde::{Deserialize, Serialize};
use std::time::Instant;

/// An e-mail flow's first POST, as the web read it.
pub enum Request<'a> {
    /// The address or identifier typed (trimmed, bounded), the captcha
    /// passed or not shown.
    Accepted(&'a str),
    /// A field to fix or a captcha failed: nothing requested.
    Refused,
}

/// What the person typed at the first step, and when this browser last
/// asked for a code, so "Renvoyer le code" can say how long to wait from
/// what the person did, never from what the entry holds. Kept by the web.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CodeClaim {
    pub typed: String,
    /// Unix seconds.
    pub asked_at: i64,
    /// The way the visitor chose for the code (`flows.code_sms`): by mail,
    /// or by SMS to the account's mobile.
    #[serde(default)]
    pub channel: Channel,
}

/// The first step's POST: the request is recorded on disk and the code
/// issued off the request path; the claim goes with the flow (`None`:
/// nothing requested).
///
/// Errors: [`StepError::Mail`] when the request could not be recorded
/// (the spool or the queue refused it): nothing was requested, and the
/// page must not say a code was sent.
pub async fn request(
    gateway: &Gateway,
    journey: &Journey,
    request: Request<'_>,
) -> Result<Option<CodeClaim>, StepError> {
    let Request::Accepted(typed) = request else {
        gateway.event(
            journey,
            AuditStep::Address,
            Outcome::FormRefused,
            Who::Nobody,
        );
        return Ok(None);
    };
    gateway.event(journey, AuditStep::Address, Outcome::Submitted, Who::Nobody);
    issue(gateway, journey, typed).await.map(Some)
}

async fn issue(gateway: &Gateway, journey: &Journey, typed: &str) -> Result<CodeClaim, StepError> {
    issue_by(gateway, journey, typed, Channel::Mail).await
}

/// Starts the off-path work of a code by `channel`. By mail, main's promise
/// on disk first ([`mailing::promise`]), then held and released around the
/// store. By SMS no mail is involved: the work is started, and a gateway
/// stopped before the SMS left sends nothing (the visitor asks again).
async fn issue_by(
    gateway: &Gateway,
    journey: &Journey,
    typed: &str,
    channel: Channel,
) -> Result<CodeClaim, StepError> {
    match channel {
        Channel::Mail => {
            let errand = mailing::Errand::Code {
                typed: typed.to_owned(),
            };
            mailing::promise(gateway, journey, errand).await?;
        }
        Channel::Mobile => {
            tokio::spawn(texting::issue_code(
                gateway.clone(),
                journey.clone(),
                typed.to_owned(),
            ));
        }
    }
    Ok(CodeClaim {
        typed: typed.to_owned(),
        asked_at: gateway.now().timestamp(),
        channel,
    })
}

/// How the first step's POST ended when the visitor could choose the way
/// (`flows.code_sms`).
pub enum RequestOutcome {
    /// A code is on its way (if the address or identifier is anybody's,
    /// and by SMS if that account has a mobile): the claim goes with the
    /// flow.
    Issued(CodeClaim),
    /// Nothing requested (a field to fix, a captcha failed).
    NotRequested,
    /// SMS refused before anything was looked up: this address asked too
    /// often, or the site's ceiling is reached. The same for everyone.
    SmsLimited(Limit),
}

/// The first step's POST with the way the visitor chose: by mail as
/// [`request`]; by SMS (when the site offers it) within this replica's
/// limits, checked before anything is looked up, then off the request
/// path like the mail.
pub async fn request_by(
    gateway: &Gateway,
    journey: &Journey,
    request: Request<'_>,
    channel: Channel,
) -> Result<RequestOutcome, StepError> {
    let channel = if gateway.settings().flows.code_sms && gateway.texting() {
        channel
    } else {
        Channel::Mail
    };
    if channel == Channel::Mail {
        return Ok(match self::request(gateway, journey, request).await? {
            Some(claim) => RequestOutcome::Issued(claim),
            None => RequestOutcome::NotRequested,
        });
    }
    let Request::Accepted(typed) = request else {
        gateway.event(
            journey,
            AuditStep::Address,
            Outcome::FormRefused,
            Who::Nobody,
        );
        return Ok(RequestOutcome::NotRequested);
    };
    if let Err(limit) = crate::steps::texting::ask_sms(gateway, journey) {
        gateway.event(journey, AuditStep::Address, limit.outcome(), Who::Nobody);
        return Ok(RequestOutcome::SmsLimited(limit));
    }
    gateway.event(journey, AuditStep::Address, Outcome::Submitted, Who::Nobody);
    Ok(RequestOutcome::Issued(
        issue_by(gateway, journey, typed, Channel::Mobile).await?,
    ))
}

/// The code step's input, as the web read it.
pub enum CodeInput {
    /// A well-formed code (the captcha, when one is shown, passed).
    Code(ResetCode),
    /// The captcha shown with the code was failed: nothing is checked or
    /// spent.
    CaptchaFailed,
    /// Not six digits (or empty): nothing is checked or spent.
    Malformed,
}

/// How the code step ended.
pub enum VerifyOutcome {
    /// On to the new password.
    Proved(Proof),
    /// Wrong, expired or spent code, unknown address or locked account:
    /// one outcome for all.
    Refused,
    /// Nothing was checked (the input was refused before).
    NotChecked,
}

/// The code step's POST, for the claim this browser made (`None`: opened
/// from the mail's link, no address typed here).
pub async fn verify(
    gateway: &Gateway,
    journey: &Journey,
    claim: Option<&CodeClaim>,
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
                Who::Nobody,
            );
            return Ok(VerifyOutcome::NotChecked);
        }
        CodeInput::Malformed => return Ok(VerifyOutcome::NotChecked),
    };
    let person = match claim {
        Some(claim) => gateway.find_named(&claim.typed, LookUp::MailFirst).await?,
        None => None,
    };
    checked(code::check(gateway, journey, AuditStep::Code, person, &code, started).await?)
}

fn checked(check: CodeCheck) -> Result<VerifyOutcome, StepError> {
    Ok(match check {
        CodeCheck::Proved(person) => VerifyOutcome::Proved(Proof::of(&person)),
        CodeCheck::Refused => VerifyOutcome::Refused,
    })
}

/// How "Renvoyer le code" ended.
pub enum ResendOutcome {
    /// A new code is on its way (if the address is anybody's): the new
    /// claim goes with the flow.
    Resent(CodeClaim),
    /// Asked again within `flows.code_resend_seconds`: wait this many
    /// seconds.
    TooSoon { wait: i64 },
    /// Opened from the mail's link: no address was typed here; start again.
    Restart,
    /// By SMS: this address asked too often, or the site's ceiling is
    /// reached.
    SmsLimited(Limit),
}

/// "Renvoyer le code": the same off-path work as the first step; the
/// entry's cooldown decides whether a new code (which voids the previous
/// one) actually leaves. The page says the same either way.
///
/// Errors: as [`request`]'s.
pub async fn resend(
    gateway: &Gateway,
    journey: &Journey,
    claim: Option<&CodeClaim>,
) -> Result<ResendOutcome, StepError> {
    let Some(claim) = claim else {
        return Ok(ResendOutcome::Restart);
    };
    let flows = &gateway.settings().flows;
    let cooldown = match claim.channel {
        Channel::Mail => flows.code_resend_seconds,
        Channel::Mobile => flows.sms_resend_seconds,
    };
    let cooldown = i64::try_from(cooldown).unwrap_or(i64::MAX);
    let wait = claim
        .asked_at
        .saturating_add(cooldown)
        .saturating_sub(gateway.now().timestamp());
    if wait > 0 {
        gateway.event(journey, AuditStep::Resend, Outcome::TooSoon, Who::Nobody);
        return Ok(ResendOutcome::TooSoon { wait });
    }
    if claim.channel == Channel::Mobile {
        if let Err(limit) = crate::steps::texting::ask_sms(gateway, journey) {
            gateway.event(journey, AuditStep::Resend, limit.outcome(), Who::Nobody);
            return Ok(ResendOutcome::SmsLimited(limit));
        }
    }
    gateway.event(journey, AuditStep::Resend, Outcome::Requested, Who::Nobody);
    Ok(ResendOutcome::Resent(
        issue_by(gateway, journey, &claim.typed, claim.channel).await?,
    ))
}

/// Whether the mail's link is still valid (its page, a GET: mail scanners
/// open links, so nothing is spent or cleared).
pub fn link_is_valid(gateway: &Gateway, token: &str) -> bool {
    gateway.code_key().open_link(token, gateway.now()).is_some()
}

/// How the link's button ended.
pub enum LinkOutcome {
    Proved(Proof),
    /// Expired, altered, wrong or spent: start again.
    Invalid,
}

/// The link's POST: the code it carries is checked like a typed one.
pub async fn verify_link(
    gateway: &Gateway,
    journey: &Journey,
    token: &str,
) -> Result<LinkOutcome, StepError> {
    let started = Instant::now();
    let Some(link) = gateway.code_key().open_link(token, gateway.now()) else {
        gateway.event(journey, AuditStep::Link, Outcome::LinkExpired, Who::Nobody);
        return Ok(LinkOutcome::Invalid);
    };
    let person = gateway.directory().read(&link.dn).await?;
    // A link the gateway sealed is no guess: one whose code the entry no
    // longer holds (the first mail's link after a « Renvoyer », a link
    // already used) is refused without counting a failure against its
    // owner, who most likely clicked the older mail.
    if let Some(found) = &person {
        let current = found.state.code_hash.as_deref();
        if !current.is_some_and(|stored| gateway.code_key().matches(&found.dn, &link.code, stored))
        {
            gateway.event(journey, AuditStep::Link, Outcome::LinkSuperseded, found);
            return Ok(LinkOutcome::Invalid);
        }
    }
    Ok(
        match code::check(
            gateway,
            journey,
            AuditStep::Link,
            person,
            &link.code,
            started,
        )
        .await?
        {
            CodeCheck::Proved(person) => LinkOutcome::Proved(Proof::of(&person)),
            CodeCheck::Refused => LinkOutcome::Invalid,
        },
    )
}

/// The new-password step's POST.
pub async fn submit_password(
    gateway: &Gateway,
    journey: &Journey,
    form: &NewPassword<'_>,
) -> Result<PasswordOutcome, StepError> {
    super::password::submit(gateway, journey, form, Asks::Nothing).await
}
