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
