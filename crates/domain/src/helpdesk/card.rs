//! A person's card as the help desk shows it: who they are (names,
//! identifiers, affiliation) and every reason they may not be able to log
//! in or use self-service, each with its "until when": ppolicy's lock under
//! their effective policy, the self-service lock, IT's lock for good, the
//! « Ce n'était pas moi » freeze, the password's age and expiry, a forced
//! change, a temporary password or code pending, an account never
//! activated, an end date; and which recovery channels exist, masked. A
//! pure function of the entry, its effective policy, the lockout settings
//! and the time: the same entry always reads the same.

use crate::generalized_time::parse_generalized_time;
use crate::lockout::{lock_state, LockState};
use crate::person::Person;
use crate::ppolicy::{DirectoryPolicy, PpolicyLock};
use crate::settings::LockoutSettings;
use crate::standing::{standing, Stopped};
use chrono::{DateTime, Utc};

/// ppolicy's lock (`pwdAccountLockedTime`), read with the effective policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PpolicyLockView {
    None,
    /// Failed binds locked the account; binds work again from `until`.
    Until {
        since: DateTime<Utc>,
        until: DateTime<Utc>,
    },
    /// The timed lock has run out (slapd keeps the value until the next
    /// bind or password write): binds work.
    RanOut {
        since: DateTime<Utc>,
    },
    /// IT's lock for good (`000001010000Z`).
    ItLock,
    /// Failed binds under a policy without a lockout duration: locked
    /// until an administrator lifts it.
    UntilAdministrator {
        since: DateTime<Utc>,
    },
}

impl PpolicyLockView {
    fn of(lock: PpolicyLock, policy: &DirectoryPolicy, now: DateTime<Utc>) -> PpolicyLockView {
        match lock {
            PpolicyLock::None => PpolicyLockView::None,
            PpolicyLock::Administrative => PpolicyLockView::ItLock,
            PpolicyLock::Timed { since } => match lock.ends_at(policy) {
                None => PpolicyLockView::UntilAdministrator { since },
                Some(until) if until > now => PpolicyLockView::Until { since, until },
                Some(_) => PpolicyLockView::RanOut { since },
            },
        }
    }

    /// Locked for good: only a profile that may lift IT's lock lifts it.
    pub fn for_good(&self) -> bool {
        matches!(
            self,
            PpolicyLockView::ItLock | PpolicyLockView::UntilAdministrator { .. }
        )
    }

    /// A value is on the entry (running, run out or for good).
    pub fn present(&self) -> bool {
        *self != PpolicyLockView::None
    }
}

/// The secret question, as much of it as the agent may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuestionView {
    /// No question (or an answer without a question, or the reverse: the
    /// person must choose one either way).
    None,
    /// One is set; the profile does not show it.
    Set,
    /// One is set, and this is it (never the answer).
    Shown(String),
}

/// The « Ce n'était pas moi » freeze.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frozen {
    /// When, if the value is a time.
    pub since: Option<DateTime<Utc>>,
    /// Why, as the freeze recorded it (the disowned change's facts).
    pub reason: Option<String>,
}

/// A temporary password not yet used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemporaryView {
    /// Written into `userPassword` (with `pwdReset`), valid until then.
    Written { until: DateTime<Utc> },
    /// Held on the entry as a keyed hash until then (the current password
    /// still works).
    Held { until: DateTime<Utc> },
}

/// The account's end or start, when it stops self-service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closed {
    /// `pwdEndTime` reached, or the day of `shadowExpire`.
    Ended { at: Option<DateTime<Utc>> },
    /// `pwdStartTime` still to come.
    NotYet { from: DateTime<Utc> },
}

/// Everything the help desk shows of one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    pub dn: String,
    pub login: String,
    pub display_name: String,
    pub given_name: Option<String>,
    pub sn: Option<String>,
    /// `(attribute, value)`, as stored.
    pub identifiers: Vec<(String, String)>,
    /// `(attribute, value)`: status, faculty…
    pub affiliations: Vec<(String, String)>,
    pub ppolicy_lock: PpolicyLockView,
    /// The policy the lock and the expiry were read with (its DN; empty:
    /// none applies).
    pub policy_dn: String,
    /// Self-service locked by failed attempts until then.
    pub self_service_locked: Option<DateTime<Utc>>,
    /// Failed attempts within the lockout window, and how many are
    /// allowed.
    pub failures: (u32, u32),
    pub frozen: Option<Frozen>,
    pub password_changed: Option<DateTime<Utc>>,
    /// When the password expires under the effective policy's `pwdMaxAge`.
    pub password_expires: Option<DateTime<Utc>>,
    pub password_expired: bool,
    /// `pwdReset`: a change is forced at the next sign-in.
    pub must_change: bool,
    pub temporary: Option<TemporaryView>,
    /// An e-mailed code (or a phone verification code) is valid until then.
    pub code_until: Option<DateTime<Utc>>,
    /// The site's mark of an account never activated.
    pub never_activated: bool,
    pub closed: Option<Closed>,
    /// The recovery addresses, masked (`j•••@g•••.fr`).
    pub channels: Vec<String>,
    pub question: QuestionView,
    /// Whether self-service is stopped, and why (the sum of the above).
    pub stopped: Option<Stopped>,
}

