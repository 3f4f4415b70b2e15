//! The characters a captcha is made of, and how each is spoken.
//!
//! Left out, because a person cannot tell them apart in a distorted image:
//! 0/O/o/Q, 1/I/l/i/j, 5/S/s, 2/Z/z, 8/B/b, 6/G/g/b, 9/g/q (the digits
//! stay, the letters go); L, which the glyph font lacks; and, since the
//! captcha may be case-sensitive, the lower case of letters whose two cases
//! have the same shape (c, k, p, u, v, w, x, y). What remains: 7 digits, 18
//! upper-case and 9 lower-case letters, 34 characters, about 5.1 bits each
//! (30 bits for 6 characters).

/// Every character a captcha may show.
pub const ALPHABET: &[char] = &[
    '2', '3', '4', '6', '7', '8', '9', //
    'A', 'C', 'D', 'E', 'F', 'H', 'J', 'K', 'M', 'N', 'P', 'R', 'T', 'U', 'V', 'W', 'X',
    'Y', //
    'a', 'd', 'e', 'f', 'h', 'm', 'n', 'r', 't',
];

/// The case of a character, as the audio says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    Upper,
    Lower,
    /// A digit.
    None,
}

/// How `c` is spoken: the name of its voice clip (a digit, or the upper
/// case letter) and its case.
pub fn spoken(c: char) -> (char, Case) {
    if c.is_ascii_uppercase() {
        (c, Case::Upper)
    } else if c.is_ascii_lowercase() {
        (c.to_ascii_uppercase(), Case::Lower)
    } else {
        (c, Case::None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_alphabet_has_no_ambiguous_character_and_no_duplicate() {
        for c in "01OoIlLijQq5SsZzBbGgckpuvwxy".chars() {
            assert!(!ALPHABET.contains(&c), "{c} is ambiguous");
        }
        let mut sorted = ALPHABET.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), ALPHABET.len());
        assert_eq!(ALPHABET.len(), 34);
    }

    #[test]
    fn a_lower_case_letter_is_spoken_with_the_upper_case_clip() {
        assert_eq!(spoken('a'), ('A', Case::Lower));
        assert_eq!(spoken('A'), ('A', Case::Upper));
        assert_eq!(spoken('7'), ('7', Case::None));
    }
}
