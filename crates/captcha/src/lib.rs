//! The built-in captcha: an image of distorted characters with a spoken
//! alternative ("Écouter", for people who cannot see it), without any
//! third-party service and without tracking.
//!
//! The gateway keeps no session store, so a challenge is only a random
//! 128-bit id, kept in the flow's encrypted cookie. Its text is derived
//! from the id with a keyed hash, `HMAC-SHA256(code_key, "captcha" || id)`
//! mapped onto [`alphabet::ALPHABET`]: the image, the audio and the check
//! all re-derive the same text, no replica needs to remember anything, and
//! the text never exists outside a response body (not in the cookie, not
//! in a log). Single use is enforced by the type: [`Challenge::verify`]
//! consumes the challenge, and the flow stores a fresh one in its cookie
//! after every attempt ([`web::check`]).
//!
//! A copy of the cookie taken before that attempt still holds the solved
//! challenge, and each replica only remembers the form nonces it saw
//! itself: posted to another replica, the copy would pass again. So a
//! challenge is also sealed to the client it was shown to
//! ([`Challenge::for_client`]: a keyed hash of the client's address, an
//! IPv6 client by its /64, as the per-address limits count it), and
//! [`web::check`] refuses it from any other: a solved captcha cannot be
//! handed to other machines, on any replica. The one thing this leaves
//! open is the same client replaying the same form to each replica in
//! turn, which needs memory shared by the replicas (`docs/deployment.md`,
//! "Several replicas").
//!
//! The picture and the recording are drawn from the keyed hash of the
//! challenge too: fetching either again gives the very same bytes, so
//! averaging many fetches learns nothing the first did not show.
//!
//! The challenge also carries its length and whether it is case-sensitive,
//! fixed when it was made: what the audio says ("A majuscule") and what the
//! check accepts always agree, even if the configuration changes while a
//! flow is open.

pub mod alphabet;
mod picture;
pub mod settings;
mod voice;
pub mod web;

pub use settings::{CaptchaMode, CaptchaSettings};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use passerelle_text::i18n::Lang;
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::Sha256;
use std::sync::Arc;

type HmacSha256 = Hmac<Sha256>;

/// The key the captcha texts are derived with (`secrets.code_key`). Cheap
/// to clone; never printed.
#[derive(Clone)]
pub struct CaptchaKey {
    key: Arc<SecretString>,
}

impl std::fmt::Debug for CaptchaKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CaptchaKey(..)")
    }
}

impl CaptchaKey {
    pub fn new(code_key: &SecretString) -> CaptchaKey {
        CaptchaKey {
            key: Arc::new(code_key.clone()),
        }
    }

    /// `HMAC-SHA256(key, purpose || id || counter)`. Each purpose ("captcha"
    /// for the text, others for the image's randomness) gives unrelated
    /// bytes, and none of them is the key of the e-mailed codes' hashes.
    fn derive(&self, purpose: &[u8], id: &[u8; 16], counter: u8) -> [u8; 32] {
        let counter = [counter];
        self.derive_with(purpose, id, if counter[0] > 0 { &counter } else { &[] })
    }

    /// `HMAC-SHA256(key, purpose || id || extra)`.
    fn derive_with(&self, purpose: &[u8], id: &[u8; 16], extra: &[u8]) -> [u8; 32] {
        // HMAC takes a key of any length: new_from_slice cannot fail.
        let mut mac = match HmacSha256::new_from_slice(self.key.expose_secret().as_bytes()) {
            Ok(mac) => mac,
            Err(_) => return [0; 32],
        };
        mac.update(purpose);
        mac.update(id);
        mac.update(extra);
        mac.finalize().into_bytes().into()
    }
}

/// Who shows a challenge, and to whom: the key its texts are derived with,
/// and the client it is shown to, as the per-address limits name it (the
/// web's `ClientInfo::network`: `192.0.2.7/32`, `2001:db8:1:2::/64`).
#[derive(Debug, Clone, Copy)]
pub struct Issuer<'a> {
    pub key: &'a CaptchaKey,
    pub client: &'a str,
}

/// Bytes of the keyed hash of the client kept in a challenge: 128 bits,
/// more than enough against a guess (which needs the key anyway).
const CLIENT_TAG_BYTES: usize = 16;

/// One captcha, as the flow's cookie holds it: an id and how its text is
/// made. The text itself is never stored (see the module).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge {
    id: [u8; 16],
    length: u8,
    case_sensitive: bool,
    /// The keyed hash of the client it was shown to
    /// ([`Challenge::for_client`]); None for a challenge made without one.
    client: Option<[u8; CLIENT_TAG_BYTES]>,
}

/// The cookie form: `{"id": base64url, "len": 6, "cs": false, "to":
/// base64url}`.
#[derive(Serialize, Deserialize)]
struct StoredChallenge {
    id: String,
    len: u8,
    cs: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    to: Option<String>,
}

