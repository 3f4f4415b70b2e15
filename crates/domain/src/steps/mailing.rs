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
//!
//! A mail the page answers for is on disk before the page answers: the
//! identifier reminder and the confirmations are accepted by the mailer
//! before the step returns; the code and the temporary password, decided
//! off the request path, are *promised* first ([`promise`], the same
//! record for everyone), *held* once composed and before the entry stores
//! what they carry, and *released* once it did. A gateway killed at any
//! point sends, once restarted, exactly one mail carrying something that
//! works ([`recover`]): a promise is done again; a held mail is released
//! when the entry holds its code or password, done again when nothing was
//! claimed on the entry since it was made, and withdrawn when a newer mail
//! superseded it.

use crate::audit::{AuditStep, Outcome, Visitor, Who};
use crate::cooldown::MailClaim;
use crate::flow::{FlowName, Link};
use crate::gateway::{seconds, Gateway, Journey, LookUp, Writer};
use crate::lockout::{lock_state, LockState};
use crate::mail::{
    HeldMail, LeftOver, MailKind, MailProgress, MailPromise, MailWatch, OutgoingMail, PreparedMail,
};
use crate::person::Person;
use crate::ports::{Change, PasswordWrite, WriteKind};
use crate::reset_code::ResetCode;
use crate::settings::MailLogin;
use crate::standing::Stopped;
use crate::state::ClaimAndStore;
use crate::temporary_password;
use chrono::{DateTime, Utc};
use passerelle_text::Lang;
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use std::net::IpAddr;
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
/// not (and the account when known). Nothing is claimed: the caller claims
/// in the modify that stores what the mail carries
/// ([`Gateway::claim_mail_and_store`]).
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

/// Who asked, as a spool note keeps it: a [`Journey`] without its proof.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct JourneyNote {
    flow: FlowName,
    id: String,
    address: IpAddr,
    /// The client's network as the per-address limits counted it; a note
    /// written before it was kept counts the address's /64.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    network: Option<ipnet::IpNet>,
    user_agent: String,
    lang: Lang,
    /// The API client that asked, when one did (the audit's `api_client`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    api_client: Option<String>,
}

impl JourneyNote {
    fn of(journey: &Journey) -> JourneyNote {
        JourneyNote {
            flow: journey.flow,
            id: journey.id.clone(),
            address: journey.visitor.address,
            network: Some(journey.visitor.network),
            user_agent: journey.visitor.user_agent.clone(),
            lang: journey.visitor.lang,
            api_client: journey.visitor.api_client.clone(),
        }
    }

    fn journey(&self) -> Journey {
        Journey {
            flow: self.flow,
            id: self.id.clone(),
            visitor: Visitor {
                address: self.address,
                network: self.network.unwrap_or_else(|| {
                    crate::audit::client_network(self.address, crate::audit::DEFAULT_IPV6_PREFIX)
                }),
                user_agent: self.user_agent.clone(),
                lang: self.lang,
                api_client: self.api_client.clone(),
            },
            proof: None,
        }
    }
}

/// The off-path work a page answered for: issue a code, or a temporary
/// password, for what the visitor typed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Errand {
    Code { typed: String },
    Temporary { typed: String },
}

/// A promise's note: the work, and for whom.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct PromiseNote {
    journey: JourneyNote,
    errand: Errand,
}

/// What a held mail carries, as the entry stores it once the mail may
/// leave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
enum Carries {
    /// A code: its keyed hash (`passerelleCodeHash`).
    Code { hash: String },
    /// A temporary password held as its keyed hash.
    HeldTemporary { hash: String },
    /// A temporary password written into `userPassword`, known by the
    /// expiry written with it (Unix seconds).
    WrittenTemporary { expiry: i64 },
}

