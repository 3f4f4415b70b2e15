//! The API's clients and their tokens. Each token is read from its file,
//! hashed (SHA-256) and dropped: only the digest stays in memory, and a
//! presented token is hashed and compared with every client's digest in
//! constant time, so neither a memory dump nor the time of an answer gives
//! a token away. The files are read at start and again on SIGHUP
//! ([`Clients::reload`]): a deleted file revokes its client.

use super::settings::{ApiSettings, Scope};
use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::{Arc, RwLock};
use subtle::ConstantTimeEq;

/// The fewest characters a token may have: 32 random characters of
/// base64 are 192 bits, far beyond guessing at any rate limit.
pub const MIN_TOKEN_CHARS: usize = 32;

/// A client as the API knows it once its token was read.
#[derive(Debug, Clone)]
pub struct Client {
    pub name: String,
    pub scopes: Vec<Scope>,
    /// SHA-256 of the token, `None` while its file is missing (revoked).
    digest: Option<[u8; 32]>,
}

impl Client {
    pub fn may(&self, scope: Scope) -> bool {
        self.scopes.contains(&scope)
    }
}

/// Every configured client, swapped whole on reload.
pub struct Clients {
    settings: ApiSettings,
    current: RwLock<Arc<Vec<Client>>>,
}

/// Why a token file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("api.clients.{name}: cannot read {path}: {source}")]
    Unreadable {
        name: String,
        path: String,
        source: std::io::Error,
    },
    #[error(
        "api.clients.{name}: the token in {path} is shorter than {MIN_TOKEN_CHARS} characters"
    )]
    TooShort { name: String, path: String },
}

fn digest(token: &[u8]) -> [u8; 32] {
    Sha256::digest(token).into()
}

/// Reads one client's token: `Ok(None)` when the file does not exist.
fn read_token(name: &str, path: &Path) -> Result<Option<[u8; 32]>, TokenError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => secrecy::SecretString::from(text),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(TokenError::Unreadable {
                name: name.to_owned(),
                path: path.display().to_string(),
                source,
            })
        }
    };
    let token = secrecy::ExposeSecret::expose_secret(&text).trim();
    if token.chars().count() < MIN_TOKEN_CHARS {
        return Err(TokenError::TooShort {
            name: name.to_owned(),
            path: path.display().to_string(),
        });
    }
    Ok(Some(digest(token.as_bytes())))
}

impl Clients {
    /// The clients of `settings`, their tokens read now. Errors: a token
    /// file that exists but cannot be read, or holds too short a token (a
    /// mistake to fix before serving). A missing file is a revoked client,
    /// logged.
    pub fn load(settings: &ApiSettings) -> Result<Clients, TokenError> {
        let clients = Clients {
            settings: settings.clone(),
            current: RwLock::new(Arc::new(Vec::new())),
        };
        let mut loaded = Vec::new();
        for (name, client) in &settings.clients {
            let digest = read_token(name, &client.token_file)?;
            if digest.is_none() {
                tracing::warn!(client = %name, file = %client.token_file.display(), "API client without a token file: revoked");
            }
            loaded.push(Client {
                name: name.clone(),
                scopes: client.scopes.clone(),
                digest,
            });
        }
        clients.replace(loaded);
        Ok(clients)
    }

    /// Reads every token file again (SIGHUP): a deleted file revokes its
    /// client, a changed one replaces its token. A file that cannot be
    /// used revokes its client too, with an error logged.
    pub fn reload(&self) {
        let loaded = self
            .settings
            .clients
            .iter()
            .map(|(name, client)| {
                let digest = read_token(name, &client.token_file).unwrap_or_else(|error| {
                    tracing::error!(%error, "API client revoked");
                    None
                });
                Client {
                    name: name.clone(),
                    scopes: client.scopes.clone(),
                    digest,
                }
            })
            .collect::<Vec<_>>();
        let active = loaded.iter().filter(|c| c.digest.is_some()).count();
        tracing::info!(active, configured = loaded.len(), "API tokens reloaded");
        self.replace(loaded);
    }

    fn replace(&self, clients: Vec<Client>) {
        let mut current = self
            .current
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *current = Arc::new(clients);
    }

    /// The client whose token `presented` is. Every client's digest is
    /// compared, in constant time, whichever matches.
    pub fn authenticate(&self, presented: &str) -> Option<Client> {
        let presented = digest(presented.as_bytes());
        let clients = self
            .current
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        let mut found = None;
        for client in clients.iter() {
            let Some(digest) = &client.digest else {
                continue;
            };
            if bool::from(digest.ct_eq(&presented)) {
                found = Some(client.clone());
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::settings::ApiClient;

    const TOKEN: &str = "kq3TnV0x8bW1cZ5rH7yL2mP9sD4fG6jA";

    fn settings(dir: &Path) -> ApiSettings {
        let mut settings = ApiSettings::default();
        settings.clients.insert(
            "ent".into(),
            ApiClient {
                token_file: dir.join("ent.token"),
                scopes: vec![Scope::Rules],
            },
        );
        settings
    }

    fn temp_dir() -> std::path::PathBuf {
        let dir =
            std::env::temp_dir().join(format!("passerelle-api-{}", crate::flow_state::token()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_token_is_known_by_its_file_and_revoked_when_the_file_goes() {
        let dir = temp_dir();
        std::fs::write(dir.join("ent.token"), format!("{TOKEN}\n")).unwrap();
        let clients = Clients::load(&settings(&dir)).unwrap();
        let client = clients.authenticate(TOKEN).expect("known");
        assert_eq!(client.name, "ent");
        assert!(client.may(Scope::Rules) && !client.may(Scope::Change));
        assert!(clients.authenticate(&TOKEN[1..]).is_none());
        std::fs::remove_file(dir.join("ent.token")).unwrap();
        assert!(clients.authenticate(TOKEN).is_some(), "until reloaded");
        clients.reload();
        assert!(clients.authenticate(TOKEN).is_none(), "revoked");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_short_token_stops_the_start_and_a_missing_file_does_not() {
        let dir = temp_dir();
        std::fs::write(dir.join("ent.token"), "short").unwrap();
        assert!(matches!(
            Clients::load(&settings(&dir)),
            Err(TokenError::TooShort { .. })
        ));
        std::fs::remove_file(dir.join("ent.token")).unwrap();
        let clients = Clients::load(&settings(&dir)).unwrap();
        assert!(clients.authenticate("").is_none());
        std::fs::remove_dir_all(dir).unwrap();
    }
}
