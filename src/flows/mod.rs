//! The flows as the domain sees them: who the person is, whether an attempt
//! counts, what is written, what is mailed. Nothing here knows HTTP: the
//! steps take typed, already-read values and return a typed outcome that
//! says what the person sees next; `crate::web` adapts forms, cookies and
//! pages to them.
//!
//! A flow is a list of shared steps ([`FlowName::steps`]). Each step is
//! written once, in its own module, and carries its own audit events,
//! attempt counting and lockout, so no flow can forget them:
//!
//! | step | module |
//! |---|---|
//! | prove identity (identifier + birth date) | [`identity`] |
//! | answer the secret question | [`question`] |
//! | choose a secret question | [`secret`] |
//! | prove a sign-in (login + current or temporary password) | [`sign_in`] |
//! | request a mail (code, temporary password, login reminder) | [`mailing`] |
//! | check an e-mailed code | [`code`] |
//! | choose and write the new password, confirm by mail | [`new_password`] |

pub mod audit;
pub mod code;
pub mod identity;
pub mod mailing;
pub mod new_password;
pub mod not_me;
pub mod question;
pub mod secret;
pub mod sign_in;

use crate::config::Settings;
use crate::directory::{Directory, DirectoryError};
use crate::mail::Mailer;
use crate::policy::PasswordPolicy;
use crate::secret_answer::{AnswerError, AnswerHasher};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

pub use audit::{Trail, Visitor, Who};

/// What the steps work with: the configuration, the directory, the
/// password rules, the mailer and the keyed hashers. Cheap to clone.
#[derive(Clone)]
pub struct Gateway {
    pub settings: Arc<Settings>,
    pub directory: Directory,
    pub policy: Arc<PasswordPolicy>,
    pub mailer: Mailer,
    pub answers: AnswerHasher,
    /// Hashes e-mailed codes and seals the links that carry them.
    pub code_key: crate::reset_code::CodeKey,
    /// Derives the captcha texts from the challenge ids in flow cookies.
    pub captcha_key: crate::captcha::CaptchaKey,
    /// Where every audit event goes (the trail, the metrics, the log).
    pub audit: crate::audit_trail::Recorder,
    /// How long every failure waits before it is answered (sameness).
    pub failure_floor: Arc<identity::FailureFloor>,
    /// Run after every password written (`[hooks]`).
    pub hooks: crate::hooks::Hooks,
}

/// Why a step could not decide: the directory or the answer hasher failed.
/// Never "the person is wrong", which is an outcome, not an error.
#[derive(Debug, thiserror::Error)]
pub enum FlowError {
    #[error(transparent)]
    Directory(#[from] DirectoryError),
    #[error(transparent)]
    Answer(#[from] AnswerError),
}

/// The flows, each chained by its own cookie.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FlowName {
    Recover,
    Identifier,
    Code,
    Temporary,
    Activate,
    Account,
    Change,
    /// « Ce n'était pas moi »: the link of a "password changed" mail.
    NotMe,
}

/// A step a flow is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// Identifier + birth date ([`identity`]).
    Identity,
    /// The secret question answered ([`question`]).
    Question,
    /// A secret question and answer chosen ([`secret`]).
    ChooseSecret,
    /// Login + current or temporary password ([`sign_in`]).
    SignIn,
    /// An address or identifier, whose owner is mailed ([`mailing`]).
    MailRequest,
    /// The e-mailed code, typed or by link ([`code`]).
    Code,
    /// The new password, checked and written ([`new_password`]).
    NewPassword,
    /// The login mailed to the recovery address ([`mailing`]).
    LoginMail,
    /// The owner disowns a password change ([`not_me`]).
    Disown,
}