/// A held mail's note: the promise it fulfils, whose entry, since when
/// (Unix seconds, rounded down), and what the entry holds once the mail
/// may leave.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct HeldNote {
    journey: JourneyNote,
    errand: Errand,
    dn: String,
    login: String,
    made_at: i64,
    carries: Carries,
}

/// The note of a mail on its way: whose delivery troubles to audit.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct WatchNote {
    journey: JourneyNote,
    login: Option<String>,
    dn: Option<String>,
}

fn note_of<T: Serialize>(note: &T) -> Vec<u8> {
    // Strings, numbers and enums: serialising cannot fail.
    serde_json::to_vec(note).unwrap_or_default()
}

/// Records on disk, before the page answers, the off-path work it answers
/// for (the same record, in the same time, whoever `typed` names), then
/// starts it. Errors: the spool or the queue refused the record: nothing
/// was started, and the page must not say that anything was sent.
pub async fn promise(
    gateway: &Gateway,
    journey: &Journey,
    errand: Errand,
) -> Result<(), crate::mail::MailFailure> {
    let note = PromiseNote {
        journey: JourneyNote::of(journey),
        errand: errand.clone(),
    };
    let promise = gateway.mailer().promise(note_of(&note)).await?;
    tokio::spawn(run(gateway.clone(), journey.clone(), errand, promise));
    Ok(())
}

/// Does `errand` for `journey`, fulfilling or withdrawing `promise`.
async fn run(gateway: Gateway, journey: Journey, errand: Errand, promise: MailPromise) {
    match errand {
        Errand::Code { typed } => issue_code(gateway, journey, typed, promise).await,
        Errand::Temporary { typed } => issue_temporary(gateway, journey, typed, promise).await,
    }
}

/// Ends `promise` with nothing to send, after its audit event (a crash in
/// between repeats the event rather than lose it).
async fn nothing_to_send(gateway: &Gateway, promise: MailPromise) {
    gateway.mailer().withdraw_promise(promise).await;
}

