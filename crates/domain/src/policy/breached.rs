//! Breached passwords, offline: is a candidate's NT hash in the list of
//! hashes of passwords known to have leaked?
//!
//! Sites download the list as one file, Have I Been Pwned's "NTLM, ordered
//! by hash" (`policy.breached_hashes_file`): one line per password,
//! `HEX32:COUNT`, the NT hash in 32 uppercase hexadecimal digits (MD4 of the
//! UTF-16LE password, as `sambaNTPassword` holds it), a colon and how many
//! times it was seen, sorted by hash, lines ending in LF or CRLF. A line may
//! also hold the hash alone. Lines differ in length (the count has 1 to 10
//! or more digits), so the search is a binary search over *byte offsets*:
//! each probe reads a small window around the middle offset, steps back to
//! the start of the line it falls in, and compares that line's hash. About
//! 30 probes find any hash in the full list of ~900 million lines; nothing
//! is loaded into memory and nothing goes to the network.
//!
//! A binary search over a file that is not sorted answers "not found" for
//! hashes that are in it, and the other download, "ordered by prevalence",
//! has the very same lines in another order: a gateway given it would
//! accept the most common leaked passwords of all. So the whole file is
//! read once when it is opened ([`BreachedHashes::open`]: every line
//! `HEX32[:COUNT]`, each hash at or above the one before), and again in
//! the background whenever the file at that path changes (a new download
//! moved into place); a file that fails is refused with its line number.
//! Reading is one streaming pass, 8 MiB at a time: `cargo bench --bench
//! breached` measured 908 MB (23.3 million lines) in 1.9 s, about
//! 470 MB/s, from the page cache on a shared 2-core VM under a load
//! average of 9 to 12 (`BENCHMARKS.md`). The full list (~900 million lines,
//! ~36 GB) then takes about 75 s at start, more from a cold disk whose
//! speed is then the bound; the gateway logs when it starts and ends.
//!
//! The probes are positioned reads (`pread`) of the open file rather than a
//! memory map: the crate forbids `unsafe`, and a memory map of a file that
//! IT replaces in place while the gateway runs would crash the process
//! (SIGBUS) where a read simply returns what is there. The kernel's page
//! cache keeps the pages the search touches, so a lookup is about 20
//! positioned reads: ~50 µs measured on a busy 2-core VM with a 1M-line
//! list (`cargo bench --bench breached`), nothing next to the password
//! write itself.

use secrecy::SecretString;
use std::fs::File;
use std::io::Read;
use std::os::unix::fs::{FileExt, MetadataExt};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant, SystemTime};

/// Length of an NT hash in hexadecimal digits.
const HASH_DIGITS: usize = 32;

/// The longest line accepted, in bytes: 32 digits, a colon, a count of up to
/// 20 digits and CRLF fit with room to spare.
const MAX_LINE_BYTES: usize = 64;

/// How often a search looks whether the file at the list's path changed.
const LOOK_EVERY: Duration = Duration::from_secs(10);

/// Why the list cannot be opened or searched. Each names the file.
#[derive(Debug, thiserror::Error)]
pub enum BreachedListError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is empty")]
    Empty { path: PathBuf },
    #[error(
        "{path}: the line at byte {offset} is not `HEX32:COUNT` \
         (the NTLM \"ordered by hash\" list of Have I Been Pwned)"
    )]
    Malformed { path: PathBuf, offset: u64 },
    #[error(
        "{path}, line {line}: not `HEX32:COUNT` (32 hexadecimal digits, a colon \
         and a count: the NTLM \"ordered by hash\" list of Have I Been Pwned)"
    )]
    MalformedLine { path: PathBuf, line: u64 },
    #[error(
        "{path}, line 1: a SHA-1 hash (40 hexadecimal digits): this is Have I \
         Been Pwned's SHA-1 list; the gateway needs the NTLM one, \"ordered by hash\""
    )]
    Sha1 { path: PathBuf },
    #[error(
        "{path}, line {line}: its hash sorts before the one on line {previous}, \
         so the list is not ordered by hash (Have I Been Pwned's NTLM list \
         \"ordered by prevalence\" is the other download: take the one \
         \"ordered by hash\"); a search in it would miss listed passwords"
    )]
    Unsorted {
        path: PathBuf,
        line: u64,
        previous: u64,
    },
    #[error(
        "{path} changed since it was checked, and the new file is not checked \
         yet (or was refused): the rule waits for a list that passes"
    )]
    Changed { path: PathBuf },
}

