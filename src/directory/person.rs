//! A person as the gateway sees their directory entry: names and addresses
//! for the pages and mails, the markers that decide what a password write
//! must carry (Samba, shadow), the directory's own password-policy state, and
//! the gateway's self-service state kept on the entry (`passerelleAccount`).

use super::identity::BirthDate;
use super::policy::{PpolicyLock, PpolicyState};
use crate::config::LdapSettings;
use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use std::collections::HashMap;

/// The auxiliary class that carries the gateway's state.
pub const GATEWAY_CLASS: &str = "passerelleAccount";
pub const ATTR_QUESTION: &str = "passerelleQuestion";
pub const ATTR_ANSWER_HASH: &str = "passerelleAnswerHash";
pub const ATTR_FAILURE_TIME: &str = "passerelleFailureTime";
pub const ATTR_LOCKED_UNTIL: &str = "passerelleLockedUntil";
pub const ATTR_CODE_HASH: &str = "passerelleCodeHash";
pub const ATTR_CODE_EXPIRY: &str = "passerelleCodeExpiry";
pub const ATTR_CODE_TRIES_LEFT: &str = "passerelleCodeTriesLeft";
pub const ATTR_CODE_SENT: &str = "passerelleCodeSentTime";
pub const ATTR_TEMP_PASSWORD_EXPIRY: &str = "passerelleTempPasswordExpiry";
/// Keyed hash of a temporary password held on the entry (not yet in
/// `userPassword`): the current password keeps working until it is used.
pub const ATTR_PENDING_TEMP_HASH: &str = "passerelleTempPasswordHash";
/// Expiry of the held temporary password. Its own attribute, so that an
/// expiry of a temporary password written into `userPassword`
/// (`passerelleTempPasswordExpiry`, which the sweep retires) can never be
/// mistaken for one that was only held.
pub const ATTR_PENDING_TEMP_EXPIRY: &str = "passerelleTempPasswordHashExpiry";
/// When the gateway last mailed this person (per-person mail cooldown).
pub const ATTR_MAIL_SENT: &str = "passerelleMailSentTime";
/// « Ce n'était pas moi »: self-service frozen since this time, until IT
/// deletes it (`flows::not_me`, docs/not-me.md).
pub const ATTR_FROZEN_TIME: &str = "passerelleFrozenTime";
/// Why it was frozen, with the facts of the disowned change.
pub const ATTR_FROZEN_REASON: &str = "passerelleFrozenReason";
/// The change id of the disowned change: its link is spent.
pub const ATTR_DISOWNED_CHANGE: &str = "passerelleDisownedChange";
/// A random id written with every password the gateway writes.
pub const ATTR_CHANGE_ID: &str = "passerelleChangeId";
/// The last expiry notice mailed: `<pwdChangedTime> <days>`.
pub const ATTR_EXPIRY_NOTICE: &str = "passerelleExpiryNotice";

/// Every state attribute, in the order they are read.
pub(crate) const STATE_ATTRIBUTES: [&str; 17] = [
    ATTR_QUESTION,
    ATTR_ANSWER_HASH,
    ATTR_FAILURE_TIME,
    ATTR_LOCKED_UNTIL,
    ATTR_CODE_HASH,
    ATTR_CODE_EXPIRY,
    ATTR_CODE_TRIES_LEFT,
    ATTR_CODE_SENT,
    ATTR_TEMP_PASSWORD_EXPIRY,
    ATTR_PENDING_TEMP_HASH,
    ATTR_PENDING_TEMP_EXPIRY,
    ATTR_MAIL_SENT,
    ATTR_FROZEN_TIME,
    ATTR_FROZEN_REASON,
    ATTR_DISOWNED_CHANGE,
    ATTR_EXPIRY_NOTICE,
    ATTR_CHANGE_ID,
];

