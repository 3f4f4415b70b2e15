//! Secret answers ("question joker"): normalised so that a person is not
//! refused for a capital letter or an accent, then hashed with argon2id and
//! a server-side pepper. Hashing costs ~19 MiB and tens of milliseconds, so
//! it runs on the blocking pool behind a semaphore: a flood of answers waits
//! in a queue instead of exhausting memory.

use anyhow::Context;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::rngs::OsRng;
use secrecy::{ExposeSecret, SecretBox, SecretString};
use std::sync::Arc;
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
    /// Verified when nobody matched, so that an unknown person costs the
    /// same time as a known one.
    dummy: Arc<String>,
}

impl AnswerHasher {
    pub fn new(pepper: &SecretString, max_concurrent: usize) -> anyhow::Result<Self> {
        let pepper = Arc::new(SecretBox::new(Box::new(
            pepper.expose_secret().as_bytes().to_vec(),
        )));
        let dummy = hash_blocking(&pepper, "passerelle-dummy-answer")?;
        Ok(Self {
            pepper,
            slots: Arc::new(Semaphore::new(max_concurrent.max(1))),
            dummy: Arc::new(dummy),
        })
    }

    /// The PHC string stored in `passerelleAnswerHash`.
    pub async fn hash(&self, answer: &SecretString) -> Result<String, AnswerError> {
        let normalised = normalise(answer.expose_secret());
        let pepper = self.pepper.clone();
        self.run(move || hash_blocking(&pepper, &normalised)).await
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
            .run(move || verify_blocking(&pepper, &normalised, &phc))
            .await?;
        Ok(matched && real)
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> anyhow::Result<T> + Send + 'static,
    ) -> Result<T, AnswerError> {
        let _permit = tokio::time::timeout(QUEUE_WAIT, self.slots.acquire())
            .await
            .map_err(|_| AnswerError::Busy)?
            .context("answer hashing semaphore closed")?;
        let result = tokio::task::spawn_blocking(work)
            .await
            .context("answer hashing task failed")??;
        Ok(result)
    }
}

fn argon2(pepper: &[u8]) -> anyhow::Result<Argon2<'_>> {
    let params = Params::new(MEMORY_KIB, PASSES, 1, None)
        .map_err(|e| anyhow::anyhow!("argon2 parameters: {e}"))?;
    Argon2::new_with_secret(pepper, Algorithm::Argon2id, Version::V0x13, params)
        .map_err(|e| anyhow::anyhow!("argon2 pepper: {e}"))
}

fn hash_blocking(pepper: &SecretBox<Vec<u8>>, normalised: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    let hash = argon2(pepper.expose_secret())?
        .hash_password(normalised.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("hashing an answer: {e}"))?;
    Ok(hash.to_string())
}

fn verify_blocking(
    pepper: &SecretBox<Vec<u8>>,
    normalised: &str,
    phc: &str,
) -> anyhow::Result<bool> {
    // A malformed stored value (edited by hand in the directory) is a
    // refusal, not a crash; the operator sees it in the log.
    let Ok(parsed) = PasswordHash::new(phc) else {
        tracing::warn!("a stored secret-answer hash is not a PHC string");
        return Ok(false);
    };
    Ok(argon2(pepper.expose_secret())?
        .verify_password(normalised.as_bytes(), &parsed)
        .is_ok())
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
}
