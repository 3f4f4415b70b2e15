//! Mot de passe provisoire (CAF, Ecolesoft): an address or identifier +
//! captcha, then always the same page
//! ([`crate::flow::FlowName::Temporary`]'s step). The request is recorded
//! on disk before the page answers (the same record for everyone,
//! [`mailing::promise`]); off the request path, for a person who matched,
//! the temporary password is issued and mailed with a link to `/change`.

use super::code::Request;
use crate::audit::{AuditStep, Outcome, Who};
use crate::gateway::{Gateway, Journey, StepError};
use crate::steps::mailing;

/// The request's POST. The page that follows depends only on what was
/// typed, never on whether anyone matched.
///
/// Errors: [`StepError::Mail`] when the request could not be recorded
/// (the spool or the queue refused it): nothing was requested, and the
/// page must not say a password was sent.
pub async fn request(
    gateway: &Gateway,
    journey: &Journey,
    request: Request<'_>,
) -> Result<(), StepError> {
    let Request::Accepted(typed) = request else {
        gateway.event(
            journey,
            AuditStep::Request,
            Outcome::FormRefused,
            Who::Nobody,
        );
        return Ok(());
    };
    gateway.event(journey, AuditStep::Request, Outcome::Submitted, Who::Nobody);
    let errand = mailing::Errand::Temporary {
        typed: typed.to_owned(),
    };
    Ok(mailing::promise(gateway, journey, errand).await?)
}

/// Retires the temporary passwords past their expiry (one batch; run
/// periodically by the server, safe on several replicas at once): one
/// written into `userPassword` is replaced by a random value nobody knows
/// (services that accept any successful bind, ignoring `pwdReset`, must
/// not keep accepting the mailed password); one only held as a hash is
/// removed, and the person's password is untouched. A written one is
/// retired only while it is still the password ([`still_the_temporary`]:
/// one replaced since, by its owner elsewhere or by IT, is kept and its
/// expiry forgotten) and never over IT's lock, which the write would lift
/// (it waits for IT to lift it). Returns how many written ones were
/// retired.
///
/// Errors: the directory's, for the search; one entry that cannot be
/// handled is logged and the others go on.
pub async fn retire_expired(gateway: &Gateway) -> Result<usize, crate::ports::DirectoryError> {
    use crate::ports::{Change, PasswordWrite, WriteKind};
    use crate::state::write_unconditionally;
    use crate::writing::{made_obsolete, random_change_id};
    use secrecy::SecretString;
    let now = gateway.now();
    let mut retired = 0;
    for person in gateway.directory().expired_temporaries(now).await? {
        let written = person.state.temp_password_expiry.is_some_and(|e| e <= now);
        let held = person.state.pending_temp_expiry.is_some_and(|e| e <= now);
        if written {
            let unknowable = SecretString::from(rand::distributions::DistString::sample_string(
                &rand::distributions::Alphanumeric,
                &mut rand::thread_rng(),
                48,
            ));
            let write = PasswordWrite {
                password: &unknowable,
                kind: WriteKind::Retired,
                change_id: random_change_id(),
                also: made_obsolete(WriteKind::Retired),
                old_password: None,
            };
            // Only while the written temporary password is still there and
            // expired, and never over IT's lock: a password chosen since
            // the search is the person's, and a write would lift the lock
            // (ppolicy clears `pwdAccountLockedTime` on a password change).
            let still_expired =
                |fresh: &crate::person::Person, policy: &crate::ppolicy::DirectoryPolicy| {
                    Ok(fresh.state.temp_password_expiry.is_some_and(|e| e <= now)
                        && still_the_temporary(fresh)
                        && !fresh.ppolicy.lock.stops_self_service(policy))
                };
            match write_unconditionally(
                gateway,
                &person,
                &write,
                still_expired,
                crate::gateway::Writer::Gateway,
            )
            .await
            {
                Ok(true) => retired += 1,
                Ok(false) => forget_replaced(gateway, &person, now).await,
                Err(error) => {
                    tracing::warn!(dn = %person.dn, %error, "could not retire an expired temporary password")
                }
            }
        } else if held {
            let removed = gateway
                .update(&person, false, |fresh| {
                    let expired = fresh.state.pending_temp_expiry.is_some_and(|e| e <= now);
                    expired.then(|| (vec![Change::DropHeldTemporary], ()))
                })
                .await;
            match removed {
                Ok(Some(())) => {
                    tracing::debug!(dn = %person.dn, "an expired held temporary password removed")
                }
                Ok(None) => {}
                Err(error) => {
                    tracing::warn!(dn = %person.dn, %error, "could not remove an expired held temporary password")
                }
            }
        }
    }
    if retired > 0 {
        tracing::info!(retired, "expired temporary passwords retired");
    }
    Ok(retired)
}

/// How far ahead of the gateway's clock slapd's may be when it stamps
/// `pwdChangedTime` on a temporary password's write, in seconds.
const CLOCK_SLACK_SECONDS: i64 = 120;

/// Whether `person`'s password is still the temporary one the gateway
/// wrote: ppolicy's `pwdReset` still TRUE (the person's own change, in any
/// portal, removes it) and `pwdChangedTime` no later than the write, whose
/// instant its change id carries ([`crate::writing::temporary_written_at`])
/// — an administrator's `ldappasswd` since moved it. A temporary password
/// written by an earlier version (a random change id) is judged by
/// `pwdReset` alone.
fn still_the_temporary(person: &crate::person::Person) -> bool {
    use crate::generalized_time::parse_generalized_time;
    if !person.password_must_change {
        return false;
    }
    let written = person
        .state
        .change_id
        .as_deref()
        .and_then(crate::writing::temporary_written_at);
    let changed = person
        .pwd_changed_time
        .as_deref()
        .and_then(parse_generalized_time);
    match (written, changed) {
        (Some(written), Some(changed)) => {
            changed <= written + chrono::Duration::seconds(CLOCK_SLACK_SECONDS)
        }
        _ => true,
    }
}

/// Removes the expiry of a temporary password replaced outside the gateway
/// since (by its owner elsewhere, by IT): the password is theirs, and the
/// sweep must not find it again. An entry under IT's lock keeps its expiry,
/// to be retired once the lock is lifted.
async fn forget_replaced(
    gateway: &Gateway,
    person: &crate::person::Person,
    now: chrono::DateTime<chrono::Utc>,
) {
    use crate::ports::Change;
    let removed = gateway
        .update(person, false, |fresh| {
            let expired = fresh.state.temp_password_expiry.is_some_and(|e| e <= now);
            (expired && !still_the_temporary(fresh))
                .then(|| (vec![Change::ClearTemporaryExpiry], ()))
        })
        .await;
    match removed {
        Ok(Some(())) => tracing::info!(
            dn = %person.dn,
            "an expired temporary password was replaced outside the gateway: kept, its expiry removed"
        ),
        Ok(None) => {}
        Err(error) => {
            tracing::warn!(dn = %person.dn, %error, "could not remove the expiry of a replaced temporary password")
        }
    }
}
