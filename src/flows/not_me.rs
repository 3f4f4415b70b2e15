//! « Ce n'était pas moi »: every "your password was changed" mail carries a
//! link by which the owner says the change was not theirs. Opening it
//! changes nothing (mail scanners open links); its button freezes
//! self-service for the account, mails the help desk the audit facts of the
//! change, and tells the person what happens next.
//!
//! The link (`/not-me/<token>`, from `server.public_url`) carries the
//! entry's DN, the `pwdChangedTime` and `passerelleChangeId` (a random id
//! the gateway writes with every password) the change gave it, its audit
//! facts (time, flow and flow id, client address, user agent: never a
//! secret) and an expiry (`flows.not_me_days`), encrypted and authenticated
//! with the code key's link cipher under its own context
//! ([`crate::reset_code::CodeKey::seal`]). It is bound to that change: once
//! the password changes again (by the gateway or anyone else) the entry's
//! change id or `pwdChangedTime` differs and the link is refused. It is single-use: the freeze records the disowned
//! change (`passerelleDisownedChange`), and the same change cannot be
//! disowned twice, even after IT lifted the freeze.
//!
//! The freeze is gateway state on the entry (`passerelleFrozenTime`,
//! `passerelleFrozenReason`), not ppolicy's `pwdAccountLockedTime`, which
//! the gateway may only read: every self-service step stops for the
//! account (`Directory::self_service_stopped`), other services are not
//! touched, and the help desk decides whether to lock the account. Only IT
//! lifts it, by deleting `passerelleFrozenTime` (docs/not-me.md).

use super::{Gateway, Trail};
use crate::directory::{Freeze, Person};
use crate::mail::{MailKind, OutgoingMail};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The context the token is sealed under: no other link opens as one.
const CONTEXT: &[u8] = b"passerelle not-me link v1";

/// The longest user agent a link carries, in characters.
const USER_AGENT_CHARS: usize = 160;

/// What a link carries: which change of which entry, and its audit facts.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Disowned {
    pub dn: String,
    /// The entry's `pwdChangedTime` right after the change.
    pub changed: String,
    /// The entry's `passerelleChangeId` right after the change.
    pub change_id: String,
    /// When the gateway wrote it (Unix seconds).
    pub at: i64,
    pub flow: String,
    pub flow_id: String,
    pub client_address: String,
    pub user_agent: String,
    /// The link's expiry (Unix seconds).
    pub exp: i64,
}

/// The « Ce n'était pas moi » link for the change `trail` just wrote,
/// `person` being the entry read after the write (its new
/// `pwdChangedTime`). `None` when the site turned the link off or the
/// entry has no `pwdChangedTime` (nothing to bind the link to).
pub fn link_for(
    gateway: &Gateway,
    trail: &Trail,
    person: &Person,
    now: DateTime<Utc>,
) -> Option<String> {
    let days = gateway.settings.flows.not_me_days;
    if days == 0 {
        return None;
    }
    let changed = person.pwd_changed_time.clone()?;
    let change_id = person.state.change_id.clone()?;
    let disowned = Disowned {
        dn: person.dn.clone(),
        changed,
        change_id,
        at: now.timestamp(),
        flow: trail.flow.as_str().to_owned(),
        flow_id: trail.id.clone(),
        client_address: trail.visitor.address.to_string(),
        user_agent: trail
            .visitor
            .user_agent
            .chars()
            .take(USER_AGENT_CHARS)
            .collect(),
        exp: (now + chrono::Duration::days(i64::from(days))).timestamp(),
    };
    let token = seal(&gateway.code_key, &disowned)?;
    Some(super::mailing::public_url(
        gateway,
        &format!("/not-me/{token}"),
    ))
}

/// The link's token for `disowned`, sealed with `key`.
pub fn seal(key: &crate::reset_code::CodeKey, disowned: &Disowned) -> Option<String> {
    // A struct of strings and integers always serialises.
    let plain = serde_json::to_vec(disowned).ok()?;
    Some(key.seal(CONTEXT, &plain))
}

