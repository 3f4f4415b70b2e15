//! Secret answers ("question joker"): normalised so that a person is not
//! refused for a capital letter, an accent or a hyphen, then hashed with
//! argon2id and a server-side pepper. Hashing costs ~19 MiB and tens of
//! milliseconds, so it runs on the blocking pool behind a semaphore: a flood
//! of answers waits in a queue instead of exhausting memory.
//!
//! # Normalisation versions
//!
//! The normalisation is part of what a stored hash means, so each stored
//! PHC string says which one it used, in argon2's standard associated-data
//! parameter `data` (hashed with the answer, kept by every PHC tool):
//!
//! | stored PHC string | normalisation |
//! |---|---|
//! | no `data` parameter (before 2026) | [`AnswerVersion::V1`]: [`normalise_v1`] |
//! | `data=cGFzc2VyZWxsZS1hbnN3ZXItdjI` (base64 of `passerelle-answer-v2`) | [`AnswerVersion::V2`]: [`normalise_v2`] |
//! | `data=cGFzc2VyZWxsZS1hbnN3ZXItdjM` (base64 of `passerelle-answer-v3`) | [`AnswerVersion::V3`]: [`normalise_v3`] |
//! | `data=cGFzc2VyZWxsZS1hbnN3ZXItdjQ` (base64 of `passerelle-answer-v4`) | [`AnswerVersion::V4`]: [`normalise`] |
//!
//! A hash is verified with the normalisation it was made with; a right
//! answer to an older one is reported as [`AnswerCheck::RightRehash`] with a
//! new hash for the caller to store (the directory).
//! Any other `data` is refused (a newer gateway's hash, or a hand edit).

use anyhow::Context;
use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, AssociatedData, Block, Params, ParamsBuilder, Version};
use rand::rngs::OsRng;
use secrecy::{ExposeSecret, SecretBox, SecretString};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Semaphore;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;
use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};

/// OWASP's argon2id settings (19 MiB, 2 passes, 1 lane), in KiB.
pub const MEMORY_KIB: u32 = 19_456;
/// Passes over the memory (argon2's `t`).
pub const PASSES: u32 = 2;

/// How long an answer may wait for a hashing slot before the request is
/// refused as "busy" rather than queued without end.
const QUEUE_WAIT: Duration = Duration::from_secs(10);

/// The associated data (PHC `data`) that marks a hash of a
/// [`AnswerVersion::V2`] answer.
const V2_MARKER: &[u8] = b"passerelle-answer-v2";

/// The associated data that marks a hash of a [`AnswerVersion::V3`]
/// answer.
const V3_MARKER: &[u8] = b"passerelle-answer-v3";

/// The associated data that marks a hash of a [`AnswerVersion::V4`]
/// answer.
const V4_MARKER: &[u8] = b"passerelle-answer-v4";

/// Which normalisation a stored answer hash was made with (see the module
/// documentation for how it is recorded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerVersion {
    /// [`normalise_v1`]: case, accents and spaces folded; punctuation kept.
    V1,
    /// [`normalise_v2`]: as V1, and punctuation counts as a space.
    V2,
    /// [`normalise_v3`]: as V2, with Unicode's full case folding instead
    /// of lower case ("STRASSE" = "straße", a final sigma = σ).
    V3,
    /// [`normalise`]: as V3, without the invisible format characters a
    /// paste brings along (zero-width spaces, byte-order mark, soft hyphen,
    /// bidirectional marks).
    V4,
}

impl AnswerVersion {
    /// The version new hashes are made with.
    pub const CURRENT: AnswerVersion = AnswerVersion::V4;

    /// `answer` in this version's form.
    pub fn normalise(self, answer: &str) -> String {
        match self {
            AnswerVersion::V1 => normalise_v1(answer),
            AnswerVersion::V2 => normalise_v2(answer),
            AnswerVersion::V3 => normalise_v3(answer),
            AnswerVersion::V4 => normalise(answer),
        }
    }

    /// The PHC `data` that marks a hash of this version (none for V1).
    fn marker(self) -> &'static [u8] {
        match self {
            AnswerVersion::V1 => b"",
            AnswerVersion::V2 => V2_MARKER,
            AnswerVersion::V3 => V3_MARKER,
            AnswerVersion::V4 => V4_MARKER,
        }
    }

    /// The version a stored hash's associated data names, `None` if unknown.
    fn from_marker(data: &[u8]) -> Option<Self> {
        match data {
            b"" => Some(AnswerVersion::V1),
            V2_MARKER => Some(AnswerVersion::V2),
            V3_MARKER => Some(AnswerVersion::V3),
            V4_MARKER => Some(AnswerVersion::V4),
            _ => None,
        }
    }
}

