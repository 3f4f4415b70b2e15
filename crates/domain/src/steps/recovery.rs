//! A person's own recovery data (issue 21): the recovery address and the
//! mobile they manage in « Gérer mon compte » or give at activation, and
//! the notice every change of a recovery factor (question, address,
//! mobile) sends to channels that were already the owner's.
//!
//! A new value is written only after a code sent **to it** is typed back:
//! the code's keyed hash waits with the web ([`PendingValue`], in the
//! flow's encrypted cookie), bound to the entry, the value and the flow,
//! and each code typed is counted on the entry towards the lockout before
//! it is compared, so copies of the cookie cannot guess in parallel. A
//! confirmed code is single use: the write that it allows records its hash
//! on the entry (`passerelleRecoveryCodeUsed`, until it expires) in the
//! same modify, and a code so recorded is refused ever after, whatever copy
//! of the cookie still holds it. The write itself ([`write`]) checks, on
//! the entry as it is at that moment,
//! that the session still holds (the password unchanged since the
//! sign-in), that the account may use self-service (IT's lock, a freeze,
//! an end date) and is not locked, and that the proof of the current
//! password is recent enough (`flows.recovery_proof_seconds`). Then the
//! old value and the institutional address are told ([`notify`]), with
//! the « Ce n'était pas moi » link of that change.

use super::identity::{wait_for_floor, FailureKind};
use crate::audit::{AuditStep, Outcome, Who};
use crate::gateway::{seconds, Gateway, Journey, Proof, StepError};
use crate::lockout::{lock_state, Attempt, LockState};
use crate::mail::{MailKind, OutgoingMail, RecoveryFactor};
use crate::person::Person;
use crate::ports::Change;
use crate::reset_code::ResetCode;
use crate::settings::Channel;
use crate::sms::{mask_mail, Mobile, NumberRefused};
use crate::standing::standing;
use chrono::{DateTime, Utc};
use passerelle_text::i18n::t_with;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};

/// A new recovery value, waiting for the code sent to it to be typed
/// back. Kept by the web in the flow's encrypted cookie.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingValue {
    pub channel: Channel,
    /// The address as checked, or the mobile in E.164.
    pub value: String,
    /// As pages show it (`j•••@g•••.fr`, `•• •• •• •• 78`).
    pub masked: String,
    /// Keyed hash of the code sent to it, bound to the entry, the channel,
    /// the value and the flow.
    pub code_hash: String,
    /// When the code expires (Unix seconds).
    pub expires: i64,
    /// When the current password was proved for this change (Unix
    /// seconds); `None` at activation, where the identity step proves it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proved_at: Option<i64>,
}

/// A recovery value whose code came back, to be written (activation: with
/// the password).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifiedValue {
    pub channel: Channel,
    pub value: String,
    pub masked: String,
}

impl VerifiedValue {
    /// The directory change that writes it.
    pub fn change(&self) -> Change {
        set(self.channel, Some(self.value.clone()))
    }
}

/// The change that sets (or, with `None`, removes) the person's own value
/// of `channel`.
pub fn set(channel: Channel, value: Option<String>) -> Change {
    match channel {
        Channel::Mail => Change::SetRecoveryMail(value),
        Channel::Mobile => Change::SetMobile(value),
    }
}

/// Why what was typed cannot become a recovery value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unusable {
    /// Nothing typed.
    Empty,
    /// No address a mail could be sent to.
    NotAnAddress,
    /// The institutional address (the one behind the forgotten password).
    Institutional,
    /// No mobile a code may be sent to (why, as the pages translate it).
    Number(NumberRefused),
    /// The value the account has already.
    Unchanged,
}

