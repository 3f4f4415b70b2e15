//! A person as the gateway sees their directory entry: names and addresses
//! for the pages and mails, the markers that decide what a password write
//! must carry (Samba, shadow), the directory's own password-policy state,
//! and the gateway's self-service state kept on the entry. Plain values:
//! the directory adapter reads them from an entry, the domain decides.

use crate::identity::BirthDate;
use crate::ppolicy::PpolicyState;
use chrono::{DateTime, NaiveDate, Utc};

pub use crate::ppolicy::ADMINISTRATIVE_LOCK;

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
    /// When the gateway sent this person an SMS, within the last day or so
    /// (`passerelleSmsSentTime`): the per-person cooldown and daily cap.
    pub sms_sent: Vec<DateTime<Utc>>,
    /// The codes of new recovery values already confirmed, each
    /// `<expiry, Unix seconds> <keyed hash>` until it expires
    /// (`passerelleRecoveryCodeUsed`): a confirmed code is single use,
    /// whatever copy of the flow's cookie still holds it.
    pub recovery_codes_used: Vec<String>,
    /// The last breach notice: `<list version> <pwdChangedTime>` (only
    /// the sweep's notice account reads it).
    pub breach_notice: Option<String>,
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
    /// The recovery address the person manages (« Gérer mon compte »): the
    /// value of the first of `recovery_mail_attributes`, unless that is the
    /// institutional address's attribute. Also in `recovery_mails`.
    pub own_recovery_mail: Option<String>,
    /// Values of `mobile_attributes`, in configured order, as stored (one
    /// safe line each): the SMS port's `mobile` tells which is a
    /// mobile a code may be sent to.
    pub mobiles: Vec<String>,
    /// The mobile the person manages: the value of the first of
    /// `mobile_attributes`, as stored. Also in `mobiles`.
    pub own_mobile: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub is_samba: bool,
    pub is_shadow: bool,
    pub has_gateway_class: bool,
    /// The site's mark of an account to be activated
    /// (`passerelleActivationPending: TRUE`), which the activation removes.
    pub activation_pending: bool,
    /// Values of `name_attributes`, for the "must not contain your name" rule.
    pub name_values: Vec<String>,
    /// `(attribute, value)` of each configured identifier the entry holds
    /// (`ldap.identifier_attributes`), as stored: the help desk's card.
    pub identifiers: Vec<(String, String)>,
    /// `(attribute, value)` of `ldap.affiliation_attributes` (student,
    /// staff, the faculty…): the help desk's card.
    pub affiliations: Vec<(String, String)>,
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
    /// ppolicy's `pwdChangedTime`, raw: with `passerelleChangeId`, what a
    /// proof remembers of the password ([`Person::password_marker`]).
    pub pwd_changed_time: Option<String>,
    /// ppolicy's `pwdStartTime` (OpenLDAP 2.5+): the password may not be
    /// used before it.
    pub pwd_start_time: Option<DateTime<Utc>>,
    /// ppolicy's `pwdEndTime` (OpenLDAP 2.5+): the password may not be
    /// used from it on; the account is closed.
    pub pwd_end_time: Option<DateTime<Utc>>,
    /// `shadowExpire` (RFC 2307): the day, counted from 1970-01-01, from
    /// which the account is expired; absent, 0 or negative: never.
    pub shadow_expire: Option<i64>,
    /// The entry's `entryCSN` when it was read (slapd changes it on every
    /// modify): a state update may start from this reading, guarded by an
    /// assertion on it, instead of reading the entry again.
    pub version: Option<String>,
}

/// What a proof remembers of a person's password: the entry's
/// `pwdChangedTime` (which every writer changes, but in whole seconds) and
/// `passerelleChangeId` (which every write of the gateway changes, whatever
/// the second). A password write that follows a proof goes ahead only while
/// both are still what the proof saw, checked in the write itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PasswordMarker {
    pub changed: Option<String>,
    pub change_id: Option<String>,
}

impl Person {
    /// A person known by their DN alone, every other value empty: what a
    /// step fills in from what it kept (the proof's `Seen`), never an entry
    /// read from the directory.
    pub fn bare(dn: &str) -> Person {
        Person {
            dn: dn.to_owned(),
            login: String::new(),
            given_name: None,
            sn: None,
            display_name: String::new(),
            recovery_mails: Vec::new(),
            institutional_mail: None,
            own_recovery_mail: None,
            mobiles: Vec::new(),
            own_mobile: None,
            birth_date: None,
            is_samba: false,
            is_shadow: false,
            has_gateway_class: false,
            activation_pending: false,
            name_values: Vec::new(),
            identifiers: Vec::new(),
            affiliations: Vec::new(),
            state: GatewayState::default(),
            ppolicy_locked: false,
            administratively_locked: false,
            ppolicy: PpolicyState::default(),
            password_must_change: false,
            pwd_changed_time: None,
            pwd_start_time: None,
            pwd_end_time: None,
            shadow_expire: None,
            version: None,
        }
    }

    /// The person's [`PasswordMarker`] as read.
    pub fn password_marker(&self) -> PasswordMarker {
        PasswordMarker {
            changed: self.pwd_changed_time.clone(),
            change_id: self.state.change_id.clone(),
        }
    }

    /// Where a notice about the account goes when the person asked for
    /// nothing (an expiry notice, a breach notice): their first recovery
    /// address, else their institutional one; `None` when they have neither.
    pub fn notice_address(&self) -> Option<&String> {
        self.recovery_mails
            .first()
            .or(self.institutional_mail.as_ref())
    }

    /// Does the typed birth date match the stored one? A person without a
    /// stored birth date matches nothing.
    pub fn birth_date_matches(&self, typed: &BirthDate) -> bool {
        self.birth_date == Some(typed.date())
    }
}
