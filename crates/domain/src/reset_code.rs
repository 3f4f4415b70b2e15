//! The 6-digit code of the e-mail flow (EFP), and the link that carries the
//! same proof.
//!
//! A code is drawn uniformly from 000000-999999 by the operating system's
//! CSPRNG and stored on the person's entry only as a keyed hash: hex
//! HMAC-SHA256(code_key, dn || code). The DN binds the hash to one entry
//! (a hash copied onto another entry proves nothing) and the key means a
//! copy of the directory alone does not let anybody try the million codes
//! offline. Comparisons run in constant time.
//!
//! The mail's link must not put a secret in a URL query (proxies and logs
//! keep those), so the proof travels in the path as a [`LinkToken`]: the
//! DN, the code and its expiry, encrypted and authenticated with
//! AES-256-GCM under a key derived from the code key. Whoever holds the
//! link holds the code, exactly as whoever holds the mail does; opening it
//! spends nothing until the person presses the button on the page.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use rand::{Rng, RngCore};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// How many digits a code has.
pub const CODE_DIGITS: usize = 6;

/// Bound to the token so a ciphertext made for something else with the
/// same key can never be read as a link.
const LINK_CONTEXT: &[u8] = b"passerelle reset-code link v1";

/// Prefixed to a temporary password's hash input: a DN followed by six
/// digits would otherwise hash like a code.
const TEMPORARY_CONTEXT: &[u8] = b"passerelle held temporary password v1\0";

/// Prefixed to a help-desk verification code's hash input: the code the
/// help desk mails to verify a caller is stored where a reset code is, and
/// must never prove anything at `/code`, nor a reset code at the help desk.
const DESK_CONTEXT: &[u8] = b"passerelle help-desk verification code v1\0";

/// The domain of the current password's seal (`CodeKey::seal_current`).
const CURRENT_CONTEXT: &[u8] = b"passerelle current password seal v1\0";

/// A code as mailed and as typed (digits only, spaces removed).
#[derive(Clone)]
pub struct ResetCode(SecretString);

impl std::fmt::Debug for ResetCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ResetCode(…)")
    }
}

impl ResetCode {
    /// A fresh code, uniform over the million values.
    pub fn generate() -> ResetCode {
        let value: u32 = rand::rngs::OsRng.gen_range(0..1_000_000);
        ResetCode(SecretString::from(format!("{value:06}")))
    }

    /// What a person typed, as it reads
    /// ([`passerelle_text::as_read`]: full-width digits are
    /// digits, what a paste brings along unseen is dropped); spaces (the
    /// mail shows "2 3 8 3 9 2") and dashes are ignored; anything but
    /// exactly six digits is `None`.
    pub fn parse(typed: &str) -> Option<ResetCode> {
        // A code is short: a long paste is not one (and not worth NFKC).
        if typed.len() > 256 {
            return None;
        }
        let digits: String = passerelle_text::as_read(typed)
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        (digits.len() == CODE_DIGITS && digits.bytes().all(|b| b.is_ascii_digit()))
            .then(|| ResetCode(SecretString::from(digits)))
    }

    pub fn secret(&self) -> &SecretString {
        &self.0
    }
}

/// The keys of the e-mail flows, derived from `secrets.code_key`.
#[derive(Clone)]
pub struct CodeKey {
    hmac_key: SecretString,
    link_key: [u8; 32],
}

impl std::fmt::Debug for CodeKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CodeKey(…)")
    }
}

impl CodeKey {
    pub fn new(code_key: &SecretString) -> CodeKey {
        // A separate key for the link cipher, so the hash key and the
        // encryption key are never the same bytes.
        let mut mac = mac_for(code_key.expose_secret().as_bytes());
        mac.update(b"passerelle link encryption key");
        let link_key: [u8; 32] = mac.finalize().into_bytes().into();
        CodeKey {
            hmac_key: code_key.clone(),
            link_key,
        }
    }

    /// The `passerelleChangeId` a flow's password write leaves on the entry
    /// (32 hex digits): keyed by this gateway's code key and derived from
    /// the flow's id and the password written (in NFC), so that every
    /// replica knows which flow made the last write *with which password*.
    /// A second submission of the same form (a double click, another
    /// replica) recognises its own write without a bind; the same flow
    /// posted with another password does not, and is told the password
    /// changed meanwhile. Keyed: without the code key, the value tells
    /// nothing of the password.
    pub fn change_id(&self, flow_id: &str, password: &SecretString) -> String {
        let mut mac = mac_for(self.hmac_key.expose_secret().as_bytes());
        mac.update(b"passerelle change id v2\0");
        mac.update(flow_id.as_bytes());
        mac.update(b"\0");
        mac.update(password.expose_secret().as_bytes());
        hex::encode(&mac.finalize().into_bytes()[..16])
    }

