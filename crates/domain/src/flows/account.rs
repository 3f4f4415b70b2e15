//! Gérer mon compte (UPHF): sign in, then change the password, the
//! secret question, or one's own recovery address and mobile
//! ([`crate::flow::FlowName::Account`]'s steps). A recovery factor is
//! changed only with the current password typed again, and its owner is
//! told through the channels that were already theirs (issue 21). The
//! session lives with the web (signed in = the sign-in step passed; the
//! inactivity timeout applies) and never holds the password. Every page
//! reads the entry again and ends the session when the password changed
//! since the sign-in (changed elsewhere, or an old cookie replayed) or the
//! account may no longer use self-service (IT locked it, its owner froze
//! it, it closed): a session opened before such a lock cannot write
//! anything after it.

use super::{Asks, PasswordOutcome};
use crate::audit::{AuditStep, Outcome, Who};
use crate::gateway::{Gateway, Journey, Proof, StepError};
use crate::mail::RecoveryFactor;
use crate::person::Person;
use crate::ports::{BindProof, Change};
use crate::reset_code::ResetCode;
use crate::settings::Channel;
use crate::sms::mask_mail;
use crate::standing::standing;
use crate::steps::new_password::NewPassword;
use crate::steps::recovery::{self, CodeBack, NotSent, PendingValue, Written};
use crate::steps::secret::{self, Problem, SecretChoice};
use crate::steps::sign_in::{self, Reproof, RightAttempt, SignIn};
use passerelle_text::i18n::t;
use secrecy::{ExposeSecret, SecretString};

/// How the sign-in ended.
pub enum SignInOutcome {
    /// Signed in: on to the menu.
    SignedIn(Proof),
    /// Signed in with a temporary password, which opens only the forced
    /// change (`/change`).
    TemporaryOnly,
    /// The one failure.
    Refused,
}

/// The sign-in's POST.
pub async fn sign_in(
    gateway: &Gateway,
    journey: &Journey,
    login: &str,
    password: &SecretString,
) -> Result<SignInOutcome, StepError> {
    match sign_in::prove(gateway, journey, login, password, false, true).await? {
        SignIn::Refused => Ok(SignInOutcome::Refused),
        SignIn::Proved {
            person,
            proof,
            left,
            ..
        } => {
            if proof == BindProof::MustChange {
                left.forgive(gateway, &person).await?;
                gateway.event(
                    journey,
                    AuditStep::Login,
                    Outcome::TemporaryPassword,
                    &*person,
                );
                return Ok(SignInOutcome::TemporaryOnly);
            }
            gateway.event(journey, AuditStep::Login, Outcome::SignedIn, &*person);
            Ok(SignInOutcome::SignedIn(sign_in::proof_of(
                gateway, journey, &person, password, left,
            )))
        }
    }
}

/// The signed-in session as a page finds it.
pub enum Session {
    /// Open: the person's login for the menu.
    Open { login: String },
    /// Over: the password changed since the sign-in, or the account may no
    /// longer use self-service.
    Ended,
}

/// The session of `journey`, checked on the entry as it is now.
pub async fn session(gateway: &Gateway, journey: &Journey) -> Result<Session, StepError> {
    Ok(match signed_in(gateway, journey).await? {
        Some(person) => Session::Open {
            login: person.login,
        },
        None => Session::Ended,
    })
}

/// The signed-in person, if the session still holds.
async fn signed_in(gateway: &Gateway, journey: &Journey) -> Result<Option<Person>, StepError> {
    let proof = journey.proof()?;
    let person = match gateway.proved_person(journey).await {
        Ok(person) => person,
        Err(StepError::Gone) => return Ok(None),
        Err(error) => return Err(error),
    };
    if person.password_marker() != proof.marker {
        return Ok(None);
    }
    if crate::steps::standing_now(gateway, &person).await?.is_err() {
        gateway.event(journey, AuditStep::Login, Outcome::SessionEnded, &person);
        return Ok(None);
    }
    Ok(Some(person))
}