/// What the whole-file check found in a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListSummary {
    /// Lines, each one hash.
    pub hashes: u64,
    /// Whether every line carries its count (`HEX32:COUNT`, as Have I Been
    /// Pwned ships it) rather than the hash alone.
    pub counts: bool,
    /// The file's size.
    pub bytes: u64,
    /// How long the check read.
    pub checked_in: Duration,
}

impl ListSummary {
    /// Which list this is, in words: "Have I Been Pwned's NTLM list
    /// ordered by hash" (with counts) or "NT hashes ordered by hash".
    pub fn kind(&self) -> &'static str {
        if self.counts {
            "Have I Been Pwned's NTLM list ordered by hash (HASH:COUNT)"
        } else {
            "NT hashes ordered by hash, without counts"
        }
    }
}

/// The open list of breached NT hashes. Cheap to share (`Arc`); lookups
/// from many requests at once are independent positioned reads.
#[derive(Debug)]
pub struct BreachedHashes {
    path: PathBuf,
    inner: Arc<Watched>,
}

/// The list as checked, and the watch on its path.
#[derive(Debug)]
struct Watched {
    current: RwLock<Arc<Checked>>,
    watch: Mutex<Watch>,
    look_every: Duration,
}

/// A file that passed the whole-file check, open.
#[derive(Debug)]
struct Checked {
    path: PathBuf,
    file: File,
    len: u64,
    stamp: Stamp,
    summary: ListSummary,
}

#[derive(Debug)]
struct Watch {
    last_look: Instant,
    /// A file at the path is being checked now.
    checking: bool,
    /// The last file refused, not to be read again until it changes.
    refused: Option<Stamp>,
}

/// What tells one version of a file from another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    device: u64,
    inode: u64,
    len: u64,
    modified: Option<SystemTime>,
}

impl Stamp {
    fn of(metadata: &std::fs::Metadata) -> Stamp {
        Stamp {
            device: metadata.dev(),
            inode: metadata.ino(),
            len: metadata.len(),
            modified: metadata.modified().ok(),
        }
    }
}

/// Two lists are the same list when they are the same file: what matters
/// for comparing two [`super::PasswordPolicy`] values.
impl PartialEq for BreachedHashes {
    fn eq(&self, other: &Self) -> bool {
        self.path == other.path
    }
}

impl Eq for BreachedHashes {}

/// One line of the list, as read.
struct Line {
    /// Byte offset of the line's first byte.
    start: u64,
    /// Byte offset just after its line feed (the file's length for a last
    /// line without one).
    end: u64,
    /// The hash, in uppercase.
    hash: [u8; HASH_DIGITS],
}

impl BreachedHashes {
    /// Opens the list and reads it whole ([`check_sorted`]): every line
    /// `HEX32[:COUNT]`, each hash at or above the one before. Refused
    /// otherwise, naming the line. Takes as long as reading the file (see
    /// the module).
    pub fn open(path: &Path) -> Result<BreachedHashes, BreachedListError> {
        BreachedHashes::open_watched(path, LOOK_EVERY)
    }

    fn open_watched(
        path: &Path,
        look_every: Duration,
    ) -> Result<BreachedHashes, BreachedListError> {
        let checked = Checked::open(path)?;
        Ok(BreachedHashes {
            path: path.to_owned(),
            inner: Arc::new(Watched {
                current: RwLock::new(Arc::new(checked)),
                watch: Mutex::new(Watch {
                    last_look: Instant::now(),
                    checking: false,
                    refused: None,
                }),
                look_every,
            }),
        })
    }

    /// The file this list was opened from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What the check of the list in use found.
    pub fn summary(&self) -> ListSummary {
        self.inner.current().summary
    }

    /// Whether `password` (put in NFC, as it would be written) is in the
    /// list. Errors: the file cannot be read, or a line probed is not
    /// `HEX32[:COUNT]` (a truncated or foreign file).
    pub fn contains(&self, password: &SecretString) -> Result<bool, BreachedListError> {
        let hash = crate::nthash::nt_hash(password);
        self.contains_nt_hash(&hash)
    }

    /// [`contains`](Self::contains) for a password already in NFC.
    pub fn contains_str(&self, password: &str) -> Result<bool, BreachedListError> {
        self.contains(&SecretString::from(password.to_owned()))
    }

