//! What the help desk asks of the directory besides what every flow does:
//! which groups hold a person (its agents are a group's members), and the
//! people of an agent's scope that match what the agent typed, or whose
//! account is frozen or locked. Every value that comes from a person or an
//! agent is escaped into the filter ([`ldap3::ldap_escape`]); the scope is
//! the site's configuration. It decides nothing: the scope, the agents and
//! what counts as locked are the domain's.

use super::person::{format_generalized_time, ATTR_FROZEN_TIME, ATTR_LOCKED_UNTIL};
use super::{unexpected_rc, Directory, DirectoryError, EntryPerson, Person};
use ldap3::{ldap_escape, Scope};
use passerelle_domain::ports::{GroupMembers, PeopleSearch};

/// The attributes a name search looks at, by their start.
const NAME_ATTRIBUTES: [&str; 4] = ["cn", "sn", "givenName", "displayName"];

impl Directory {
    /// Which of `groups` hold `person`: as `member` or `uniqueMember` (the
    /// person's DN) or as `memberUid` (their login), one base search of
    /// each group by the service account. A group that does not exist holds
    /// nobody.
    pub async fn groups_holding(
        &self,
        person: &Person,
        groups: &[String],
    ) -> Result<Vec<String>, DirectoryError> {
        let dn = ldap_escape(person.dn.as_str());
        let mut filter = format!("(|(member={dn})(uniqueMember={dn})");
        if !person.login.is_empty() {
            filter.push_str(&format!(
                "(memberUid={})",
                ldap_escape(person.login.as_str())
            ));
        }
        filter.push(')');
        let mut holding = Vec::new();
        for group in groups {
            let (entries, result) = self
                .search(group, Scope::Base, &filter, &["1.1"], 1)
                .await?;
            match result.rc {
                0 if !entries.is_empty() => holding.push(group.clone()),
                0 | 32 => {}
                rc => return Err(unexpected_rc("group", &result, rc)),
            }
        }
        Ok(holding)
    }

    /// The members of `groups`, one base read of each (a group that is gone
    /// holds nobody).
    pub async fn members_of_groups(
        &self,
        groups: &[String],
    ) -> Result<GroupMembers, DirectoryError> {
        let mut members = GroupMembers::default();
        for group in groups {
            let (entries, result) = self
                .search(
                    group,
                    Scope::Base,
                    "(objectClass=*)",
                    &["member", "uniqueMember", "memberUid"],
                    1,
                )
                .await?;
            match result.rc {
                0 => {}
                32 => continue,
                rc => return Err(unexpected_rc("group", &result, rc)),
            }
            for entry in entries {
                for (name, values) in entry.attrs {
                    if name.eq_ignore_ascii_case("memberUid") {
                        members.logins.extend(values);
                    } else {
                        members.dns.extend(values);
                    }
                }
            }
        }
        Ok(members)
    }

    /// At most `limit` people under `ldap.base_dn` who match
    /// `ldap.person_filter`, `within` (a configured filter) and `search`.
    pub async fn people_matching(
        &self,
        search: &PeopleSearch,
        within: &str,
        limit: usize,
    ) -> Result<Vec<Person>, DirectoryError> {
        let what = match search {
            PeopleSearch::Text(text) => self.text_filter(text.as_str(), text.is_address()),
            PeopleSearch::Stopped { now } => format!(
                "(|({ATTR_FROZEN_TIME}=*)({ATTR_LOCKED_UNTIL}>={})(pwdAccountLockedTime=*))",
                format_generalized_time(*now)
            ),
        };
        let filter = format!("(&{}{}{what})", self.inner.person_filter, within.trim());
        let base = self.inner.settings.base_dn.clone();
        let size = i32::try_from(limit.max(1)).unwrap_or(i32::MAX);
        let (entries, result) = self
            .search(
                &base,
                Scope::Subtree,
                &filter,
                &self.inner.person_attributes,
                size,
            )
            .await?;
        // 4: more than `limit`; what was read is what was asked for.
        match result.rc {
            0 | 4 => {}
            rc => return Err(unexpected_rc("search", &result, rc)),
        }
        Ok(entries
            .into_iter()
            .map(|e| Person::from_entry(e.dn, e.attrs, &self.inner.settings))
            .collect())
    }