/// The code step's mail, off the request path: find the person, check the
/// account's limits, store a new code (voiding the previous one) and mail
/// it with its link. Audited under `send_code`. The mail is held on disk
/// before the code is stored and released after: a crash in between ends
/// in the mail sent or in the work done again ([`recover`]).
async fn issue_code(gateway: Gateway, journey: Journey, typed: String, promise: MailPromise) {
    let event = |outcome, who: Who<'_>| gateway.event(&journey, AuditStep::SendCode, outcome, who);
    let now = gateway.now();
    let (person, to) = match unclaimed_target_for(&gateway, &typed, now).await {
        Ok(target) => target,
        Err((reason, account)) => {
            event(reason, Who::from(account.as_deref()));
            return nothing_to_send(&gateway, promise).await;
        }
    };
    let account = Who::Person(&person);
    let flows = &gateway.settings().flows;
    let cooldown = Duration::from_secs(flows.code_resend_seconds);
    // Within the cooldown as read now: nothing to compose (the modify that
    // stores the code checks it again on the entry as it is then).
    if let (_, MailClaim::TooSoon { .. }) =
        crate::cooldown::plan_claim(&person.state, cooldown, now)
    {
        event(Outcome::Cooldown, account);
        return nothing_to_send(&gateway, promise).await;
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
        event(Outcome::MailFailed, account);
        return nothing_to_send(&gateway, promise).await;
    };
    let carries = Carries::Code { hash: hash.clone() };
    let errand = Errand::Code {
        typed: typed.clone(),
    };
    let Some(held) = hold(
        &gateway, &journey, errand, &person, promise, prepared, carries,
    )
    .await
    else {
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
    let refused = match stored {
        Ok(ClaimAndStore::Stored) => None,
        Ok(ClaimAndStore::TooSoon) => Some(Outcome::Cooldown),
        Ok(ClaimAndStore::Stopped(stopped)) => Some(super::stopped_outcome(stopped)),
        Err(error) => {
            tracing::warn!(%error, "storing a code failed");
            Some(Outcome::DirectoryError)
        }
    };
    if let Some(outcome) = refused {
        event(outcome, account);
        return gateway.mailer().withdraw_held(held).await;
    }
    release_watched(&gateway, &journey, account, held);
    event(Outcome::CodeMailed, account);
}

/// Replaces `promise` by `mail`, held for the entry of `person` until it
/// stores what `carries` says. `None` (logged by the mailer) when the
/// spool refused it: the promise is withdrawn and nothing is stored.
async fn hold(
    gateway: &Gateway,
    journey: &Journey,
    errand: Errand,
    person: &Person,
    promise: MailPromise,
    mail: PreparedMail,
    carries: Carries,
) -> Option<HeldMail> {
    let note = HeldNote {
        journey: JourneyNote::of(journey),
        errand,
        dn: person.dn.clone(),
        login: person.login.clone(),
        made_at: gateway.now().timestamp(),
        carries,
    };
    gateway
        .mailer()
        .hold(promise, mail, note_of(&note))
        .await
        .ok()
}

/// The temporary-password request, off the request path: find the person,
/// check the account's limits, store a fresh temporary password and mail
/// it with a link to `/change`. Audited under `send_temporary`. Held and
/// released around the store like the code ([`issue_code`]).
async fn issue_temporary(gateway: Gateway, journey: Journey, typed: String, promise: MailPromise) {
    let event =
        |outcome, who: Who<'_>| gateway.event(&journey, AuditStep::SendTemporary, outcome, who);
    let now = gateway.now();
    let (person, to) = match unclaimed_target_for(&gateway, &typed, now).await {
        Ok(target) => target,
        Err((reason, account)) => {
            event(reason, Who::from(account.as_deref()));
            return nothing_to_send(&gateway, promise).await;
        }
    };
    let account = Who::Person(&person);
    let flows = &gateway.settings().flows;
    let directory_policy = match gateway.directory().policy(&person).await {
        Ok(policy) => policy,
        Err(error) => {
            tracing::warn!(%error, "reading a password policy failed");
            event(Outcome::DirectoryError, account);
            return nothing_to_send(&gateway, promise).await;
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
        event(Outcome::MailFailed, account);
        return nothing_to_send(&gateway, promise).await;
    };
    let hash = gateway.code_key().hash_temporary(&person.dn, &password);
    let carries = if flows.temporary_in_user_password {
        Carries::WrittenTemporary {
            expiry: expires.timestamp(),
        }
    } else {
        Carries::HeldTemporary { hash: hash.clone() }
    };
    let errand = Errand::Temporary {
        typed: typed.clone(),
    };
    let Some(held) = hold(
        &gateway, &journey, errand, &person, promise, prepared, carries,
    )
    .await
    else {
        return event(Outcome::MailFailed, account);
    };
    let refused = if flows.temporary_in_user_password {
        // The site's choice: other portals accept the temporary password,
        // and it replaces the current one at once (docs/email-flows.md).
        // A password write cannot carry the claim: claimed first.
        match claim(&gateway, &person, now).await {
            Err(reason) => Some(reason),
            Ok(()) => match write_temporary(&gateway, &person, &password, expires, Writer::Gateway)
                .await
            {
                Ok(Ok(())) => None,
                // The account stopped between the claim and the write.
                Ok(Err(stopped)) => Some(super::stopped_outcome(stopped)),
                Err(error) => {
                    tracing::warn!(%error, "storing a temporary password failed");
                    Some(Outcome::WriteRefused)
                }
            },
        }
    } else {
        // By default the current password keeps working until the person
        // uses the temporary one: held as a keyed hash, proved at /change,
        // claimed and stored in one modify like a code.
        let held_change = Change::HoldTemporary {
            hash,
            expiry: expires,
        };
        let cooldown = Duration::from_secs(flows.code_resend_seconds);
        match gateway
            .claim_mail_and_store(&person, &directory_policy, cooldown, vec![held_change])
            .await
        {
            Ok(ClaimAndStore::Stored) => None,
            Ok(ClaimAndStore::TooSoon) => Some(Outcome::Cooldown),
            Ok(ClaimAndStore::Stopped(stopped)) => Some(super::stopped_outcome(stopped)),
            Err(error) => {
                tracing::warn!(%error, "storing a temporary password failed");
                Some(Outcome::WriteRefused)
            }
        }
    };
    if let Some(outcome) = refused {
        event(outcome, account);
        return gateway.mailer().withdraw_held(held).await;
    }
    release_watched(&gateway, &journey, account, held);
    if flows.temporary_in_user_password {
        // The current password was replaced: its owner is told, at the
        // institutional address too, with this change's « Ce n'était pas
        // moi » link, as after any written password (the mailed one went
        // to the recovery address alone, which may not be theirs now).
        confirm_written_temporary(&gateway, &journey, &person).await;
    }
    event(Outcome::TemporaryPasswordMailed, account);
}

/// The "your password changed" mail for a temporary password just written
/// into `userPassword`, with the « Ce n'était pas moi » link of that write
/// (the entry read again for its `pwdChangedTime` and change id).
async fn confirm_written_temporary(gateway: &Gateway, journey: &Journey, person: &Person) {
    let written = match gateway.directory().read(&person.dn).await {
        Ok(found) => found,
        Err(error) => {
            tracing::warn!(%error, "re-reading the entry for the not-me link failed");
            None
        }
    };
    let not_me_url = written
        .as_ref()
        .and_then(|written| super::not_me::link_for(gateway, journey, written, gateway.now()));
    confirm_change(
        gateway,
        journey,
        written.as_ref().unwrap_or(person),
        not_me_url,
    )
    .await;
}

/// Writes a temporary password into `userPassword` (with `pwdReset`), on
/// the entry as it is now, while the account may use self-service: `Err`
/// with why when it may not, and nothing was written.
async fn write_temporary(
    gateway: &Gateway,
    person: &Person,
    password: &SecretString,
    expires: DateTime<Utc>,
    writer: Writer<'_>,
) -> Result<Result<(), Stopped>, crate::ports::PasswordWriteError> {
    let password = passerelle_text::normalize_password(password);
    let write = PasswordWrite {
        password: &password,
        kind: WriteKind::Temporary { expires },
        change_id: crate::writing::temporary_change_id(gateway.now()),
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
    let written =
        crate::state::write_unconditionally(gateway, person, &write, open, writer).await?;
    let why = why.into_inner().ok().flatten();
    Ok(match (written, why) {
        (true, _) => Ok(()),
        (false, Some(stopped)) => Err(stopped),
        // The guard refuses only a stopped account.
        (false, None) => Err(Stopped::ItLock),
    })
}

/// Where the help desk's reset for `person` goes, under the limits of every
/// mail a visitor can make the gateway send (the self-service lock, a
/// recovery address, the account's standing, the per-person cooldown,
/// claimed here by the gateway).
pub(crate) async fn desk_target(gateway: &Gateway, person: &Person) -> Result<String, NotSent> {
    let now = gateway.now();
    let to = mail_target(gateway, person, "", now)?;
    claim(gateway, person, now).await?;
    Ok(to)
}

/// How the help desk's [`send_code`] stores the code: the cooldown was
/// claimed already ([`desk_target`]); the code is stored by the writer
/// (the agent, where the site asks for it).
pub(crate) enum CodeStore<'a> {
    Claimed(Writer<'a>),
    /// Claimed under the per-person cooldown in the modify that stores the
    /// code, by the gateway ([`Gateway::claim_mail_and_store`]).
    Claim,
}

/// The help desk's code: stores a new code for `person` (voiding the
/// previous one) as `store` says, and mails it to `to` with its link; the
/// audit outcome of why not otherwise. Nothing is stored for a mail that
/// cannot be composed. The agent waits for the answer, so no promise is
/// spooled first: the mail is on disk when this returns `Ok`.
pub(crate) async fn send_code(
    gateway: &Gateway,
    journey: &Journey,
    person: &Person,
    to: String,
    store: CodeStore<'_>,
) -> Result<(), NotSent> {
    let now = gateway.now();
    let flows = &gateway.settings().flows;
    let code = ResetCode::generate();
    let expires = now + seconds(flows.code_validity_seconds);
    let hash = gateway.code_key().hash(&person.dn, &code);
    let token = gateway.code_key().seal_link(&person.dn, &code, expires);
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
        return Err(Outcome::MailFailed);
    };
    let code = Change::SetCode {
        hash,
        expiry: expires,
        tries: flows.code_tries.max(1),
        sent_at: now,
    };
    let stored = match store {
        CodeStore::Claimed(writer) => store_if_open(gateway, person, vec![code], writer)
            .await
            .map(|open| open.map_err(Some)),
        CodeStore::Claim => claim_and_store(gateway, person, vec![code]).await,
    };
    match stored {
        Ok(Ok(())) => {}
        Ok(Err(None)) => return Err(Outcome::Cooldown),
        Ok(Err(Some(stopped))) => return Err(super::stopped_outcome(stopped)),
        Err(crate::ports::DirectoryError::Forbidden) => return Err(Outcome::ForbiddenByDirectory),
        Err(error) => {
            tracing::warn!(%error, "storing a code failed");
            return Err(Outcome::DirectoryError);
        }
    }
    send_watched(gateway, journey, Who::Person(person), prepared)
        .await
        .map_err(|()| Outcome::MailFailed)
}

/// The help desk's temporary password: stores a fresh one for `person`
/// (held as a keyed hash, or written into `userPassword` where the site
/// chose it), written by `writer`, and mails it to `to` with `login` and a
/// link to `/change`; the audit outcome of why not otherwise.
pub(crate) async fn send_temporary(
    gateway: &Gateway,
    journey: &Journey,
    person: &Person,
    to: String,
    login: String,
    writer: Writer<'_>,
) -> Result<(), NotSent> {
    let now = gateway.now();
    let flows = &gateway.settings().flows;
    let directory_policy = match gateway.directory().policy(person).await {
        Ok(policy) => policy,
        Err(error) => {
            tracing::warn!(%error, "reading a password policy failed");
            return Err(Outcome::DirectoryError);
        }
    };
    let password = temporary_password::generate_for(
        &gateway.site_policy().effective(&directory_policy),
        &gateway.settings().policy.effective(&directory_policy),
        flows.temporary_length,
        &crate::policy::PersonContext::of(person),
    );
    let expires = now + seconds(flows.temporary_validity_seconds);
    let mail = OutgoingMail::new(
        to,
        journey.visitor.lang,
        MailKind::TemporaryPassword {
            login,
            password: password.clone(),
            valid_for: Duration::from_secs(flows.temporary_validity_seconds),
            change_url: Link::Start(FlowName::Change).url(&gateway.settings().public_url),
        },
    )
    .with_name(person.display_name.clone());
    let Ok(prepared) = gateway.mailer().prepare(mail) else {
        return Err(Outcome::MailFailed);
    };
    let stored = if flows.temporary_in_user_password {
        write_temporary(gateway, person, &password, expires, writer).await
    } else {
        let held = Change::HoldTemporary {
            hash: gateway.code_key().hash_temporary(&person.dn, &password),
            expiry: expires,
        };
        store_if_open(gateway, person, vec![held], writer)
            .await
            .map_err(crate::ports::PasswordWriteError::from)
    };
    match stored {
        Ok(Ok(())) => {}
        Ok(Err(stopped)) => return Err(super::stopped_outcome(stopped)),
        Err(crate::ports::PasswordWriteError::Directory(
            crate::ports::DirectoryError::Forbidden,
        )) => return Err(Outcome::ForbiddenByDirectory),
        Err(error) => {
            tracing::warn!(%error, "storing a temporary password failed");
            return Err(Outcome::WriteRefused);
        }
    }
    send_watched(gateway, journey, Who::Person(person), prepared)
        .await
        .map_err(|()| Outcome::MailFailed)
}

/// Claims the per-person cooldown and stores `changes` in one modify,
/// while the account may use self-service: `Err(None)` within the
/// cooldown, `Err(Some(why))` when the account may not.
async fn claim_and_store(
    gateway: &Gateway,
    person: &Person,
    changes: Vec<Change>,
) -> Result<Result<(), Option<Stopped>>, crate::ports::DirectoryError> {
    let policy = gateway.directory().policy(person).await?;
    let cooldown = Duration::from_secs(gateway.settings().flows.code_resend_seconds);
    Ok(
        match gateway
            .claim_mail_and_store(person, &policy, cooldown, changes)
            .await?
        {
            ClaimAndStore::Stored => Ok(()),
            ClaimAndStore::TooSoon => Err(None),
            ClaimAndStore::Stopped(stopped) => Err(Some(stopped)),
        },
    )
}

/// A new code for `person`, mailed to `to` with its link, for the `sms`
/// flow's « by mail » choice (identity proved, the visitor waits for the
/// answer): checked against the cooldown as read, then [`send_code`]
/// claims the cooldown and stores the code in one modify, and accepts the
/// mail into the spool, awaited — a plain send, not main's promise, hold
/// and release: the mail is on disk when this returns `CodeMailed` (a
/// crash between the store and the send leaves a code nobody received,
/// which expires; the visitor was told nothing was sent and asks again).
/// The outcome to audit.
pub(crate) async fn mail_code(
    gateway: &Gateway,
    journey: &Journey,
    person: &Person,
    to: String,
) -> Outcome {
    let cooldown = Duration::from_secs(gateway.settings().flows.code_resend_seconds);
    if let (_, MailClaim::TooSoon { .. }) =
        crate::cooldown::plan_claim(&person.state, cooldown, gateway.now())
    {
        return Outcome::Cooldown;
    }
    match send_code(gateway, journey, person, to, CodeStore::Claim).await {
        Ok(()) => Outcome::CodeMailed,
        Err(outcome) => outcome,
    }
}

/// Stores `changes` while the account may use self-service (checked on
/// the entry as it is at the moment of storing), written by `writer`:
/// `Err` with why when it may not.
async fn store_if_open(
    gateway: &Gateway,
    person: &Person,
    changes: Vec<Change>,
    writer: Writer<'_>,
) -> Result<Result<(), Stopped>, crate::ports::DirectoryError> {
    let policy = gateway.directory().policy(person).await?;
    gateway
        .store_if_open_as(person, &policy, changes, writer)
        .await
}

/// Where a change of the account is told to its owner: the first recovery
/// address, and the institutional one when the entry has one.
pub(crate) fn owner_addresses(person: &Person) -> Vec<&str> {
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
    recipients
}

/// Accepts `kind` to each of the owner's addresses ([`owner_addresses`]),
/// in the journey's language, with delivery troubles audited under `mail`.
/// Returns whether any mail was accepted.
pub(crate) async fn tell_owner(
    gateway: &Gateway,
    journey: &Journey,
    person: &Person,
    kind: MailKind,
) -> bool {
    let recipients = owner_addresses(person);
    for to in &recipients {
        send_audited(
            gateway,
            journey,
            Who::Person(person),
            OutgoingMail::new(*to, journey.visitor.lang, kind.clone())
                .with_name(person.display_name.clone()),
        )
        .await;
    }
    !recipients.is_empty()
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
/// once per cooldown per account. Audited under `identity`. On disk
/// before this returns (the page then says it was sent).
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
    send_audited(gateway, journey, account, mail).await;
    event(Outcome::LoginMailed);
}

/// Accepts the "your password changed" mail to the recovery address, and
/// to the institutional one when the entry has one, with the change's
/// « Ce n'était pas moi » link when there is one ([`super::not_me`]): on
/// disk when this returns (the page then says it is on its way). Returns
/// whether any mail was accepted.
pub async fn confirm_change(
    gateway: &Gateway,
    journey: &Journey,
    person: &Person,
    not_me_url: Option<String>,
) -> bool {
    let recipients = owner_addresses(person);
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
        )
        .await;
    }
    true
}

