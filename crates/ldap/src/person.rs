//! A person as the gateway sees their directory entry: names and addresses
//! for the pages and mails, the markers that decide what a password write
//! must carry (Samba, shadow), the directory's own password-policy state, and
//! the gateway's self-service state kept on the entry (`passerelleAccount`).

use crate::settings::LdapSettings;
use chrono::{DateTime, NaiveDate, Utc};
pub use passerelle_domain::generalized_time::{format_generalized_time, parse_generalized_time};
pub use passerelle_domain::person::{GatewayState, Person, ADMINISTRATIVE_LOCK};
use passerelle_domain::ppolicy::{PpolicyLock, PpolicyState};
use std::collections::HashMap;

/// The longest stored number the gateway reads (characters): longer is no
/// phone number.
const MAX_NUMBER_CHARS: usize = 40;

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
/// The last breach notice (`passerelle breach-sweep --notify`):
/// `<list version> <pwdChangedTime>`. Not among [`STATE_ATTRIBUTES`]: only
/// the sweep's notice account reads and writes it.
pub const ATTR_BREACH_NOTICE: &str = "passerelleBreachNotice";
/// The site's mark of an account to be activated (« Activer mon compte »),
/// removed by the activation's write.
pub const ATTR_ACTIVATION_PENDING: &str = "passerelleActivationPending";
/// When the gateway sent this person an SMS, one value each (the per-person
/// cooldown and daily cap on SMS, issue 21).
pub const ATTR_SMS_SENT: &str = "passerelleSmsSentTime";
/// The codes of new recovery values already confirmed, one value each
/// (`<expiry> <keyed hash>`, single use whatever cookie still holds them).
pub const ATTR_RECOVERY_CODE_USED: &str = "passerelleRecoveryCodeUsed";

/// Every state attribute, in the order they are read.
pub(crate) const STATE_ATTRIBUTES: [&str; 19] = [
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
    ATTR_SMS_SENT,
    ATTR_RECOVERY_CODE_USED,
];

/// A person read from a search entry (and what the adapter needs to know
/// of an entry it read).
pub trait EntryPerson {
    /// Builds a person from a search entry's attributes.
    fn from_entry(dn: String, attrs: HashMap<String, Vec<String>>, settings: &LdapSettings)
        -> Self;
    /// The state attributes present on the entry.
    fn present_state_attributes(&self) -> Vec<&'static str>;
}