impl Card {
    /// The card of `person` at `now`, with their effective `policy` and
    /// the site's `lockout`; the question's text only when `show_question`.
    pub fn of(
        person: &Person,
        policy: &DirectoryPolicy,
        lockout: &LockoutSettings,
        show_question: bool,
        now: DateTime<Utc>,
    ) -> Card {
        let state = &person.state;
        let window = crate::lockout::window(lockout);
        let failures = state
            .failure_times
            .iter()
            .filter(|t| **t >= now - window)
            .count();
        let self_service_locked = match lock_state(state, lockout, now) {
            LockState::Locked { until } => Some(until),
            LockState::Open { .. } => None,
        };
        let password_changed = person
            .pwd_changed_time
            .as_deref()
            .and_then(parse_generalized_time);
        let password_expires = match (password_changed, policy.max_age) {
            (Some(changed), Some(age)) => chrono::Duration::from_std(age)
                .ok()
                .and_then(|age| changed.checked_add_signed(age)),
            _ => None,
        };
        let temporary = match (state.temp_password_expiry, state.pending_temp_expiry) {
            (Some(until), _) if until > now => Some(TemporaryView::Written { until }),
            (_, Some(until)) if until > now && state.pending_temp_hash.is_some() => {
                Some(TemporaryView::Held { until })
            }
            _ => None,
        };
        let code_until = state
            .code_expiry
            .filter(|until| *until > now && state.code_hash.is_some())
            .filter(|_| state.code_tries_left.is_none_or(|left| left > 0));
        let question = match (&state.question, &state.answer_hash) {
            (Some(question), Some(_)) if show_question => QuestionView::Shown(question.clone()),
            (Some(_), Some(_)) => QuestionView::Set,
            _ => QuestionView::None,
        };
        let stopped = standing(person, policy, now).err();
        let closed = match stopped {
            Some(Stopped::Closed) => Some(Closed::Ended {
                at: person.pwd_end_time.filter(|end| *end <= now),
            }),
            Some(Stopped::NotOpenYet) => person.pwd_start_time.map(|from| Closed::NotYet { from }),
            _ => None,
        };
        Card {
            dn: person.dn.clone(),
            login: person.login.clone(),
            display_name: person.display_name.clone(),
            given_name: person.given_name.clone(),
            sn: person.sn.clone(),
            identifiers: person.identifiers.clone(),
            affiliations: person.affiliations.clone(),
            ppolicy_lock: PpolicyLockView::of(person.ppolicy.lock, policy, now),
            policy_dn: policy.dn.clone(),
            self_service_locked,
            failures: (
                u32::try_from(failures).unwrap_or(u32::MAX),
                lockout.max_failures,
            ),
            frozen: state.frozen.as_ref().map(|raw| Frozen {
                since: parse_generalized_time(raw),
                reason: state.frozen_reason.clone(),
            }),
            password_changed,
            password_expires,
            password_expired: password_expires.is_some_and(|at| at <= now),
            must_change: person.password_must_change,
            temporary,
            code_until,
            never_activated: person.activation_pending,
            closed,
            channels: person
                .recovery_mails
                .iter()
                .map(|mail| mask_address(mail))
                .collect(),
            question,
            stopped,
        }
    }

    /// « Débloquer » would change something: a self-service lock or
    /// failures counted towards it, or ppolicy's lock.
    pub fn unlockable(&self) -> bool {
        self.self_service_locked.is_some() || self.failures.0 > 0 || self.ppolicy_lock.present()
    }

    /// The person can probably not log in anywhere now: a lock holds, the
    /// account is closed, or its password expired.
    pub fn cannot_log_in(&self) -> bool {
        matches!(
            self.ppolicy_lock,
            PpolicyLockView::Until { .. }
                | PpolicyLockView::ItLock
                | PpolicyLockView::UntilAdministrator { .. }
        ) || self.closed.is_some()
            || self.password_expired
    }
}

