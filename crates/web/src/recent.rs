//! Requests already seen on this replica, from a client address (its
//! [`crate::client::ClientInfo::network`]: an IPv6 client by its /64) or for
//! a typed identifier. The flows that answer the same page whatever happened
//! (`/temporary`, the first step of `/code`) have no visible failure to
//! bring the captcha back under `captcha.mode = "after_failure"`: for them
//! a "failure" is a second request from the same address, or for the same
//! identifier, within the window (`lockout.lock_seconds`). Kept in memory,
//! like the per-address rate limit; identifiers are kept only as a keyed
//! hash, never as typed.

use ipnet::IpNet;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The table is swept no sooner than at this size.
const SWEEP_FLOOR: usize = 10_000;

pub struct RecentRequests {
    seen: Mutex<HashMap<[u8; 32], Instant>>,
    window: Duration,
    /// A random key of this process's, so what the table holds cannot be
    /// matched against guessed identifiers without it.
    secret: [u8; 32],
}

impl RecentRequests {
    pub fn new(window: Duration) -> RecentRequests {
        let mut secret = [0u8; 32];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut secret);
        RecentRequests {
            seen: Mutex::new(HashMap::new()),
            window,
            secret,
        }
    }

    fn key(&self, kind: &str, value: &str) -> [u8; 32] {
        let mut hash = Sha256::new();
        hash.update(self.secret);
        hash.update(kind.as_bytes());
        hash.update([0]);
        // As it reads, in small letters: `JDupont`, `jdupont` and
        // `jdupont` with a zero-width space are one identifier.
        hash.update(passerelle_text::as_read(value).to_lowercase().as_bytes());
        hash.finalize().into()
    }

    fn seen(&self, key: &[u8; 32]) -> bool {
        self.seen
            .lock()
            .map(|seen| seen.get(key).is_some_and(|at| at.elapsed() < self.window))
            // A poisoned lock: ask for the captcha rather than skip it.
            .unwrap_or(true)
    }

    /// Whether a request came from the client `address` (its network, see
    /// the module) within the window.
    pub fn from_address(&self, address: IpNet) -> bool {
        self.seen(&self.key("address", &address.to_string()))
    }

    /// Whether a request named `typed` (or `address` asked) within the
    /// window.
    pub fn any(&self, address: IpNet, typed: &str) -> bool {
        self.from_address(address) || self.seen(&self.key("typed", typed))
    }

    /// Records a request from `address` for `typed`.
    pub fn note(&self, address: IpNet, typed: &str) {
        let Ok(mut seen) = self.seen.lock() else {
            return;
        };
        if seen.len() >= SWEEP_FLOOR {
            let window = self.window;
            seen.retain(|_, at| at.elapsed() < window);
        }
        let now = Instant::now();
        seen.insert(self.key("address", &address.to_string()), now);
        seen.insert(self.key("typed", typed), now);
    }
}

/// How many times the recording of each captcha was fetched on this
/// replica, by the challenge's tag (`Challenge::tag`: derived from its
/// id, it tells nothing of the text). The recording of one challenge is
/// always the same, so fetching it again teaches a robot nothing; the
/// bound keeps a script from making the replica render it without end.
pub struct AudioFetches {
    fetched: Mutex<Fetched>,
    /// Longer than any flow that shows the challenge can live.
    keep: Duration,
}

struct Fetched {
    /// When each challenge's recording was first fetched, and how often.
    by_tag: HashMap<String, (Instant, u8)>,
    /// Size at which old entries are next swept out. It doubles with what
    /// survives a sweep, so that a table full of live entries (a script
    /// opening flows by the thousand) is not scanned at every fetch.
    sweep_at: usize,
}

impl AudioFetches {
    pub fn new(keep: Duration) -> AudioFetches {
        AudioFetches {
            fetched: Mutex::new(Fetched {
                by_tag: HashMap::new(),
                sweep_at: SWEEP_FLOOR,
            }),
            keep,
        }
    }

    /// Counts a fetch of the recording of the challenge tagged `tag`:
    /// false, and not counted, once it was fetched `bound` times.
    pub fn take(&self, tag: &str, bound: u8) -> bool {
        // A poisoned lock: refuse rather than render without a bound.
        let Ok(mut fetched) = self.fetched.lock() else {
            return false;
        };
        if fetched.by_tag.len() >= fetched.sweep_at {
            let keep = self.keep;
            fetched
                .by_tag
                .retain(|_, (first, _)| first.elapsed() < keep);
            fetched.sweep_at = (fetched.by_tag.len() * 2).max(SWEEP_FLOOR);
        }
        let (_, count) = fetched
            .by_tag
            .entry(tag.to_owned())
            .or_insert((Instant::now(), 0));
        if *count >= bound {
            return false;
        }
        *count += 1;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::IpAddr;

    #[test]
    fn an_identifier_is_seen_however_it_is_written() {
        let recent = RecentRequests::new(Duration::from_secs(60));
        recent.note(IpNet::from(IpAddr::from([192, 0, 2, 1])), "JDupont");
        let elsewhere = IpNet::from(IpAddr::from([192, 0, 2, 2]));
        for typed in ["jdupont", " JDUPONT ", "jdupont\u{200B}", "ｊｄｕｐｏｎｔ"] {
            assert!(recent.any(elsewhere, typed), "{typed:?}");
        }
        assert!(!recent.any(elsewhere, "jdupond"));
    }

    #[test]
    fn a_recording_is_fetched_at_most_the_bound_times_per_challenge() {
        let fetches = AudioFetches::new(Duration::from_secs(60));
        assert!((0..3).all(|_| fetches.take("a1b2", 3)));
        assert!(!fetches.take("a1b2", 3));
        assert!(!fetches.take("a1b2", 3));
        assert!(fetches.take("c3d4", 3), "another challenge");
    }

    #[test]
    fn a_second_request_from_the_address_or_for_the_identifier_is_seen() {
        let recent = RecentRequests::new(Duration::from_secs(60));
        let a: IpNet = "10.0.0.1/32".parse().unwrap();
        let b: IpNet = "10.0.0.2/32".parse().unwrap();
        assert!(!recent.any(a, "F123"));
        recent.note(a, "F123");
        assert!(recent.from_address(a));
        assert!(recent.any(b, " f123 "), "same identifier, other address");
        assert!(!recent.any(b, "F124"));
    }
}
