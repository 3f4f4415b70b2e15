//! Typed directory errors. The web layer maps each variant to a translated
//! message; the `Display` strings are for logs only and never carry the
//! directory's diagnostic text to a person.

use ldap3::LdapError;

/// Something went wrong talking to the directory.
#[derive(Debug, thiserror::Error)]
pub enum DirectoryError {
    /// No directory server could be reached (all URLs refused, the
    /// connection dropped): "service unavailable, try again later".
    #[error("directory unavailable")]
    Unavailable,
    /// The directory did not answer within `timeout_seconds`.
    #[error("directory timed out")]
    Timeout,
    /// An identifier matched more than one entry; refused, logged with the DNs.
    #[error("identifier matches more than one entry")]
    Ambiguous,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

/// A password write refused by the directory's password policy, or a
/// directory failure during the write.
#[derive(Debug, thiserror::Error)]
pub enum PasswordWriteError {
    #[error("password expired")]
    Expired,
    #[error("account locked")]
    Locked,
    #[error("password must be changed after reset")]
    ChangeAfterReset,
    #[error("password modification not allowed")]
    ModNotAllowed,
    #[error("old password must be supplied")]
    MustSupplyOldPassword,
    #[error("password quality insufficient")]
    InsufficientQuality,
    #[error("password too short")]
    TooShort,
    #[error("password changed too recently")]
    TooYoung,
    #[error("password is in the history")]
    InHistory,
    #[error("password too long")]
    TooLong,
    /// A constraint violation (or other refusal) the server did not explain
    /// with a policy control; the LDAP result code is kept for the logs.
    #[error("password refused by the directory (rc {0})")]
    Rejected(u32),
    #[error(transparent)]
    Directory(#[from] DirectoryError),
}

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
