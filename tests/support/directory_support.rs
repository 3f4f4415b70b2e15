//! Helpers for the directory proofs: a `Directory` pointed at a throwaway
//! slapd, people with unique names, and what the tests check behind the
//! gateway's back (a bind as the person, what the rootdn sees).
#![allow(dead_code)]

#[path = "tls.rs"]
mod tls;

use ldap3::{LdapConnAsync, Scope, SearchEntry};
use passerelle::config::{LdapSettings, LockoutSettings};
use passerelle::directory::{Directory, DirectoryError, Person};
use passerelle::slapd::{person_ldif, Slapd, TestPerson, PEOPLE_DN, SERVICE_DN, SERVICE_PASSWORD};
pub use passerelle_domain::cooldown::MailClaim;
pub use passerelle_domain::lockout::{Attempt, LockState};
pub use passerelle_domain::state::{CodeTry, HeldTemporary};
use passerelle_domain::Gateway;
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

/// A new gateway replica on `slapd`: its own `Directory` (the LDAP
/// adapter), and the domain over it for the state operations
/// ([`StateOps`]), one gateway per lockout setting, so that the calls of
/// one replica share its per-entry serialisation as a running gateway's do.
pub fn directory(slapd: &Slapd) -> Replica {
    directory_with(settings_for(vec![slapd.url()]))
}

pub fn directory_with(settings: LdapSettings) -> Replica {
    Replica {
        directory: Directory::new(&settings, SecretString::from(SERVICE_PASSWORD))
            .expect("directory"),
        gateways: Default::default(),
    }
}

/// One gateway replica: see [`directory`]. Dereferences to its adapter.
#[derive(Clone)]
pub struct Replica {
    directory: Directory,
    gateways: std::sync::Arc<std::sync::Mutex<Vec<(LockoutKey, Gateway)>>>,
}

/// A lockout setting, as `(max_failures, lock_seconds)`.
type LockoutKey = (u32, u64);

impl std::ops::Deref for Replica {
    type Target = Directory;

    fn deref(&self) -> &Directory {
        &self.directory
    }
}

impl Replica {
    /// The LDAP adapter alone.
    pub fn adapter(&self) -> Directory {
        self.directory.clone()
    }
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

/// A TCP proxy in front of slapd that can lose the answers to modify
/// requests (the request still reaches slapd and is applied): what a
/// network failure between the write and its answer looks like.
pub struct LossyProxy {
    port: u16,
    lose_modify_answers: std::sync::Arc<AtomicUsize>,
    accepted: std::sync::Arc<AtomicUsize>,
}

impl LossyProxy {
    pub async fn start(target_port: u16) -> LossyProxy {
        use std::sync::Arc;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let lose = Arc::new(AtomicUsize::new(0));
        let lose_in_task = lose.clone();
        let accepted = Arc::new(AtomicUsize::new(0));
        let accepted_in_task = accepted.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                accepted_in_task.fetch_add(1, Ordering::SeqCst);
                let lose = lose_in_task.clone();
                tokio::spawn(async move {
                    let Ok(server) =
                        tokio::net::TcpStream::connect(("127.0.0.1", target_port)).await
                    else {
                        return;
                    };
                    let (mut client_read, client_write) = client.into_split();
                    let (server_read, mut server_write) = server.into_split();
                    tokio::spawn(async move {
                        let _ = tokio::io::copy(&mut client_read, &mut server_write).await;
                    });
                    let _ = forward_answers(server_read, client_write, lose).await;
                });
            }
        });
        LossyProxy {
            port,
            lose_modify_answers: lose,
            accepted,
        }
    }

    pub fn url(&self) -> String {
        format!("ldap://127.0.0.1:{}", self.port)
    }

    /// How many connections it has accepted so far.
    pub fn connections(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }

    /// Loses the answers to the next `count` modify requests.
    pub fn lose_modify_answers(&self, count: usize) {
        self.lose_modify_answers.store(count, Ordering::SeqCst);
    }
}

/// Copies LDAP messages from slapd to the client, dropping ModifyResponses
/// (`[APPLICATION 7]`, tag 0x67) while `lose` counts down.
async fn forward_answers(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    lose: std::sync::Arc<AtomicUsize>,
) -> std::io::Result<()> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut buffer: Vec<u8> = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    loop {
        while let Some(length) = complete_message_length(&buffer) {
            let message: Vec<u8> = buffer.drain(..length).collect();
            let dropped = protocol_op_tag(&message) == Some(0x67)
                && lose
                    .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                    .is_ok();
            if !dropped {
                to.write_all(&message).await?;
            }
        }
        let read = from.read(&mut chunk).await?;
        if read == 0 {
            return Ok(());
        }
        buffer.extend_from_slice(&chunk[..read]);
    }
}