impl EntryPerson for Person {
    /// Builds a person from a search entry's attributes.
    ///
    /// Every value that reaches a page, a mail or a log is made safe here,
    /// where it enters (see [`passerelle_text::safe_text`]): names and the login lose
    /// control and format characters, become one line and are bounded in
    /// length; a recovery or institutional address that holds such a
    /// character or does not parse as an address is dropped (and logged by
    /// attribute name and DN only), so it is never a recipient. Public so
    /// that tests and tools can read an entry exactly as the gateway does.
    fn from_entry(
        dn: String,
        attrs: HashMap<String, Vec<String>>,
        settings: &LdapSettings,
    ) -> Self {
        use passerelle_text::safe_text::{
            mail_address, single_line, single_line_opt, MAX_LOGIN_CHARS, MAX_NAME_CHARS,
            MAX_QUESTION_CHARS,
        };
        let attrs = Attributes::new(attrs);
        let name = |attribute: &str| {
            attrs
                .first(attribute)
                .and_then(|v| single_line_opt(&v, MAX_NAME_CHARS))
        };
        let login = login_value(
            &dn,
            &settings.login_attribute,
            &attrs.all(&settings.login_attribute),
        )
        .map(|v| single_line(v, MAX_LOGIN_CHARS))
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
        let own_recovery_mail = settings.own_mail_attribute().and_then(|attribute| {
            attrs
                .first(attribute)
                .and_then(|raw| usable_address(attribute, &raw))
        });
        // As stored, one safe line each: the domain reads them with the
        // site's number rules, and never sends to one that is no mobile.
        let number = |raw: &str| single_line_opt(raw, MAX_NUMBER_CHARS);
        let mobiles: Vec<String> = settings
            .mobile_attributes
            .iter()
            .flat_map(|a| attrs.all(a))
            .filter_map(|raw| number(&raw))
            .collect();
        let own_mobile = settings
            .own_mobile_attribute()
            .and_then(|attribute| attrs.first(attribute))
            .and_then(|raw| number(&raw));
        let birth_date = attrs.first(&settings.birth_date_attribute).and_then(|raw| {
            NaiveDate::parse_from_str(raw.trim(), &settings.birth_date_format).ok()
        });
        let name_values = settings
            .name_attributes
            .iter()
            .flat_map(|a| attrs.all(a))
            .filter_map(|v| single_line_opt(&v, MAX_NAME_CHARS))
            .collect();
        // As stored, one safe line each, for the help desk's card.
        let pairs = |names: &[String]| -> Vec<(String, String)> {
            names
                .iter()
                .flat_map(|name| {
                    attrs
                        .all(name)
                        .into_iter()
                        .filter_map(|v| single_line_opt(&v, MAX_NAME_CHARS))
                        .map(|v| (name.clone(), v))
                        .collect::<Vec<_>>()
                })
                .collect()
        };
        let identifiers = pairs(&settings.identifier_attributes);
        let affiliations = pairs(&settings.affiliation_attributes);
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
            breach_notice: attrs.first(ATTR_BREACH_NOTICE),
            change_id: attrs.first(ATTR_CHANGE_ID),
            sms_sent: attrs
                .all(ATTR_SMS_SENT)
                .iter()
                .filter_map(|v| parse_generalized_time(v))
                .collect(),
            recovery_codes_used: attrs.all(ATTR_RECOVERY_CODE_USED),
        };
        let ppolicy = PpolicyState {
            lock: PpolicyLock::parse(attrs.first("pwdAccountLockedTime").as_deref()),
            subentry: attrs.first("pwdPolicySubentry"),
        };
        Self {
            dn,
            institutional_mail,
            own_recovery_mail,
            mobiles,
            own_mobile,
            login,
            given_name,
            sn,
            display_name,
            recovery_mails,
            birth_date,
            is_samba: has_class("sambaSamAccount"),
            is_shadow: has_class("shadowAccount"),
            has_gateway_class: has_class(GATEWAY_CLASS),
            activation_pending: attrs
                .first(ATTR_ACTIVATION_PENDING)
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("TRUE")),
            name_values,
            identifiers,
            affiliations,
            state,
            ppolicy_locked: ppolicy.lock != PpolicyLock::None,
            administratively_locked: ppolicy.lock == PpolicyLock::Administrative,
            ppolicy,
            password_must_change: attrs
                .first("pwdReset")
                .is_some_and(|v| v.eq_ignore_ascii_case("TRUE")),
            pwd_changed_time: attrs.first("pwdChangedTime"),
            // A value that cannot be read stops self-service, as an
            // unreadable pwdAccountLockedTime does: the account may be
            // closed, and only IT can tell.
            pwd_start_time: attrs
                .first("pwdStartTime")
                .map(|v| parse_generalized_time(&v).unwrap_or(DateTime::<Utc>::MAX_UTC)),
            pwd_end_time: attrs
                .first("pwdEndTime")
                .map(|v| parse_generalized_time(&v).unwrap_or(DateTime::<Utc>::UNIX_EPOCH)),
            shadow_expire: attrs
                .first("shadowExpire")
                .and_then(|v| v.trim().parse().ok()),
            version: attrs.first("entryCSN"),
        }
    }

    /// The state attributes present on the entry (lowercase names).
    fn present_state_attributes(&self) -> Vec<&'static str> {
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
            !s.sms_sent.is_empty(),
            !s.recovery_codes_used.is_empty(),
        ];
        STATE_ATTRIBUTES
            .iter()
            .zip(present)
            .filter_map(|(a, p)| p.then_some(*a))
            .collect()
    }
}

/// The login among the values of the login attribute `attribute`, chosen by
/// one documented rule (docs/provisioning.md, "Several values of the
/// login"), never by the order the server happens to return values in: a
/// rename that keeps the former value (`modrdn` with `deleteoldrdn: 0`)
/// leaves two, and the mails must give the current one. The value of the
/// entry's RDN when the RDN names the login attribute and the entry holds
/// that value; otherwise the smallest value in byte order.
fn login_value<'a>(dn: &str, attribute: &str, values: &'a [String]) -> Option<&'a String> {
    let named = first_rdn(dn)
        .into_iter()
        .filter(|(name, _)| name.eq_ignore_ascii_case(attribute))
        .find_map(|(_, value)| {
            values.iter().find(|v| **v == value).or_else(|| {
                values
                    .iter()
                    .find(|v| v.to_lowercase() == value.to_lowercase())
            })
        });
    named.or_else(|| values.iter().min())
}

