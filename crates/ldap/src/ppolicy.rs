//! The password policy control (draft-behera-ldap-password-policy, as
//! implemented by OpenLDAP's ppolicy overlay): the request control the gateway
//! attaches to binds and password writes, and a small, bounds-checked decoder
//! for the response control, because ldap3 ships no parser for it and its
//! generic `RawControl::parse` panics on a missing value.
//!
//! The response value is
//! `SEQUENCE { warning [0] CHOICE { timeBeforeExpiration [0] INTEGER,
//! graceAuthNsRemaining [1] INTEGER } OPTIONAL, error [1] ENUMERATED OPTIONAL }`.
//! The CHOICE makes the `[0]` tag explicit (constructed, `0xA0`); the other
//! tags are implicit (`0x80`, `0x81`, `0x81`).

use ldap3::controls::{Control, RawControl};

/// OID of the password policy request and response controls.
pub const PPOLICY_OID: &str = "1.3.6.1.4.1.42.2.27.8.5.1";

/// The request control: no value, not critical (a directory without the
/// overlay must still answer).
pub fn request_control() -> RawControl {
    RawControl {
        ctype: PPOLICY_OID.to_owned(),
        crit: false,
        val: None,
    }
}

pub use passerelle_domain::ppolicy::{PpolicyError, PpolicyResponse, PpolicyWarning};

/// Why a response control could not be decoded (for the logs only).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PpolicyDecodeError {
    #[error("response control truncated")]
    Truncated,
    #[error("response control has an unexpected tag {0:#04x}")]
    UnexpectedTag(u8),
    #[error("response control has an invalid length")]
    BadLength,
    #[error("response control has an invalid integer")]
    BadInteger,
    #[error("response control has trailing bytes")]
    TrailingBytes,
    #[error("response control has a name that is not UTF-8")]
    NotUtf8,
}

/// Finds the ppolicy response control among a result's controls and decodes
/// it. `None` when the server sent none (no overlay, or nothing to say);
/// a control that does not decode is logged and treated as absent, so a
/// malformed answer can never crash or mislead the gateway.
pub fn find_response(controls: &[Control]) -> Option<PpolicyResponse> {
    let raw = controls.iter().find(|c| c.1.ctype == PPOLICY_OID)?;
    // An empty value means "nothing to report" in practice.
    let value = raw.1.val.as_deref().unwrap_or(&[]);
    if value.is_empty() {
        return Some(PpolicyResponse::default());
    }
    match decode(value) {
        Ok(response) => Some(response),
        Err(e) => {
            tracing::warn!(error = %e, "undecodable password policy response control");
            None
        }
    }
}

/// Decodes the BER value of the response control.
pub fn decode(value: &[u8]) -> Result<PpolicyResponse, PpolicyDecodeError> {
    let mut outer = Reader::new(value);
    let (tag, body) = outer.element()?;
    if tag != 0x30 {
        return Err(PpolicyDecodeError::UnexpectedTag(tag));
    }
    if !outer.is_empty() {
        return Err(PpolicyDecodeError::TrailingBytes);
    }
    let mut seq = Reader::new(body);
    let mut response = PpolicyResponse::default();
    let mut seen_error = false;
    while !seq.is_empty() {
        let (tag, content) = seq.element()?;
        match tag {
            // warning [0], explicit because it wraps a CHOICE
            0xA0 if response.warning.is_none() && !seen_error => {
                let mut choice = Reader::new(content);
                let (inner_tag, number) = choice.element()?;
                if !choice.is_empty() {
                    return Err(PpolicyDecodeError::TrailingBytes);
                }
                let number =
                    u64::try_from(integer(number)?).map_err(|_| PpolicyDecodeError::BadInteger)?;
                response.warning = Some(match inner_tag {
                    0x80 => PpolicyWarning::TimeBeforeExpiration(number),
                    0x81 => PpolicyWarning::GraceAuthNsRemaining(number),
                    other => return Err(PpolicyDecodeError::UnexpectedTag(other)),
                });
            }
            // error [1] ENUMERATED, implicit
            0x81 if !seen_error => {
                seen_error = true;
                response.error = Some(PpolicyError::from_code(integer(content)?));
            }
            other => return Err(PpolicyDecodeError::UnexpectedTag(other)),
        }
    }
    Ok(response)
}