/// Signing out (audited when a session was open): the sign-in's attempt
/// still on the entry is forgiven, by value (nothing if a write or a
/// question change took it already).
///
/// Errors: the directory's, when the attempt could not be forgiven (the
/// session is over all the same).
pub async fn sign_out(gateway: &Gateway, journey: &Journey) -> Result<(), StepError> {
    let Some(proof) = &journey.proof else {
        return Ok(());
    };
    gateway.event(
        journey,
        AuditStep::Logout,
        Outcome::SignedOut,
        Who::Dn(&proof.dn),
    );
    if let Some(at) = proof.attempt {
        gateway.forgive_left_attempt(&proof.dn, at).await?;
    }
    Ok(())
}

/// The new-password POST of a signed-in person. The session holds no
/// password: under a policy with `pwdSafeModify` the page asks for the
/// current one, proved again and carried in the write as the directory
/// demands (`flows::password::asks_current`); otherwise "different from
/// the current one" is left to the directory, whose history check covers
/// the current password too (refused as "in history", explained).
pub async fn submit_password(
    gateway: &Gateway,
    journey: &Journey,
    form: &NewPassword<'_>,
) -> Result<PasswordOutcome, StepError> {
    // The session's own checks are the submission's (a password changed
    // since the sign-in is this form's twin or another request's; an
    // account that may no longer use self-service is stopped), so that a
    // double click and a second tab are told what happened.
    journey.proof()?;
    super::password::submit(gateway, journey, form, Asks::Nothing).await
}

/// How a change of secret question ended.
pub enum QuestionOutcome {
    Changed,
    Again(Vec<Problem>),
    /// The session is over (see [`Session::Ended`]): nothing written.
    Ended,
    /// The current password was wrong too often since the sign-in.
    CurrentWrongTooOften,
}

/// The question POST of a signed-in person: the current password proved
/// again first (a changed recovery factor needs a fresh proof, issue 21),
/// then checked, the answer hashed, then written only while the session
/// still holds on the entry as it is at the moment of writing (the
/// password unchanged since the sign-in, the account allowed
/// self-service); then its owner is told, with the « Ce n'était pas moi »
/// link.
pub async fn choose_secret(
    gateway: &Gateway,
    journey: &Journey,
    choice: &SecretChoice<'_>,
    current: Option<&SecretString>,
) -> Result<QuestionOutcome, StepError> {
    let Some(person) = signed_in(gateway, journey).await? else {
        return Ok(QuestionOutcome::Ended);
    };
    let proof = journey.proof()?;
    let lang = journey.visitor.lang;
    let (proved, mut problems) = match prove_again(gateway, journey, &person, current).await? {
        Proved::Right(attempt) => (Some(attempt), Vec::new()),
        Proved::Problem(problem) => (None, vec![problem]),
        Proved::TooManyWrong => return Ok(QuestionOutcome::CurrentWrongTooOften),
        Proved::Locked => return Ok(QuestionOutcome::Ended),
    };
    let questions = &gateway.settings().flows.questions;
    let chosen = match secret::choose(questions, lang, &person, choice) {
        Ok(chosen) => Some(chosen),
        Err(more) => {
            problems.extend(more);
            None
        }
    };
    let Some((question, answer)) = chosen.filter(|_| problems.is_empty()) else {
        gateway.event(journey, AuditStep::Question, Outcome::FormRefused, &person);
        if let Some(attempt) = proved {
            attempt.forgive(gateway, &person).await?;
        }
        return Ok(QuestionOutcome::Again(problems));
    };
    let answer_hash = gateway.answers().hash(&answer).await?;
    let policy = gateway.directory().policy(&person).await?;
    let now = gateway.now();
    let written = gateway
        .update(&person, true, |fresh| {
            let holds =
                fresh.password_marker() == proof.marker && standing(fresh, &policy, now).is_ok();
            let mut changes = vec![Change::SetSecret {
                question: question.clone(),
                answer_hash: answer_hash.clone(),
            }];
            // The sign-in's attempt goes with this modify.
            if let Some(at) = proof
                .attempt
                .filter(|at| fresh.state.failure_times.contains(at))
            {
                changes.push(Change::RemoveFailures(vec![at]));
            }
            Some(if holds {
                (changes, true)
            } else {
                (Vec::new(), false)
            })
        })
        .await?
        .unwrap_or(false);
    if let Some(attempt) = proved {
        attempt.forgive(gateway, &person).await?;
    }
    if !written {
        gateway.event(journey, AuditStep::Question, Outcome::SessionEnded, &person);
        return Ok(QuestionOutcome::Ended);
    }
    gateway.event(
        journey,
        AuditStep::Question,
        Outcome::QuestionChanged,
        &person,
    );
    recovery::notify(
        gateway,
        journey,
        &person,
        RecoveryFactor::Question,
        false,
        None,
    )
    .await;
    Ok(QuestionOutcome::Changed)
}

