//! Sameness under load: no failed check is answered before a floor of
//! time has passed since its request began, so that the work a known
//! person's failure causes (an attempt written on the entry, a bind that
//! slapd checks and records) cannot be told from an unknown person's by
//! the response time. The floor rises with the work recent failures took.

use std::time::{Duration, Instant};

/// No failed check is answered sooner than this: longer than a look-up and
/// a failure write take together on a healthy directory (a few
/// milliseconds), so their sum cannot be told from the response time. It
/// also bounds the sign-in and code steps' refusals, whose check is a bind
/// or a keyed hash.
pub const FAILURE_FLOOR: Duration = Duration::from_millis(250);

/// The checks whose failures must look alike, each with its own floor:
/// their work differs (a search and a write; a bind), and a sign-in
/// should not wait for what identity checks cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// Identifier and birth date (`recover`, `activate`, `identifier`).
    Identity,
    /// Login and password (`account`, `change`).
    SignIn,
    /// An e-mailed code or its link (`code`).
    Code,
}

/// Failures kept to compute the floor from.
const FLOOR_WINDOW: usize = 64;
/// Failures older than this no longer count.
const FLOOR_MEMORY: Duration = Duration::from_secs(30);
/// The floor never exceeds this, whatever the load (a stalled directory
/// already answers "unavailable" after `ldap.timeout_seconds`).
const MAX_FAILURE_FLOOR: Duration = Duration::from_secs(5);

/// The time no failure is answered before, per gateway: [`FAILURE_FLOOR`]
/// on a healthy gateway, and under load the 90th percentile of the work
/// the recent failures took (measured on this gateway, known and unknown
/// people alike, over the last [`FLOOR_WINDOW`] failures of the last
/// [`FLOOR_MEMORY`], at most [`MAX_FAILURE_FLOOR`]).
///
/// A fixed floor only hides work shorter than itself. Saturated by 64
/// resets at once, a known person's failure (the attempt written on the
/// entry, or a bind that slapd checks and records) waited behind the
/// directory's queue and came back 0.3 to 1.3 s later than an unknown
/// person's (measured, tests/suite/sameness_under_load.rs): the floor now
/// rises with that work, so both wait for the same, longer time.
#[derive(Debug, Default)]
pub struct FailureFloor {
    /// Per [`FailureKind`], in its order.
    recent: [std::sync::Mutex<std::collections::VecDeque<(Instant, Duration)>>; 3],
}

impl FailureFloor {
    /// Records the work of the failure of `kind` that began at `started`,
    /// then waits until the floor has passed since `started`.
    pub async fn wait(&self, kind: FailureKind, started: Instant) {
        let floor = self.record(kind, started.elapsed());
        if let Some(rest) = floor.checked_sub(started.elapsed()) {
            tokio::time::sleep(rest).await;
        }
    }

    /// Adds one failure's work and returns the floor of `kind` now.
    fn record(&self, kind: FailureKind, work: Duration) -> Duration {
        let now = Instant::now();
        let Ok(mut recent) = self.recent[kind as usize].lock() else {
            return FAILURE_FLOOR;
        };
        recent.push_back((now, work));
        while recent.len() > FLOOR_WINDOW
            || recent
                .front()
                .is_some_and(|(at, _)| now.duration_since(*at) > FLOOR_MEMORY)
        {
            recent.pop_front();
        }
        let mut works: Vec<Duration> = recent.iter().map(|(_, work)| *work).collect();
        works.sort();
        let p90 = works[(works.len() * 9 / 10).min(works.len() - 1)];
        p90.clamp(FAILURE_FLOOR, MAX_FAILURE_FLOOR)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_floor_is_the_fixed_one_on_a_quiet_gateway_and_rises_with_slow_failures() {
        let floor = FailureFloor::default();
        let quick = Duration::from_millis(30);
        for _ in 0..20 {
            assert_eq!(floor.record(FailureKind::Identity, quick), FAILURE_FLOOR);
        }
        // A third of the failures now take 900 ms: the floor follows.
        let mut last = FAILURE_FLOOR;
        for round in 0..30 {
            let work = if round % 3 == 0 {
                Duration::from_millis(900)
            } else {
                quick
            };
            last = floor.record(FailureKind::Identity, work);
        }
        assert_eq!(last, Duration::from_millis(900));
        // Another kind keeps its own.
        assert_eq!(floor.record(FailureKind::SignIn, quick), FAILURE_FLOOR);
        // Never past the cap.
        assert_eq!(
            floor.record(FailureKind::Code, Duration::from_secs(60)),
            MAX_FAILURE_FLOOR
        );
    }
}
