//! `[breach_sweep]`: the sweep's accounts, list and notices, as the
//! configuration reads them (the configuration assembles this table; the
//! sweep itself lives in the parent module).

use schemars::JsonSchema;
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// The breach sweep (`passerelle breach-sweep`, `docs/breach-sweep.md`).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct BreachSweepSettings {
    /// The breach list: NT hashes sorted by hash, one per line
    /// (`HEX32:COUNT` or `HEX32`), as Have I Been Pwned's NTLM "ordered by
    /// hash" download. Read as a stream, never loaded. When absent,
    /// `policy.breached_hashes_file`.
    pub hashes_file: Option<PathBuf>,
    /// The list's version, recorded on each entry notified (one notice per
    /// version and password), e.g. `hibp-2026-11`. When absent, the first
    /// 16 hexadecimal digits of the file's SHA-256 (`sha256:…`), computed
    /// during the sweep's one reading of it.
    pub list_version: Option<String>,
    /// The sweep's own account: reads `sambaNTPassword` and
    /// `pwdChangedTime` of people, writes nothing (config/ldap).
    pub reader_bind_dn: String,
    /// Its password, inline (tests); a site uses `reader_bind_password_file`.
    #[serde(skip_serializing)]
    #[schemars(with = "Option<String>")]
    pub reader_bind_password: Option<SecretString>,
    /// A file holding the sweep account's password.
    pub reader_bind_password_file: Option<PathBuf>,
    /// The account `--notify` acts as: reads people's names and addresses,
    /// writes only `passerelleBreachNotice` and `pwdReset` (never a
    /// password).
    pub notice_bind_dn: String,
    /// Its password, inline (tests); a site uses
    /// `notice_bind_password_file`. Needed with `--notify` only.
    #[serde(skip_serializing)]
    #[schemars(with = "Option<String>")]
    pub notice_bind_password: Option<SecretString>,
    /// A file holding the notice account's password.
    pub notice_bind_password_file: Option<PathBuf>,
    /// With `--notify`, also set `pwdReset` on each account found: the
    /// directory then asks for a new password at the next sign-in (CAS and
    /// other portals that honour ppolicy's control; Wi-Fi, which checks the
    /// NT hash, does not).
    pub force_change: bool,
    /// Where each run writes its figures in Prometheus' text format, for
    /// node_exporter's textfile collector (e.g.
    /// `/var/lib/prometheus/node-exporter/passerelle_breach_sweep.prom`);
    /// replaced atomically. Absent: none written.
    pub metrics_file: Option<PathBuf>,
}

impl Default for BreachSweepSettings {
    fn default() -> Self {
        Self {
            hashes_file: None,
            list_version: None,
            reader_bind_dn: "cn=breach-sweep,ou=services,dc=univ-exemple,dc=fr".into(),
            reader_bind_password: None,
            reader_bind_password_file: None,
            notice_bind_dn: "cn=breach-notice,ou=services,dc=univ-exemple,dc=fr".into(),
            notice_bind_password: None,
            notice_bind_password_file: None,
            force_change: false,
            metrics_file: None,
        }
    }
}

impl BreachSweepSettings {
    /// Checks what serde cannot; `Err((key, expected))`.
    pub fn validate(&self) -> Result<(), (&'static str, &'static str)> {
        if self.reader_bind_dn.trim().is_empty() {
            return Err(("breach_sweep.reader_bind_dn", "a non-empty DN"));
        }
        if self.notice_bind_dn.trim().is_empty() {
            return Err(("breach_sweep.notice_bind_dn", "a non-empty DN"));
        }
        if let Some(version) = &self.list_version {
            if version.trim().is_empty()
                || version.len() > 64
                || !version.chars().all(|c| c.is_ascii_graphic())
            {
                return Err((
                    "breach_sweep.list_version",
                    "1 to 64 printable ASCII characters without spaces, e.g. hibp-2026-11",
                ));
            }
        }
        Ok(())
    }
}
