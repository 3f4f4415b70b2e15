//! The breach sweep (`passerelle breach-sweep`): which accounts' passwords,
//! chosen before a breach list knew them, are in it now, and the notice
//! each of their owners gets.
//!
//! The accounts' NT hashes (`sambaNTPassword`, what Wi-Fi checks) arrive a
//! page at a time from the sweep's own read-only account and are kept as
//! 16-byte numbers, sorted in memory ([`Accounts`]: 100,000 accounts are a
//! few megabytes). The breach list, hundreds of millions of lines sorted
//! by hash, is never loaded: it is read as a stream, line after line, and
//! the two sorted sequences are merged ([`merge`]), so a run costs one
//! sequential read of the list whatever its size, and memory for the
//! accounts only. Nothing here reads a file or the directory: the adapters
//! hand the streams over.
//!
//! With `--notify`, each account found is told once per list version and
//! per password ([`notify`]): `passerelleBreachNotice` records
//! `<list version> <pwdChangedTime>`, claimed on the entry before the mail
//! leaves (so two runs at once mail once, and a second run of the same list
//! mails nobody again), optionally with `pwdReset` (the change is then
//! forced at the next sign-in). An account whose password changed since it
//! was read, or that may not use self-service (IT's lock, an end date), is
//! left alone.

use crate::flow::{FlowName, Link};
use crate::gateway::Gateway;
use crate::mail::{MailKind, OutgoingMail};
use crate::ports::{Change, DirectoryError};
use crate::standing::standing;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

/// One account in scope, as the sweep's reading account sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SweptAccount {
    pub dn: String,
    /// `sambaNTPassword` as stored (32 hexadecimal digits), if any.
    pub nt_hash: Option<String>,
    /// `pwdChangedTime` as stored, raw: the password the hash belongs to.
    pub pwd_changed_time: Option<String>,
}

/// The accounts of one sweep, their NT hashes sorted for the merge.
#[derive(Debug, Default)]
pub struct Accounts {
    /// (NT hash, index into `people`), sorted by hash.
    hashes: Vec<(u128, u32)>,
    /// The accounts with a hash, without it (it is in `hashes`).
    people: Vec<(String, Option<String>)>,
    /// Accounts read, with or without a hash.
    pub read: usize,
    /// Accounts without an NT hash, or with a value that is not one.
    pub without_hash: usize,
}

impl Accounts {
    /// Accounts with an NT hash.
    pub fn with_hash(&self) -> usize {
        self.hashes.len()
    }

    /// Takes the accounts as the directory pages them in, keeping of each
    /// only its DN, its hash as a number and its `pwdChangedTime`, then
    /// sorts them by hash. A directory error ends the reading: a sweep over
    /// part of the accounts would report false counts.
    pub async fn collect(
        mut accounts: tokio::sync::mpsc::Receiver<Result<SweptAccount, DirectoryError>>,
    ) -> Result<Accounts, DirectoryError> {
        let mut collected = Accounts::default();
        while let Some(account) = accounts.recv().await {
            collected.add(account?);
        }
        collected.hashes.sort_unstable();
        Ok(collected)
    }

    /// `accounts` as [`Accounts::collect`] takes them (tests, tools).
    pub fn of(accounts: impl IntoIterator<Item = SweptAccount>) -> Accounts {
        let mut collected = Accounts::default();
        for account in accounts {
            collected.add(account);
        }
        collected.hashes.sort_unstable();
        collected
    }

    fn add(&mut self, account: SweptAccount) {
        self.read += 1;
        let Some(hash) = account.nt_hash.as_deref().and_then(parse_nt_hash) else {
            self.without_hash += 1;
            return;
        };
        let Ok(index) = u32::try_from(self.people.len()) else {
            // Four billion accounts: beyond any directory this serves.
            self.without_hash += 1;
            return;
        };
        self.people.push((account.dn, account.pwd_changed_time));
        self.hashes.push((hash, index));
    }
}

