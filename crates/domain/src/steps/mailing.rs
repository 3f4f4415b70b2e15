//! Every mail a visitor can make the gateway send: the 6-digit code
//! (`code`), the temporary password (`temporary`), the login reminder
//! (`identifier`), and the "your password was changed" confirmation that
//! follows every write.
//!
//! The mails a visitor asks for are decided off the request path (the page
//! says the same whoever the address belongs to, if anybody), and each is
//! limited per person: an account that was mailed less than
//! `flows.code_resend_seconds` ago gets nothing more, whatever the address
//! or replica asking ([`crate::cooldown::plan_claim`]). A locked account, an account that
//! may not use self-service and an account without a recovery address get
//! nothing either; nothing is written for a code or temporary password that
//! cannot be mailed.

use crate::audit::{AuditStep, Outcome, Who};
use crate::cooldown::MailClaim;
use crate::flow::{FlowName, Link};
use crate::gateway::{seconds, Gateway, Journey, LookUp};
use crate::lockout::{lock_state, LockState};
use crate::mail::{MailKind, MailProgress, OutgoingMail, PreparedMail};
use crate::person::Person;
use crate::ports::{Change, PasswordWrite, WriteKind};
use crate::reset_code::ResetCode;
use crate::settings::MailLogin;
use crate::standing::Stopped;
use crate::state::ClaimAndStore;
use crate::temporary_password;
use chrono::{DateTime, Utc};
use secrecy::SecretString;
use std::time::Duration;

/// Why a requested mail was not sent: the audit outcome.
pub type NotSent = Outcome;

/// Where `person` may be mailed, unless self-service is locked: the sync
/// half of the limits every mail a visitor asks for obeys ([`claim`] adds
/// the account's standing and the per-person cooldown). `typed` chooses
/// the recovery address when it is one of the person's.
pub fn mail_target(
    gateway: &Gateway,
    person: &Person,
    typed: &str,
    now: DateTime<Utc>,
) -> Result<String, NotSent> {
    if let LockState::Locked { .. } = lock_state(&person.state, &gateway.settings().lockout, now) {
        return Err(Outcome::Locked);
    }
    // Without an address to send to, a new code or password would only
    // lock the person out: nothing is written.
    recipient(person, typed).ok_or(Outcome::NoRecoveryAddress)
}

/// Where an e-mail flow's mail goes: the recovery address the person typed
/// when they typed one of theirs, else their first recovery address.
pub fn recipient(person: &Person, typed: &str) -> Option<String> {
    person
        .recovery_mails
        .iter()
        .find(|m| m.eq_ignore_ascii_case(typed.trim()))
        .or_else(|| person.recovery_mails.first())
        .cloned()
}

/// The per-person limit on every mail a visitor can make the gateway send,
/// and the account's standing: an account that may not use self-service
/// gets no mail (what it carries could not be used anyway); otherwise one
/// mail per `flows.code_resend_seconds` per account, claimed on the entry
/// so that replicas share it (exactly one of two racing requests gets it).
pub async fn claim(gateway: &Gateway, person: &Person, now: DateTime<Utc>) -> Result<(), NotSent> {
    match super::standing_now(gateway, person).await {
        Ok(Ok(())) => {}
        // The trail says why (IT's lock, a freeze, an end or start date).
        Ok(Err(stopped)) => return Err(super::stopped_outcome(stopped)),
        Err(error) => {
            tracing::warn!(%error, "reading a password policy for a mail failed");
            return Err(Outcome::DirectoryError);
        }
    }
    let cooldown = Duration::from_secs(gateway.settings().flows.code_resend_seconds);
    match gateway.claim_mail(person, cooldown, now).await {
        Ok(MailClaim::Granted) => Ok(()),
        Ok(MailClaim::TooSoon { .. }) => Err(Outcome::Cooldown),
        Err(error) => {
            tracing::warn!(%error, "claiming a mail slot failed");
            Err(Outcome::DirectoryError)
        }
    }
}

/// The person for `typed` and where to mail them, or the audit reason why
/// not (and the account when known).
async fn target_for(
    gateway: &Gateway,
    typed: &str,
    now: DateTime<Utc>,
) -> Result<(Person, String), (NotSent, Option<String>)> {
    let (person, to) = unclaimed_target_for(gateway, typed, now).await?;
    claim(gateway, &person, now)
        .await
        .map_err(|reason| (reason, Some(person.login.clone())))?;
    Ok((person, to))
}

