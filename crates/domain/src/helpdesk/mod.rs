//! The help desk's own values and rules, apart from its requests
//! (the help-desk flow, `flows::helpdesk`): what an agent's session holds between
//! requests ([`AgentSession`], kept by the web in its encrypted cookie), what
//! an agent types (a search, a reason), who may be acted on
//! ([`Refusal`], [`within`]), and the person's card ([`card`]), computed
//! from the entry and its effective password policy alone, so that every
//! "I can't log in" it explains is unit-tested without a directory.

pub mod card;

use crate::person::{PasswordMarker, Person};
use crate::settings::{DeskAction, HelpdeskProfile, HelpdeskSettings, VerificationMethod};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use crate::identity::{SearchText, MAX_SEARCH_CHARS, MIN_SEARCH_CHARS};
pub use card::{mask_address, Card, PpolicyLockView, QuestionView};

/// Fewest characters of a reason.
pub const MIN_REASON_CHARS: usize = 3;

/// Most characters of a reason (longer ones are cut).
pub const MAX_REASON_CHARS: usize = 200;

/// Why the agent acts, as they typed it: one safe line of 3 to 200
/// characters, recorded in the audit trail with the action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason(String);

impl Reason {
    /// `None` when nothing (or almost nothing) was typed.
    pub fn parse(typed: &str) -> Option<Reason> {
        let line = passerelle_text::safe_text::single_line(typed, MAX_REASON_CHARS);
        (line.chars().count() >= MIN_REASON_CHARS).then_some(Reason(line))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// How the agent verified the caller now on the card, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verified {
    /// The person verified.
    pub dn: String,
    pub method: VerificationMethod,
    /// Unix seconds.
    pub at: i64,
}

/// A signed-in agent, as the web keeps it between requests (in its
/// encrypted, expiring cookie) and hands back with each: who signed in,
/// under which profile, when and from where (the session ends elsewhere),
/// what their password was (it ends when it changes), whose card is open
/// and how that caller was verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentSession {
    pub dn: String,
    pub login: String,
    /// The agent's name, for the pages (and for the owner's mail when the
    /// site names agents).
    pub name: String,
    pub profile: String,
    /// Unix seconds.
    pub signed_in_at: i64,
    /// The client address of the sign-in.
    pub address: String,
    /// The agent's password at the sign-in.
    pub marker: PasswordMarker,
    /// The DN of the person whose card is open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified: Option<Verified>,
}

impl AgentSession {
    /// The session of `agent`, signed in under `profile` at `now` from
    /// `address`.
    pub fn new(
        agent: &Person,
        profile: &HelpdeskProfile,
        now: DateTime<Utc>,
        address: std::net::IpAddr,
    ) -> AgentSession {
        AgentSession {
            dn: agent.dn.clone(),
            login: agent.login.clone(),
            name: agent.display_name.clone(),
            profile: profile.name.clone(),
            signed_in_at: now.timestamp(),
            address: address.to_string(),
            marker: agent.password_marker(),
            person: None,
            verified: None,
        }
    }

    /// The card of `dn` is open: a verification of anybody else lapses.
    pub fn open(&mut self, dn: &str) {
        if !self.person.as_deref().is_some_and(|p| same_dn(p, dn)) {
            self.verified = None;
        }
        self.person = Some(dn.to_owned());
    }

    /// How the caller on the open card was verified, if that still holds at
    /// `now` under `settings`.
    pub fn verification(
        &self,
        settings: &HelpdeskSettings,
        now: DateTime<Utc>,
    ) -> Option<VerificationMethod> {
        let verified = self.verified.as_ref()?;
        let person = self.person.as_deref()?;
        let age = now.timestamp().saturating_sub(verified.at);
        let holds = same_dn(&verified.dn, person)
            && (0..=i64::try_from(settings.verification_seconds).unwrap_or(i64::MAX))
                .contains(&age);
        holds.then_some(verified.method)
    }
}

/// Two DNs name the same entry, as the directory compares them
/// ([`crate::dn::same`]: RDN by RDN, without regard to case, spaces or
/// escapes).
pub fn same_dn(a: &str, b: &str) -> bool {
    crate::dn::same(a, b)
}

/// Why an agent may not see or act on a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Outside the profile's scope or within the site's exclusions, or
    /// gone: told apart from nobody at all only by the audit trail.
    OutOfScope,
    /// The agent's own account.
    Oneself,
    /// A help-desk agent's account (any profile's group).
    Agent,
}

/// The filter of the people a profile may find and act on: its scope, less
/// the site's exclusions. Both are the site's configuration, never what an
/// agent typed.
pub fn within(profile: &HelpdeskProfile, settings: &HelpdeskSettings) -> String {
    let exclusion = settings.exclusion_filter.trim();
    if exclusion.is_empty() {
        profile.scope.clone()
    } else {
        format!("(&{}(!{exclusion}))", profile.scope)
    }
}

