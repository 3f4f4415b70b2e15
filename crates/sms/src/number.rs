//! Mobile numbers as people and directories write them, turned into the one
//! E.164 form a gateway is given, or refused with a reason a page can
//! translate. Parsing and the number types come from Google's libphonenumber
//! metadata (the `phonenumber` crate); what is added here is what a person's
//! spelling needs before it (Unicode forms, letters refused) and the site's
//! rules after it (which types may receive a code, which countries).

use phonenumber::{country, metadata::DATABASE, Mode, PhoneNumber, Type};
use std::fmt;
use std::str::FromStr;
use unicode_normalization::UnicodeNormalization;

/// Longest input looked at, in characters after NFKC normalisation. The
/// longest E.164 number has 15 digits; 40 leaves room for every separator
/// a person or a directory puts in, and keeps a hostile form field from
/// reaching the parser's regular expressions.
pub const MAX_INPUT_CHARS: usize = 40;

/// The digits kept visible by [`MobileNumber::masked`].
pub const VISIBLE_DIGITS: usize = 2;

/// The character that stands for a hidden digit in [`MobileNumber::masked`].
pub const MASK: char = '•';

/// Why a number cannot receive an SMS. Each variant has a stable
/// [`code`](NumberRefusal::code) for the locales; the English
/// [`Display`](fmt::Display) text is for logs and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NumberRefusal {
    /// Nothing but spaces was given (an empty form field or attribute).
    Empty,
    /// Letters, symbols or an extension, or no digits a number can be made
    /// of (`06 12 34 56 7a`, `1-800-FLOWERS`, `+33 6… ext. 12`).
    NotANumber,
    /// Starts with `+` or `00` followed by no country calling code
    /// (`+999 …`).
    UnknownCountryCode,
    /// Too few digits to be a number of any plan.
    TooShort,
    /// More digits than any number of any plan.
    TooLong,
    /// Parsed, but no number of its country has this form (unassigned
    /// range, wrong length for the range).
    Invalid,
    /// A valid number of a country the site does not send to
    /// ([`NumberRules::allow_only_country_codes`]).
    CountryNotAllowed,
    /// A fixed line (`01 42 68 53 00`).
    Landline,
    /// A number whose plan does not tell fixed lines from mobiles (the
    /// United States, Canada and the rest of the +1 plan), refused because
    /// the site turned [`NumberRules::accept_fixed_line_or_mobile`] off.
    MaybeLandline,
    /// A premium-rate number (`08 9x` in France).
    PremiumRate,
    /// A shared-cost number (`08 1x` in France).
    SharedCost,
    /// A free-phone number (`0800` in France).
    TollFree,
    /// Any other number that is not a mobile: VoIP (`09` in France),
    /// personal, pager, UAN, voicemail, short codes.
    NotMobile,
}

impl NumberRefusal {
    /// A stable name for the locales (`sms-number-{code}`), metrics and
    /// the audit: `empty`, `not-a-number`, `unknown-country-code`,
    /// `too-short`, `too-long`, `invalid`, `country-not-allowed`,
    /// `landline`, `maybe-landline`, `premium-rate`, `shared-cost`,
    /// `toll-free`, `not-mobile`.
    pub fn code(self) -> &'static str {
        match self {
            NumberRefusal::Empty => "empty",
            NumberRefusal::NotANumber => "not-a-number",
            NumberRefusal::UnknownCountryCode => "unknown-country-code",
            NumberRefusal::TooShort => "too-short",
            NumberRefusal::TooLong => "too-long",
            NumberRefusal::Invalid => "invalid",
            NumberRefusal::CountryNotAllowed => "country-not-allowed",
            NumberRefusal::Landline => "landline",
            NumberRefusal::MaybeLandline => "maybe-landline",
            NumberRefusal::PremiumRate => "premium-rate",
            NumberRefusal::SharedCost => "shared-cost",
            NumberRefusal::TollFree => "toll-free",
            NumberRefusal::NotMobile => "not-mobile",
        }
    }
}