/// What a new password makes obsolete: pending codes, failures, lock,
/// temporary-password expiry and a held temporary password (the secret
/// question and the mail cooldown stay).
pub(crate) const RESET_STATE_ATTRIBUTES: [&str; 9] = [
    ATTR_FAILURE_TIME,
    ATTR_LOCKED_UNTIL,
    ATTR_CODE_HASH,
    ATTR_CODE_EXPIRY,
    ATTR_CODE_TRIES_LEFT,
    ATTR_CODE_SENT,
    ATTR_TEMP_PASSWORD_EXPIRY,
    ATTR_PENDING_TEMP_HASH,
    ATTR_PENDING_TEMP_EXPIRY,
];

/// The pending e-mail code (`passerelleCode*`).
pub(crate) const CODE_ATTRIBUTES: [&str; 4] = [
    ATTR_CODE_HASH,
    ATTR_CODE_EXPIRY,
    ATTR_CODE_TRIES_LEFT,
    ATTR_CODE_SENT,
];

/// The `pwdAccountLockedTime` value that means "locked by an
/// administrator, until unlocked by one" (draft-behera-ldap-password-policy).
pub const ADMINISTRATIVE_LOCK: &str = "000001010000Z";

/// The gateway's self-service state on one entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GatewayState {
    pub question: Option<String>,
    /// PHC string of argon2id(normalised answer, pepper).
    pub answer_hash: Option<String>,
    pub failure_times: Vec<DateTime<Utc>>,
    pub locked_until: Option<DateTime<Utc>>,
    /// Hex HMAC-SHA256 of the pending e-mail code.
    pub code_hash: Option<String>,
    pub code_expiry: Option<DateTime<Utc>>,
    pub code_tries_left: Option<u32>,
    pub code_sent: Option<DateTime<Utc>>,
    /// Expiry of a temporary password written into `userPassword`.
    pub temp_password_expiry: Option<DateTime<Utc>>,
    /// Hex HMAC-SHA256 of a temporary password held on the entry only.
    pub pending_temp_hash: Option<String>,
    pub pending_temp_expiry: Option<DateTime<Utc>>,
    /// When the gateway last mailed this person.
    pub mail_sent: Option<DateTime<Utc>>,
    /// Self-service frozen by the owner (« Ce n'était pas moi ») since then.
    /// Present as anything (a value that is no time counts): IT's lift is
    /// deleting it.
    pub frozen: Option<String>,
    pub frozen_reason: Option<String>,
    /// The change id of the change the owner disowned.
    pub disowned_change: Option<String>,
    /// The random id of the last password the gateway wrote.
    pub change_id: Option<String>,
    /// The last expiry notice: `<pwdChangedTime> <days>`.
    pub expiry_notice: Option<String>,
}

/// One person's entry, as read by the service account.
#[derive(Debug, Clone)]
pub struct Person {
    pub dn: String,
    /// Value of `login_attribute` (empty if the entry has none).
    pub login: String,
    pub given_name: Option<String>,
    pub sn: Option<String>,
    /// `displayName`, else "givenName sn", else the login.
    pub display_name: String,
    /// Values of `recovery_mail_attributes`, in configured order.
    pub recovery_mails: Vec<String>,
    pub institutional_mail: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub is_samba: bool,
    pub is_shadow: bool,
    pub has_gateway_class: bool,
    /// Values of `name_attributes`, for the "must not contain your name" rule.
    pub name_values: Vec<String>,
    pub state: GatewayState,
    /// ppolicy's `pwdAccountLockedTime` is set, whatever it says. Kept for
    /// existing callers: whether self-service must stop is
    /// [`Directory::self_service_stopped`](super::Directory::self_service_stopped).
    pub ppolicy_locked: bool,
    /// `pwdAccountLockedTime: 000001010000Z` (or a value that is no time):
    /// IT locked the account for good. Kept for existing callers; see
    /// [`Person::ppolicy`].
    pub administratively_locked: bool,
    /// ppolicy's lock and the person's own policy entry, if any.
    pub ppolicy: PpolicyState,
    /// ppolicy's `pwdReset` is TRUE: the current password is temporary.
    pub password_must_change: bool,
    /// ppolicy's `pwdChangedTime`, raw, to re-check a timed-out write.
    pub(crate) pwd_changed_time: Option<String>,
    /// The entry's `entryCSN` when it was read (slapd changes it on every
    /// modify): a state update may start from this reading, guarded by an
    /// assertion on it, instead of reading the entry again.
    pub(crate) version: Option<String>,
}

