//! What a password write carries besides the password: the state a new
//! password makes obsolete, and the change id that names the write.

use crate::ports::{Change, WriteKind};

/// How many times a write is planned again after the entry changed under
/// it (an attempt counted, a code spent by another request): each round
/// re-reads the entry and checks every rule again.
pub(crate) const WRITE_ROUNDS: u32 = 6;

/// What a new password makes obsolete, removed in the same modify: failed
/// attempts and the self-service lock, a pending code, a held temporary
/// password and the expiry of a written one (the secret question, the
/// mail cooldown and a freeze stay). A temporary password written into
/// `userPassword` sets its own expiry instead.
pub fn made_obsolete(kind: WriteKind) -> Vec<Change> {
    let mut changes = vec![
        Change::ClearFailures,
        Change::RemoveLock(None),
        Change::ClearCode,
        Change::DropHeldTemporary,
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
