//! The spool: every mail the gateway accepted, on disk until the relay
//! took it, so that a page that says "sent" never says it of a mail a
//! crash, a restart or a long relay outage can lose.
//!
//! One file per record, `<id>.rec` in `mail.spool_directory`: a mail (the
//! bytes the relay gets, its envelope, and the note the domain keeps with
//! it), or a promise (off-path work a page answered for, which the domain
//! replaces by its mail or withdraws). A record is written to `<id>.tmp`,
//! synced, renamed over `<id>.rec` and the directory synced, all before
//! the call returns: a record is on disk whole or not at all, and a
//! promise becomes its mail in one rename. A file is removed (and the
//! directory synced) only once the relay answered 250 or the mail was
//! given up.
//!
//! Mails carry codes and temporary passwords: each file is sealed with
//! AES-256-GCM under a key derived from `secrets.code_key`
//! ([`SpoolKey::derive`]), bound to its own name, and readable by the
//! gateway only (0600, the directory 0700). A file that does not open
//! with the key (the key changed, the file was altered) is renamed
//! `<id>.unreadable` and left for the operator, never sent.
//!
//! One gateway per spool: `lock` in the directory is held (`flock`) for as
//! long as the gateway runs, with its process id inside; a second gateway
//! pointed at the same directory refuses to start.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use anyhow::Context as _;
use hmac::{Hmac, Mac};
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{Read as _, Write as _};
use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt as _};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The first bytes of every record file, and what its seal is bound to
/// besides the record's name.
const MAGIC: &[u8; 8] = b"PSPOOL1\n";

/// The largest record read back: the gateway's mails are a few KiB.
const MAX_RECORD_BYTES: u64 = 8 * 1024 * 1024;

/// The key the spool's files are sealed with.
pub struct SpoolKey([u8; 32]);

impl std::fmt::Debug for SpoolKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SpoolKey(…)")
    }
}

impl SpoolKey {
    /// The spool's key, derived from the site's `secrets.code_key`
    /// (HMAC-SHA256 of a fixed label): never the code key's own bytes, and
    /// the same on every start, so that a restarted gateway opens what it
    /// wrote. Changing `code_key` makes spooled mails unreadable, as it
    /// voids the codes they carry.
    pub fn derive(code_key: &SecretString) -> SpoolKey {
        // HMAC takes keys of any length: this cannot fail.
        let mut mac =
            <Hmac<sha2::Sha256> as Mac>::new_from_slice(code_key.expose_secret().as_bytes())
                .unwrap_or_else(|_| unreachable!());
        mac.update(b"passerelle mail spool key v1");
        SpoolKey(mac.finalize().into_bytes().into())
    }
}

/// A record's name: 32 random hex digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct RecordId(String);

impl RecordId {
    pub(crate) fn random() -> RecordId {
        RecordId(hex::encode(rand::random::<[u8; 16]>()))
    }

    fn parse(name: &str) -> Option<RecordId> {
        (name.len() == 32 && name.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| RecordId(name.to_ascii_lowercase()))
    }
}

impl std::fmt::Display for RecordId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a mail record holds besides its bytes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct MailHeader {
    pub template: String,
    /// The recipient's short hash, for logs.
    pub recipient: String,
    /// The address and the subject, for the demo's console line.
    pub to: String,
    pub subject: String,
    /// `MAIL FROM`, `RCPT TO`.
    pub envelope_from: Option<String>,
    pub envelope_to: Vec<String>,
    /// Waits for the entry to store what it carries.
    pub held: bool,
}

/// One record as the spool keeps it.
#[derive(Debug, Clone)]
pub(crate) enum Record {
    Promise {
        accepted_at: SystemTime,
        note: Vec<u8>,
    },
    Mail {
        accepted_at: SystemTime,
        header: MailHeader,
        note: Option<Vec<u8>>,
        message: Vec<u8>,
    },
}

impl Record {
    pub(crate) fn accepted_at(&self) -> SystemTime {
        match self {
            Record::Promise { accepted_at, .. } | Record::Mail { accepted_at, .. } => *accepted_at,
        }
    }
}

/// The first section of a record's plain text.
#[derive(Serialize, Deserialize)]
struct Head {
    kind: Kind,
    /// Unix milliseconds.
    accepted_at: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    mail: Option<MailHeader>,
    has_note: bool,
}

#[derive(Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum Kind {
    Promise,
    Mail,
}

/// What a start found in the spool.
#[derive(Debug, Default)]
pub(crate) struct Found {
    pub records: Vec<(RecordId, Record)>,
    /// Files that do not open with this key (set aside as `.unreadable`).
    pub unreadable: usize,
}

