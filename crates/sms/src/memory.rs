//! A sender that keeps texts in memory, for the gateway's own tests: a
//! test sends through the real flow, then reads what would have reached the
//! person's phone. The flows send off the request path, so a test waits for
//! a text with [`MemorySender::wait_for`] (woken by each send) instead of
//! sleeping.

use crate::number::MobileNumber;
use crate::outcome::SmsReceipt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::sync::Notify;

/// A text kept by a [`MemorySender`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentSms {
    /// The number it was sent to.
    pub to: MobileNumber,
    /// The text.
    pub text: String,
}

/// Keeps every text it is given; clones share the same list.
#[derive(Debug, Clone, Default)]
pub struct MemorySender {
    sent: Arc<Mutex<Vec<SentSms>>>,
    sent_one: Arc<Notify>,
}

impl MemorySender {
    /// An empty memory.
    pub fn new() -> MemorySender {
        MemorySender::default()
    }

    fn lock(&self) -> MutexGuard<'_, Vec<SentSms>> {
        // A test that panicked while holding the lock left a list that is
        // still whole: each push is one operation.
        self.sent
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(crate) fn send(&self, to: &MobileNumber, text: &str) -> SmsReceipt {
        self.lock().push(SentSms {
            to: to.clone(),
            text: text.to_owned(),
        });
        self.sent_one.notify_waiters();
        SmsReceipt::Recorded
    }

    /// Every text kept so far, oldest first.
    pub fn sent(&self) -> Vec<SentSms> {
        self.lock().clone()
    }

    /// Waits until at least `count` texts have been kept, or `timeout`
    /// passes; returns whether they were.
    pub async fn wait_for(&self, count: usize, timeout: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.sent_one.notified();
            tokio::pin!(notified);
            // Registered before the count is read, so a send between the
            // two cannot be missed.
            notified.as_mut().enable();
            if self.lock().len() >= count {
                return true;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return self.lock().len() >= count;
            }
        }
    }
}
