//! What a password write carries besides the password: the state a new
//! password makes obsolete, and the change id that names the write.

use crate::ports::{Change, WriteKind};
use chrono::{DateTime, Utc};

/// How many times a write is planned again after the entry changed under
/// it (an attempt counted, a code spent by another request): each round
/// re-reads the entry and checks every rule again.
pub(crate) const WRITE_ROUNDS: u32 = 6;

/// What a new password makes obsolete, removed in the same modify: failed
/// attempts and the self-service lock, a pending code, a held temporary
/// password and the expiry of a written one, and the site's « to be
/// activated » mark — an account whose password was set, by any flow, is
/// in use, and « Activer mon compte » must not reopen it to whoever knows
/// a student number and a birth date (the secret question, the mail
/// cooldown and a freeze stay). A temporary password written into
/// `userPassword` sets its own expiry instead.
pub fn made_obsolete(kind: WriteKind) -> Vec<Change> {
    let mut changes = vec![
        Change::ClearFailures,
        Change::RemoveLock(None),
        Change::ClearCode,
        Change::DropHeldTemporary,
        Change::EndActivation,
    ];
    if !matches!(kind, WriteKind::Temporary { .. }) {
        changes.push(Change::ClearTemporaryExpiry);
    }
    changes
}

/// A change id for a write no flow will look for (a temporary password,
/// a retirement): random, so that a « Ce n'était pas moi » link of the
/// previous change is void after it.
pub fn random_change_id() -> String {
    hex::encode(rand::random::<[u8; 16]>())
}

/// The change id of a temporary password written at `at`:
/// `t<Unix seconds>-<random>`, so that the expiry sweep can tell whether
/// the password was changed since, outside the gateway ([`temporary_written_at`]).
pub fn temporary_change_id(at: DateTime<Utc>) -> String {
    format!("t{}-{}", at.timestamp(), random_change_id())
}

/// When the temporary password `change_id` names was written (to the
/// second); `None` for any other change id (a random one is hex, never
/// `t`).
pub fn temporary_written_at(change_id: &str) -> Option<DateTime<Utc>> {
    let (seconds, _) = change_id.strip_prefix('t')?.split_once('-')?;
    DateTime::from_timestamp(seconds.parse().ok()?, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_temporary_change_id_tells_when_it_was_written_and_no_other_does() {
        let at = DateTime::from_timestamp(1_800_000_123, 0).unwrap();
        assert_eq!(temporary_written_at(&temporary_change_id(at)), Some(at));
        assert_eq!(temporary_written_at(&random_change_id()), None);
        for hostile in ["t", "t-", "tx-1", "t99999999999999999999-a", ""] {
            assert_eq!(temporary_written_at(hostile), None, "{hostile}");
        }
    }
}