/// An NT hash, 32 hexadecimal digits in either case, as a number.
pub fn parse_nt_hash(hex: &str) -> Option<u128> {
    let hex = hex.trim();
    if hex.len() != 32 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u128::from_str_radix(hex, 16).ok()
}

/// An account whose NT hash is in the list: whom to notify, and which
/// password the hash was read with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub dn: String,
    pub pwd_changed_time: Option<String>,
}

/// What the merge saw.
#[derive(Debug, Default)]
pub struct Merged {
    /// The accounts found, ordered by DN.
    pub found: Vec<Found>,
    /// Hashes the list held (its lines).
    pub list_hashes: u64,
}

/// The accounts whose hash is in `list`, a stream of NT hashes in
/// ascending order (the breach list, read line after line): one pass over
/// both sorted sequences, nothing of the list kept. Several accounts with
/// the same password are all found. The list's errors (unreadable, a line
/// that is no hash, out of order) end the merge: a half-read list would
/// report nobody found where somebody is.
pub fn merge<E>(
    accounts: &Accounts,
    list: impl IntoIterator<Item = Result<u128, E>>,
) -> Result<Merged, E> {
    let mut found = Vec::new();
    let mut next = 0;
    let mut list_hashes = 0u64;
    for hash in list {
        let hash = hash?;
        list_hashes += 1;
        // Accounts below this list hash are not in the list (it is sorted).
        while next < accounts.hashes.len() && accounts.hashes[next].0 < hash {
            next += 1;
        }
        // Equal: every account with that hash (a duplicate line finds
        // nothing new: `next` has moved past them).
        while next < accounts.hashes.len() && accounts.hashes[next].0 == hash {
            found.push(accounts.hashes[next].1);
            next += 1;
        }
        // The list is read to its end even past the last account: its
        // version digest and its order are checked over all of it.
    }
    let mut found: Vec<Found> = found
        .into_iter()
        .filter_map(|index| accounts.people.get(index as usize))
        .map(|(dn, changed)| Found {
            dn: dn.clone(),
            pwd_changed_time: changed.clone(),
        })
        .collect();
    found.sort_by(|a, b| a.dn.cmp(&b.dn));
    Ok(Merged { found, list_hashes })
}

/// What the notices of a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NoticeReport {
    /// Notices recorded on the entry this run (mailed or not).
    pub recorded: usize,
    /// Of those, mails queued.
    pub mailed: usize,
    /// Of those, without any address to mail: recorded (and marked) only.
    pub no_address: usize,
    /// Of those, marked to change at the next sign-in (`pwdReset`).
    pub marked_for_change: usize,
    /// Found, but already told for this list version and password.
    pub already_notified: usize,
    /// Found, but the password changed since the sweep read it.
    pub changed_since: usize,
    /// Found, but the account may not use self-service (IT's lock, an end
    /// date, a start date to come) or is gone: nothing done.
    pub stopped: usize,
    /// Accounts that could not be handled (logged one by one).
    pub errors: usize,
}

/// The notice recorded on an entry for the password changed at `changed`
/// and list `version`: `<version> <pwdChangedTime>` (`-` for a password
/// the directory never dated).
pub fn notice_value(version: &str, changed: Option<&str>) -> String {
    format!("{version} {}", changed.unwrap_or("-"))
}

/// Tells each of `found` that their password is in list `version` (see
/// the module's note), through `gateway` (whose directory is the sweep's
/// notice account), at `now`; with `force_change`, also sets `pwdReset`.
/// The mail links to the reset flow the site offers (the e-mailed code,
/// else the secret question, else « Gérer mon compte »).
pub async fn notify(
    gateway: &Gateway,
    found: &[Found],
    version: &str,
    force_change: bool,
    now: DateTime<Utc>,
) -> NoticeReport {
    let mut report = NoticeReport::default();
    for account in found {
        if let Err(error) =
            notify_one(gateway, account, version, force_change, now, &mut report).await
        {
            report.errors += 1;
            tracing::warn!(%error, dn = %account.dn, "could not handle a breach notice");
        }
    }
    report
}

