//! The directory as the domain sees it: this adapter implements the
//! domain's [`passerelle_domain::ports::Directory`] with the operations of
//! the other modules (searches, binds on connections of their own, guarded
//! modifies). It decides nothing.

use super::{Directory, DirectoryError, Person};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use passerelle_domain::identity::{Identifier, MailAddress};
use passerelle_domain::ports::{
    Applied, BindProof, Change, PasswordWrite, PasswordWriteError, PeopleSearch, ReplicaReport,
};
use passerelle_domain::ppolicy::DirectoryPolicy;
use secrecy::SecretString;

#[async_trait]
impl passerelle_domain::ports::Directory for Directory {
    async fn ping(&self) -> Result<(), DirectoryError> {
        Directory::ping(self).await
    }

    async fn find_by_identifier(
        &self,
        identifier: &Identifier,
    ) -> Result<Option<Person>, DirectoryError> {
        self.find_person(identifier).await
    }

    async fn find_by_mail(&self, mail: &MailAddress) -> Result<Option<Person>, DirectoryError> {
        Directory::find_by_mail(self, mail.as_str()).await
    }

    async fn read(&self, dn: &str) -> Result<Option<Person>, DirectoryError> {
        self.read_person(dn).await
    }

    async fn matches(&self, dn: &str, filter: &str) -> Result<bool, DirectoryError> {
        self.entry_matches(dn, filter).await
    }

    async fn read_findable(
        &self,
        dn: &str,
        within: &str,
    ) -> Result<Option<Person>, DirectoryError> {
        self.read_person_within(dn, within).await
    }

    async fn policy(&self, person: &Person) -> Result<DirectoryPolicy, DirectoryError> {
        self.effective_policy(person).await
    }

    async fn apply(&self, person: &Person, changes: &[Change]) -> Result<Applied, DirectoryError> {
        self.apply_state(person, changes).await
    }

    async fn apply_unguarded(
        &self,
        person: &Person,
        changes: &[Change],
    ) -> Result<Applied, DirectoryError> {
        self.apply_state_unguarded(person, changes).await
    }

    async fn bind(
        &self,
        person: &Person,
        password: &SecretString,
    ) -> Result<BindProof, DirectoryError> {
        self.verify_password(person, password).await
    }

    async fn write_password(
        &self,
        person: &Person,
        write: &PasswordWrite<'_>,
    ) -> Result<Option<Person>, PasswordWriteError> {
        self.write_password_guarded(person, write).await
    }

    fn has_replicas(&self) -> bool {
        !self.settings().replica_urls.is_empty()
    }

    async fn confirm_on_replicas(&self, person: &Person, password: &SecretString) -> ReplicaReport {
        Directory::confirm_on_replicas(self, person, password).await
    }

    async fn expired_temporaries(&self, now: DateTime<Utc>) -> Result<Vec<Person>, DirectoryError> {
        Directory::expired_temporaries(self, now).await
    }

    fn own_values(&self) -> passerelle_domain::ports::OwnValues {
        let settings = &self.inner.settings;
        passerelle_domain::ports::OwnValues {
            mail: settings.own_mail_attribute().is_some(),
            mobile: settings.own_mobile_attribute().is_some(),
        }
    }

    async fn apply_as(
        &self,
        agent: &str,
        person: &Person,
        changes: &[Change],
    ) -> Result<Applied, DirectoryError> {
        self.apply_state_as(agent, person, changes).await
    }

    async fn write_password_as(
        &self,
        agent: &str,
        person: &Person,
        write: &PasswordWrite<'_>,
    ) -> Result<(), PasswordWriteError> {
        Directory::write_password_as(self, agent, person, write).await
    }

    async fn member_of(
        &self,
        person: &Person,
        groups: &[String],
    ) -> Result<Vec<String>, DirectoryError> {
        self.groups_holding(person, groups).await
    }

    async fn group_members(
        &self,
        groups: &[String],
    ) -> Result<passerelle_domain::ports::GroupMembers, DirectoryError> {
        self.members_of_groups(groups).await
    }

    async fn search_people(
        &self,
        search: &PeopleSearch,
        within: &str,
        limit: usize,
    ) -> Result<Vec<Person>, DirectoryError> {
        self.people_matching(search, within, limit).await
    }
}