impl Unusable {
    /// The message id a page shows.
    pub fn message_id(self) -> String {
        match self {
            Unusable::Empty => "recovery-value-missing".to_owned(),
            Unusable::NotAnAddress => "recovery-mail-invalid".to_owned(),
            Unusable::Institutional => "recovery-mail-institutional".to_owned(),
            Unusable::Number(NumberRefused(code)) => format!("sms-number-{code}"),
            Unusable::Unchanged => "recovery-value-unchanged".to_owned(),
        }
    }
}

/// The mobile `raw` stands for, when it is one (`raw` as stored or typed).
fn read_mobile(gateway: &Gateway, raw: &str) -> Result<Mobile, NumberRefused> {
    gateway.texter().mobile(raw)
}

/// What `typed` is worth as `person`'s new value of `channel`: the value
/// to store and its mask, or why not.
pub fn read(
    gateway: &Gateway,
    person: &Person,
    channel: Channel,
    typed: &str,
) -> Result<(String, String), Unusable> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Err(Unusable::Empty);
    }
    match channel {
        Channel::Mail => {
            let address = crate::identity::MailAddress::parse(typed)
                .and_then(|a| passerelle_text::safe_text::mail_address(a.as_str()))
                .filter(|a| a.contains('@'))
                .ok_or(Unusable::NotAnAddress)?;
            let same = |other: &Option<String>| {
                other
                    .as_deref()
                    .is_some_and(|o| o.eq_ignore_ascii_case(&address))
            };
            if same(&person.institutional_mail) {
                return Err(Unusable::Institutional);
            }
            if same(&person.own_recovery_mail) {
                return Err(Unusable::Unchanged);
            }
            let masked = mask_mail(&address);
            Ok((address, masked))
        }
        Channel::Mobile => {
            let mobile = read_mobile(gateway, typed).map_err(Unusable::Number)?;
            let now = person
                .own_mobile
                .as_deref()
                .and_then(|raw| read_mobile(gateway, raw).ok());
            if now.is_some_and(|now| now.e164() == mobile.e164()) {
                return Err(Unusable::Unchanged);
            }
            Ok((mobile.e164().to_owned(), mobile.masked().to_owned()))
        }
    }
}

/// What the code of `pending` is bound to: the entry, the channel, the
/// value and the flow (a DN holds no line break, so a code hash of the
/// reset flows can never be one of these).
fn binding(dn: &str, channel: Channel, value: &str, flow_id: &str) -> String {
    format!("{dn}\nrecovery\n{}\n{value}\n{flow_id}", channel.as_str())
}

/// Why no code went to a new value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotSent {
    /// The person's or the site's SMS limits ([`super::texting`]).
    Texting(super::texting::NotTexted),
    /// A mail went to this person less than `flows.code_resend_seconds`
    /// ago.
    MailCooldown,
    /// The account may not use self-service now.
    Stopped,
    /// The mail or the text could not be composed.
    Failed,
}

