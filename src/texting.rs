//! The SMS adapter: implements the domain's [`Texter`] over
//! `passerelle-sms` (numbers read into E.164 with libphonenumber's
//! metadata under `[sms]`'s rules, texts sent through the HTTP gateway of
//! `[sms.http]` or written to the outbox of `sms.directory`), and counts
//! what it hands over in `passerelle_sms_sent_total{outcome}`. The limits
//! on SMS are the domain's; this only sends what it is given.

use async_trait::async_trait;
use passerelle_domain::sms::{Mobile, NumberRefused, SmsFailure, Texter};
use passerelle_sms::{MobileNumber, NumberRules, SmsSender, SmsSettings, SmsSettingsError};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use secrecy::{ExposeSecret, SecretString};
use std::sync::Arc;

/// The label of `passerelle_sms_sent_total`.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabels {
    /// `accepted` (the HTTP gateway took it), `written` (the outbox),
    /// or the error's label (`refused`, `unavailable`, `timeout`…).
    outcome: String,
}

/// The SMS side of the gateway. Cheap to clone.
#[derive(Clone)]
pub struct SmsTexter {
    sender: SmsSender,
    rules: NumberRules,
    sent: Family<OutcomeLabels, Counter>,
}

impl SmsTexter {
    /// The texter `[sms]` describes: reads the secret files and builds the
    /// HTTP client, or prepares the outbox.
    ///
    /// Errors: any value of `[sms]` that cannot be used, naming its key.
    pub fn from_settings(settings: &SmsSettings) -> Result<SmsTexter, SmsSettingsError> {
        Ok(SmsTexter {
            sender: SmsSender::from_settings(settings)?,
            rules: settings.number_rules()?,
            sent: Family::default(),
        })
    }

    /// Where texts go, for the start-up log line (no secret, no query).
    pub fn describe(&self) -> String {
        self.sender.describe()
    }

    /// The domain's handle on it.
    pub fn port(&self) -> Arc<dyn Texter> {
        Arc::new(self.clone())
    }

    fn count(&self, outcome: &str) {
        self.sent
            .get_or_create(&OutcomeLabels {
                outcome: outcome.to_owned(),
            })
            .inc();
    }
}

impl passerelle_metrics::Observed for SmsTexter {
    fn register_metrics(&self, registry: &mut prometheus_client::registry::Registry) {
        registry.register(
            "sms_sent",
            "SMS handed to the SMS gateway or written to the outbox, or not, by outcome",
            self.sent.clone(),
        );
    }
}

#[async_trait]
impl Texter for SmsTexter {
    fn is_enabled(&self) -> bool {
        self.sender.is_enabled()
    }

    fn mobile(&self, raw: &str) -> Result<Mobile, NumberRefused> {
        MobileNumber::parse(raw, &self.rules)
            .map(|number| Mobile::new(number.e164(), number.masked()))
            .map_err(|refusal| NumberRefused(refusal.code()))
    }

    fn fits(&self, text: &str) -> bool {
        let segments = passerelle_sms::measure(text).segments;
        !text.trim().is_empty() && segments <= self.sender.max_segments()
    }

    async fn send(&self, to: &Mobile, text: &SecretString) -> Result<(), SmsFailure> {
        // The domain's mobile was read by this adapter: read again, it is
        // the same number.
        let number = MobileNumber::parse(to.e164(), &self.rules).map_err(|_| SmsFailure {
            label: "not-a-mobile",
        })?;
        match self.sender.send(&number, text.expose_secret()).await {
            Ok(passerelle_sms::SmsReceipt::Written { path }) => {
                self.count("written");
                // The outbox is for people to read (the demo, staging), as
                // the mail outbox is: say where it went, never what.
                println!("SMS to {}: {}", to.masked(), path.display());
                Ok(())
            }
            Ok(_) => {
                self.count("accepted");
                Ok(())
            }
            Err(error) => {
                tracing::warn!(%error, "an SMS was not handed over");
                self.count(error.label());
                Err(SmsFailure {
                    label: error.label(),
                })
            }
        }
    }
}
