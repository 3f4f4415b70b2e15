//! Choose and write the new password: the last step of every flow that
//! changes one. The form is checked against the person's effective rules
//! (the live checklist in the browser is only a convenience), then the
//! password is written in the one atomic modify (`userPassword`, the Wi-Fi
//! NT hash, the shadow and Samba dates, the gateway's reset state cleared),
//! the directory's refusals are explained with the site's words, and the
//! confirmation mail leaves.
//!
//! The order of the rules at the moment of writing is written once, here
//! ([`write`]), for every flow: on the entry as it is now, (1) the password
//! must still be the one the flow's proof saw ([`PasswordMarker`]) — else
//! this very form was written already (a double click: its success is
//! shown) or another request changed it (nothing is written, the person is
//! told); (2) the account must still be allowed self-service
//! ([`crate::standing`]: IT's lock, a freeze, an end date, a start date);
//! (3) what the flow itself requires (an activation still open); then (4)
//! the write, which the directory applies only if the entry is still the
//! one these rules were checked on (an assertion on its version), so that
//! "nothing changed since the proof" is a condition of the write itself.
//! Then the hooks, the replicas, and the confirmation mail.

use crate::audit::{AuditStep, Outcome, Who};
use crate::gateway::{Gateway, Journey, StepError};
use crate::person::{PasswordMarker, Person};
use crate::policy::{self, PasswordPolicy, PersonContext, Verdict};
use crate::ports::{
    Change, DirectoryError, HookOutcome, PasswordChange, PasswordWrite, PasswordWriteError,
    WifiAnswer, WriteKind,
};
use crate::standing::{standing, Stopped};
use crate::writing::{made_obsolete, random_change_id, WRITE_ROUNDS};
use passerelle_text::i18n::{t, t_with};
use passerelle_text::Lang;
use secrecy::{ExposeSecret, SecretString};

/// What the person posted on a new-password page.
pub struct NewPassword<'a> {
    pub password: &'a SecretString,
    pub confirm: &'a SecretString,
    pub rules_accepted: bool,
    /// The current password, when the page asks for it (`change`): the new
    /// one must differ from it.
    pub current: Option<&'a SecretString>,
}

/// A field to fix and the translated reason.
pub type Problem = (&'static str, String);

/// The rules this person's password must meet: the site's `[policy]`
/// combined with the person's own directory policy (their
/// `pwdPolicySubentry`, else the default policy), so that the rules listed,
/// ticked live and checked are the ones the directory will enforce.
pub async fn rules_for(gateway: &Gateway, person: &Person) -> Result<PasswordPolicy, StepError> {
    let directory_policy = gateway.directory().policy(person).await?;
    Ok(gateway.site_policy().effective(&directory_policy))
}

/// The verdict of `rules` on the new password, and every problem of the
/// form: missing, against the rules (each violation explained),
/// confirmation different, rules not accepted.
pub fn check(
    gateway: &Gateway,
    rules: &PasswordPolicy,
    lang: Lang,
    person: &Person,
    form: &NewPassword<'_>,
) -> (Verdict, Vec<Problem>) {
    let context = PersonContext {
        current_password: form.current,
        ..PersonContext::of(person)
    };
    let verdict = rules.check(form.password, &context);
    let mut problems: Vec<Problem> = Vec::new();
    if form.password.expose_secret().is_empty() {
        problems.push(("password", t(lang, "password-missing", None)));
    } else if !verdict.is_acceptable() {
        for violation in verdict.violations() {
            problems.push(("password", policy::explain(&violation, lang)));
        }
    }
    // Compared as the directory will store them: in NFC.
    if policy::normalize_password(form.password).expose_secret()
        != policy::normalize_password(form.confirm).expose_secret()
    {
        problems.push(("confirm", t(lang, "confirmation-mismatch", None)));
    }
    if gateway.settings().flows.require_rules_checkbox && !form.rules_accepted {
        problems.push(("rules", t(lang, "rules-checkbox-missing", None)));
    }
    (verdict, problems)
}

/// What a flow adds to its password write.
#[derive(Default)]
pub struct Extra<'a> {
    /// State changes that go in the same modify (the activation's secret
    /// question and the end of its mark).
    pub also: Vec<Change>,
    /// The account must still be open to « Activer mon compte »: no secret
    /// question yet, and the entry matches `flows.activation_filter`.
    pub activation: bool,
    /// The current password, typed with this form: a policy with
    /// `pwdSafeModify` gets it in the write.
    pub current: Option<&'a SecretString>,
    /// The sign-in's attempt under which the current password was proved
    /// again ([`crate::steps::sign_in::RightAttempt::shared`]): the write
    /// goes ahead only while it is on the entry, and takes it off.
    pub attempt_on_entry: Option<chrono::DateTime<chrono::Utc>>,
}