/// An open spool: its directory, locked for this gateway, and the records
/// on disk (their acceptance times, for the metrics).
pub(crate) struct Spool {
    directory: PathBuf,
    key: SpoolKey,
    /// Held open: the `flock` lasts as long as the file stays open.
    _lock: File,
    on_disk: Mutex<HashMap<RecordId, SystemTime>>,
}

impl std::fmt::Debug for Spool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Spool")
            .field("directory", &self.directory)
            .finish_non_exhaustive()
    }
}

impl Spool {
    /// Opens the spool at `directory` (created 0700 when missing) and takes
    /// its lock.
    ///
    /// Errors: the directory cannot be created or restricted, or another
    /// gateway holds it.
    pub(crate) fn open(directory: &Path, key: SpoolKey) -> anyhow::Result<Spool> {
        std::fs::create_dir_all(directory).with_context(|| {
            format!(
                "`mail.spool_directory`: cannot create {}",
                directory.display()
            )
        })?;
        std::fs::set_permissions(directory, std::fs::Permissions::from_mode(0o700)).with_context(
            || {
                format!(
                    "`mail.spool_directory`: cannot restrict {} to the gateway",
                    directory.display()
                )
            },
        )?;
        let path = directory.join("lock");
        let mut lock = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .open(&path)
            .with_context(|| format!("`mail.spool_directory`: cannot open {}", path.display()))?;
        if rustix::fs::flock(&lock, rustix::fs::FlockOperation::NonBlockingLockExclusive).is_err() {
            let mut holder = String::new();
            let _ = lock.read_to_string(&mut holder);
            anyhow::bail!(
                "`mail.spool_directory`: {} is in use by another gateway (process {}): each replica needs a spool of its own",
                directory.display(),
                holder.trim()
            );
        }
        // For an operator who wonders which process holds it.
        lock.set_len(0)?;
        writeln!(lock, "{}", std::process::id())?;
        Ok(Spool {
            directory: directory.to_owned(),
            key,
            _lock: lock,
            on_disk: Mutex::new(HashMap::new()),
        })
    }

    pub(crate) fn directory(&self) -> &Path {
        &self.directory
    }

    fn path(&self, id: &RecordId, extension: &str) -> PathBuf {
        self.directory.join(format!("{id}.{extension}"))
    }

