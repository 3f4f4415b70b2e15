//! The `[radius]` section of the gateway's configuration: which RADIUS
//! server is asked, as which NAS, with which shared secret and which way of
//! carrying the password, and for how long. The settings are plain values;
//! [`crate::RadiusCheck::new`] checks them and says which key is at fault.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// How the password travels in the Access-Request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum PasswordMethod {
    /// MS-CHAPv2 (RFC 2759, in the attributes of RFC 2548): the inner
    /// method of eduroam's PEAP, checked by the server against the NT hash
    /// (`sambaNTPassword`), so an Accept says what a laptop would be told.
    /// The server's MS-CHAP2-Success is verified, so a forged Accept is
    /// caught.
    #[default]
    Mschapv2,
    /// PAP: the cleartext password, hidden with the shared secret (RFC 2865
    /// §5.2). For servers that check a password by binding to LDAP or that
    /// hold no NT hash.
    Pap,
}

/// The RADIUS server that confirms a new password opens Wi-Fi
/// (`docs/radius.md`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct RadiusSettings {
    /// The RADIUS authentication server as `host:port`, e.g.
    /// `radius.univ-exemple.fr:1812` or `[2001:db8::1]:1812`. Absent (the
    /// default): no RADIUS check.
    pub server: Option<String>,
    /// A file holding the shared secret of the NAS client entry made for
    /// the gateway on that server, readable only by the gateway (a trailing
    /// newline is ignored). RFC 2865 §3 asks for at least 16 octets.
    /// Required when `server` is set.
    pub secret_file: Option<PathBuf>,
    /// The NAS-Identifier sent with every request (RFC 2865 §5.32, 1 to 253
    /// octets), so the server's logs and policies can tell the gateway's
    /// checks from real Wi-Fi logins.
    pub nas_identifier: String,
    /// How the password is carried: `mschapv2` (the default, what eduroam
    /// checks) or `pap`.
    pub method: PasswordMethod,
    /// Seconds the whole check may take, retransmissions included (1 to
    /// 30); past it the answer is "no answer" and the person is told Wi-Fi
    /// may take a minute.
    pub timeout_seconds: u64,
}

impl Default for RadiusSettings {
    fn default() -> Self {
        Self {
            server: None,
            secret_file: None,
            nas_identifier: "passerelle".into(),
            method: PasswordMethod::default(),
            timeout_seconds: 3,
        }
    }
}

impl RadiusSettings {
    /// Whether a site asked for the check (`server` is set).
    pub fn is_configured(&self) -> bool {
        self.server.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_key_is_refused() {
        let error =
            serde_json::from_str::<RadiusSettings>(r#"{"server": "r:1812", "secret": "x"}"#)
                .expect_err("unknown keys are refused");
        assert!(
            error.to_string().contains("unknown field `secret`"),
            "{error}"
        );
    }

    #[test]
    fn missing_keys_take_the_defaults() {
        let settings: RadiusSettings =
            serde_json::from_str(r#"{"server": "radius.univ-exemple.fr:1812", "method": "pap"}"#)
                .expect("a partial section is read");
        assert_eq!(settings.method, PasswordMethod::Pap);
        assert_eq!(settings.timeout_seconds, 3);
        assert_eq!(settings.nas_identifier, "passerelle");
        assert!(settings.is_configured());
        assert!(!RadiusSettings::default().is_configured());
    }

    #[test]
    fn the_method_is_spelled_in_lowercase() {
        let settings: RadiusSettings =
            serde_json::from_str(r#"{"method": "mschapv2"}"#).expect("mschapv2 is a method");
        assert_eq!(settings.method, PasswordMethod::Mschapv2);
        assert!(serde_json::from_str::<RadiusSettings>(r#"{"method": "chap"}"#).is_err());
    }

    #[test]
    fn the_schema_documents_every_key() {
        let schema = serde_json::to_value(schemars::schema_for!(RadiusSettings))
            .expect("the schema is JSON");
        let properties = schema["properties"]
            .as_object()
            .expect("the schema lists the keys");
        for key in [
            "server",
            "secret_file",
            "nas_identifier",
            "method",
            "timeout_seconds",
        ] {
            let description = properties[key]["description"].as_str().unwrap_or_default();
            assert!(!description.is_empty(), "{key} has no description");
        }
    }
}
