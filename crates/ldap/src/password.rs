//! Proving a password (a bind as the person on a connection of its own) and
//! writing a new one (one modify by the service account that carries
//! everything that must change together).

use super::error::{classify, rc_means_unavailable, DirectoryError, PasswordWriteError};
use super::nthash::nt_hash;
use super::person::EntryPerson;
use super::person::{
    format_generalized_time, Person, ATTR_PENDING_TEMP_EXPIRY, ATTR_TEMP_PASSWORD_EXPIRY,
    GATEWAY_CLASS,
};
use super::ppolicy::{self, PpolicyError};
use super::{add_value, remove, replace, Directory};
use chrono::{DateTime, Utc};
use ldap3::{LdapResult, Mod};
use passerelle_domain::ports::PasswordWrite;
use passerelle_text::normalize_password;
use secrecy::{ExposeSecret, SecretString};
use std::collections::HashSet;

/// Entries one sweep retires at most; the next sweep takes the rest.
const RETIRE_BATCH: i32 = 250;

pub use passerelle_domain::ports::{BindProof, WriteKind};

impl Directory {
    /// Proves `password` with a simple bind as the person, on a connection
    /// used for nothing but such binds (`pool::person_binds`: kept for the
    /// next bind once answered, never lent to the service account's
    /// searches and writes). The password is
    /// bound in its NFC form ([`normalize_password`]), the form
    /// [`Directory::write_password`] writes.
    pub async fn verify_password(
        &self,
        person: &Person,
        password: &SecretString,
    ) -> Result<BindProof, DirectoryError> {
        self.verify_password_dn(&person.dn, password).await
    }

    /// [`Directory::verify_password`] for a DN.
    pub async fn verify_password_dn(
        &self,
        dn: &str,
        password: &SecretString,
    ) -> Result<BindProof, DirectoryError> {
        // An empty password makes a simple bind "unauthenticated", which
        // LDAP servers answer with success: never let it prove anything.
        if password.expose_secret().is_empty() || dn.is_empty() {
            return Ok(BindProof::Invalid);
        }
        let password = normalize_password(password);
        let mut connection = self.inner.pool.bind_connection().await?;
        let bind = loop {
            let started = std::time::Instant::now();
            let bind = tokio::time::timeout(
                self.inner.pool.timeout(),
                connection
                    .ldap()
                    .with_controls(ppolicy::request_control())
                    .simple_bind(dn, password.expose_secret()),
            )
            .await;
            self.inner
                .pool
                .metrics()
                .operation("bind", super::metrics::result_of(&bind), started);
            // A kept connection the server closed meanwhile: the bind never
            // left, so it is sent once more, on a new connection.
            if connection.reused() && matches!(bind, Ok(Err(ldap3::LdapError::OpSend { .. }))) {
                connection = self.inner.pool.new_bind_connection().await?;
                continue;
            }
            break bind;
        };
        let bind = bind
            .map_err(|_| DirectoryError::Timeout)?
            .map_err(classify)?;
        let policy = ppolicy::find_response(&bind.ctrls).and_then(|r| r.error);
        // Answered: the connection serves the next bind as a person.
        if matches!(bind.rc, 0 | 49 | 50 | 53) {
            connection.keep();
        }
        Ok(match (bind.rc, policy) {
            (0, Some(PpolicyError::ChangeAfterReset)) => BindProof::MustChange,
            (0, Some(PpolicyError::PasswordExpired)) => BindProof::Expired,
            (0, _) => BindProof::Valid,
            (_, Some(PpolicyError::AccountLocked)) => BindProof::Locked,
            (_, Some(PpolicyError::PasswordExpired)) => BindProof::Expired,
            (49 | 50 | 53, _) => BindProof::Invalid,
            (rc, _) if rc_means_unavailable(rc) => return Err(DirectoryError::Unavailable),
            (rc, _) => {
                return Err(
                    anyhow::anyhow!("bind as a person failed: rc {rc} ({})", bind.text).into(),
                )
            }
        })
    }

    /// Writes a password in ONE modify of the entry `person` was read
    /// from, so that LDAP binds, Wi-Fi and the gateway's own state change
    /// together or not at all: the password (cleartext: the server's
    /// ppolicy checks quality and history, then hashes it), the NT hash, the
    /// shadow and Samba dates, `write.also` and the change id. Applied only
    /// if the entry is still at `person.version` (the assertion control on
    /// `entryCSN`): otherwise [`PasswordWriteError::Raced`], nothing
    /// written. Refusals come back typed from the ppolicy response control.
    /// The password must already be in NFC (the domain's
    /// `normalize_password`), the form it is bound with.
    pub async fn write_password_guarded(
        &self,
        person: &Person,
        write: &PasswordWrite<'_>,
    ) -> Result<Option<Person>, PasswordWriteError> {
        self.write_password_with(person, write, None).await
    }