/// The form an answer is compared in (the current one, version 4): as
/// version 3 ([`normalise_v3`]), after the invisible format characters
/// (Unicode category Cf: zero-width spaces and joiners, the byte-order
/// mark, soft hyphens, bidirectional marks) are dropped, so an answer
/// pasted with them is the answer typed without.
pub fn normalise(answer: &str) -> String {
    use unicode_properties::GeneralCategory;
    let visible: String = answer
        .chars()
        .filter(|c| c.general_category() != GeneralCategory::Format)
        .collect();
    normalise_v3(&visible)
}

/// The form of version 3, kept to verify the hashes made then:
/// compatibility forms unified (NFKC), case folded by Unicode's default
/// case folding (CaseFolding.txt, full: "ß" and "SS" alike, a final sigma
/// as σ), accents removed, every punctuation mark (Unicode general
/// category P: hyphens and dashes, apostrophes, quotes and guillemets,
/// brackets, `. , ; : ! ? /`…) read as a space, runs of spaces collapsed.
/// "Saint-Étienne-du-Rouvray", "saint etienne du rouvray" and "SAINT
/// ÉTIENNE – DU ROUVRAY" are the same answer, as are "Straße" and
/// "STRASSE". Symbols (`+`, `€`, emoji) are kept.
pub fn normalise_v3(answer: &str) -> String {
    let compatible: String = answer.nfkc().collect();
    let folded: String = caseless::default_case_fold_str(&compatible)
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .collect();
    punctuation_as_space(&folded)
}

/// The form of version 2, kept to verify the hashes made then: as
/// version 3, with lower case instead of case folding ("straße" and
/// "STRASSE" differ).
pub fn normalise_v2(answer: &str) -> String {
    punctuation_as_space(&normalise_v1(answer))
}

