//! The per-person limit on every mail a visitor can make the gateway send,
//! as arithmetic over the time of the last one (`passerelleMailSentTime`):
//! one per `flows.code_resend_seconds`, whatever the address or replica
//! asking.

use crate::person::GatewayState;
use crate::ports::Change;
use chrono::{DateTime, Utc};
use std::time::Duration;

/// How far in the future a stored mail time may lie and still count: a
/// replica whose clock is a little ahead. Beyond this the value is ignored,
/// so that a clock far ahead or a value typed by hand cannot block a person
/// for ever.
const CLOCK_SKEW_SECONDS: i64 = 5;

/// The outcome of claiming the right to mail a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailClaim {
    /// This replica may send now; the time is recorded on the entry.
    Granted,
    /// A mail went out less than the cooldown ago: send nothing.
    TooSoon { next_at: DateTime<Utc> },
}

/// The per-person cooldown as arithmetic: granted (and `now` recorded)
/// unless the last mail went out less than `cooldown` before `now`. A
/// recorded time more than a few seconds in the future is ignored rather
/// than allowed to block the person for ever.
pub fn plan_claim(
    state: &GatewayState,
    cooldown: Duration,
    now: DateTime<Utc>,
) -> (Vec<Change>, MailClaim) {
    let cooldown = chrono::Duration::from_std(cooldown).unwrap_or(chrono::Duration::MAX);
    let skew = chrono::Duration::seconds(CLOCK_SKEW_SECONDS);
    if let Some(sent) = state.mail_sent {
        let next_at = sent
            .checked_add_signed(cooldown)
            .unwrap_or(DateTime::<Utc>::MAX_UTC);
        if now < next_at && sent <= now + skew {
            return (Vec::new(), MailClaim::TooSoon { next_at });
        }
    }
    (vec![Change::MailSent(now)], MailClaim::Granted)
}

/// The outcome of claiming the right to send a person an SMS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmsClaim {
    /// This replica may send now; the time is recorded on the entry.
    Granted,
    /// An SMS went out less than the cooldown ago.
    TooSoon { next_at: DateTime<Utc> },
    /// `daily_max` SMS went out within the last 24 hours.
    DailyCap { next_at: DateTime<Utc> },
}

/// The per-person limits on SMS as arithmetic over the times of the last
/// ones (`passerelleSmsSentTime`, one value each): one per `cooldown`, and
/// `daily_max` in any 24 hours. Granted with `now` recorded, and the times
/// older than a day (or far in the future: a clock or a hand gone wrong)
/// forgotten in the same modify; refused without a change otherwise.
pub fn plan_sms_claim(
    state: &GatewayState,
    cooldown: Duration,
    daily_max: u32,
    now: DateTime<Utc>,
) -> (Vec<Change>, SmsClaim) {
    let cooldown = chrono::Duration::from_std(cooldown).unwrap_or(chrono::Duration::MAX);
    let day = chrono::Duration::days(1);
    let skew = chrono::Duration::seconds(CLOCK_SKEW_SECONDS);
    let (counted, stale): (Vec<DateTime<Utc>>, Vec<DateTime<Utc>>) = state
        .sms_sent
        .iter()
        .copied()
        .partition(|sent| *sent > now - day && *sent <= now + skew);
    if let Some(last) = counted.iter().max() {
        let next_at = last
            .checked_add_signed(cooldown)
            .unwrap_or(DateTime::<Utc>::MAX_UTC);
        if now < next_at {
            return (Vec::new(), SmsClaim::TooSoon { next_at });
        }
    }
    if counted.len() >= usize::try_from(daily_max).unwrap_or(usize::MAX) {
        let oldest = counted.iter().min().copied().unwrap_or(now);
        return (
            Vec::new(),
            SmsClaim::DailyCap {
                next_at: oldest + day,
            },
        );
    }
    // A value of its own, distinct from any already there (the
    // attribute's precision is the microsecond).
    let mut at = now;
    while state.sms_sent.contains(&at) {
        at += chrono::Duration::microseconds(1);
    }
    let mut changes = Vec::new();
    if !stale.is_empty() {
        changes.push(Change::ForgetSmsSent(stale));
    }
    changes.push(Change::SmsSent(at));
    (changes, SmsClaim::Granted)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::<Utc>::from_timestamp(1_800_000_000 + seconds, 0).unwrap()
    }

    fn mailed_at(seconds: i64) -> GatewayState {
        GatewayState {
            mail_sent: Some(at(seconds)),
            ..GatewayState::default()
        }
    }

    const MINUTE: Duration = Duration::from_secs(60);

    #[test]
    fn a_first_mail_is_granted_and_its_time_recorded() {
        let (changes, claim) = plan_claim(&GatewayState::default(), MINUTE, at(0));
        assert_eq!(claim, MailClaim::Granted);
        assert_eq!(changes, vec![Change::MailSent(at(0))]);
    }

    #[test]
    fn a_mail_within_the_cooldown_is_refused_until_its_last_second() {
        let (changes, claim) = plan_claim(&mailed_at(-59), MINUTE, at(0));
        assert!(changes.is_empty());
        assert_eq!(claim, MailClaim::TooSoon { next_at: at(1) });
        // At the cooldown's very end, granted.
        assert_eq!(
            plan_claim(&mailed_at(-60), MINUTE, at(0)).1,
            MailClaim::Granted
        );
    }

    fn texted_at(seconds: &[i64]) -> GatewayState {
        GatewayState {
            sms_sent: seconds.iter().map(|s| at(*s)).collect(),
            ..GatewayState::default()
        }
    }

    #[test]
    fn an_sms_waits_for_the_cooldown_then_the_daily_cap_stops_the_next() {
        let hour = 3600;
        let (changes, claim) = plan_sms_claim(&texted_at(&[]), MINUTE, 3, at(0));
        assert_eq!(claim, SmsClaim::Granted);
        assert_eq!(changes, vec![Change::SmsSent(at(0))]);
        assert_eq!(
            plan_sms_claim(&texted_at(&[-30]), MINUTE, 3, at(0)).1,
            SmsClaim::TooSoon { next_at: at(30) }
        );
        let three = texted_at(&[-5 * hour, -3 * hour, -hour]);
        assert_eq!(
            plan_sms_claim(&three, MINUTE, 3, at(0)).1,
            SmsClaim::DailyCap {
                next_at: at(19 * hour)
            }
        );
        // A day after the oldest, one more; the oldest is forgotten with it.
        let (changes, claim) = plan_sms_claim(&three, MINUTE, 3, at(19 * hour));
        assert_eq!(claim, SmsClaim::Granted);
        assert_eq!(
            changes,
            vec![
                Change::ForgetSmsSent(vec![at(-5 * hour)]),
                Change::SmsSent(at(19 * hour))
            ]
        );
        // A value typed by hand a year ahead neither blocks nor counts.
        let (_, claim) = plan_sms_claim(&texted_at(&[365 * 24 * hour]), MINUTE, 1, at(0));
        assert_eq!(claim, SmsClaim::Granted);
    }

    #[test]
    fn a_time_a_little_ahead_counts_and_one_far_ahead_is_ignored() {
        // Another replica's clock, 3 s ahead: still a cooldown.
        assert!(matches!(
            plan_claim(&mailed_at(3), MINUTE, at(0)).1,
            MailClaim::TooSoon { .. }
        ));
        // A value typed by hand a year ahead must not block for ever.
        assert_eq!(
            plan_claim(&mailed_at(365 * 86_400), MINUTE, at(0)).1,
            MailClaim::Granted
        );
    }
}