/// [`target_for`] without the claim: the caller claims in the modify that
/// stores what the mail carries ([`Gateway::claim_mail_and_store`]).
async fn unclaimed_target_for(
    gateway: &Gateway,
    typed: &str,
    now: DateTime<Utc>,
) -> Result<(Person, String), (NotSent, Option<String>)> {
    let person = match gateway.find_named(typed, LookUp::MailFirst).await {
        Ok(Some(person)) => person,
        Ok(None) => return Err((Outcome::UnknownAddress, None)),
        Err(error) => {
            tracing::warn!(%error, "looking up an address for an e-mail flow failed");
            return Err((Outcome::DirectoryError, None));
        }
    };
    let to = mail_target(gateway, &person, typed, now)
        .map_err(|reason| (reason, Some(person.login.clone())))?;
    Ok((person, to))
}

/// The code step's mail, off the request path: find the person, check the
/// account's limits, store a new code (voiding the previous one) and mail
/// it with its link. Audited under `send_code`.
pub async fn issue_code(gateway: Gateway, journey: Journey, typed: String) {
    let event = |outcome, who: Who<'_>| gateway.event(&journey, AuditStep::SendCode, outcome, who);
    let now = gateway.now();
    let (person, to) = match unclaimed_target_for(&gateway, &typed, now).await {
        Ok(target) => target,
        Err((reason, account)) => return event(reason, Who::from(account.as_deref())),
    };
    let account = Who::Person(&person);
    let flows = &gateway.settings().flows;
    let cooldown = Duration::from_secs(flows.code_resend_seconds);
    // Within the cooldown as read now: nothing to compose (the modify that
    // stores the code checks it again on the entry as it is then).
    if let (_, MailClaim::TooSoon { .. }) =
        crate::cooldown::plan_claim(&person.state, cooldown, now)
    {
        return event(Outcome::Cooldown, account);
    }
    let code = ResetCode::generate();
    let expires = now + seconds(flows.code_validity_seconds);
    let hash = gateway.code_key().hash(&person.dn, &code);
    let token = gateway.code_key().seal_link(&person.dn, &code, expires);
    // Composed and checked before anything is stored: a code that cannot
    // be mailed is never written.
    let mail = OutgoingMail::new(
        to,
        journey.visitor.lang,
        MailKind::ResetCode {
            code: code.secret().clone(),
            valid_for: Duration::from_secs(flows.code_validity_seconds),
            link: SecretString::from(Link::CodeLink(token).url(&gateway.settings().public_url)),
        },
    )
    .with_name(person.display_name.clone());
    let Ok(prepared) = gateway.mailer().prepare(mail) else {
        return event(Outcome::MailFailed, account);
    };
    let tries = flows.code_tries.max(1);
    let code = Change::SetCode {
        hash,
        expiry: expires,
        tries,
        sent_at: now,
    };
    // Claimed under the per-person cooldown and stored in one modify, only
    // while the account may use self-service, on the entry as it is at the
    // moment of storing.
    let stored = match gateway.directory().policy(&person).await {
        Ok(policy) => {
            gateway
                .claim_mail_and_store(&person, &policy, cooldown, vec![code])
                .await
        }
        Err(error) => Err(error),
    };
    match stored {
        Ok(ClaimAndStore::Stored) => {}
        Ok(ClaimAndStore::TooSoon) => return event(Outcome::Cooldown, account),
        Ok(ClaimAndStore::Stopped(stopped)) => {
            return event(super::stopped_outcome(stopped), account)
        }
        Err(error) => {
            tracing::warn!(%error, "storing a code failed");
            return event(Outcome::DirectoryError, account);
        }
    }
    match send_watched(&gateway, &journey, account, prepared) {
        Ok(()) => event(Outcome::CodeMailed, account),
        Err(()) => event(Outcome::MailFailed, account),
    }
}