    /// The current password as a sign-in proved it, sealed for the flow
    /// (`Proof::current_seal`, 64 hex digits): HMAC-SHA256 under the code
    /// key of the flow's id, the entry's DN and the password in NFC,
    /// length-prefixed. The change form's second proof of the current
    /// password is compared with it instead of a second bind (issue 25);
    /// keyed, so that a copied cookie tells nothing of the password even
    /// to someone who could open it, and bound to one flow and one entry.
    pub fn seal_current(&self, flow_id: &str, dn: &str, password: &SecretString) -> String {
        hex::encode(
            self.current_mac(flow_id, dn, password)
                .finalize()
                .into_bytes(),
        )
    }

    /// Is `password` the one [`CodeKey::seal_current`] sealed as `seal` for
    /// this flow and entry? Constant time.
    pub fn current_matches(
        &self,
        flow_id: &str,
        dn: &str,
        password: &SecretString,
        seal: &str,
    ) -> bool {
        let Ok(seal) = hex::decode(seal.trim()) else {
            return false;
        };
        self.current_mac(flow_id, dn, password)
            .verify_slice(&seal)
            .is_ok()
    }

    fn current_mac(&self, flow_id: &str, dn: &str, password: &SecretString) -> HmacSha256 {
        let password = passerelle_text::normalize_password(password);
        let mut mac = mac_for(self.hmac_key.expose_secret().as_bytes());
        mac.update(CURRENT_CONTEXT);
        for part in [flow_id, dn] {
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part.as_bytes());
        }
        mac.update(password.expose_secret().as_bytes());
        mac
    }

    /// The value stored in `passerelleCodeHash`.
    pub fn hash(&self, dn: &str, code: &ResetCode) -> String {
        let mut mac = mac_for(self.hmac_key.expose_secret().as_bytes());
        // The code always has six digits, so dn || code is unambiguous.
        mac.update(dn.as_bytes());
        mac.update(code.0.expose_secret().as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// Does `code` match the stored hash of the entry `dn`? Constant time.
    pub fn matches(&self, dn: &str, code: &ResetCode, stored: &str) -> bool {
        let Ok(stored) = hex::decode(stored.trim()) else {
            return false;
        };
        let mut mac = mac_for(self.hmac_key.expose_secret().as_bytes());
        mac.update(dn.as_bytes());
        mac.update(code.0.expose_secret().as_bytes());
        mac.verify_slice(&stored).is_ok()
    }

    /// The value stored in `passerelleCodeHash` for a help-desk
    /// verification code of the entry `dn` (hex HMAC-SHA256),
    /// domain-separated from a reset code's.
    pub fn hash_desk_code(&self, dn: &str, code: &ResetCode) -> String {
        hex::encode(self.desk_mac(dn, code).finalize().into_bytes())
    }

    /// Is `code` the help-desk verification code whose hash `stored` was
    /// made for the entry `dn`? Constant time.
    pub fn matches_desk_code(&self, dn: &str, code: &ResetCode, stored: &str) -> bool {
        let Ok(stored) = hex::decode(stored.trim()) else {
            return false;
        };
        self.desk_mac(dn, code).verify_slice(&stored).is_ok()
    }

    fn desk_mac(&self, dn: &str, code: &ResetCode) -> HmacSha256 {
        let mut mac = mac_for(self.hmac_key.expose_secret().as_bytes());
        mac.update(DESK_CONTEXT);
        mac.update(dn.as_bytes());
        mac.update(code.0.expose_secret().as_bytes());
        mac
    }

    /// The value stored in `passerelleTempPasswordHash` for a temporary
    /// password held on the entry `dn` (hex HMAC-SHA256). Domain-separated
    /// from the code hash, so a code's hash never proves a password.
    pub fn hash_temporary(&self, dn: &str, password: &SecretString) -> String {
        hex::encode(self.temporary_mac(dn, password).finalize().into_bytes())
    }

    /// Is `password` the temporary password whose hash `stored` was made
    /// for the entry `dn`? Constant time.
    pub fn matches_temporary(&self, dn: &str, password: &SecretString, stored: &str) -> bool {
        let Ok(stored) = hex::decode(stored.trim()) else {
            return false;
        };
        self.temporary_mac(dn, password)
            .verify_slice(&stored)
            .is_ok()
    }

    fn temporary_mac(&self, dn: &str, password: &SecretString) -> HmacSha256 {
        let mut mac = mac_for(self.hmac_key.expose_secret().as_bytes());
        mac.update(TEMPORARY_CONTEXT);
        // Length-prefixed: a password has no fixed length, so dn || password
        // alone would be ambiguous.
        mac.update(&(dn.len() as u64).to_be_bytes());
        mac.update(dn.as_bytes());
        mac.update(password.expose_secret().as_bytes());
        mac
    }

    /// `plain` encrypted and authenticated for a link's path, bound to
    /// `context` (each kind of link its own, so one can never be read as
    /// another): the nonce and the AES-256-GCM ciphertext, base64url.
    pub fn seal(&self, context: &[u8], plain: &[u8]) -> String {
        let mut nonce = [0u8; 12];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let cipher = Aes256Gcm::new((&self.link_key).into());
        let sealed = cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: plain,
                    aad: context,
                },
            )
            .unwrap_or_default();
        let mut token = nonce.to_vec();
        token.extend_from_slice(&sealed);
        URL_SAFE_NO_PAD.encode(token)
    }

    /// What [`seal`](Self::seal) sealed with this key and `context`;
    /// `None` for anything else (altered, another key, another context, or
    /// longer than 4 KiB).
    pub fn open(&self, context: &[u8], token: &str) -> Option<Vec<u8>> {
        if token.len() > 4096 {
            return None;
        }
        let raw = URL_SAFE_NO_PAD.decode(token.as_bytes()).ok()?;
        if raw.len() < 12 + 16 {
            return None;
        }
        let (nonce, sealed) = raw.split_at(12);
        Aes256Gcm::new((&self.link_key).into())
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: context,
                },
            )
            .ok()
    }

    /// The path segment of a link to the code page for `dn`.
    pub fn seal_link(&self, dn: &str, code: &ResetCode, expires: DateTime<Utc>) -> String {
        let body = LinkBody {
            dn: dn.to_owned(),
            code: code.0.expose_secret().to_owned(),
            exp: expires.timestamp(),
        };
        // Serialising a struct of strings and an integer cannot fail.
        let plain = serde_json::to_vec(&body).unwrap_or_default();
        let mut nonce = [0u8; 12];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let cipher = Aes256Gcm::new((&self.link_key).into());
        let sealed = cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: &plain,
                    aad: LINK_CONTEXT,
                },
            )
            .unwrap_or_default();
        let mut token = nonce.to_vec();
        token.extend_from_slice(&sealed);
        URL_SAFE_NO_PAD.encode(token)
    }

    /// Opens a link's token: `None` if it was not made with this key, was
    /// altered, or has expired at `now`.
    pub fn open_link(&self, token: &str, now: DateTime<Utc>) -> Option<LinkToken> {
        if token.len() > 2048 {
            return None;
        }
        let raw = URL_SAFE_NO_PAD.decode(token.as_bytes()).ok()?;
        if raw.len() < 12 + 16 {
            return None;
        }
        let (nonce, sealed) = raw.split_at(12);
        let cipher = Aes256Gcm::new((&self.link_key).into());
        let plain = cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: LINK_CONTEXT,
                },
            )
            .ok()?;
        let body: LinkBody = serde_json::from_slice(&plain).ok()?;
        let expires = DateTime::<Utc>::from_timestamp(body.exp, 0)?;
        if expires <= now {
            return None;
        }
        Some(LinkToken {
            dn: body.dn,
            code: ResetCode::parse(&body.code)?,
            expires,
        })
    }
}