/// How a write ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    /// Written, and the confirmation mail queued (`mailed`: to at least
    /// one address). `replica_lag`: some replica of `ldap.replica_urls` did
    /// not accept the new password within `ldap.replica_wait_seconds`.
    /// `wifi`: what the site's RADIUS server said of it (`[radius]`), `None`
    /// when it was not asked (no RADIUS check configured, or a twin's
    /// write).
    Done {
        replica_lag: bool,
        mailed: bool,
        wifi: Option<WifiAnswer>,
    },
    /// Not written now: this same form (same flow, same password) was
    /// written moments before (a double click, another replica), which did
    /// the rest (hooks, mail). Its success is this submission's too.
    ByTwin,
    /// The password changed since the flow's proof, by another request (an
    /// old copy of the page, another tab, another flow): nothing written.
    ChangedMeanwhile,
    /// The account may not use self-service now: nothing written.
    Stopped(Stopped),
    /// The account is no longer open to activation: nothing written.
    NotActivatable,
    /// The person's policy has `pwdSafeModify` and the flow cannot supply
    /// the old password (a reset): nothing written.
    OldPasswordRequired,
    /// The directory's policy refused it: the translated reason.
    Refused(String),
    /// Not written: [`Extra::attempt_on_entry`] is no longer on the entry
    /// (another copy of the flow took it); not audited, the caller counts
    /// an attempt of its own and writes again.
    AttemptGone,
}