/// The attribute-value pairs of a DN's first RDN (several when it is
/// multi-valued, `uid=a+cn=b`), with their values unescaped (RFC 4514:
/// `\,` and the other specials, `\XX` hex pairs). Empty when the DN does
/// not parse.
fn first_rdn(dn: &str) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    let mut name = String::new();
    let mut value: Vec<u8> = Vec::new();
    let mut in_value = false;
    let mut chars = dn.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if in_value => {
                let Some(next) = chars.next() else {
                    return Vec::new();
                };
                match (next.to_digit(16), chars.peek().and_then(|c| c.to_digit(16))) {
                    (Some(high), Some(low)) => {
                        chars.next();
                        value.push((high * 16 + low) as u8);
                    }
                    _ => {
                        let mut buffer = [0; 4];
                        value.extend_from_slice(next.encode_utf8(&mut buffer).as_bytes());
                    }
                }
            }
            ',' | ';' | '+' if in_value => {
                let Ok(text) = String::from_utf8(std::mem::take(&mut value)) else {
                    return Vec::new();
                };
                pairs.push((name.trim().to_owned(), text));
                name.clear();
                in_value = false;
                if c != '+' {
                    return pairs;
                }
            }
            '=' if !in_value => in_value = true,
            _ if in_value => {
                let mut buffer = [0; 4];
                value.extend_from_slice(c.encode_utf8(&mut buffer).as_bytes());
            }
            _ => name.push(c),
        }
    }
    if !in_value {
        return Vec::new();
    }
    match String::from_utf8(value) {
        Ok(text) => {
            pairs.push((name.trim().to_owned(), text));
            pairs
        }
        Err(_) => Vec::new(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Timelike, Utc};
    use passerelle_domain::identity::BirthDate;

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
    fn the_login_is_the_rdn_value_then_the_smallest_value() {
        let login = |dn: &str, values: &[&str]| {
            Person::from_entry(dn.into(), entry(&[("uid", values)]), &settings()).login
        };
        // Renamed with the former value kept, whatever order the server
        // returns them in: the RDN's.
        let dn = "uid=mdurand,ou=people,dc=univ-exemple,dc=fr";
        assert_eq!(login(dn, &["mdupont", "mdurand"]), "mdurand");
        assert_eq!(login(dn, &["mdurand", "mdupont"]), "mdurand");
        // The RDN's value as the entry holds it, whatever its case in the DN.
        assert_eq!(
            login("UID=MDurand,ou=people", &["mdupont", "mdurand"]),
            "mdurand"
        );
        // A multi-valued RDN, escaped values.
        assert_eq!(
            login("cn=Marie+uid=mdurand,ou=people", &["mdupont", "mdurand"]),
            "mdurand"
        );
        assert_eq!(login("uid=a\\2Cb,ou=people", &["zz", "a,b"]), "a,b");
        assert_eq!(login("uid=d\\,x,ou=people", &["zz", "d,x"]), "d,x");
        // Another RDN attribute, or an RDN value the entry does not hold:
        // the smallest value in byte order.
        let by_cn = "cn=Marie Durand,ou=people";
        assert_eq!(login(by_cn, &["mdurand", "mdupont"]), "mdupont");
        assert_eq!(login(by_cn, &["mdupont", "mdurand"]), "mdupont");
        assert_eq!(login("uid=other,ou=people", &["b", "a", "c"]), "a");
        assert_eq!(login("uid=x,ou=people", &["Zed", "abc"]), "Zed");
        assert_eq!(login("not a dn", &["b", "a"]), "a");
        assert_eq!(login("uid=x,ou=people", &[]), "");
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

    #[test]
    fn ppolicy_dates_in_every_legal_form_are_read_and_an_unreadable_one_stops_self_service() {
        let read = |end: &str, start: &str| {
            Person::from_entry(
                "uid=x".into(),
                entry(&[
                    ("uid", &["x"]),
                    ("pwdEndTime", &[end]),
                    ("pwdStartTime", &[start]),
                ]),
                &settings(),
            )
        };
        // Minutes without seconds are legal GeneralizedTime (RFC 4517).
        let person = read("202501010000Z", "2025010100Z");
        let new_year = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
        assert_eq!(person.pwd_end_time, Some(new_year));
        assert_eq!(person.pwd_start_time, Some(new_year));
        // Unreadable: closed, and not open yet.
        let person = read("bientôt", "demain");
        let now = Utc::now();
        assert!(person.pwd_end_time.is_some_and(|end| end <= now));
        assert!(person.pwd_start_time.is_some_and(|start| start > now));
    }
}
