//! What a person types to say who they are: an identifier (login, student
//! number, INE, staff number…) and a birth date. Both are parsed into types
//! that can only hold plausible values; anything else simply "finds nobody",
//! so hostile input never reaches the directory as a filter and never turns
//! into an error page that would tell a stranger something.
//!
//! People type what they read on a card or paste from a mail: spaces around
//! it, full-width digits from an East Asian keyboard, `p4106a` for a staff
//! number printed `P4106A`. Every value is therefore trimmed and put in
//! Unicode NFKC form (compatibility characters such as `４` become `4`), and
//! each identifier kind states the case its attribute holds
//! ([`IdentifierCase`]), applied just before the search.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Longest identifier accepted, in characters.
pub const MAX_IDENTIFIER_CHARS: usize = 256;

/// Longest input even looked at, in bytes: NFKC can expand a character, so
/// anything far beyond the longest identifier is refused before that work.
const MAX_INPUT_BYTES: usize = MAX_IDENTIFIER_CHARS * 4 * 4;

/// What a person typed, trimmed and in NFKC form, without invisible
/// format characters, so that look-alike characters (full-width digits and
/// letters, ligatures, no-break spaces) compare as the ones printed on a
/// card ([`as_read`]).
fn tidy(input: &str) -> Option<String> {
    if input.len() > MAX_INPUT_BYTES {
        return None;
    }
    Some(as_read(input))
}

pub use passerelle_text::as_read;

/// Shortest search an agent may make, in characters: one letter would
/// list a scope page by page.
pub const MIN_SEARCH_CHARS: usize = 2;

/// Longest search, in characters.
pub const MAX_SEARCH_CHARS: usize = 64;

/// What an agent typed to find a person: an identifier, an address or the
/// start of a name, trimmed and read as it reads
/// ([`passerelle_text::as_read`]), 2 to 64 characters without control
/// characters. The directory adapter escapes it into its filter: `*`, `(`,
/// `)`, `\` and NUL find themselves, never more.
#[derive(Clone, PartialEq, Eq)]
pub struct SearchText(String);

impl SearchText {
    /// `None` for what cannot be searched (too short, too long, a control
    /// character).
    pub fn parse(typed: &str) -> Option<SearchText> {
        if typed.len() > MAX_SEARCH_CHARS * 16 {
            return None;
        }
        let text = passerelle_text::as_read(typed);
        let chars = text.chars().count();
        if !(MIN_SEARCH_CHARS..=MAX_SEARCH_CHARS).contains(&chars)
            || text.chars().any(char::is_control)
        {
            return None;
        }
        Some(SearchText(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// It reads as an address (an `@` with something on both sides).
    pub fn is_address(&self) -> bool {
        MailAddress::parse(&self.0).is_some() && self.0.contains('@')
    }
}

impl std::fmt::Debug for SearchText {
    // What an agent searched is personal data: logs get its length.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SearchText({} chars)", self.0.chars().count())
    }
}

/// A trimmed, NFKC-normalised identifier of 1..=256 characters without
/// control characters. Its case is left as typed: the case each attribute
/// holds is applied per attribute at search time ([`Identifier::for_case`]).
#[derive(Clone, PartialEq, Eq)]
pub struct Identifier(String);

impl Identifier {
    /// `None` for anything that cannot be anybody's identifier: the caller
    /// treats it exactly like an identifier that matched nobody.
    pub fn parse(input: &str) -> Option<Self> {
        let tidied = tidy(input)?;
        let chars = tidied.chars().count();
        if chars == 0 || chars > MAX_IDENTIFIER_CHARS {
            return None;
        }
        if tidied.chars().any(char::is_control) {
            return None;
        }
        Some(Self(tidied))
    }

    /// The identifier as typed (trimmed, NFKC).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The value searched in an attribute whose values are stored in
    /// `case` (not yet escaped for a filter).
    pub fn for_case(&self, case: IdentifierCase) -> String {
        case.apply(&self.0)
    }
}

/// The case an identifier attribute's values are stored in, so that what a
/// person types in any case finds them even when the attribute compares
/// case-exactly (SUPANN's `supannEmpId` and `supannEtuId` are
/// `caseExactMatch`). Configured per attribute in `ldap.identifier_case`;
/// see [`IdentifierCase::default_for`] for the built-in choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum IdentifierCase {
    /// Values are stored in capitals (`P4106A`): the typed value is
    /// upper-cased (Unicode rules).
    Upper,
    /// Values are stored in small letters (`jdupont`): the typed value is
    /// lower-cased (Unicode rules).
    Lower,
    /// Values are compared as typed (after trimming and NFKC).
    Exact,
}

impl IdentifierCase {
    /// The case of a SUPANN attribute a site did not configure: staff
    /// numbers and INE are printed in capitals, logins are lower case, and
    /// a student number is left exact (its format varies between sites and
    /// is usually digits only). Any other attribute is `Exact`: the gateway
    /// does not guess. Attribute names compare case-insensitively, as in LDAP.
    pub fn default_for(attribute: &str) -> Self {
        const DEFAULTS: [(&str, IdentifierCase); 4] = [
            ("supannEmpId", IdentifierCase::Upper),
            ("supannCodeINE", IdentifierCase::Upper),
            ("uid", IdentifierCase::Lower),
            ("supannEtuId", IdentifierCase::Exact),
        ];
        DEFAULTS
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(attribute))
            .map_or(IdentifierCase::Exact, |(_, case)| *case)
    }

