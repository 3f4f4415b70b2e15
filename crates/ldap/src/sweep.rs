//! The accounts' NT hashes for the breach sweep (`passerelle breach-sweep`),
//! read by the sweep's own account: a [`Directory`] built with
//! `breach_sweep.reader_bind_dn`, which may read `sambaNTPassword` and
//! `pwdChangedTime` of people and write nothing (config/ldap/README.md).

use super::{Directory, DirectoryError};
use ldap3::{Scope, SearchEntry};
use passerelle_domain::breach_sweep::SweptAccount;

/// Entries per page of the paged search (RFC 2696); the account's
/// `olcLimits` lets it page past slapd's size limit.
const PAGE: i32 = 500;

impl Directory {
    /// Every person (`person_filter` under `base_dn`) with their NT hash
    /// and `pwdChangedTime`, read in pages by a task of its own and handed
    /// over through a channel of one page, so that the caller decides what
    /// to keep. Bounded by ten times `timeout_seconds` (at least ten
    /// minutes) for the whole read. A failure, or a search the directory
    /// ended early (a size or time limit), arrives as the last item: a
    /// sweep over part of the accounts must not report.
    pub fn nt_hashes(&self) -> tokio::sync::mpsc::Receiver<Result<SweptAccount, DirectoryError>> {
        use ldap3::adapters::{Adapter, EntriesOnly, PagedResults};
        let (sender, receiver) = tokio::sync::mpsc::channel(PAGE as usize);
        let directory = self.clone();
        tokio::spawn(async move {
            let filter = directory.inner.person_filter.clone();
            let base = directory.inner.settings.base_dn.clone();
            let limit = directory
                .inner
                .pool
                .timeout()
                .max(std::time::Duration::from_secs(60))
                * 10;
            let out = sender.clone();
            let read = directory
                .run_within("search", limit, move |mut ldap| async move {
                    let adapters: Vec<Box<dyn Adapter<'_, String, Vec<String>>>> = vec![
                        Box::new(EntriesOnly::new()),
                        Box::new(PagedResults::new(PAGE)),
                    ];
                    let mut stream = ldap
                        .streaming_search_with(
                            adapters,
                            &base,
                            Scope::Subtree,
                            &filter,
                            vec!["sambaNTPassword".to_owned(), "pwdChangedTime".to_owned()],
                        )
                        .await?;
                    let mut count = 0usize;
                    while let Some(entry) = stream.next().await? {
                        let mut entry = SearchEntry::construct(entry);
                        count += 1;
                        let mut first = |name: &str| {
                            let key = entry
                                .attrs
                                .keys()
                                .find(|k| k.eq_ignore_ascii_case(name))
                                .cloned()?;
                            entry.attrs.remove(&key)?.into_iter().next()
                        };
                        let account = SweptAccount {
                            nt_hash: first("sambaNTPassword"),
                            pwd_changed_time: first("pwdChangedTime"),
                            dn: entry.dn,
                        };
                        if out.send(Ok(account)).await.is_err() {
                            break;
                        }
                    }
                    let result = stream.finish().await;
                    Ok((count, result))
                })
                .await
                .map_err(|(e, _)| e);
            let failed = match read {
                Ok((_, result)) if result.rc == 0 => None,
                Ok((count, result)) => Some(DirectoryError::Unexpected(anyhow::anyhow!(
                    "the search of the accounts' NT hashes ended early after {count} (rc {}: {})",
                    result.rc,
                    result.text
                ))),
                Err(error) => Some(error),
            };
            if let Some(error) = failed {
                let _ = sender.send(Err(error)).await;
            }
        });
        receiver
    }
}
