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
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

/// Length of an NT hash in hexadecimal digits.
const HASH_DIGITS: usize = 32;

/// The longest line accepted, in bytes: 32 digits, a colon, a count of up to
/// 20 digits and CRLF fit with room to spare.
const MAX_LINE_BYTES: usize = 64;

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
    #[error("{path} is not sorted by hash (its last line sorts before its first)")]
    Unsorted { path: PathBuf },
}

/// The open list of breached NT hashes. Cheap to share (`Arc`); lookups
/// from many requests at once are independent positioned reads.
#[derive(Debug)]
pub struct BreachedHashes {
    path: PathBuf,
    file: File,
    len: u64,
}

/// Two lists are the same list when they are the same file: what matters
/// for comparing two [`super::PasswordPolicy`] values.
impl PartialEq for BreachedHashes {
    fn eq(&self, other: &Self) -> bool {
        self.path == other.path && self.len == other.len
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
    /// Opens the list and checks what can be checked without reading it
    /// all: it is not empty, its first and last lines are `HEX32[:COUNT]`,
    /// and the last sorts after the first (a list sorted by count, the
    /// other download, fails this nearly always).
    pub fn open(path: &Path) -> Result<BreachedHashes, BreachedListError> {
        let io = |source| BreachedListError::Io {
            path: path.to_owned(),
            source,
        };
        let file = File::open(path).map_err(io)?;
        let len = file.metadata().map_err(io)?.len();
        if len == 0 {
            return Err(BreachedListError::Empty {
                path: path.to_owned(),
            });
        }
        let list = BreachedHashes {
            path: path.to_owned(),
            file,
            len,
        };
        let first = list.line_at(0, 0)?;
        // The last byte is the final line feed, if there is one.
        let last = list.line_at(0, len.saturating_sub(2).max(first.start))?;
        if last.hash < first.hash {
            return Err(BreachedListError::Unsorted {
                path: path.to_owned(),
            });
        }
        Ok(list)
    }

    /// The file this list was opened from.
    pub fn path(&self) -> &Path {
        &self.path
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
    /// the list. Anything that is not such a hash is never in it.
    pub fn contains_nt_hash(&self, hex: &str) -> Result<bool, BreachedListError> {
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
            BreachedListError::Malformed { .. }
        ));
        assert!(matches!(
            refused("8846F7EAEE8FB117AD06BDD830B7586C:x\n"),
            BreachedListError::Malformed { .. }
        ));
        // The download sorted by prevalence: the largest count first.
        assert!(matches!(
            refused("8846F7EAEE8FB117AD06BDD830B7586C:99\n31D6CFE0D16AE931B73C59D7E0C089C0:5\n"),
            BreachedListError::Unsorted { .. }
        ));
        let missing = BreachedHashes::open(Path::new("/nonexistent/pwned.txt")).unwrap_err();
        assert!(missing.to_string().contains("/nonexistent/pwned.txt"));
    }

    #[test]
    fn a_malformed_line_met_by_a_search_is_an_error_not_an_answer() {
        let (mut text, _) = generated(100, false);
        let middle = text.len() / 2;
        text.replace_range(middle..middle + 3, "zz\n");
        let list = BreachedHashes::open(list_file(&text).path()).unwrap();
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
