//! Values from outside (directory attributes, request headers) made safe
//! where they enter the gateway, so that nothing downstream (a mail header,
//! a subject, a page, a log line) has to guess what they may hold.
//!
//! A directory value is written by whoever may write the entry (IT, an HR
//! import, sometimes the person): `displayName: Eve\r\nBcc: x@example.net`
//! is legal LDAP. Left as is, it would inject a header into a mail, split a
//! log line, or (inside lettre) panic while the mail is composed. The rule,
//! from DESIGN.md ("directory values are made safe before they reach a mail
//! header, a page or a log"), is applied once here:
//!
//! - control characters (Unicode `Cc`: C0, DEL, C1), line and paragraph
//!   separators (U+2028, U+2029) become a space: they separated words;
//! - format characters (Unicode `Cf`: bidi overrides and isolates such as
//!   U+202E, zero-width space, soft hyphen, BOM) are removed: they change
//!   how text reads without being text, and an override can make a log line
//!   or a name lie about what follows. The zero-width (non-)joiners U+200C
//!   and U+200D stay: Persian and Indic names need them;
//! - for single-line values, any run of white space becomes one space and
//!   the ends are trimmed;
//! - the length is bounded in characters (Unicode scalar values, not
//!   bytes); a value cut short ends with `…` within the bound.

use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

/// Longest person name kept (display name, given name, surname, the values
/// of `ldap.name_attributes`), in characters. Real names stay far below it;
/// a 10 kB `displayName` is not a name.
pub const MAX_NAME_CHARS: usize = 256;

/// Longest login kept, in characters.
pub const MAX_LOGIN_CHARS: usize = 256;

/// Longest secret question kept, in characters.
pub const MAX_QUESTION_CHARS: usize = 512;

/// Longest mail address accepted, in characters: RFC 5321 §4.5.3.1.3 bounds
/// a path to 256 octets including the angle brackets.
pub const MAX_ADDRESS_CHARS: usize = 254;

/// Longest User-Agent kept for the audit log, in characters.
pub const MAX_USER_AGENT_CHARS: usize = 256;

/// Longest mail subject, in characters (RFC 5322 §2.1.1 recommends lines
/// of at most 78 characters; lettre folds longer ones, this bounds the rest).
pub const MAX_SUBJECT_CHARS: usize = 200;

/// What becomes of one character.
enum Fate {
    Keep,
    /// Replaced by a space.
    Space,
    Drop,
}

fn fate(c: char) -> Fate {
    // Printable ASCII is most of what passes here (logins, names, the
    // directory's values): answered without the Unicode tables.
    if c.is_ascii() {
        return if c.is_ascii_control() {
            Fate::Space
        } else {
            Fate::Keep
        };
    }
    match c {
        // Zero-width non-joiner and joiner: part of how some scripts
        // (Persian, Devanagari) spell names.
        '\u{200C}' | '\u{200D}' => Fate::Keep,
        _ => match c.general_category() {
            GeneralCategory::Control
            | GeneralCategory::LineSeparator
            | GeneralCategory::ParagraphSeparator => Fate::Space,
            GeneralCategory::Format => Fate::Drop,
            _ => Fate::Keep,
        },
    }
}

/// Whether `c` is a character [`single_line`] would not keep as is: a
/// control, a line or paragraph separator, or a format character.
pub fn is_unsafe_char(c: char) -> bool {
    !matches!(fate(c), Fate::Keep)
}

/// Whether `text` holds any character [`is_unsafe_char`] refuses.
pub fn has_unsafe_chars(text: &str) -> bool {
    text.chars().any(is_unsafe_char)
}