impl fmt::Display for NumberRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            NumberRefusal::Empty => "no number was given",
            NumberRefusal::NotANumber => "not a phone number",
            NumberRefusal::UnknownCountryCode => "no country has this calling code",
            NumberRefusal::TooShort => "too few digits for a phone number",
            NumberRefusal::TooLong => "too many digits for a phone number",
            NumberRefusal::Invalid => "no phone number has this form",
            NumberRefusal::CountryNotAllowed => "numbers of this country are not accepted",
            NumberRefusal::Landline => "a landline cannot receive an SMS",
            NumberRefusal::MaybeLandline => "this number may be a landline",
            NumberRefusal::PremiumRate => "a premium-rate number",
            NumberRefusal::SharedCost => "a shared-cost number",
            NumberRefusal::TollFree => "a free-phone number",
            NumberRefusal::NotMobile => "not a mobile number",
        })
    }
}

impl std::error::Error for NumberRefusal {}

/// A region name that is not an ISO 3166-1 alpha-2 code known to the
/// phone-number metadata.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a region of the phone-number metadata (an ISO 3166-1 alpha-2 code such as FR, BE, RE)")]
pub struct UnknownRegion(pub String);

/// A region of the phone-number metadata (ISO 3166-1 alpha-2, `FR`).
///
/// Reading one does not load the metadata (about 5 MiB and 65 ms, measured
/// with the release build): a gateway with SMS off never loads it, one
/// with SMS on loads it at the first number read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    id: country::Id,
}

impl Region {
    /// The region's ISO 3166-1 alpha-2 code, in capitals (`FR`).
    pub fn code(&self) -> &str {
        self.id.as_ref()
    }

    /// The region's country calling code (33 for FR, 262 for RE and YT);
    /// 0 for a region the metadata lacks (no number is ever read as one).
    pub fn calling_code(&self) -> u16 {
        DATABASE
            .by_id(self.id.as_ref())
            .map_or(0, |metadata| metadata.country_code())
    }
}

impl FromStr for Region {
    type Err = UnknownRegion;

    /// Reads `FR`, `fr` or ` Fr `.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let code = text.trim().to_ascii_uppercase();
        // The metadata's own list of regions, without loading the metadata.
        let id = country::Id::from_str(&code).map_err(|_| UnknownRegion(text.to_owned()))?;
        Ok(Region { id })
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The regions whose numbers people of `default` write in `default`'s own
/// national form. In France, overseas numbers are dialled from the
/// mainland with a leading 0 like any other (`0692 12 34 56` is a Réunion
/// mobile, ARCEP's national plan), but libphonenumber reads a national
/// spelling as a number of the default region only, where `0692…` does not
/// exist. None for other regions.
fn built_in_national_regions(default: country::Id) -> Vec<country::Id> {
    match default {
        // Réunion, Mayotte, Guadeloupe (also Saint-Martin and
        // Saint-Barthélemy, which share its plan), Martinique, Guyane.
        country::Id::FR => vec![
            country::Id::RE,
            country::Id::YT,
            country::Id::GP,
            country::Id::MQ,
            country::Id::GF,
        ],
        _ => Vec::new(),
    }
}

/// What the site accepts as a number to send codes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberRules {
    default_region: Region,
    national_regions: Vec<country::Id>,
    accept_fixed_line_or_mobile: bool,
    allowed_country_codes: Vec<u16>,
}

impl Default for NumberRules {
    /// France, its overseas regions for national spellings, numbers that
    /// may be mobiles accepted, every country.
    fn default() -> Self {
        NumberRules::new(Region {
            id: country::Id::FR,
        })
    }
}

impl NumberRules {
    /// Rules for a site whose people write national numbers of
    /// `default_region`: its built-in national regions (France's overseas
    /// regions for FR), numbers that may be mobiles accepted, every
    /// country.
    pub fn new(default_region: Region) -> Self {
        NumberRules {
            national_regions: built_in_national_regions(default_region.id),
            default_region,
            accept_fixed_line_or_mobile: true,
            allowed_country_codes: Vec::new(),
        }
    }

    /// The regions a national spelling is tried in, in order, when it is
    /// not a valid number of the default region (replaces the built-in
    /// list; empty turns the fallback off).
    pub fn with_national_regions(mut self, regions: &[Region]) -> Self {
        self.national_regions = regions.iter().map(|region| region.id).collect();
        self
    }