/// Every punctuation mark read as a space, runs of spaces collapsed.
fn punctuation_as_space(text: &str) -> String {
    let spaced: String = text
        .chars()
        .map(|c| {
            if c.general_category_group() == GeneralCategoryGroup::Punctuation {
                ' '
            } else {
                c
            }
        })
        .collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The form answers were compared in before version 2, kept to verify the
/// hashes made then: NFKC, case folded, accents removed, runs of spaces
/// collapsed. "  Saint-Étienne " and "saint-etienne" are the same answer,
/// "saint etienne" is not.
pub fn normalise_v1(answer: &str) -> String {
    let folded: String = answer
        .nfkc()
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What checking an answer found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerCheck {
    /// Not the answer (or nobody to check it for).
    Wrong,
    /// The answer, and its stored hash is current.
    Right,
    /// The answer, checked against a hash made with an older normalisation:
    /// this PHC string (the same answer hashed the current way) should
    /// replace the stored one, so that spelling variants the current
    /// normalisation accepts work from now on.
    RightRehash(String),
}

impl AnswerCheck {
    /// Whether the answer was right, whatever the hash's version.
    pub fn is_right(&self) -> bool {
        !matches!(self, AnswerCheck::Wrong)
    }
}

/// Why an answer could not be hashed or checked.
#[derive(Debug, thiserror::Error)]
pub enum AnswerError {
    /// Too many answers are being checked at once; the person may retry.
    #[error("too many answers are being checked at once")]
    Busy,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

/// Hashes and verifies secret answers, a bounded number at once.
///
/// Work areas ([`MEMORY_KIB`] KiB each) are made on first use and kept for
/// the next run, at most one per slot: a gateway that has checked no answer
/// holds none, a busy one holds `max_concurrent`, and one that checked none
/// for [`AREAS_KEPT_IDLE`] frees them again (the binary has glibc map such
/// large blocks on their own, so that freeing one gives it back to the
/// system: see `src/main.rs`). (Measured with
/// `scripts/bench`: an area allocated and freed per run is not given back
/// by glibc's malloc, whose per-thread arenas then keep one per blocking
/// thread: 240 MiB after a load instead of 2 areas.)
#[derive(Clone)]
pub struct AnswerHasher {
    pepper: Arc<SecretBox<Vec<u8>>>,
    slots: Arc<Semaphore>,
    /// Work areas, at most one per slot; none until the first run.
    memory: Arc<Mutex<Vec<Vec<Block>>>>,
    /// Verified when nobody matched, so that an unknown person costs the
    /// same time as a known one.
    dummy: Arc<String>,
    metrics: HashingMetrics,
    /// Argon2 runs started since the hasher was built.
    runs: Arc<AtomicU64>,
    /// Whether a task waits to free the work areas once idle.
    release_pending: Arc<AtomicBool>,
    /// [`AREAS_KEPT_IDLE`], shorter in tests.
    keep_idle: Duration,
    /// When the latest run ended.
    last_end: Arc<Mutex<tokio::time::Instant>>,
    /// The slots, all free when nothing runs.
    max_concurrent: usize,
}

/// How long the work areas are kept without a hash before they are freed:
/// a gateway idle after a burst of resets goes back to its idle memory
/// (19 MiB per area) instead of holding it until the next reset.
pub const AREAS_KEPT_IDLE: Duration = Duration::from_secs(20);

/// The argon2 queue, as `docs/metrics.md` lists it.
#[derive(Clone, Debug)]
struct HashingMetrics {
    /// Hashes waiting for a slot.
    waiting: prometheus_client::metrics::gauge::Gauge,
    /// Hashes running (at most the slots).
    running: prometheus_client::metrics::gauge::Gauge,
    /// How long each waited for its slot.
    wait: prometheus_client::metrics::histogram::Histogram,
    /// How long each ran.
    work: prometheus_client::metrics::histogram::Histogram,
    /// Given up after [`QUEUE_WAIT`] without a slot.
    busy: prometheus_client::metrics::counter::Counter,
}

impl HashingMetrics {
    fn new() -> HashingMetrics {
        HashingMetrics {
            waiting: Default::default(),
            running: Default::default(),
            wait: passerelle_metrics::wait_histogram(),
            // An argon2id run takes tens of milliseconds, like a write.
            work: passerelle_metrics::directory_histogram(),
            busy: Default::default(),
        }
    }
}

/// Decrements a gauge when dropped (also when the future holding it is
/// cancelled mid-wait).
struct Held(prometheus_client::metrics::gauge::Gauge);

impl Held {
    fn new(gauge: &prometheus_client::metrics::gauge::Gauge) -> Held {
        gauge.inc();
        Held(gauge.clone())
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        self.0.dec();
    }
}

impl passerelle_metrics::Observed for AnswerHasher {
    fn register_metrics(&self, registry: &mut prometheus_client::registry::Registry) {
        let m = &self.metrics;
        registry.register(
            "argon2_waiting",
            "Secret-answer hashes (argon2id) waiting for a slot",
            m.waiting.clone(),
        );
        registry.register(
            "argon2_running",
            "Secret-answer hashes (argon2id) running now",
            m.running.clone(),
        );
        registry.register(
            "argon2_wait_seconds",
            "Time a secret-answer hash waited for a slot",
            m.wait.clone(),
        );
        registry.register(
            "argon2_duration_seconds",
            "Time one secret-answer hash (argon2id) took",
            m.work.clone(),
        );
        registry.register(
            "argon2_busy",
            "Secret-answer checks refused because no slot freed in time",
            m.busy.clone(),
        );
    }
}

impl AnswerHasher {
    pub fn new(pepper: &SecretString, max_concurrent: usize) -> anyhow::Result<Self> {
        let pepper = Arc::new(SecretBox::new(Box::new(
            pepper.expose_secret().as_bytes().to_vec(),
        )));
        Ok(Self {
            pepper,
            slots: Arc::new(Semaphore::new(max_concurrent.max(1))),
            memory: Arc::new(Mutex::new(Vec::new())),
            dummy: Arc::new(dummy_hash()?),
            metrics: HashingMetrics::new(),
            runs: Arc::new(AtomicU64::new(0)),
            release_pending: Arc::new(AtomicBool::new(false)),
            keep_idle: AREAS_KEPT_IDLE,
            last_end: Arc::new(Mutex::new(tokio::time::Instant::now())),
            max_concurrent: max_concurrent.max(1),
        })
    }

    /// The work areas kept now (each [`MEMORY_KIB`] KiB).
    pub fn areas_kept(&self) -> usize {
        self.memory.lock().map(|areas| areas.len()).unwrap_or(0)
    }

    /// Frees the work areas once no hash has started for
    /// [`AREAS_KEPT_IDLE`] (one waiting task at most, started by a run).
    fn release_when_idle(&self) {
        if self.release_pending.swap(true, Ordering::AcqRel) {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            self.release_pending.store(false, Ordering::Release);
            return;
        };
        let hasher = self.clone();
        runtime.spawn(async move {
            loop {
                // Counted from the end of the latest run.
                let seen = hasher.runs.load(Ordering::Acquire);
                let since = hasher
                    .last_end
                    .lock()
                    .map(|end| *end)
                    .unwrap_or_else(|_| tokio::time::Instant::now());
                tokio::time::sleep_until(since + hasher.keep_idle).await;
                let running = hasher.slots.available_permits() < hasher.max_concurrent;
                if running || hasher.runs.load(Ordering::Acquire) != seen {
                    continue;
                }
                // Said before the areas go: a run that puts its area back
                // from now on starts a wait of its own.
                hasher.release_pending.store(false, Ordering::Release);
                let freed = hasher
                    .memory
                    .lock()
                    .map(|mut areas| std::mem::take(&mut *areas))
                    .unwrap_or_default();
                drop(freed);
                return;
            }
        });
    }

    /// How many argon2 runs (hashes and verifications) this hasher, and
    /// its clones, started: one per secret answer checked, so a reset by
    /// question costs exactly one.
    pub fn runs(&self) -> u64 {
        self.runs.load(Ordering::Relaxed)
    }

    /// The PHC string stored in `passerelleAnswerHash`, made with the
    /// current normalisation ([`AnswerVersion::CURRENT`], marked in it).
    pub async fn hash(&self, answer: &SecretString) -> Result<String, AnswerError> {
        let version = AnswerVersion::CURRENT;
        let normalised = version.normalise(answer.expose_secret());
        let pepper = self.pepper.clone();
        self.run(move |memory| hash_blocking(&pepper, version, &normalised, memory))
            .await
    }

    /// Checks `answer` against `stored` with the normalisation `stored` was
    /// made with. A right answer to a hash of an older normalisation comes
    /// back as [`AnswerCheck::RightRehash`], with the current hash to store
    /// (this costs a second argon2 run, only then). With no stored hash
    /// (nobody matched, or no question set) a dummy hash is verified and
    /// the answer is [`AnswerCheck::Wrong`], in the same time as a real
    /// check. A malformed stored hash is `Wrong` (and logged).
    pub async fn check(
        &self,
        answer: &SecretString,
        stored: Option<&str>,
    ) -> Result<AnswerCheck, AnswerError> {
        let typed = answer.clone();
        let pepper = self.pepper.clone();
        let (phc, real) = match stored {
            Some(phc) => (phc.to_owned(), true),
            None => (self.dummy.as_str().to_owned(), false),
        };
        let matched = self
            .run(move |memory| verify_blocking(&pepper, typed.expose_secret(), &phc, memory))
            .await?;
        Ok(match matched {
            Some(version) if real && version == AnswerVersion::CURRENT => AnswerCheck::Right,
            Some(_) if real => AnswerCheck::RightRehash(self.hash(answer).await?),
            _ => AnswerCheck::Wrong,
        })
    }

    /// Whether `answer` matches `stored`: [`AnswerHasher::check`] without
    /// the re-hash (kept for callers that do not store one).
    pub async fn verify(
        &self,
        answer: &SecretString,
        stored: Option<&str>,
    ) -> Result<bool, AnswerError> {
        Ok(self.check(answer, stored).await?.is_right())
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut [Block]) -> anyhow::Result<T> + Send + 'static,
    ) -> Result<T, AnswerError> {
        let waiting = Held::new(&self.metrics.waiting);
        let queued = std::time::Instant::now();
        let permit = tokio::time::timeout(QUEUE_WAIT, self.slots.acquire()).await;
        drop(waiting);
        self.metrics.wait.observe(queued.elapsed().as_secs_f64());
        if permit.is_err() {
            self.metrics.busy.inc();
        }
        let _permit = permit
            .map_err(|_| AnswerError::Busy)?
            .context("answer hashing semaphore closed")?;
        self.runs.fetch_add(1, Ordering::Relaxed);
        let _running = Held::new(&self.metrics.running);
        let started = std::time::Instant::now();
        // Holding a permit guarantees a free area or room for one more.
        let mut memory = self
            .memory
            .lock()
            .map_err(|_| anyhow::anyhow!("answer work areas poisoned"))?
            .pop()
            .unwrap_or_else(work_area);
        let (memory, result) = tokio::task::spawn_blocking(move || {
            let result = work(&mut memory);
            (memory, result)
        })
        .await
        .context("answer hashing task failed")?;
        self.metrics.work.observe(started.elapsed().as_secs_f64());
        if let Ok(mut areas) = self.memory.lock() {
            areas.push(memory);
        }
        if let Ok(mut end) = self.last_end.lock() {
            *end = tokio::time::Instant::now();
        }
        self.release_when_idle();
        Ok(result?)
    }
}

/// Our argon2id parameters, carrying `version`'s marker as associated data.
fn params(version: AnswerVersion) -> anyhow::Result<Params> {
    let mut builder = ParamsBuilder::new();
    builder.m_cost(MEMORY_KIB).t_cost(PASSES).p_cost(1);
    if !version.marker().is_empty() {
        builder.data(
            AssociatedData::new(version.marker())
                .map_err(|e| anyhow::anyhow!("argon2 associated data: {e}"))?,
        );
    }
    builder
        .build()
        .map_err(|e| anyhow::anyhow!("argon2 parameters: {e}"))
}

/// One argon2 work area for our parameters.
fn work_area() -> Vec<Block> {
    vec![Block::default(); MEMORY_KIB as usize]
}

/// A current-version PHC string with our parameters, a random salt and a
/// random output: verifying an answer against it costs exactly what a real
/// check costs, and it matches no answer (2^-256). Made without running
/// argon2, so start-up neither waits for a hash nor keeps a work area.
fn dummy_hash() -> anyhow::Result<String> {
    use rand::RngCore;
    let salt = SaltString::generate(&mut OsRng);
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    OsRng.fill_bytes(&mut out);
    let params = params(AnswerVersion::CURRENT)?;
    let hash = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| anyhow::anyhow!("params: {e}"))?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).map_err(|e| anyhow::anyhow!("output: {e}"))?),
    };
    Ok(hash.to_string())
}