impl Person {
    /// Does the typed birth date match the stored one? A person without a
    /// stored birth date matches nothing.
    pub fn birth_date_matches(&self, typed: &BirthDate) -> bool {
        self.birth_date == Some(typed.date())
    }

    /// Builds a person from a search entry's attributes.
    ///
    /// Every value that reaches a page, a mail or a log is made safe here,
    /// where it enters (see [`crate::safe_text`]): names and the login lose
    /// control and format characters, become one line and are bounded in
    /// length; a recovery or institutional address that holds such a
    /// character or does not parse as an address is dropped (and logged by
    /// attribute name and DN only), so it is never a recipient. Public so
    /// that tests and tools can read an entry exactly as the gateway does.
    pub fn from_entry(
        dn: String,
        attrs: HashMap<String, Vec<String>>,
        settings: &LdapSettings,
    ) -> Self {
        use crate::safe_text::{
            mail_address, single_line, single_line_opt, MAX_LOGIN_CHARS, MAX_NAME_CHARS,
            MAX_QUESTION_CHARS,
        };
        let attrs = Attributes::new(attrs);
        let name = |attribute: &str| {
            attrs
                .first(attribute)
                .and_then(|v| single_line_opt(&v, MAX_NAME_CHARS))
        };
        let login = attrs
            .first(&settings.login_attribute)
            .map(|v| single_line(&v, MAX_LOGIN_CHARS))
            .unwrap_or_default();
        let given_name = name("givenName");
        let sn = name("sn");
        let display_name = name("displayName")
            .or_else(|| match (&given_name, &sn) {
                (Some(g), Some(s)) => Some(single_line(&format!("{g} {s}"), MAX_NAME_CHARS)),
                (Some(one), None) | (None, Some(one)) => Some(one.clone()),
                (None, None) => None,
            })
            .unwrap_or_else(|| login.clone());
        // Logged with the DN and attribute only: the value may be anything.
        let usable_address = |attribute: &str, raw: &str| {
            let address = mail_address(raw);
            if address.is_none() {
                tracing::warn!(
                    dn = %single_line(&dn, MAX_NAME_CHARS),
                    attribute,
                    "a mail address that is not usable as a recipient is ignored"
                );
            }
            address
        };
        let recovery_mails = settings
            .recovery_mail_attributes
            .iter()
            .flat_map(|a| {
                attrs
                    .all(a)
                    .into_iter()
                    .filter_map(|raw| usable_address(a, &raw))
                    .collect::<Vec<_>>()
            })
            .fold(Vec::new(), |mut acc: Vec<String>, mail| {
                if !acc.iter().any(|m| m.eq_ignore_ascii_case(&mail)) {
                    acc.push(mail);
                }
                acc
            });
        let institutional_mail = attrs
            .first(&settings.mail_attribute)
            .and_then(|raw| usable_address(&settings.mail_attribute, &raw));
        let birth_date = attrs.first(&settings.birth_date_attribute).and_then(|raw| {
            NaiveDate::parse_from_str(raw.trim(), &settings.birth_date_format).ok()
        });
        let name_values = settings
            .name_attributes
            .iter()
            .flat_map(|a| attrs.all(a))
            .filter_map(|v| single_line_opt(&v, MAX_NAME_CHARS))
            .collect();
        let classes: Vec<String> = attrs.all("objectClass");
        let has_class = |c: &str| classes.iter().any(|v| v.eq_ignore_ascii_case(c));
        let state = GatewayState {
            question: attrs
                .first(ATTR_QUESTION)
                .and_then(|v| single_line_opt(&v, MAX_QUESTION_CHARS)),
            answer_hash: attrs.first(ATTR_ANSWER_HASH),
            failure_times: attrs
                .all(ATTR_FAILURE_TIME)
                .iter()
                .filter_map(|v| parse_generalized_time(v))
                .collect(),
            locked_until: attrs
                .first(ATTR_LOCKED_UNTIL)
                .and_then(|v| parse_generalized_time(&v)),
            code_hash: attrs.first(ATTR_CODE_HASH),
            code_expiry: attrs
                .first(ATTR_CODE_EXPIRY)
                .and_then(|v| parse_generalized_time(&v)),
            code_tries_left: attrs
                .first(ATTR_CODE_TRIES_LEFT)
                .and_then(|v| v.trim().parse().ok()),
            code_sent: attrs
                .first(ATTR_CODE_SENT)
                .and_then(|v| parse_generalized_time(&v)),
            temp_password_expiry: attrs
                .first(ATTR_TEMP_PASSWORD_EXPIRY)
                .and_then(|v| parse_generalized_time(&v)),
            pending_temp_hash: attrs.first(ATTR_PENDING_TEMP_HASH),
            pending_temp_expiry: attrs
                .first(ATTR_PENDING_TEMP_EXPIRY)
                .and_then(|v| parse_generalized_time(&v)),
            mail_sent: attrs
                .first(ATTR_MAIL_SENT)
                .and_then(|v| parse_generalized_time(&v)),
            frozen: attrs.first(ATTR_FROZEN_TIME),
            frozen_reason: attrs.first(ATTR_FROZEN_REASON),
            disowned_change: attrs.first(ATTR_DISOWNED_CHANGE),
            expiry_notice: attrs.first(ATTR_EXPIRY_NOTICE),
            change_id: attrs.first(ATTR_CHANGE_ID),
        };
        let ppolicy = PpolicyState {
            lock: PpolicyLock::parse(attrs.first("pwdAccountLockedTime").as_deref()),
            subentry: attrs.first("pwdPolicySubentry"),
        };
        Self {
            dn,
            institutional_mail,
            login,
            given_name,
            sn,
            display_name,
            recovery_mails,
            birth_date,
            is_samba: has_class("sambaSamAccount"),
            is_shadow: has_class("shadowAccount"),
            has_gateway_class: has_class(GATEWAY_CLASS),
            name_values,
            state,
            ppolicy_locked: ppolicy.lock != PpolicyLock::None,
            administratively_locked: ppolicy.lock == PpolicyLock::Administrative,
            ppolicy,
            password_must_change: attrs
                .first("pwdReset")
                .is_some_and(|v| v.eq_ignore_ascii_case("TRUE")),
            pwd_changed_time: attrs.first("pwdChangedTime"),
            version: attrs.first("entryCSN"),
        }
    }

