//! Texts to mobiles, as the domain decides them: the interface of the SMS
//! adapter ([`Texter`], which the binary implements over `passerelle-sms`:
//! numbers read into E.164 with libphonenumber's metadata, an HTTP gateway,
//! an outbox for the demo), the mobile a person may be sent a code to
//! ([`mobile_of`]), the masks pages show of a person's address and number,
//! and the limits each replica keeps in memory ([`SmsLimits`]: per client
//! network, an IPv4 address or an IPv6 /64 as [`crate::audit::Visitor::network`]
//! says, and the site-wide ceiling a minute).
//!
//! The limits that must hold across replicas are on the entry: one SMS per
//! `flows.sms_resend_seconds` and `flows.sms_daily_max` in any 24 hours per
//! person ([`crate::cooldown::plan_sms_claim`]). Together they bound the
//! bill whatever a stranger does (docs/sms.md: at most `sms_per_minute` ×
//! replicas a minute, and `sms_daily_max` a day to any one person).

use crate::person::Person;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use ipnet::IpNet;
use secrecy::SecretString;
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

/// A number the adapter read as a mobile a text may be sent to: its E.164
/// form and the masked form pages show (`•• •• •• •• 78`). `Debug` shows
/// the masked form only, so a number that slips into a log shows two
/// digits.
#[derive(Clone, PartialEq, Eq)]
pub struct Mobile {
    e164: String,
    masked: String,
}

impl Mobile {
    /// A mobile the adapter checked (`+33612345678`, `•• •• •• •• 78`).
    pub fn new(e164: impl Into<String>, masked: impl Into<String>) -> Mobile {
        Mobile {
            e164: e164.into(),
            masked: masked.into(),
        }
    }

    /// `+33612345678`: what is stored and sent to.
    pub fn e164(&self) -> &str {
        &self.e164
    }

    /// `•• •• •• •• 78`: what a page shows.
    pub fn masked(&self) -> &str {
        &self.masked
    }
}

impl std::fmt::Debug for Mobile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Mobile").field(&self.masked).finish()
    }
}

/// Why a value is no mobile a code may be sent to: the reason's code
/// (`landline`, `premium-rate`, `not-a-number`…, docs/sms.md), which the
/// pages translate as `sms-number-<code>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumberRefused(pub &'static str);

/// Why a text was not handed over: a stable label for the log and the
/// metrics (`disabled`, `too-long`, `refused`, `unavailable`…), never the
/// number or the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the SMS was not sent ({label})")]
pub struct SmsFailure {
    pub label: &'static str,
}

/// The SMS adapter.
#[async_trait]
pub trait Texter: Send + Sync {
    /// Whether texts go anywhere (`sms.transport` is not `none`).
    fn is_enabled(&self) -> bool;

    /// `raw` (what a person typed, or a directory value) read under the
    /// site's rules (`sms.default_region`, …): a mobile, or why not.
    fn mobile(&self, raw: &str) -> Result<Mobile, NumberRefused>;

    /// Whether `text` may be sent: not empty, and within
    /// `sms.max_segments`. Checked before anything a text carries is
    /// stored.
    fn fits(&self, text: &str) -> bool;

    /// Sends `text` to `to` (retries included); may take up to the
    /// gateway's timeouts, so flows call it off the request path.
    async fn send(&self, to: &Mobile, text: &SecretString) -> Result<(), SmsFailure>;
}

/// No SMS at all (`sms.transport = "none"`, the unit tests that need none).
pub struct NoTexter;

#[async_trait]
impl Texter for NoTexter {
    fn is_enabled(&self) -> bool {
        false
    }

    fn mobile(&self, _: &str) -> Result<Mobile, NumberRefused> {
        Err(NumberRefused("disabled"))
    }

    fn fits(&self, _: &str) -> bool {
        false
    }

    async fn send(&self, _: &Mobile, _: &SecretString) -> Result<(), SmsFailure> {
        Err(SmsFailure { label: "disabled" })
    }
}

/// What a person's directory entry offers to send a code to by SMS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MobileOnFile {
    /// A mobile (the first value of `ldap.mobile_attributes` that is one).
    Mobile(Mobile),
    /// Values, none of them a mobile a code may be sent to: the first's
    /// reason (a landline, a premium-rate number…).
    Unusable(NumberRefused),
    /// No value at all.
    None,
}

/// The mobile `person` may be sent a code to, read by `texter`: never a
/// number that is not a valid mobile.
pub fn mobile_of(texter: &dyn Texter, person: &Person) -> MobileOnFile {
    let mut first_refusal = None;
    for raw in &person.mobiles {
        match texter.mobile(raw) {
            Ok(mobile) => return MobileOnFile::Mobile(mobile),
            Err(refused) => {
                first_refusal.get_or_insert(refused);
            }
        }
    }
    match first_refusal {
        Some(refused) => MobileOnFile::Unusable(refused),
        None => MobileOnFile::None,
    }
}