/// What proving the current password once more, on a form that changes a
/// recovery factor, came to.
enum Proved {
    /// Right: its counted attempt, to forgive once the form is done with.
    Right(RightAttempt),
    /// Missing or wrong: the field's problem.
    Problem(Problem),
    /// Wrong too often since the sign-in: the session ends.
    TooManyWrong,
    /// The attempts of the window are spent.
    Locked,
}

/// Proves `current` (the field of the form) for the signed-in `person`
/// ([`sign_in::prove_current`]: compared with the sign-in's seal under a
/// counted attempt).
async fn prove_again(
    gateway: &Gateway,
    journey: &Journey,
    person: &Person,
    current: Option<&SecretString>,
) -> Result<Proved, StepError> {
    let lang = journey.visitor.lang;
    let Some(current) = current.filter(|c| !c.expose_secret().is_empty()) else {
        return Ok(Proved::Problem((
            "current",
            t(lang, "change-current-missing", None),
        )));
    };
    let proof = journey.proof()?;
    Ok(
        match sign_in::prove_current(gateway, journey, person, proof, current).await? {
            Reproof::Right(attempt) => Proved::Right(attempt),
            Reproof::Wrong => Proved::Problem(("current", t(lang, "change-current-wrong", None))),
            Reproof::TooManyWrong => Proved::TooManyWrong,
            Reproof::Locked => Proved::Locked,
        },
    )
}

/// What « Gérer mon compte » shows of a person's own recovery data, masked,
/// and what they may change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecoveryData {
    /// The recovery address may be set, changed and removed here.
    pub mail_offered: bool,
    /// The current one, masked.
    pub mail: Option<String>,
    /// The mobile may be set, changed and removed here (SMS are on).
    pub mobile_offered: bool,
    /// The current one, masked (a number that is no mobile: as stored,
    /// masked the same way, with `unusable_mobile`).
    pub mobile: Option<String>,
    /// Why the number on file cannot receive codes (`landline`…).
    pub unusable_mobile: Option<&'static str>,
}

impl RecoveryData {
    /// Whether anything may be changed here.
    pub fn offered(&self) -> bool {
        self.mail_offered || self.mobile_offered
    }

    /// Whether `channel` may be changed here.
    pub fn offers(&self, channel: Channel) -> bool {
        match channel {
            Channel::Mail => self.mail_offered,
            Channel::Mobile => self.mobile_offered,
        }
    }
}

/// What the site lets a person change of their own recovery data.
pub fn recovery_offered(gateway: &Gateway) -> (bool, bool) {
    let own = gateway.directory().own_values();
    let on = gateway.settings().flows.own_recovery;
    (on && own.mail, on && own.mobile && gateway.texting())
}

/// The recovery-data page of a signed-in person (`None`: the session is
/// over).
pub async fn recovery_data(
    gateway: &Gateway,
    journey: &Journey,
) -> Result<Option<RecoveryData>, StepError> {
    let Some(person) = signed_in(gateway, journey).await? else {
        return Ok(None);
    };
    Ok(Some(data_of(gateway, &person)))
}