    /// Whether the NT hash `hex` (32 hexadecimal digits, either case) is in
    /// the list. Anything that is not such a hash is never in it. A file
    /// changed in place since it was checked is not searched
    /// ([`BreachedListError::Changed`]) until its new content passes.
    pub fn contains_nt_hash(&self, hex: &str) -> Result<bool, BreachedListError> {
        let list = self.inner.usable(&self.path)?;
        list.contains_nt_hash(hex)
    }
}

impl Watched {
    fn current(&self) -> Arc<Checked> {
        match self.current.read() {
            Ok(current) => current.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// The checked list to search now. Every `look_every`, whether the file
    /// at `path` is still the one checked: when it is not, the new one is
    /// checked in the background and replaces it once it passes; until
    /// then the one in use stays in use if its own content is untouched (a
    /// new file moved into place), and the search is refused if it was
    /// changed in place.
    fn usable(self: &Arc<Self>, path: &Path) -> Result<Arc<Checked>, BreachedListError> {
        let current = self.current();
        let look = {
            let Ok(mut watch) = self.watch.lock() else {
                return Ok(current);
            };
            if watch.last_look.elapsed() < self.look_every {
                false
            } else {
                watch.last_look = Instant::now();
                true
            }
        };
        if !look {
            return Ok(current);
        }
        let at_path = std::fs::metadata(path).map(|m| Stamp::of(&m));
        if at_path.as_ref().ok() == Some(&current.stamp) {
            return Ok(current);
        }
        if let Ok(stamp) = at_path {
            self.recheck(path, stamp);
        }
        // Removed, or replaced: the file checked is still open.
        let own = current.file.metadata().map(|m| Stamp::of(&m));
        if own.as_ref().ok() == Some(&current.stamp) {
            Ok(current)
        } else {
            Err(BreachedListError::Changed {
                path: path.to_owned(),
            })
        }
    }

    /// Checks the file now at `path` (its stamp `stamp`) on a thread of its
    /// own, unless one is already being checked or it was refused before.
    fn recheck(self: &Arc<Self>, path: &Path, stamp: Stamp) {
        {
            let Ok(mut watch) = self.watch.lock() else {
                return;
            };
            if watch.checking || watch.refused == Some(stamp) {
                return;
            }
            watch.checking = true;
        }
        tracing::info!(
            path = %path.display(),
            "the breached-password list changed: checking the new file"
        );
        let watched = self.clone();
        let path = path.to_owned();
        let spawned = std::thread::Builder::new()
            .name("breached-list-check".into())
            .spawn(move || {
                let outcome = Checked::open(&path);
                let refused = match outcome {
                    Ok(checked) => {
                        tracing::info!(
                            path = %path.display(),
                            list = checked.summary.kind(),
                            hashes = checked.summary.hashes,
                            seconds = checked.summary.checked_in.as_secs_f64(),
                            "the new breached-password list is in use"
                        );
                        match watched.current.write() {
                            Ok(mut current) => *current = Arc::new(checked),
                            Err(poisoned) => *poisoned.into_inner() = Arc::new(checked),
                        }
                        None
                    }
                    Err(error) => {
                        tracing::error!(
                            %error,
                            "policy.breached_hashes_file: the new file is refused; the rule keeps the list it had if that file is intact, and is not applied otherwise"
                        );
                        Some(stamp)
                    }
                };
                if let Ok(mut watch) = watched.watch.lock() {
                    watch.checking = false;
                    if refused.is_some() {
                        watch.refused = refused;
                    }
                }
            });
        if spawned.is_err() {
            if let Ok(mut watch) = self.watch.lock() {
                watch.checking = false;
            }
        }
    }
}

impl Checked {
    /// Opens the file at `path` and reads it whole.
    fn open(path: &Path) -> Result<Checked, BreachedListError> {
        let io = |source| BreachedListError::Io {
            path: path.to_owned(),
            source,
        };
        let file = File::open(path).map_err(io)?;
        let metadata = file.metadata().map_err(io)?;
        let len = metadata.len();
        if len == 0 {
            return Err(BreachedListError::Empty {
                path: path.to_owned(),
            });
        }
        let summary = check_sorted(&file, path)?;
        Ok(Checked {
            path: path.to_owned(),
            file,
            len,
            stamp: Stamp::of(&metadata),
            summary,
        })
    }

    fn contains_nt_hash(&self, hex: &str) -> Result<bool, BreachedListError> {
        let Some(target) = parse_hash(hex.as_bytes()) else {
            return Ok(false);
        };
        // Invariant: `low` is the start of a line, `high` the start of a line
        // or the end of the file, and the target, if present, starts in
        // [low, high).
        let (mut low, mut high) = (0u64, self.len);
        while low < high {
            let middle = low + (high - low) / 2;
            let line = self.line_at(low, middle)?;
            match line.hash.cmp(&target) {
                std::cmp::Ordering::Equal => return Ok(true),
                std::cmp::Ordering::Less => low = line.end,
                std::cmp::Ordering::Greater => high = line.start,
            }
        }
        Ok(false)
    }
    /// The line that holds byte `offset`, knowing that a line starts at
    /// `floor` (≤ `offset`): one read of a window around `offset`.
    fn line_at(&self, floor: u64, offset: u64) -> Result<Line, BreachedListError> {
        let from = offset
            .saturating_sub(MAX_LINE_BYTES as u64)
            .max(floor)
            .min(offset);
        let mut window = [0u8; 3 * MAX_LINE_BYTES];
        let read = self.read_window(from, &mut window)?;
        let window = &window[..read];
        let at = usize::try_from(offset - from).unwrap_or(usize::MAX);
        let malformed = || BreachedListError::Malformed {
            path: self.path.clone(),
            offset,
        };
        if at >= window.len() {
            return Err(malformed());
        }
        // The line starts after the last line feed before `offset`, or at
        // `from` when that is the known line start `floor` (or the file's).
        let start = match window[..at].iter().rposition(|&b| b == b'\n') {
            Some(newline) => newline + 1,
            None if from == floor => 0,
            None => return Err(malformed()),
        };
        // A line feed at `offset` itself ends the line that holds it.
        let rest = &window[start..];
        let end = match rest.iter().position(|&b| b == b'\n') {
            Some(newline) => start + newline + 1,
            // The last line of a file without a final line feed.
            None if from + read as u64 == self.len => window.len(),
            None => return Err(malformed()),
        };
        let line_start = from + start as u64;
        let hash = parse_line(&window[start..end]).ok_or_else(|| BreachedListError::Malformed {
            path: self.path.clone(),
            offset: line_start,
        })?;
        Ok(Line {
            start: line_start,
            end: from + end as u64,
            hash,
        })
    }

    /// Fills `window` from `from`, short only at the end of the file.
    fn read_window(&self, from: u64, window: &mut [u8]) -> Result<usize, BreachedListError> {
        let mut filled = 0;
        while filled < window.len() {
            match self
                .file
                .read_at(&mut window[filled..], from + filled as u64)
            {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
                Err(source) => {
                    return Err(BreachedListError::Io {
                        path: self.path.clone(),
                        source,
                    })
                }
            }
        }
        Ok(filled)
    }
}

/// The uppercase hash of one line `HEX32[:COUNT]` with its line ending.
fn parse_line(line: &[u8]) -> Option<[u8; HASH_DIGITS]> {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    if line.len() < HASH_DIGITS {
        return None;
    }
    let (hash, rest) = line.split_at(HASH_DIGITS);
    let count_ok = match rest.split_first() {
        None => true,
        Some((b':', digits)) => digits.iter().all(u8::is_ascii_digit),
        Some(_) => false,
    };
    if !count_ok {
        return None;
    }
    parse_hash(hash)
}

/// 32 hexadecimal digits, in uppercase; `None` for anything else.
fn parse_hash(hex: &[u8]) -> Option<[u8; HASH_DIGITS]> {
    let hex: [u8; HASH_DIGITS] = hex.try_into().ok()?;
    if !hex.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    Some(hex.map(|b| b.to_ascii_uppercase()))
}

/// Uppercase hexadecimal digit of each byte, 0 for a byte that is not one.
const HEX_UPPER: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = match b as u8 {
            c @ (b'0'..=b'9' | b'A'..=b'F') => c,
            c @ b'a'..=b'f' => c - 32,
            _ => 0,
        };
        b += 1;
    }
    table
};

