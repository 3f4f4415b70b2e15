//! `[api]`: whether the JSON API is served, its clients (each a token in a
//! file and the actions it may take), and its limits.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The JSON API for portals and scripts (`docs/api.md`): the rules that
/// apply to a person, a candidate password checked against them, a change
/// knowing the current password, a reset code sent to the person. Off by
/// default; each client has its own token and may take only the actions
/// it is given.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ApiSettings {
    /// Serve the API under `/api/` (and its OpenAPI document at
    /// `/api/openapi.json`). Off: those paths answer 404 like any other
    /// unknown page.
    pub enabled: bool,
    /// The clients, by name: `[api.clients.ent]` with `token_file` (a file
    /// readable only by the gateway holding the client's token on one
    /// line, at least 32 characters; generate one with
    /// `openssl rand -base64 33`) and `scopes`, the actions it may take:
    /// `rules` (read a person's rules), `check` (check a candidate
    /// password), `change` (change a password knowing the current one),
    /// `reset_code` (send a reset code to the person's own address). The
    /// name is recorded in the audit trail (`api_client`). Only a hash of
    /// each token is kept in memory; the files are read at start and again
    /// on SIGHUP, so deleting a client's token file and sending SIGHUP (or
    /// restarting) revokes it at once (a client whose file is missing has
    /// no valid token).
    pub clients: BTreeMap<String, ApiClient>,
    /// Requests per minute each client may make, sustained (every request
    /// that carried its token counts).
    pub rate_limit_per_minute: u32,
    /// Requests a client may make in a burst above that rate.
    pub rate_limit_burst: u32,
    /// Largest request body accepted (bytes); anything larger is refused
    /// before it is read.
    pub max_body_bytes: usize,
}

impl Default for ApiSettings {
    fn default() -> Self {
        Self {
            enabled: false,
            clients: BTreeMap::new(),
            // A portal passes on its users' requests: more than a person
            // types, and still far below what could test passwords at
            // scale (each change is also counted on the entry).
            rate_limit_per_minute: 120,
            rate_limit_burst: 30,
            max_body_bytes: 4 * 1024,
        }
    }
}

/// One client of the API (`api.clients.NAME`).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ApiClient {
    /// The file holding the client's token.
    pub token_file: PathBuf,
    /// The actions the client may take.
    #[serde(default)]
    pub scopes: Vec<Scope>,
}

/// An action of the API a client may be given.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Read the rules that apply to a person.
    Rules,
    /// Check a candidate password against a person's rules.
    Check,
    /// Change a password knowing the current one.
    Change,
    /// Send a reset code to the person's own address.
    ResetCode,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Rules => "rules",
            Scope::Check => "check",
            Scope::Change => "change",
            Scope::ResetCode => "reset_code",
        }
    }
}
