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
use crate::policy::normalize_password;
use chrono::{DateTime, Utc};
use ldap3::{LdapResult, Mod};
use secrecy::{ExposeSecret, SecretString};

/// Entries one sweep retires at most; the next sweep takes the rest.
const RETIRE_BATCH: i32 = 500;

/// How many times a write that collided with another replica's write to the
/// same entry is tried again.
const MAX_RACE_RETRIES: u64 = 3;

/// What kind of password is being written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteKind {
    /// A password the person chose: live everywhere at once, Wi-Fi included.
    Chosen,
    /// A temporary password the gateway generated and mailed, written into
    /// `userPassword` with `pwdReset` (so other portals accept it too): it
    /// lets the person log in to choose their own before `expires`. A site's
    /// explicit choice: it voids the current password and the Wi-Fi hash of
    /// whoever was named, so by default a temporary password is only held
    /// on the entry ([`Directory::set_pending_temporary`]).
    Temporary { expires: DateTime<Utc> },
    /// A temporary password past its expiry, replaced by a random value
    /// nobody knows: services that accept any successful bind (and ignore
    /// `pwdReset`) must not keep accepting the mailed password. `pwdReset`
    /// stays, the expiry goes (so the sweep does not pick it up again).
    Retired,
}

/// What a bind as the person proved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BindProof {
    /// The password is right.
    Valid,
    /// The password is right and is a temporary one (`pwdReset`): the
    /// person must now choose their own.
    MustChange,
    /// Wrong password, unknown entry, or nothing typed.
    Invalid,
    /// ppolicy has locked the account (says nothing about the password).
    Locked,
    /// The password is right but has expired (ppolicy checks expiry only
    /// after the password matched), so it still proves who the person is.
    Expired,
}

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

    /// Writes a new password in ONE modify of the entry, so that LDAP
    /// binds, Wi-Fi and the gateway's own state change together or not at
    /// all. The cleartext goes to the server, whose ppolicy checks quality
    /// and history and then hashes it. Refusals come back typed from the
    /// ppolicy response control. The password is written (and NT-hashed)
    /// in its NFC form ([`normalize_password`]), whatever form it came in.
    pub async fn write_password(
        &self,
        person: &Person,
        password: &SecretString,
        kind: WriteKind,
    ) -> Result<(), PasswordWriteError> {
        self.write_password_named(person, password, kind, None)
            .await
    }

    /// [`Directory::write_password`], naming the write with `change_id`
    /// (`passerelleChangeId`; a random one when `None`), so that the flow
    /// that made it can be recognised later
    /// ([`crate::reset_code::CodeKey::change_id`]).
    pub async fn write_password_named(
        &self,
        person: &Person,
        password: &SecretString,
        kind: WriteKind,
        change_id: Option<&str>,
    ) -> Result<(), PasswordWriteError> {
        let password = &normalize_password(password);
        let _entry = self.inner.locks.lock(&person.dn).await;
        let mut races = 0;
        let mut resent = false;
        loop {
            // A fresh read: the markers decide what the modify carries, and
            // pwdChangedTime tells a timed-out write that applied from one
            // that did not.
            let fresh = self
                .read_person(&person.dn)
                .await?
                .ok_or_else(|| DirectoryError::Unexpected(anyhow::anyhow!("entry vanished")))?;
            // ppolicy lifts any lock on the gateway's write: never one that
            // only an administrator may lift (IT's, or under a policy whose
            // pwdLockoutDuration is 0). A timed lock is lifted by design.
            if self.self_service_stopped(&fresh).await? {
                tracing::warn!(dn = %crate::safe_text::single_line(&fresh.dn, 512), "refused to write a password on an account locked until an administrator unlocks it");
                return Err(PasswordWriteError::Locked);
            }
            let mods = password_mods(&fresh, password, kind, change_id, Utc::now());
            let started = std::time::Instant::now();
            let outcome = self.modify(&fresh.dn, mods, true).await;
            tracing::debug!(
                elapsed_ms = started.elapsed().as_millis() as u64,
                "password write"
            );
            match outcome {
                Ok(result) => match interpret_write(&result) {
                    Ok(()) => return Ok(()),
                    // A concurrent write by another replica can make ppolicy
                    // trip over pwdHistory: rc 16 (value already gone), rc 20
                    // (both writes push the same old password with the same
                    // timestamp; measured), or 19 without a control.
                    // Retried after a random pause, so that two replicas that
                    // collided do not collide again (measured: with three
                    // concurrent writers one immediate retry is not enough).
                    Err(PasswordWriteError::Rejected(16 | 19 | 20)) if races < MAX_RACE_RETRIES => {
                        races += 1;
                        tracing::info!(rc = result.rc, text = %result.text, "password write raced; retrying");
                        let pause = rand::Rng::gen_range(&mut rand::thread_rng(), 10..60) * races;
                        tokio::time::sleep(std::time::Duration::from_millis(pause)).await;
                    }
                    // pwdChangedTime only has seconds: a lost write in the
                    // same second as the previous change looked unapplied
                    // and was sent again. "In history" then most likely
                    // means the first one did apply; a bind tells for sure.
                    Err(PasswordWriteError::InHistory)
                        if resent && self.password_is_live(&fresh.dn, password).await =>
                    {
                        tracing::warn!("password write lost its answer but was applied");
                        return Ok(());
                    }
                    Err(e) => {
                        tracing::info!(rc = result.rc, text = %result.text, error = %e, "password write refused");
                        return Err(e);
                    }
                },
                Err(e @ (DirectoryError::Timeout | DirectoryError::Unavailable)) => {
                    // The write may have been applied before the answer was lost.
                    match self.read_person(&person.dn).await {
                        Ok(Some(after))
                            if after.pwd_changed_time.is_some()
                                && after.pwd_changed_time != fresh.pwd_changed_time =>
                        {
                            tracing::warn!(error = %e, "password write lost its answer but was applied");
                            return Ok(());
                        }
                        Ok(Some(_)) if !resent => {
                            tracing::warn!(error = %e, "password write lost and not applied; retrying once");
                            resent = true;
                        }
                        _ => return Err(e.into()),
                    }
                }
                Err(e) => return Err(e.into()),
            }
        }
    }
}