    /// [`Directory::write_password_guarded`] with the rights of the
    /// help-desk agent at `agent`: the modify carries the Proxied
    /// Authorization control (RFC 4370, `dn:<agent>`), so slapd decides it
    /// with the agent's access rules; its refusal (rc 50, or rc 123 when
    /// the service account may not act for them) is
    /// [`DirectoryError::Forbidden`]. No post-read control: the agent's
    /// rights are write-only, and what it would read is theirs to decide.
    pub async fn write_password_as(
        &self,
        agent: &str,
        person: &Person,
        write: &PasswordWrite<'_>,
    ) -> Result<(), PasswordWriteError> {
        self.write_password_with(person, write, Some(agent))
            .await
            .map(drop)
    }

    async fn write_password_with(
        &self,
        person: &Person,
        write: &PasswordWrite<'_>,
        agent: Option<&str>,
    ) -> Result<Option<Person>, PasswordWriteError> {
        let mut mods = password_mods(person, write, Utc::now());
        mods.extend(super::state::own_value_mods(
            &write.also,
            &self.inner.settings,
        ));
        let mut controls = vec![ppolicy::request_control()];
        match agent {
            Some(agent) => controls.push(super::proxied_authorization(agent)),
            None => controls.push(super::post_read::request(&self.inner.person_attributes)),
        }
        if let Some(csn) = person.version.as_deref() {
            controls.push(super::assertion_control(&format!(
                "({}={})",
                super::ENTRY_CSN,
                ldap3::ldap_escape(csn)
            ))?);
        }
        let started = std::time::Instant::now();
        let result = match self.modify_with(&person.dn, mods, controls).await {
            Ok(result) => result,
            // A write whose answer was lost may still have been applied
            // (ldap3 cannot tell): the entry's change id says whether this
            // very write is the one stored.
            Err(error @ (DirectoryError::Timeout | DirectoryError::Unavailable)) => {
                return match self.read_person(&person.dn).await {
                    Ok(Some(after))
                        if after.state.change_id.as_deref() == Some(write.change_id.as_str()) =>
                    {
                        tracing::warn!(%error, "password write lost its answer but was applied");
                        Ok(Some(after))
                    }
                    _ => Err(error.into()),
                };
            }
            Err(error) => return Err(error.into()),
        };
        tracing::debug!(
            elapsed_ms = started.elapsed().as_millis() as u64,
            "password write"
        );
        if agent.is_some() && super::forbidden(result.rc) {
            tracing::info!(rc = result.rc, text = %result.text, "a help-desk password write was refused to the agent");
            return Err(DirectoryError::Forbidden.into());
        }
        match interpret_write(&result) {
            Ok(()) => Ok(super::post_read::find_entry(&result.ctrls)
                .map(|(dn, attrs)| Person::from_entry(dn, attrs, &self.inner.settings))),
            // The entry changed since it was read (rc 122), or a concurrent
            // write by another replica tripped ppolicy over pwdHistory
            // (rc 16: a value already gone; rc 20: both pushed the same old
            // password with the same timestamp; measured): nothing written.
            Err(PasswordWriteError::Rejected(super::state::ASSERTION_FAILED | 16 | 20)) => {
                tracing::debug!(rc = result.rc, "password write raced");
                Err(PasswordWriteError::Raced)
            }
            Err(error) => {
                tracing::info!(rc = result.rc, text = %result.text, %error, "password write refused");
                Err(error)
            }
        }
    }
}

impl Directory {
    /// People whose temporary password expired at or before `now`: written
    /// into `userPassword` (`passerelleTempPasswordExpiry`, to be retired)
    /// or held as a hash (`passerelleTempPasswordHashExpiry`, to be
    /// removed). One batch of at most [`RETIRE_BATCH`] each.
    pub async fn expired_temporaries(
        &self,
        now: DateTime<Utc>,
    ) -> Result<Vec<Person>, DirectoryError> {
        let now = format_generalized_time(now);
        // Each inequality with its presence, so that the presence indexes
        // (config/ldap) narrow the candidates to the entries holding one.
        let filter = format!(
            "(&{}(|(&({ATTR_TEMP_PASSWORD_EXPIRY}=*)({ATTR_TEMP_PASSWORD_EXPIRY}<={now}))\
             (&({ATTR_PENDING_TEMP_EXPIRY}=*)({ATTR_PENDING_TEMP_EXPIRY}<={now}))))",
            self.inner.person_filter
        );
        let base = self.inner.settings.base_dn.clone();
        let (entries, result) = self
            .search(
                &base,
                ldap3::Scope::Subtree,
                &filter,
                &self.inner.person_attributes,
                RETIRE_BATCH * 2,
            )
            .await?;
        if !matches!(result.rc, 0 | 4) {
            return Err(super::unexpected_rc("search", &result, result.rc));
        }
        Ok(entries
            .into_iter()
            .map(|entry| Person::from_entry(entry.dn, entry.attrs, &self.inner.settings))
            .collect())
    }
}

