//! Choose a secret question and its answer (`activate`, and `account` for
//! a person who is signed in). The question is one of the configured ones
//! (posted as its index, so it cannot be altered on the way) or the
//! person's own; the answer must be confirmed, long enough once
//! normalised, and neither the login nor the birth date (the first things
//! a stranger would try).
//!
//! The built-in questions ([`BUILTIN_QUESTIONS`]) are stored on the entry
//! in their French wording, as they always were, and shown in the reader's
//! language from the locales ([`question_text`]); a site's own questions
//! and a person's own are shown as written.

use crate::person::Person;
use crate::secret_answer::normalise;
use passerelle_text::i18n::{t, t_with};
use passerelle_text::Lang;
use secrecy::{ExposeSecret, SecretString};

/// A question of one's own: long enough to be a question, short enough for
/// a page (characters).
pub const QUESTION_MIN_CHARS: usize = 10;
pub const QUESTION_MAX_CHARS: usize = 200;
/// An answer, normalised, of fewer characters is too easy to guess.
pub const ANSWER_MIN_CHARS: usize = 3;

/// The questions the gateway offers by default: the message that shows each
/// in the reader's language, and the form stored on the entry (the French
/// wording, unchanged since the first version, so that a question chosen
/// then is recognised and translated now).
pub const BUILTIN_QUESTIONS: [(&str, &str); 3] = [
    (
        "question-first-pet",
        "Quel est le nom de votre premier animal de compagnie ?",
    ),
    ("question-birth-city", "Dans quelle ville êtes-vous né(e) ?"),
    (
        "question-primary-school",
        "Quel était le nom de votre école primaire ?",
    ),
];

/// `question` (as stored or configured) as the reader of `lang` reads it:
/// a built-in question in their language, any other as written.
pub fn question_text(question: &str, lang: Lang) -> String {
    BUILTIN_QUESTIONS
        .iter()
        .find(|(_, stored)| *stored == question)
        .map_or_else(|| question.to_owned(), |(id, _)| t(lang, id, None))
}

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

/// The question (in its stored form) and answer chosen from `questions`
/// (`flows.questions`), or what the person must fix.
pub fn choose(
    questions: &[String],
    lang: Lang,
    person: &Person,
    choice: &SecretChoice<'_>,
) -> Result<(String, SecretString), Vec<Problem>> {
    let mut problems: Vec<Problem> = Vec::new();
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::standing::tests::person;

    fn secret(text: &str) -> SecretString {
        SecretString::from(text.to_owned())
    }

    fn choice<'a>(
        question: &'a str,
        answer: &'a SecretString,
        confirm: &'a SecretString,
    ) -> SecretChoice<'a> {
        SecretChoice {
            question,
            own_question: "",
            answer,
            answer_confirm: confirm,
        }
    }

    fn questions() -> Vec<String> {
        BUILTIN_QUESTIONS
            .iter()
            .map(|(_, q)| (*q).to_owned())
            .collect()
    }

    #[test]
    fn a_built_in_question_is_stored_in_its_french_form_and_read_in_english() {
        let (answer, confirm) = (secret("Minou"), secret("minou"));
        let (question, _) = choose(
            &questions(),
            Lang::En,
            &person(),
            &choice("0", &answer, &confirm),
        )
        .expect("a valid choice");
        assert_eq!(question, BUILTIN_QUESTIONS[0].1);
        let english = question_text(&question, Lang::En);
        assert_ne!(english, question);
        assert!(english.is_ascii(), "{english}");
        assert_eq!(
            question_text("Ma propre question ?", Lang::En),
            "Ma propre question ?"
        );
    }

    #[test]
    fn a_question_posted_out_of_range_is_refused() {
        let (answer, confirm) = (secret("Minou"), secret("Minou"));
        let problems = choose(
            &questions(),
            Lang::Fr,
            &person(),
            &choice("7", &answer, &confirm),
        )
        .expect_err("no such question");
        assert_eq!(problems[0].0, "question");
    }

    #[test]
    fn the_login_and_the_birth_date_are_no_answers() {
        let mut someone = person();
        someone.login = "jdupont".into();
        someone.birth_date = chrono::NaiveDate::from_ymd_opt(2001, 9, 15);
        for guessable in ["JDupont", "15/09/2001", "20010915", "150901"] {
            let answer = secret(guessable);
            let problems = choose(
                &questions(),
                Lang::Fr,
                &someone,
                &choice("1", &answer, &answer),
            )
            .expect_err(guessable);
            assert_eq!(problems[0].0, "answer", "{guessable}");
        }
    }
}
