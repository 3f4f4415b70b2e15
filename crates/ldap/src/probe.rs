//! What `passerelle check` asks the directory before a site goes live: the
//! subschema (are the configured attributes and `passerelleAccount` known?),
//! whether the password-policy overlay answers its control, and the service
//! account's effective rights on `userPassword` (it must write without
//! reading). Nothing here changes an entry.
//!
//! How the rights are measured (slapd 2.5.13, the ACLs of `config/ldap`
//! varied between `=w`, `write`, `read` and `none`):
//! - Write: the gateway's real password modify of one person
//!   ([`super::password::password_mods`], a random password) sent with the
//!   No-Op control (`1.3.6.1.4.1.4203.666.5.2`, critical; what
//!   `ldapmodify -e !noop` sends): slapd runs the
//!   whole operation, ppolicy and access rules included, then aborts it and
//!   answers `noOperation` (16654) when it would have been applied, or
//!   `insufficientAccess` (50) when not. The entry's `entryCSN` does not
//!   move. slapd does not advertise the control but honours it; a server
//!   that does not know it must refuse a critical control (rc 12), and the
//!   probe then deletes a `userPassword` value that cannot exist: rc 16
//!   (no such value) is only reached after the access check passed, rc 50
//!   means no write access. An assertion that cannot match (RFC 4528) does
//!   NOT work: slapd evaluates it before the access rules and answers
//!   `assertionFailed` (122) whatever the rights.
//! - Read: a search for `(userPassword=*)` asking for `userPassword`. With
//!   `=w` nothing matches (the filter needs search access) and no value
//!   comes back; with `read`, `write` or `manage` the values come back.

use super::error::DirectoryError;
use super::password::password_mods;
use super::person::EntryPerson;
use super::person::Person;
use super::{unexpected_rc, Directory, WriteKind};
use chrono::Utc;
use ldap3::controls::RawControl;
use ldap3::{Mod, Scope};
use rand::distributions::{Alphanumeric, DistString};
use secrecy::SecretString;
use std::collections::HashSet;

/// The attributes of `passerelleAccount` the gateway reads and writes.
pub const GATEWAY_STATE_ATTRIBUTES: [&str; super::person::STATE_ATTRIBUTES.len()] =
    super::person::STATE_ATTRIBUTES;

/// OID of OpenLDAP's No-Op control.
const NO_OP_OID: &str = "1.3.6.1.4.1.4203.666.5.2";
/// The result code of an operation the No-Op control stopped.
const NO_OPERATION: u32 = 16654;

/// The attribute types and object classes a directory's subschema lists,
/// by every name and OID, lower-cased.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Subschema {
    attribute_types: HashSet<String>,
    object_classes: HashSet<String>,
}

impl Subschema {
    /// Builds it from the values of `attributeTypes` and `objectClasses`
    /// (RFC 4512 definitions).
    pub fn from_definitions<'a>(
        attribute_types: impl IntoIterator<Item = &'a str>,
        object_classes: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        let names = |definitions: &mut dyn Iterator<Item = &'a str>| {
            definitions
                .flat_map(definition_names)
                .map(|n| n.to_ascii_lowercase())
                .collect()
        };
        Self {
            attribute_types: names(&mut attribute_types.into_iter()),
            object_classes: names(&mut object_classes.into_iter()),
        }
    }

    /// Whether the attribute description `name` (options such as `;lang-fr`
    /// ignored) is a known attribute type.
    pub fn has_attribute(&self, name: &str) -> bool {
        let base = name.split(';').next().unwrap_or(name);
        self.attribute_types.contains(&base.to_ascii_lowercase())
    }

    pub fn has_object_class(&self, name: &str) -> bool {
        self.object_classes.contains(&name.to_ascii_lowercase())
    }
}

/// The OID and the names of one schema definition:
/// `( 2.5.4.3 NAME ( 'cn' 'commonName' ) DESC … )`.
fn definition_names(definition: &str) -> Vec<String> {
    let spaced = definition.replace('(', " ( ").replace(')', " ) ");
    let mut tokens = spaced.split_whitespace();
    let mut names = Vec::new();
    if tokens.next() != Some("(") {
        return names;
    }
    if let Some(oid) = tokens.next() {
        names.push(oid.to_owned());
    }
    if tokens.next() != Some("NAME") {
        return names;
    }
    match tokens.next() {
        Some("(") => {
            for token in tokens.by_ref() {
                if token == ")" {
                    break;
                }
                names.push(token.trim_matches('\'').to_owned());
            }
        }
        Some(name) => names.push(name.trim_matches('\'').to_owned()),
        None => {}
    }
    names
}

/// Whether the service account holds a right, as far as the directory let
/// it be measured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Right {
    Granted,
    Refused,
    /// Neither probe gave a clear answer; the result code says why.
    Unknown(String),
}

/// The service account's rights on people's passwords, measured on one
/// person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordRights {
    /// The person the write was tried on.
    pub person: String,
    /// Whether the gateway's password write would be applied.
    pub write: Right,
    /// How the write was measured ("No-Op control" or "deleting an absent
    /// value").
    pub write_method: &'static str,
    /// An entry whose `userPassword` the service account could see (the
    /// values came back) or search (the filter matched): it must not.
    pub readable_on: Option<String>,
}