/// The modifications of one password write.
pub(super) fn password_mods(
    entry: &Person,
    write: &PasswordWrite<'_>,
    now: DateTime<Utc>,
) -> Vec<Mod<String>> {
    let password = write.password;
    let kind = write.kind;
    let mut mods = match write.old_password {
        // A policy with pwdSafeModify: the current password is deleted by
        // value (ppolicy checks it) and the new one added, in this modify.
        Some(old) => vec![
            Mod::Delete(
                "userPassword".to_owned(),
                HashSet::from([old.expose_secret().to_owned()]),
            ),
            Mod::Add(
                "userPassword".to_owned(),
                HashSet::from([password.expose_secret().to_owned()]),
            ),
        ],
        None => vec![replace("userPassword", password.expose_secret())],
    };
    if entry.is_samba {
        match kind {
            WriteKind::Chosen => mods.push(replace("sambaNTPassword", nt_hash(password))),
            // Wi-Fi must not accept a temporary password: it was sent by
            // mail and is only meant to open the gateway so the person
            // chooses their own. The NT hash is removed (not replaced by the
            // temporary one, and not left at the old password either, which
            // the reset is meant to retire), so MSCHAPv2 refuses everything
            // until the person's own password is written.
            WriteKind::Temporary { .. } | WriteKind::Retired => {
                mods.push(remove("sambaNTPassword"))
            }
        }
        // An LM hash left from an older tool would keep the retired password
        // alive for LM authentication (and is crackable in minutes): it goes
        // in the same modify. Replacing with no value is no error when absent.
        mods.push(remove("sambaLMPassword"));
        mods.push(replace("sambaPwdLastSet", now.timestamp().to_string()));
    }
    if entry.is_shadow {
        mods.push(replace(
            "shadowLastChange",
            now.timestamp().div_euclid(86_400).to_string(),
        ));
    }
    // The state changes, without the class (added below in any case).
    let state = super::state::state_mods(
        &Person {
            has_gateway_class: true,
            ..entry.clone()
        },
        &write.also,
    );
    mods.extend(state);
    if kind == WriteKind::Retired {
        mods.push(replace("pwdReset", "TRUE"));
    }
    if !entry.has_gateway_class {
        mods.push(add_value("objectClass", GATEWAY_CLASS));
    }
    // Names this one write (pwdChangedTime only counts seconds), so that a
    // « Ce n'était pas moi » link is void after any later write, and a
    // flow recognises its own write.
    mods.push(replace(
        super::person::ATTR_CHANGE_ID,
        write.change_id.as_str(),
    ));
    if let WriteKind::Temporary { expires } = kind {
        // Written by the service account, ppolicy would not set pwdReset by
        // itself; setting it here forces the change at the next bind.
        mods.push(replace("pwdReset", "TRUE"));
        mods.push(replace(
            ATTR_TEMP_PASSWORD_EXPIRY,
            format_generalized_time(expires),
        ));
    }
    mods
}

