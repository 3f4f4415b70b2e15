//! The NT hash Samba and FreeRADIUS (MSCHAPv2 Wi-Fi) compare against:
//! uppercase hexadecimal MD4 of the password encoded as UTF-16LE. The
//! gateway writes it in the same modify as `userPassword`, so Wi-Fi never
//! lags the directory password.

use crate::policy::normalize_password;
use md4::{Digest, Md4};
use secrecy::{ExposeSecret, SecretString};

/// `sambaNTPassword` value for `password`, hashed in its NFC form
/// ([`crate::policy::normalize_password`]), the form written to
/// `userPassword`: a Wi-Fi login typed with a composed "é" must match a
/// password chosen with a decomposed one.
pub fn nt_hash(password: &SecretString) -> String {
    nt_hash_str(normalize_password(password).expose_secret())
}

fn nt_hash_str(password: &str) -> String {
    let mut hasher = Md4::new();
    for unit in password.encode_utf16() {
        hasher.update(unit.to_le_bytes());
    }
    hex::encode_upper(hasher.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_matches_the_well_known_vector() {
        assert_eq!(
            nt_hash(&SecretString::from("password")),
            "8846F7EAEE8FB117AD06BDD830B7586C"
        );
    }

    #[test]
    fn empty_password_matches_the_well_known_vector() {
        assert_eq!(nt_hash_str(""), "31D6CFE0D16AE931B73C59D7E0C089C0");
    }

    #[test]
    fn non_ascii_passwords_are_hashed_as_utf16le() {
        // Vectors computed independently (a from-scratch MD4 in Python over
        // `str.encode("utf-16le")`); the third character needs a surrogate pair.
        assert_eq!(nt_hash_str("Été2024!"), "9B0FD71A7189093D6B8DE87D527C43B3");
        assert_eq!(nt_hash_str("é€𝄞"), "43207BA8EF3DDF3B4F9758D14727B2A5");
    }

    #[test]
    fn a_decomposed_accent_hashes_as_the_composed_one() {
        assert_eq!(
            nt_hash(&SecretString::from("E\u{301}te\u{301}2024!")),
            "9B0FD71A7189093D6B8DE87D527C43B3"
        );
    }
}
