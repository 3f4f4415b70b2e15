//! Password expiry notices (`passerelle notify-expiring`): mails the
//! people whose password expires within one of `expiry.notice_days`, with
//! a link to « Gérer mon compte » (`/account`). Meant to run once a day
//! from a timer (config/systemd/passerelle-notify-expiring.timer); the CAF
//! Partenaires seed's six-month validity is the use case.
//!
//! A password expires at `pwdChangedTime` + the `pwdMaxAge` of the
//! person's effective policy (the directory's policy for them: their
//! `pwdPolicySubentry`, else the default policy); no `pwdMaxAge`, no
//! expiry. The threshold of a person is the smallest configured number of
//! days that is at least the days left (rounded up): with `[14, 7, 1]`, 10
//! days left is the 14-day notice, 5 days left the 7-day one. Each notice
//! is recorded on the entry before it is mailed
//! (`passerelleExpiryNotice: <pwdChangedTime> <days>`, claimed so that two
//! runs at once mail once), so every threshold is mailed once per password
//! and a new password starts again. A password already expired, an
//! account frozen by its owner (« Ce n'était pas moi ») or locked by IT,
//! and a person without an address get nothing.

use crate::flow::{FlowName, Link};
use crate::gateway::Gateway;
use crate::generalized_time::parse_generalized_time;
use crate::mail::{MailKind, OutgoingMail};
use crate::person::Person;
use crate::ports::{Change, DirectoryError};
use crate::standing::standing;
use chrono::{DateTime, Utc};

/// What a run did, for its summary line and the tests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// People with a password the run looked at.
    pub people: usize,
    /// Notices mailed (queued to the relay).
    pub mailed: usize,
    /// Notices due but already recorded on the entry by an earlier run.
    pub already_sent: usize,
    /// Notices due to people without any address.
    pub no_address: usize,
    /// People the run could not handle (a policy or entry it could not read
    /// or write); logged one by one.
    pub errors: usize,
}

/// The threshold due for a password expiring at `expires`, seen at `now`:
/// the smallest of `notice_days` that is at least the whole days left
/// (rounded up), with those days. `None` when no notice is due (expired
/// already, or further away than every threshold).
pub fn due(expires: DateTime<Utc>, now: DateTime<Utc>, notice_days: &[u32]) -> Option<(u32, u32)> {
    let left = expires - now;
    if left <= chrono::Duration::zero() {
        return None;
    }
    let days_left = u32::try_from(left.num_seconds().div_euclid(86_400) + 1).ok()?;
    // Exactly a whole number of days left counts as that many, not one more.
    let days_left = if left.num_seconds() % 86_400 == 0 {
        days_left - 1
    } else {
        days_left
    };
    let threshold = notice_days
        .iter()
        .copied()
        .filter(|d| *d >= days_left)
        .min()?;
    Some((threshold, days_left))
}

/// One run over `people` (every person with a password, as the directory
/// pages them in: the run holds one page at a time, never the directory),
/// at `now`, for the thresholds `notice_days` (`expiry.notice_days`). A
/// directory error ends the run; it is counted in the report.
pub async fn notify_expiring(
    gateway: &Gateway,
    mut people: tokio::sync::mpsc::Receiver<Result<Person, DirectoryError>>,
    notice_days: &[u32],
    now: DateTime<Utc>,
) -> Report {
    let mut report = Report::default();
    if notice_days.is_empty() {
        return report;
    }
    while let Some(person) = people.recv().await {
        let person = match person {
            Ok(person) => person,
            Err(error) => {
                report.errors += 1;
                tracing::warn!(%error, "reading the people with a password failed; run ended");
                break;
            }
        };
        report.people += 1;
        if let Err(error) = notify_one(gateway, notice_days, &person, now, &mut report).await {
            report.errors += 1;
            tracing::warn!(%error, dn = %person.dn, "could not handle an expiry notice");
        }
    }
    report
}

/// `people` as [`notify_expiring`] takes them (tests, tools).
pub fn paged(people: Vec<Person>) -> tokio::sync::mpsc::Receiver<Result<Person, DirectoryError>> {
    let (sender, receiver) = tokio::sync::mpsc::channel(people.len().max(1));
    for person in people {
        // The channel holds them all.
        let _ = sender.try_send(Ok(person));
    }
    receiver
}

async fn notify_one(
    gateway: &Gateway,
    notice_days: &[u32],
    person: &Person,
    now: DateTime<Utc>,
    report: &mut Report,
) -> anyhow::Result<()> {
    let Some(changed_raw) = person.pwd_changed_time.as_deref() else {
        return Ok(());
    };
    let Some(changed) = parse_generalized_time(changed_raw) else {
        return Ok(());
    };
    let policy = gateway.directory().policy(person).await?;
    let Some(max_age) = policy.max_age else {
        return Ok(());
    };
    let expires = changed + chrono::Duration::from_std(max_age)?;
    let Some((threshold, days_left)) = due(expires, now, notice_days) else {
        return Ok(());
    };
    if standing(person, &policy, now).is_err() {
        return Ok(());
    }
    let Some(to) = person.notice_address().cloned() else {
        report.no_address += 1;
        return Ok(());
    };
    let notice = format!("{changed_raw} {threshold}");
    // Recorded before it is mailed, unless the entry already records it:
    // exactly one of several runs at once mails it.
    // Only for the password read: one changed since has its own expiry.
    let claimed = gateway
        .update(person, false, |fresh| {
            if fresh.pwd_changed_time != person.pwd_changed_time {
                return None;
            }
            Some(
                if fresh.state.expiry_notice.as_deref() == Some(notice.as_str()) {
                    (Vec::new(), false)
                } else {
                    (vec![Change::ExpiryNotice(notice.clone())], true)
                },
            )
        })
        .await?;
    match claimed {
        None => return Ok(()),
        Some(false) => {
            report.already_sent += 1;
            return Ok(());
        }
        Some(true) => {}
    }
    let settings = gateway.settings();
    let lang = passerelle_text::Lang::from_tag(&settings.site.default_language).unwrap_or_default();
    let mail = OutgoingMail::new(
        to,
        lang,
        MailKind::PasswordExpiring {
            login: person.login.clone(),
            expires: expires.fixed_offset(),
            days_left,
            account_url: Link::Start(FlowName::Account).url(&settings.public_url),
        },
    )
    .with_name(person.display_name.clone());
    gateway.send_unwatched(mail).await;
    tracing::info!(target: "audit", flow = "expiry", step = "notice", outcome = "mailed", account = %person.login, days = threshold, "expiry notice: mailed");
    report.mailed += 1;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_threshold_is_the_smallest_that_covers_the_days_left() {
        let now = Utc::now();
        let days = |d: i64, h: i64| now + chrono::Duration::days(d) + chrono::Duration::hours(h);
        let notices = [14, 7, 1];
        assert_eq!(due(days(20, 0), now, &notices), None);
        assert_eq!(due(days(13, 12), now, &notices), Some((14, 14)));
        assert_eq!(due(days(10, 0), now, &notices), Some((14, 10)));
        assert_eq!(due(days(7, 0), now, &notices), Some((7, 7)));
        assert_eq!(due(days(4, 3), now, &notices), Some((7, 5)));
        assert_eq!(due(days(0, 5), now, &notices), Some((1, 1)));
        assert_eq!(due(days(0, -1), now, &notices), None, "already expired");
        assert_eq!(due(days(3, 0), now, &[]), None);
    }
}