/// Where the notice sends the person: a reset that does not need the
/// current password, which may be in an attacker's hands too.
fn reset_link(gateway: &Gateway) -> Link {
    let flows = &gateway.settings().flows;
    if flows.code {
        Link::Start(FlowName::Code)
    } else if flows.recover {
        Link::Start(FlowName::Recover)
    } else {
        Link::Start(FlowName::Account)
    }
}

async fn notify_one(
    gateway: &Gateway,
    account: &Found,
    version: &str,
    force_change: bool,
    now: DateTime<Utc>,
    report: &mut NoticeReport,
) -> anyhow::Result<()> {
    let Some(person) = gateway.directory().read(&account.dn).await? else {
        report.stopped += 1;
        return Ok(());
    };
    if person.pwd_changed_time != account.pwd_changed_time {
        report.changed_since += 1;
        return Ok(());
    }
    let policy = gateway.directory().policy(&person).await?;
    if standing(&person, &policy, now).is_err() {
        report.stopped += 1;
        return Ok(());
    }
    let notice = notice_value(version, account.pwd_changed_time.as_deref());
    // Recorded before it is mailed, unless the entry already records it:
    // exactly one of several runs at once mails it. The password must
    // still be the one found, in the same guarded modify.
    let claimed = gateway
        .update(&person, true, |fresh| {
            if fresh.pwd_changed_time != account.pwd_changed_time {
                return Some((Vec::new(), Claim::ChangedSince));
            }
            if fresh.state.breach_notice.as_deref() == Some(notice.as_str()) {
                return Some((Vec::new(), Claim::AlreadyNotified));
            }
            let mut changes = vec![Change::BreachNotice(notice.clone())];
            let mark = force_change && !fresh.password_must_change;
            if mark {
                changes.push(Change::ForceChange);
            }
            Some((changes, Claim::Claimed { marked: mark }))
        })
        .await?
        .unwrap_or(Claim::AlreadyNotified);
    let marked = match claimed {
        Claim::ChangedSince => {
            report.changed_since += 1;
            return Ok(());
        }
        Claim::AlreadyNotified => {
            report.already_notified += 1;
            return Ok(());
        }
        Claim::Claimed { marked } => marked,
    };
    report.recorded += 1;
    if marked {
        report.marked_for_change += 1;
    }
    let settings = gateway.settings();
    let Some(to) = person.notice_address().cloned() else {
        report.no_address += 1;
        tracing::info!(target: "audit", flow = "breach_sweep", step = "notice", outcome = "no_address", account = %person.login, marked, "breach notice: recorded, no address to mail");
        return Ok(());
    };
    let lang = passerelle_text::Lang::from_tag(&settings.site.default_language).unwrap_or_default();
    let mail = OutgoingMail::new(
        to,
        lang,
        MailKind::PasswordBreached {
            login: person.login.clone(),
            reset_url: reset_link(gateway).url(&settings.public_url),
            must_change: marked || person.password_must_change,
        },
    )
    .with_name(person.display_name.clone());
    gateway.send_unwatched(mail).await;
    tracing::info!(target: "audit", flow = "breach_sweep", step = "notice", outcome = "mailed", account = %person.login, marked, "breach notice: mailed");
    report.mailed += 1;
    Ok(())
}

/// What claiming a notice on the entry found.
#[derive(Debug, Clone, Copy)]
enum Claim {
    Claimed { marked: bool },
    AlreadyNotified,
    ChangedSince,
}

