//! The accounts' NT hashes for the breach sweep (`passerelle breach-sweep`),
//! read by the sweep's own account: a [`Directory`] built with
//! `breach_sweep.reader_bind_dn`, which may read `sambaNTPassword` and
//! `pwdChangedTime` of people and write nothing (config/ldap/README.md).

use super::{Directory, DirectoryError, EndedEarly};
use passerelle_domain::breach_sweep::SweptAccount;

impl Directory {
    /// Every person (`person_filter` under `base_dn`) with their NT hash
    /// and `pwdChangedTime`, read in pages by a task of its own and handed
    /// over through a channel of one page, so that the caller decides what
    /// to keep. Bounded by ten times `timeout_seconds` (at least ten
    /// minutes) for the whole read. A failure, or a search the directory
    /// ended early (a size or time limit), arrives as the last item: a
    /// sweep over part of the accounts must not report.
    pub fn nt_hashes(&self) -> tokio::sync::mpsc::Receiver<Result<SweptAccount, DirectoryError>> {
        self.paged_people(
            self.inner.person_filter.clone(),
            vec!["sambaNTPassword".to_owned(), "pwdChangedTime".to_owned()],
            EndedEarly::Failed("the search of the accounts' NT hashes"),
            |mut entry| {
                let mut first = |name: &str| {
                    let key = entry
                        .attrs
                        .keys()
                        .find(|k| k.eq_ignore_ascii_case(name))
                        .cloned()?;
                    entry.attrs.remove(&key)?.into_iter().next()
                };
                SweptAccount {
                    nt_hash: first("sambaNTPassword"),
                    pwd_changed_time: first("pwdChangedTime"),
                    dn: entry.dn,
                }
            },
        )
    }
}
