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
//! account (`crate::standing`), other services are not
//! touched, and the help desk decides whether to lock the account. Only IT
//! lifts it, by deleting `passerelleFrozenTime` (docs/not-me.md).

use crate::audit::{AuditStep, Outcome, Who};
use crate::flow::Link as PageLink;
use crate::gateway::{Gateway, Journey, StepError};
use crate::identity::MailAddress;
use crate::mail::{MailKind, OutgoingMail};
use crate::person::Person;
use crate::ports::Change;
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
    /// For the link of a help-desk action that changed no password: the
    /// action, and its own random id (the disowned change once used).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<crate::settings::DeskAction>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_id: Option<String>,
}

impl Disowned {
    /// What the freeze records as disowned: the action's id for a help-desk
    /// action, else the change id.
    fn disowned_id(&self) -> &str {
        self.action_id.as_deref().unwrap_or(&self.change_id)
    }
}

/// The « Ce n'était pas moi » link for the change `journey` just wrote,
/// `person` being the entry read after the write (its new
/// `pwdChangedTime`). `None` when the site turned the link off or the
/// entry has no `pwdChangedTime` (nothing to bind the link to).
pub fn link_for(
    gateway: &Gateway,
    journey: &Journey,
    person: &Person,
    now: DateTime<Utc>,
) -> Option<String> {
    let days = gateway.settings().flows.not_me_days;
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
        flow: journey.flow.as_str().to_owned(),
        flow_id: journey.id.clone(),
        client_address: journey.visitor.address.to_string(),
        user_agent: journey
            .visitor
            .user_agent
            .chars()
            .take(USER_AGENT_CHARS)
            .collect(),
        exp: (now + chrono::Duration::days(i64::from(days))).timestamp(),
        action: None,
        action_id: None,
    };
    let token = seal(gateway.code_key(), &disowned)?;
    Some(PageLink::NotMe(token).url(&gateway.settings().public_url))
}