/// Writes the person's chosen password under the rules of the module's
/// note, audits it, and once written starts the change hooks (in the
/// background), waits (bounded) for the replicas and queues the
/// confirmation mail with its « Ce n'était pas moi » link. `person` is the
/// entry as read in this request. Audited under `password`: `changed`,
/// `already_written`, `replayed`, `changed_meanwhile`, the stopped
/// account's outcome, `already_active`, `old_password_required`,
/// `refused_by_directory` or `directory_error`; with replicas configured,
/// then `replicas_confirmed` or `replica_lagging`; with a RADIUS check
/// configured, then `radius_confirmed`, `radius_refused` or
/// `radius_lagging`.
pub async fn write(
    gateway: &Gateway,
    journey: &Journey,
    person: &Person,
    rules: &PasswordPolicy,
    password: &SecretString,
    extra: &Extra<'_>,
) -> Result<Written, StepError> {
    let proof = journey.proof()?;
    let password = policy::normalize_password(password);
    let change_id = gateway.code_key().change_id(&journey.id, &password);
    let event = |outcome, who: &Person| gateway.event(journey, AuditStep::Password, outcome, who);
    let directory_policy = gateway.directory().policy(person).await?;
    let old_password = extra
        .current
        .filter(|_| directory_policy.safe_modify)
        .map(policy::normalize_password);
    // The entry as the write left it, when the directory returned it.
    let mut after: Option<Person> = None;
    let written = {
        let _entry = gateway.hold(&person.dn).await;
        let mut fresh = person.clone();
        let mut attempted = false;
        let mut resent = false;
        let mut round = 0;
        loop {
            round += 1;
            if round > 1 {
                fresh = gateway
                    .directory()
                    .read(&person.dn)
                    .await?
                    .ok_or(StepError::Gone)?;
            }
            if let Some((outcome, written)) =
                decide(&proof.marker, &fresh, &change_id, attempted, resent)
            {
                if let Some(outcome) = outcome {
                    event(outcome, &fresh);
                }
                break written;
            }
            if let Err(stopped) = standing(&fresh, &directory_policy, gateway.now()) {
                event(super::stopped_outcome(stopped), &fresh);
                return Ok(Written::Stopped(stopped));
            }
            if let Some(at) = extra.attempt_on_entry {
                if !fresh.state.failure_times.contains(&at) {
                    return Ok(Written::AttemptGone);
                }
            }
            if extra.activation && !activatable(gateway, &fresh).await? {
                event(Outcome::AlreadyActive, &fresh);
                return Ok(Written::NotActivatable);
            }
            if directory_policy.safe_modify && old_password.is_none() {
                event(Outcome::OldPasswordRequired, &fresh);
                return Ok(Written::OldPasswordRequired);
            }
            let mut also = made_obsolete(WriteKind::Chosen);
            also.extend(extra.also.iter().cloned());
            let write = PasswordWrite {
                password: &password,
                kind: WriteKind::Chosen,
                change_id: change_id.clone(),
                also,
                old_password: old_password.as_ref(),
            };
            attempted = true;
            match gateway.directory().write_password(&fresh, &write).await {
                Ok(written) => {
                    after = written;
                    break Written::Done {
                        replica_lag: false,
                        mailed: false,
                        wifi: None,
                    };
                }
                // The entry changed since it was read: read it and decide
                // again (it may be this very write, whose answer was lost).
                Err(PasswordWriteError::Raced) if round < WRITE_ROUNDS => {
                    let pause =
                        rand::Rng::gen_range(&mut rand::thread_rng(), 1..10) * u64::from(round);
                    tokio::time::sleep(std::time::Duration::from_millis(pause)).await;
                }
                Err(PasswordWriteError::Directory(
                    DirectoryError::Timeout | DirectoryError::Unavailable,
                )) if !resent => {
                    // The write may have been applied before its answer
                    // was lost: the next reading tells (our change id).
                    tracing::warn!("a password write lost its answer; reading the entry again");
                    resent = true;
                }
                Err(PasswordWriteError::Directory(error)) => {
                    event(Outcome::DirectoryError, &fresh);
                    return Err(error.into());
                }
                Err(PasswordWriteError::Raced) => {
                    event(Outcome::DirectoryError, &fresh);
                    return Err(DirectoryError::Unexpected(anyhow::anyhow!(
                        "the entry kept changing under the password write"
                    ))
                    .into());
                }
                // ppolicy judges history and age before the directory checks
                // the entry's version: a twin's write that landed first is
                // refused as "in history" or "too young" rather than as
                // raced. The entry as it is now tells which it was.
                Err(error @ (PasswordWriteError::InHistory | PasswordWriteError::TooYoung)) => {
                    let now = gateway
                        .directory()
                        .read(&person.dn)
                        .await?
                        .ok_or(StepError::Gone)?;
                    if let Some((outcome, written)) =
                        decide(&proof.marker, &now, &change_id, attempted, resent)
                    {
                        if let Some(outcome) = outcome {
                            event(outcome, &now);
                        }
                        break written;
                    }
                    tracing::info!(%error, "password refused by the directory");
                    event(Outcome::RefusedByDirectory, &fresh);
                    return Ok(Written::Refused(refusal(
                        gateway,
                        rules,
                        journey.visitor.lang,
                        &error,
                    )));
                }
                // Under pwdSafeModify, ppolicy checks the old password
                // before the directory checks the entry's version
                // (measured on slapd 2.5.13: rc 53, ppolicy error 4, where
                // a stale version alone gives rc 122): the current password
                // proved moments ago no longer being the stored one means
                // another request changed it. The entry as it is now tells.
                Err(PasswordWriteError::MustSupplyOldPassword) => {
                    if old_password.is_some() {
                        let now = gateway
                            .directory()
                            .read(&person.dn)
                            .await?
                            .ok_or(StepError::Gone)?;
                        if let Some((outcome, written)) =
                            decide(&proof.marker, &now, &change_id, attempted, resent)
                        {
                            if let Some(outcome) = outcome {
                                event(outcome, &now);
                            }
                            break written;
                        }
                    }
                    event(Outcome::OldPasswordRequired, &fresh);
                    return Ok(Written::OldPasswordRequired);
                }
                Err(error) => {
                    tracing::info!(%error, "password refused by the directory");
                    event(Outcome::RefusedByDirectory, &fresh);
                    return Ok(Written::Refused(refusal(
                        gateway,
                        rules,
                        journey.visitor.lang,
                        &error,
                    )));
                }
            }
        }
    };
    let Written::Done { .. } = written else {
        return Ok(written);
    };
    event(Outcome::Changed, person);
    start_hooks(gateway, journey, person, &password);
    let replica_lag = !confirmed_on_replicas(gateway, journey, person, &password).await;
    // After the replicas: a RADIUS server reading one of them has had the
    // wait to receive the password before its one login attempt.
    let wifi = confirmed_on_wifi(gateway, journey, person, &password).await;
    // The entry as written (its new pwdChangedTime), for the « Ce n'était
    // pas moi » link: returned with the write, else read; without it the
    // mail goes without.
    let written_entry = match after {
        Some(after) => Some(after),
        None => match gateway.directory().read(&person.dn).await {
            Ok(found) => found,
            Err(error) => {
                tracing::warn!(%error, "re-reading the entry for the not-me link failed");
                None
            }
        },
    };
    let not_me_url = written_entry
        .and_then(|written| super::not_me::link_for(gateway, journey, &written, gateway.now()));
    let mailed = super::mailing::confirm_change(gateway, journey, person, not_me_url).await;
    Ok(Written::Done {
        replica_lag,
        mailed,
        wifi,
    })
}

