//! GeneralizedTime (RFC 4517 §3.3.13), the syntax of every time the
//! directory keeps for the gateway and for ppolicy.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};

/// GeneralizedTime as the gateway writes it: UTC with microseconds
/// (`YYYYmmddHHMMSS.ffffffZ`), so that two replicas recording a failure in
/// the same second still write distinct values.
pub fn format_generalized_time(time: DateTime<Utc>) -> String {
    time.format("%Y%m%d%H%M%S%.6fZ").to_string()
}

/// Reads GeneralizedTime in the forms OpenLDAP produces and accepts:
/// with or without a fraction (`.` or `,`), `Z` or a `±hhmm` offset.
pub fn parse_generalized_time(raw: &str) -> Option<DateTime<Utc>> {
    let raw = raw.trim();
    if raw.len() < 15 || !raw.is_char_boundary(14) {
        return None;
    }
    let (base, rest) = raw.split_at(14);
    if !base.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let naive = NaiveDateTime::parse_from_str(base, "%Y%m%d%H%M%S").ok()?;
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
    let mut nanos: u32 = 0;
    for (i, b) in fraction.bytes().take(9).enumerate() {
        nanos += u32::from(b - b'0') * 10u32.pow(8 - i as u32);
    }
    let naive = naive.checked_add_signed(chrono::Duration::nanoseconds(i64::from(nanos)))?;
    let offset_seconds = match zone {
        "Z" => 0,
        z if z.len() == 5 && (z.starts_with('+') || z.starts_with('-')) => {
            let digits = &z[1..];
            if !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let hours: i32 = digits[..2].parse().ok()?;
            let minutes: i32 = digits[2..].parse().ok()?;
            let seconds = hours * 3600 + minutes * 60;
            if z.starts_with('-') {
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
