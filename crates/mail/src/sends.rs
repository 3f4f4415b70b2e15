//! The send slots (`mail.max_concurrent_sends`): how many mails go to the
//! relay at once, and in which order the waiting ones get a slot. A mail a
//! person waits for on a page (a code, a temporary password, a login
//! reminder) gets the next free slot before every other mail waiting (the
//! confirmations, the notices); within each kind, first come first
//! served.
//!
//! A [`Slot`] gives itself back when dropped, to the first waiter that
//! still waits (a waiter whose task was dropped is skipped), so no slot
//! can leak: not on an error, not while a panicking task unwinds.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use tokio::sync::oneshot;

/// Who may send now, and who waits.
#[derive(Debug)]
pub(crate) struct Sends {
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    free: usize,
    awaited: VecDeque<oneshot::Sender<Slot>>,
    others: VecDeque<oneshot::Sender<Slot>>,
}

/// The right to send one mail now.
#[derive(Debug)]
pub(crate) struct Slot {
    sends: Option<Arc<Sends>>,
}

impl Sends {
    pub(crate) fn new(slots: usize) -> Arc<Sends> {
        Arc::new(Sends {
            state: Mutex::new(State {
                free: slots,
                awaited: VecDeque::new(),
                others: VecDeque::new(),
            }),
        })
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// A slot, at once when one is free, else when one is given back;
    /// `awaited` mails are served first.
    pub(crate) async fn acquire(self: &Arc<Self>, awaited: bool) -> Slot {
        loop {
            let waiting = {
                let mut state = self.state();
                // Slots are handed to waiters before they are counted free,
                // so a free slot means nobody waits.
                if state.free > 0 {
                    state.free -= 1;
                    return Slot {
                        sends: Some(Arc::clone(self)),
                    };
                }
                let (tell, waiting) = oneshot::channel();
                if awaited {
                    state.awaited.push_back(tell);
                } else {
                    state.others.push_back(tell);
                }
                waiting
            };
            // The sender lives in the queue until a slot is handed to it.
            if let Ok(slot) = waiting.await {
                return slot;
            }
        }
    }

    /// Hands a slot to the first waiter still waiting, or counts it free.
    fn give_back(self: &Arc<Self>) {
        loop {
            let next = {
                let mut state = self.state();
                match state
                    .awaited
                    .pop_front()
                    .or_else(|| state.others.pop_front())
                {
                    Some(next) => next,
                    None => {
                        state.free += 1;
                        return;
                    }
                }
            };
            let slot = Slot {
                sends: Some(Arc::clone(self)),
            };
            match next.send(slot) {
                Ok(()) => return,
                // That waiter is gone: the slot must not give itself back
                // (it is being handed on here).
                Err(mut slot) => slot.sends = None,
            }
        }
    }

    /// Slots free now.
    #[cfg(test)]
    pub(crate) fn free(&self) -> usize {
        self.state().free
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        if let Some(sends) = self.sends.take() {
            sends.give_back();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn an_awaited_mail_gets_the_next_slot_before_the_others_waiting() {
        let sends = Sends::new(1);
        let held = sends.acquire(false).await;
        let order = Arc::new(Mutex::new(Vec::new()));
        let mut tasks = Vec::new();
        for (name, awaited) in [
            ("confirmation 1", false),
            ("confirmation 2", false),
            ("code", true),
        ] {
            let (sends, order) = (sends.clone(), order.clone());
            tasks.push(tokio::spawn(async move {
                let _slot = sends.acquire(awaited).await;
                order.lock().unwrap().push(name);
            }));
            // Each is waiting before the next asks.
            tokio::task::yield_now().await;
        }
        drop(held);
        for task in tasks {
            task.await.unwrap();
        }
        assert_eq!(
            *order.lock().unwrap(),
            ["code", "confirmation 1", "confirmation 2"]
        );
        assert_eq!(sends.free(), 1);
    }

    #[tokio::test]
    async fn a_waiter_that_gave_up_does_not_swallow_the_slot() {
        let sends = Sends::new(1);
        let held = sends.acquire(true).await;
        let gone = tokio::time::timeout(Duration::from_millis(10), sends.acquire(true)).await;
        assert!(gone.is_err());
        drop(held);
        assert_eq!(sends.free(), 1);
        let _again = sends.acquire(false).await;
        assert_eq!(sends.free(), 0);
    }
}
