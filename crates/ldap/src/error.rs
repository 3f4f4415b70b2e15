//! Typed directory errors. The web layer maps each variant to a translated
//! message; the `Display` strings are for logs only and never carry the
//! directory's diagnostic text to a person.

use ldap3::LdapError;

pub use passerelle_domain::ports::{DirectoryError, PasswordWriteError};

/// What a failed ldap3 call means for the caller and for the connection.
pub(crate) fn classify(error: LdapError) -> DirectoryError {
    match error {
        LdapError::Timeout { .. } => DirectoryError::Timeout,
        LdapError::Io { .. }
        | LdapError::OpSend { .. }
        | LdapError::ResultRecv { .. }
        | LdapError::IdScrubSend { .. }
        | LdapError::MiscSend { .. }
        | LdapError::EndOfStream => DirectoryError::Unavailable,
        other => DirectoryError::Unexpected(anyhow::Error::new(other)),
    }
}

/// Result codes that say the server is going away or cannot serve now.
pub(crate) fn rc_means_unavailable(rc: u32) -> bool {
    // 51 busy, 52 unavailable, 80 other (slapd shutting down), 81 server down
    matches!(rc, 51 | 52 | 81)
}
