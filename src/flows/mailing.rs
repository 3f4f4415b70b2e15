//! Every mail a visitor can make the gateway send: the 6-digit code
//! (`code`), the temporary password (`temporary`), the login reminder
//! (`identifier`), and the "your password was changed" confirmation that
//! follows every write.
//!
//! The mails a visitor asks for are decided off the request path (the page
//! says the same whoever the address belongs to, if anybody), and each is
//! limited per person: an account that was mailed less than
//! `flows.code_resend_seconds` ago gets nothing more, whatever the address
//! or replica asking. A locked account, an account IT locked and an
//! account without a recovery address get nothing either; nothing is
//! written for a code or temporary password that cannot be mailed.

use super::{seconds, Gateway, Trail};
use crate::directory::{LockState, MailClaim, Person, WriteKind};
use crate::flows::Who;
use crate::mail::{MailKind, MailProgress, OutgoingMail, PreparedMail};
use crate::reset_code::ResetCode;
use crate::temporary_password;
use chrono::{DateTime, Utc};
use secrecy::SecretString;
use std::time::Duration;

/// Why a requested mail was not sent: the audit reason.
pub type NotSent = &'static str;

/// Where `person` may be mailed, unless self-service is locked: the sync
/// half of the limits every mail a visitor asks for obeys ([`claim`] adds
/// IT's lock and the per-person cooldown). `typed` chooses the recovery address when it is one
/// of the person's.
pub fn mail_target(
    gateway: &Gateway,
    person: &Person,
    typed: &str,
    now: DateTime<Utc>,
) -> Result<String, NotSent> {
    if let LockState::Locked { .. } =
        gateway
            .directory
            .lock_state(person, &gateway.settings.lockout, now)
    {
        return Err("locked");
    }
    // Without an address to send to, a new code or password would only
    // lock the person out: nothing is written.
    recipient(person, typed).ok_or("no_recovery_address")
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
/// and IT's lock: a lock only an administrator may lift stops every mail
/// (a write would lift it); otherwise one mail per
/// `flows.code_resend_seconds` per account, claimed on the entry so that
/// replicas share it (exactly one of two racing requests gets it).
pub async fn claim(gateway: &Gateway, person: &Person, now: DateTime<Utc>) -> Result<(), NotSent> {
    match gateway.directory.self_service_stopped(person).await {
        Ok(false) => {}
        Ok(true) => return Err("account_locked_by_directory"),
        Err(error) => {
            tracing::warn!(%error, "reading a password policy for a mail failed");
            return Err("directory_error");
        }
    }
    let cooldown = Duration::from_secs(gateway.settings.flows.code_resend_seconds);
    match gateway.directory.claim_mail(person, cooldown, now).await {
        Ok(MailClaim::Granted) => Ok(()),
        Ok(MailClaim::TooSoon { .. }) => Err("cooldown"),
        Err(error) => {
            tracing::warn!(%error, "claiming a mail slot failed");
            Err("directory_error")
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
    let person = match super::find_named(gateway, typed, super::LookUp::MailFirst).await {
        Ok(Some(person)) => person,
        Ok(None) => return Err(("unknown_address", None)),
        Err(error) => {
            tracing::warn!(%error, "looking up an address for an e-mail flow failed");
            return Err(("directory_error", None));
        }
    };
    let to = mail_target(gateway, &person, typed, now)
        .map_err(|reason| (reason, Some(person.login.clone())))?;
    claim(gateway, &person, now)
        .await
        .map_err(|reason| (reason, Some(person.login.clone())))?;
    Ok((person, to))
}

/// The public address of `path` (links in mails never come from a Host
/// header).
pub fn public_url(gateway: &Gateway, path: &str) -> String {
    format!(
        "{}{path}",
        gateway.settings.server.public_url.trim_end_matches('/')
    )
}

/// The code step's mail, off the request path: find the person, check the
/// account's limits, store a new code (voiding the previous one) and mail
/// it with its link. Audited under `send_code`.
pub async fn issue_code(gateway: Gateway, trail: Trail, typed: String) {
    let event = |outcome: &str, who: Who<'_>| trail.event("send_code", outcome, who);
    let now = Utc::now();
    let (person, to) = match target_for(&gateway, &typed, now).await {
        Ok(target) => target,
        Err((reason, account)) => return event(reason, account.as_deref().into()),
    };
    let account = Who::Person(&person);
    let flows = &gateway.settings.flows;
    let code = ResetCode::generate();
    let expires = now + seconds(flows.code_validity_seconds);
    let hash = gateway.code_key.hash(&person.dn, &code);
    let token = gateway.code_key.seal_link(&person.dn, &code, expires);
    // Composed and checked before anything is stored: a code that cannot
    // be mailed is never written.
    let mail = OutgoingMail::new(
        to,
        trail.visitor.lang,
        MailKind::ResetCode {
            code: code.secret().clone(),
            valid_for: Duration::from_secs(flows.code_validity_seconds),
            link: SecretString::from(public_url(&gateway, &format!("/code/link/{token}"))),
        },
    )
    .with_name(person.display_name.clone());
    let Ok(prepared) = gateway.mailer.prepare(mail) else {
        return event("mail_failed", account);
    };
    if let Err(error) = gateway
        .directory
        .set_code(&person, &hash, expires, flows.code_tries.max(1), now)
        .await
    {
        tracing::warn!(%error, "storing a code failed");
        return event("directory_error", account);
    }
    match gateway
        .mailer
        .send_prepared(audited(prepared, &trail, account))
    {
        Ok(_) => event("code_mailed", account),
        Err(_) => event("mail_failed", account),
    }
}

/// The temporary-password request, off the request path: find the person,
/// check the account's limits, write a fresh temporary password and mail
/// it with a link to `/change`. Audited under `send_temporary`.
pub async fn issue_temporary(gateway: Gateway, trail: Trail, typed: String) {
    let event = |outcome: &str, who: Who<'_>| trail.event("send_temporary", outcome, who);
    let now = Utc::now();
    let (person, to) = match target_for(&gateway, &typed, now).await {
        Ok(target) => target,
        Err((reason, account)) => return event(reason, account.as_deref().into()),
    };
    let account = Who::Person(&person);
    let flows = &gateway.settings.flows;
    let directory_policy = match gateway.directory.effective_policy(&person).await {
        Ok(policy) => policy,
        Err(error) => {
            tracing::warn!(%error, "reading a password policy failed");
            return event("directory_error", account);
        }
    };
    let password = temporary_password::generate_for(
        &gateway.policy.effective(&directory_policy),
        &gateway.settings.policy.effective(&directory_policy),
        flows.temporary_length,
        &super::new_password::person_context(&person),
    );
    let expires = now + seconds(flows.temporary_validity_seconds);
    // Composed and checked before anything is written: a temporary
    // password that cannot be mailed never replaces anything.
    let mail = OutgoingMail::new(
        to,
        trail.visitor.lang,
        MailKind::TemporaryPassword {
            login: mail_login(&gateway, &person, &typed),
            password: password.clone(),
            valid_for: Duration::from_secs(flows.temporary_validity_seconds),
            change_url: public_url(&gateway, "/change"),
        },
    )
    .with_name(person.display_name.clone());
    let Ok(prepared) = gateway.mailer.prepare(mail) else {
        return event("mail_failed", account);
    };
    let stored = if flows.temporary_in_user_password {
        // The site's choice: other portals accept the temporary password,
        // and it replaces the current one at once (docs/email-flows.md).
        gateway
            .directory
            .write_password(&person, &password, WriteKind::Temporary { expires })
            .await
            .map_err(|error| error.to_string())
    } else {
        // By default the current password keeps working until the person
        // uses the temporary one: held as a keyed hash, proved at /change.
        let hash = gateway.code_key.hash_temporary(&person.dn, &password);
        gateway
            .directory
            .set_pending_temporary(&person, &hash, expires)
            .await
            .map_err(|error| error.to_string())
    };
    if let Err(error) = stored {
        tracing::warn!(%error, "storing a temporary password failed");
        return event("write_refused", account);
    }
    match gateway
        .mailer
        .send_prepared(audited(prepared, &trail, account))
    {
        Ok(_) => event("temporary_password_mailed", account),
        Err(_) => event("mail_failed", account),
    }
}

/// The login a mail gives, as `flows.mail_login` says: the login attribute,
/// or what the person typed (an address or identifier of theirs, which
/// matched them). Either is one `/change` and `/account` accept.
pub fn mail_login(gateway: &Gateway, person: &Person, typed: &str) -> String {
    match gateway.settings.flows.mail_login {
        crate::config::MailLogin::Login => person.login.clone(),
        crate::config::MailLogin::AsTyped => {
            crate::safe_text::single_line(typed, crate::safe_text::MAX_LOGIN_CHARS)
        }
    }
}

/// The `identifier` flow's mail: the login, to the first recovery address,
/// once per cooldown per account. Audited under `identity`.
pub async fn send_login(gateway: &Gateway, trail: &Trail, person: &Person) {
    let account = Who::Person(person);
    let Some(to) = person.recovery_mails.first() else {
        return trail.event("identity", "no_recovery_address", account);
    };
    if let Err(reason) = claim(gateway, person, Utc::now()).await {
        return trail.event("identity", reason, account);
    }
    let mail = OutgoingMail::new(
        to.clone(),
        trail.visitor.lang,
        MailKind::IdentifierReminder {
            login: person.login.clone(),
        },
    )
    .with_name(person.display_name.clone());
    send_audited(gateway, trail, account, mail);
    trail.event("identity", "login_mailed", account);
}

/// Queues the "your password changed" mail to the recovery address, and to
/// the institutional one when the entry has one, with the change's
/// « Ce n'était pas moi » link when there is one ([`super::not_me`]).
pub fn confirm_change(
    gateway: &Gateway,
    trail: &Trail,
    person: &Person,
    not_me_url: Option<String>,
) {
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
    }
    for to in recipients {
        let kind = MailKind::PasswordChanged {
            login: person.login.clone(),
            when: Utc::now().fixed_offset(),
            from_address: trail.visitor.address,
            services: gateway.settings.site.services.clone(),
            not_me_url: not_me_url.clone(),
            not_me_days: gateway.settings.flows.not_me_days,
        };
        send_audited(
            gateway,
            trail,
            Who::Person(person),
            OutgoingMail::new(to, trail.visitor.lang, kind).with_name(person.display_name.clone()),
        );
    }
}

/// `mail` with its delivery troubles audited under the step `mail` of
/// `trail`: `mail_deferred` at each failed attempt that will be retried,
/// `mail_sent_after_retry`, `mail_given_up`. A mail that leaves at once
/// adds nothing (the flow already audited it as queued).
fn audited(mail: PreparedMail, trail: &Trail, account: Who<'_>) -> PreparedMail {
    let trail = trail.clone();
    // The mail outlives the request: the account is kept as owned values.
    let (login, dn) = match account {
        Who::Nobody => (None, None),
        Who::Login(login) => (Some(login.to_owned()), None),
        Who::Dn(dn) => (None, Some(dn.to_owned())),
        Who::Person(person) => (Some(person.login.clone()), Some(person.dn.clone())),
    };
    mail.watched(move |progress| {
        let outcome = match progress {
            MailProgress::Deferred { .. } => "mail_deferred",
            MailProgress::SentAfterRetry { .. } => "mail_sent_after_retry",
            MailProgress::GivenUp { .. } => "mail_given_up",
        };
        let who = match (&login, &dn) {
            (Some(login), _) => Who::Login(login),
            (None, Some(dn)) => Who::Dn(dn),
            (None, None) => Who::Nobody,
        };
        trail.event("mail", outcome, who);
    })
}

/// Prepares `mail` and queues it audited ([`audited`]); nothing depends on
/// it, so a mail that cannot be composed or queued is only logged (and
/// audited `mail_failed`).
fn send_audited(gateway: &Gateway, trail: &Trail, account: Who<'_>, mail: OutgoingMail) {
    let sent = gateway.mailer.prepare(mail).and_then(|prepared| {
        gateway
            .mailer
            .send_prepared(audited(prepared, trail, account))
    });
    if sent.is_err() {
        trail.event("mail", "mail_failed", account);
    }
}