impl Serialize for Challenge {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        StoredChallenge {
            id: URL_SAFE_NO_PAD.encode(self.id),
            len: self.length,
            cs: self.case_sensitive,
            to: self.client.map(|tag| URL_SAFE_NO_PAD.encode(tag)),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Challenge {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Challenge, D::Error> {
        use serde::de::Error;
        let stored = StoredChallenge::deserialize(deserializer)?;
        let bytes = URL_SAFE_NO_PAD
            .decode(stored.id.as_bytes())
            .map_err(|_| D::Error::custom("captcha id is not base64url"))?;
        let id: [u8; 16] = bytes
            .try_into()
            .map_err(|_| D::Error::custom("captcha id is not 16 bytes"))?;
        let length = usize::from(stored.len);
        if !settings::LENGTH_RANGE.contains(&length) {
            return Err(D::Error::custom("captcha length out of range"));
        }
        let client = match stored.to {
            None => None,
            Some(to) => Some(
                URL_SAFE_NO_PAD
                    .decode(to.as_bytes())
                    .ok()
                    .and_then(|bytes| <[u8; CLIENT_TAG_BYTES]>::try_from(bytes).ok())
                    .ok_or_else(|| D::Error::custom("captcha client tag malformed"))?,
            ),
        };
        Ok(Challenge {
            id,
            length: stored.len,
            case_sensitive: stored.cs,
            client,
        })
    }
}

impl Challenge {
    /// A new challenge with a random id, of the configured length and case
    /// rule.
    pub fn new(settings: &CaptchaSettings) -> Challenge {
        let mut id = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut id);
        Challenge {
            id,
            // clamped_length is at most 10.
            length: u8::try_from(settings.clamped_length()).unwrap_or(6),
            case_sensitive: settings.case_sensitive,
            client: None,
        }
    }

    /// A new challenge for the client `issuer.client`: only an answer from
    /// that client passes [`web::check`].
    pub fn for_client(settings: &CaptchaSettings, issuer: Issuer<'_>) -> Challenge {
        let mut challenge = Challenge::new(settings);
        challenge.client = Some(challenge.client_tag(issuer));
        challenge
    }

    fn client_tag(&self, issuer: Issuer<'_>) -> [u8; CLIENT_TAG_BYTES] {
        let full = issuer
            .key
            .derive_with(b"captcha-client", &self.id, issuer.client.as_bytes());
        let mut tag = [0u8; CLIENT_TAG_BYTES];
        tag.copy_from_slice(&full[..CLIENT_TAG_BYTES]);
        tag
    }

    /// Whether this challenge was shown to `issuer.client` (false for one
    /// made without a client).
    pub fn is_for(&self, issuer: Issuer<'_>) -> bool {
        self.client
            .is_some_and(|tag| constant_time_eq(&tag, &self.client_tag(issuer)))
    }

    pub fn len(&self) -> usize {
        usize::from(self.length)
    }

    pub fn is_empty(&self) -> bool {
        self.length == 0
    }

    pub fn case_sensitive(&self) -> bool {
        self.case_sensitive
    }

    /// The characters to type, derived from the id (see the module).
    pub fn text(&self, key: &CaptchaKey) -> SecretString {
        SecretString::from(self.chars(key).into_iter().collect::<String>())
    }

    /// The characters, by rejection sampling of the keyed hash's bytes so
    /// that every character of the alphabet is equally likely.
    fn chars(&self, key: &CaptchaKey) -> Vec<char> {
        let size = alphabet::ALPHABET.len();
        // The largest multiple of the alphabet's size that fits in a byte:
        // bytes at or above it are skipped (a plain modulo would favour
        // the first characters).
        let limit = 256 - 256 % size;
        let mut chars = Vec::with_capacity(self.len());
        let mut counter = 0u8;
        while chars.len() < self.len() {
            for byte in key.derive(b"captcha", &self.id, counter) {
                let byte = usize::from(byte);
                if byte < limit && chars.len() < self.len() {
                    chars.push(alphabet::ALPHABET[byte % size]);
                }
            }
            counter = counter.wrapping_add(1);
        }
        chars
    }

    /// A short tag for the image and audio URLs, different for each
    /// challenge, so a browser never shows a new page with an old image
    /// from its memory cache. Reveals nothing of the text.
    pub fn tag(&self, key: &CaptchaKey) -> String {
        hex::encode(&key.derive(b"captcha-url-tag", &self.id, 0)[..6])
    }

    /// The image: a PNG of about 200×70 pixels. The same challenge always
    /// gives the same picture (its distortions come from the keyed hash),
    /// so fetching it many times and averaging reveals nothing more.
    pub fn png(&self, key: &CaptchaKey) -> Vec<u8> {
        let seed = key.derive(b"captcha-image", &self.id, 0);
        picture::render(&self.chars(key), seed)
    }

    /// The spoken text: an 8 kHz mono 16-bit PCM WAV that says each
    /// character in `lang`, with its case when the challenge is
    /// case-sensitive ("A majuscule", "capital A"). Its changes of speed,
    /// pauses, babble and hiss come from the keyed hash of the challenge
    /// (and the language): every challenge sounds different, and the same
    /// challenge always gives the same recording, so that averaging many
    /// fetches of it cancels no noise.
    ///
    /// Clips exist in French and English: a page in another language gets
    /// the English voice ([`Lang::voice`]), and says so beside its link.
    pub fn wav(&self, key: &CaptchaKey, lang: Lang) -> Vec<u8> {
        let lang = lang.voice();
        let seed = key.derive(
            b"captcha-voice",
            &self.id,
            if lang == Lang::Fr { 1 } else { 2 },
        );
        voice::render(&self.chars(key), lang, self.case_sensitive, seed)
    }