fn mac_for(key: &[u8]) -> HmacSha256 {
    // HMAC takes keys of any length; this cannot fail.
    <HmacSha256 as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!())
}

#[derive(Serialize, Deserialize)]
struct LinkBody {
    dn: String,
    code: String,
    exp: i64,
}

/// What a valid link proves.
#[derive(Debug, Clone)]
pub struct LinkToken {
    pub dn: String,
    pub code: ResetCode,
    pub expires: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> CodeKey {
        CodeKey::new(&SecretString::from(
            "a-code-key-of-more-than-32-characters!",
        ))
    }

    #[test]
    fn codes_have_six_digits_and_vary() {
        let codes: std::collections::HashSet<String> = (0..200)
            .map(|_| ResetCode::generate().secret().expose_secret().to_owned())
            .collect();
        assert!(codes.len() > 190);
        assert!(codes
            .iter()
            .all(|c| c.len() == 6 && c.bytes().all(|b| b.is_ascii_digit())));
    }

    #[test]
    fn typed_codes_ignore_spaces_and_refuse_anything_else() {
        assert_eq!(
            ResetCode::parse(" 2 3 8 3 9 2 ")
                .unwrap()
                .secret()
                .expose_secret(),
            "238392"
        );
        for bad in ["", "12345", "1234567", "12a456", "12٣456"] {
            assert!(ResetCode::parse(bad).is_none(), "{bad}");
        }
        // As it reads: full-width digits, a zero-width space from a paste.
        for typed in ["２３８３９２", "238\u{200B}392\u{FEFF}"] {
            assert_eq!(
                ResetCode::parse(typed).unwrap().secret().expose_secret(),
                "238392",
                "{typed}"
            );
        }
    }

