//! The directory's password policy as the domain reads it: the policy
//! entry that applies to a person (draft-behera-ldap-password-policy §5.2,
//! as OpenLDAP's ppolicy overlay names its attributes), the lock ppolicy
//! keeps on the entry, and the answers the password policy control gives on
//! binds and writes. The adapter reads and decodes them; what they mean
//! for self-service is decided here.

use crate::generalized_time::parse_generalized_time;
use chrono::{DateTime, Utc};
use std::time::Duration;

/// The `pwdAccountLockedTime` value that means "locked by an
/// administrator, until unlocked by one" (draft-behera-ldap-password-policy).
pub const ADMINISTRATIVE_LOCK: &str = "000001010000Z";

/// A warning the server attaches to a successful bind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PpolicyWarning {
    /// Seconds before the password expires.
    TimeBeforeExpiration(u64),
    /// Binds still allowed with an expired password.
    GraceAuthNsRemaining(u64),
}

/// The error the server reports, numbered as in the draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PpolicyError {
    PasswordExpired,
    AccountLocked,
    ChangeAfterReset,
    PasswordModNotAllowed,
    MustSupplyOldPassword,
    InsufficientPasswordQuality,
    PasswordTooShort,
    PasswordTooYoung,
    PasswordInHistory,
    PasswordTooLong,
    /// A value this gateway does not know (a newer server); kept for the logs.
    Other(i64),
}

impl PpolicyError {
    /// The error numbered `code` in the draft.
    pub fn from_code(code: i64) -> Self {
        match code {
            0 => Self::PasswordExpired,
            1 => Self::AccountLocked,
            2 => Self::ChangeAfterReset,
            3 => Self::PasswordModNotAllowed,
            4 => Self::MustSupplyOldPassword,
            5 => Self::InsufficientPasswordQuality,
            6 => Self::PasswordTooShort,
            7 => Self::PasswordTooYoung,
            8 => Self::PasswordInHistory,
            9 => Self::PasswordTooLong,
            other => Self::Other(other),
        }
    }
}

/// A decoded response control.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PpolicyResponse {
    pub warning: Option<PpolicyWarning>,
    pub error: Option<PpolicyError>,
}

/// `pwdCheckQuality`: whether ppolicy checks a new password's quality
/// (length) at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QualityCheck {
    /// 0 (or absent): no check; `pwdMinLength` and `pwdMaxLength` are not
    /// enforced.
    #[default]
    Off,
    /// 1: checked when the server sees the cleartext (the gateway always
    /// sends it), a pre-hashed value is accepted.
    IfPossible,
    /// 2: checked, and a value the server cannot check is refused.
    Required,
}

/// One `pwdPolicy` entry, with the draft's defaults for absent attributes
/// (every limit off). A value the gateway cannot read as a number counts as
/// absent.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DirectoryPolicy {
    /// The entry this was read from; empty for "no policy applies".
    pub dn: String,
    /// `pwdMinLength`: fewest characters of a new password; 0 = no minimum.
    /// Enforced only when [`Self::check_quality`] is not `Off`.
    pub min_length: u32,
    /// `pwdMaxLength`: most characters of a new password; 0 = no maximum.
    /// Enforced only when [`Self::check_quality`] is not `Off`.
    pub max_length: u32,
    /// `pwdInHistory`: how many previous passwords a new one must differ
    /// from; 0 = no history check.
    pub in_history: u32,
    /// `pwdCheckQuality`.
    pub check_quality: QualityCheck,
    /// `pwdMaxFailure`: failed binds in a row before the account locks
    /// (with [`Self::lockout`]); 0 = never.
    pub max_failure: u32,
    /// `pwdLockout`: failed binds lock the account.
    pub lockout: bool,
    /// `pwdLockoutDuration`: how long ppolicy's lock lasts. Zero means until
    /// an administrator lifts it, which self-service must respect.
    pub lockout_duration: Duration,
    /// `pwdMaxAge`: how long a password stays valid; `None` = forever (0).
    pub max_age: Option<Duration>,
    /// `pwdMustChange`: a password set by an administrator must be changed
    /// at the next bind.
    pub must_change: bool,
    /// `pwdSafeModify`: a password change must carry the current password
    /// (which a reset cannot supply).
    pub safe_modify: bool,
}

impl DirectoryPolicy {
    /// What ppolicy enforces when no policy entry applies (none configured,
    /// or the one named cannot be read: slapd 2.5 then falls back to its
    /// built-in empty policy, not to `olcPPolicyDefault`).
    pub fn unenforced() -> Self {
        Self::default()
    }

    /// The fewest characters the directory will accept, if it checks.
    pub fn enforced_min_length(&self) -> Option<u32> {
        (self.check_quality != QualityCheck::Off && self.min_length > 0).then_some(self.min_length)
    }

    /// The most characters the directory will accept, if it checks.
    pub fn enforced_max_length(&self) -> Option<u32> {
        (self.check_quality != QualityCheck::Off && self.max_length > 0).then_some(self.max_length)
    }
}

/// The lock ppolicy keeps in `pwdAccountLockedTime`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PpolicyLock {
    /// No `pwdAccountLockedTime`.
    #[default]
    None,
    /// `000001010000Z`: IT locked the account until an administrator
    /// unlocks it (draft-behera §5.3.3). Also a value that is not a time,
    /// which slapd treats as locked for good too.
    Administrative,
    /// Failed binds locked the account at `since`. It ends after the
    /// effective policy's `pwdLockoutDuration` (never when that is 0); slapd
    /// keeps the value after that until the next successful bind or
    /// password write, so its presence alone says nothing.
    Timed { since: DateTime<Utc> },
}

impl PpolicyLock {
    /// Reads a `pwdAccountLockedTime` value.
    pub fn parse(raw: Option<&str>) -> Self {
        match raw.map(str::trim) {
            None => Self::None,
            Some(ADMINISTRATIVE_LOCK) => Self::Administrative,
            Some(value) => match parse_generalized_time(value) {
                Some(since) => Self::Timed { since },
                None => Self::Administrative,
            },
        }
    }

    /// Must self-service stop for this person? Only for a lock that lasts
    /// until an administrator lifts it: IT's lock, or ppolicy's lock under a
    /// policy whose `pwdLockoutDuration` is 0. A timed lock, running or run
    /// out, does not stop a reset that proves identity (the gateway's write
    /// lifts it, as DESIGN.md requires).
    pub fn stops_self_service(&self, policy: &DirectoryPolicy) -> bool {
        match self {
            Self::None => false,
            Self::Administrative => true,
            Self::Timed { .. } => policy.lockout_duration.is_zero(),
        }
    }

    /// When ppolicy will let the person bind again by itself: `None` when
    /// not locked or locked until an administrator unlocks.
    pub fn ends_at(&self, policy: &DirectoryPolicy) -> Option<DateTime<Utc>> {
        match self {
            Self::Timed { since } if !policy.lockout_duration.is_zero() => {
                let duration = chrono::Duration::from_std(policy.lockout_duration).ok()?;
                since.checked_add_signed(duration)
            }
            _ => None,
        }
    }
}

/// What ppolicy keeps on a person's entry that self-service depends on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PpolicyState {
    /// `pwdAccountLockedTime`, parsed.
    pub lock: PpolicyLock,
    /// `pwdPolicySubentry`: the policy entry that applies to this person
    /// instead of the default one.
    pub subentry: Option<String>,
}