    /// Whether numbers of plans that do not tell fixed lines from mobiles
    /// (the +1 plan: United States, Canada, much of the Caribbean) are
    /// accepted. On by default: refusing them would refuse every North
    /// American mobile, and a code sent to a landline there is lost (the
    /// gateway reports it undeliverable), not charged at premium rate.
    pub fn accept_fixed_line_or_mobile(mut self, accept: bool) -> Self {
        self.accept_fixed_line_or_mobile = accept;
        self
    }

    /// Only numbers with these country calling codes are accepted (33 for
    /// France; 262, 590, 594, 596 for its overseas regions). Empty: every
    /// country. Calling codes rather than regions because one code serves
    /// several regions (+44 is GB, GG, JE and IM) and the metadata does not
    /// always name the right one.
    pub fn allow_only_country_codes(mut self, codes: &[u16]) -> Self {
        self.allowed_country_codes = codes.to_vec();
        self
    }

    /// The region whose national spellings are understood.
    pub fn default_region(&self) -> Region {
        self.default_region
    }
}

/// A number that can receive an SMS: parsed, valid, a mobile (or, where
/// the plan cannot tell and the site allows it, maybe one), of a country
/// the site sends to. It can only be built by [`MobileNumber::parse`].
///
/// `Display` and `Debug` show the [masked](MobileNumber::masked) form, so a
/// number that slips into a log line or an error page gives away two
/// digits, never the number.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct MobileNumber {
    e164: String,
    calling_code: u16,
    national: String,
    masked: String,
}

impl MobileNumber {
    /// Reads a number as a person types it or a directory attribute holds
    /// it: `06 12 34 56 78`, `06.12.34.56.78`, `+33 6 12 34 56 78`,
    /// `0033612345678`, `+33 (0)6 12 34 56 78`, `tel:+33612345678`, with
    /// any spaces (no-break and narrow ones too) or full-width digits
    /// (Unicode NFKC is applied first). A national spelling is read in
    /// the rules' default region, then in its national regions.
    ///
    /// # Errors
    ///
    /// The [`NumberRefusal`] that says why the number cannot be used.
    pub fn parse(input: &str, rules: &NumberRules) -> Result<MobileNumber, NumberRefusal> {
        let text: String = input.nfkc().collect();
        let text = text.trim();
        if text.is_empty() {
            return Err(NumberRefusal::Empty);
        }
        if text.chars().count() > MAX_INPUT_CHARS {
            return Err(NumberRefusal::NotANumber);
        }
        let text = strip_tel_scheme(text);
        // libphonenumber reads letters as keypad digits (1-800-FLOWERS) and
        // words as extensions: a mistyped digit would silently become
        // another person's number.
        let acceptable = |c: char| c.is_ascii_digit() || c.is_whitespace() || "+.-()/".contains(c);
        if !text.chars().all(acceptable) || text.rfind('+').is_some_and(|at| at > 0) {
            return Err(NumberRefusal::NotANumber);
        }
        if !text.chars().any(|c| c.is_ascii_digit()) {
            return Err(NumberRefusal::NotANumber);
        }

        let mut number = phonenumber::parse(Some(rules.default_region.id), text)
            .map_err(refusal_of_parse_error)?;
        if number.extension().is_some() {
            return Err(NumberRefusal::NotANumber);
        }
        if !number.is_valid() && number.code().source() == country::Source::Default {
            // A national spelling that is no number of the default region
            // may be one of a region dialled the same way.
            if let Some(found) = rules.national_regions.iter().find_map(|region| {
                phonenumber::parse(Some(*region), text)
                    .ok()
                    .filter(|candidate| candidate.is_valid() && candidate.extension().is_none())
            }) {
                number = found;
            }
        }
        if !number.is_valid() {
            return Err(NumberRefusal::Invalid);
        }
        let calling_code = number.code().value();
        if !rules.allowed_country_codes.is_empty()
            && !rules.allowed_country_codes.contains(&calling_code)
        {
            return Err(NumberRefusal::CountryNotAllowed);
        }
        match number.number_type(&DATABASE) {
            Type::Mobile => {}
            Type::FixedLineOrMobile if rules.accept_fixed_line_or_mobile => {}
            Type::FixedLineOrMobile => return Err(NumberRefusal::MaybeLandline),
            Type::FixedLine => return Err(NumberRefusal::Landline),
            Type::PremiumRate => return Err(NumberRefusal::PremiumRate),
            Type::SharedCost => return Err(NumberRefusal::SharedCost),
            Type::TollFree => return Err(NumberRefusal::TollFree),
            _ => return Err(NumberRefusal::NotMobile),
        }
        Ok(MobileNumber::from_valid(
            &number,
            calling_code,
            rules.default_region,
        ))
    }

