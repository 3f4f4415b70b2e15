//! Why a candidate password is refused: not a password at all
//! ([`InputError`]), or against a rule ([`Violation`]), with what the
//! message needs to be precise.

/// A candidate that is not a password at all. No rule is evaluated for it
/// and it must never reach the directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    #[error("the password is empty")]
    Empty,
    #[error("the password is only white space")]
    OnlySpaces,
    #[error("the password contains a control character")]
    ControlCharacter,
    #[error("the password is longer than {max} characters")]
    TooLong { max: usize },
    #[error("the password is not valid UTF-8")]
    InvalidUtf8,
}

impl InputError {
    /// Stable identifier, shared with the checklist and the vectors.
    pub fn as_str(self) -> &'static str {
        match self {
            InputError::Empty => "empty",
            InputError::OnlySpaces => "only_spaces",
            InputError::ControlCharacter => "control_character",
            InputError::TooLong { .. } => "too_long",
            InputError::InvalidUtf8 => "invalid_utf8",
        }
    }
}

/// Why a password is refused, with what the message needs to be precise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Violation {
    Input(InputError),
    TooShort {
        min: u32,
    },
    TooLong {
        max: u32,
    },
    TooFewClasses {
        min: u8,
    },
    TooFewUppercase {
        min: u32,
    },
    TooFewLowercase {
        min: u32,
    },
    TooFewDigits {
        min: u32,
    },
    TooFewSpecial {
        min: u32,
    },
    /// Contains one of these configured characters.
    ForbiddenCharacter {
        chars: String,
    },
    ContainsLogin,
    ContainsName,
    SameAsCurrent,
    TooGuessable,
    /// Its NT hash is in the site's list of breached passwords.
    Breached,
    /// The directory found it among the last `count` passwords.
    InHistory {
        count: Option<u32>,
    },
    /// The directory says it was changed too recently (`pwdMinAge`).
    TooSoon,
    /// The directory refused its quality without saying which rule.
    RefusedByDirectory,
}
