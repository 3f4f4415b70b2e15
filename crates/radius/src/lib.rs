//! "Wi-Fi accepts your new password", proven before the page says it: after
//! every password write the gateway asks the site's RADIUS server (the one
//! eduroam access points ask) whether the person can log in with the new
//! password, with one Access-Request (RFC 2865) from a NAS client entry made
//! for this check. The answer is [`RadiusOutcome::Accepted`] (Wi-Fi takes it
//! now), [`RadiusOutcome::Rejected`] (not yet: typically a replica behind)
//! or [`RadiusOutcome::NoAnswer`] (nothing genuine within the deadline);
//! an answer that is neither is a [`RadiusError`]. The request is never
//! repeated as a new login attempt, so the check cannot lock anyone out
//! through ppolicy ([`check`] says how). `docs/radius.md` tells a site how
//! to set the server up.
//!
//! ```no_run
//! # async fn after_write(secret: secrecy::SecretString) -> Result<(), passerelle_radius::RadiusError> {
//! use passerelle_radius::{RadiusCheck, RadiusOutcome, RadiusSettings};
//! let settings = RadiusSettings {
//!     server: Some("radius.univ-exemple.fr:1812".into()),
//!     ..Default::default()
//! };
//! let wifi = RadiusCheck::new(&settings, secret)?;
//! let password = secrecy::SecretString::from("Jeune-Chataignier-2026");
//! match wifi.check_password("rosalie.borne", &password).await? {
//!     RadiusOutcome::Accepted => { /* "Wi-Fi accepts your new password" */ }
//!     RadiusOutcome::Rejected | RadiusOutcome::NoAnswer => { /* "it may take a minute" */ }
//! }
//! # Ok(()) }
//! ```

#![forbid(unsafe_code)]

pub mod check;
mod mschapv2;
mod packet;
mod settings;

pub use check::{RadiusCheck, RadiusOutcome, TRANSMISSIONS};
pub use settings::{PasswordMethod, RadiusSettings};

/// Why a check could not be made or its answer cannot be believed. None of
/// them means the password was refused; none carries a secret.
#[derive(Debug, thiserror::Error)]
pub enum RadiusError {
    /// A setting is unusable; `key` names it as the configuration file
    /// spells it (`radius.server`, …).
    #[error("{key}: {reason}")]
    Settings { key: &'static str, reason: String },
    /// The user name or the password cannot be put in an Access-Request
    /// (the limits of RFC 2865 §5.1 and §5.2, RFC 2759 §8.3); nothing was
    /// sent.
    #[error("cannot ask RADIUS: {0}")]
    Unsendable(&'static str),
    /// No local UDP socket could be opened; nothing was sent.
    #[error("no UDP socket to ask RADIUS from")]
    Socket(#[source] std::io::Error),
    /// A genuine Access-Accept to an MS-CHAPv2 request without a valid
    /// MS-CHAP2-Success (RFC 2759 §5): the server, or a proxy holding the
    /// shared secret, accepted without proving it checked the NT hash.
    /// Never a confirmation.
    #[error("the RADIUS server accepted without proving it checked the password (no valid MS-CHAP2-Success)")]
    UnprovenAccept,
    /// A genuine answer of a kind this check does not hold (an
    /// Access-Challenge: the server wants EAP or a token).
    #[error("the RADIUS server answered with an {0}")]
    UnexpectedAnswer(&'static str),
    /// A genuine answer whose attributes are broken.
    #[error("the RADIUS server's answer is malformed: {0}")]
    MalformedAnswer(&'static str),
}