    fn from_valid(number: &PhoneNumber, calling_code: u16, default_region: Region) -> Self {
        let e164 = number.format().mode(Mode::E164).to_string();
        let national: String = number
            .format()
            .mode(Mode::National)
            .to_string()
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        let shown = if calling_code == default_region.calling_code() {
            number.format().mode(Mode::National).to_string()
        } else {
            number.format().mode(Mode::International).to_string()
        };
        MobileNumber {
            masked: mask(&shown),
            e164,
            calling_code,
            national,
        }
    }

    /// E.164: `+` then the country calling code and the national
    /// significant number, no separators (`+33612345678`). What is stored
    /// and what most gateways want.
    pub fn e164(&self) -> &str {
        &self.e164
    }

    /// E.164 without its `+` (`33612345678`), for gateways that want bare
    /// digits.
    pub fn e164_digits(&self) -> &str {
        &self.e164[1..]
    }

    /// E.164 with `00` for the `+` (`0033612345678`), the international
    /// prefix of most of Europe; OVH's http2sms documents this form.
    pub fn international_00(&self) -> String {
        format!("00{}", self.e164_digits())
    }

    /// The national form's digits, national prefix included
    /// (`0612345678`), for a gateway that only sends within one country.
    pub fn national(&self) -> &str {
        &self.national
    }

    /// The country calling code (33).
    pub fn calling_code(&self) -> u16 {
        self.calling_code
    }

    /// The number for a page that must let its owner recognise it and
    /// tell nobody else what it is: every digit but the last
    /// [`VISIBLE_DIGITS`] (two) replaced by [`MASK`], in the grouping of
    /// the national form for numbers of the default region's country
    /// (`•• •• •• •• 78`) and of the international form for others
    /// (`+•• ••• •• •• 56`). The `+` and the grouping stay: they tell the
    /// owner which of their numbers it is, as the country does, and no more
    /// than the country.
    pub fn masked(&self) -> &str {
        &self.masked
    }

    /// The last [`VISIBLE_DIGITS`] digits (`78`), e.g. for a file name.
    pub fn last_digits(&self) -> &str {
        &self.e164[self.e164.len() - VISIBLE_DIGITS..]
    }
}

impl fmt::Display for MobileNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked)
    }
}

impl fmt::Debug for MobileNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("MobileNumber").field(&self.masked).finish()
    }
}

fn strip_tel_scheme(text: &str) -> &str {
    match text.get(..4) {
        Some(scheme) if scheme.eq_ignore_ascii_case("tel:") => text[4..].trim_start(),
        _ => text,
    }
}

fn refusal_of_parse_error(error: phonenumber::ParseError) -> NumberRefusal {
    match error {
        phonenumber::ParseError::InvalidCountryCode => NumberRefusal::UnknownCountryCode,
        phonenumber::ParseError::TooShortAfterIdd | phonenumber::ParseError::TooShortNsn => {
            NumberRefusal::TooShort
        }
        phonenumber::ParseError::TooLong => NumberRefusal::TooLong,
        _ => NumberRefusal::NotANumber,
    }
}