impl FlowName {
    pub fn as_str(self) -> &'static str {
        match self {
            FlowName::Recover => "recover",
            FlowName::Identifier => "identifier",
            FlowName::Code => "code",
            FlowName::Temporary => "temporary",
            FlowName::Activate => "activate",
            FlowName::Account => "account",
            FlowName::Change => "change",
            FlowName::NotMe => "not_me",
        }
    }

    /// The flow's steps, in order: the seed systems as lists. The step
    /// indicator of the pages counts them.
    pub fn steps(self) -> &'static [Step] {
        use Step::*;
        match self {
            // UPHF Sésame: personal number + birth date, the joker
            // question, the new password (confirmation mail after it).
            FlowName::Recover => &[Identity, Question, NewPassword],
            // UPHF: identity, then the login by mail, never on the page.
            FlowName::Identifier => &[Identity, LoginMail],
            // UPHF: identity, choose the question, choose the password.
            FlowName::Activate => &[Identity, ChooseSecret, NewPassword],
            // UPHF Gérer mon compte: sign in, then password or question.
            FlowName::Account => &[SignIn, NewPassword],
            // EFP Connect: address + captcha, the 6-digit code, the password.
            FlowName::Code => &[MailRequest, Code, NewPassword],
            // CAF, Ecolesoft: identifier or address + captcha; the
            // temporary password arrives by mail and opens `Change`.
            FlowName::Temporary => &[MailRequest],
            // CAF, Ecolesoft forced change: sign in with the temporary (or
            // current) password, then the new one.
            FlowName::Change => &[SignIn, NewPassword],
            // Opened from a "password changed" mail: one button.
            FlowName::NotMe => &[Disown],
        }
    }

    /// The step that must have been passed for `step` to come now: the one
    /// before it in the flow's list (`Some(None)`: it comes first). `None`
    /// when the flow has no such step. Account management also lets a
    /// signed-in person choose a new secret question.
    pub fn requires(self, step: Step) -> Option<Option<Step>> {
        if self == FlowName::Account && step == Step::ChooseSecret {
            return Some(Some(Step::SignIn));
        }
        let steps = self.steps();
        let index = steps.iter().position(|s| *s == step)?;
        Some(index.checked_sub(1).map(|before| steps[before]))
    }

    /// The page a flow's last step leads to, shown again on a repeated
    /// submission or the browser's Back (Post/Redirect/Get).
    pub fn done_path(self) -> Option<&'static str> {
        match self {
            FlowName::Recover => Some("/recover/done"),
            FlowName::Activate => Some("/activate/done"),
            FlowName::Account => Some("/account/done"),
            FlowName::Code => Some("/code/done"),
            FlowName::Change => Some("/change/done"),
            FlowName::Identifier | FlowName::Temporary | FlowName::NotMe => None,
        }
    }

    /// "Étape `n` sur `total`" for `step` (1-based), if the flow has it.
    pub fn position(self, step: Step) -> Option<(u32, u32)> {
        // The login mail is no page of its own.
        let steps: Vec<Step> = self
            .steps()
            .iter()
            .copied()
            .filter(|s| *s != Step::LoginMail)
            .collect();
        let index = steps.iter().position(|s| *s == step)?;
        Some((
            u32::try_from(index + 1).unwrap_or(u32::MAX),
            u32::try_from(steps.len()).unwrap_or(u32::MAX),
        ))
    }

    /// Whether the site's configuration turns this flow on. The forced
    /// change belongs to the temporary-password flow and to account
    /// management: either enables it.
    pub fn enabled(self, settings: &Settings) -> bool {
        let flows = &settings.flows;
        match self {
            FlowName::Recover => flows.recover,
            FlowName::Identifier => flows.identifier,
            FlowName::Code => flows.code,
            FlowName::Temporary => flows.temporary,
            FlowName::Activate => flows.activate,
            FlowName::Account => flows.account,
            FlowName::Change => flows.temporary || flows.account,
            FlowName::NotMe => flows.not_me_days > 0,
        }
    }
}

/// Which of a person's values a flow looks up first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LookUp {
    /// A configured identifier, then a recovery address (sign-ins).
    IdentifierFirst,
    /// A recovery address, then a configured identifier (e-mail flows).
    MailFirst,
}

/// The person `typed` names: any configured identifier, or (when it is an
/// address) a recovery address, in the order `look_up` says. A value two
/// entries share names nobody (the directory module logs them).
pub async fn find_named(
    gateway: &Gateway,
    typed: &str,
    look_up: LookUp,
) -> Result<Option<crate::directory::Person>, DirectoryError> {
    let unambiguous = |found| match found {
        Err(DirectoryError::Ambiguous) => Ok(None),
        other => other,
    };
    let by_mail = || async {
        if typed.contains('@') {
            unambiguous(gateway.directory.find_by_mail(typed).await)
        } else {
            Ok(None)
        }
    };
    if look_up == LookUp::MailFirst {
        if let Some(person) = by_mail().await? {
            return Ok(Some(person));
        }
    }
    if let Some(person) = unambiguous(gateway.directory.find_person_by_input(typed).await)? {
        return Ok(Some(person));
    }
    match look_up {
        LookUp::IdentifierFirst => by_mail().await,
        LookUp::MailFirst => Ok(None),
    }
}

/// A duration in seconds from the configuration, as chrono wants it.
pub fn seconds(value: u64) -> chrono::Duration {
    chrono::Duration::seconds(i64::try_from(value).unwrap_or(i64::MAX / 1000))
}