/// Rule (1) of the module's note on the entry as read (`fresh`): `None`
/// when the password is still the one the proof saw; otherwise what it
/// means, and the outcome to audit. When the entry names this very write
/// (the same flow, the same password), another submission of this form
/// wrote it (a double click, another replica): its success is this one's.
/// (This call's own write is never found here: a write the directory
/// refused as raced wrote nothing, and one whose answer was lost is
/// recognised by the adapter at once.) Otherwise another request changed
/// the password: found before any attempt, an old copy of the flow
/// (`replayed`); after one, a request that won the race
/// (`changed_meanwhile`).
fn decide(
    proved: &PasswordMarker,
    fresh: &Person,
    change_id: &str,
    attempted: bool,
    lost: bool,
) -> Option<(Option<Outcome>, Written)> {
    if &fresh.password_marker() == proved {
        return None;
    }
    if fresh.state.change_id.as_deref() == Some(change_id) {
        return Some(if lost {
            // This call's own write, whose answer was lost on the way back
            // and which the adapter could not confirm at once: written, and
            // the rest (audit, hooks, mail) is this call's to do.
            (
                None,
                Written::Done {
                    replica_lag: false,
                    mailed: false,
                    wifi: None,
                },
            )
        } else {
            (Some(Outcome::AlreadyWritten), Written::ByTwin)
        });
    }
    let outcome = if attempted {
        Outcome::ChangedMeanwhile
    } else {
        Outcome::Replayed
    };
    Some((Some(outcome), Written::ChangedMeanwhile))
}

/// Whether the account is still open to activation: no secret question
/// yet, no password ever written by the gateway (any flow's write leaves
/// its change id, and removes the mark), and the entry matches the site's
/// positive mark (`flows.activation_filter`, which a site may write
/// without the mark).
pub async fn activatable(gateway: &Gateway, person: &Person) -> Result<bool, DirectoryError> {
    if person.state.question.is_some()
        || person.state.answer_hash.is_some()
        || person.state.change_id.is_some()
    {
        return Ok(false);
    }
    let filter = &gateway.settings().flows.activation_filter;
    gateway.directory().matches(&person.dn, filter).await
}