/// Sends a code to the new value `value` (`masked` as pages show it) of
/// `person`'s `channel`, under the limits of every mail or SMS a visitor
/// can make the gateway send; `proved_at` is when the current password was
/// proved for it (account). The code waits with the web.
pub async fn send_code(
    gateway: &Gateway,
    journey: &Journey,
    person: &Person,
    channel: Channel,
    (value, masked): (String, String),
    proved_at: Option<DateTime<Utc>>,
) -> Result<PendingValue, NotSent> {
    let flows = &gateway.settings().flows;
    let now = gateway.now();
    let validity = match channel {
        Channel::Mail => flows.code_validity_seconds,
        Channel::Mobile => flows.sms_code_validity_seconds,
    };
    let validity = if proved_at.is_some() {
        validity.min(flows.recovery_proof_seconds)
    } else {
        validity
    };
    let code = ResetCode::generate();
    let bound = binding(&person.dn, channel, &value, &journey.id);
    let pending = PendingValue {
        channel,
        code_hash: gateway.code_key().hash(&bound, &code),
        expires: (now + seconds(validity)).timestamp(),
        proved_at: proved_at.map(|at| at.timestamp()),
        value,
        masked,
    };
    match channel {
        Channel::Mail => {
            let mail = OutgoingMail::new(
                pending.value.clone(),
                journey.visitor.lang,
                MailKind::RecoveryCode {
                    code: code.secret().clone(),
                    valid_for: Duration::from_secs(validity),
                },
            )
            .with_name(person.display_name.clone());
            let Ok(prepared) = gateway.mailer().prepare(mail) else {
                gateway.event(journey, AuditStep::Recovery, Outcome::MailFailed, person);
                return Err(NotSent::Failed);
            };
            match super::mailing::claim(gateway, person, now).await {
                Ok(()) => {}
                Err(Outcome::Cooldown) => {
                    gateway.event(journey, AuditStep::Recovery, Outcome::Cooldown, person);
                    return Err(NotSent::MailCooldown);
                }
                Err(outcome) => {
                    gateway.event(journey, AuditStep::Recovery, outcome, person);
                    return Err(NotSent::Stopped);
                }
            }
            // A plain awaited send into the spool, not a promise held and
            // released: the code waits with the web (nothing is stored on
            // the entry), and the mail is on disk when this returns.
            if super::mailing::send_watched(gateway, journey, Who::Person(person), prepared)
                .await
                .is_err()
            {
                gateway.event(journey, AuditStep::Recovery, Outcome::MailFailed, person);
                return Err(NotSent::Failed);
            }
            gateway.event(
                journey,
                AuditStep::Recovery,
                Outcome::RecoveryCodeSent,
                person,
            );
        }
        Channel::Mobile => {
            let to = read_mobile(gateway, &pending.value).map_err(|_| NotSent::Failed)?;
            let minutes = validity.div_ceil(60).max(1).to_string();
            let text = t_with(
                journey.visitor.lang,
                "sms-text-verify",
                &[
                    ("site", &gateway.settings().site.name),
                    ("code", code.secret().expose_secret()),
                    ("minutes", &minutes),
                ],
            );
            super::texting::send_verification(gateway, journey, person, &to, text)
                .await
                .map_err(NotSent::Texting)?;
        }
    }
    Ok(pending)
}

/// How a code typed back for a new value ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeBack {
    Right,
    Wrong,
    /// Past its expiry: a new one must be asked for.
    Expired,
    /// Already confirmed (its value written): a new one must be asked for.
    Used,
    /// Self-service is locked (the attempts of the window are spent), or
    /// the account may not use it now: nothing compared.
    Locked,
}

/// Checks `code` against `pending` for `person` (as read in this
/// request): counted on the entry before it is compared, forgiven when
/// right. Refusals are answered no sooner than the code floor.
pub async fn check_code(
    gateway: &Gateway,
    journey: &Journey,
    person: &Person,
    pending: &PendingValue,
    code: &ResetCode,
) -> Result<CodeBack, StepError> {
    let started = Instant::now();
    let (back, outcome) = check_now(gateway, journey, person, pending, code).await?;
    gateway.event(journey, AuditStep::Recovery, outcome, person);
    if back != CodeBack::Right {
        wait_for_floor(gateway, FailureKind::Code, started).await;
    }
    Ok(back)
}

async fn check_now(
    gateway: &Gateway,
    journey: &Journey,
    person: &Person,
    pending: &PendingValue,
    code: &ResetCode,
) -> Result<(CodeBack, Outcome), StepError> {
    if let Err(stopped) = super::standing_now(gateway, person).await? {
        return Ok((CodeBack::Locked, super::stopped_outcome(stopped)));
    }
    if is_used(person, pending) {
        return Ok((CodeBack::Used, Outcome::RecoveryCodeUsed));
    }
    let attempt = super::count_attempt(gateway, person).await?;
    let locks_until = match attempt {
        Attempt::Locked { .. } => return Ok((CodeBack::Locked, Outcome::Locked)),
        Attempt::Counted { locks_until, .. } => locks_until,
    };
    let bound = binding(&person.dn, pending.channel, &pending.value, &journey.id);
    if gateway.code_key().matches(&bound, code, &pending.code_hash) {
        // The owner of the new value, even late: not a guess.
        super::forgive(gateway, person, &attempt).await?;
        if pending.expires <= gateway.now().timestamp() {
            return Ok((CodeBack::Expired, Outcome::ExpiredCode));
        }
        return Ok((CodeBack::Right, Outcome::RecoveryVerified));
    }
    Ok(if locks_until.is_some() {
        (CodeBack::Wrong, Outcome::WrongCodeNowLocked)
    } else {
        (CodeBack::Wrong, Outcome::WrongCode)
    })
}

