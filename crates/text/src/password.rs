//! The one form every password is checked, written, bound with and hashed
//! in.

use secrecy::{ExposeSecret, SecretString};
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// `password` in Unicode Normalization Form C (canonical composition,
/// UAX #15): the one form in which the gateway checks, writes, binds with
/// and NT-hashes every password. NFC, not NFKC: compatibility characters
/// (full-width letters, ligatures) stay distinct, so no password loses
/// strength. Idempotent; a password already in NFC (nearly all) comes back
/// unchanged. The result can be longer than the input (at most 3 times).
pub fn normalize_password(password: &SecretString) -> SecretString {
    normalize_password_str(password.expose_secret())
}

/// [`normalize_password`] of a `&str` (a form field not yet wrapped).
pub fn normalize_password_str(password: &str) -> SecretString {
    if is_nfc_quick(password.chars()) == IsNormalized::Yes {
        return SecretString::from(password.to_owned());
    }
    SecretString::from(password.nfc().collect::<String>())
}