/// An address shown without giving it away: the first character of the
/// mailbox and of the domain, then `•••`, and the top-level domain
/// (`jean.dupont@gmail.com` → `j•••@g•••.com`). Enough for a caller to
/// recognise their own, not for anyone to write to it.
pub fn mask_address(address: &str) -> String {
    let (local, domain) = address.rsplit_once('@').unwrap_or((address, ""));
    let first = |part: &str| part.chars().next().map(String::from).unwrap_or_default();
    let (host, top) = domain.rsplit_once('.').unwrap_or((domain, ""));
    let mut masked = format!("{}•••@{}•••", first(local), first(host));
    if !top.is_empty() {
        masked.push('.');
        masked.push_str(top);
    }
    masked
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ppolicy::PpolicyState;
    use std::time::Duration;

    fn now() -> DateTime<Utc> {
        DateTime::<Utc>::from_timestamp(1_800_000_000, 0).unwrap()
    }

    fn person() -> Person {
        let mut person = crate::standing::tests::person();
        person.recovery_mails = vec!["jean.dupont@gmail.com".into()];
        person
    }

    fn policy() -> DirectoryPolicy {
        DirectoryPolicy {
            dn: "cn=default,ou=policies,dc=x".into(),
            lockout: true,
            max_failure: 5,
            lockout_duration: Duration::from_secs(900),
            max_age: Some(Duration::from_secs(180 * 86400)),
            ..DirectoryPolicy::default()
        }
    }

    fn lockout() -> LockoutSettings {
        LockoutSettings {
            max_failures: 3,
            lock_seconds: 600,
        }
    }

    fn card(person: &Person) -> Card {
        Card::of(person, &policy(), &lockout(), false, now())
    }

    #[test]
    fn addresses_are_masked_to_what_their_owner_recognises() {
        assert_eq!(mask_address("jean.dupont@gmail.com"), "j•••@g•••.com");
        assert_eq!(mask_address("a@b.fr"), "a•••@b•••.fr");
        assert_eq!(mask_address("élise@exemple.univ.fr"), "é•••@e•••.fr");
        assert_eq!(mask_address("x@localhost"), "x•••@l•••");
        assert!(!mask_address("jean.dupont@gmail.com").contains("dupont"));
    }

    #[test]
    fn a_plain_account_shows_nothing_that_stops_it() {
        let card = card(&person());
        assert_eq!(card.ppolicy_lock, PpolicyLockView::None);
        assert_eq!(card.self_service_locked, None);
        assert_eq!(card.frozen, None);
        assert_eq!(card.stopped, None);
        assert!(!card.unlockable());
        assert!(!card.cannot_log_in());
        assert_eq!(card.channels, ["j•••@g•••.com"]);
        assert_eq!(card.question, QuestionView::None);
    }

    #[test]
    fn ppolicy_s_lock_reads_with_the_effective_policy() {
        let mut locked = person();
        let since = now() - chrono::Duration::seconds(60);
        locked.ppolicy = PpolicyState {
            lock: PpolicyLock::Timed { since },
            subentry: None,
        };
        let card = card(&locked);
        assert_eq!(
            card.ppolicy_lock,
            PpolicyLockView::Until {
                since,
                until: since + chrono::Duration::seconds(900)
            }
        );
        assert!(card.unlockable() && card.cannot_log_in());
        assert!(!card.ppolicy_lock.for_good());
        // Run out: the value stays, binds work.
        let later = Card::of(
            &locked,
            &policy(),
            &lockout(),
            false,
            now() + chrono::Duration::seconds(3600),
        );
        assert_eq!(later.ppolicy_lock, PpolicyLockView::RanOut { since });
        assert!(!later.cannot_log_in() && later.unlockable());
        // Under a policy without a duration: until an administrator.
        let forever = DirectoryPolicy {
            lockout_duration: Duration::ZERO,
            ..policy()
        };
        let card = Card::of(&locked, &forever, &lockout(), false, now());
        assert_eq!(
            card.ppolicy_lock,
            PpolicyLockView::UntilAdministrator { since }
        );
        assert!(card.ppolicy_lock.for_good());
        assert_eq!(card.stopped, Some(Stopped::ItLock));
        locked.ppolicy.lock = PpolicyLock::Administrative;
        let card = card_of(&locked);
        assert_eq!(card.ppolicy_lock, PpolicyLockView::ItLock);
        assert_eq!(card.stopped, Some(Stopped::ItLock));
    }

    fn card_of(person: &Person) -> Card {
        card(person)
    }

    #[test]
    fn the_self_service_lock_and_the_failures_towards_it_show() {
        let mut person = person();
        person.state.failure_times = vec![
            now() - chrono::Duration::seconds(30),
            now() - chrono::Duration::seconds(3000),
        ];
        let card = card(&person);
        assert_eq!(card.failures, (1, 3), "only the window's failures count");
        assert!(card.unlockable());
        assert_eq!(card.self_service_locked, None);
        let until = now() + chrono::Duration::seconds(120);
        person.state.locked_until = Some(until);
        assert_eq!(card_of(&person).self_service_locked, Some(until));
    }

    #[test]
    fn a_freeze_shows_when_and_why() {
        let mut person = person();
        person.state.frozen = Some("20270115083000Z".into());
        person.state.frozen_reason = Some("not-me: the owner disowned…".into());
        let card = card(&person);
        let frozen = card.frozen.clone().unwrap();
        assert_eq!(frozen.since, parse_generalized_time("20270115083000Z"));
        assert!(frozen.reason.unwrap().starts_with("not-me:"));
        assert_eq!(card.stopped, Some(Stopped::Frozen));
        // IT's value that is no time still freezes.
        person.state.frozen = Some("yes".into());
        assert_eq!(card_of(&person).frozen.unwrap().since, None);
    }

    #[test]
    fn the_password_s_age_and_expiry_follow_the_policy() {
        let mut person = person();
        person.pwd_changed_time = Some("20270101000000Z".into());
        let changed = parse_generalized_time("20270101000000Z").unwrap();
        let card = card(&person);
        assert_eq!(card.password_changed, Some(changed));
        assert_eq!(
            card.password_expires,
            Some(changed + chrono::Duration::days(180))
        );
        assert!(
            !card.password_expired,
            "{:?} vs {}",
            card.password_expires,
            now()
        );
        let old = Card::of(
            &person,
            &policy(),
            &lockout(),
            false,
            changed + chrono::Duration::days(181),
        );
        assert!(old.password_expired && old.cannot_log_in());
        let no_age = DirectoryPolicy {
            max_age: None,
            ..policy()
        };
        assert_eq!(
            Card::of(&person, &no_age, &lockout(), false, now()).password_expires,
            None
        );
    }

    #[test]
    fn a_pending_temporary_password_or_code_shows_until_when() {
        let mut person = person();
        let until = now() + chrono::Duration::hours(2);
        person.password_must_change = true;
        person.state.temp_password_expiry = Some(until);
        let card = card(&person);
        assert!(card.must_change);
        assert_eq!(card.temporary, Some(TemporaryView::Written { until }));
        person.state.temp_password_expiry = Some(now() - chrono::Duration::hours(1));
        person.state.pending_temp_hash = Some("ab".into());
        person.state.pending_temp_expiry = Some(until);
        assert_eq!(
            card_of(&person).temporary,
            Some(TemporaryView::Held { until })
        );
        person.state.code_hash = Some("cd".into());
        person.state.code_expiry = Some(until);
        person.state.code_tries_left = Some(2);
        assert_eq!(card_of(&person).code_until, Some(until));
        person.state.code_tries_left = Some(0);
        assert_eq!(card_of(&person).code_until, None, "no try left");
    }

    #[test]
    fn never_activated_and_closed_accounts_say_so() {
        let mut person = person();
        person.activation_pending = true;
        assert!(card(&person).never_activated);
        let end = now() - chrono::Duration::days(1);
        person.pwd_end_time = Some(end);
        let card = card_of(&person);
        assert_eq!(card.closed, Some(Closed::Ended { at: Some(end) }));
        assert_eq!(card.stopped, Some(Stopped::Closed));
        person.pwd_end_time = None;
        let from = now() + chrono::Duration::days(3);
        person.pwd_start_time = Some(from);
        assert_eq!(card_of(&person).closed, Some(Closed::NotYet { from }));
    }

    #[test]
    fn the_question_shows_only_where_the_profile_allows_and_never_its_answer() {
        let mut person = person();
        person.state.question = Some("Ville natale ?".into());
        person.state.answer_hash = Some("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into());
        assert_eq!(card(&person).question, QuestionView::Set);
        let shown = Card::of(&person, &policy(), &lockout(), true, now());
        assert_eq!(shown.question, QuestionView::Shown("Ville natale ?".into()));
        assert!(
            !format!("{shown:?}").contains("argon2"),
            "no answer hash on the card"
        );
        // A question without its answer is no usable question.
        person.state.answer_hash = None;
        assert_eq!(card_of(&person).question, QuestionView::None);
    }
}