/// The temporary-password request, off the request path: find the person,
/// check the account's limits, store a fresh temporary password and mail
/// it with a link to `/change`. Audited under `send_temporary`.
pub async fn issue_temporary(gateway: Gateway, journey: Journey, typed: String) {
    let event =
        |outcome, who: Who<'_>| gateway.event(&journey, AuditStep::SendTemporary, outcome, who);
    let now = gateway.now();
    let (person, to) = match target_for(&gateway, &typed, now).await {
        Ok(target) => target,
        Err((reason, account)) => return event(reason, Who::from(account.as_deref())),
    };
    let account = Who::Person(&person);
    let flows = &gateway.settings().flows;
    let directory_policy = match gateway.directory().policy(&person).await {
        Ok(policy) => policy,
        Err(error) => {
            tracing::warn!(%error, "reading a password policy failed");
            return event(Outcome::DirectoryError, account);
        }
    };
    let password = temporary_password::generate_for(
        &gateway.site_policy().effective(&directory_policy),
        &gateway.settings().policy.effective(&directory_policy),
        flows.temporary_length,
        &crate::policy::PersonContext::of(&person),
    );
    let expires = now + seconds(flows.temporary_validity_seconds);
    // Composed and checked before anything is written: a temporary
    // password that cannot be mailed never replaces anything.
    let mail = OutgoingMail::new(
        to,
        journey.visitor.lang,
        MailKind::TemporaryPassword {
            login: mail_login(&gateway, &person, &typed),
            password: password.clone(),
            valid_for: Duration::from_secs(flows.temporary_validity_seconds),
            change_url: Link::Start(FlowName::Change).url(&gateway.settings().public_url),
        },
    )
    .with_name(person.display_name.clone());
    let Ok(prepared) = gateway.mailer().prepare(mail) else {
        return event(Outcome::MailFailed, account);
    };
    let stored = if flows.temporary_in_user_password {
        // The site's choice: other portals accept the temporary password,
        // and it replaces the current one at once (docs/email-flows.md).
        write_temporary(&gateway, &person, &password, expires).await
    } else {
        // By default the current password keeps working until the person
        // uses the temporary one: held as a keyed hash, proved at /change.
        let hash = gateway.code_key().hash_temporary(&person.dn, &password);
        let held = Change::HoldTemporary {
            hash,
            expiry: expires,
        };
        store_if_open(&gateway, &person, vec![held])
            .await
            .map_err(|error| error.to_string())
    };
    match stored {
        Ok(Ok(())) => {}
        // The account stopped between the claim and the store.
        Ok(Err(stopped)) => return event(super::stopped_outcome(stopped), account),
        Err(error) => {
            tracing::warn!(%error, "storing a temporary password failed");
            return event(Outcome::WriteRefused, account);
        }
    }
    match send_watched(&gateway, &journey, account, prepared) {
        Ok(()) => event(Outcome::TemporaryPasswordMailed, account),
        Err(()) => event(Outcome::MailFailed, account),
    }
}

/// Stores `changes` while the account may use self-service (checked on
/// the entry as it is at the moment of storing): `Err` with why when it
/// may not.
async fn store_if_open(
    gateway: &Gateway,
    person: &Person,
    changes: Vec<Change>,
) -> Result<Result<(), Stopped>, crate::ports::DirectoryError> {
    let policy = gateway.directory().policy(person).await?;
    gateway.store_if_open(person, &policy, changes).await
}

/// Writes a temporary password into `userPassword` (with `pwdReset`), on
/// the entry as it is now, while the account may use self-service: `Err`
/// with why when it may not, and nothing was written.
async fn write_temporary(
    gateway: &Gateway,
    person: &Person,
    password: &SecretString,
    expires: DateTime<Utc>,
) -> Result<Result<(), Stopped>, String> {
    let password = passerelle_text::normalize_password(password);
    let write = PasswordWrite {
        password: &password,
        kind: WriteKind::Temporary { expires },
        change_id: crate::writing::random_change_id(),
        also: crate::writing::made_obsolete(WriteKind::Temporary { expires }),
        old_password: None,
    };
    let now = gateway.now();
    let why = std::sync::Mutex::new(None);
    let open = |fresh: &Person, policy: &crate::ppolicy::DirectoryPolicy| {
        let standing = crate::standing::standing(fresh, policy, now);
        if let (Err(stopped), Ok(mut why)) = (standing, why.lock()) {
            *why = Some(stopped);
        }
        Ok(standing.is_ok())
    };
    let written = crate::state::write_unconditionally(gateway, person, &write, open)
        .await
        .map_err(|error| error.to_string())?;
    let why = why.into_inner().ok().flatten();
    Ok(match (written, why) {
        (true, _) => Ok(()),
        (false, Some(stopped)) => Err(stopped),
        // The guard refuses only a stopped account.
        (false, None) => Err(Stopped::ItLock),
    })
}

/// The login a mail gives, as `flows.mail_login` says: the login attribute,
/// or what the person typed (an address or identifier of theirs, which
/// matched them). Either is one `/change` and `/account` accept.
pub fn mail_login(gateway: &Gateway, person: &Person, typed: &str) -> String {
    match gateway.settings().flows.mail_login {
        MailLogin::Login => person.login.clone(),
        MailLogin::AsTyped => passerelle_text::safe_text::single_line(
            typed,
            passerelle_text::safe_text::MAX_LOGIN_CHARS,
        ),
    }
}