/// (header length, content length) of the BER element at the start of `bytes`.
fn ber_header(bytes: &[u8]) -> Option<(usize, usize)> {
    let first = *bytes.get(1)?;
    if first & 0x80 == 0 {
        return Some((2, usize::from(first)));
    }
    let count = usize::from(first & 0x7F);
    let mut length = 0usize;
    for i in 0..count {
        length = (length << 8) | usize::from(*bytes.get(2 + i)?);
    }
    Some((2 + count, length))
}

fn complete_message_length(bytes: &[u8]) -> Option<usize> {
    let (header, content) = ber_header(bytes)?;
    (bytes.len() >= header + content).then_some(header + content)
}

/// The tag of the protocolOp in `SEQUENCE { messageID INTEGER, protocolOp, … }`.
fn protocol_op_tag(message: &[u8]) -> Option<u8> {
    let (header, _) = ber_header(message)?;
    let id = &message[header..];
    let (id_header, id_length) = ber_header(id)?;
    id.get(id_header + id_length).copied()
}

/// A test CA and a server certificate for 127.0.0.1, in `dir`.
/// Returns (CA PEM, server certificate PEM, server key PEM) paths.
pub fn tls_material(
    dir: &std::path::Path,
) -> (std::path::PathBuf, std::path::PathBuf, std::path::PathBuf) {
    let files = tls::write_test_ca(dir).expect("a test CA");
    (files.ca, files.cert, files.key)
}

/// Turns on TLS (hence StartTLS on the plain port) in the running slapd's
/// cn=config, as its config admin.
pub fn enable_tls(slapd: &Slapd, cert: &std::path::Path, key: &std::path::Path) {
    use std::io::Write;
    let ldif = format!(
        "dn: cn=config\nchangetype: modify\nreplace: olcTLSCertificateFile\nolcTLSCertificateFile: {}\n-\nreplace: olcTLSCertificateKeyFile\nolcTLSCertificateKeyFile: {}\n",
        cert.display(),
        key.display()
    );
    let mut child = std::process::Command::new("ldapmodify")
        .args([
            "-x",
            "-H",
            &slapd.url(),
            "-D",
            passerelle::slapd::CONFIG_ADMIN_DN,
            "-w",
            passerelle::slapd::ADMIN_PASSWORD,
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("ldapmodify");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(ldif.as_bytes())
        .expect("ldif");
    let output = child.wait_with_output().expect("ldapmodify ends");
    assert!(
        output.status.success(),
        "enable TLS: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// An `ldaps://` front for a plain slapd: terminates TLS with `cert`/`key`
/// and forwards the clear LDAP stream. Returns the URL.
pub async fn ldaps_front(
    target_port: u16,
    cert: &std::path::Path,
    key: &std::path::Path,
) -> String {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .expect("cert file")
        .map(|c| c.expect("cert"))
        .collect();
    let key = PrivateKeyDer::from_pem_file(key).expect("key");
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .expect("server config");
    let acceptor = tokio_rustls::TlsAcceptor::from(std::sync::Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(client).await else {
                    return;
                };
                let Ok(mut server) =
                    tokio::net::TcpStream::connect(("127.0.0.1", target_port)).await
                else {
                    return;
                };
                let _ = tokio::io::copy_bidirectional(&mut tls, &mut server).await;
            });
        }
    });
    format!("ldaps://127.0.0.1:{port}")
}

/// The self-service state operations, as one gateway replica over
/// `directory` performs them: the domain's decisions ([`Gateway`]'s state
/// operations) over this replica's LDAP adapter. Each call builds a fresh
/// gateway, so two `Directory` values stand for two replicas that share
/// nothing but the directory.
#[allow(async_fn_in_trait)]
pub trait StateOps {
    fn replica(&self, lockout: &LockoutSettings) -> Gateway;

    async fn begin_attempt(
        &self,
        person: &Person,
        lockout: &LockoutSettings,
    ) -> Result<Attempt, DirectoryError> {
        self.replica(lockout).count_attempt(person).await
    }

    async fn forgive_attempt(
        &self,
        person: &Person,
        attempt: &Attempt,
    ) -> Result<(), DirectoryError> {
        self.replica(&LockoutSettings::default())
            .forgive_attempt(person, attempt)
            .await
    }

    fn lock_state(
        &self,
        person: &Person,
        lockout: &LockoutSettings,
        now: chrono::DateTime<chrono::Utc>,
    ) -> LockState {
        passerelle_domain::lockout::lock_state(&person.state, lockout, now)
    }