/// The note and the watch of a mail of `journey` for `account`: its
/// delivery troubles audited under the step `mail`, now and after a
/// restart.
fn watch_for(gateway: &Gateway, journey: &Journey, account: Who<'_>) -> (Vec<u8>, MailWatch) {
    // The mail outlives the request: the account is kept as owned values.
    let (login, dn) = match account {
        Who::Nobody => (None, None),
        Who::Login(login) => (Some(login.to_owned()), None),
        Who::Dn(dn) => (None, Some(dn.to_owned())),
        Who::Person(person) => (Some(person.login.clone()), Some(person.dn.clone())),
    };
    let note = WatchNote {
        journey: JourneyNote::of(journey),
        login,
        dn,
    };
    (note_of(&note), watch_of(gateway, note))
}

/// Audits a mail's delivery troubles under the step `mail` of the
/// journey `note` names: `mail_deferred` at each failed attempt that will
/// be retried, `mail_sent_after_retry`, `mail_given_up`. A mail that
/// leaves at once adds nothing (the flow already audited it).
fn watch_of(gateway: &Gateway, note: WatchNote) -> MailWatch {
    let (watcher, journey) = (gateway.clone(), note.journey.journey());
    let (login, dn) = (note.login, note.dn);
    Box::new(move |progress: MailProgress| {
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
    })
}

