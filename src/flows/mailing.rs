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
use crate::directory::{DirectoryError, LockState, Person, WriteKind};
use crate::mail::{MailKind, OutgoingMail};
use crate::reset_code::ResetCode;
use crate::temporary_password;
use chrono::{DateTime, Utc};
use secrecy::SecretString;
use std::time::Duration;

/// The person an e-mail flow's input names: a recovery address first, then
/// any configured identifier. Two entries sharing the value are nobody (the
/// directory module logs them).
pub async fn find_claimed(
    gateway: &Gateway,
    typed: &str,
) -> Result<Option<Person>, DirectoryError> {
    match gateway.directory.find_by_mail(typed).await {
        Ok(Some(person)) => return Ok(Some(person)),
        Ok(None) | Err(DirectoryError::Ambiguous) => {}
        Err(error) => return Err(error),
    }
    match gateway.directory.find_person_by_input(typed).await {
        Err(DirectoryError::Ambiguous) => Ok(None),
        other => other,
    }
}

/// Why a requested mail was not sent: the audit reason.
pub type NotSent = &'static str;

/// Whether `person` may be mailed now, and where to: the limits every mail
/// a visitor asks for obeys (lock, IT's lock, per-person cooldown, a
/// recovery address). `typed` chooses the recovery address when it is one
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
    if person.administratively_locked {
        // A write would lift a lock IT put on the account: never by mail.
        return Err("account_locked_by_directory");
    }
    if in_cooldown(gateway, person, now) {
        return Err("cooldown");
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

/// Whether a code or temporary password was sent to this entry less than
/// `flows.code_resend_seconds` ago.
pub fn in_cooldown(gateway: &Gateway, person: &Person, now: DateTime<Utc>) -> bool {
    let flows = &gateway.settings.flows;
    let cooldown = seconds(flows.code_resend_seconds);
    let code_sent = person.state.code_sent;
    let temporary_sent = person
        .state
        .temp_password_expiry
        .map(|expiry| expiry - seconds(flows.temporary_validity_seconds));
    // A sent time in the future (a replica's clock far ahead, a value
    // typed by hand) must not block the account for ever: beyond a few
    // seconds of skew it is ignored.
    [code_sent, temporary_sent]
        .into_iter()
        .flatten()
        .any(|sent| now < sent + cooldown && sent <= now + chrono::Duration::seconds(5))
}

/// The person for `typed` and where to mail them, or the audit reason why
/// not (and the account when known).
async fn target_for(
    gateway: &Gateway,
    typed: &str,
    now: DateTime<Utc>,
) -> Result<(Person, String), (NotSent, Option<String>)> {
    let person = match find_claimed(gateway, typed).await {
        Ok(Some(person)) => person,
        Ok(None) => return Err(("unknown_address", None)),
        Err(error) => {
            tracing::warn!(%error, "looking up an address for an e-mail flow failed");
            return Err(("directory_error", None));
        }
    };
    match mail_target(gateway, &person, typed, now) {
        Ok(to) => Ok((person, to)),
        Err(reason) => Err((reason, Some(person.login.clone()))),
    }
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
    let event = |outcome: &str, account: Option<&str>| trail.event("send_code", outcome, account);
    let now = Utc::now();
    let (person, to) = match target_for(&gateway, &typed, now).await {
        Ok(target) => target,
        Err((reason, account)) => return event(reason, account.as_deref()),
    };
    let account = Some(person.login.as_str());
    let flows = &gateway.settings.flows;
    let code = ResetCode::generate();
    let expires = now + seconds(flows.code_validity_seconds);
    let hash = gateway.code_key.hash(&person.dn, &code);
    if let Err(error) = gateway
        .directory
        .set_code(&person, &hash, expires, flows.code_tries.max(1), now)
        .await
    {
        tracing::warn!(%error, "storing a code failed");
        return event("directory_error", account);
    }
    let token = gateway.code_key.seal_link(&person.dn, &code, expires);
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
    gateway.mailer.send(mail);
    event("code_mailed", account);
}

/// The temporary-password request, off the request path: find the person,
/// check the account's limits, write a fresh temporary password and mail
/// it with a link to `/change`. Audited under `send_temporary`.
pub async fn issue_temporary(gateway: Gateway, trail: Trail, typed: String) {
    let event =
        |outcome: &str, account: Option<&str>| trail.event("send_temporary", outcome, account);
    let now = Utc::now();
    let (person, to) = match target_for(&gateway, &typed, now).await {
        Ok(target) => target,
        Err((reason, account)) => return event(reason, account.as_deref()),
    };
    let account = Some(person.login.as_str());
    let flows = &gateway.settings.flows;
    let password = temporary_password::generate_for(
        &gateway.policy,
        &gateway.settings.policy,
        flows.temporary_length,
        &super::new_password::person_context(&person),
    );
    let expires = now + seconds(flows.temporary_validity_seconds);
    if let Err(error) = gateway
        .directory
        .write_password(&person, &password, WriteKind::Temporary { expires })
        .await
    {
        tracing::warn!(%error, "writing a temporary password failed");
        return event("write_refused", account);
    }
    let mail = OutgoingMail::new(
        to,
        trail.visitor.lang,
        MailKind::TemporaryPassword {
            login: person.login.clone(),
            password,
            valid_for: Duration::from_secs(flows.temporary_validity_seconds),
            change_url: public_url(&gateway, "/change"),
        },
    )
    .with_name(person.display_name.clone());
    gateway.mailer.send(mail);
    event("temporary_password_mailed", account);
}

/// The `identifier` flow's mail: the login, to the first recovery address.
/// Audited under `identity`.
pub fn send_login(gateway: &Gateway, trail: &Trail, person: &Person) {
    let account = Some(person.login.as_str());
    let Some(to) = person.recovery_mails.first() else {
        return trail.event("identity", "no_recovery_address", account);
    };
    let mail = OutgoingMail::new(
        to.clone(),
        trail.visitor.lang,
        MailKind::IdentifierReminder {
            login: person.login.clone(),
        },
    )
    .with_name(person.display_name.clone());
    gateway.mailer.send(mail);
    trail.event("identity", "login_mailed", account);
}

/// Queues the "your password changed" mail to the recovery address, and to
/// the institutional one when the entry has one.
pub fn confirm_change(gateway: &Gateway, trail: &Trail, person: &Person) {
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
            when: chrono::Local::now().fixed_offset(),
            from_address: trail.visitor.address,
            services: gateway.settings.site.services.clone(),
        };
        gateway.mailer.send(
            OutgoingMail::new(to, trail.visitor.lang, kind)
                .with_name(person.display_name.clone()),
        );
    }
}