    /// The state attributes present on the entry (lowercase names).
    pub(crate) fn present_state_attributes(&self) -> Vec<&'static str> {
        let s = &self.state;
        let present = [
            s.question.is_some(),
            s.answer_hash.is_some(),
            !s.failure_times.is_empty(),
            s.locked_until.is_some(),
            s.code_hash.is_some(),
            s.code_expiry.is_some(),
            s.code_tries_left.is_some(),
            s.code_sent.is_some(),
            s.temp_password_expiry.is_some(),
            s.pending_temp_hash.is_some(),
            s.pending_temp_expiry.is_some(),
            s.mail_sent.is_some(),
            s.frozen.is_some(),
            s.frozen_reason.is_some(),
            s.disowned_change.is_some(),
            s.expiry_notice.is_some(),
            s.change_id.is_some(),
        ];
        STATE_ATTRIBUTES
            .iter()
            .zip(present)
            .filter_map(|(a, p)| p.then_some(*a))
            .collect()
    }
}

/// Attribute lookup by case-insensitive name, as LDAP defines it.
struct Attributes(HashMap<String, Vec<String>>);

impl Attributes {
    fn new(raw: HashMap<String, Vec<String>>) -> Self {
        let mut map: HashMap<String, Vec<String>> = HashMap::new();
        for (name, values) in raw {
            map.entry(name.to_ascii_lowercase())
                .or_default()
                .extend(values);
        }
        Self(map)
    }

    fn all(&self, name: &str) -> Vec<String> {
        self.0
            .get(&name.to_ascii_lowercase())
            .cloned()
            .unwrap_or_default()
    }