/// Two's complement big-endian integer of at most 8 bytes.
fn integer(bytes: &[u8]) -> Result<i64, PpolicyDecodeError> {
    if bytes.is_empty() || bytes.len() > 8 {
        return Err(PpolicyDecodeError::BadInteger);
    }
    let negative = bytes[0] & 0x80 != 0;
    let mut value: i64 = if negative { -1 } else { 0 };
    for &b in bytes {
        value = (value << 8) | i64::from(b);
    }
    Ok(value)
}

/// A cursor over BER bytes that never reads past its slice.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Self { bytes }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    fn byte(&mut self) -> Result<u8, PpolicyDecodeError> {
        let (&first, rest) = self
            .bytes
            .split_first()
            .ok_or(PpolicyDecodeError::Truncated)?;
        self.bytes = rest;
        Ok(first)
    }

    /// One tag-length-value element; only single-byte tags occur here.
    pub(crate) fn element(&mut self) -> Result<(u8, &'a [u8]), PpolicyDecodeError> {
        let tag = self.byte()?;
        if tag & 0x1F == 0x1F {
            return Err(PpolicyDecodeError::UnexpectedTag(tag));
        }
        let first = self.byte()?;
        let length = if first & 0x80 == 0 {
            usize::from(first)
        } else {
            let count = usize::from(first & 0x7F);
            // Indefinite (0x80) lengths are not allowed in LDAP; four bytes
            // are far more than a control this small can need.
            if count == 0 || count > 4 {
                return Err(PpolicyDecodeError::BadLength);
            }
            let mut length = 0usize;
            for _ in 0..count {
                length = (length << 8) | usize::from(self.byte()?);
            }
            length
        };
        if length > self.bytes.len() {
            return Err(PpolicyDecodeError::Truncated);
        }
        let (content, rest) = self.bytes.split_at(length);
        self.bytes = rest;
        Ok((tag, content))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_only(code: u8) -> Vec<u8> {
        vec![0x30, 0x03, 0x81, 0x01, code]
    }

    #[test]
    fn every_draft_error_code_is_decoded() {
        let expected = [
            PpolicyError::PasswordExpired,
            PpolicyError::AccountLocked,
            PpolicyError::ChangeAfterReset,
            PpolicyError::PasswordModNotAllowed,
            PpolicyError::MustSupplyOldPassword,
            PpolicyError::InsufficientPasswordQuality,
            PpolicyError::PasswordTooShort,
            PpolicyError::PasswordTooYoung,
            PpolicyError::PasswordInHistory,
            PpolicyError::PasswordTooLong,
        ];
        for (code, error) in expected.iter().enumerate() {
            let decoded = decode(&error_only(code as u8)).unwrap();
            assert_eq!(decoded.error, Some(*error), "code {code}");
            assert_eq!(decoded.warning, None);
        }
    }

    #[test]
    fn an_unknown_error_code_is_kept_for_the_logs() {
        assert_eq!(
            decode(&error_only(42)).unwrap().error,
            Some(PpolicyError::Other(42))
        );
    }

    #[test]
    fn time_before_expiration_warning_is_decoded() {
        // 86400 seconds = 0x015180
        let bytes = [0x30, 0x07, 0xA0, 0x05, 0x80, 0x03, 0x01, 0x51, 0x80];
        let decoded = decode(&bytes).unwrap();
        assert_eq!(
            decoded.warning,
            Some(PpolicyWarning::TimeBeforeExpiration(86_400))
        );
        assert_eq!(decoded.error, None);
    }

    #[test]
    fn grace_logins_warning_is_decoded_with_an_error() {
        let bytes = [0x30, 0x08, 0xA0, 0x03, 0x81, 0x01, 0x02, 0x81, 0x01, 0x00];
        let decoded = decode(&bytes).unwrap();
        assert_eq!(
            decoded.warning,
            Some(PpolicyWarning::GraceAuthNsRemaining(2))
        );
        assert_eq!(decoded.error, Some(PpolicyError::PasswordExpired));
    }

    #[test]
    fn an_empty_sequence_means_nothing_to_report() {
        assert_eq!(decode(&[0x30, 0x00]).unwrap(), PpolicyResponse::default());
    }

    #[test]
    fn long_form_lengths_are_accepted() {
        let bytes = [0x30, 0x81, 0x03, 0x81, 0x01, 0x08];
        assert_eq!(
            decode(&bytes).unwrap().error,
            Some(PpolicyError::PasswordInHistory)
        );
    }

    #[test]
    fn truncated_values_are_refused_without_panicking() {
        let full = [0x30, 0x07, 0xA0, 0x05, 0x80, 0x03, 0x01, 0x51, 0x80];
        for cut in 0..full.len() {
            assert!(decode(&full[..cut]).is_err(), "accepted a cut at {cut}");
        }
        let full = error_only(8);
        for cut in 0..full.len() {
            assert!(decode(&full[..cut]).is_err(), "accepted a cut at {cut}");
        }
    }

    #[test]
    fn garbage_is_refused_without_panicking() {
        let samples: &[&[u8]] = &[
            &[0xFF],
            &[0x04, 0x01, 0x08],
            &[0x30, 0x80, 0x00, 0x00],
            &[0x30, 0x85, 0x01, 0x00, 0x00, 0x00, 0x00],
            &[0x30, 0xFF, 0xFF],
            &[0x30, 0x03, 0x82, 0x01, 0x08],
            &[0x30, 0x02, 0x81, 0x00],
            &[0x30, 0x0B, 0x81, 0x09, 1, 2, 3, 4, 5, 6, 7, 8, 9],
            &[0x30, 0x03, 0x81, 0x01, 0x08, 0x00],
            &[0x30, 0x06, 0x81, 0x01, 0x08, 0x81, 0x01, 0x05],
            &[0x30, 0x04, 0xA0, 0x02, 0x82, 0x00],
            &[0x30, 0x05, 0xA0, 0x03, 0x80, 0x01, 0xFF],
            &[0x1F, 0x01, 0x00],
        ];
        for sample in samples {
            assert!(decode(sample).is_err(), "accepted {sample:02x?}");
        }
        // Every prefix and every single-byte corruption of a valid value:
        // errors are fine, panics are not.
        let valid = [0x30, 0x08, 0xA0, 0x03, 0x81, 0x01, 0x02, 0x81, 0x01, 0x00];
        for i in 0..valid.len() {
            for b in [0x00, 0x7F, 0x80, 0x81, 0xFF] {
                let mut corrupted = valid;
                corrupted[i] = b;
                let _ = decode(&corrupted);
            }
        }
    }

    #[test]
    fn a_response_control_without_value_is_not_a_panic() {
        let controls = vec![Control(
            None,
            RawControl {
                ctype: PPOLICY_OID.into(),
                crit: false,
                val: None,
            },
        )];
        assert_eq!(find_response(&controls), Some(PpolicyResponse::default()));
        let garbage = vec![Control(
            None,
            RawControl {
                ctype: PPOLICY_OID.into(),
                crit: false,
                val: Some(vec![0x30, 0x05]),
            },
        )];
        assert_eq!(find_response(&garbage), None);
        assert_eq!(find_response(&[]), None);
    }

    #[test]
    fn the_request_control_carries_no_value() {
        let control = request_control();
        assert_eq!(control.ctype, PPOLICY_OID);
        assert!(control.val.is_none());
        assert!(!control.crit);
    }
}