    /// `value` in this case.
    pub fn apply(self, value: &str) -> String {
        match self {
            IdentifierCase::Upper => value.to_uppercase(),
            IdentifierCase::Lower => value.to_lowercase(),
            IdentifierCase::Exact => value.to_owned(),
        }
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
    /// `None` for anything that is not one address. Read as it reads
    /// ([`as_read`]: a full-width `＠`, a zero-width space from a paste);
    /// the attributes that hold addresses (`mail`, `supannMailPerso`) are
    /// IA5 strings, on which that changes nothing else.
    pub fn parse(input: &str) -> Option<Self> {
        let tidied = tidy(input)?;
        let trimmed = tidied.as_str();
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
/// than guessed. Spaces around the date and full-width digits or
/// separators (`０７／０６／２００２`) are accepted: the input is trimmed and put
/// in NFKC form first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BirthDate(NaiveDate);

impl BirthDate {
    /// `None` for anything that is not one real date in a form above.
    pub fn parse(input: &str) -> Option<Self> {
        // A date is short; a long paste is not one (and is not worth NFKC).
        if input.len() > 64 {
            return None;
        }
        let tidied = tidy(input)?;
        let trimmed = tidied.as_str();
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
    fn what_a_paste_brings_along_unseen_is_not_part_of_the_value() {
        for pasted in [
            "22301001\u{200B}",
            "\u{FEFF}22301001",
            "2230\u{00AD}1001",
            "\u{202E}22301001\u{202C}",
            "\u{200E}22301001\u{2060}",
            "\u{00A0}22301001\u{3000}",
            "２２３０１００１",
        ] {
            assert_eq!(
                Identifier::parse(pasted).map(|i| i.as_str().to_owned()),
                Some("22301001".to_owned()),
                "{pasted:?}"
            );
        }
        assert_eq!(
            BirthDate::parse("\u{200B}12/04/2003\u{FEFF}"),
            BirthDate::parse("12/04/2003")
        );
        assert!(BirthDate::parse("12/04/2003").is_some());
        assert_eq!(
            MailAddress::parse("jean@example.org\u{200B}").map(|m| m.as_str().to_owned()),
            Some("jean@example.org".to_owned())
        );
    }

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
    fn identifiers_are_put_in_nfkc_form() {
        // Full-width digits and letters, an ideographic space around them.
        assert_eq!(
            Identifier::parse("\u{3000}２２３０１００１ ")
                .unwrap()
                .as_str(),
            "22301001"
        );
        assert_eq!(
            Identifier::parse("Ｐ４１０６ａ").unwrap().as_str(),
            "P4106a"
        );
        // A decomposed accent is composed, as the directory stores it.
        assert_eq!(
            Identifier::parse("jose\u{301}").unwrap().as_str(),
            "jos\u{e9}"
        );
        assert!(Identifier::parse("\u{3000}").is_none());
    }

    #[test]
    fn each_case_gives_the_value_its_attribute_holds() {
        let typed = Identifier::parse(" p4106a ").unwrap();
        assert_eq!(typed.for_case(IdentifierCase::Upper), "P4106A");
        assert_eq!(typed.for_case(IdentifierCase::Lower), "p4106a");
        assert_eq!(typed.for_case(IdentifierCase::Exact), "p4106a");
        let typed = Identifier::parse("JDupont").unwrap();
        assert_eq!(typed.for_case(IdentifierCase::Lower), "jdupont");
        assert_eq!(IdentifierCase::Upper.apply("ß"), "SS");
        assert_eq!(IdentifierCase::Lower.apply("ÉLODIE"), "élodie");
    }

    #[test]
    fn supann_attributes_have_a_sensible_default_case() {
        for (attribute, case) in [
            ("supannEmpId", IdentifierCase::Upper),
            ("supannempid", IdentifierCase::Upper),
            ("supannCodeINE", IdentifierCase::Upper),
            ("uid", IdentifierCase::Lower),
            ("supannEtuId", IdentifierCase::Exact),
            ("employeeNumber", IdentifierCase::Exact),
        ] {
            assert_eq!(IdentifierCase::default_for(attribute), case, "{attribute}");
        }
    }

    #[test]
    fn birth_dates_may_be_pasted_with_spaces_or_typed_full_width() {
        let expected = NaiveDate::from_ymd_opt(2002, 6, 7).unwrap();
        for s in [
            " 07/06/2002 ",
            "\t07/06/2002\n",
            "０７/０６/２００２",
            "０７／０６／２００２",
            "\u{3000}2002-06-07\u{3000}",
        ] {
            assert_eq!(
                BirthDate::parse(s).map(|b| b.date()),
                Some(expected),
                "{s:?}"
            );
        }
        assert!(BirthDate::parse(&" ".repeat(100)).is_none());
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

    #[test]
    fn a_search_is_read_as_it_reads_and_bounded() {
        assert_eq!(SearchText::parse("  Dup ").unwrap().as_str(), "Dup");
        assert_eq!(SearchText::parse("ＤＵＰ").unwrap().as_str(), "DUP");
        assert!(SearchText::parse("D").is_none());
        assert!(SearchText::parse(&"x".repeat(65)).is_none());
        assert!(SearchText::parse("a\u{0}b").is_none());
        // Filter metacharacters are a search like any other: the adapter
        // escapes them.
        assert_eq!(SearchText::parse("*)(uid=*").unwrap().as_str(), "*)(uid=*");
        assert!(SearchText::parse("jean@example.org").unwrap().is_address());
        assert!(!SearchText::parse("Dupont").unwrap().is_address());
    }
}