fn data_of(gateway: &Gateway, person: &Person) -> RecoveryData {
    let (mail_offered, mobile_offered) = recovery_offered(gateway);
    let (mobile, unusable_mobile) = match person.own_mobile.as_deref() {
        None => (None, None),
        Some(raw) => match gateway.texter().mobile(raw) {
            Ok(mobile) => (Some(mobile.masked().to_owned()), None),
            Err(refused) => (Some(mask_raw_number(raw)), Some(refused.0)),
        },
    };
    RecoveryData {
        mail_offered,
        mail: person.own_recovery_mail.as_deref().map(mask_mail),
        mobile_offered,
        mobile,
        unusable_mobile,
    }
}

/// A stored value that is no mobile, masked like one: its digits but the
/// last two hidden.
fn mask_raw_number(raw: &str) -> String {
    let digits: Vec<char> = raw.chars().filter(char::is_ascii_digit).collect();
    let keep = digits.len().saturating_sub(2);
    let mut masked: String = digits[..keep].iter().map(|_| '•').collect();
    masked.extend(&digits[keep..]);
    masked
}

/// What a person asked of one of their recovery values.
pub enum ValueRequest<'a> {
    /// A new value, as typed.
    Set(&'a str),
    /// No value any more.
    Remove,
}

/// How a request to change a recovery value ended.
pub enum ValueOutcome {
    /// A code went to the new value; it waits with the web until typed
    /// back.
    CodeSent(PendingValue),
    /// Removed, and its owner told.
    Removed,
    /// Fields to fix: nothing done.
    Again(Vec<Problem>),
    /// No code could be sent now (the limits on mail and SMS, told to the
    /// person, who signed in).
    NotSent(NotSent),
    /// The account may not use self-service now, or is locked: nothing
    /// done.
    Stopped,
    /// The current password was wrong too often since the sign-in.
    CurrentWrongTooOften,
    /// The session is over.
    Ended,
}

/// The request to set, change or remove the signed-in person's `channel`
/// value, with the current password typed again. A new value gets a code;
/// a removal is written at once.
pub async fn request_value(
    gateway: &Gateway,
    journey: &Journey,
    channel: Channel,
    request: ValueRequest<'_>,
    current: Option<&SecretString>,
) -> Result<ValueOutcome, StepError> {
    let Some(person) = signed_in(gateway, journey).await? else {
        return Ok(ValueOutcome::Ended);
    };
    if !data_of(gateway, &person).offers(channel) {
        return Ok(ValueOutcome::Ended);
    }
    let lang = journey.visitor.lang;
    let (proved, mut problems) = match prove_again(gateway, journey, &person, current).await? {
        Proved::Right(attempt) => (Some(attempt), Vec::new()),
        Proved::Problem(problem) => (None, vec![problem]),
        Proved::TooManyWrong => return Ok(ValueOutcome::CurrentWrongTooOften),
        Proved::Locked => return Ok(ValueOutcome::Stopped),
    };
    let field = match channel {
        Channel::Mail => "mail",
        Channel::Mobile => "mobile",
    };
    let value = match request {
        ValueRequest::Set(typed) => match recovery::read(gateway, &person, channel, typed) {
            Ok(value) => Some(value),
            Err(unusable) => {
                if let recovery::Unusable::Number(_) = unusable {
                    gateway.event(
                        journey,
                        AuditStep::Recovery,
                        Outcome::InvalidNumber,
                        &person,
                    );
                } else if unusable != recovery::Unusable::Empty {
                    gateway.event(
                        journey,
                        AuditStep::Recovery,
                        Outcome::InvalidAddress,
                        &person,
                    );
                }
                problems.push((field, t(lang, &unusable.message_id(), None)));
                None
            }
        },
        ValueRequest::Remove => {
            let held = match channel {
                Channel::Mail => person.own_recovery_mail.is_some(),
                Channel::Mobile => person.own_mobile.is_some(),
            };
            if !held {
                problems.push((field, t(lang, "recovery-nothing-to-remove", None)));
            }
            None
        }
    };
    let forgive = |proved: Option<RightAttempt>| async {
        match proved {
            Some(attempt) => attempt.forgive(gateway, &person).await,
            None => Ok(()),
        }
    };
    if !problems.is_empty() {
        gateway.event(journey, AuditStep::Recovery, Outcome::FormRefused, &person);
        forgive(proved).await?;
        return Ok(ValueOutcome::Again(problems));
    }
    forgive(proved).await?;
    let now = gateway.now();
    let Some(value) = value else {
        // A removal: written now, its proof made in this very request.
        let proof = journey.proof()?;
        return Ok(
            match recovery::write(
                gateway,
                &person,
                proof,
                recovery::set(channel, None),
                Some(now),
                None,
            )
            .await?
            {
                Written::Done { before } => {
                    gateway.event(
                        journey,
                        AuditStep::Recovery,
                        recovery::written_outcome(channel, true),
                        &*before,
                    );
                    recovery::notify(
                        gateway,
                        journey,
                        &before,
                        recovery::factor(channel),
                        true,
                        None,
                    )
                    .await;
                    ValueOutcome::Removed
                }
                Written::Ended => ValueOutcome::Ended,
                Written::Stopped | Written::TooLate | Written::Used => ValueOutcome::Stopped,
            },
        );
    };
    Ok(
        match recovery::send_code(gateway, journey, &person, channel, value, Some(now)).await {
            Ok(pending) => ValueOutcome::CodeSent(pending),
            Err(NotSent::Stopped) => ValueOutcome::Stopped,
            Err(not_sent) => ValueOutcome::NotSent(not_sent),
        },
    )
}

