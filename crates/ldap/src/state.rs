//! The gateway's self-service state on the person's entry, as LDAP
//! modifications: each [`Change`] the domain decides becomes modifications
//! of the `passerelleAccount` attributes, and an update is applied only if
//! the entry is still the one it was planned from (the assertion control,
//! RFC 4528, on the `entryCSN` read with the entry, which slapd changes on
//! every modify). Two replicas that read the same failure count cannot both
//! add to it: the second modify fails with rc 122, and the domain reads
//! the entry again and plans again. Nothing here decides: the arithmetic
//! (lockout windows, cooldowns, tries left) is the domain's.

use super::error::DirectoryError;
use super::person::{
    format_generalized_time, EntryPerson, Person, ATTR_ACTIVATION_PENDING, ATTR_ANSWER_HASH,
    ATTR_BREACH_NOTICE, ATTR_CODE_EXPIRY, ATTR_CODE_HASH, ATTR_CODE_SENT, ATTR_CODE_TRIES_LEFT,
    ATTR_DISOWNED_CHANGE, ATTR_EXPIRY_NOTICE, ATTR_FAILURE_TIME, ATTR_FROZEN_REASON,
    ATTR_FROZEN_TIME, ATTR_LOCKED_UNTIL, ATTR_MAIL_SENT, ATTR_PENDING_TEMP_EXPIRY,
    ATTR_PENDING_TEMP_HASH, ATTR_QUESTION, ATTR_RECOVERY_CODE_USED, ATTR_SMS_SENT,
    ATTR_TEMP_PASSWORD_EXPIRY, GATEWAY_CLASS,
};
use super::{add_value, delete_values, remove, replace, unexpected_rc, Directory};
use crate::settings::LdapSettings;
use ldap3::Mod;
use passerelle_domain::ports::{Applied, Change};

/// rc 122 assertionFailed (RFC 4528): the entry changed since it was read.
pub(super) const ASSERTION_FAILED: u32 = 122;

