//! Whether a person may use self-service now, for every reason the
//! directory can give: IT's lock for good, a « Ce n'était pas moi »
//! freeze, an account past its end (`pwdEndTime`, `shadowExpire`) or not
//! open yet (`pwdStartTime`). Every step that writes anything (a password,
//! a question, a code, a temporary password, a recovery value) asks this at
//! the moment of writing, on the entry as it is then; a mail a visitor
//! asks for is refused alike. ppolicy's *timed* lock is not among them: a
//! reset that proves identity lifts it (DESIGN.md, "Rules every flow
//! obeys").

use crate::person::Person;
use crate::ppolicy::DirectoryPolicy;
use chrono::{DateTime, Utc};

/// Why self-service is stopped for a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stopped {
    /// IT's lock (`pwdAccountLockedTime: 000001010000Z`), or ppolicy's lock
    /// under a policy without a lockout duration: until an administrator
    /// lifts it.
    ItLock,
    /// The owner disowned a change; only IT lifts the freeze.
    Frozen,
    /// `pwdEndTime` or `shadowExpire` reached: every service refuses the
    /// account, so a new password would only mislead its owner.
    Closed,
    /// `pwdStartTime` still to come.
    NotOpenYet,
}

/// Whether `person` may use self-service at `now` under `policy` (their
/// effective policy, for the length of ppolicy's lock).
pub fn standing(
    person: &Person,
    policy: &DirectoryPolicy,
    now: DateTime<Utc>,
) -> Result<(), Stopped> {
    if person.ppolicy.lock.stops_self_service(policy) {
        return Err(Stopped::ItLock);
    }
    if person.state.frozen.is_some() {
        return Err(Stopped::Frozen);
    }
    if person.pwd_end_time.is_some_and(|end| end <= now) || shadow_expired(person, now) {
        return Err(Stopped::Closed);
    }
    if person.pwd_start_time.is_some_and(|start| start > now) {
        return Err(Stopped::NotOpenYet);
    }
    Ok(())
}

/// `shadowExpire` reached: the account expires at the start of that day
/// (UTC), as pam_unix reads it (expired once today's day number is at
/// least the value).
fn shadow_expired(person: &Person, now: DateTime<Utc>) -> bool {
    let today = now.timestamp().div_euclid(86_400);
    person
        .shadow_expire
        .is_some_and(|day| day > 0 && today >= day)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::ppolicy::{PpolicyLock, PpolicyState};

    pub(crate) fn person() -> Person {
        Person {
            login: "t".into(),
            display_name: "t".into(),
            has_gateway_class: true,
            ..Person::bare("uid=t,ou=people,dc=example,dc=org")
        }
    }

    fn now() -> DateTime<Utc> {
        DateTime::<Utc>::from_timestamp(1_800_000_000, 0).unwrap()
    }

    fn policy_with_lockout(seconds: u64) -> DirectoryPolicy {
        DirectoryPolicy {
            lockout: true,
            lockout_duration: std::time::Duration::from_secs(seconds),
            ..DirectoryPolicy::default()
        }
    }

    #[test]
    fn an_account_without_marks_may_use_self_service() {
        assert_eq!(
            standing(&person(), &DirectoryPolicy::default(), now()),
            Ok(())
        );
    }

    #[test]
    fn it_s_lock_stops_and_ppolicy_s_timed_lock_does_not() {
        let mut locked = person();
        locked.ppolicy = PpolicyState {
            lock: PpolicyLock::Administrative,
            subentry: None,
        };
        assert_eq!(
            standing(&locked, &policy_with_lockout(900), now()),
            Err(Stopped::ItLock)
        );
        locked.ppolicy.lock = PpolicyLock::Timed { since: now() };
        assert_eq!(standing(&locked, &policy_with_lockout(900), now()), Ok(()));
        // A timed lock under a policy without a duration lasts until IT.
        assert_eq!(
            standing(&locked, &policy_with_lockout(0), now()),
            Err(Stopped::ItLock)
        );
    }

    #[test]
    fn a_freeze_stops_until_it_is_lifted() {
        let mut frozen = person();
        frozen.state.frozen = Some("20260101000000Z".into());
        assert_eq!(
            standing(&frozen, &DirectoryPolicy::default(), now()),
            Err(Stopped::Frozen)
        );
    }

    #[test]
    fn an_end_time_closes_the_account_from_its_very_second() {
        let mut closing = person();
        closing.pwd_end_time = Some(now() + chrono::Duration::seconds(1));
        assert_eq!(
            standing(&closing, &DirectoryPolicy::default(), now()),
            Ok(())
        );
        closing.pwd_end_time = Some(now());
        assert_eq!(
            standing(&closing, &DirectoryPolicy::default(), now()),
            Err(Stopped::Closed)
        );
    }

    #[test]
    fn shadow_expire_closes_the_account_from_the_start_of_its_day() {
        let today = now().timestamp().div_euclid(86_400);
        let mut shadow = person();
        shadow.shadow_expire = Some(today + 1);
        assert_eq!(
            standing(&shadow, &DirectoryPolicy::default(), now()),
            Ok(())
        );
        shadow.shadow_expire = Some(today);
        assert_eq!(
            standing(&shadow, &DirectoryPolicy::default(), now()),
            Err(Stopped::Closed)
        );
        // -1 and 0 mean "never" in the shadow suite's tools.
        for never in [-1, 0] {
            shadow.shadow_expire = Some(never);
            assert_eq!(
                standing(&shadow, &DirectoryPolicy::default(), now()),
                Ok(())
            );
        }
    }

    #[test]
    fn a_start_time_to_come_keeps_the_account_closed_until_then() {
        let mut early = person();
        early.pwd_start_time = Some(now() + chrono::Duration::seconds(1));
        assert_eq!(
            standing(&early, &DirectoryPolicy::default(), now()),
            Err(Stopped::NotOpenYet)
        );
        early.pwd_start_time = Some(now());
        assert_eq!(standing(&early, &DirectoryPolicy::default(), now()), Ok(()));
    }
}
