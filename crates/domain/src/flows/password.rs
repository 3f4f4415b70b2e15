//! The new-password step of every flow that writes one (`recover`, `code`,
//! `activate`, `account`, `change`), as one domain call per request: the
//! page's rules ([`page`]) and the submission ([`submit`]). What differs
//! between flows is declared ([`Asks`]), never the order of the rules,
//! which is written here once: the entry read afresh, then (1) the
//! password unchanged since the flow's proof (a replayed or twin
//! submission), (2) the account's standing and the self-service lock,
//! (3) what the flow asks (an activation still open, the current password
//! proved again and a temporary password not expired), (4) the effective
//! rules and the form, (5) the guarded write (`steps::new_password::write`,
//! which checks (1) and (2) again in the write itself), the hooks, the
//! replicas and the mail.

use crate::audit::{AuditStep, Outcome};
use crate::flow::CurrentPassword;
use crate::gateway::{Gateway, Journey, StepError};
use crate::lockout::{lock_state, LockState};
use crate::person::Person;
use crate::policy::{PasswordPolicy, PersonContext, Verdict};
use crate::ports::{Change, WifiAnswer};
use crate::ppolicy::DirectoryPolicy;
use crate::steps::new_password::{self, Extra, NewPassword, Problem, Written};
use crate::steps::sign_in::{self, Reproof, RightAttempt};
use crate::writing::WRITE_ROUNDS;
use chrono::{DateTime, Utc};
use passerelle_text::i18n::t;
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};

/// The rules a person's new password must meet, what the live checklist
/// needs to know of them (their login and names), and whether the page
/// asks for the current password too ([`asks_current`]).
pub struct PasswordPage {
    pub rules: PasswordPolicy,
    pub context: PersonContext<'static>,
    pub asks_current: bool,
}

/// The secret question and its answer's hash an activation chose, kept by
/// the web (in the flow's encrypted data cookie) until the password is
/// written with them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingSecret {
    pub question: String,
    pub answer_hash: String,
    /// Recovery values whose code came back (issue 21): written with the
    /// password.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recovery: Vec<crate::steps::recovery::VerifiedValue>,
    /// Recovery values waiting for the code sent to them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub awaiting: Vec<crate::steps::recovery::PendingValue>,
}

/// What a flow asks besides the new password. The current password is
/// not among them: whether a page asks for it is the flow's declaration
/// ([`asks_current`]), decided alike for the page and its submission.
pub enum Asks<'a> {
    /// Nothing more (`recover`, `code`, `account`, `change`).
    Nothing,
    /// An activation: the account must still be open to it, and the chosen
    /// question goes in the same modify as the password.
    Activation(&'a PendingSecret),
}

/// How a new-password submission ended.
#[derive(Debug)]
pub enum PasswordOutcome {
    /// Written; the flow shows its done page. `mailed`: a confirmation mail
    /// was queued (a person without any address is told there is none).
    /// `wifi`: what the site's RADIUS server said of the new password
    /// (`None`: not asked), for the page's "Wi-Fi accepts it" or "it may
    /// take a minute".
    Done {
        replica_lag: bool,
        mailed: bool,
        wifi: Option<WifiAnswer>,
    },
    /// The same form was written moments before (a double click, another
    /// replica): its done page too.
    DoneByTwin,
    /// The form (or the directory's policy) refused it: the page again,
    /// ticked by `verdict`, with the problems (asking for the current
    /// password again when `asks_current`).
    Again {
        rules: PasswordPolicy,
        verdict: Verdict,
        problems: Vec<Problem>,
        asks_current: bool,
    },
    /// Self-service is locked until then (failed attempts).
    Locked { until: DateTime<Utc> },
    /// The account may not use self-service now (IT's lock, a freeze, an
    /// end date): nothing written.
    Stopped,
    /// The password was changed since this flow's proof, by another
    /// request: nothing written; the person is told plainly.
    ChangedMeanwhile,
    /// The account is no longer open to activation.
    NotActivatable,
    /// The directory demands the old password (`pwdSafeModify`), which a
    /// reset cannot give: nothing written.
    OldPasswordRequired,
    /// `change`: the temporary password was right but has expired.
    TemporaryExpired,
    /// `change`: the current password may not be checked any more (the
    /// attempts of the window are spent, or the directory locked it).
    CurrentLocked,
    /// `change`: the current password was wrong
    /// [`sign_in::CURRENT_PASSWORD_TRIES`] times since the sign-in; the
    /// flow ends (whoever holds an open session cannot guess on).
    CurrentWrongTooOften,
}

