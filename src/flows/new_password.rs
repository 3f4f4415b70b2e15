//! Choose and write the new password: the last step of every flow that
//! changes one. The form is checked against the site's rules (the live
//! checklist in the browser is only a convenience), then the password is
//! written in the one atomic modify (`userPassword`, the Wi-Fi NT hash, the
//! shadow and samba dates, the gateway's reset state cleared), the
//! directory's refusals are explained with the site's words, and the
//! confirmation mail leaves.

use super::{mailing, FlowError, Gateway, Trail};
use crate::directory::{LockState, PasswordWriteError, Person, WriteKind};
use crate::flows::Who;
use crate::i18n::{t, t_with, Lang};
use crate::policy::{self, PasswordPolicy, PersonContext, Verdict};
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

/// What the person's data says a password must not contain.
pub fn person_context(person: &Person) -> PersonContext<'static> {
    PersonContext {
        login: person.login.clone(),
        names: person.name_values.clone(),
        birth_date: person.birth_date.map(|d| d.format("%Y%m%d").to_string()),
        current_password: None,
    }
}

/// The rules this person's password must meet: the site's `[policy]`
/// combined with the person's own directory policy (their
/// `pwdPolicySubentry`, else the default policy), so that the rules listed,
/// ticked live and checked are the ones the directory will enforce.
pub async fn rules_for(gateway: &Gateway, person: &Person) -> Result<PasswordPolicy, FlowError> {
    let directory_policy = gateway.directory.effective_policy(person).await?;
    Ok(gateway.policy.effective(&directory_policy))
}

/// The verdict of `rules` on the new password, and every problem of the form:
/// missing, against the rules (each violation explained), confirmation
/// different, rules not accepted.
pub fn check(
    gateway: &Gateway,
    rules: &PasswordPolicy,
    lang: Lang,
    person: &Person,
    form: &NewPassword<'_>,
) -> (Verdict, Vec<Problem>) {
    let context = PersonContext {
        current_password: form.current,
        ..person_context(person)
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
    if gateway.settings.flows.require_rules_checkbox && !form.rules_accepted {
        problems.push(("rules", t(lang, "rules-checkbox-missing", None)));
    }
    (verdict, problems)
}

/// What a new-password submission finds on the entry, against the moment
/// the flow proved who the person is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SinceProof {
    /// The password is as it was at the proof: the step goes on.
    Unchanged,
    /// The password changed, and this very flow wrote it: the same form,
    /// submitted twice (a double click), was written by another replica of
    /// the gateway. Its success is this submission's too. Audited
    /// `already_written`.
    WrittenByTwin,
    /// The password changed otherwise: an old cookie played again, or
    /// another flow won. Nothing may be written. Audited `replayed`.
    Replayed,
}

/// Whether the entry is still as it was when the flow proved who the person
/// is (`proved_at`: its `pwdChangedTime` then), or was written by this same
/// flow on another replica ([`SinceProof`]).
pub fn since_proof(
    gateway: &Gateway,
    trail: &Trail,
    person: &Person,
    proved_at: Option<&str>,
) -> SinceProof {
    if person.pwd_changed_time.as_deref() == proved_at {
        return SinceProof::Unchanged;
    }
    if written_by_this_flow(gateway, trail, person) {
        return SinceProof::WrittenByTwin;
    }
    trail.event("password", "replayed", Who::Person(person));
    SinceProof::Replayed
}

/// Whether the person's last password write was this flow's: every write
/// of a flow names itself on the entry with a change id derived from the
/// flow's id and the gateway's code key
/// ([`crate::reset_code::CodeKey::change_id`]), which every replica
/// computes alike. Nothing is bound to find out, so an old form played
/// again costs the person no ppolicy failure. Audited `already_written`.
pub fn written_by_this_flow(gateway: &Gateway, trail: &Trail, person: &Person) -> bool {
    let ours = gateway.code_key.change_id(&trail.id);
    let written = person.state.change_id.as_deref() == Some(ours.as_str());
    if written {
        trail.event("password", "already_written", Who::Person(person));
    }
    written
}

/// Whether self-service is locked for the person now (audited `locked`).
pub fn locked(
    gateway: &Gateway,
    trail: &Trail,
    person: &Person,
) -> Option<chrono::DateTime<chrono::Utc>> {
    match gateway
        .directory
        .lock_state(person, &gateway.settings.lockout, chrono::Utc::now())
    {
        LockState::Locked { until } => {
            trail.event("password", "locked", Who::Person(person));
            Some(until)
        }
        LockState::Open { .. } => None,
    }
}

