//! `[ldap]`: how the gateway reaches the directory, which attributes say
//! who a person is, and the replicas that confirm a write.

use passerelle_domain::identity::IdentifierCase;
use schemars::JsonSchema;
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// How the gateway reaches the directory.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct LdapSettings {
    /// Tried in order; the first that answers is used (failover).
    pub urls: Vec<String>,
    /// Upgrade `ldap://` connections with StartTLS.
    pub starttls: bool,
    /// PEM file of the CA that signed the directory's certificate; the
    /// system roots when absent.
    pub ca_file: Option<PathBuf>,
    /// The gateway's own service account (never the rootdn, never `manage`).
    pub bind_dn: String,
    /// The service account's password, inline (tests); a site uses
    /// `bind_password_file`. Required, in one of the two.
    #[serde(skip_serializing)]
    #[schemars(with = "Option<String>")]
    pub bind_password: Option<SecretString>,
    /// A file holding the service account's password, readable only by the
    /// gateway (a trailing newline is ignored).
    pub bind_password_file: Option<PathBuf>,
    /// Where people are searched.
    pub base_dn: String,
    /// Extra filter every person must match, e.g. `(objectClass=supannPerson)`.
    pub person_filter: String,
    /// Attributes a person may type as their identifier, tried together.
    pub identifier_attributes: Vec<String>,
    /// The case each identifier attribute's values are stored in
    /// (`upper`, `lower` or `exact`), e.g. `{ supannEmpId = "upper" }`:
    /// what a person types is trimmed, put in NFKC form, then put in that
    /// case before the search, so `p4106a` finds `P4106A` in a case-exact
    /// attribute. An attribute not listed takes its built-in case
    /// (supannEmpId and supannCodeINE upper, uid lower, anything else
    /// exact). Names compare
    /// case-insensitively; each must be one of `identifier_attributes`.
    pub identifier_case: BTreeMap<String, IdentifierCase>,
    /// The attribute that holds the login shown in mails. With several
    /// values (a rename that kept the former one), the value of the entry's
    /// RDN, else the smallest in byte order (docs/provisioning.md).
    pub login_attribute: String,
    /// The attribute that holds the birth date a person types to prove who
    /// they are (SCHAC's `schacDateOfBirth`).
    pub birth_date_attribute: String,
    /// chrono format of the stored birth date (`%Y%m%d` for SCHAC).
    pub birth_date_format: String,
    /// Recovery addresses, in order of preference.
    pub recovery_mail_attributes: Vec<String>,
    /// The institutional address, for the optional copy of confirmations.
    pub mail_attribute: String,
    /// Attributes whose values a password must not contain.
    pub name_attributes: Vec<String>,
    /// Attributes the help desk's card shows as the person's affiliation
    /// (status, faculty, department), e.g. `supannEntiteAffectation`.
    pub affiliation_attributes: Vec<String>,
    /// The password policy entry ppolicy applies to people without a
    /// `pwdPolicySubentry` (the overlay's `olcPPolicyDefault`); its numbers
    /// combine with `[policy]`. Empty when the directory has no default.
    pub default_policy_dn: String,
    /// Seconds before a directory operation is given up.
    pub timeout_seconds: u64,
    /// Connections kept open to the directory, bound as the service
    /// account (1 to 256). As many again, at most, are kept for binds as a
    /// person (proving a password), which are never used for anything
    /// else.
    pub pool_size: usize,
    /// Replicas (consumers or other providers) where a new password must
    /// work before a flow says "done": after each password write the
    /// gateway binds as the person with the new password on each of them,
    /// on connections of its own. Empty (the default): no check.
    pub replica_urls: Vec<String>,
    /// How long, in seconds, the success page waits for every replica of
    /// `replica_urls` to accept the new password; a replica still behind
    /// then is reported on the page ("Wi-Fi may take a minute to accept
    /// it") and audited as `replica_lagging`.
    pub replica_wait_seconds: u64,
}

impl Default for LdapSettings {
    fn default() -> Self {
        Self {
            urls: vec!["ldap://127.0.0.1:389".into()],
            starttls: false,
            ca_file: None,
            bind_dn: "cn=passerelle,ou=services,dc=univ-exemple,dc=fr".into(),
            bind_password: None,
            bind_password_file: None,
            base_dn: "ou=people,dc=univ-exemple,dc=fr".into(),
            person_filter: "(objectClass=person)".into(),
            identifier_attributes: vec![
                "uid".into(),
                "supannEtuId".into(),
                "supannCodeINE".into(),
                "supannEmpId".into(),
            ],
            identifier_case: BTreeMap::new(),
            login_attribute: "uid".into(),
            birth_date_attribute: "schacDateOfBirth".into(),
            birth_date_format: "%Y%m%d".into(),
            recovery_mail_attributes: vec!["supannMailPerso".into(), "mail".into()],
            mail_attribute: "mail".into(),
            name_attributes: vec!["givenName".into(), "sn".into()],
            affiliation_attributes: vec!["eduPersonAffiliation".into(), "departmentNumber".into()],
            default_policy_dn: "cn=default,ou=policies,dc=univ-exemple,dc=fr".into(),
            timeout_seconds: 5,
            pool_size: 8,
            replica_urls: Vec::new(),
            replica_wait_seconds: 5,
        }
    }
}

impl LdapSettings {
    /// The case `attribute`'s values are stored in: the site's
    /// `identifier_case` entry for it (its name compared case-insensitively,
    /// as LDAP does and as environment variables need), else the built-in
    /// [`IdentifierCase::default_for`].
    pub fn identifier_case_of(&self, attribute: &str) -> IdentifierCase {
        self.identifier_case
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(attribute))
            .map_or_else(|| IdentifierCase::default_for(attribute), |(_, case)| *case)
    }
}