    async fn record_failure(
        &self,
        person: &Person,
        lockout: &LockoutSettings,
    ) -> Result<LockState, DirectoryError> {
        self.replica(lockout).record_failure(person).await
    }

    async fn clear_failures(&self, person: &Person) -> Result<(), DirectoryError> {
        self.replica(&LockoutSettings::default())
            .clear_failures(person)
            .await
    }

    async fn set_secret(
        &self,
        person: &Person,
        question: &str,
        answer_hash: &str,
    ) -> Result<(), DirectoryError> {
        self.replica(&LockoutSettings::default())
            .set_secret(person, question, answer_hash)
            .await
    }

    async fn rehash_secret(
        &self,
        person: &Person,
        question: &str,
        old_hash: &str,
        new_hash: &str,
    ) -> Result<bool, DirectoryError> {
        self.replica(&LockoutSettings::default())
            .rehash_secret(person, question, old_hash, new_hash)
            .await
    }

    async fn set_code(
        &self,
        person: &Person,
        hash: &str,
        expiry: chrono::DateTime<chrono::Utc>,
        tries: u32,
        sent_at: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), DirectoryError> {
        self.replica(&LockoutSettings::default())
            .set_code(person, hash, expiry, tries, sent_at)
            .await
    }

    async fn spend_code_try(&self, person: &Person) -> Result<CodeTry, DirectoryError> {
        self.replica(&LockoutSettings::default())
            .spend_code_try(person)
            .await
    }

    async fn clear_code(&self, person: &Person) -> Result<(), DirectoryError> {
        self.replica(&LockoutSettings::default())
            .clear_code(person)
            .await
    }

    async fn claim_mail(
        &self,
        person: &Person,
        cooldown: Duration,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<MailClaim, DirectoryError> {
        self.replica(&LockoutSettings::default())
            .claim_mail(person, cooldown, now)
            .await
    }

    async fn set_pending_temporary(
        &self,
        person: &Person,
        hash: &str,
        expiry: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), DirectoryError> {
        self.replica(&LockoutSettings::default())
            .hold_temporary(person, hash, expiry)
            .await
    }

    async fn take_pending_temporary(
        &self,
        person: &Person,
        now: chrono::DateTime<chrono::Utc>,
        matches: impl Fn(&str) -> bool,
    ) -> Result<HeldTemporary, DirectoryError> {
        self.replica(&LockoutSettings::default())
            .take_held_temporary(person, now, matches)
            .await
    }

    /// Retires the expired temporary passwords, as the server's sweep does.
    async fn retire_expired_temporary_passwords(&self) -> Result<usize, DirectoryError> {
        passerelle_domain::flows::temporary::retire_expired(
            &self.replica(&LockoutSettings::default()),
        )
        .await
    }

    /// Writes a password outright, as an administrator's tool does
    /// ([`Gateway::write_password`]).
    async fn write_password(
        &self,
        person: &Person,
        password: &SecretString,
        kind: passerelle::directory::WriteKind,
    ) -> Result<(), passerelle::directory::PasswordWriteError> {
        self.replica(&LockoutSettings::default())
            .write_password(person, password, kind)
            .await
    }

    /// Whether the person (as read) may not use self-service now.
    async fn self_service_stopped(&self, person: &Person) -> Result<bool, DirectoryError>;
}

impl StateOps for Directory {
    fn replica(&self, lockout: &LockoutSettings) -> Gateway {
        replica_over(self, lockout)
    }

    async fn self_service_stopped(&self, person: &Person) -> Result<bool, DirectoryError> {
        let policy = self.effective_policy(person).await?;
        Ok(passerelle_domain::standing::standing(person, &policy, chrono::Utc::now()).is_err())
    }
}

impl StateOps for Replica {
    fn replica(&self, lockout: &LockoutSettings) -> Gateway {
        let key = (lockout.max_failures, lockout.lock_seconds);
        let mut gateways = self.gateways.lock().expect("gateways");
        if let Some((_, gateway)) = gateways.iter().find(|(k, _)| *k == key) {
            return gateway.clone();
        }
        let gateway = replica_over(&self.directory, lockout);
        gateways.push((key, gateway.clone()));
        gateway
    }

    async fn self_service_stopped(&self, person: &Person) -> Result<bool, DirectoryError> {
        self.directory.self_service_stopped(person).await
    }
}

/// A gateway over `directory` that mails nothing, runs no hook and records
/// no audit trail: the domain's state operations as one replica does them.
pub fn replica_over(directory: &Directory, lockout: &LockoutSettings) -> Gateway {
    passerelle::assemble::quiet_gateway(directory, lockout).expect("a quiet gateway")
}