/// The new-password page of the person the flow proved.
pub async fn page(gateway: &Gateway, journey: &Journey) -> Result<PasswordPage, StepError> {
    // The page decides nothing: it shows the rules for the person as the
    // proof saw them, without reading the entry again (a proof from an
    // older cookie, without them, reads it). The submission reads it.
    let proof = journey.proof()?;
    let person = match &proof.seen {
        Some(seen) => seen.person(&proof.dn),
        None => gateway.proved_person(journey).await?,
    };
    let policy = gateway.directory().policy(&person).await?;
    Ok(PasswordPage {
        rules: new_password::rules_for(gateway, &person).await?,
        context: crate::policy::PersonContext::of(&person),
        asks_current: asks_current(journey, &policy),
    })
}

/// Whether the new-password page of `journey`'s flow asks for the current
/// password, for a person under `policy`: as the flow declares it
/// ([`CurrentPassword`]): `change` always, `account` when the policy has
/// `pwdSafeModify` (the directory then demands the old password in the
/// write, and a session holds none), resets and activations never; and
/// never after a sign-in that spent a held temporary password (the person
/// has no other to type).
pub fn asks_current(journey: &Journey, policy: &DirectoryPolicy) -> bool {
    let declared = match journey.flow.spec().current_password {
        CurrentPassword::Never => false,
        CurrentPassword::Always => true,
        CurrentPassword::UnderSafeModify => policy.safe_modify,
    };
    declared && !spent_temporary(journey)
}

/// Whether the flow's sign-in spent a held temporary password: its proof
/// is gone, and the person has no other password to type.
pub fn spent_temporary(journey: &Journey) -> bool {
    journey
        .proof
        .as_ref()
        .is_some_and(|proof| proof.by_temporary)
}