/// How much of the file one read takes in [`check_sorted`].
const CHECK_CHUNK_BYTES: usize = 8 << 20;

/// Reads the whole of `file` once, front to back: every line
/// `HEX32[:COUNT]` (LF or CRLF, the last line's ending optional), each
/// hash at or above the hash of the line before. What it found, or the
/// first line that fails, by number. `path` names the file in errors.
pub fn check_sorted(file: &File, path: &Path) -> Result<ListSummary, BreachedListError> {
    let started = Instant::now();
    let io = |source| BreachedListError::Io {
        path: path.to_owned(),
        source,
    };
    let mut reader = file;
    let mut buffer = vec![0u8; CHECK_CHUNK_BYTES];
    // Bytes of a line cut by the end of the previous read.
    let mut carried = 0usize;
    let mut state = SortCheck {
        path,
        previous: [0u8; HASH_DIGITS],
        line: 0,
        counts: true,
    };
    let mut bytes = 0u64;
    loop {
        let read = match reader.read(&mut buffer[carried..]) {
            Ok(n) => n,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(io(error)),
        };
        bytes += read as u64;
        let filled = carried + read;
        if read == 0 {
            // The last line, without a line feed.
            if filled > 0 {
                state.line(&buffer[..filled])?;
            }
            break;
        }
        let mut start = 0;
        for newline in memchr::memchr_iter(b'\n', &buffer[carried..filled]) {
            let end = carried + newline;
            state.line(&buffer[start..end])?;
            start = end + 1;
        }
        // What follows the last line feed starts the next read. A line
        // longer than a line can be never ends: refused as it is.
        carried = filled - start;
        if carried > MAX_LINE_BYTES {
            state.line += 1;
            return Err(state.malformed());
        }
        buffer.copy_within(start..filled, 0);
    }
    if state.line == 0 {
        return Err(BreachedListError::Empty {
            path: path.to_owned(),
        });
    }
    Ok(ListSummary {
        hashes: state.line,
        counts: state.counts,
        bytes,
        checked_in: started.elapsed(),
    })
}

