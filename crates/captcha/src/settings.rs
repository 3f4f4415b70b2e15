//! The `[captcha]` table of the configuration: when the captcha is shown,
//! whether it is case-sensitive (as on the CAF portal) and how many
//! characters it has.

use serde::{Deserialize, Serialize};

/// The shortest and longest captcha the gateway accepts to configure: fewer
/// than 4 characters is guessed too easily, more than 10 is a burden (and a
/// long audio clip).
pub const LENGTH_RANGE: std::ops::RangeInclusive<usize> = 4..=10;

/// When a flow asks for the captcha.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum CaptchaMode {
    /// On every form of a flow that has one (EFP, CAF).
    #[default]
    Always,
    /// Only once a first attempt of this flow has failed. Weaker: a robot
    /// that starts a new flow after each failure never meets it; the
    /// per-address rate limit still applies.
    AfterFailure,
    /// Never.
    Never,
}

/// `[captcha]`: the picture (and its audio) a person copies before a flow
/// sends mail, so that a robot cannot make the gateway mail people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct CaptchaSettings {
    /// When a flow that sends mail asks for the captcha.
    pub mode: CaptchaMode,
    /// The case of letters counts (CAF: "le texte doit être saisi en
    /// respectant la casse"). The audio then says each letter's case.
    pub case_sensitive: bool,
    /// Number of characters.
    pub length: usize,
}

impl Default for CaptchaSettings {
    fn default() -> CaptchaSettings {
        CaptchaSettings {
            mode: CaptchaMode::Always,
            case_sensitive: false,
            length: 6,
        }
    }
}

impl CaptchaSettings {
    /// Checks the values a file may hold but the gateway cannot use; the
    /// message names the key.
    pub fn validate(&self) -> Result<(), String> {
        if !LENGTH_RANGE.contains(&self.length) {
            return Err(format!(
                "captcha.length must be between {} and {}",
                LENGTH_RANGE.start(),
                LENGTH_RANGE.end()
            ));
        }
        Ok(())
    }

    /// Whether the first page of a flow already shows the captcha.
    pub fn shown_at_start(&self) -> bool {
        self.mode == CaptchaMode::Always
    }

    /// Whether a captcha is ever shown.
    pub fn enabled(&self) -> bool {
        self.mode != CaptchaMode::Never
    }

    /// The length actually used: a value outside [`LENGTH_RANGE`] (which
    /// [`CaptchaSettings::validate`] refuses at start-up) is clamped.
    pub fn clamped_length(&self) -> usize {
        self.length
            .clamp(*LENGTH_RANGE.start(), *LENGTH_RANGE.end())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_is_always_case_insensitive_and_six_characters() {
        let settings: CaptchaSettings = serde_json::from_str("{}").unwrap();
        assert_eq!(settings, CaptchaSettings::default());
        assert_eq!(settings.mode, CaptchaMode::Always);
        assert!(!settings.case_sensitive);
        assert_eq!(settings.length, 6);
    }

    #[test]
    fn modes_are_written_in_snake_case_and_unknown_keys_are_refused() {
        let settings: CaptchaSettings =
            serde_json::from_str(r#"{"mode":"after_failure","case_sensitive":true}"#).unwrap();
        assert_eq!(settings.mode, CaptchaMode::AfterFailure);
        assert!(settings.case_sensitive);
        assert!(serde_json::from_str::<CaptchaSettings>(r#"{"lenght":6}"#).is_err());
    }

    #[test]
    fn a_length_outside_the_range_is_refused() {
        for length in [0, 3, 11] {
            let settings = CaptchaSettings {
                length,
                ..CaptchaSettings::default()
            };
            assert!(settings.validate().unwrap_err().contains("captcha.length"));
        }
        assert!(CaptchaSettings::default().validate().is_ok());
    }
}
