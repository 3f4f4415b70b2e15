//! What a person types or pastes, read as it reads on the card, the mail or
//! the screen it came from.

use unicode_normalization::UnicodeNormalization;

/// A value a person typed or pasted, as it reads on the card, the mail or
/// the screen it came from: in Unicode NFKC form (full-width `４` becomes
/// `4`, a no-break space a space), without the invisible format characters
/// (Unicode category Cf) a copy from a PDF, a web page or a mail brings
/// along — zero-width spaces and joiners, the byte-order mark, soft
/// hyphens, bidirectional marks and overrides — and trimmed. For what
/// identifies (identifiers, dates, addresses, codes, captcha answers),
/// never for a password or a secret answer, which are compared as typed.
pub fn as_read(input: &str) -> String {
    use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};
    // Trimmed before and after: NFKC turns some spaces (U+3000) into ' '.
    input
        .trim()
        .nfkc()
        .filter(|c| c.general_category() != GeneralCategory::Format)
        .collect::<String>()
        .trim()
        .to_owned()
}