/// One line of text made safe: unsafe characters replaced or removed (see
/// the module's rules), white space collapsed to single spaces, ends
/// trimmed, at most `max_chars` characters (a longer value is cut and ends
/// with `…`). Never fails: the result may be empty.
pub fn single_line(raw: &str, max_chars: usize) -> String {
    let mut out = String::with_capacity(raw.len().min(max_chars.saturating_mul(4)));
    let mut pending_space = false;
    for c in raw.chars() {
        let c = match fate(c) {
            Fate::Keep => c,
            Fate::Space => ' ',
            Fate::Drop => continue,
        };
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
    }
    truncate(out, max_chars)
}

/// Cuts `text` to at most `max_chars` characters, marking the cut with `…`.
fn truncate(text: String, max_chars: usize) -> String {
    if max_chars == 0 {
        return String::new();
    }
    match text.char_indices().nth(max_chars) {
        None => text,
        Some(_) => {
            let keep: String = text.chars().take(max_chars - 1).collect();
            let mut cut = keep.trim_end().to_owned();
            cut.push('…');
            cut
        }
    }
}

/// A single-line value that is `None` once made safe and found empty.
pub fn single_line_opt(raw: &str, max_chars: usize) -> Option<String> {
    Some(single_line(raw, max_chars)).filter(|v| !v.is_empty())
}

/// A mail address from outside, kept only if it can be used as a
/// recipient as it is: no unsafe character anywhere, no white space inside
/// (spaces around it are trimmed),
/// at most [`MAX_ADDRESS_CHARS`] characters, and parsed by lettre (RFC 5321
/// `local@domain`). `None` otherwise: an address that had to be repaired is
/// not the person's address, and mailing a guess could reach a stranger.
pub fn mail_address(raw: &str) -> Option<String> {
    // Checked before trimming: a line break around an address is a sign
    // of a damaged or hostile value, not padding.
    if has_unsafe_chars(raw) {
        return None;
    }
    let address = raw.trim();
    if address.is_empty()
        || address.chars().count() > MAX_ADDRESS_CHARS
        || address.chars().any(char::is_whitespace)
    {
        return None;
    }
    address
        .parse::<lettre::Address>()
        .ok()
        .map(|_| address.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaks_become_spaces_and_runs_collapse() {
        assert_eq!(
            single_line("Eve Martin\r\nBcc: x@example.net", 100),
            "Eve Martin Bcc: x@example.net"
        );
        assert_eq!(single_line("a\rb\nc\u{2028}d\u{2029}e", 100), "a b c d e");
        assert_eq!(single_line("  a \t\u{85} b  ", 100), "a b");
        assert_eq!(single_line("\0\u{1b}[31m", 100), "[31m");
    }

    #[test]
    fn format_characters_vanish_but_joiners_stay() {
        assert_eq!(single_line("abc\u{202E}fed\u{2066}", 100), "abcfed");
        assert_eq!(single_line("\u{FEFF}Zoé\u{200B}", 100), "Zoé");
        assert_eq!(single_line("می\u{200C}خواهم", 100), "می\u{200C}خواهم");
    }

    #[test]
    fn length_is_bounded_in_characters() {
        let long = "é".repeat(10_000);
        let cut = single_line(&long, 256);
        assert_eq!(cut.chars().count(), 256);
        assert!(cut.ends_with('…'));
        assert_eq!(single_line("abc", 3), "abc");
        assert_eq!(single_line("abcd", 3), "ab…");
        assert_eq!(single_line("abcd", 0), "");
    }

    #[test]
    fn only_clean_parseable_addresses_are_kept() {
        assert_eq!(
            mail_address(" jeanne@example.org ").as_deref(),
            Some("jeanne@example.org")
        );
        for bad in [
            "",
            "not an address",
            "eve@example.org\r\nBcc: x@example.net",
            "eve@example.org\n",
            "eve\u{202E}@example.org",
            "eve @example.org",
            "<eve@example.org>",
        ] {
            assert_eq!(mail_address(bad), None, "{bad:?}");
        }
        let long = format!("{}@example.org", "a".repeat(250));
        assert_eq!(mail_address(&long), None);
    }
}