/// [`check_sorted`] between two lines.
struct SortCheck<'a> {
    path: &'a Path,
    /// The hash of the line before, in uppercase.
    previous: [u8; HASH_DIGITS],
    /// Lines read so far.
    line: u64,
    /// Every line so far has a count.
    counts: bool,
}

impl SortCheck<'_> {
    /// One line, without its line feed.
    #[inline]
    fn line(&mut self, line: &[u8]) -> Result<(), BreachedListError> {
        self.line += 1;
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.len() < HASH_DIGITS {
            return Err(self.malformed());
        }
        let (hex, rest) = line.split_at(HASH_DIGITS);
        let mut hash = [0u8; HASH_DIGITS];
        let mut valid = true;
        for (digit, &byte) in hash.iter_mut().zip(hex) {
            *digit = HEX_UPPER[usize::from(byte)];
            valid &= *digit != 0;
        }
        if !valid {
            return Err(self.malformed());
        }
        match rest.split_first() {
            None => self.counts = false,
            Some((b':', digits)) if digits.iter().all(u8::is_ascii_digit) => {}
            _ if self.line == 1 && is_sha1_line(line) => {
                return Err(BreachedListError::Sha1 {
                    path: self.path.to_owned(),
                })
            }
            _ => return Err(self.malformed()),
        }
        if hash < self.previous {
            return Err(BreachedListError::Unsorted {
                path: self.path.to_owned(),
                line: self.line,
                previous: self.line - 1,
            });
        }
        self.previous = hash;
        Ok(())
    }

    /// The current line is not a line of the list.
    fn malformed(&self) -> BreachedListError {
        BreachedListError::MalformedLine {
            path: self.path.to_owned(),
            line: self.line,
        }
    }
}

/// A line of Have I Been Pwned's SHA-1 list: 40 hexadecimal digits, then
/// nothing or `:COUNT`.
fn is_sha1_line(line: &[u8]) -> bool {
    line.len() >= 40
        && line[..40].iter().all(u8::is_ascii_hexdigit)
        && matches!(line.get(40), None | Some(b':'))
}

/// Writes the list of `passwords` in the downloaded file's form (sorted
/// NT hashes, `HASH:COUNT`, CRLF as Have I Been Pwned ships it), each with
/// count 1: how `config/breached-sample.txt` is made, and what the tests
/// and the benchmark search.
pub fn sample_list<'a>(passwords: impl IntoIterator<Item = &'a str>) -> String {
    let mut hashes: Vec<String> = passwords
        .into_iter()
        .map(|p| crate::nthash::nt_hash(&SecretString::from(p.to_owned())))
        .collect();
    hashes.sort();
    hashes.dedup();
    hashes.iter().map(|h| format!("{h}:1\r\n")).collect()
}