fn interpret_write(result: &LdapResult) -> Result<(), PasswordWriteError> {
    if result.rc == 0 {
        return Ok(());
    }
    if let Some(error) = ppolicy::find_response(&result.ctrls).and_then(|r| r.error) {
        return Err(match error {
            PpolicyError::PasswordExpired => PasswordWriteError::Expired,
            PpolicyError::AccountLocked => PasswordWriteError::Locked,
            PpolicyError::ChangeAfterReset => PasswordWriteError::ChangeAfterReset,
            PpolicyError::PasswordModNotAllowed => PasswordWriteError::ModNotAllowed,
            PpolicyError::MustSupplyOldPassword => PasswordWriteError::MustSupplyOldPassword,
            PpolicyError::InsufficientPasswordQuality => PasswordWriteError::InsufficientQuality,
            PpolicyError::PasswordTooShort => PasswordWriteError::TooShort,
            PpolicyError::PasswordTooYoung => PasswordWriteError::TooYoung,
            PpolicyError::PasswordInHistory => PasswordWriteError::InHistory,
            PpolicyError::PasswordTooLong => PasswordWriteError::TooLong,
            PpolicyError::Other(_) => PasswordWriteError::Rejected(result.rc),
        });
    }
    match result.rc {
        rc if rc_means_unavailable(rc) => Err(DirectoryError::Unavailable.into()),
        // Insufficient access is a deployment error (ACL), not the person's.
        50 => Err(DirectoryError::Unexpected(anyhow::anyhow!(
            "the service account may not write this entry: {}",
            result.text
        ))
        .into()),
        rc => Err(PasswordWriteError::Rejected(rc)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::person::GatewayState;
    use chrono::TimeZone;
    use std::collections::HashSet;

    fn person(samba: bool, shadow: bool, class: bool, state: GatewayState) -> Person {
        Person {
            login: "t".into(),
            display_name: "t".into(),
            is_samba: samba,
            is_shadow: shadow,
            has_gateway_class: class,
            state,
            ..Person::bare("uid=t,ou=people")
        }
    }

    /// A write of `password` with what a new password makes obsolete.
    fn write(password: &SecretString, kind: WriteKind) -> PasswordWrite<'_> {
        PasswordWrite {
            password,
            kind,
            change_id: "c0ffee".into(),
            also: passerelle_domain::writing::made_obsolete(kind),
            old_password: None,
        }
    }

    fn find<'a>(mods: &'a [Mod<String>], attr: &str) -> Option<&'a Mod<String>> {
        mods.iter().find(|m| match m {
            Mod::Add(a, _) | Mod::Delete(a, _) | Mod::Replace(a, _) => a == attr,
            Mod::Increment(a, _) => a == attr,
        })
    }

    fn values(m: Option<&Mod<String>>) -> Option<HashSet<String>> {
        match m? {
            Mod::Replace(_, v) | Mod::Add(_, v) | Mod::Delete(_, v) => Some(v.clone()),
            Mod::Increment(..) => None,
        }
    }

    #[test]
    fn a_chosen_password_carries_nt_hash_dates_and_clears_pending_state() {
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap();
        let state = GatewayState {
            question: Some("q".into()),
            code_hash: Some("ab".into()),
            failure_times: vec![now],
            ..GatewayState::default()
        };
        let mods = password_mods(
            &person(true, true, true, state),
            &write(&SecretString::from("password"), WriteKind::Chosen),
            now,
        );
        assert_eq!(
            values(find(&mods, "sambaNTPassword")),
            Some(HashSet::from([
                "8846F7EAEE8FB117AD06BDD830B7586C".to_string()
            ]))
        );
        assert_eq!(
            values(find(&mods, "sambaPwdLastSet")),
            Some(HashSet::from([now.timestamp().to_string()]))
        );
        assert_eq!(
            values(find(&mods, "shadowLastChange")),
            Some(HashSet::from(["20780".to_string()]))
        );
        assert_eq!(
            values(find(&mods, "passerelleCodeHash")),
            Some(HashSet::new())
        );
        assert_eq!(
            values(find(&mods, "passerelleFailureTime")),
            Some(HashSet::new())
        );
        assert!(
            find(&mods, "passerelleQuestion").is_none(),
            "the secret question stays"
        );
        assert!(find(&mods, "pwdReset").is_none());
        assert!(find(&mods, "objectClass").is_none());
    }

    #[test]
    fn a_temporary_password_never_reaches_wifi() {
        let now = Utc::now();
        let expires = now + chrono::Duration::hours(24);
        let mods = password_mods(
            &person(true, false, false, GatewayState::default()),
            &write(
                &SecretString::from("Temp-1234"),
                WriteKind::Temporary { expires },
            ),
            now,
        );
        assert_eq!(values(find(&mods, "sambaNTPassword")), Some(HashSet::new()));
        assert_eq!(
            values(find(&mods, "pwdReset")),
            Some(HashSet::from(["TRUE".to_string()]))
        );
        assert_eq!(
            values(find(&mods, "passerelleTempPasswordExpiry")),
            Some(HashSet::from([format_generalized_time(expires)]))
        );
        assert!(matches!(find(&mods, "objectClass"), Some(Mod::Add(..))));
        assert!(find(&mods, "shadowLastChange").is_none());
    }

    #[test]
    fn a_plain_entry_gets_only_its_password_and_the_change_id() {
        let mods = password_mods(
            &person(false, false, false, GatewayState::default()),
            &write(&SecretString::from("x"), WriteKind::Chosen),
            Utc::now(),
        );
        let names: Vec<&str> = mods
            .iter()
            .map(|m| match m {
                Mod::Replace(name, _) | Mod::Add(name, _) | Mod::Delete(name, _) => name.as_str(),
                Mod::Increment(name, _) => name.as_str(),
            })
            .collect();
        assert_eq!(names, ["userPassword", "objectClass", "passerelleChangeId"]);
    }
}
