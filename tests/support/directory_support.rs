//! Helpers for the directory proofs: a `Directory` pointed at a throwaway
//! slapd, people with unique names, and what the tests check behind the
//! gateway's back (a bind as the person, what the rootdn sees).
#![allow(dead_code)]

use ldap3::{LdapConnAsync, Scope, SearchEntry};
use passerelle::config::LdapSettings;
use passerelle::directory::{Directory, Person};
use passerelle::slapd::{person_ldif, Slapd, TestPerson, PEOPLE_DN, SERVICE_DN, SERVICE_PASSWORD};
use secrecy::SecretString;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Gateway settings for `urls`, as a site would write them.
pub fn settings_for(urls: Vec<String>) -> LdapSettings {
    LdapSettings {
        urls,
        bind_dn: SERVICE_DN.into(),
        base_dn: PEOPLE_DN.into(),
        recovery_mail_attributes: vec!["supannMailPerso".into()],
        timeout_seconds: 3,
        pool_size: 4,
        ..LdapSettings::default()
    }
}

/// A new gateway `Directory` (one per replica) on `slapd`.
pub fn directory(slapd: &Slapd) -> Directory {
    directory_with(settings_for(vec![slapd.url()]))
}

pub fn directory_with(settings: LdapSettings) -> Directory {
    Directory::new(&settings, SecretString::from(SERVICE_PASSWORD)).expect("directory")
}

/// Starts a throwaway slapd without blocking the async runtime's thread.
pub async fn start_slapd() -> Slapd {
    tokio::task::spawn_blocking(|| Slapd::start(passerelle::slapd::People::Empty))
        .await
        .expect("join")
        .expect("slapd starts")
}

/// A uid no other test uses.
pub fn unique_uid(prefix: &str) -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    format!("{prefix}{}", NEXT.fetch_add(1, Ordering::SeqCst))
}

pub fn dn_of(uid: &str) -> String {
    format!("uid={uid},{PEOPLE_DN}")
}

/// Adds a person as the rootdn and finds them through the gateway.
pub async fn add_person(
    slapd: &Slapd,
    directory: &Directory,
    uid: &str,
    person: &TestPerson,
) -> Person {
    slapd
        .add_ldif(&person_ldif(uid, person))
        .expect("add person");
    directory
        .find_person_by_input(uid)
        .await
        .expect("search")
        .expect("the new person is found")
}

/// Does a simple bind as `dn` with `password` succeed (what CAS does)?
pub async fn binds(url: &str, dn: &str, password: &str) -> bool {
    let (conn, mut ldap) = LdapConnAsync::new(url).await.expect("connect");
    ldap3::drive!(conn);
    let ok = ldap
        .simple_bind(dn, password)
        .await
        .map(|r| r.rc == 0)
        .unwrap_or(false);
    let _ = ldap.unbind().await;
    ok
}

/// The attributes of one entry as the rootdn sees them (lowercase names).
pub fn admin_view(slapd: &Slapd, dn: &str, attrs: &[&str]) -> HashMap<String, Vec<String>> {
    let entries = slapd
        .search_as_admin(dn, "(objectClass=*)", attrs)
        .expect("admin search");
    let (_, found) = entries.into_iter().next().expect("entry exists");
    found
        .into_iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v))
        .collect()
}

pub fn first(view: &HashMap<String, Vec<String>>, attr: &str) -> Option<String> {
    view.get(&attr.to_ascii_lowercase())
        .and_then(|v| v.first().cloned())
}

/// What the service account can read of an entry, asked directly.
pub async fn service_view(url: &str, dn: &str, attrs: &[&str]) -> Vec<SearchEntry> {
    let (conn, mut ldap) = LdapConnAsync::new(url).await.expect("connect");
    ldap3::drive!(conn);
    ldap.simple_bind(SERVICE_DN, SERVICE_PASSWORD)
        .await
        .expect("bind")
        .success()
        .expect("service bind");
    let (entries, _) = ldap
        .search(dn, Scope::Base, "(objectClass=*)", attrs.to_vec())
        .await
        .expect("search")
        .success()
        .expect("search result");
    entries.into_iter().map(SearchEntry::construct).collect()
}

/// Polls `check` until it holds or `limit` passes.
pub async fn eventually<F, Fut>(limit: Duration, mut check: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + limit;
    loop {
        if check().await {
            return true;
        }
        if Instant::now() > deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A port with nothing listening on it (bound, then released).
pub fn dead_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

/// Days since the Unix epoch, as shadowLastChange holds them.
pub fn today_in_days() -> i64 {
    chrono::Utc::now().timestamp().div_euclid(86_400)
}