/// How a write ended.
pub enum Written {
    /// Written, and the confirmation mail queued. `replica_lag`: some
    /// replica of `ldap.replica_urls` did not accept the new password
    /// within `ldap.replica_wait_seconds` (the success page says so).
    Done { replica_lag: bool },
    /// Not written here: a twin of this submission on another replica
    /// wrote it moments before ([`written_by_this_flow`]), and did the
    /// rest (hooks, mail).
    ByTwin,
    /// The directory's policy refused it: the translated reason.
    Refused(String),
}

/// Writes the person's chosen password, audits it, waits (bounded) until
/// every replica of `ldap.replica_urls` accepts it and, once written,
/// starts the change hooks (`crate::hooks`, in the background) and queues
/// the confirmation mail. Audited under `password`: `changed`,
/// `refused_by_directory` or `directory_error`; with replicas configured,
/// then `replicas_confirmed` or `replica_lagging`.
pub async fn write(
    gateway: &Gateway,
    rules: &PasswordPolicy,
    trail: &Trail,
    person: &Person,
    password: &SecretString,
) -> Result<Written, FlowError> {
    let account = Who::Person(person);
    let change_id = gateway.code_key.change_id(&trail.id);
    match gateway
        .directory
        .write_password_named(person, password, WriteKind::Chosen, Some(&change_id))
        .await
    {
        Ok(()) => {
            trail.event("password", "changed", account);
            gateway.hooks.after_change(trail, person, password);
            let replica_lag = !confirmed_on_replicas(gateway, trail, person, password).await;
            // The entry as written (its new pwdChangedTime), for the
            // « Ce n'était pas moi » link; without it the mail goes without.
            let not_me_url = match gateway.directory.reload(person).await {
                Ok(Some(written)) => {
                    super::not_me::link_for(gateway, trail, &written, chrono::Utc::now())
                }
                Ok(None) => None,
                Err(error) => {
                    tracing::warn!(%error, "re-reading the entry for the not-me link failed");
                    None
                }
            };
            mailing::confirm_change(gateway, trail, person, not_me_url);
            Ok(Written::Done { replica_lag })
        }
        Err(PasswordWriteError::Directory(error)) => {
            trail.event("password", "directory_error", account);
            Err(error.into())
        }
        // Refused as the password just written, or as too recent a change:
        // if this flow wrote it, a twin of this submission on another
        // replica won the race, and did the rest.
        Err(PasswordWriteError::InHistory | PasswordWriteError::TooYoung)
            if twin_won(gateway, trail, person).await =>
        {
            Ok(Written::ByTwin)
        }
        Err(error) => {
            tracing::info!(%error, "password refused by the directory");
            trail.event("password", "refused_by_directory", account);
            Ok(Written::Refused(refusal(
                gateway,
                rules,
                trail.visitor.lang,
                &error,
            )))
        }
    }
}

/// [`written_by_this_flow`], on the entry as it is now.
async fn twin_won(gateway: &Gateway, trail: &Trail, person: &Person) -> bool {
    match gateway.directory.reload(person).await {
        Ok(Some(now)) => written_by_this_flow(gateway, trail, &now),
        _ => false,
    }
}

/// Whether every replica of `ldap.replica_urls` accepts the new password
/// (issue 13: "done" means done where RADIUS and CAS read). Audited once
/// per write when replicas are configured: `replicas_confirmed`, or
/// `replica_lagging` (which replicas, in the log line before it).
async fn confirmed_on_replicas(
    gateway: &Gateway,
    trail: &Trail,
    person: &Person,
    password: &SecretString,
) -> bool {
    if gateway.settings.ldap.replica_urls.is_empty() {
        return true;
    }
    let report = gateway
        .directory
        .confirm_on_replicas(person, password)
        .await;
    let outcome = if report.all_confirmed() {
        "replicas_confirmed"
    } else {
        "replica_lagging"
    };
    trail.event("password", outcome, Who::Person(person));
    report.all_confirmed()
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
            &[("contact", &gateway.settings.site.help_contact)],
        ),
        _ => t(lang, "pw-refused-directory", None),
    }
}