/// What a link is worth now.
pub enum Link {
    /// It may be used: the change is the entry's current one and was not
    /// disowned yet.
    Usable(Box<Disowned>, Box<Person>),
    /// Altered, expired, or its entry is gone.
    Invalid,
    /// The password changed again since: the link is void.
    Superseded,
    /// This change was already disowned.
    AlreadyUsed,
}

/// Opens `token` and checks it against the entry as it is now.
pub async fn check(
    gateway: &Gateway,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Link, super::FlowError> {
    let Some(disowned) = gateway
        .code_key
        .open(CONTEXT, token)
        .and_then(|plain| serde_json::from_slice::<Disowned>(&plain).ok())
        .filter(|d| d.exp > now.timestamp())
    else {
        return Ok(Link::Invalid);
    };
    let Some(person) = gateway.directory.read_person(&disowned.dn).await? else {
        return Ok(Link::Invalid);
    };
    if person.pwd_changed_time.as_deref() != Some(disowned.changed.as_str())
        || person.state.change_id.as_deref() != Some(disowned.change_id.as_str())
    {
        return Ok(Link::Superseded);
    }
    if person.state.disowned_change.as_deref() == Some(disowned.change_id.as_str()) {
        return Ok(Link::AlreadyUsed);
    }
    Ok(Link::Usable(Box::new(disowned), Box::new(person)))
}

/// The owner pressed the button: freezes self-service (once per change),
/// mails the help desk, audits it under `not_me` (`frozen`, `already_used`,
/// `superseded`; `helpdesk_mailed` or `no_helpdesk_address`).
pub async fn disown(
    gateway: &Gateway,
    trail: &Trail,
    disowned: &Disowned,
    person: &Person,
    now: DateTime<Utc>,
) -> Result<Freeze, super::FlowError> {
    let account = Some(person.login.as_str());
    let changed_at = DateTime::<Utc>::from_timestamp(disowned.at, 0).unwrap_or(now);
    let reason = format!(
        "not-me: the owner disowned the change of {} (flow {} {}, from {}, user agent {})",
        changed_at.format("%Y-%m-%dT%H:%M:%SZ"),
        disowned.flow,
        disowned.flow_id,
        disowned.client_address,
        disowned.user_agent,
    );
    let reason = crate::safe_text::single_line(&reason, 1000);
    let outcome = gateway
        .directory
        .freeze_self_service(
            person,
            (&disowned.changed, &disowned.change_id),
            &reason,
            now,
        )
        .await?;
    match outcome {
        Freeze::Frozen => trail.event("not_me", "frozen", account),
        Freeze::AlreadyDone => {
            trail.event("not_me", "already_used", account);
            return Ok(outcome);
        }
        Freeze::Superseded => {
            trail.event("not_me", "superseded", account);
            return Ok(outcome);
        }
    }
    let settings = &gateway.settings.site;
    let to = settings.helpdesk_mail.clone().or_else(|| {
        crate::directory::MailAddress::parse(&settings.help_contact).map(|a| a.as_str().to_owned())
    });
    let Some(to) = to else {
        trail.event("not_me", "no_helpdesk_address", account);
        return Ok(outcome);
    };
    let lang = crate::i18n::Lang::from_tag(&settings.default_language).unwrap_or_default();
    gateway.mailer.send(OutgoingMail::new(
        to,
        lang,
        MailKind::NotMeAlert {
            login: person.login.clone(),
            dn: person.dn.clone(),
            frozen_at: now.fixed_offset(),
            changed_at: changed_at.fixed_offset(),
            flow: disowned.flow.clone(),
            flow_id: disowned.flow_id.clone(),
            client_address: disowned.client_address.clone(),
            user_agent: disowned.user_agent.clone(),
        },
    ));
    trail.event("not_me", "helpdesk_mailed", account);
    Ok(outcome)
}
