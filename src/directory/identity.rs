//! What a person types to say who they are: an identifier (login, student
//! number, INE, staff number…) and a birth date. Both are parsed into types
//! that can only hold plausible values; anything else simply "finds nobody",
//! so hostile input never reaches the directory as a filter and never turns
//! into an error page that would tell a stranger something.

use chrono::NaiveDate;
use std::fmt;

/// Longest identifier accepted, in characters.
pub const MAX_IDENTIFIER_CHARS: usize = 256;

/// A trimmed identifier of 1..=256 characters without control characters.
#[derive(Clone, PartialEq, Eq)]
pub struct Identifier(String);

impl Identifier {
    /// `None` for anything that cannot be anybody's identifier: the caller
    /// treats it exactly like an identifier that matched nobody.
    pub fn parse(input: &str) -> Option<Self> {
        let trimmed = input.trim();
        let chars = trimmed.chars().count();
        if chars == 0 || chars > MAX_IDENTIFIER_CHARS {
            return None;
        }
        if trimmed.chars().any(char::is_control) {
            return None;
        }
        Some(Self(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Identifier {
    // Identifiers are personal data: logs get the length, not the value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Identifier({} chars)", self.0.chars().count())
    }
}

/// A recovery e-mail address as typed, for the e-mail flows: trimmed,
/// 3..=254 characters, one `@` with something on both sides, no control
/// characters or spaces. Not a full RFC 5322 check: the directory decides
/// whether anybody has that address.
#[derive(Clone, PartialEq, Eq)]
pub struct MailAddress(String);

impl MailAddress {
    pub fn parse(input: &str) -> Option<Self> {
        let trimmed = input.trim();
        let chars = trimmed.chars().count();
        if !(3..=254).contains(&chars) {
            return None;
        }
        if trimmed.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return None;
        }
        let (local, domain) = trimmed.split_once('@')?;
        if local.is_empty() || domain.is_empty() || domain.contains('@') {
            return None;
        }
        Some(Self(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for MailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MailAddress(..)")
    }
}

/// A birth date as typed by a person: `jj/mm/aaaa`, `jj-mm-aaaa`,
/// `jj.mm.aaaa` (French order) or ISO `aaaa-mm-jj`. Day and month may have
/// one digit; the year always has four, so `01/02/03` is refused rather
/// than guessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BirthDate(NaiveDate);

impl BirthDate {
    pub fn parse(input: &str) -> Option<Self> {
        let trimmed = input.trim();
        let separator = trimmed.chars().find(|c| matches!(c, '/' | '-' | '.'))?;
        let parts: Vec<&str> = trimmed.split(separator).collect();
        let [a, b, c] = parts.as_slice() else {
            return None;
        };
        let (year, month, day) = if a.len() == 4 && separator == '-' {
            (*a, *b, *c)
        } else {
            (*c, *b, *a)
        };
        if year.len() != 4 || !(1..=2).contains(&month.len()) || !(1..=2).contains(&day.len()) {
            return None;
        }
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if !all_digits(year) || !all_digits(month) || !all_digits(day) {
            return None;
        }
        let date =
            NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)?;
        Some(Self(date))
    }

    pub fn date(&self) -> NaiveDate {
        self.0
    }
}

impl From<NaiveDate> for BirthDate {
    fn from(date: NaiveDate) -> Self {
        Self(date)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_trimmed() {
        assert_eq!(
            Identifier::parse("  jdupont \t").unwrap().as_str(),
            "jdupont"
        );
    }

    #[test]
    fn empty_control_and_oversized_identifiers_find_nobody() {
        assert!(Identifier::parse("").is_none());
        assert!(Identifier::parse("   ").is_none());
        assert!(Identifier::parse("jdu\0pont").is_none());
        assert!(Identifier::parse("jdu\npont").is_none());
        assert!(Identifier::parse("\u{7f}").is_none());
        assert!(Identifier::parse(&"a".repeat(257)).is_none());
        assert!(Identifier::parse(&"é".repeat(256)).is_some());
        assert!(Identifier::parse(&"a".repeat(10_000)).is_none());
    }

    #[test]
    fn filter_metacharacters_are_ordinary_identifiers() {
        // They are escaped when the filter is built; refusing them here
        // would only be a second, weaker defence.
        for s in ["*)(uid=*", "*", "\\", "(", ")"] {
            assert!(Identifier::parse(s).is_some(), "{s}");
        }
    }

    #[test]
    fn identifiers_are_not_logged_in_clear() {
        let id = Identifier::parse("jdupont").unwrap();
        assert!(!format!("{id:?}").contains("jdupont"));
    }

    #[test]
    fn mail_addresses_need_one_at_sign_with_both_sides() {
        assert!(MailAddress::parse(" jean@example.org ").is_some());
        assert!(MailAddress::parse("jean@").is_none());
        assert!(MailAddress::parse("@example.org").is_none());
        assert!(MailAddress::parse("jean").is_none());
        assert!(MailAddress::parse("a@b@c").is_none());
        assert!(MailAddress::parse("je an@example.org").is_none());
        assert!(MailAddress::parse("jean\0@example.org").is_none());
    }

    #[test]
    fn birth_dates_are_read_in_french_and_iso_order() {
        let expected = NaiveDate::from_ymd_opt(2003, 4, 17).unwrap();
        for s in [
            "17/04/2003",
            "17-04-2003",
            "17.04.2003",
            "2003-04-17",
            " 17/4/2003 ",
        ] {
            assert_eq!(BirthDate::parse(s).map(|b| b.date()), Some(expected), "{s}");
        }
    }

    #[test]
    fn impossible_or_ambiguous_birth_dates_are_refused() {
        for s in [
            "",
            "31/02/2003",
            "17/04/03",
            "2003/04/17",
            "17/04-2003",
            "17/04/2003/1",
            "aa/bb/cccc",
            "+1/04/2003",
            "17042003",
            "00/01/2000",
        ] {
            assert!(BirthDate::parse(s).is_none(), "{s}");
        }
    }
}
