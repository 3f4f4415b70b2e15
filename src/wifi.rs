//! The Wi-Fi check (`[radius]`, `docs/radius.md`) as the domain's
//! `ports::WifiCheck`: the RADIUS client of `passerelle-radius`, with its
//! shared secret read from `radius.secret_file`. One call is one
//! Access-Request (retransmitted as the same bytes at most, which the
//! server answers from its cache), bounded by `radius.timeout_seconds`;
//! whatever goes wrong is "no answer", logged, never a second attempt.

use anyhow::Context;
use async_trait::async_trait;
use passerelle_domain::ports::{WifiAnswer, WifiCheck};
use passerelle_radius::{RadiusCheck, RadiusOutcome, RadiusSettings};
use secrecy::SecretString;

/// The site's RADIUS server, asked once per chosen password written.
#[derive(Debug, Clone)]
pub struct RadiusWifi {
    check: RadiusCheck,
}

impl RadiusWifi {
    /// The check of `settings`, or `None` when no `radius.server` is set.
    ///
    /// Errors: `radius.secret_file` is missing, unreadable or empty, or a
    /// setting is unusable (the message names the key).
    pub fn build(settings: &RadiusSettings) -> anyhow::Result<Option<RadiusWifi>> {
        if !settings.is_configured() {
            return Ok(None);
        }
        let secret = passerelle_secrets::read("radius.secret", &None, &settings.secret_file)?
            .context("`radius.secret_file`: required with radius.server")?;
        let check = RadiusCheck::new(settings, secret)?;
        Ok(Some(RadiusWifi { check }))
    }
}

#[async_trait]
impl WifiCheck for RadiusWifi {
    async fn check(&self, login: &str, password: &SecretString) -> WifiAnswer {
        match self.check.check_password(login, password).await {
            Ok(RadiusOutcome::Accepted) => WifiAnswer::Accepted,
            Ok(RadiusOutcome::Rejected) => WifiAnswer::Refused,
            Ok(RadiusOutcome::NoAnswer) => WifiAnswer::NoAnswer,
            // An answer that proves nothing (an Accept without the server's
            // MS-CHAPv2 proof, a challenge) or a password that cannot
            // travel: the page says Wi-Fi may take a minute, the log says
            // why, and nothing is asked again.
            Err(error) => {
                tracing::error!(%error, "the RADIUS check gave no usable answer");
                WifiAnswer::NoAnswer
            }
        }
    }
}
