//! How many SMS a text costs. Operators bill per segment, and a text
//! becomes several segments as soon as it is long, or as soon as one of its
//! characters is outside the GSM 03.38 alphabet (a typographic apostrophe
//! `’`, `ê`, `ç`): the whole text is then sent in UCS-2 and a segment holds
//! 70 characters instead of 160. The sender refuses texts longer than the
//! site's `max_segments`, so a wordy translation cannot multiply the bill.

/// The GSM 03.38 default alphabet, one septet each (3GPP TS 23.038 §6.2.1),
/// without the escape character.
const GSM_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?\
¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

/// The GSM 03.38 extension table: two septets each (escape + character).
const GSM_EXTENSION: &str = "\u{c}^{}\\[~]|€";

/// Septets in one SMS of GSM text, and in each part of a longer one (the
/// other 7 carry the concatenation header).
const GSM_SINGLE: u32 = 160;
const GSM_PART: u32 = 153;
/// UTF-16 code units in one SMS of UCS-2 text, and in each part.
const UCS2_SINGLE: u32 = 70;
const UCS2_PART: u32 = 67;

/// The alphabet a text is sent in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmsEncoding {
    /// GSM 03.38 seven-bit alphabet: 160 characters in one SMS.
    Gsm7,
    /// UCS-2 (UTF-16): 70 characters in one SMS.
    Ucs2,
}

/// What a text costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SmsLength {
    /// The alphabet it is sent in.
    pub encoding: SmsEncoding,
    /// Its length in that alphabet's units: septets for GSM (an extension
    /// character counts 2), UTF-16 code units for UCS-2 (an emoji counts 2).
    pub units: u32,
    /// The SMS it is split into (0 for an empty text).
    pub segments: u32,
}

/// Measures `text` the way a gateway splits it: GSM 03.38 when every
/// character is in its default alphabet or extension table, UCS-2
/// otherwise; one SMS up to 160 septets (70 UCS-2 units), then parts of 153
/// (67), an escape sequence or a surrogate pair never split across two
/// parts.
pub fn measure(text: &str) -> SmsLength {
    let gsm_costs: Option<Vec<u32>> = text
        .chars()
        .map(|c| {
            if GSM_BASIC.contains(c) {
                Some(1)
            } else if GSM_EXTENSION.contains(c) {
                Some(2)
            } else {
                None
            }
        })
        .collect();
    let (encoding, costs, single, part) = match gsm_costs {
        Some(costs) => (SmsEncoding::Gsm7, costs, GSM_SINGLE, GSM_PART),
        None => (
            SmsEncoding::Ucs2,
            text.chars().map(|c| c.len_utf16() as u32).collect(),
            UCS2_SINGLE,
            UCS2_PART,
        ),
    };
    let units: u32 = costs.iter().sum();
    let segments = if units == 0 {
        0
    } else if units <= single {
        1
    } else {
        let mut segments = 1;
        let mut used = 0;
        for cost in costs {
            if used + cost > part {
                segments += 1;
                used = 0;
            }
            used += cost;
        }
        segments
    };
    SmsLength {
        encoding,
        units,
        segments,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_french_code_message_is_one_gsm_sms() {
        let length = measure("Passerelle : votre code est 123456. Il expire à 14 h 05.");
        assert_eq!(length.encoding, SmsEncoding::Gsm7);
        assert_eq!(length.segments, 1);
    }

    #[test]
    fn one_typographic_apostrophe_switches_the_whole_text_to_ucs2() {
        let plain = measure("Ce n'était pas vous ? Répondez STOP.");
        let curly = measure("Ce n’était pas vous ? Répondez STOP.");
        assert_eq!(plain.encoding, SmsEncoding::Gsm7);
        assert_eq!(curly.encoding, SmsEncoding::Ucs2);
        assert_eq!(curly.units, 36);
    }

    #[test]
    fn letters_outside_gsm_such_as_c_cedilla_need_ucs2() {
        assert_eq!(measure("reçu").encoding, SmsEncoding::Ucs2);
        assert_eq!(measure("Ça").encoding, SmsEncoding::Gsm7);
    }

    #[test]
    fn the_boundaries_of_one_and_two_sms() {
        assert_eq!(measure("").segments, 0);
        assert_eq!(measure(&"a".repeat(160)).segments, 1);
        assert_eq!(measure(&"a".repeat(161)).segments, 2);
        assert_eq!(measure(&"a".repeat(306)).segments, 2);
        assert_eq!(measure(&"a".repeat(307)).segments, 3);
        assert_eq!(measure(&"ê".repeat(70)).segments, 1);
        assert_eq!(measure(&"ê".repeat(71)).segments, 2);
        assert_eq!(measure(&"ê".repeat(134)).segments, 2);
    }

    #[test]
    fn extension_characters_count_twice_and_are_never_split() {
        assert_eq!(measure("€").units, 2);
        assert_eq!(measure(&"€".repeat(80)).segments, 1);
        // 152 septets, then a two-septet euro sign that does not fit in
        // the first part's 153: it opens the second part.
        let text = format!("{}€{}", "a".repeat(152), "a".repeat(10));
        assert_eq!(measure(&text).units, 164);
        assert_eq!(measure(&text).segments, 2);
        let text = format!("{}€{}", "a".repeat(152), "a".repeat(152));
        assert_eq!(measure(&text).segments, 3);
    }

    #[test]
    fn an_emoji_takes_two_ucs2_units() {
        let length = measure("🙂");
        assert_eq!(length.encoding, SmsEncoding::Ucs2);
        assert_eq!(length.units, 2);
    }
}