/// The `identifier` flow's mail: the login, to the first recovery address,
/// once per cooldown per account. Audited under `identity`.
pub async fn send_login(gateway: &Gateway, journey: &Journey, person: &Person) {
    let account = Who::Person(person);
    let event = |outcome| gateway.event(journey, AuditStep::Identity, outcome, account);
    let Some(to) = person.recovery_mails.first() else {
        return event(Outcome::NoRecoveryAddress);
    };
    if let Err(reason) = claim(gateway, person, gateway.now()).await {
        return event(reason);
    }
    let mail = OutgoingMail::new(
        to.clone(),
        journey.visitor.lang,
        MailKind::IdentifierReminder {
            login: person.login.clone(),
        },
    )
    .with_name(person.display_name.clone());
    send_audited(gateway, journey, account, mail);
    event(Outcome::LoginMailed);
}

/// Queues the "your password changed" mail to the recovery address, and to
/// the institutional one when the entry has one, with the change's
/// « Ce n'était pas moi » link when there is one ([`super::not_me`]).
/// Returns whether any mail was queued.
pub fn confirm_change(
    gateway: &Gateway,
    journey: &Journey,
    person: &Person,
    not_me_url: Option<String>,
) -> bool {
    let mut recipients: Vec<&str> = person
        .recovery_mails
        .iter()
        .take(1)
        .map(String::as_str)
        .collect();
    if let Some(institutional) = person.institutional_mail.as_deref() {
        if !recipients
            .iter()
            .any(|r| r.eq_ignore_ascii_case(institutional))
        {
            recipients.push(institutional);
        }
    }
    if recipients.is_empty() {
        tracing::warn!(account = %person.login, "no address to confirm a password change to");
        return false;
    }
    let settings = gateway.settings();
    for to in recipients {
        let kind = MailKind::PasswordChanged {
            login: person.login.clone(),
            when: gateway.now().fixed_offset(),
            from_address: journey.visitor.address,
            services: settings.site.services.clone(),
            not_me_url: not_me_url.clone(),
            not_me_days: settings.flows.not_me_days,
        };
        send_audited(
            gateway,
            journey,
            Who::Person(person),
            OutgoingMail::new(to, journey.visitor.lang, kind)
                .with_name(person.display_name.clone()),
        );
    }
    true
}

/// Queues `mail` with its delivery troubles audited under the step `mail`
/// of `journey`: `mail_deferred` at each failed attempt that will be
/// retried, `mail_sent_after_retry`, `mail_given_up`. A mail that leaves
/// at once adds nothing (the flow already audited it as queued).
fn send_watched(
    gateway: &Gateway,
    journey: &Journey,
    account: Who<'_>,
    mail: PreparedMail,
) -> Result<(), ()> {
    // The mail outlives the request: the account is kept as owned values.
    let (login, dn) = match account {
        Who::Nobody => (None, None),
        Who::Login(login) => (Some(login.to_owned()), None),
        Who::Dn(dn) => (None, Some(dn.to_owned())),
        Who::Person(person) => (Some(person.login.clone()), Some(person.dn.clone())),
    };
    let (watcher, journey) = (gateway.clone(), journey.clone());
    let watch = Box::new(move |progress: MailProgress| {
        let outcome = match progress {
            MailProgress::Deferred { .. } => Outcome::MailDeferred,
            MailProgress::SentAfterRetry { .. } => Outcome::MailSentAfterRetry,
            MailProgress::GivenUp { .. } => Outcome::MailGivenUp,
        };
        let who = match (&login, &dn) {
            (Some(login), _) => Who::Login(login),
            (None, Some(dn)) => Who::Dn(dn),
            (None, None) => Who::Nobody,
        };
        watcher.event(&journey, AuditStep::Mail, outcome, who);
    });
    gateway.mailer().send(mail, Some(watch)).map_err(|_| ())
}

/// Prepares `mail` and queues it audited; nothing depends on it, so a mail
/// that cannot be composed or queued is only logged (and audited
/// `mail_failed`).
fn send_audited(gateway: &Gateway, journey: &Journey, account: Who<'_>, mail: OutgoingMail) {
    let sent = gateway
        .mailer()
        .prepare(mail)
        .map_err(|_| ())
        .and_then(|prepared| send_watched(gateway, journey, account, prepared));
    if sent.is_err() {
        gateway.event(journey, AuditStep::Mail, Outcome::MailFailed, account);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_recipient_is_the_address_typed_when_it_is_one_of_the_person_s() {
        let mut person = crate::standing::tests::person();
        person.recovery_mails = vec!["a@example.org".into(), "b@example.org".into()];
        assert_eq!(
            recipient(&person, " B@Example.org ").as_deref(),
            Some("b@example.org")
        );
        assert_eq!(
            recipient(&person, "jdupont").as_deref(),
            Some("a@example.org")
        );
        person.recovery_mails.clear();
        assert_eq!(recipient(&person, "jdupont"), None);
    }
}