/// argon2id(pepper) of `normalised` with `params` and `salt`, in `memory`.
fn compute(
    pepper: &[u8],
    params: Params,
    normalised: &str,
    salt: &[u8],
    out: &mut [u8],
    memory: &mut [Block],
) -> anyhow::Result<()> {
    let blocks = params.block_count();
    let memory = memory
        .get_mut(..blocks)
        .ok_or_else(|| anyhow::anyhow!("argon2 parameters larger than the work area"))?;
    Argon2::new_with_secret(pepper, Algorithm::Argon2id, Version::V0x13, params)
        .map_err(|e| anyhow::anyhow!("argon2 pepper: {e}"))?
        .hash_password_into_with_memory(normalised.as_bytes(), salt, out, memory)
        .map_err(|e| anyhow::anyhow!("hashing an answer: {e}"))
}

fn hash_blocking(
    pepper: &SecretBox<Vec<u8>>,
    version: AnswerVersion,
    normalised: &str,
    memory: &mut [Block],
) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt
        .as_salt()
        .decode_b64(&mut salt_bytes)
        .map_err(|e| anyhow::anyhow!("salt: {e}"))?;
    let params = params(version)?;
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    compute(
        pepper.expose_secret(),
        params.clone(),
        normalised,
        salt_bytes,
        &mut out,
        memory,
    )?;
    let hash = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| anyhow::anyhow!("params: {e}"))?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).map_err(|e| anyhow::anyhow!("output: {e}"))?),
    };
    Ok(hash.to_string())
}

