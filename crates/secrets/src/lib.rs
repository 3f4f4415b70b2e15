//! A secret of the configuration (a bind password, a key, a relay's
//! password), given inline (tests) or, as a site should, in a file
//! readable only by the gateway (`*_file` keys): read the same way by every
//! layer's settings. Depends on no other part of the gateway.
#![forbid(unsafe_code)]

use secrecy::SecretString;
use std::path::PathBuf;

/// Why a secret could not be read. The texts name the key, never the
/// secret.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error("`{key}`: {expected}")]
    Invalid { key: String, expected: String },
    #[error("`{key}`: cannot read {path}: {source}")]
    File {
        key: String,
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The secret `key`, from its inline value or read from its file (one of
/// the two): `None` when neither is set. A file's trailing line break is
/// not part of the secret (`echo` and editors add one); an empty file is
/// refused.
///
/// Errors: both are set, the file cannot be read, or it is empty.
pub fn read(
    key: &str,
    inline: &Option<SecretString>,
    file: &Option<PathBuf>,
) -> Result<Option<SecretString>, SecretError> {
    let invalid = |key: &str, expected: String| SecretError::Invalid {
        key: key.to_owned(),
        expected,
    };
    match (inline, file) {
        (Some(_), Some(_)) => Err(invalid(
            key,
            format!("either `{key}` or `{key}_file`, not both"),
        )),
        (Some(value), None) => Ok(Some(value.clone())),
        (None, Some(path)) => {
            let text = std::fs::read_to_string(path).map_err(|source| SecretError::File {
                key: format!("{key}_file"),
                path: path.clone(),
                source,
            })?;
            // Files written by `echo` or editors end with a newline that is
            // not part of the secret.
            let value = text.trim_end_matches(['\n', '\r']);
            if value.is_empty() {
                return Err(invalid(
                    &format!("{key}_file"),
                    "a file holding the secret, not an empty one".to_owned(),
                ));
            }
            Ok(Some(SecretString::from(value.to_owned())))
        }
        (None, None) => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[test]
    fn a_file_s_trailing_line_break_is_not_part_of_the_secret() {
        let dir = std::env::temp_dir().join(format!("passerelle-secrets-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("key");
        std::fs::write(&path, "s3cret\r\n").unwrap();
        let read = read("k", &None, &Some(path.clone())).unwrap().unwrap();
        assert_eq!(read.expose_secret(), "s3cret");
        std::fs::write(&path, "\n").unwrap();
        assert!(matches!(
            super::read("k", &None, &Some(path)),
            Err(SecretError::Invalid { .. })
        ));
        assert!(matches!(
            super::read("k", &Some(SecretString::from("a")), &Some(dir.join("x"))),
            Err(SecretError::Invalid { .. })
        ));
    }
}