/// What `passerelleRecoveryCodeUsed` keeps of `pending`'s code once
/// confirmed: its expiry, then its keyed hash.
fn used_value(pending: &PendingValue) -> String {
    format!("{} {}", pending.expires, pending.code_hash)
}

/// Whether `pending`'s code was confirmed already, on `person` as read.
fn is_used(person: &Person, pending: &PendingValue) -> bool {
    person
        .state
        .recovery_codes_used
        .iter()
        .any(|used| used.split_once(' ').map(|(_, hash)| hash) == Some(&pending.code_hash))
}

/// The confirmed codes of `person` whose code expired by `now`: no
/// cookie can still bring them back.
fn expired_codes(person: &Person, now: DateTime<Utc>) -> Vec<String> {
    person
        .state
        .recovery_codes_used
        .iter()
        .filter(|used| {
            used.split_once(' ')
                .and_then(|(expires, _)| expires.parse::<i64>().ok())
                .is_none_or(|expires| expires <= now.timestamp())
        })
        .cloned()
        .collect()
}

/// How writing a recovery value ended.
#[derive(Debug)]
pub enum Written {
    /// Written; `before` is the entry as read just before.
    Done { before: Box<Person> },
    /// The session no longer holds (the password changed since the
    /// sign-in): nothing written.
    Ended,
    /// The account may not use self-service now, or is locked.
    Stopped,
    /// The proof of the current password is older than
    /// `flows.recovery_proof_seconds`.
    TooLate,
    /// The code that allowed it was confirmed already (`consumes`): its
    /// value was written then, and is not written again.
    Used,
}

/// Writes `change` (a value set or removed) on `person`'s entry for the
/// signed-in session `proof`, on the entry as it is at the moment of
/// writing: only while the password is the one the sign-in proved, the
/// account may use self-service and is not locked, and the current
/// password was proved no longer than `flows.recovery_proof_seconds` ago
/// (`proved_at`). A value a code allowed (`consumes`) is written only
/// while that code was never confirmed, and the same modify records it
/// confirmed, single use whatever copy of the cookie still holds it.
pub async fn write(
    gateway: &Gateway,
    person: &Person,
    proof: &Proof,
    change: Change,
    proved_at: Option<DateTime<Utc>>,
    consumes: Option<&PendingValue>,
) -> Result<Written, StepError> {
    let now = gateway.now();
    let window = seconds(gateway.settings().flows.recovery_proof_seconds);
    if proved_at.is_some_and(|at| at + window < now) {
        return Ok(Written::TooLate);
    }
    let policy = gateway.directory().policy(person).await?;
    let lockout = &gateway.settings().lockout;
    let written = gateway
        .update(person, true, |fresh| {
            if fresh.password_marker() != proof.marker {
                return Some((Vec::new(), Err(Written::Ended)));
            }
            let open = standing(fresh, &policy, now).is_ok()
                && matches!(
                    lock_state(&fresh.state, lockout, now),
                    LockState::Open { .. }
                );
            if !open {
                return Some((Vec::new(), Err(Written::Stopped)));
            }
            let mut changes = vec![change.clone()];
            if let Some(pending) = consumes {
                if is_used(fresh, pending) {
                    return Some((Vec::new(), Err(Written::Used)));
                }
                let expired = expired_codes(fresh, now);
                if !expired.is_empty() {
                    changes.push(Change::ForgetRecoveryCodes(expired));
                }
                changes.push(Change::RecoveryCodeUsed(used_value(pending)));
            }
            Some((changes, Ok(())))
        })
        .await?
        .unwrap_or(Err(Written::Stopped));
    Ok(match written {
        Ok(()) => Written::Done {
            before: Box::new(person.clone()),
        },
        Err(refused) => refused,
    })
}