    /// The person at `dn` if [`Directory::people_matching`] with `within`
    /// could find them: under `ldap.base_dn` (RDN by RDN, never a suffix of
    /// the text), matching `ldap.person_filter` and `within`, in one base
    /// search of the entry; `None` otherwise or when there is no such entry.
    pub async fn read_person_within(
        &self,
        dn: &str,
        within: &str,
    ) -> Result<Option<Person>, DirectoryError> {
        let base = &self.inner.settings.base_dn;
        if !passerelle_domain::dn::is_within(dn, base) {
            return Ok(None);
        }
        let filter = format!("(&{}{})", self.inner.person_filter, within.trim());
        let (entries, result) = self
            .search(dn, Scope::Base, &filter, &self.inner.person_attributes, 1)
            .await?;
        // 32: no such entry; 34: not a DN slapd accepts (an unknown
        // attribute type typed into the form): nobody either.
        match result.rc {
            0 => {}
            32 | 34 => return Ok(None),
            rc => return Err(unexpected_rc("read", &result, rc)),
        }
        // The entry's own DN, as the server spells it, is checked again: an
        // alias dereferenced or a referral is never followed out of the base.
        Ok(entries
            .into_iter()
            .next()
            .filter(|e| passerelle_domain::dn::is_within(&e.dn, base))
            .map(|e| Person::from_entry(e.dn, e.attrs, &self.inner.settings)))
    }

    /// The people `typed` may name: an identifier (each attribute in the
    /// case it stores), an address, or the start of a name; escaped.
    fn text_filter(&self, typed: &str, is_address: bool) -> String {
        let settings = &self.inner.settings;
        let mut alternatives = String::new();
        for attribute in &settings.identifier_attributes {
            let value = settings.identifier_case_of(attribute).apply(typed);
            alternatives.push_str(&format!("({attribute}={})", ldap_escape(value)));
        }
        if is_address {
            let value = ldap_escape(typed);
            for attribute in settings
                .recovery_mail_attributes
                .iter()
                .chain(std::iter::once(&settings.mail_attribute))
            {
                alternatives.push_str(&format!("({attribute}={value})"));
            }
        } else {
            let start = ldap_escape(typed);
            for attribute in NAME_ATTRIBUTES {
                alternatives.push_str(&format!("({attribute}={start}*)"));
            }
        }
        format!("(|{alternatives})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::LdapSettings;
    use secrecy::SecretString;

    fn directory() -> Directory {
        Directory::new(&LdapSettings::default(), SecretString::from("x")).unwrap()
    }

    #[test]
    fn what_an_agent_types_finds_itself_and_nothing_more() {
        let filter = directory().text_filter("*)(uid=*", false);
        assert!(filter.contains(r"(uid=\2a\29\28uid=\2a)"), "{filter}");
        assert!(filter.contains(r"(sn=\2a\29\28uid=\2a*)"), "{filter}");
        assert!(ldap3::parse_filter(&filter).is_ok(), "{filter}");
        let filter = directory().text_filter(r"a\b", false);
        assert!(filter.contains(r"(cn=a\5cb*)"), "{filter}");
    }

    #[test]
    fn an_address_is_looked_up_whole_and_an_identifier_in_its_case() {
        let filter = directory().text_filter("jean@example.org", true);
        assert!(
            filter.contains("(supannMailPerso=jean@example.org)"),
            "{filter}"
        );
        assert!(filter.contains("(mail=jean@example.org)"), "{filter}");
        assert!(!filter.contains("(sn="), "{filter}");
        let filter = directory().text_filter("p4106a", false);
        assert!(filter.contains("(supannEmpId=P4106A)"), "{filter}");
        assert!(filter.contains("(uid=p4106a)"), "{filter}");
    }
}