/// The passwords of `config/breached-sample.txt`: common French and
/// English choices that nevertheless pass the usual class rules, so that
/// the demo shows the breached-password rule refusing them.
pub const SAMPLE_PASSWORDS: &[&str] = &[
    "Motdepasse1!",
    "Motdepasse123!",
    "Motdepasse2024!",
    "Azerty123!",
    "Azerty1234!",
    "Azertyuiop1!",
    "Azertyuiop123!",
    "Password1!",
    "Password123!",
    "P@ssw0rd",
    "P@ssw0rd2024!",
    "Soleil2024!",
    "Bonjour123!",
    "Marseille13!",
    "Jetaime123!",
    "Chocolat1!",
    "Universite2024!",
    "Welcome1!",
    "Qwerty123!",
    "Admin123!",
];

impl super::PasswordPolicy {
    /// Whether `candidate` is in the breached list, for the rule's check:
    /// a list that cannot be read is logged and the rule is not applied
    /// (the directory's rules still are), rather than refusing everyone.
    pub(super) fn breached_status(&self, candidate: &str) -> Option<bool> {
        let list = self.breached.as_deref()?;
        match list.contains_str(candidate) {
            Ok(found) => Some(found),
            Err(error) => {
                tracing::error!(%error, "the breached-password list could not be searched");
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn list_file(content: &str) -> tempfile::NamedTempFile {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(content.as_bytes()).unwrap();
        file.flush().unwrap();
        file
    }

    /// Hashes `0..n` spread over the hash space, with counts of varied
    /// lengths, so lines differ in length as in the real list.
    fn generated(n: u64, crlf: bool) -> (String, Vec<String>) {
        let mut hashes: Vec<String> = (0..n)
            .map(|i| {
                format!(
                    "{:032X}",
                    u128::from(i) * 0x0123_4567_89AB_CDEF_0123_4567_89AB
                )
            })
            .collect();
        hashes.sort();
        let ending = if crlf { "\r\n" } else { "\n" };
        let text = hashes
            .iter()
            .enumerate()
            .map(|(i, h)| format!("{h}:{}{ending}", 7u64.pow((i % 11) as u32)))
            .collect();
        (text, hashes)
    }

    #[test]
    fn every_hash_of_a_list_is_found_and_its_neighbours_are_not() {
        for crlf in [false, true] {
            for n in [1, 2, 3, 10, 257] {
                let (text, hashes) = generated(n, crlf);
                let file = list_file(&text);
                let list = BreachedHashes::open(file.path()).unwrap();
                for hash in &hashes {
                    assert!(list.contains_nt_hash(hash).unwrap(), "{hash} in {n}");
                    assert!(list.contains_nt_hash(&hash.to_lowercase()).unwrap());
                    let above = format!("{:032X}", u128::from_str_radix(hash, 16).unwrap() + 1);
                    assert!(!list.contains_nt_hash(&above).unwrap(), "{above} in {n}");
                    let below = u128::from_str_radix(hash, 16).unwrap().checked_sub(1);
                    if let Some(below) = below.map(|b| format!("{b:032X}")) {
                        if !hashes.contains(&below) {
                            assert!(!list.contains_nt_hash(&below).unwrap());
                        }
                    }
                }
                assert!(!list.contains_nt_hash(&"F".repeat(32)).unwrap());
            }
        }
    }

    #[test]
    fn a_last_line_without_line_feed_and_lines_without_counts_are_read() {
        let text = "0000000000000000000000000000000A\n\
                    0000000000000000000000000000000B:12\n\
                    0000000000000000000000000000000C:3";
        let list = BreachedHashes::open(list_file(text).path()).unwrap();
        for hash in ["A", "B", "C"] {
            let hash = format!("{hash:0>32}");
            assert!(list.contains_nt_hash(&hash).unwrap(), "{hash}");
        }
        assert!(!list.contains_nt_hash(&format!("{:0>32}", "D")).unwrap());
    }

    #[test]
    fn a_password_is_looked_up_by_its_nt_hash_in_nfc() {
        let list = BreachedHashes::open(list_file(&sample_list(["Été2024!"])).path()).unwrap();
        assert!(list.contains(&SecretString::from("Été2024!")).unwrap());
        assert!(list
            .contains(&SecretString::from("E\u{301}te\u{301}2024!"))
            .unwrap());
        assert!(!list.contains(&SecretString::from("Ete2024!")).unwrap());
    }

    #[test]
    fn files_that_are_not_the_list_are_refused_at_open() {
        let refused = |text: &str| BreachedHashes::open(list_file(text).path()).unwrap_err();
        assert!(matches!(refused(""), BreachedListError::Empty { .. }));
        assert!(matches!(
            refused("password\n"),
            BreachedListError::MalformedLine { line: 1, .. }
        ));
        assert!(matches!(
            refused("8846F7EAEE8FB117AD06BDD830B7586C:x\n"),
            BreachedListError::MalformedLine { line: 1, .. }
        ));
        assert!(matches!(
            refused("0000000000000000000000000000000A:1\n\n0000000000000000000000000000000B:1\n"),
            BreachedListError::MalformedLine { line: 2, .. }
        ));
        // The download sorted by prevalence: the largest count first.
        assert!(matches!(
            refused("8846F7EAEE8FB117AD06BDD830B7586C:99\n31D6CFE0D16AE931B73C59D7E0C089C0:5\n"),
            BreachedListError::Unsorted { line: 2, .. }
        ));
        let sha1 = refused("000000005AD76BD555C1D6D771DE417A4B87E4B4:10\n");
        assert!(matches!(sha1, BreachedListError::Sha1 { .. }));
        assert!(sha1.to_string().contains("SHA-1"), "{sha1}");
        let missing = BreachedHashes::open(Path::new("/nonexistent/pwned.txt")).unwrap_err();
        assert!(missing.to_string().contains("/nonexistent/pwned.txt"));
    }

    /// Have I Been Pwned's other download has the same lines ordered by how
    /// often each password was seen: its first and last lines may well be
    /// in hash order (what the start-up check used to compare), the rest
    /// is not.
    fn by_prevalence(n: u64) -> String {
        let (text, _) = generated(n, true);
        let mut lines: Vec<&str> = text.split_inclusive("\r\n").collect();
        let (first, last) = (lines.remove(0), lines.pop().unwrap());
        // The middle falling: line 2 is in order after line 1, line 3 is
        // not.
        lines.reverse();
        std::iter::once(first)
            .chain(lines)
            .chain(std::iter::once(last))
            .collect()
    }

    #[test]
    fn a_list_ordered_by_prevalence_is_refused_with_the_line_that_breaks_the_order() {
        let file = list_file(&by_prevalence(50));
        let error = BreachedHashes::open(file.path()).unwrap_err();
        let BreachedListError::Unsorted { line, previous, .. } = error else {
            panic!("{error}");
        };
        assert_eq!((line, previous), (3, 2));
        let message = error.to_string();
        assert!(
            message.contains("line 3")
                && message.contains("ordered by prevalence")
                && message.contains(&file.path().display().to_string()),
            "{message}"
        );
        // One pair out of order deep inside an otherwise sorted list.
        let (text, _) = generated(1000, false);
        let mut lines: Vec<&str> = text.lines().collect();
        lines.swap(700, 701);
        let swapped = lines.join("\n");
        let error = BreachedHashes::open(list_file(&swapped).path()).unwrap_err();
        assert!(
            matches!(
                error,
                BreachedListError::Unsorted {
                    line: 702,
                    previous: 701,
                    ..
                }
            ),
            "{error}"
        );
    }

    #[test]
    fn the_whole_file_check_counts_the_hashes_and_says_which_list() {
        let (text, _) = generated(257, true);
        let list = BreachedHashes::open(list_file(&text).path()).unwrap();
        let summary = list.summary();
        assert_eq!(summary.hashes, 257);
        assert!(summary.counts);
        assert_eq!(summary.bytes, text.len() as u64);
        assert!(summary.kind().contains("NTLM list ordered by hash"));
        let bare = "0000000000000000000000000000000A\n0000000000000000000000000000000B\n";
        let summary = BreachedHashes::open(list_file(bare).path())
            .unwrap()
            .summary();
        assert_eq!((summary.hashes, summary.counts), (2, false));
    }

    #[test]
    fn lines_cut_by_the_check_reads_are_read_whole_and_an_unsorted_one_far_in_is_found() {
        // Past several reads of the check (8 MiB each).
        let n = 3 * CHECK_CHUNK_BYTES as u64 / 40;
        let (text, hashes) = generated(n, true);
        assert!(text.len() > 2 * CHECK_CHUNK_BYTES);
        let list = BreachedHashes::open(list_file(&text).path()).unwrap();
        assert_eq!(list.summary().hashes, n);
        assert!(list.contains_nt_hash(&hashes[hashes.len() - 1]).unwrap());
        let mut lines: Vec<&str> = text.split_inclusive("\r\n").collect();
        let far = lines.len() - 3;
        lines.swap(far, far + 1);
        let error = BreachedHashes::open(list_file(&lines.concat()).path()).unwrap_err();
        assert!(
            matches!(error, BreachedListError::Unsorted { line, .. } if line == far as u64 + 2),
            "{error}"
        );
    }

    fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !done() {
            assert!(Instant::now() < deadline, "waited in vain for {what}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    #[test]
    fn a_file_replaced_while_in_use_is_checked_again_and_used_only_once_it_passes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pwned.txt");
        let (old, old_hashes) = generated(10, true);
        std::fs::write(&path, &old).unwrap();
        let list = BreachedHashes::open_watched(&path, Duration::ZERO).unwrap();
        let old_hash = &old_hashes[3];
        assert!(list.contains_nt_hash(old_hash).unwrap());

        // The other download moved into place: refused, the list in use
        // (still open, untouched) stays in use.
        let staged = dir.path().join("staged.txt");
        std::fs::write(&staged, by_prevalence(30)).unwrap();
        std::fs::rename(&staged, &path).unwrap();
        assert!(list.contains_nt_hash(old_hash).unwrap());
        wait_for("the refusal", || {
            let watch = list.inner.watch.lock().unwrap();
            !watch.checking && watch.refused.is_some()
        });
        assert!(list.contains_nt_hash(old_hash).unwrap());
        assert_eq!(list.summary().hashes, 10);

        // A sorted one moved into place: checked, then in use.
        let fresh = sample_list(["Nouveau-2025!", "Autre-2025!"]);
        std::fs::write(&staged, &fresh).unwrap();
        std::fs::rename(&staged, &path).unwrap();
        wait_for("the new list", || {
            // A search is what looks at the file.
            let _ = list.contains_str("Autre-2025!");
            list.summary().hashes == 2
        });
        assert!(list.contains_str("Nouveau-2025!").unwrap());
        assert!(!list.contains_nt_hash(old_hash).unwrap());

        // Changed in place: not searched until the new content passes.
        std::fs::write(&path, by_prevalence(40)).unwrap();
        assert!(matches!(
            list.contains_str("Nouveau-2025!"),
            Err(BreachedListError::Changed { .. })
        ));
        std::fs::write(&path, sample_list(["Encore-2025!"])).unwrap();
        wait_for("the list written in place", || {
            list.contains_str("Encore-2025!").unwrap_or(false)
        });
    }

    #[test]
    fn a_malformed_line_met_by_a_search_is_an_error_not_an_answer() {
        let (text, _) = generated(100, false);
        let file = list_file(&text);
        let list = BreachedHashes::open(file.path()).unwrap();
        // Damaged after the check, between two looks at the file.
        let middle = text.len() as u64 / 2;
        file.as_file().write_at(b"zz\n", middle).unwrap();
        let results: Vec<_> = (0..100u64)
            .map(|i| {
                list.contains_nt_hash(&format!(
                    "{:032X}",
                    u128::from(i) * 0x0123_4567_89AB_CDEF_0123_4567_89AB
                ))
            })
            .collect();
        assert!(results.iter().any(Result::is_err));
    }

    #[test]
    fn anything_but_a_hash_is_never_found() {
        let list = BreachedHashes::open(list_file(&sample_list(["Password1!"])).path()).unwrap();
        assert!(!list.contains_nt_hash("").unwrap());
        assert!(!list.contains_nt_hash("not a hash").unwrap());
    }

    /// `config/breached-sample.txt` is exactly the list of
    /// [`SAMPLE_PASSWORDS`]; regenerate it with
    /// `PASSERELLE_WRITE_SAMPLE=1 cargo test --lib breached_sample`.
    #[test]
    fn breached_sample_file_is_the_list_of_the_sample_passwords() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config/breached-sample.txt");
        let expected = sample_list(SAMPLE_PASSWORDS.iter().copied());
        if std::env::var_os("PASSERELLE_WRITE_SAMPLE").is_some() {
            std::fs::write(&path, &expected).unwrap();
        }
        let actual = std::fs::read_to_string(&path).unwrap_or_default();
        assert_eq!(actual, expected, "regenerate {}", path.display());
        let list = BreachedHashes::open(&path).unwrap();
        for password in SAMPLE_PASSWORDS {
            assert!(list.contains_str(password).unwrap(), "{password}");
        }
    }
}
