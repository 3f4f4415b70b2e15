//! In-process serialisation of writes to one entry. Two writes to the same
//! entry at the same moment can fail inside ppolicy (rc 16 on `pwdHistory`),
//! so a replica never sends two at once; across replicas the write paths
//! retry once. The map holds weak references and drops dead ones on every
//! use, so it only ever holds the entries being written right now.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};
use tokio::sync::OwnedMutexGuard;

#[derive(Default)]
pub struct EntryLocks {
    locks: Mutex<HashMap<String, Weak<tokio::sync::Mutex<()>>>>,
}

/// Held while writing to one entry.
pub struct EntryGuard {
    _guard: OwnedMutexGuard<()>,
}

impl EntryLocks {
    pub async fn lock(&self, dn: &str) -> EntryGuard {
        // DNs compare case-insensitively for the attribute types used here.
        let key = dn.to_lowercase();
        let mutex = {
            let mut map = match self.locks.lock() {
                Ok(map) => map,
                Err(poisoned) => poisoned.into_inner(),
            };
            map.retain(|_, weak| weak.strong_count() > 0);
            match map.get(&key).and_then(Weak::upgrade) {
                Some(existing) => existing,
                None => {
                    let fresh = Arc::new(tokio::sync::Mutex::new(()));
                    map.insert(key, Arc::downgrade(&fresh));
                    fresh
                }
            }
        };
        EntryGuard {
            _guard: mutex.lock_owned().await,
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.locks.lock().map(|m| m.len()).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn writes_to_one_entry_wait_for_each_other() {
        let locks = Arc::new(EntryLocks::default());
        let first = locks.lock("uid=a,ou=people").await;
        let second = {
            let locks = locks.clone();
            tokio::spawn(async move {
                let _g = locks.lock("UID=A,ou=people").await;
            })
        };
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!second.is_finished(), "a second writer got in");
        drop(first);
        tokio::time::timeout(Duration::from_secs(5), second)
            .await
            .unwrap()
            .unwrap();
    }

    #[tokio::test]
    async fn other_entries_are_not_blocked() {
        let locks = EntryLocks::default();
        let _a = locks.lock("uid=a").await;
        tokio::time::timeout(Duration::from_secs(1), locks.lock("uid=b"))
            .await
            .unwrap();
    }

    #[tokio::test]
    async fn the_map_does_not_grow_forever() {
        let locks = EntryLocks::default();
        for i in 0..1000 {
            let _g = locks.lock(&format!("uid=p{i}")).await;
        }
        let _last = locks.lock("uid=last").await;
        assert_eq!(locks.len(), 1);
    }
}