    /// Whether `typed` is the text as it reads
    /// ([`passerelle_text::as_read`]), ignoring spaces (a person
    /// who listened may type "A b 3"), and case unless the challenge is
    /// case-sensitive.
    /// Consumes the challenge: a challenge is checked once, then the flow
    /// must store a new one ([`web::check`] does both).
    pub fn verify(self, key: &CaptchaKey, typed: &str) -> bool {
        // As it reads (full-width letters are letters); a long paste is
        // no answer (and not worth NFKC).
        if typed.len() > 256 {
            return false;
        }
        let typed: String = passerelle_text::as_read(typed)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let expected: String = self.chars(key).into_iter().collect();
        if self.case_sensitive {
            constant_time_eq(typed.as_bytes(), expected.as_bytes())
        } else {
            constant_time_eq(
                typed.to_lowercase().as_bytes(),
                expected.to_lowercase().as_bytes(),
            )
        }
    }
}

/// Compares in a time that depends on the lengths only.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(secret: &str) -> CaptchaKey {
        CaptchaKey::new(&SecretString::from(secret))
    }

    #[test]
    fn every_character_is_in_the_alphabet_and_the_length_is_the_configured_one() {
        let key = key("k");
        for length in settings::LENGTH_RANGE {
            let settings = CaptchaSettings {
                length,
                ..CaptchaSettings::default()
            };
            for _ in 0..50 {
                let text = Challenge::new(&settings).text(&key);
                let text = text.expose_secret();
                assert_eq!(text.chars().count(), length);
                assert!(text.chars().all(|c| alphabet::ALPHABET.contains(&c)));
            }
        }
    }

    #[test]
    fn characters_are_spread_over_the_whole_alphabet() {
        let key = key("k");
        let mut seen = std::collections::HashSet::new();
        for _ in 0..200 {
            seen.extend(
                Challenge::new(&CaptchaSettings::default())
                    .text(&key)
                    .expose_secret()
                    .chars(),
            );
        }
        assert_eq!(seen.len(), alphabet::ALPHABET.len());
    }

    #[test]
    fn a_challenge_survives_the_cookie_and_a_forged_one_is_refused() {
        let challenge = Challenge::new(&CaptchaSettings::default());
        let json = serde_json::to_string(&challenge).unwrap();
        let back: Challenge = serde_json::from_str(&json).unwrap();
        assert_eq!(back, challenge);
        assert!(serde_json::from_str::<Challenge>(r#"{"id":"AAAA","len":6,"cs":false}"#).is_err());
        assert!(serde_json::from_str::<Challenge>(
            r#"{"id":"AAAAAAAAAAAAAAAAAAAAAA","len":200,"cs":false}"#
        )
        .is_err());
    }

    #[test]
    fn a_challenge_is_for_the_client_it_was_shown_to_and_survives_the_cookie() {
        let key = key("k");
        let other_key = self::key("other");
        let issuer = |client| Issuer { key: &key, client };
        let challenge = Challenge::for_client(&CaptchaSettings::default(), issuer("192.0.2.7/32"));
        assert!(challenge.is_for(issuer("192.0.2.7/32")));
        assert!(!challenge.is_for(issuer("192.0.2.8/32")));
        assert!(!challenge.is_for(Issuer {
            key: &other_key,
            client: "192.0.2.7/32"
        }));
        let json = serde_json::to_string(&challenge).unwrap();
        assert!(!json.contains("192.0.2.7"), "{json}");
        let back: Challenge = serde_json::from_str(&json).unwrap();
        assert_eq!(back, challenge);
        assert!(back.is_for(issuer("192.0.2.7/32")));
        // Made without a client: for nobody.
        assert!(!Challenge::new(&CaptchaSettings::default()).is_for(issuer("192.0.2.7/32")));
        // A tag of the wrong size does not load.
        assert!(serde_json::from_str::<Challenge>(
            r#"{"id":"AAAAAAAAAAAAAAAAAAAAAA","len":6,"cs":false,"to":"AAAA"}"#
        )
        .is_err());
    }

    #[test]
    fn the_recording_of_a_challenge_is_the_same_at_every_fetch_and_differs_between_challenges() {
        let key = key("k");
        let challenge = Challenge::new(&CaptchaSettings::default());
        let first = challenge.wav(&key, Lang::Fr);
        assert_eq!(challenge.wav(&key, Lang::Fr), first);
        assert_ne!(challenge.wav(&key, Lang::En), first);
        let other = Challenge::new(&CaptchaSettings::default());
        assert_ne!(other.wav(&key, Lang::Fr), first);
    }

    #[test]
    fn the_key_is_never_printed() {
        assert_eq!(format!("{:?}", key("very-secret")), "CaptchaKey(..)");
    }
}
