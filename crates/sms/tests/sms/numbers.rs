//! Numbers as people and directories spell them. Properties: every
//! spelling of one mobile is one E.164 number; whatever is typed, parsing
//! answers (a number or a reason) without panicking; a parsed number reads
//! back as itself; a masked number shows two digits and no more.

use passerelle_sms::{MobileNumber, NumberRules, VISIBLE_DIGITS};
use proptest::prelude::*;

/// A French mobile's ten national digits: 06 or 07 and a third digit
/// that keeps it metropolitan and assigned (ARCEP; 063 and 069 are mostly
/// overseas, 070 to 072 unassigned), then seven digits.
fn french_mobile() -> impl Strategy<Value = String> {
    (
        prop_oneof![
            prop::sample::select(vec!['0', '1', '2', '4', '5', '6', '7', '8'])
                .prop_map(|d| format!("06{d}")),
            (3u8..=9).prop_map(|d| format!("07{d}")),
        ],
        proptest::collection::vec(0u8..=9, 7),
    )
        .prop_map(|(prefix, digits)| {
            let digits: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
            format!("{prefix}{digits}")
        })
}

/// Separators people and directories put between groups.
fn separator() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        Just(""),
        Just(" "),
        Just("."),
        Just("-"),
        Just("\u{a0}"),
        Just("\u{202f}"),
        Just("  "),
        Just(" - "),
    ]
}

/// The ten national digits written in one of the usual ways.
fn spelled(national: String) -> impl Strategy<Value = String> {
    let significant = national[1..].to_owned();
    (0usize..7, separator(), any::<bool>(), any::<bool>()).prop_map(
        move |(form, sep, full_width, padded)| {
            let pairs = |digits: &str| -> String {
                digits
                    .as_bytes()
                    .chunks(2)
                    .map(|pair| std::str::from_utf8(pair).expect("ASCII"))
                    .collect::<Vec<_>>()
                    .join(sep)
            };
            let first = &significant[..1];
            let rest = pairs(&significant[1..]);
            let text = match form {
                0 => pairs(&national),
                1 => format!("+33{sep}{first}{sep}{rest}"),
                2 => format!("0033{sep}{first}{sep}{rest}"),
                3 => format!("+33 (0){first}{sep}{rest}"),
                4 => format!("33{significant}"),
                5 => format!("tel:+33{significant}"),
                _ => format!("+33{sep}0{first}{sep}{rest}"),
            };
            let text = if full_width {
                text.chars()
                    .map(|c| match c {
                        '0'..='9' => char::from_u32(c as u32 - '0' as u32 + 0xFF10).expect("digit"),
                        '+' => '\u{FF0B}',
                        c => c,
                    })
                    .collect()
            } else {
                text
            };
            if padded {
                format!(" \t{text} ")
            } else {
                text
            }
        },
    )
}

proptest! {
    #[test]
    fn every_spelling_of_a_mobile_is_one_e164_number(
        (national, spelling) in french_mobile().prop_flat_map(|national| {
            (Just(national.clone()), spelled(national))
        })
    ) {
        let rules = NumberRules::default();
        let number = MobileNumber::parse(&spelling, &rules)
            .map_err(|refusal| TestCaseError::fail(format!("{spelling:?}: {refusal}")))?;
        prop_assert_eq!(number.e164(), format!("+33{}", &national[1..]));
        prop_assert_eq!(number.national(), national.as_str());
        prop_assert!(number.masked().ends_with(&national[8..]));
    }

    #[test]
    fn parsing_anything_answers_without_panicking(input in "\\PC{0,50}") {
        let _ = MobileNumber::parse(&input, &NumberRules::default());
    }

    #[test]
    fn a_parsed_number_reads_back_as_itself_and_shows_two_digits(
        input in "[+0-9 ().-]{6,20}"
    ) {
        let rules = NumberRules::default();
        if let Ok(number) = MobileNumber::parse(&input, &rules) {
            let from_e164 = MobileNumber::parse(number.e164(), &rules);
            let from_00 = MobileNumber::parse(&number.international_00(), &rules);
            prop_assert_eq!(from_e164.as_ref(), Ok(&number));
            prop_assert_eq!(from_00.as_ref(), Ok(&number));
            let shown = number.masked().chars().filter(char::is_ascii_digit).count();
            prop_assert_eq!(shown, VISIBLE_DIGITS);
            let debug = format!("{number:?}");
            prop_assert!(!debug.contains(number.e164_digits()), "{}", debug);
        }
    }
}