/// Accepts `mail` with its delivery troubles audited under the step
/// `mail` of `journey` ([`watch_of`]).
pub(crate) async fn send_watched(
    gateway: &Gateway,
    journey: &Journey,
    account: Who<'_>,
    mail: PreparedMail,
) -> Result<(), ()> {
    let (note, watch) = watch_for(gateway, journey, account);
    gateway
        .mailer()
        .send(mail, Some(note), Some(watch))
        .await
        .map_err(|_| ())
}

/// Releases a held mail, its delivery troubles audited like
/// [`send_watched`]'s.
fn release_watched(gateway: &Gateway, journey: &Journey, account: Who<'_>, held: HeldMail) {
    let (_, watch) = watch_for(gateway, journey, account);
    gateway.mailer().release(held, Some(watch));
}

/// Prepares `mail` and accepts it audited; nothing depends on it, so a
/// mail that cannot be composed or accepted is only logged (and audited
/// `mail_failed`).
pub(crate) async fn send_audited(
    gateway: &Gateway,
    journey: &Journey,
    account: Who<'_>,
    mail: OutgoingMail,
) {
    let sent = match gateway.mailer().prepare(mail) {
        Ok(prepared) => send_watched(gateway, journey, account, prepared).await,
        Err(_) => Err(()),
    };
    if sent.is_err() {
        gateway.event(journey, AuditStep::Mail, Outcome::MailFailed, account);
    }
}

