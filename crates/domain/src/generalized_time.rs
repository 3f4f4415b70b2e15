//! GeneralizedTime (RFC 4517 §3.3.13), the syntax of every time the
//! directory keeps for the gateway and for ppolicy.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};

/// GeneralizedTime as the gateway writes it: UTC with microseconds
/// (`YYYYmmddHHMMSS.ffffffZ`), so that two replicas recording a failure in
/// the same second still write distinct values.
pub fn format_generalized_time(time: DateTime<Utc>) -> String {
    time.format("%Y%m%d%H%M%S%.6fZ").to_string()
}

/// Reads GeneralizedTime (RFC 4517 §3.3.13) in every form slapd accepts:
/// the hour with or without minutes, the minutes with or without seconds
/// (`202501010000Z` is as legal as `20250101000000Z`), a fraction (`.` or
/// `,`) of the last unit given, and `Z` or a `±hh` / `±hhmm` offset. `None`
/// for anything else (the callers say what an unreadable value means:
/// ppolicy's dates are read as the account closed, RFC 4517 leaves no
/// other reading).
pub fn parse_generalized_time(raw: &str) -> Option<DateTime<Utc>> {
    let raw = raw.trim();
    let digits = raw.bytes().take_while(u8::is_ascii_digit).count();
    // Seconds in the last unit given: the hour, the minute or the second.
    let (base_len, unit_seconds): (usize, i64) = match digits {
        10 => (10, 3600),
        12 => (12, 60),
        14 => (14, 1),
        _ => return None,
    };
    // ASCII digits: every index up to `digits` is a char boundary.
    let (base, rest) = raw.split_at(base_len);
    let padded = format!("{base}{}", &"0000"[..14 - base_len]);
    let naive = NaiveDateTime::parse_from_str(&padded, "%Y%m%d%H%M%S").ok()?;
    let (fraction, zone) = match rest.strip_prefix(['.', ',']) {
        Some(after) => {
            let digits = after.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return None;
            }
            after.split_at(digits)
        }
        None => ("", rest),
    };
    // The fraction in billionths of the unit (nine digits kept).
    let mut billionths: i64 = 0;
    for (i, b) in fraction.bytes().take(9).enumerate() {
        billionths += i64::from(b - b'0') * 10i64.pow(8 - i as u32);
    }
    let naive =
        naive.checked_add_signed(chrono::Duration::nanoseconds(billionths * unit_seconds))?;
    let offset_seconds = match zone.as_bytes() {
        [b'Z'] => 0,
        [sign @ (b'+' | b'-'), hhmm @ ..]
            if matches!(hhmm.len(), 2 | 4) && hhmm.iter().all(u8::is_ascii_digit) =>
        {
            let two = |at: usize| i32::from(hhmm[at] - b'0') * 10 + i32::from(hhmm[at + 1] - b'0');
            let (hours, minutes) = (two(0), if hhmm.len() == 4 { two(2) } else { 0 });
            if hours > 23 || minutes > 59 {
                return None;
            }
            let seconds = hours * 3600 + minutes * 60;
            if *sign == b'-' {
                -seconds
            } else {
                seconds
            }
        }
        _ => return None,
    };
    let offset = chrono::FixedOffset::east_opt(offset_seconds)?;
    offset
        .from_local_datetime(&naive)
        .single()
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn every_form_of_rfc_4517_is_read() {
        for (raw, expected) in [
            ("20250101000000Z", "2025-01-01T00:00:00Z"),
            ("202501010000Z", "2025-01-01T00:00:00Z"),
            ("2025010100Z", "2025-01-01T00:00:00Z"),
            ("2025010112.5Z", "2025-01-01T12:30:00Z"),
            ("202501011230,5Z", "2025-01-01T12:30:30Z"),
            ("20261123090507.5Z", "2026-11-23T09:05:07.5Z"),
            ("20261123100507+0100", "2026-11-23T09:05:07Z"),
            ("202611231005-02", "2026-11-23T12:05:00Z"),
            ("20261123100507+01", "2026-11-23T09:05:07Z"),
            (" 20250101000000Z ", "2025-01-01T00:00:00Z"),
        ] {
            assert_eq!(parse_generalized_time(raw), Some(at(expected)), "{raw}");
        }
    }

    #[test]
    fn what_is_not_generalized_time_is_none_and_never_a_panic() {
        for raw in [
            "",
            "Z",
            "2025Z",
            "20250101000Z",
            "2025010100000000Z",
            "20250101000000",
            "20250101000000.Z",
            "20251301000000Z",
            "20250101000000+2400",
            "20250101000000+0160",
            "20250101000000+01é",
            "2025010100é",
            "20250101000000ZZ",
        ] {
            assert_eq!(parse_generalized_time(raw), None, "{raw:?}");
        }
    }
}