/// Starts the site's hooks for the password just written, their outcomes
/// audited under `hook`.
fn start_hooks(gateway: &Gateway, journey: &Journey, person: &Person, password: &SecretString) {
    let change = PasswordChange {
        id: random_change_id(),
        dn: person.dn.clone(),
        login: person.login.clone(),
        flow: journey.flow.as_str(),
        time: gateway.now(),
        client_address: journey.visitor.address,
    };
    let (reporter, journey, login) = (gateway.clone(), journey.clone(), person.login.clone());
    let report = Box::new(move |outcome: HookOutcome| {
        let outcome = match outcome {
            HookOutcome::WebhookDelivered => Outcome::WebhookDelivered,
            HookOutcome::WebhookRefused => Outcome::WebhookRefused,
            HookOutcome::WebhookFailed => Outcome::WebhookFailed,
            HookOutcome::CommandSucceeded => Outcome::CommandSucceeded,
            HookOutcome::CommandFailed => Outcome::CommandFailed,
            HookOutcome::CommandTimedOut => Outcome::CommandTimedOut,
            HookOutcome::Busy => Outcome::HooksBusy,
        };
        reporter.event(&journey, AuditStep::Hook, outcome, Who::Login(&login));
    });
    gateway.hooks().after_change(change, password, report);
}

/// Whether every replica of `ldap.replica_urls` accepts the new password
/// ("done" means done where RADIUS and CAS read). Audited once per write
/// when replicas are configured: `replicas_confirmed`, or
/// `replica_lagging` (which replicas, in the log line before it).
async fn confirmed_on_replicas(
    gateway: &Gateway,
    journey: &Journey,
    person: &Person,
    password: &SecretString,
) -> bool {
    if !gateway.directory().has_replicas() {
        return true;
    }
    let report = gateway
        .directory()
        .confirm_on_replicas(person, password)
        .await;
    let outcome = if report.all_confirmed() {
        Outcome::ReplicasConfirmed
    } else {
        Outcome::ReplicaLagging
    };
    gateway.event(journey, AuditStep::Password, outcome, person);
    report.all_confirmed()
}

/// What the site's RADIUS server says of the password just written
/// (`[radius]`), asked ONCE: one Access-Request, one login attempt, whose
/// answer is final. A refusal is never retried here or by the caller (a
/// server that checks PAP by binding as the person would count each
/// refusal in ppolicy's `pwdFailureTime`). Audited once per write:
/// `radius_confirmed`, `radius_refused` or `radius_lagging`. `None` when
/// no check is configured or the entry has no login to ask about.
async fn confirmed_on_wifi(
    gateway: &Gateway,
    journey: &Journey,
    person: &Person,
    password: &SecretString,
) -> Option<WifiAnswer> {
    let wifi = gateway.wifi()?;
    if person.login.is_empty() {
        return None;
    }
    let answer = wifi.check(&person.login, password).await;
    let outcome = match answer {
        WifiAnswer::Accepted => Outcome::RadiusConfirmed,
        WifiAnswer::Refused => Outcome::RadiusRefused,
        WifiAnswer::NoAnswer => Outcome::RadiusLagging,
    };
    gateway.event(journey, AuditStep::Password, outcome, person);
    Some(answer)
}

/// The translated message for a password the directory refused, in the
/// words and numbers of the person's effective `rules`.
pub fn refusal(
    gateway: &Gateway,
    rules: &PasswordPolicy,
    lang: Lang,
    error: &PasswordWriteError,
) -> String {
    let code = match error {
        PasswordWriteError::InsufficientQuality => Some(5),
        PasswordWriteError::TooShort => Some(6),
        PasswordWriteError::TooYoung => Some(7),
        PasswordWriteError::InHistory => Some(8),
        PasswordWriteError::TooLong => Some(9),
        _ => None,
    };
    if let Some(violation) = code.and_then(|c| rules.violation_for_ppolicy_error(c)) {
        return policy::explain(&violation, lang);
    }
    match error {
        PasswordWriteError::Locked => t_with(
            lang,
            "pw-locked",
            &[("contact", &gateway.settings().site.help_contact)],
        ),
        _ => t(lang, "pw-refused-directory", None),
    }
}