/// The audit outcome of a value written or removed.
pub fn written_outcome(channel: Channel, removed: bool) -> Outcome {
    match (channel, removed) {
        (Channel::Mail, false) => Outcome::RecoveryMailChanged,
        (Channel::Mail, true) => Outcome::RecoveryMailRemoved,
        (Channel::Mobile, false) => Outcome::MobileChanged,
        (Channel::Mobile, true) => Outcome::MobileRemoved,
    }
}

/// The recovery factor a channel is.
pub fn factor(channel: Channel) -> RecoveryFactor {
    match channel {
        Channel::Mail => RecoveryFactor::Mail,
        Channel::Mobile => RecoveryFactor::Mobile,
    }
}

/// Tells the owner of `before` (the entry as it was before the change)
/// that `factor` changed (`removed`, or set to `new_value`, masked):
/// a mail with the « Ce n'était pas moi » link of that change to the old
/// recovery address (a changed address) or the current one (a question,
/// a mobile) and to the institutional address; and for a mobile, a short
/// SMS to the old number. Audited under `notice`. Each mail is accepted
/// into the spool, awaited (a plain send: on disk when this returns).
pub async fn notify(
    gateway: &Gateway,
    journey: &Journey,
    before: &Person,
    factor: RecoveryFactor,
    removed: bool,
    new_value: Option<String>,
) {
    let now = gateway.now();
    let mut recipients: Vec<String> = Vec::new();
    let mut add = |address: Option<&String>| {
        if let Some(address) = address {
            if !recipients.iter().any(|r| r.eq_ignore_ascii_case(address)) {
                recipients.push(address.clone());
            }
        }
    };
    match factor {
        RecoveryFactor::Mail => add(before
            .own_recovery_mail
            .as_ref()
            .or(before.recovery_mails.first())),
        RecoveryFactor::Question | RecoveryFactor::Mobile => add(before.recovery_mails.first()),
    }
    add(before.institutional_mail.as_ref());
    let account = Who::Person(before);
    if factor == RecoveryFactor::Mobile {
        if let Some(old) = before
            .own_mobile
            .as_deref()
            .and_then(|raw| read_mobile(gateway, raw).ok())
        {
            super::texting::notify_old_mobile(gateway, journey, before, &old);
        }
    }
    if recipients.is_empty() {
        gateway.event(
            journey,
            AuditStep::Notice,
            Outcome::NoNoticeChannel,
            account,
        );
        return;
    }
    let link = super::not_me::factor_link_for(gateway, journey, before, factor.as_str(), now);
    let settings = gateway.settings();
    for to in recipients {
        let kind = MailKind::RecoveryChanged {
            login: before.login.clone(),
            factor,
            removed,
            when: now.fixed_offset(),
            from_address: journey.visitor.address,
            new_value: new_value.clone(),
            not_me_url: link.clone(),
            not_me_days: settings.flows.not_me_days,
        };
        super::mailing::send_audited(
            gateway,
            journey,
            account,
            OutgoingMail::new(to, journey.visitor.lang, kind)
                .with_name(before.display_name.clone()),
        )
        .await;
    }
    gateway.event(journey, AuditStep::Notice, Outcome::NoticeMailed, account);
}

/// A code typed for a pending value, as the web read it.
pub fn parse_code(typed: &SecretString) -> Option<ResetCode> {
    ResetCode::parse(typed.expose_secret())
}