/// The actions the card offers an agent of `profile` for `card`: those the
/// profile allows that would change something now (the request decides
/// again when it comes).
pub fn offered(profile: &HelpdeskProfile, card: &Card, reset_flows: ResetFlows) -> Vec<DeskAction> {
    DeskAction::ALL
        .into_iter()
        .filter(|action| action.acts() && profile.allows(*action))
        .filter(|action| match action {
            // Never while frozen: the freeze is lifted first.
            DeskAction::Unlock => {
                card.unlockable() && !card.ppolicy_lock.for_good() && card.frozen.is_none()
            }
            DeskAction::UnlockItLock => card.ppolicy_lock.for_good() && card.frozen.is_none(),
            DeskAction::Unfreeze => card.frozen.is_some(),
            DeskAction::ClearQuestion => card.question != QuestionView::None,
            DeskAction::SendCode => reset_flows.code && !card.channels.is_empty(),
            DeskAction::SendTemporary => reset_flows.change && !card.channels.is_empty(),
            DeskAction::TemporaryOnScreen => reset_flows.change,
            DeskAction::ShowQuestion | DeskAction::ListStopped => false,
        })
        .collect()
}

/// Which public pages a reset the help desk starts ends on are on: the
/// code's (`/code`), and the forced change's (`/change`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResetFlows {
    pub code: bool,
    pub change: bool,
}

impl ResetFlows {
    pub fn of(flows: &crate::settings::FlowSettings) -> ResetFlows {
        ResetFlows {
            code: flows.code,
            change: flows.temporary || flows.account,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_is_one_bounded_line_of_some_substance() {
        assert!(Reason::parse("  ").is_none());
        assert!(Reason::parse("ok").is_none());
        assert_eq!(
            Reason::parse("Appel\nlocked out").unwrap().as_str(),
            "Appel locked out"
        );
        assert_eq!(
            Reason::parse(&"x".repeat(500))
                .unwrap()
                .as_str()
                .chars()
                .count(),
            MAX_REASON_CHARS
        );
    }

    #[test]
    fn dns_compare_without_case_or_spaces() {
        assert!(same_dn("uid=A,ou=People,dc=x", "uid=a, ou=people,dc=X"));
        assert!(!same_dn("uid=a,dc=x", "uid=b,dc=x"));
    }

    fn profile() -> HelpdeskProfile {
        HelpdeskProfile {
            name: "it".into(),
            group: "cn=helpdesk,ou=groups,dc=x".into(),
            scope: "(objectClass=person)".into(),
            actions: vec![DeskAction::Unlock],
            verification: vec![VerificationMethod::InPerson],
        }
    }

    #[test]
    fn the_scope_is_the_profile_s_filter_less_the_site_s_exclusions() {
        let settings = HelpdeskSettings {
            exclusion_filter: "(objectClass=applicationProcess)".into(),
            ..HelpdeskSettings::default()
        };
        assert_eq!(
            within(&profile(), &settings),
            "(&(objectClass=person)(!(objectClass=applicationProcess)))"
        );
        let none = HelpdeskSettings {
            exclusion_filter: String::new(),
            ..HelpdeskSettings::default()
        };
        assert_eq!(within(&profile(), &none), "(objectClass=person)");
    }

    #[test]
    fn a_verification_holds_for_its_person_and_its_time_only() {
        let settings = HelpdeskSettings::default();
        let now = DateTime::<Utc>::from_timestamp(1_800_000_000, 0).unwrap();
        let mut session = AgentSession {
            dn: "uid=agent,dc=x".into(),
            login: "agent".into(),
            name: "Agent".into(),
            profile: "it".into(),
            signed_in_at: now.timestamp(),
            address: "10.0.0.1".into(),
            marker: PasswordMarker::default(),
            person: None,
            verified: None,
        };
        session.open("uid=a,dc=x");
        session.verified = Some(Verified {
            dn: "uid=a,dc=x".into(),
            method: VerificationMethod::InPerson,
            at: now.timestamp(),
        });
        assert_eq!(
            session.verification(&settings, now),
            Some(VerificationMethod::InPerson)
        );
        let later = now + chrono::Duration::seconds(settings.verification_seconds as i64 + 1);
        assert_eq!(session.verification(&settings, later), None);
        session.open("uid=A,dc=x");
        assert!(session.verified.is_some(), "the same card, opened again");
        session.open("uid=b,dc=x");
        assert_eq!(session.verification(&settings, now), None);
        assert!(session.verified.is_none());
    }
}