/// The new-password submission of `journey`'s flow, under the rules of the
/// module's note.
pub async fn submit(
    gateway: &Gateway,
    journey: &Journey,
    form: &NewPassword<'_>,
    asks: Asks<'_>,
) -> Result<PasswordOutcome, StepError> {
    let proof = journey.proof()?;
    let person = gateway.proved_person(journey).await?;
    let event = |outcome| gateway.event(journey, AuditStep::Password, outcome, &person);
    // (1) Replayed or twin: decided before anything is counted or checked.
    if person.password_marker() != proof.marker {
        let normalised = passerelle_text::normalize_password(form.password);
        let ours = gateway.code_key().change_id(&journey.id, &normalised);
        if person.state.change_id.as_deref() == Some(ours.as_str()) {
            event(Outcome::AlreadyWritten);
            return Ok(PasswordOutcome::DoneByTwin);
        }
        event(Outcome::Replayed);
        return Ok(PasswordOutcome::ChangedMeanwhile);
    }
    // (2) The account's standing, then the self-service lock.
    if let Err(stopped) = crate::steps::standing_now(gateway, &person).await? {
        event(crate::steps::stopped_outcome(stopped));
        return Ok(PasswordOutcome::Stopped);
    }
    if let LockState::Locked { until } =
        lock_state(&person.state, &gateway.settings().lockout, gateway.now())
    {
        event(Outcome::Locked);
        return Ok(PasswordOutcome::Locked { until });
    }
    // (3) What the flow asks.
    let mut problems: Vec<Problem> = Vec::new();
    let mut proved: Option<RightAttempt> = None;
    let mut extra = Extra::default();
    let lang = journey.visitor.lang;
    let policy = gateway.directory().policy(&person).await?;
    let asks_current = asks_current(journey, &policy);
    if let Asks::Activation(pending) = asks {
        if !new_password::activatable(gateway, &person).await? {
            event(Outcome::AlreadyActive);
            return Ok(PasswordOutcome::NotActivatable);
        }
        extra.activation = true;
        // The mark goes with every password write (made_obsolete).
        extra.also = vec![Change::SetSecret {
            question: pending.question.clone(),
            answer_hash: pending.answer_hash.clone(),
        }];
        extra
            .also
            .extend(pending.recovery.iter().map(|value| value.change()));
    }
    // The current password, typed again with the new one and proved again
    // (against the sign-in's sealed proof, under a counted attempt); a
    // temporary password past its expiry is refused here too. A page that
    // does not ask for it gets none, whatever was posted.
    let form = &NewPassword {
        current: form.current.filter(|_| asks_current),
        ..*form
    };
    if asks_current {
        let current = form.current.filter(|c| !c.expose_secret().is_empty());
        match current {
            None => problems.push(("current", t(lang, "change-current-missing", None))),
            Some(current) => {
                match sign_in::prove_current(gateway, journey, &person, proof, current).await? {
                    Reproof::Right(attempt) => {
                        extra.attempt_on_entry = attempt.shared();
                        proved = Some(attempt);
                    }
                    Reproof::Wrong => {
                        problems.push(("current", t(lang, "change-current-wrong", None)))
                    }
                    Reproof::TooManyWrong => return Ok(PasswordOutcome::CurrentWrongTooOften),
                    Reproof::Locked => return Ok(PasswordOutcome::CurrentLocked),
                }
            }
        }
        extra.current = current;
        if temporary_expired(&person, gateway.now()) {
            event(Outcome::TemporaryPasswordExpired);
            forgive(gateway, &person, proved).await?;
            return Ok(PasswordOutcome::TemporaryExpired);
        }
    }
    // (4) The effective rules and the form.
    let rules = new_password::rules_for(gateway, &person).await?;
    let (verdict, more) = new_password::check(gateway, &rules, lang, &person, form);
    problems.extend(more);
    if !problems.is_empty() {
        event(Outcome::FormRefused);
        forgive(gateway, &person, proved).await?;
        return Ok(PasswordOutcome::Again {
            rules,
            verdict,
            problems,
            asks_current,
        });
    }
    // (5) The guarded write.
    let activation = extra.activation;
    let mut written =
        new_password::write(gateway, journey, &person, &rules, form.password, &extra).await;
    for _ in 0..WRITE_ROUNDS {
        if !matches!(written, Ok(Written::AttemptGone)) {
            break;
        }
        // Another copy of the flow took the sign-in's attempt first: this
        // right proof is answered only under an attempt counted now.
        let fresh = gateway.proved_person(journey).await?;
        match crate::steps::count_attempt(gateway, &fresh).await? {
            crate::lockout::Attempt::Locked { .. } => {
                event(Outcome::Locked);
                return Ok(PasswordOutcome::CurrentLocked);
            }
            attempt => proved = Some(RightAttempt::counted(attempt)),
        }
        extra.attempt_on_entry = None;
        written =
            new_password::write(gateway, journey, &fresh, &rules, form.password, &extra).await;
    }
    // The write cleared the proof's counted attempt; nothing else does.
    if !matches!(written, Ok(Written::Done { .. })) {
        forgive(gateway, &person, proved).await?;
    }
    Ok(match written? {
        Written::Done {
            replica_lag,
            mailed,
            wifi,
        } => {
            if activation {
                gateway.event(journey, AuditStep::Question, Outcome::Activated, &person);
            }
            PasswordOutcome::Done {
                replica_lag,
                mailed,
                wifi,
            }
        }
        Written::ByTwin => PasswordOutcome::DoneByTwin,
        Written::ChangedMeanwhile => PasswordOutcome::ChangedMeanwhile,
        Written::Stopped(_) => PasswordOutcome::Stopped,
        Written::NotActivatable => PasswordOutcome::NotActivatable,
        Written::OldPasswordRequired => PasswordOutcome::OldPasswordRequired,
        // Only while another copy of the flow keeps taking the attempts.
        Written::AttemptGone => PasswordOutcome::CurrentLocked,
        Written::Refused(reason) => PasswordOutcome::Again {
            rules,
            verdict,
            problems: vec![("password", reason)],
            asks_current,
        },
    })
}

/// Whether the person's current password is a temporary one past its
/// expiry.
pub fn temporary_expired(person: &Person, now: DateTime<Utc>) -> bool {
    person
        .state
        .temp_password_expiry
        .is_some_and(|expiry| expiry <= now)
}

async fn forgive(
    gateway: &Gateway,
    person: &Person,
    proved: Option<RightAttempt>,
) -> Result<(), StepError> {
    match proved {
        Some(attempt) => attempt.forgive(gateway, person).await,
        None => Ok(()),
    }
}