/// Takes what a previous run left in the spool and sees each record
/// through, off the caller's path: a promise's work is done again; a held
/// mail is released when its entry holds what it carries, its work done
/// again when the entry shows nothing was stored since it was made, and
/// withdrawn otherwise (a newer mail superseded it); a mail on its way is
/// resumed, its delivery troubles audited as before. Called once, when the
/// gateway starts.
pub fn recover(gateway: &Gateway) {
    let left = gateway.mailer().left_over();
    if !left.is_empty() {
        tracing::info!(
            records = left.len(),
            "mail left by the previous run found in the spool"
        );
    }
    for record in left {
        match record {
            LeftOver::Promise { promise, note } => {
                match serde_json::from_slice::<PromiseNote>(&note) {
                    Ok(note) => {
                        tokio::spawn(run(
                            gateway.clone(),
                            note.journey.journey(),
                            note.errand,
                            promise,
                        ));
                    }
                    Err(error) => {
                        tracing::error!(%error, "a promise in the spool has a note this gateway cannot read; withdrawn");
                        let gateway = gateway.clone();
                        tokio::spawn(async move {
                            gateway.mailer().withdraw_promise(promise).await;
                        });
                    }
                }
            }
            LeftOver::Held { held, note } => match serde_json::from_slice::<HeldNote>(&note) {
                Ok(note) => {
                    tokio::spawn(settle(gateway.clone(), held, note));
                }
                Err(error) => {
                    tracing::error!(%error, "a held mail in the spool has a note this gateway cannot read; withdrawn");
                    let gateway = gateway.clone();
                    tokio::spawn(async move {
                        gateway.mailer().withdraw_held(held).await;
                    });
                }
            },
            LeftOver::OnItsWay { mail, note } => {
                let note = note.and_then(|note| serde_json::from_slice::<WatchNote>(&note).ok());
                let watch = note.map(|note| {
                    let journey = note.journey.journey();
                    let who = match (&note.login, &note.dn) {
                        (Some(login), _) => Who::Login(login),
                        (None, Some(dn)) => Who::Dn(dn),
                        (None, None) => Who::Nobody,
                    };
                    gateway.event(&journey, AuditStep::Mail, Outcome::MailResumed, who);
                    watch_of(gateway, note)
                });
                gateway.mailer().resume(mail, watch);
            }
        }
    }
}