/// Checks `typed` against the PHC string `phc`, normalised the way `phc`
/// says; `Some(version)` when it matches.
fn verify_blocking(
    pepper: &SecretBox<Vec<u8>>,
    typed: &str,
    phc: &str,
    memory: &mut [Block],
) -> anyhow::Result<Option<AnswerVersion>> {
    // A malformed stored value (edited by hand in the directory) is a
    // refusal, not a crash; the operator sees it in the log.
    let refuse = |why: &str| {
        tracing::warn!("a stored secret-answer hash {why}");
        Ok(None)
    };
    let Ok(parsed) = PasswordHash::new(phc) else {
        return refuse("is not a PHC string");
    };
    if parsed.algorithm != Algorithm::Argon2id.ident() {
        return refuse("is not argon2id");
    }
    let (Ok(params), Some(salt), Some(expected)) =
        (Params::try_from(&parsed), parsed.salt, parsed.hash)
    else {
        return refuse("lacks parameters, salt or hash");
    };
    let Some(version) = AnswerVersion::from_marker(params.data()) else {
        return refuse("names a normalisation this gateway does not know");
    };
    // Never more memory than the work areas hold, whatever the entry says.
    if params.block_count() > memory.len() {
        return refuse("asks for more memory than the gateway allows");
    }
    let mut salt_bytes = [0u8; 64];
    let Ok(salt_bytes) = salt.decode_b64(&mut salt_bytes) else {
        return refuse("has an unreadable salt");
    };
    let normalised = version.normalise(typed);
    let mut out = vec![0u8; expected.len()];
    compute(
        pepper.expose_secret(),
        params,
        &normalised,
        salt_bytes,
        &mut out,
        memory,
    )?;
    // `Output` compares in constant time.
    let matched = Output::new(&out).is_ok_and(|computed| computed == expected);
    Ok(matched.then_some(version))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hasher() -> AnswerHasher {
        AnswerHasher::new(&SecretString::from("a pepper for tests only"), 2).unwrap()
    }

    #[tokio::test]
    async fn work_areas_are_kept_while_answers_are_checked_and_freed_once_idle() {
        let hasher = AnswerHasher {
            keep_idle: Duration::from_secs(1),
            ..hasher()
        };
        assert_eq!(hasher.areas_kept(), 0, "none before the first hash");
        let stored = hasher.hash(&SecretString::from("médor")).await.unwrap();
        assert_eq!(hasher.areas_kept(), 1);
        // Checked again within the idle time, over and over: kept.
        for _ in 0..4 {
            tokio::time::sleep(Duration::from_millis(100)).await;
            assert!(hasher
                .verify(&SecretString::from("Medor"), Some(&stored))
                .await
                .unwrap());
            assert_eq!(hasher.areas_kept(), 1, "freed while in use");
        }
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while hasher.areas_kept() > 0 {
            assert!(std::time::Instant::now() < deadline, "never freed");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        // And made again at the next answer.
        hasher.hash(&SecretString::from("médor")).await.unwrap();
        assert_eq!(hasher.areas_kept(), 1);
    }

    /// A hash exactly as gateways made them before version 2.
    fn v1_hash(hasher: &AnswerHasher, answer: &str) -> String {
        hash_blocking(
            &hasher.pepper,
            AnswerVersion::V1,
            &normalise_v1(answer),
            &mut work_area(),
        )
        .unwrap()
    }

    #[test]
    fn case_accents_and_spaces_do_not_matter() {
        for normalise in [normalise_v1, normalise_v2, normalise] {
            assert_eq!(normalise("MÉDOR\u{00A0}le   chien"), "medor le chien");
            assert_eq!(normalise("ﬁdèle"), "fidele");
        }
        assert_eq!(normalise_v1("  Saint-Étienne  "), "saint-etienne");
        // Version 3 folds case as Unicode does, where lower case does not.
        assert_eq!(normalise("STRASSE"), normalise("Straße"));
        assert_ne!(normalise_v2("STRASSE"), normalise_v2("Straße"));
        assert_eq!(normalise("ΣΟΦΟΣ"), normalise("σοφος"));
        assert_eq!(normalise("ΣΟΦΟΣ"), normalise("σοφοσ"));
    }

    #[test]
    fn punctuation_counts_as_a_space_in_version_2() {
        assert_eq!(
            normalise("Saint-Étienne-du-Rouvray"),
            normalise("saint etienne du rouvray")
        );
        assert_eq!(
            normalise("Saint-Étienne-du-Rouvray"),
            "saint etienne du rouvray"
        );
        for mark in [
            "-", "\u{2010}", "\u{2013}", "\u{2014}", "'", "\u{2019}", ".", ",", ";", ":", "!", "?",
            "«", "»", "\"", "(", ")", "/",
        ] {
            assert_eq!(
                normalise(&format!("l{mark}abbaye")),
                "l abbaye",
                "{mark:?} is not a space"
            );
            assert_eq!(
                normalise(&format!(" {mark} Médor {mark}")),
                "medor",
                "{mark:?} around the answer"
            );
        }
        assert_eq!(normalise("« Mme Girard »"), "mme girard");
        assert_eq!(normalise("L’Haÿ-les-Roses"), normalise("l'hay les roses"));
        // Symbols are part of an answer, not separators.
        assert_eq!(normalise("C++"), "c++");
        assert_ne!(normalise("5€"), normalise("5"));
    }

    #[tokio::test]
    async fn a_current_hash_matches_any_punctuation_and_needs_no_rehash() {
        let hasher = hasher();
        let phc = hasher
            .hash(&SecretString::from("Saint-Étienne-du-Rouvray"))
            .await
            .unwrap();
        assert!(phc.contains(",data=cGFzc2VyZWxsZS1hbnN3ZXItdjQ$"), "{phc}");
        for typed in [
            "saint etienne du rouvray",
            "Saint Étienne – du Rouvray",
            "saint-etienne-du-rouvray",
        ] {
            assert_eq!(
                hasher
                    .check(&SecretString::from(typed), Some(&phc))
                    .await
                    .unwrap(),
                AnswerCheck::Right,
                "{typed}"
            );
        }
        assert_eq!(
            hasher
                .check(&SecretString::from("saint etienne"), Some(&phc))
                .await
                .unwrap(),
            AnswerCheck::Wrong
        );
    }

    #[tokio::test]
    async fn an_old_version_1_hash_still_verifies_and_asks_for_a_rehash() {
        let hasher = hasher();
        let old = v1_hash(&hasher, "Saint-Étienne-du-Rouvray");
        assert!(!old.contains("data="), "{old}");
        // Checked the way it was made: the spelling it was made from...
        let outcome = hasher
            .check(&SecretString::from("saint-etienne-du-rouvray"), Some(&old))
            .await
            .unwrap();
        let AnswerCheck::RightRehash(new) = outcome else {
            panic!("a right answer to a v1 hash asks for a rehash: {outcome:?}");
        };
        // ...and the new hash accepts what version 2 accepts.
        assert_eq!(
            hasher
                .check(&SecretString::from("saint etienne du rouvray"), Some(&new))
                .await
                .unwrap(),
            AnswerCheck::Right
        );
        // A wrong answer to an old hash is just wrong (no rehash), and
        // version 1 did not read hyphens as spaces.
        assert_eq!(
            hasher
                .check(&SecretString::from("saint etienne du rouvray"), Some(&old))
                .await
                .unwrap(),
            AnswerCheck::Wrong
        );
        assert!(hasher
            .verify(&SecretString::from("SAINT-ÉTIENNE-DU-ROUVRAY"), Some(&old))
            .await
            .unwrap());
    }

    #[tokio::test]
    async fn nobody_costs_one_current_verification_and_is_wrong() {
        let hasher = hasher();
        assert_eq!(
            hasher
                .check(&SecretString::from("passerelle dummy answer"), None)
                .await
                .unwrap(),
            AnswerCheck::Wrong
        );
        assert!(
            hasher.dummy.contains("data="),
            "the dummy is a current hash"
        );
    }

    /// A hash of `stored` made under `version` (its marker `marker`, the
    /// base64 PHC `data`), answered with `typed`: right, and re-hashed
    /// under the current version, whose hash is returned.
    async fn rehashed(
        hasher: &AnswerHasher,
        version: AnswerVersion,
        marker: &str,
        stored: &str,
        typed: &str,
    ) -> String {
        let old = hash_blocking(
            &hasher.pepper,
            version,
            &version.normalise(stored),
            &mut work_area(),
        )
        .unwrap();
        assert!(old.contains(&format!(",data={marker}$")), "{old}");
        let AnswerCheck::RightRehash(current) = hasher
            .check(&SecretString::from(typed), Some(&old))
            .await
            .unwrap()
        else {
            panic!("a right answer to a {version:?} hash is rehashed");
        };
        assert!(current.contains(",data=cGFzc2VyZWxsZS1hbnN3ZXItdjQ$"));
        current
    }

    #[tokio::test]
    async fn a_version_2_hash_still_verifies_and_is_rehashed_with_case_folding() {
        let hasher = hasher();
        let current = rehashed(
            &hasher,
            AnswerVersion::V2,
            "cGFzc2VyZWxsZS1hbnN3ZXItdjI",
            "Straße",
            "straße",
        )
        .await;
        // Under version 3 and after, the person may type it in capitals.
        assert_eq!(
            hasher
                .check(&SecretString::from("STRASSE"), Some(&current))
                .await
                .unwrap(),
            AnswerCheck::Right
        );
    }

    #[tokio::test]
    async fn a_version_3_hash_still_verifies_and_a_pasted_answer_is_the_typed_one() {
        let hasher = hasher();
        let current = rehashed(
            &hasher,
            AnswerVersion::V3,
            "cGFzc2VyZWxsZS1hbnN3ZXItdjM",
            "Saint-Étienne",
            "saint etienne",
        )
        .await;
        for pasted in [
            "Saint\u{200B}-Étienne",
            "\u{FEFF}saint étienne\u{200E}",
            "Saint-Éti\u{00AD}enne",
        ] {
            assert_eq!(
                hasher
                    .check(&SecretString::from(pasted), Some(&current))
                    .await
                    .unwrap(),
                AnswerCheck::Right,
                "{pasted:?}"
            );
        }
    }

    #[tokio::test]
    async fn an_unknown_normalisation_marker_is_refused() {
        let hasher = hasher();
        let phc = hasher.hash(&SecretString::from("medor")).await.unwrap();
        // base64 of "passerelle-answer-v9"
        let future = phc.replace("cGFzc2VyZWxsZS1hbnN3ZXItdjQ", "cGFzc2VyZWxsZS1hbnN3ZXItdjk");
        assert_ne!(future, phc);
        assert!(!hasher
            .verify(&SecretString::from("medor"), Some(&future))
            .await
            .unwrap());
    }

    #[tokio::test]
    async fn the_right_answer_matches_in_another_spelling() {
        let hasher = hasher();
        let phc = hasher.hash(&SecretString::from("Médor")).await.unwrap();
        assert!(phc.starts_with("$argon2id$"));
        assert!(!phc.contains("edor"));
        assert!(hasher
            .verify(&SecretString::from(" medor "), Some(&phc))
            .await
            .unwrap());
        assert!(!hasher
            .verify(&SecretString::from("rex"), Some(&phc))
            .await
            .unwrap());
    }

    #[tokio::test]
    async fn another_pepper_does_not_verify() {
        let phc = hasher().hash(&SecretString::from("médor")).await.unwrap();
        let other = AnswerHasher::new(&SecretString::from("another pepper entirely"), 1).unwrap();
        assert!(!other
            .verify(&SecretString::from("médor"), Some(&phc))
            .await
            .unwrap());
    }

    #[tokio::test]
    async fn nobody_and_garbage_hashes_are_refused() {
        let hasher = hasher();
        let any = SecretString::from("passerelle-dummy-answer");
        assert!(!hasher.verify(&any, None).await.unwrap());
        assert!(!hasher.verify(&any, Some("not a phc")).await.unwrap());
    }

    #[tokio::test]
    async fn hashes_made_by_the_standard_argon2_api_still_verify() {
        use argon2::password_hash::PasswordHasher;
        let pepper = "a pepper for tests only";
        let standard = Argon2::new_with_secret(
            pepper.as_bytes(),
            Algorithm::Argon2id,
            Version::V0x13,
            params(AnswerVersion::V1).unwrap(),
        )
        .unwrap()
        .hash_password(b"medor", &SaltString::generate(&mut OsRng))
        .unwrap()
        .to_string();
        let hasher = hasher();
        assert!(hasher
            .verify(&SecretString::from("Médor"), Some(&standard))
            .await
            .unwrap());
        let ours = hasher.hash(&SecretString::from("Médor")).await.unwrap();
        assert!(PasswordHash::new(&ours).is_ok());
        assert!(
            ours.starts_with("$argon2id$v=19$m=19456,t=2,p=1,data=cGFzc2VyZWxsZS1hbnN3ZXItdjQ$"),
            "{ours}"
        );
        // Ours verify with the standard API too, given the same pepper.
        use argon2::password_hash::PasswordVerifier;
        assert!(Argon2::new_with_secret(
            pepper.as_bytes(),
            Algorithm::Argon2id,
            Version::V0x13,
            params(AnswerVersion::V4).unwrap(),
        )
        .unwrap()
        .verify_password(b"medor", &PasswordHash::new(&ours).unwrap())
        .is_ok());
    }

    #[tokio::test]
    async fn a_stored_hash_asking_for_more_memory_is_refused() {
        let greedy = "$argon2id$v=19$m=4194304,t=2,p=1$c2FsdHNhbHRzYWx0$\
                      aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g";
        assert!(!hasher()
            .verify(&SecretString::from("x"), Some(greedy))
            .await
            .unwrap());
    }

    #[tokio::test]
    async fn nobody_to_check_costs_one_argon2_run_like_a_real_check_and_is_wrong() {
        let hasher = hasher();
        assert_eq!(hasher.runs(), 0, "building the hasher runs no argon2");
        let stored = hasher.hash(&SecretString::from("Médor")).await.unwrap();
        let dummy = PasswordHash::new(&hasher.dummy).unwrap();
        let real = PasswordHash::new(&stored).unwrap();
        assert_eq!(
            dummy.params, real.params,
            "the dummy costs what a real hash costs"
        );
        let before = hasher.runs();
        let answer = SecretString::from("Médor");
        assert_eq!(
            hasher.check(&answer, None).await.unwrap(),
            AnswerCheck::Wrong
        );
        assert_eq!(
            hasher.check(&answer, Some(&stored)).await.unwrap(),
            AnswerCheck::Right
        );
        assert_eq!(hasher.runs() - before, 2);
    }
}