/// The « Ce n'était pas moi » link of a help-desk `action` that changed no
/// password, done by `journey` (the agent's) on `person` as read after it.
/// `None` when the site turned the link off.
pub fn link_for_action(
    gateway: &Gateway,
    journey: &Journey,
    person: &Person,
    action: crate::settings::DeskAction,
    now: DateTime<Utc>,
) -> Option<String> {
    let days = gateway.settings().flows.not_me_days;
    if days == 0 {
        return None;
    }
    let disowned = Disowned {
        dn: person.dn.clone(),
        changed: person.pwd_changed_time.clone().unwrap_or_default(),
        change_id: person.state.change_id.clone().unwrap_or_default(),
        at: now.timestamp(),
        flow: journey.flow.as_str().to_owned(),
        flow_id: journey.id.clone(),
        client_address: journey.visitor.address.to_string(),
        user_agent: journey
            .visitor
            .user_agent
            .chars()
            .take(USER_AGENT_CHARS)
            .collect(),
        exp: (now + chrono::Duration::days(i64::from(days))).timestamp(),
        action: Some(action),
        action_id: Some(crate::writing::random_change_id()),
    };
    let token = seal(gateway.code_key(), &disowned)?;
    Some(PageLink::NotMe(token).url(&gateway.settings().public_url))
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
pub async fn check(gateway: &Gateway, token: &str) -> Result<Link, StepError> {
    let now = gateway.now();
    let Some(disowned) = gateway
        .code_key()
        .open(CONTEXT, token)
        .and_then(|plain| serde_json::from_slice::<Disowned>(&plain).ok())
        .filter(|d| d.exp > now.timestamp())
    else {
        return Ok(Link::Invalid);
    };
    let Some(person) = gateway.directory().read(&disowned.dn).await? else {
        return Ok(Link::Invalid);
    };
    Ok(judge(disowned, person))
}

/// What the entry as read says of a link's change.
fn judge(disowned: Disowned, person: Person) -> Link {
    if !current(&disowned, &person) {
        return Link::Superseded;
    }
    if person.state.disowned_change.as_deref() == Some(disowned.disowned_id()) {
        return Link::AlreadyUsed;
    }
    Link::Usable(Box::new(disowned), Box::new(person))
}

/// The password is still the one of the link: the change it names, or the
/// one the help-desk action found (an entry without `pwdChangedTime` or
/// change id reads as empty for the action's link only).
fn current(disowned: &Disowned, person: &Person) -> bool {
    let (changed, change_id) = if disowned.action_id.is_some() {
        (
            person.pwd_changed_time.as_deref().unwrap_or(""),
            person.state.change_id.as_deref().unwrap_or(""),
        )
    } else {
        match (
            person.pwd_changed_time.as_deref(),
            person.state.change_id.as_deref(),
        ) {
            (Some(changed), Some(change_id)) => (changed, change_id),
            _ => return false,
        }
    };
    changed == disowned.changed && change_id == disowned.change_id
}

/// The outcome of the owner's « Ce n'était pas moi ».
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freeze {
    /// Self-service is now frozen, recorded with the reason.
    Frozen,
    /// This change was already disowned (the link is spent).
    AlreadyDone,
    /// The password changed again since: this change is no longer the
    /// current one, and nothing was written.
    Superseded,
}

/// The owner pressed the button: freezes self-service (once per change,
/// whatever the number of replicas or clicks, only while this change is the
/// entry's current one), mails the help desk, audits it under `not_me`
/// (`frozen`, `already_used`, `superseded`; `helpdesk_mailed` or
/// `no_helpdesk_address`).
pub async fn disown(
    gateway: &Gateway,
    journey: &Journey,
    disowned: &Disowned,
    person: &Person,
) -> Result<Freeze, StepError> {
    let now = gateway.now();
    let account = Who::Person(person);
    let event = |outcome| gateway.event(journey, AuditStep::NotMe, outcome, account);
    let changed_at = DateTime::<Utc>::from_timestamp(disowned.at, 0).unwrap_or(now);
    let what = match disowned.action {
        Some(action) => format!("the help desk's {}", action.as_str()),
        None => "the change".to_owned(),
    };
    let reason = format!(
        "not-me: the owner disowned {what} of {} (flow {} {}, from {}, user agent {})",
        changed_at.format("%Y-%m-%dT%H:%M:%SZ"),
        disowned.flow,
        disowned.flow_id,
        disowned.client_address,
        disowned.user_agent,
    );
    let reason = passerelle_text::safe_text::single_line(&reason, 1000);
    let outcome = gateway
        .update(person, false, |fresh| {
            if !current(disowned, fresh) {
                return Some((Vec::new(), Freeze::Superseded));
            }
            if fresh.state.disowned_change.as_deref() == Some(disowned.disowned_id()) {
                return Some((Vec::new(), Freeze::AlreadyDone));
            }
            Some((
                vec![Change::Freeze {
                    at: now,
                    reason: reason.clone(),
                    change_id: disowned.disowned_id().to_owned(),
                }],
                Freeze::Frozen,
            ))
        })
        .await?
        .unwrap_or(Freeze::Superseded);
    match outcome {
        Freeze::Frozen => event(Outcome::Frozen),
        Freeze::AlreadyDone => {
            event(Outcome::AlreadyUsed);
            return Ok(outcome);
        }
        Freeze::Superseded => {
            event(Outcome::Superseded);
            return Ok(outcome);
        }
    }
    let site = &gateway.settings().site;
    let to = site
        .helpdesk_mail
        .clone()
        .or_else(|| MailAddress::parse(&site.help_contact).map(|a| a.as_str().to_owned()));
    let Some(to) = to else {
        event(Outcome::NoHelpdeskAddress);
        return Ok(outcome);
    };
    let lang = passerelle_text::Lang::from_tag(&site.default_language).unwrap_or_default();
    gateway
        .send_unwatched(OutgoingMail::new(
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
        ))
        .await;
    event(Outcome::HelpdeskMailed);
    Ok(outcome)
}