/// An address as a page shows it to its owner: `j•••@g•••.fr`. The first
/// letter of the mailbox and of the domain, and the domain's last label:
/// enough for the owner to know which of their addresses it is.
pub fn mask_mail(address: &str) -> String {
    const MASK: &str = "•••";
    let address = address.trim();
    let (local, domain) = address.rsplit_once('@').unwrap_or((address, ""));
    let first = |s: &str| s.chars().next().map(String::from).unwrap_or_default();
    let (name, tld) = match domain.rsplit_once('.') {
        Some((name, tld)) => (name, format!(".{tld}")),
        None => (domain, String::new()),
    };
    format!("{}{MASK}@{}{MASK}{tld}", first(local), first(name))
}

/// Why an SMS may not be asked for now, whoever the person is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// This client's network (its IPv4 address, its IPv6 /64) asked for
    /// `flows.sms_per_address_per_hour` within the hour.
    Address,
    /// The site sent `flows.sms_per_minute` within the minute (this
    /// replica).
    Ceiling,
}

impl Limit {
    /// The audit outcome of an SMS refused by this limit.
    pub fn outcome(self) -> crate::audit::Outcome {
        match self {
            Limit::Address => crate::audit::Outcome::SmsAddressLimit,
            Limit::Ceiling => crate::audit::Outcome::SmsCeiling,
        }
    }
}

/// A place under the site's ceiling, taken for one SMS: given back when
/// the SMS is not sent after all (the person's cooldown refused it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot(DateTime<Utc>);

/// How many client networks are remembered at most: beyond it, those
/// whose hour is over are forgotten first.
const MAX_ADDRESSES: usize = 50_000;

/// How many numbers are remembered at most: beyond it, those whose day is
/// over are forgotten first.
const MAX_NUMBERS: usize = 50_000;

/// A place under a number's daily limit, taken for one SMS: given back
/// when the SMS is not sent after all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberSlot {
    number: String,
    at: DateTime<Utc>,
}

