//! Character classes and folding, written to match `static/js/checklist.js`
//! rule for rule (`\p{Lowercase}`, `\p{Uppercase}`, `\p{Nd}`, NFD without
//! `\p{M}`), because the page and the server must never disagree.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

/// Counts of each class in a password.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    pub chars: usize,
    pub lowercase: u32,
    pub uppercase: u32,
    pub digits: u32,
    pub special: u32,
}

pub(crate) fn count(password: &str) -> Counts {
    let mut counts = Counts::default();
    for c in password.chars() {
        counts.chars += 1;
        if c.is_lowercase() {
            counts.lowercase += 1;
        }
        if c.is_uppercase() {
            counts.uppercase += 1;
        }
        if is_digit(c) {
            counts.digits += 1;
        }
        if is_special(c) {
            counts.special += 1;
        }
    }
    counts
}

/// A decimal digit of any script (`\p{Nd}`): "٣" is a digit, "²" is not.
pub(crate) fn is_digit(c: char) -> bool {
    c.general_category() == GeneralCategory::DecimalNumber
}

/// Punctuation, symbols, emoji: neither a letter, a number, white space, a
/// control character nor a combining mark
/// (`[^\p{Alphabetic}\p{N}\p{White_Space}\p{Cc}\p{M}]`). A combining accent
/// belongs to its letter: a decomposed "é" must not make a password "special".
pub(crate) fn is_special(c: char) -> bool {
    !(c.is_alphanumeric() || c.is_whitespace() || c.is_control() || is_combining_mark(c))
}

/// Lowercase, decompose, drop combining marks: "Élodie" and "ÉLODIE" both
/// become "elodie". Lowercasing comes first because it can itself produce a
/// combining mark ("İ" lowercases to "i" + U+0307).
pub(crate) fn fold(s: &str) -> String {
    s.to_lowercase()
        .nfd()
        .filter(|&c| !is_combining_mark(c))
        .collect()
}

/// The folded tokens of 3 characters or more of attribute values, split on
/// anything that is not a letter or a number: "Jean-Pierre Le Gall" gives
/// "jean", "pierre", "gall". Short tokens are skipped because "le" or "li"
/// would refuse half of all passwords.
pub(crate) fn name_tokens(values: &[String]) -> Vec<String> {
    let mut tokens: Vec<String> = Vec::new();
    for value in values {
        for token in fold(value).split(|c: char| !c.is_alphanumeric()) {
            if token.chars().count() >= 3 && !tokens.iter().any(|t| t == token) {
                tokens.push(token.to_owned());
            }
        }
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_and_case_are_folded() {
        assert_eq!(fold("Élodie"), "elodie");
        assert_eq!(fold("ÇA"), "ca");
        assert_eq!(fold("e\u{301}"), "e");
    }

    #[test]
    fn names_split_into_tokens_of_three_or_more() {
        let tokens = name_tokens(&["Jean-Pierre".into(), "Le Gall".into(), "N'Diaye".into()]);
        assert_eq!(tokens, vec!["jean", "pierre", "gall", "diaye"]);
    }

    #[test]
    fn classes_are_unicode_aware() {
        let c = count("éÉ٣²!😀 ");
        assert_eq!(c.chars, 7);
        assert_eq!(
            (c.lowercase, c.uppercase, c.digits, c.special),
            (1, 1, 1, 2)
        );
    }
}