impl Directory {
    /// Retires every temporary password written into `userPassword`
    /// ([`WriteKind::Temporary`], `passerelleTempPasswordExpiry`) past its
    /// expiry: the gateway refuses an expired one at `/change`, but a
    /// service that takes any successful bind (and ignores `pwdReset`) would
    /// keep accepting it. Each is replaced by a random value in the usual
    /// atomic write. A temporary password only held on the entry
    /// (`passerelleTempPasswordHash`) never reached `userPassword`: past its
    /// expiry it is simply removed, and the person's password is untouched.
    /// Run periodically by `serve`; safe on several replicas at once.
    /// Returns how many written ones were retired.
    pub async fn retire_expired_temporary_passwords(&self) -> Result<usize, DirectoryError> {
        self.drop_expired_pending_temporaries().await?;
        let now = format_generalized_time(Utc::now());
        let filter = format!(
            "(&{}({ATTR_TEMP_PASSWORD_EXPIRY}<={now}))",
            self.inner.person_filter
        );
        let base = self.inner.settings.base_dn.clone();
        let (entries, result) = self
            .search(
                &base,
                ldap3::Scope::Subtree,
                &filter,
                &self.inner.person_attributes,
                RETIRE_BATCH,
            )
            .await?;
        if !matches!(result.rc, 0 | 4) {
            return Err(super::unexpected_rc("search", &result, result.rc));
        }
        let mut retired = 0;
        for entry in entries {
            let person = Person::from_entry(entry.dn, entry.attrs, &self.inner.settings);
            let unknowable = SecretString::from(rand::distributions::DistString::sample_string(
                &rand::distributions::Alphanumeric,
                &mut rand::thread_rng(),
                48,
            ));
            match self
                .write_password(&person, &unknowable, WriteKind::Retired)
                .await
            {
                Ok(()) => retired += 1,
                Err(error) => {
                    tracing::warn!(dn = %person.dn, %error, "could not retire an expired temporary password")
                }
            }
        }
        if retired > 0 {
            tracing::info!(retired, "expired temporary passwords retired");
        }
        Ok(retired)
    }
}