/// The limits one replica keeps in memory: the requests for an SMS per
/// client network within the hour, the SMS sent within the minute, and
/// the SMS sent to each number within 24 hours (a number several entries
/// hold — a parent's phone — or that several accounts type as their new
/// mobile gets no more than one person's daily share).
/// Both are decided before anything is known of the person, so what they
/// say reveals nothing of them. A network, not an address: an IPv6
/// subscriber may use any of the 2^64 addresses of their /64, and counted
/// one by one they would never meet the limit.
#[derive(Default)]
pub struct SmsLimits {
    sent: Mutex<VecDeque<DateTime<Utc>>>,
    asked: Mutex<HashMap<IpNet, VecDeque<DateTime<Utc>>>>,
    numbers: Mutex<HashMap<String, VecDeque<DateTime<Utc>>>>,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl SmsLimits {
    /// A request for an SMS from the client `network`
    /// ([`crate::audit::Visitor::network`]) at `now`: refused when the
    /// site's ceiling is reached this minute, or this network asked
    /// `per_address` times within the hour; counted otherwise.
    pub fn ask(
        &self,
        network: IpNet,
        now: DateTime<Utc>,
        per_address: u32,
        per_minute: u32,
    ) -> Result<(), Limit> {
        if self.full(now, per_minute) {
            return Err(Limit::Ceiling);
        }
        let hour_ago = now - chrono::Duration::hours(1);
        let mut asked = lock(&self.asked);
        if asked.len() >= MAX_ADDRESSES {
            asked.retain(|_, times| times.back().is_some_and(|t| *t > hour_ago));
        }
        let times = asked.entry(network).or_default();
        while times.front().is_some_and(|t| *t <= hour_ago) {
            times.pop_front();
        }
        if times.len() >= usize::try_from(per_address).unwrap_or(usize::MAX) {
            return Err(Limit::Address);
        }
        times.push_back(now);
        Ok(())
    }

    /// Whether the site's ceiling is reached at `now`.
    pub fn full(&self, now: DateTime<Utc>, per_minute: u32) -> bool {
        let mut sent = lock(&self.sent);
        forget_older(&mut sent, now);
        sent.len() >= usize::try_from(per_minute).unwrap_or(usize::MAX)
    }

    /// Takes a place under the ceiling for one SMS at `now`, if there is
    /// one.
    pub fn take(&self, now: DateTime<Utc>, per_minute: u32) -> Option<Slot> {
        let mut sent = lock(&self.sent);
        forget_older(&mut sent, now);
        if sent.len() >= usize::try_from(per_minute).unwrap_or(usize::MAX) {
            return None;
        }
        sent.push_back(now);
        Some(Slot(now))
    }

    /// Takes a place under `number`'s daily limit (`per_day` SMS within 24
    /// hours, whichever entries hold it) for one SMS at `now`: `Err` with
    /// when the oldest of them leaves the window when there is none.
    pub fn take_number(
        &self,
        number: &Mobile,
        now: DateTime<Utc>,
        per_day: u32,
    ) -> Result<NumberSlot, DateTime<Utc>> {
        let day_ago = now - chrono::Duration::hours(24);
        let mut numbers = lock(&self.numbers);
        if numbers.len() >= MAX_NUMBERS {
            numbers.retain(|_, times| times.back().is_some_and(|t| *t > day_ago));
        }
        let times = numbers.entry(number.e164().to_owned()).or_default();
        while times.front().is_some_and(|t| *t <= day_ago) {
            times.pop_front();
        }
        if times.len() >= usize::try_from(per_day).unwrap_or(usize::MAX) {
            let oldest = times.front().copied().unwrap_or(now);
            return Err(oldest + chrono::Duration::hours(24));
        }
        times.push_back(now);
        Ok(NumberSlot {
            number: number.e164().to_owned(),
            at: now,
        })
    }

    /// Gives back a place taken under a number's daily limit for an SMS
    /// that was not sent.
    pub fn give_back_number(&self, slot: NumberSlot) {
        let mut numbers = lock(&self.numbers);
        if let Some(times) = numbers.get_mut(&slot.number) {
            if let Some(at) = times.iter().position(|t| *t == slot.at) {
                times.remove(at);
            }
        }
    }

    /// Gives back a place taken for an SMS that was not sent.
    pub fn give_back(&self, slot: Slot) {
        let mut sent = lock(&self.sent);
        if let Some(at) = sent.iter().position(|t| *t == slot.0) {
            sent.remove(at);
        }
    }
}

/// Forgets the SMS sent a minute or more before `now`.
fn forget_older(sent: &mut VecDeque<DateTime<Utc>>, now: DateTime<Utc>) {
    let minute_ago = now - chrono::Duration::minutes(1);
    while sent.front().is_some_and(|t| *t <= minute_ago) {
        sent.pop_front();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::<Utc>::from_timestamp(1_800_000_000 + seconds, 0).unwrap()
    }

    #[test]
    fn a_number_gets_its_daily_share_whichever_entries_hold_it() {
        let limits = SmsLimits::default();
        let number = Mobile::new("+33612345678", "•• 78");
        let other = Mobile::new("+33698765432", "•• 32");
        let first = limits.take_number(&number, at(0), 2).unwrap();
        limits.take_number(&number, at(60), 2).unwrap();
        assert_eq!(limits.take_number(&number, at(120), 2), Err(at(86_400)));
        assert!(limits.take_number(&other, at(120), 2).is_ok());
        // One not sent after all is given back.
        limits.give_back_number(first);
        assert!(limits.take_number(&number, at(180), 2).is_ok());
        assert!(limits.take_number(&number, at(240), 2).is_err());
        // A day after the first kept one, a place again.
        assert!(limits.take_number(&number, at(60 + 86_400), 2).is_ok());
    }

    #[test]
    fn an_address_is_masked_to_what_its_owner_recognises() {
        assert_eq!(mask_mail("jean.dupont@gmail.fr"), "j•••@g•••.fr");
        assert_eq!(mask_mail("a@b.example.org"), "a•••@b•••.org");
        assert_eq!(mask_mail("x@localhost"), "x•••@l•••");
    }

    #[test]
    fn the_ceiling_counts_a_minute_and_a_place_given_back_is_free_again() {
        let limits = SmsLimits::default();
        let first = limits.take(at(0), 2).unwrap();
        limits.take(at(10), 2).unwrap();
        assert!(limits.full(at(30), 2));
        assert_eq!(limits.take(at(30), 2), None);
        limits.give_back(first);
        assert!(limits.take(at(30), 2).is_some());
        // A minute after the first two, the ceiling is free again.
        assert!(!limits.full(at(71), 2));
    }

    fn net(address: &str) -> IpNet {
        crate::audit::client_network(address.parse().unwrap(), 64)
    }

    #[test]
    fn an_address_asks_so_many_times_an_hour_whoever_it_names() {
        let limits = SmsLimits::default();
        let one = net("10.0.0.1");
        let other = net("10.0.0.2");
        for i in 0..3 {
            limits.ask(one, at(i), 3, 100).unwrap();
        }
        assert_eq!(limits.ask(one, at(5), 3, 100), Err(Limit::Address));
        limits.ask(other, at(5), 3, 100).unwrap();
        assert!(limits.ask(one, at(3601), 3, 100).is_ok());
        // The ceiling answers first, before the address is counted.
        limits.take(at(3601), 1).unwrap();
        assert_eq!(limits.ask(other, at(3602), 3, 1), Err(Limit::Ceiling));
    }
}