    fn on_disk(&self) -> std::sync::MutexGuard<'_, HashMap<RecordId, SystemTime>> {
        self.on_disk
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Writes `record` as `id`, replacing any record of that name, and
    /// returns once it is on disk (file and directory synced). Blocking.
    pub(crate) fn write(&self, id: &RecordId, record: &Record) -> std::io::Result<()> {
        let sealed = self.seal(id, record);
        let temporary = self.path(id, "tmp");
        let mut file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&temporary)?;
        file.write_all(&sealed)?;
        file.sync_data()?;
        drop(file);
        std::fs::rename(&temporary, self.path(id, "rec"))?;
        self.sync_directory()?;
        self.on_disk().insert(id.clone(), record.accepted_at());
        Ok(())
    }

    /// Removes the record `id` and returns once the removal is on disk.
    /// Blocking. A record already gone is not an error.
    pub(crate) fn remove(&self, id: &RecordId) -> std::io::Result<()> {
        match std::fs::remove_file(self.path(id, "rec")) {
            Ok(()) => self.sync_directory()?,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => return Err(error),
        }
        self.on_disk().remove(id);
        Ok(())
    }

    fn sync_directory(&self) -> std::io::Result<()> {
        File::open(&self.directory)?.sync_all()
    }

    /// Every record a previous run left, oldest first. Half-written files
    /// are removed; files that do not open are renamed `.unreadable`.
    /// Blocking.
    pub(crate) fn scan(&self) -> anyhow::Result<Found> {
        let mut found = Found::default();
        let entries = std::fs::read_dir(&self.directory).with_context(|| {
            format!(
                "`mail.spool_directory`: cannot read {}",
                self.directory.display()
            )
        })?;
        for entry in entries {
            let entry = entry?;
            let name = entry.file_name();
            let Some((stem, extension)) = name.to_str().and_then(|n| n.split_once('.')) else {
                continue;
            };
            let Some(id) = RecordId::parse(stem) else {
                continue;
            };
            match extension {
                // Written when the previous run stopped: never renamed, so
                // never promised to anybody.
                "tmp" => std::fs::remove_file(entry.path())?,
                "unreadable" => found.unreadable += 1,
                "rec" => match self.read(&id) {
                    Some(record) => found.records.push((id, record)),
                    None => {
                        found.unreadable += 1;
                        std::fs::rename(entry.path(), self.path(&id, "unreadable"))?;
                    }
                },
                _ => {}
            }
        }
        found
            .records
            .sort_by_key(|(_, record)| record.accepted_at());
        let mut on_disk = self.on_disk();
        for (id, record) in &found.records {
            on_disk.insert(id.clone(), record.accepted_at());
        }
        Ok(found)
    }

    /// Records on disk.
    pub(crate) fn depth(&self) -> usize {
        self.on_disk().len()
    }

    /// How long the oldest record on disk has been waiting.
    pub(crate) fn oldest_age(&self) -> Duration {
        let oldest = self.on_disk().values().min().copied();
        oldest
            .and_then(|at| SystemTime::now().duration_since(at).ok())
            .unwrap_or_default()
    }

    fn read(&self, id: &RecordId) -> Option<Record> {
        let file = File::open(self.path(id, "rec")).ok()?;
        let mut sealed = Vec::new();
        file.take(MAX_RECORD_BYTES).read_to_end(&mut sealed).ok()?;
        self.open_sealed(id, &sealed)
    }

    fn aad(id: &RecordId) -> Vec<u8> {
        let mut aad = MAGIC.to_vec();
        aad.extend_from_slice(id.0.as_bytes());
        aad
    }

    /// `MAGIC`, the nonce, then the plain text sealed: the head (JSON),
    /// the note, the message, each but the last after its length.
    fn seal(&self, id: &RecordId, record: &Record) -> Vec<u8> {
        let (head, note, message): (Head, &[u8], &[u8]) = match record {
            Record::Promise { accepted_at, note } => (
                Head {
                    kind: Kind::Promise,
                    accepted_at: millis(*accepted_at),
                    mail: None,
                    has_note: true,
                },
                note,
                &[],
            ),
            Record::Mail {
                accepted_at,
                header,
                note,
                message,
            } => (
                Head {
                    kind: Kind::Mail,
                    accepted_at: millis(*accepted_at),
                    mail: Some(header.clone()),
                    has_note: note.is_some(),
                },
                note.as_deref().unwrap_or_default(),
                message,
            ),
        };
        // Strings, numbers and booleans: serialising cannot fail.
        let head = serde_json::to_vec(&head).unwrap_or_default();
        let mut plain = Vec::with_capacity(head.len() + note.len() + message.len() + 8);
        for section in [&head[..], note] {
            plain.extend_from_slice(&(section.len() as u32).to_be_bytes());
            plain.extend_from_slice(section);
        }
        plain.extend_from_slice(message);
        let mut nonce = [0u8; 12];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let sealed = Aes256Gcm::new((&self.key.0).into())
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: &plain,
                    aad: &Self::aad(id),
                },
            )
            .unwrap_or_default();
        let mut out = MAGIC.to_vec();
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        out
    }

    fn open_sealed(&self, id: &RecordId, sealed: &[u8]) -> Option<Record> {
        let rest = sealed.strip_prefix(&MAGIC[..])?;
        if rest.len() < 12 + 16 {
            return None;
        }
        let (nonce, sealed) = rest.split_at(12);
        let plain = Aes256Gcm::new((&self.key.0).into())
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: &Self::aad(id),
                },
            )
            .ok()?;
        let (head, rest) = section(&plain)?;
        let (note, message) = section(rest)?;
        let head: Head = serde_json::from_slice(head).ok()?;
        let accepted_at = UNIX_EPOCH + Duration::from_millis(head.accepted_at);
        Some(match head.kind {
            Kind::Promise => Record::Promise {
                accepted_at,
                note: note.to_vec(),
            },
            Kind::Mail => Record::Mail {
                accepted_at,
                header: head.mail?,
                note: head.has_note.then(|| note.to_vec()),
                message: message.to_vec(),
            },
        })
    }
}

/// A length-prefixed section and what follows it.
fn section(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let length = u32::from_be_bytes(bytes.get(..4)?.try_into().ok()?) as usize;
    let rest = &bytes[4..];
    (rest.len() >= length).then(|| rest.split_at(length))
}

fn millis(at: SystemTime) -> u64 {
    at.duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or_default()
}