impl Directory {
    /// The subschema the root DSE names (`subschemaSubentry`, usually
    /// `cn=Subschema`), read by the service account.
    pub async fn subschema(&self) -> Result<Subschema, DirectoryError> {
        let (root, result) = self
            .search(
                "",
                Scope::Base,
                "(objectClass=*)",
                &["subschemaSubentry"],
                1,
            )
            .await?;
        if result.rc != 0 {
            return Err(unexpected_rc("root DSE", &result, result.rc));
        }
        let base = root
            .first()
            .and_then(|e| {
                e.attrs
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case("subschemaSubentry"))
            })
            .and_then(|(_, v)| v.first().cloned())
            .unwrap_or_else(|| "cn=Subschema".to_owned());
        let (entries, result) = self
            .search(
                &base,
                Scope::Base,
                "(objectClass=subschema)",
                &["attributeTypes", "objectClasses"],
                1,
            )
            .await?;
        if result.rc != 0 {
            return Err(unexpected_rc("subschema", &result, result.rc));
        }
        let Some(entry) = entries.into_iter().next() else {
            return Err(anyhow::anyhow!("the subschema {base} is not readable").into());
        };
        let values = |name: &str| -> Vec<String> {
            entry
                .attrs
                .iter()
                .filter(|(k, _)| k.eq_ignore_ascii_case(name))
                .flat_map(|(_, v)| v.iter().cloned())
                .collect()
        };
        let (types, classes) = (values("attributeTypes"), values("objectClasses"));
        Ok(Subschema::from_definitions(
            types.iter().map(String::as_str),
            classes.iter().map(String::as_str),
        ))
    }

    /// Binds the service account with the password-policy request control
    /// on a connection of its own: whether the bind succeeded with the
    /// response control (the overlay is there and answers), or its result
    /// code when it did not succeed.
    pub async fn ppolicy_answers_bind(&self) -> Result<Result<bool, u32>, DirectoryError> {
        let bind = self
            .inner
            .pool
            .bind_service_with(vec![super::ppolicy::request_control()])
            .await?;
        if bind.rc != 0 {
            return Ok(Err(bind.rc));
        }
        Ok(Ok(super::ppolicy::find_response(&bind.ctrls).is_some()))
    }

    /// The first person under `base_dn` that matches `person_filter`.
    pub async fn any_person(&self) -> Result<Option<Person>, DirectoryError> {
        let base = self.inner.settings.base_dn.clone();
        let (entries, result) = self
            .search(
                &base,
                Scope::Subtree,
                &self.inner.person_filter,
                &self.inner.person_attributes,
                1,
            )
            .await?;
        match result.rc {
            0 | 4 => {}
            rc => return Err(unexpected_rc("search", &result, rc)),
        }
        Ok(entries
            .into_iter()
            .next()
            .map(|e| Person::from_entry(e.dn, e.attrs, &self.inner.settings)))
    }

    /// Measures the service account's rights on `userPassword` (see the
    /// module documentation). `person` is the entry the write is tried on;
    /// nothing is changed.
    pub async fn password_rights(&self, person: &Person) -> Result<PasswordRights, DirectoryError> {
        let readable_on = self.password_visible(person).await?;
        // Random, long and of every class, so ppolicy's quality check
        // passes and the access rules decide.
        let password = SecretString::from(format!(
            "Pc-{}-7!",
            Alphanumeric.sample_string(&mut rand::thread_rng(), 28)
        ));
        let write = passerelle_domain::ports::PasswordWrite {
            password: &password,
            kind: WriteKind::Chosen,
            change_id: passerelle_domain::writing::random_change_id(),
            also: Vec::new(),
            old_password: None,
        };
        let mods = password_mods(person, &write, Utc::now());
        let no_op = RawControl {
            ctype: NO_OP_OID.to_owned(),
            crit: true,
            val: None,
        };
        let result = self.modify_with(&person.dn, mods, vec![no_op]).await?;
        let (write, write_method) = match result.rc {
            NO_OPERATION => (Right::Granted, "the No-Op control"),
            50 => (Right::Refused, "the No-Op control"),
            no_op_rc => {
                tracing::debug!(rc = no_op_rc, text = %result.text, "the No-Op probe was not conclusive");
                let absent = format!(
                    "{{X-PASSERELLE-CHECK}}{}",
                    Alphanumeric.sample_string(&mut rand::thread_rng(), 32)
                );
                let delete = Mod::Delete("userPassword".to_owned(), HashSet::from([absent]));
                let result = self
                    .modify_with(&person.dn, vec![delete], Vec::new())
                    .await?;
                let right = match result.rc {
                    16 => Right::Granted,
                    50 => Right::Refused,
                    rc => Right::Unknown(format!("rc {rc} {}", result.text.trim())),
                };
                (right, "deleting a userPassword value that cannot exist")
            }
        };
        Ok(PasswordRights {
            person: person.dn.clone(),
            write,
            write_method,
            readable_on,
        })
    }

    /// The people under `base_dn` (`person_filter`) that also match
    /// `filter`, as the service account sees them, read in pages of 500 as
    /// [`Directory::people_with_password`] does: how many, and the DNs of
    /// the first `sample` (for a report).
    pub async fn count_people_matching(
        &self,
        filter: &str,
        sample: usize,
    ) -> Result<(usize, Vec<String>), DirectoryError> {
        use ldap3::adapters::{Adapter, EntriesOnly, PagedResults};
        let filter = format!("(&{}{filter})", self.inner.person_filter);
        let base = self.inner.settings.base_dn.clone();
        let limit = self
            .inner
            .pool
            .timeout()
            .max(std::time::Duration::from_secs(60))
            * 10;
        let (count, dns, result) = self
            .run_within("search", limit, move |mut ldap| async move {
                let adapters: Vec<Box<dyn Adapter<'_, &str, Vec<&str>>>> = vec![
                    Box::new(EntriesOnly::new()),
                    Box::new(PagedResults::new(500)),
                ];
                let mut stream = ldap
                    .streaming_search_with(adapters, &base, Scope::Subtree, &filter, vec!["1.1"])
                    .await?;
                let (mut count, mut dns) = (0, Vec::new());
                while let Some(entry) = stream.next().await? {
                    count += 1;
                    if dns.len() < sample {
                        dns.push(ldap3::SearchEntry::construct(entry).dn);
                    }
                }
                let result = stream.finish().await;
                Ok((count, dns, result))
            })
            .await
            .map_err(|(e, _)| e)?;
        match result.rc {
            0 => Ok((count, dns)),
            // A size limit the paged search may not pass: at least `count`.
            4 => {
                tracing::warn!(read = count, "the count of people ended at the size limit");
                Ok((count, dns))
            }
            rc => Err(unexpected_rc("search", &result, rc)),
        }
    }

    /// Binds the service account with the password-policy control on a
    /// connection of its own: the bind's result code and what the policy
    /// said of the account's own password (locked, expired, to be changed
    /// after a reset, or expiring), for `passerelle check` to name.
    pub async fn service_account_bind(
        &self,
    ) -> Result<(u32, Option<super::ppolicy::PpolicyResponse>), DirectoryError> {
        let bind = self
            .inner
            .pool
            .bind_service_with(vec![super::ppolicy::request_control()])
            .await?;
        Ok((bind.rc, super::ppolicy::find_response(&bind.ctrls)))
    }

    /// An entry whose `userPassword` the service account can search or
    /// read: the first person with one under `base_dn`, else `person`
    /// itself if its values come back.
    async fn password_visible(&self, person: &Person) -> Result<Option<String>, DirectoryError> {
        let base = self.inner.settings.base_dn.clone();
        let filter = format!("(&{}(userPassword=*))", self.inner.person_filter);
        let (entries, result) = self
            .search(&base, Scope::Subtree, &filter, &["userPassword"], 1)
            .await?;
        match result.rc {
            0 | 4 => {}
            rc => return Err(unexpected_rc("search", &result, rc)),
        }
        if let Some(entry) = entries.into_iter().next() {
            return Ok(Some(entry.dn));
        }
        let (entries, result) = self
            .search(
                &person.dn,
                Scope::Base,
                "(objectClass=*)",
                &["userPassword"],
                1,
            )
            .await?;
        match result.rc {
            0 | 32 => {}
            rc => return Err(unexpected_rc("read", &result, rc)),
        }
        Ok(entries
            .into_iter()
            .find(|e| {
                e.attrs
                    .iter()
                    .any(|(k, v)| k.eq_ignore_ascii_case("userPassword") && !v.is_empty())
                    || e.bin_attrs
                        .iter()
                        .any(|(k, v)| k.eq_ignore_ascii_case("userPassword") && !v.is_empty())
            })
            .map(|e| e.dn))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_definitions_give_their_oid_and_every_name() {
        assert_eq!(
            definition_names(
                "( 2.5.4.3 NAME ( 'cn' 'commonName' ) DESC 'RFC4519: (a) name' SUP name )"
            ),
            ["2.5.4.3", "cn", "commonName"]
        );
        assert_eq!(
            definition_names(
                "( 1.3.6.1.4.1.25178.1.2.3 NAME 'schacDateOfBirth' EQUALITY numericStringMatch )"
            ),
            ["1.3.6.1.4.1.25178.1.2.3", "schacDateOfBirth"]
        );
        let schema = Subschema::from_definitions(
            ["( 2.5.4.3 NAME ( 'cn' 'commonName' ) )"],
            ["( 2.25.1 NAME 'passerelleAccount' AUXILIARY )"],
        );
        assert!(schema.has_attribute("CN;lang-fr"));
        assert!(schema.has_attribute("2.5.4.3"));
        assert!(!schema.has_attribute("supannEtuId"));
        assert!(schema.has_object_class("PASSERELLEACCOUNT"));
    }
}