/// Every digit but the last [`VISIBLE_DIGITS`] replaced by [`MASK`].
fn mask(formatted: &str) -> String {
    let digits = formatted.chars().filter(char::is_ascii_digit).count();
    let mut seen = 0;
    formatted
        .chars()
        .map(|c| {
            if c.is_ascii_digit() {
                seen += 1;
                if seen + VISIBLE_DIGITS <= digits {
                    return MASK;
                }
            }
            c
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn france() -> NumberRules {
        NumberRules::default()
    }

    fn e164(input: &str) -> String {
        MobileNumber::parse(input, &france())
            .unwrap_or_else(|refusal| panic!("{input:?} refused: {refusal}"))
            .e164()
            .to_owned()
    }

    fn refusal(input: &str) -> NumberRefusal {
        MobileNumber::parse(input, &france()).expect_err(input)
    }

    #[test]
    fn every_common_french_spelling_is_one_number() {
        for spelling in [
            "06 12 34 56 78",
            "06.12.34.56.78",
            "06-12-34-56-78",
            "0612345678",
            "+33 6 12 34 56 78",
            "+33612345678",
            "0033612345678",
            "00 33 6 12 34 56 78",
            "33612345678",
            "+33 (0)6 12 34 56 78",
            "+33 06 12 34 56 78",
            "(06) 12 34 56 78",
            "tel:+33612345678",
            "  06 12 34 56 78  ",
            "06\u{a0}12\u{a0}34\u{a0}56\u{a0}78",
            "06\u{202f}12\u{202f}34\u{202f}56\u{202f}78",
            "０６１２３４５６７８",
            "＋３３ ６ １２ ３４ ５６ ７８",
        ] {
            assert_eq!(e164(spelling), "+33612345678", "{spelling:?}");
        }
    }

    #[test]
    fn foreign_mobiles_are_accepted_in_international_form() {
        assert_eq!(e164("+32 470 12 34 56"), "+32470123456");
        assert_eq!(e164("0032 470 12 34 56"), "+32470123456");
        assert_eq!(e164("+44 7911 123456"), "+447911123456");
        assert_eq!(e164("+44 (0)7911 123456"), "+447911123456");
    }

    #[test]
    fn overseas_numbers_written_the_mainland_way_are_found_in_their_region() {
        assert_eq!(e164("0692 12 34 56"), "+262692123456");
        assert_eq!(e164("0690 12 34 56"), "+590690123456");
        assert_eq!(e164("0696 12 34 56"), "+596696123456");
        assert_eq!(e164("0694 12 34 56"), "+594694123456");
        assert_eq!(e164("+262 692 12 34 56"), "+262692123456");
    }

    #[test]
    fn without_the_overseas_fallback_a_mainland_spelling_stays_mainland() {
        let rules = france().with_national_regions(&[]);
        assert_eq!(
            MobileNumber::parse("0692 12 34 56", &rules),
            Err(NumberRefusal::Invalid)
        );
    }

    #[test]
    fn numbers_that_are_not_mobiles_are_refused_with_their_reason() {
        assert_eq!(refusal("01 42 68 53 00"), NumberRefusal::Landline);
        assert_eq!(refusal("08 99 12 34 56"), NumberRefusal::PremiumRate);
        assert_eq!(refusal("0810 12 34 56"), NumberRefusal::SharedCost);
        assert_eq!(refusal("0800 12 34 56"), NumberRefusal::TollFree);
        assert_eq!(refusal("09 12 34 56 78"), NumberRefusal::NotMobile);
    }

    #[test]
    fn malformed_input_is_refused_with_its_reason() {
        assert_eq!(refusal(""), NumberRefusal::Empty);
        assert_eq!(refusal(" \u{a0} "), NumberRefusal::Empty);
        assert_eq!(refusal("06 12 34 56 7a"), NumberRefusal::NotANumber);
        assert_eq!(refusal("1-800-FLOWERS"), NumberRefusal::NotANumber);
        assert_eq!(
            refusal("+33 6 12 34 56 78 ext 12"),
            NumberRefusal::NotANumber
        );
        assert_eq!(refusal("06 12 + 34 56 78"), NumberRefusal::NotANumber);
        assert_eq!(refusal("-- ()"), NumberRefusal::NotANumber);
        assert_eq!(refusal(&"6".repeat(41)), NumberRefusal::NotANumber);
        assert_eq!(refusal("+999 1234567"), NumberRefusal::UnknownCountryCode);
        assert_eq!(refusal("0612"), NumberRefusal::Invalid);
        assert_eq!(refusal("07 00 00 00 00"), NumberRefusal::Invalid);
        assert_eq!(refusal("06 12 34 56 78 90"), NumberRefusal::Invalid);
    }

    #[test]
    fn north_american_numbers_are_accepted_unless_the_site_refuses_ambiguity() {
        assert_eq!(e164("+1 650 253 0000"), "+16502530000");
        let strict = france().accept_fixed_line_or_mobile(false);
        assert_eq!(
            MobileNumber::parse("+1 650 253 0000", &strict),
            Err(NumberRefusal::MaybeLandline)
        );
    }

    #[test]
    fn a_site_may_send_to_some_countries_only() {
        let rules = france().allow_only_country_codes(&[33, 262]);
        assert!(MobileNumber::parse("06 12 34 56 78", &rules).is_ok());
        assert!(MobileNumber::parse("0692 12 34 56", &rules).is_ok());
        assert_eq!(
            MobileNumber::parse("+32 470 12 34 56", &rules),
            Err(NumberRefusal::CountryNotAllowed)
        );
    }

    #[test]
    fn the_default_region_decides_how_national_spellings_are_read() {
        let belgium = NumberRules::new("be".parse().expect("BE"));
        let number = MobileNumber::parse("0470 12 34 56", &belgium).expect("Belgian mobile");
        assert_eq!(number.e164(), "+32470123456");
        assert_eq!(number.masked(), "•••• •• •• 56");
        assert_eq!(
            MobileNumber::parse("0692 12 34 56", &belgium),
            Err(NumberRefusal::Invalid)
        );
    }

    #[test]
    fn a_number_offers_each_form_a_gateway_may_want() {
        let number = MobileNumber::parse("06 12 34 56 78", &france()).expect("mobile");
        assert_eq!(number.e164(), "+33612345678");
        assert_eq!(number.e164_digits(), "33612345678");
        assert_eq!(number.international_00(), "0033612345678");
        assert_eq!(number.national(), "0612345678");
        assert_eq!(number.calling_code(), 33);
        assert_eq!(number.last_digits(), "78");
    }

    #[test]
    fn only_the_last_two_digits_are_shown() {
        let number = MobileNumber::parse("+33 6 12 34 56 78", &france()).expect("mobile");
        assert_eq!(number.masked(), "•• •• •• •• 78");
        assert_eq!(number.to_string(), "•• •• •• •• 78");
        assert_eq!(format!("{number:?}"), "MobileNumber(\"•• •• •• •• 78\")");
        let belgian = MobileNumber::parse("+32 470 12 34 56", &france()).expect("mobile");
        assert_eq!(belgian.masked(), "+•• ••• •• •• 56");
        let reunion = MobileNumber::parse("0692 12 34 56", &france()).expect("mobile");
        assert_eq!(reunion.masked(), "+••• ••• •• •• 56");
    }

    #[test]
    fn regions_are_read_in_any_case_and_unknown_ones_are_named() {
        let region: Region = " fr ".parse().expect("FR");
        assert_eq!(region.code(), "FR");
        assert_eq!(region.calling_code(), 33);
        assert_eq!("XX".parse::<Region>(), Err(UnknownRegion("XX".to_owned())));
    }

    #[test]
    fn every_refusal_has_a_distinct_code() {
        let all = [
            NumberRefusal::Empty,
            NumberRefusal::NotANumber,
            NumberRefusal::UnknownCountryCode,
            NumberRefusal::TooShort,
            NumberRefusal::TooLong,
            NumberRefusal::Invalid,
            NumberRefusal::CountryNotAllowed,
            NumberRefusal::Landline,
            NumberRefusal::MaybeLandline,
            NumberRefusal::PremiumRate,
            NumberRefusal::SharedCost,
            NumberRefusal::TollFree,
            NumberRefusal::NotMobile,
        ];
        let codes: std::collections::BTreeSet<_> = all.iter().map(|r| r.code()).collect();
        assert_eq!(codes.len(), all.len());
    }
}
