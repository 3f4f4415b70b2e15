//! Choose a secret question and its answer (`activate`, and `account` for
//! a person who is signed in). The question is one of the configured ones
//! (posted as its index, so it cannot be altered on the way) or the
//! person's own; the answer must be confirmed, long enough once
//! normalised, and neither the login nor the birth date (the first things
//! a stranger would try).

use super::Gateway;
use crate::directory::Person;
use crate::i18n::{t, t_with, Lang};
use crate::secret_answer::normalise;
use secrecy::{ExposeSecret, SecretString};

/// A question of one's own: long enough to be a question, short enough for
/// a page (characters).
pub const QUESTION_MIN_CHARS: usize = 10;
pub const QUESTION_MAX_CHARS: usize = 200;
/// An answer, normalised, of fewer characters is too easy to guess.
pub const ANSWER_MIN_CHARS: usize = 3;

/// What the person posted.
pub struct SecretChoice<'a> {
    /// The index of a configured question, or `own`.
    pub question: &'a str,
    pub own_question: &'a str,
    pub answer: &'a SecretString,
    pub answer_confirm: &'a SecretString,
}

/// A field to fix and the translated reason.
pub type Problem = (&'static str, String);

/// The question and answer chosen, or what the person must fix.
pub fn choose(
    gateway: &Gateway,
    lang: Lang,
    person: &Person,
    choice: &SecretChoice<'_>,
) -> Result<(String, SecretString), Vec<Problem>> {
    let mut problems: Vec<Problem> = Vec::new();
    let questions = &gateway.settings.flows.questions;
    let question = if choice.question == "own" {
        let own: String = choice
            .own_question
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let length = own.chars().count();
        if !(QUESTION_MIN_CHARS..=QUESTION_MAX_CHARS).contains(&length)
            || own.chars().any(char::is_control)
        {
            problems.push((
                "own_question",
                t_with(
                    lang,
                    "activate-question-length",
                    &[
                        ("min", &QUESTION_MIN_CHARS.to_string()),
                        ("max", &QUESTION_MAX_CHARS.to_string()),
                    ],
                ),
            ));
        }
        Some(own)
    } else {
        let chosen = choice
            .question
            .parse::<usize>()
            .ok()
            .and_then(|i| questions.get(i))
            .cloned();
        if chosen.is_none() {
            problems.push(("question", t(lang, "activate-question-missing", None)));
        }
        chosen
    };

    let answer = normalise(choice.answer.expose_secret());
    if answer.chars().count() < ANSWER_MIN_CHARS {
        problems.push((
            "answer",
            t_with(
                lang,
                "activate-answer-too-short",
                &[("min", &ANSWER_MIN_CHARS.to_string())],
            ),
        ));
    } else if !person.login.is_empty() && answer == normalise(&person.login) {
        problems.push(("answer", t(lang, "activate-answer-is-login", None)));
    } else if is_birth_date(&answer, person) {
        problems.push(("answer", t(lang, "activate-answer-is-birth-date", None)));
    }
    if answer != normalise(choice.answer_confirm.expose_secret()) {
        problems.push(("answer_confirm", t(lang, "activate-answer-mismatch", None)));
    }
    match question {
        Some(question) if problems.is_empty() => Ok((question, choice.answer.clone())),
        _ => Err(problems),
    }
}

/// Whether a normalised answer is the person's birth date written in one
/// of the usual ways (15/09/2001, 2001-09-15, 15092001, 20010915, 150901).
fn is_birth_date(answer: &str, person: &Person) -> bool {
    let Some(date) = person.birth_date else {
        return false;
    };
    if !answer
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '/' | '-' | '.' | ' '))
    {
        return false;
    }
    let digits: String = answer.chars().filter(char::is_ascii_digit).collect();
    ["%d%m%Y", "%Y%m%d", "%d%m%y", "%m%d%Y"]
        .iter()
        .any(|format| date.format(format).to_string() == digits)
}