/// How the code typed back for a new value ended.
pub enum ConfirmOutcome {
    /// Written, and the old value and the institutional address told.
    Changed,
    /// Wrong: type it again (counted towards the lockout).
    Wrong,
    /// Expired, already confirmed, or the proof of the current password is
    /// too old: ask again.
    Restart,
    /// The account may not use self-service now, or is locked: nothing
    /// written.
    Stopped,
    /// The session is over.
    Ended,
}

/// The code typed back for `pending` (`None`: not six digits): right, the
/// value is written on the entry as it is then, under every rule of
/// [`recovery::write`], and its owner told.
pub async fn confirm_value(
    gateway: &Gateway,
    journey: &Journey,
    pending: &PendingValue,
    code: Option<&ResetCode>,
) -> Result<ConfirmOutcome, StepError> {
    let Some(person) = signed_in(gateway, journey).await? else {
        return Ok(ConfirmOutcome::Ended);
    };
    let Some(code) = code else {
        return Ok(ConfirmOutcome::Wrong);
    };
    match recovery::check_code(gateway, journey, &person, pending, code).await? {
        CodeBack::Right => {}
        CodeBack::Wrong => return Ok(ConfirmOutcome::Wrong),
        CodeBack::Expired | CodeBack::Used => return Ok(ConfirmOutcome::Restart),
        CodeBack::Locked => return Ok(ConfirmOutcome::Stopped),
    }
    let proof = journey.proof()?;
    let proved_at = pending
        .proved_at
        .and_then(|at| chrono::DateTime::<chrono::Utc>::from_timestamp(at, 0));
    let change = recovery::set(pending.channel, Some(pending.value.clone()));
    Ok(
        match recovery::write(gateway, &person, proof, change, proved_at, Some(pending)).await? {
            Written::Done { before } => {
                gateway.event(
                    journey,
                    AuditStep::Recovery,
                    recovery::written_outcome(pending.channel, false),
                    &*before,
                );
                recovery::notify(
                    gateway,
                    journey,
                    &before,
                    recovery::factor(pending.channel),
                    false,
                    Some(pending.masked.clone()),
                )
                .await;
                ConfirmOutcome::Changed
            }
            Written::Ended => ConfirmOutcome::Ended,
            Written::Stopped => ConfirmOutcome::Stopped,
            Written::TooLate => {
                gateway.event(journey, AuditStep::Recovery, Outcome::ProofTooOld, &person);
                ConfirmOutcome::Restart
            }
            Written::Used => {
                gateway.event(
                    journey,
                    AuditStep::Recovery,
                    Outcome::RecoveryCodeUsed,
                    &person,
                );
                ConfirmOutcome::Restart
            }
        },
    )
}