/// The counts of a run by outcome, for a report or metrics, in a stable
/// order.
pub fn notice_counts(report: &NoticeReport) -> BTreeMap<&'static str, usize> {
    BTreeMap::from([
        ("recorded", report.recorded),
        ("mailed", report.mailed),
        ("no_address", report.no_address),
        ("marked_for_change", report.marked_for_change),
        ("already_notified", report.already_notified),
        ("changed_since", report.changed_since),
        ("stopped", report.stopped),
        ("errors", report.errors),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(dn: &str, hash: Option<u128>) -> SweptAccount {
        SweptAccount {
            dn: dn.into(),
            nt_hash: hash.map(|h| format!("{h:032X}")),
            pwd_changed_time: Some("20260101000000Z".into()),
        }
    }

    fn list(hashes: &[u128]) -> Vec<Result<u128, String>> {
        hashes.iter().copied().map(Ok).collect()
    }

    #[test]
    fn the_merge_finds_every_account_whose_hash_is_listed_and_only_those() {
        let accounts = Accounts::of([
            account("uid=c", Some(30)),
            account("uid=a", Some(10)),
            account("uid=b", Some(20)),
            account("uid=d", Some(20)),
            account("uid=e", None),
            SweptAccount {
                nt_hash: Some("not a hash".into()),
                ..account("uid=f", None)
            },
            account("uid=g", Some(u128::MAX)),
        ]);
        assert_eq!(accounts.read, 7);
        assert_eq!(accounts.with_hash(), 5);
        assert_eq!(accounts.without_hash, 2);
        let merged = merge(&accounts, list(&[1, 5, 20, 20, 25, 31, u128::MAX])).unwrap();
        let dns: Vec<&str> = merged.found.iter().map(|f| f.dn.as_str()).collect();
        assert_eq!(dns, ["uid=b", "uid=d", "uid=g"]);
        assert_eq!(merged.list_hashes, 7);
        assert!(merge(&accounts, list(&[])).unwrap().found.is_empty());
        assert!(merge(&Accounts::default(), list(&[10, 20]))
            .unwrap()
            .found
            .is_empty());
    }

    #[test]
    fn a_list_error_ends_the_merge() {
        let accounts = Accounts::of([account("uid=a", Some(10))]);
        let broken = vec![Ok(1), Err("line 2".to_owned()), Ok(10)];
        assert_eq!(merge(&accounts, broken).unwrap_err(), "line 2");
    }

    #[test]
    fn nt_hashes_parse_in_either_case_and_nothing_else_does() {
        assert_eq!(
            parse_nt_hash("8846f7eaee8fb117ad06bdd830b7586c"),
            parse_nt_hash("8846F7EAEE8FB117AD06BDD830B7586C")
        );
        assert!(parse_nt_hash("8846F7EAEE8FB117AD06BDD830B7586C").is_some());
        for bad in [
            "",
            "8846F7EA",
            "8846F7EAEE8FB117AD06BDD830B7586G",
            "+846F7EAEE8FB117AD06BDD830B7586C",
        ] {
            assert_eq!(parse_nt_hash(bad), None, "{bad}");
        }
    }

    proptest::proptest! {
        #[test]
        fn the_merge_agrees_with_a_lookup_in_a_set(
            mine in proptest::collection::vec(0u128..64, 0..40),
            listed in proptest::collection::vec(0u128..64, 0..40),
        ) {
            let accounts = Accounts::of(
                mine.iter().enumerate().map(|(i, h)| account(&format!("uid={i:03}"), Some(*h))),
            );
            let mut sorted = listed.clone();
            sorted.sort_unstable();
            let merged = merge(&accounts, list(&sorted)).unwrap();
            let expected: Vec<String> = mine
                .iter()
                .enumerate()
                .filter(|(_, h)| listed.contains(h))
                .map(|(i, _)| format!("uid={i:03}"))
                .collect();
            let got: Vec<String> = merged.found.into_iter().map(|f| f.dn).collect();
            proptest::prop_assert_eq!(got, expected);
        }
    }
}