    fn first(&self, name: &str) -> Option<String> {
        self.0
            .get(&name.to_ascii_lowercase())
            .and_then(|v| v.first().cloned())
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Timelike;

    fn settings() -> LdapSettings {
        LdapSettings {
            recovery_mail_attributes: vec!["supannMailPerso".into()],
            ..LdapSettings::default()
        }
    }

    fn entry(pairs: &[(&str, &[&str])]) -> HashMap<String, Vec<String>> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.iter().map(|s| s.to_string()).collect()))
            .collect()
    }

    #[test]
    fn generalized_time_round_trips_with_microseconds() {
        let t = Utc.with_ymd_and_hms(2026, 11, 23, 9, 5, 7).unwrap()
            + chrono::Duration::microseconds(123_456);
        let text = format_generalized_time(t);
        assert_eq!(text, "20261123090507.123456Z");
        assert_eq!(parse_generalized_time(&text), Some(t));
    }

    #[test]
    fn generalized_time_accepts_openldap_forms() {
        let t = parse_generalized_time("20261123090507Z").unwrap();
        assert_eq!(t, Utc.with_ymd_and_hms(2026, 11, 23, 9, 5, 7).unwrap());
        let t = parse_generalized_time("20261123090507.5Z").unwrap();
        assert_eq!(t.nanosecond(), 500_000_000);
        let t = parse_generalized_time("20261123100507+0100").unwrap();
        assert_eq!(t, Utc.with_ymd_and_hms(2026, 11, 23, 9, 5, 7).unwrap());
        for bad in [
            "",
            "2026",
            "20261323090507Z",
            "20261123090507",
            "20261123090507.Z",
            "2026112309050éZ",
            "20261123090507.1234567890123Z+",
        ] {
            assert_eq!(parse_generalized_time(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_person_is_read_whatever_the_attribute_case() {
        let person = Person::from_entry(
            "uid=jdupont,ou=people,dc=univ-exemple,dc=fr".into(),
            entry(&[
                ("UID", &["jdupont"]),
                ("givenname", &["Jeanne"]),
                ("sn", &["Dupont"]),
                (
                    "supannMailPerso",
                    &["jeanne@example.org", "JEANNE@example.org"],
                ),
                ("mail", &["jeanne.dupont@univ-exemple.fr"]),
                ("schacDateOfBirth", &["20030417"]),
                (
                    "objectClass",
                    &["inetOrgPerson", "SambaSamAccount", "passerelleaccount"],
                ),
                ("pwdReset", &["TRUE"]),
                (
                    "passerelleFailureTime",
                    &["20261123090507.123456Z", "garbage"],
                ),
                ("passerelleCodeTriesLeft", &["3"]),
            ]),
            &settings(),
        );
        assert_eq!(person.login, "jdupont");
        assert_eq!(person.display_name, "Jeanne Dupont");
        assert_eq!(person.recovery_mails, vec!["jeanne@example.org"]);
        assert_eq!(
            person.institutional_mail.as_deref(),
            Some("jeanne.dupont@univ-exemple.fr")
        );
        assert!(person.birth_date_matches(&BirthDate::parse("17/04/2003").unwrap()));
        assert!(!person.birth_date_matches(&BirthDate::parse("18/04/2003").unwrap()));
        assert!(person.is_samba && person.has_gateway_class && !person.is_shadow);
        assert!(person.password_must_change && !person.ppolicy_locked);
        assert_eq!(person.state.failure_times.len(), 1);
        assert_eq!(person.state.code_tries_left, Some(3));
        assert_eq!(person.name_values, vec!["Jeanne", "Dupont"]);
        assert_eq!(
            person.present_state_attributes(),
            vec![ATTR_FAILURE_TIME, ATTR_CODE_TRIES_LEFT]
        );
    }

    #[test]
    fn a_person_without_birth_date_matches_no_birth_date() {
        let person = Person::from_entry(
            "uid=x".into(),
            entry(&[("uid", &["x"]), ("schacDateOfBirth", &["not a date"])]),
            &settings(),
        );
        assert_eq!(person.birth_date, None);
        assert!(!person.birth_date_matches(&BirthDate::parse("01/01/2000").unwrap()));
        assert_eq!(person.display_name, "x");
    }
}
