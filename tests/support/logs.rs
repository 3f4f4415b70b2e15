//! Everything the test binary logs, captured once for all tests (one
//! global subscriber: tracing caches per call site whether anyone listens,
//! and per-test subscribers lose that race against tests running in
//! parallel), as JSON lines; and a watch on panics raised outside the
//! tests' own code, so that a gateway panic fails the suite even when a
//! spawned task swallowed it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// The shared buffer (installs the subscriber and the panic watch on first
/// use).
pub fn captured() -> Arc<Mutex<Vec<u8>>> {
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let logs = Arc::new(Mutex::new(Vec::new()));
        let writer = logs.clone();
        let _ = tracing_subscriber::fmt()
            .json()
            .flatten_event(true)
            .with_env_filter("debug,hyper=info,h2=info,reqwest=info,rustls=info")
            .with_writer(move || LogWriter(writer.clone()))
            .try_init();
        watch_panics();
        logs
    })
    .clone()
}

struct LogWriter(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for LogWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("logs").extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

static GATEWAY_PANICS: AtomicUsize = AtomicUsize::new(0);
static LAST_PANIC: Mutex<String> = Mutex::new(String::new());

/// Counts the panics whose location is not in the tests (an assertion that
/// fails is the test's own business; any other panic is a gateway bug).
fn watch_panics() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let in_tests = info
                .location()
                .is_some_and(|l| l.file().contains("tests/") || l.file().contains("tests\\"));
            if !in_tests {
                GATEWAY_PANICS.fetch_add(1, Ordering::SeqCst);
                if let Ok(mut last) = LAST_PANIC.lock() {
                    *last = info.to_string();
                }
            }
            previous(info);
        }));
    });
}

/// Fails the calling test if any gateway code panicked so far.
pub fn assert_no_gateway_panic() {
    let count = GATEWAY_PANICS.load(Ordering::SeqCst);
    if count > 0 && !std::thread::panicking() {
        let last = LAST_PANIC.lock().map(|l| l.clone()).unwrap_or_default();
        panic!("the gateway panicked {count} time(s); last: {last}");
    }
}