/// Whether the gateway could keep its spool at `directory`: the directory
/// exists (or can be created) and takes a file. For `passerelle check`,
/// which runs beside a serving gateway: it never takes the lock.
pub fn check_writable(directory: &Path) -> Result<(), String> {
    if !directory.exists() {
        let mut parent = directory.parent();
        while let Some(candidate) = parent {
            if candidate.as_os_str().is_empty() || candidate.exists() {
                break;
            }
            parent = candidate.parent();
        }
        let parent = parent
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        return match tempfile::Builder::new()
            .prefix(".passerelle-check")
            .tempdir_in(parent)
        {
            Ok(_) => Ok(()),
            Err(error) => Err(format!(
                "{} does not exist and cannot be created ({} does not take a directory: {error})",
                directory.display(),
                parent.display()
            )),
        };
    }
    if !directory.is_dir() {
        return Err(format!("{} is not a directory", directory.display()));
    }
    tempfile::Builder::new()
        .prefix(".passerelle-check")
        .tempfile_in(directory)
        .map(|_| ())
        .map_err(|error| format!("{} does not take a file: {error}", directory.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(text: &str) -> SpoolKey {
        SpoolKey::derive(&SecretString::from(text.to_owned()))
    }

    fn mail(message: &str) -> Record {
        Record::Mail {
            accepted_at: UNIX_EPOCH + Duration::from_secs(1_800_000_000),
            header: MailHeader {
                template: "reset_code".into(),
                recipient: "0123456789ab".into(),
                to: "camille@example.org".into(),
                subject: "Sésame".into(),
                envelope_from: Some("no-reply@example.org".into()),
                envelope_to: vec!["camille@example.org".into()],
                held: true,
            },
            note: Some(b"{\"note\":1}".to_vec()),
            message: message.as_bytes().to_vec(),
        }
    }

    #[test]
    fn a_record_comes_back_as_written_and_its_file_reveals_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let spool = Spool::open(&dir.path().join("spool"), key("k".repeat(40).as_str())).unwrap();
        let id = RecordId::random();
        spool.write(&id, &mail("code 238392")).unwrap();
        let file = std::fs::read(spool.path(&id, "rec")).unwrap();
        assert!(!file.windows(6).any(|w| w == b"238392"));
        assert!(!file.windows(8).any(|w| w == b"camille@"));
        let mode = std::fs::metadata(spool.path(&id, "rec"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        let mode = std::fs::metadata(spool.directory())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o700);
        let Some(Record::Mail {
            header,
            note,
            message,
            ..
        }) = spool.read(&id)
        else {
            panic!("a mail record");
        };
        assert!(header.held);
        assert_eq!(note.as_deref(), Some(&b"{\"note\":1}"[..]));
        assert_eq!(message, b"code 238392");
        assert_eq!(spool.depth(), 1);
        spool.remove(&id).unwrap();
        assert_eq!(spool.depth(), 0);
        assert!(!spool.path(&id, "rec").exists());
    }

    #[test]
    fn a_second_gateway_cannot_take_a_spool_in_use() {
        let dir = tempfile::tempdir().unwrap();
        let _first = Spool::open(dir.path(), key("first key of enough length....")).unwrap();
        let second = Spool::open(dir.path(), key("first key of enough length....")).unwrap_err();
        let text = format!("{second:#}");
        assert!(text.contains("in use by another gateway"), "{text}");
        assert!(text.contains(&std::process::id().to_string()), "{text}");
    }

    #[test]
    fn a_file_sealed_under_another_key_or_renamed_is_set_aside() {
        let dir = tempfile::tempdir().unwrap();
        let (id, other) = (RecordId::random(), RecordId::random());
        {
            let spool = Spool::open(dir.path(), key("the key before the change.....")).unwrap();
            spool.write(&id, &mail("a")).unwrap();
            spool.write(&other, &mail("b")).unwrap();
        }
        // A record moved to another name no longer opens either.
        let moved = RecordId::random();
        std::fs::rename(
            dir.path().join(format!("{other}.rec")),
            dir.path().join(format!("{moved}.rec")),
        )
        .unwrap();
        std::fs::write(
            dir.path().join(format!("{}.tmp", RecordId::random())),
            "half",
        )
        .unwrap();
        let spool = Spool::open(dir.path(), key("the key after the change......")).unwrap();
        let found = spool.scan().unwrap();
        assert!(found.records.is_empty());
        assert_eq!(found.unreadable, 2);
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
        assert_eq!(
            names.iter().filter(|n| n.ends_with(".unreadable")).count(),
            2
        );
    }

    #[test]
    fn check_writable_names_what_is_wrong() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(check_writable(dir.path()), Ok(()));
        assert_eq!(check_writable(&dir.path().join("a/b/spool")), Ok(()));
        let file = dir.path().join("a-file");
        std::fs::write(&file, "").unwrap();
        let error = check_writable(&file.join("spool")).unwrap_err();
        assert!(error.contains("cannot be created"), "{error}");
        assert!(check_writable(&file)
            .unwrap_err()
            .contains("not a directory"));
    }
}