/// The LDAP modifications of `changes` on `entry` (as read): removals of
/// whole attributes only for what the entry holds (a removal of an absent
/// value would make the whole modify fail), removals by value as asked,
/// and the gateway's class added when the entry lacks it and something is
/// added.
pub(super) fn state_mods(entry: &Person, changes: &[Change]) -> Vec<Mod<String>> {
    let present = entry.present_state_attributes();
    let held = |attribute: &str| present.contains(&attribute);
    let time = |t: &chrono::DateTime<chrono::Utc>| format_generalized_time(*t);
    let mut mods = Vec::new();
    let clear = |mods: &mut Vec<Mod<String>>, attributes: &[&'static str]| {
        for attribute in attributes {
            if held(attribute) {
                mods.push(remove(attribute));
            }
        }
    };
    let mut adds = false;
    for change in changes {
        match change {
            Change::AddFailure(at) => {
                adds = true;
                mods.push(add_value(ATTR_FAILURE_TIME, time(at)));
            }
            Change::RemoveFailures(times) => {
                mods.push(delete_values(ATTR_FAILURE_TIME, times.iter().map(time)))
            }
            Change::ClearFailures => clear(&mut mods, &[ATTR_FAILURE_TIME]),
            Change::LockUntil(until) => {
                adds = true;
                mods.push(replace(ATTR_LOCKED_UNTIL, time(until)));
            }
            Change::RemoveLock(Some(until)) => {
                mods.push(delete_values(ATTR_LOCKED_UNTIL, [time(until)]))
            }
            Change::RemoveLock(None) => clear(&mut mods, &[ATTR_LOCKED_UNTIL]),
            Change::SetSecret {
                question,
                answer_hash,
            } => {
                adds = true;
                mods.push(replace(ATTR_QUESTION, question.as_str()));
                mods.push(replace(ATTR_ANSWER_HASH, answer_hash.as_str()));
            }
            Change::ClearSecret => clear(&mut mods, &[ATTR_QUESTION, ATTR_ANSWER_HASH]),
            Change::SetCode {
                hash,
                expiry,
                tries,
                sent_at,
            } => {
                adds = true;
                mods.push(replace(ATTR_CODE_HASH, hash.as_str()));
                mods.push(replace(ATTR_CODE_EXPIRY, time(expiry)));
                mods.push(replace(ATTR_CODE_TRIES_LEFT, tries.to_string()));
                mods.push(replace(ATTR_CODE_SENT, time(sent_at)));
            }
            Change::SpendCodeTry { left } => {
                mods.push(delete_values(ATTR_CODE_TRIES_LEFT, [left.to_string()]));
                mods.push(add_value(
                    ATTR_CODE_TRIES_LEFT,
                    left.saturating_sub(1).to_string(),
                ));
            }
            Change::ClearCode => clear(
                &mut mods,
                &[
                    ATTR_CODE_HASH,
                    ATTR_CODE_EXPIRY,
                    ATTR_CODE_TRIES_LEFT,
                    ATTR_CODE_SENT,
                ],
            ),
            Change::MailSent(at) => {
                adds = true;
                mods.push(replace(ATTR_MAIL_SENT, time(at)));
            }
            Change::Freeze {
                at,
                reason,
                change_id,
            } => {
                adds = true;
                mods.push(replace(ATTR_FROZEN_TIME, time(at)));
                mods.push(replace(ATTR_FROZEN_REASON, reason.as_str()));
                mods.push(replace(ATTR_DISOWNED_CHANGE, change_id.as_str()));
            }
            // The disowned change stays recorded: its link stays spent.
            Change::Unfreeze => clear(&mut mods, &[ATTR_FROZEN_TIME, ATTR_FROZEN_REASON]),
            Change::HoldTemporary { hash, expiry } => {
                adds = true;
                mods.push(replace(ATTR_PENDING_TEMP_HASH, hash.as_str()));
                mods.push(replace(ATTR_PENDING_TEMP_EXPIRY, time(expiry)));
            }
            Change::DropHeldTemporary => clear(
                &mut mods,
                &[ATTR_PENDING_TEMP_HASH, ATTR_PENDING_TEMP_EXPIRY],
            ),
            Change::ClearTemporaryExpiry => clear(&mut mods, &[ATTR_TEMP_PASSWORD_EXPIRY]),
            Change::ExpiryNotice(notice) => {
                adds = true;
                mods.push(replace(ATTR_EXPIRY_NOTICE, notice.as_str()));
            }
            // The site's provisioning set it; a directory whose schema
            // predates the mark never holds it.
            Change::EndActivation => {
                if entry.activation_pending {
                    mods.push(remove(ATTR_ACTIVATION_PENDING));
                }
            }
            Change::SmsSent(at) => {
                adds = true;
                mods.push(add_value(ATTR_SMS_SENT, time(at)));
            }
            Change::ForgetSmsSent(times) => {
                mods.push(delete_values(ATTR_SMS_SENT, times.iter().map(time)))
            }
            Change::RecoveryCodeUsed(used) => {
                adds = true;
                mods.push(add_value(ATTR_RECOVERY_CODE_USED, used.clone()));
            }
            Change::ForgetRecoveryCodes(used) => {
                mods.push(delete_values(ATTR_RECOVERY_CODE_USED, used.iter().cloned()))
            }
            // The person's own attributes, not the gateway's state: see
            // [`own_value_mods`].
            Change::SetRecoveryMail(_) | Change::SetMobile(_) => {}
            Change::BreachNotice(notice) => {
                adds = true;
                mods.push(replace(ATTR_BREACH_NOTICE, notice.as_str()));
            }
            // ppolicy's own attribute: the directory then asks for a change
            // at the next sign-in, and the gateway's next write removes it.
            Change::ForceChange => mods.push(replace("pwdReset", "TRUE")),
            // A delete, not a replace with no value: only then does slapd's
            // ppolicy drop pwdFailureTime along with it (measured on
            // 2.5.13), without which the next wrong bind locks again.
            Change::ClearPpolicyLock => {
                if entry.ppolicy.lock != passerelle_domain::ppolicy::PpolicyLock::None {
                    mods.push(delete_values("pwdAccountLockedTime", Vec::new()));
                }
            }
        }
    }
    if adds && !entry.has_gateway_class {
        mods.insert(0, add_value("objectClass", GATEWAY_CLASS));
    }
    mods
}

/// The modifications of the person's own recovery values among `changes`
/// (the first of `recovery_mail_attributes` unless it is the institutional
/// address's, the first of `mobile_attributes`), replaced or removed.
pub(super) fn own_value_mods(changes: &[Change], settings: &LdapSettings) -> Vec<Mod<String>> {
    let set = |attribute: Option<&str>, value: &Option<String>| {
        attribute.map(|attribute| match value {
            Some(value) => replace(attribute, value.as_str()),
            None => remove(attribute),
        })
    };
    changes
        .iter()
        .filter_map(|change| match change {
            Change::SetRecoveryMail(value) => set(settings.own_mail_attribute(), value),
            Change::SetMobile(value) => set(settings.own_mobile_attribute(), value),
            _ => None,
        })
        .collect()
}

impl Directory {
    /// Applies `changes` to the entry `person` was read from, only if it is
    /// still at `person.version` (unguarded when the server keeps none).
    pub async fn apply_state(
        &self,
        person: &Person,
        changes: &[Change],
    ) -> Result<Applied, DirectoryError> {
        self.apply_state_with(person, changes, None).await
    }

