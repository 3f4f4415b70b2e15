//! Secret answers ("question joker"): normalised so that a person is not
//! refused for a capital letter or an accent, then hashed with argon2id and
//! a server-side pepper. Hashing costs ~19 MiB and tens of milliseconds, so
//! it runs on the blocking pool behind a semaphore: a flood of answers waits
//! in a queue instead of exhausting memory.

use anyhow::Context;
use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use rand::rngs::OsRng;
use secrecy::{ExposeSecret, SecretBox, SecretString};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Semaphore;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// OWASP's argon2id settings (19 MiB, 2 passes, 1 lane).
const MEMORY_KIB: u32 = 19_456;
const PASSES: u32 = 2;

/// How long an answer may wait for a hashing slot before the request is
/// refused as "busy" rather than queued without end.
const QUEUE_WAIT: Duration = Duration::from_secs(10);

/// The form an answer is compared in: compatibility forms unified (NFKC),
/// case folded, accents removed, runs of spaces collapsed. "  Saint-Étienne "
/// and "saint-etienne" are the same answer.
pub fn normalise(answer: &str) -> String {
    let folded: String = answer
        .nfkc()
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
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
#[derive(Clone)]
pub struct AnswerHasher {
    pepper: Arc<SecretBox<Vec<u8>>>,
    slots: Arc<Semaphore>,
    /// Work areas, at most one per slot.
    memory: Arc<Mutex<Vec<Vec<Block>>>>,
    /// Verified when nobody matched, so that an unknown person costs the
    /// same time as a known one.
    dummy: Arc<String>,
}

impl AnswerHasher {
    pub fn new(pepper: &SecretString, max_concurrent: usize) -> anyhow::Result<Self> {
        let pepper = Arc::new(SecretBox::new(Box::new(
            pepper.expose_secret().as_bytes().to_vec(),
        )));
        let mut memory = work_area();
        let dummy = hash_blocking(&pepper, "passerelle-dummy-answer", &mut memory)?;
        Ok(Self {
            pepper,
            slots: Arc::new(Semaphore::new(max_concurrent.max(1))),
            memory: Arc::new(Mutex::new(vec![memory])),
            dummy: Arc::new(dummy),
        })
    }

    /// The PHC string stored in `passerelleAnswerHash`.
    pub async fn hash(&self, answer: &SecretString) -> Result<String, AnswerError> {
        let normalised = normalise(answer.expose_secret());
        let pepper = self.pepper.clone();
        self.run(move |memory| hash_blocking(&pepper, &normalised, memory))
            .await
    }

    /// Whether `answer` matches `stored`. With no stored hash (nobody
    /// matched, or no question set) a dummy hash is verified and the answer
    /// is refused, in the same time as a real check.
    pub async fn verify(
        &self,
        answer: &SecretString,
        stored: Option<&str>,
    ) -> Result<bool, AnswerError> {
        let normalised = normalise(answer.expose_secret());
        let pepper = self.pepper.clone();
        let (phc, real) = match stored {
            Some(phc) => (phc.to_owned(), true),
            None => (self.dummy.as_str().to_owned(), false),
        };
        let matched = self
            .run(move |memory| verify_blocking(&pepper, &normalised, &phc, memory))
            .await?;
        Ok(matched && real)
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut [Block]) -> anyhow::Result<T> + Send + 'static,
    ) -> Result<T, AnswerError> {
        let _permit = tokio::time::timeout(QUEUE_WAIT, self.slots.acquire())
            .await
            .map_err(|_| AnswerError::Busy)?
            .context("answer hashing semaphore closed")?;
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
        if let Ok(mut areas) = self.memory.lock() {
            areas.push(memory);
        }
        Ok(result?)
    }
}

fn params() -> anyhow::Result<Params> {
    Params::new(MEMORY_KIB, PASSES, 1, None).map_err(|e| anyhow::anyhow!("argon2 parameters: {e}"))
}

/// One argon2 work area for our parameters.
fn work_area() -> Vec<Block> {
    vec![Block::default(); MEMORY_KIB as usize]
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
    normalised: &str,
    memory: &mut [Block],
) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt
        .as_salt()
        .decode_b64(&mut salt_bytes)
        .map_err(|e| anyhow::anyhow!("salt: {e}"))?;
    let params = params()?;
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

fn verify_blocking(
    pepper: &SecretBox<Vec<u8>>,
    normalised: &str,
    phc: &str,
    memory: &mut [Block],
) -> anyhow::Result<bool> {
    // A malformed stored value (edited by hand in the directory) is a
    // refusal, not a crash; the operator sees it in the log.
    let refuse = |why: &str| {
        tracing::warn!("a stored secret-answer hash {why}");
        Ok(false)
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
    // Never more memory than the work areas hold, whatever the entry says.
    if params.block_count() > memory.len() {
        return refuse("asks for more memory than the gateway allows");
    }
    let mut salt_bytes = [0u8; 64];
    let Ok(salt_bytes) = salt.decode_b64(&mut salt_bytes) else {
        return refuse("has an unreadable salt");
    };
    let mut out = vec![0u8; expected.len()];
    compute(
        pepper.expose_secret(),
        params,
        normalised,
        salt_bytes,
        &mut out,
        memory,
    )?;
    // `Output` compares in constant time.
    Ok(Output::new(&out).is_ok_and(|computed| computed == expected))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hasher() -> AnswerHasher {
        AnswerHasher::new(&SecretString::from("a pepper for tests only"), 2).unwrap()
    }

    #[test]
    fn case_accents_and_spaces_do_not_matter() {
        assert_eq!(normalise("  Saint-Étienne  "), "saint-etienne");
        assert_eq!(normalise("MÉDOR\u{00A0}le   chien"), "medor le chien");
        assert_eq!(normalise("ﬁdèle"), "fidele");
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
            params().unwrap(),
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
            ours.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{ours}"
        );
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
}