impl Directory {
    /// Removes held temporary passwords past their expiry (one batch).
    async fn drop_expired_pending_temporaries(&self) -> Result<usize, DirectoryError> {
        let now = Utc::now();
        let filter = format!(
            "(&{}({ATTR_PENDING_TEMP_EXPIRY}<={}))",
            self.inner.person_filter,
            format_generalized_time(now)
        );
        let base = self.inner.settings.base_dn.clone();
        let (entries, result) = self
            .search(
                &base,
                ldap3::Scope::Subtree,
                &filter,
                &[ATTR_PENDING_TEMP_EXPIRY],
                RETIRE_BATCH,
            )
            .await?;
        if !matches!(result.rc, 0 | 4) {
            return Err(super::unexpected_rc("search", &result, result.rc));
        }
        let mut dropped = 0;
        for entry in entries {
            let person = Person::from_entry(entry.dn, entry.attrs, &self.inner.settings);
            match self.drop_expired_pending_temporary(&person, now).await {
                Ok(true) => dropped += 1,
                Ok(false) => {}
                Err(error) => {
                    tracing::warn!(dn = %person.dn, %error, "could not remove an expired held temporary password")
                }
            }
        }
        if dropped > 0 {
            tracing::info!(dropped, "expired held temporary passwords removed");
        }
        Ok(dropped)
    }

    /// Does `password` bind as `dn` right now (as a chosen or a temporary
    /// password)?
    async fn password_is_live(&self, dn: &str, password: &SecretString) -> bool {
        matches!(
            self.verify_password_dn(dn, password).await,
            Ok(BindProof::Valid | BindProof::MustChange)
        )
    }
}

/// The modifications of one password write.
pub(super) fn password_mods(
    entry: &Person,
    password: &SecretString,
    kind: WriteKind,
    change_id: Option<&str>,
    now: DateTime<Utc>,
) -> Vec<Mod<String>> {
    let mut mods = vec![replace("userPassword", password.expose_secret())];
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
    for attr in entry.present_state_attributes() {
        if super::person::RESET_STATE_ATTRIBUTES.contains(&attr)
            && !(attr == ATTR_TEMP_PASSWORD_EXPIRY && matches!(kind, WriteKind::Temporary { .. }))
        {
            mods.push(remove(attr));
        }
    }
    if kind == WriteKind::Retired {
        mods.push(replace("pwdReset", "TRUE"));
    }
    if !entry.has_gateway_class {
        mods.push(add_value("objectClass", GATEWAY_CLASS));
    }
    // Names this one write (pwdChangedTime only counts seconds), so that a
    // « Ce n'était pas moi » link is void after any later write.
    let random = || hex::encode(rand::random::<[u8; 16]>());
    mods.push(replace(
        super::person::ATTR_CHANGE_ID,
        change_id.map_or_else(random, str::to_owned),
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
    use crate::directory::person::GatewayState;
    use chrono::TimeZone;
    use std::collections::HashSet;

    fn person(samba: bool, shadow: bool, class: bool, state: GatewayState) -> Person {
        Person {
            dn: "uid=t,ou=people".into(),
            login: "t".into(),
            given_name: None,
            sn: None,
            display_name: "t".into(),
            recovery_mails: vec![],
            institutional_mail: None,
            birth_date: None,
            is_samba: samba,
            is_shadow: shadow,
            has_gateway_class: class,
            name_values: vec![],
            state,
            ppolicy_locked: false,
            administratively_locked: false,
            ppolicy: Default::default(),
            password_must_change: false,
            pwd_changed_time: None,
            version: None,
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
            &SecretString::from("password"),
            WriteKind::Chosen,
            None,
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
            &SecretString::from("Temp-1234"),
            WriteKind::Temporary { expires },
            None,
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
            &SecretString::from("x"),
            WriteKind::Chosen,
            None,
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