    /// [`Directory::apply_state`] with the rights of the help-desk agent
    /// at `agent` (the Proxied Authorization control): their refusal is
    /// [`DirectoryError::Forbidden`], nothing written.
    pub async fn apply_state_as(
        &self,
        agent: &str,
        person: &Person,
        changes: &[Change],
    ) -> Result<Applied, DirectoryError> {
        self.apply_state_with(person, changes, Some(agent)).await
    }

    async fn apply_state_with(
        &self,
        person: &Person,
        changes: &[Change],
        agent: Option<&str>,
    ) -> Result<Applied, DirectoryError> {
        let mut mods = state_mods(person, changes);
        mods.extend(own_value_mods(changes, &self.inner.settings));
        if mods.is_empty() {
            return Ok(Applied::Yes);
        }
        if person.version.is_none() {
            // Only a server without lastmod keeps no CSN: updates then
            // rely on exact-value removals alone.
            tracing::warn!("the entry has no entryCSN: state update not guarded");
        }
        let result = self
            .modify_if_unchanged(&person.dn, mods, person.version.as_deref(), agent)
            .await?;
        if agent.is_some() && super::forbidden(result.rc) {
            tracing::info!(rc = result.rc, text = %result.text, "a help-desk write was refused to the agent");
            return Err(DirectoryError::Forbidden);
        }
        raced_or(result, "state update")
    }

    /// Applies `changes` (removals by value) whatever the entry's version.
    pub async fn apply_state_unguarded(
        &self,
        person: &Person,
        changes: &[Change],
    ) -> Result<Applied, DirectoryError> {
        let mut mods = state_mods(person, changes);
        mods.extend(own_value_mods(changes, &self.inner.settings));
        if mods.is_empty() {
            return Ok(Applied::Yes);
        }
        let result = self.modify(&person.dn, mods, false).await?;
        raced_or(result, "state update")
    }
}

/// rc 0 applied; rc 122 (entry changed), 16 (a value to remove is gone) and
/// 20 (a value to add is there already): raced; anything else an error.
fn raced_or(result: ldap3::LdapResult, what: &str) -> Result<Applied, DirectoryError> {
    match result.rc {
        0 => Ok(Applied::Yes),
        ASSERTION_FAILED | 16 | 20 => {
            tracing::debug!(what, rc = result.rc, "raced");
            Ok(Applied::Raced)
        }
        rc => Err(unexpected_rc(what, &result, rc)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};
    use passerelle_domain::person::GatewayState;

    fn person_with(state: GatewayState, has_gateway_class: bool) -> Person {
        Person {
            login: "t".into(),
            display_name: "t".into(),
            has_gateway_class,
            state,
            ..Person::bare("uid=t")
        }
    }

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::<Utc>::from_timestamp(1_800_000_000 + seconds, 0).unwrap()
    }

    #[test]
    fn an_entry_without_the_class_gets_it_with_the_first_value_added() {
        let mods = state_mods(
            &person_with(GatewayState::default(), false),
            &[Change::AddFailure(at(0))],
        );
        assert!(
            matches!(&mods[0], Mod::Add(a, v) if a == "objectClass" && v.contains(GATEWAY_CLASS))
        );
        assert_eq!(mods.len(), 2);
    }

    #[test]
    fn a_whole_attribute_is_removed_only_when_the_entry_holds_it() {
        let none = person_with(GatewayState::default(), true);
        assert!(state_mods(&none, &[Change::ClearFailures, Change::ClearCode]).is_empty());
        let some = person_with(
            GatewayState {
                failure_times: vec![at(0)],
                ..GatewayState::default()
            },
            true,
        );
        assert_eq!(state_mods(&some, &[Change::ClearFailures]).len(), 1);
    }

    #[test]
    fn ppolicy_s_lock_is_deleted_so_that_slapd_forgets_the_failures_too() {
        let mut locked = person_with(GatewayState::default(), true);
        locked.ppolicy.lock = passerelle_domain::ppolicy::PpolicyLock::Administrative;
        let mods = state_mods(&locked, &[Change::ClearPpolicyLock]);
        assert!(
            matches!(&mods[..], [Mod::Delete(a, v)] if a == "pwdAccountLockedTime" && v.is_empty()),
            "{mods:?}"
        );
        let open = person_with(GatewayState::default(), true);
        assert!(state_mods(&open, &[Change::ClearPpolicyLock]).is_empty());
    }

    #[test]
    fn a_try_is_spent_by_value_so_two_replicas_cannot_spend_the_same_one() {
        let mods = state_mods(
            &person_with(GatewayState::default(), true),
            &[Change::SpendCodeTry { left: 3 }],
        );
        assert!(
            matches!(&mods[0], Mod::Delete(a, v) if a == ATTR_CODE_TRIES_LEFT && v.contains("3"))
        );
        assert!(matches!(&mods[1], Mod::Add(a, v) if a == ATTR_CODE_TRIES_LEFT && v.contains("2")));
    }
}