/// The longest wait between two readings of a held mail's entry while the
/// directory does not answer.
const SETTLE_RETRY_MAX: Duration = Duration::from_secs(60);

/// What becomes of a held mail found at start: the entry decides.
async fn settle(gateway: Gateway, held: HeldMail, note: HeldNote) {
    let journey = note.journey.journey();
    let mut wait = Duration::from_secs(1);
    let person = loop {
        match gateway.directory().read(&note.dn).await {
            Ok(person) => break person,
            Err(error) => {
                // The mail stays on disk meanwhile; a stop leaves it there.
                tracing::warn!(%error, retry_in_s = wait.as_secs(), "reading the entry of a held mail failed");
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(SETTLE_RETRY_MAX);
            }
        }
    };
    let Some(person) = person else {
        tracing::info!(account = %note.login, "a held mail's entry is gone; withdrawn");
        return gateway.mailer().withdraw_held(held).await;
    };
    let state = &person.state;
    let stored = match &note.carries {
        Carries::Code { hash } => state.code_hash.as_deref() == Some(hash.as_str()),
        Carries::HeldTemporary { hash } => {
            state.pending_temp_hash.as_deref() == Some(hash.as_str())
        }
        Carries::WrittenTemporary { expiry } => {
            state.temp_password_expiry.map(|e| e.timestamp()) == Some(*expiry)
        }
    };
    let account = Who::Person(&person);
    if stored {
        gateway.event(&journey, AuditStep::Mail, Outcome::MailResumed, account);
        return release_watched(&gateway, &journey, account, held);
    }
    // The claim is recorded with the store (or just before it): none since
    // the mail was made means the store never happened.
    let claimed_since = state
        .mail_sent
        .is_some_and(|sent| sent.timestamp() >= note.made_at);
    if claimed_since {
        tracing::info!(account = %note.login, "a held mail was superseded by a newer one; withdrawn");
        return gateway.mailer().withdraw_held(held).await;
    }
    let promise = gateway.mailer().reopen(held);
    run(gateway, journey, note.errand, promise).await;
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