    #[test]
    fn the_hash_is_bound_to_the_key_the_entry_and_the_code() {
        let key = key();
        let code = ResetCode::parse("238392").unwrap();
        let hash = key.hash("uid=a,dc=x", &code);
        assert_eq!(hash.len(), 64);
        assert!(key.matches("uid=a,dc=x", &code, &hash));
        assert!(!key.matches("uid=b,dc=x", &code, &hash));
        assert!(!key.matches("uid=a,dc=x", &ResetCode::parse("238393").unwrap(), &hash));
        let other = CodeKey::new(&SecretString::from(
            "another-key-of-more-than-32-characters",
        ));
        assert!(!other.matches("uid=a,dc=x", &code, &hash));
        assert!(!key.matches("uid=a,dc=x", &code, "not hex"));
    }

    #[test]
    fn a_held_temporary_password_hash_is_bound_to_the_entry_and_is_no_code_hash() {
        let key = key();
        let password = SecretString::from("Kx7#mPq2!rTz9w");
        let hash = key.hash_temporary("uid=a,dc=x", &password);
        assert_eq!(hash.len(), 64);
        assert!(!hash.contains("Kx7"));
        assert!(key.matches_temporary("uid=a,dc=x", &password, &hash));
        assert!(!key.matches_temporary("uid=b,dc=x", &password, &hash));
        assert!(!key.matches_temporary("uid=a,dc=x", &SecretString::from("Kx7#mPq2!rTz9W"), &hash));
        let code = ResetCode::parse("238392").unwrap();
        assert!(!key.matches(
            "uid=a,dc=x",
            &code,
            &key.hash_temporary("uid=a,dc=x", code.secret())
        ));
        assert!(!key.matches_temporary("uid=a,dc=x", &password, "not hex"));
    }

    #[test]
    fn a_help_desk_code_and_a_reset_code_never_prove_each_other() {
        let key = key();
        let code = ResetCode::parse("238392").unwrap();
        let desk = key.hash_desk_code("uid=a,dc=x", &code);
        assert!(key.matches_desk_code("uid=a,dc=x", &code, &desk));
        assert!(!key.matches("uid=a,dc=x", &code, &desk));
        assert!(!key.matches_desk_code("uid=a,dc=x", &code, &key.hash("uid=a,dc=x", &code)));
        assert!(!key.matches_desk_code("uid=b,dc=x", &code, &desk));
    }

    #[test]
    fn a_link_opens_until_it_expires_and_not_once_altered() {
        let key = key();
        let now = Utc::now();
        let code = ResetCode::generate();
        let token = key.seal_link("uid=a,dc=x", &code, now + chrono::Duration::seconds(60));
        assert!(!token.contains(code.secret().expose_secret()));
        let opened = key.open_link(&token, now).unwrap();
        assert_eq!(opened.dn, "uid=a,dc=x");
        assert_eq!(
            opened.code.secret().expose_secret(),
            code.secret().expose_secret()
        );
        assert!(key
            .open_link(&token, now + chrono::Duration::seconds(61))
            .is_none());
        let mut altered = token.clone().into_bytes();
        let last = altered.len() - 3;
        altered[last] = if altered[last] == b'A' { b'B' } else { b'A' };
        assert!(key
            .open_link(std::str::from_utf8(&altered).unwrap(), now)
            .is_none());
        let other = CodeKey::new(&SecretString::from(
            "another-key-of-more-than-32-characters",
        ));
        assert!(other.open_link(&token, now).is_none());
        assert!(key.open_link("garbage", now).is_none());
    }
}
