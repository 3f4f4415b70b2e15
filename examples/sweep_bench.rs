//! The breach sweep at scale (BENCHMARKS.md, "Breach sweep"): a slapd from
//! `config/ldap` loaded by slapadd with `--accounts` generated people, each
//! with an NT hash and a `pwdChangedTime` (`--breached` of them with a hash
//! the list holds), a breach list of `--list` sorted hashes written in Have
//! I Been Pwned's form under `/tmp` (and deleted at the end), then the
//! release binary's `passerelle breach-sweep` run as a process of its own:
//! wall time and peak RSS (VmHWM, polled), with the list in the page cache
//! and out of it (`dd iflag=nocache`), then `--notify` (mail dropped:
//! `mail.transport = "none"`) and the same again (nobody told twice).
//!
//!   cargo build --release --locked --bin passerelle --example sweep_bench
//!   target/release/examples/sweep_bench --gateway target/release/passerelle \
//!       --accounts 100000 --list 10000000 --breached 1000

use anyhow::{anyhow, bail, Context};
use passerelle::slapd::{People, Slapd, BREACH_NOTICE_PASSWORD, BREACH_SWEEP_PASSWORD, PEOPLE_DN};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

struct Options {
    gateway: PathBuf,
    accounts: usize,
    list: usize,
    breached: usize,
    list_file: PathBuf,
    keep_list: bool,
}

impl Options {
    fn parse() -> anyhow::Result<Options> {
        let mut options = Options {
            gateway: PathBuf::from("target/release/passerelle"),
            accounts: 100_000,
            list: 10_000_000,
            breached: 1_000,
            list_file: PathBuf::from("/tmp/passerelle-sweep-bench-ntlm.txt"),
            keep_list: false,
        };
        let mut args = std::env::args().skip(1);
        while let Some(arg) = args.next() {
            let mut value = || args.next().ok_or_else(|| anyhow!("{arg} needs a value"));
            match arg.as_str() {
                "--gateway" => options.gateway = value()?.into(),
                "--accounts" => options.accounts = value()?.parse()?,
                "--list" => options.list = value()?.parse()?,
                "--breached" => options.breached = value()?.parse()?,
                "--list-file" => options.list_file = value()?.into(),
                "--keep-list" => options.keep_list = true,
                other => bail!("unknown argument {other}"),
            }
        }
        if options.breached > options.accounts.min(options.list) {
            bail!("--breached cannot exceed --accounts or --list");
        }
        Ok(options)
    }
}

/// A fixed pseudo-random sequence (splitmix64), so every run builds the same
/// directory and list.
struct Sequence(u64);

impl Sequence {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn next_hash(&mut self) -> u128 {
        (u128::from(self.next_u64()) << 64) | u128::from(self.next_u64())
    }
}

/// The accounts, in slapadd's LDIF: what the sweep reads (an NT hash, a
/// `pwdChangedTime`) and what a notice needs (a name, an address), one in a
/// hundred without an NT hash. Returns the LDIF and the breached hashes.
fn accounts_ldif(options: &Options, sequence: &mut Sequence) -> (String, Vec<u128>) {
    let mut ldif = String::with_capacity(options.accounts * 520);
    let mut breached = Vec::with_capacity(options.breached);
    for index in 0..options.accounts {
        let uid = format!("sweep{index:06}");
        let hash = sequence.next_hash();
        ldif.push_str(&format!(
            "dn: uid={uid},{PEOPLE_DN}\nobjectClass: inetOrgPerson\nobjectClass: sambaSamAccount\n\
             uid: {uid}\ncn: Personne {index}\nsn: Personne\ngivenName: Bench\n\
             mail: {uid}@univ-exemple.fr\nsambaSID: S-1-5-21-3623811015-3361044348-30300820-{}\n",
            2 * index + 1000
        ));
        // Without the NT hash: provisioned before the site wrote it.
        if index % 100 != 99 {
            ldif.push_str(&format!("sambaNTPassword: {hash:032X}\n"));
            if breached.len() < options.breached && index % 97 == 3 {
                breached.push(hash);
            }
        }
        ldif.push_str("pwdChangedTime: 20260301120000Z\n\n");
    }
    (ldif, breached)
}

/// The list: `--list` hashes, the breached ones among them, sorted, as
/// `HASH:COUNT` lines ending in CRLF.
fn write_list(
    options: &Options,
    sequence: &mut Sequence,
    breached: &[u128],
) -> anyhow::Result<u64> {
    let mut hashes: Vec<u128> = Vec::with_capacity(options.list);
    hashes.extend_from_slice(breached);
    while hashes.len() < options.list {
        hashes.push(sequence.next_hash());
    }
    hashes.sort_unstable();
    let file = std::fs::File::create(&options.list_file)
        .with_context(|| format!("creating {}", options.list_file.display()))?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    for hash in &hashes {
        let count = 1 + sequence.next_u64() % 5_000;
        write!(out, "{hash:032X}:{count}\r\n")?;
    }
    out.flush()?;
    Ok(std::fs::metadata(&options.list_file)?.len())
}

/// One run of `passerelle breach-sweep`: its output, wall time and peak RSS.
fn sweep(gateway: &Path, config: &Path, notify: bool) -> anyhow::Result<(String, Duration, u64)> {
    let mut command = Command::new(gateway);
    command.args(["breach-sweep", "--config"]).arg(config);
    if notify {
        command.arg("--notify");
    }
    let started = Instant::now();
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("running {}", gateway.display()))?;
    let status_path = format!("/proc/{}/status", child.id());
    let mut peak_kib = 0u64;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        // VmHWM only grows: the last reading before the exit is the peak.
        if let Some(kib) = std::fs::read_to_string(&status_path).ok().and_then(|text| {
            text.lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
        }) {
            peak_kib = peak_kib.max(kib);
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let took = started.elapsed();
    let output = child.wait_with_output()?;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    if !status.success() {
        bail!(
            "breach-sweep failed ({status}):\n{stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok((stdout, took, peak_kib))
}

/// Drops the list's pages from the page cache (GNU dd: `iflag=nocache
/// count=0` advises the kernel to forget the whole file).
fn evict(path: &Path) -> anyhow::Result<()> {
    let status = Command::new("dd")
        .arg(format!("if={}", path.display()))
        .args(["iflag=nocache", "count=0", "status=none"])
        .status()?;
    if !status.success() {
        bail!("dd iflag=nocache failed");
    }
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let options = Options::parse()?;
    let mut sequence = Sequence(23);

    let started = Instant::now();
    let (ldif, breached) = accounts_ldif(&options, &mut sequence);
    let slapd = Slapd::start_with(People::Empty, &ldif).context("slapd with the accounts")?;
    drop(ldif);
    eprintln!(
        "{} accounts loaded by slapadd in {:.1} s",
        options.accounts,
        started.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    let bytes = write_list(&options, &mut sequence, &breached)?;
    eprintln!(
        "list of {} hashes ({:.0} MiB) written in {:.1} s to {}",
        options.list,
        bytes as f64 / 1048576.0,
        started.elapsed().as_secs_f64(),
        options.list_file.display()
    );

    let dir = tempfile::tempdir()?;
    let config = dir.path().join("passerelle.toml");
    std::fs::write(
        &config,
        format!(
            "[ldap]\nurls = [\"{}\"]\nbase_dn = \"{PEOPLE_DN}\"\ntimeout_seconds = 30\n\n\
             [log]\nlevel = \"warn\"\n\n[mail]\ntransport = \"none\"\n\n\
             [breach_sweep]\nhashes_file = \"{}\"\nreader_bind_password = \"{BREACH_SWEEP_PASSWORD}\"\n\
             notice_bind_password = \"{BREACH_NOTICE_PASSWORD}\"\nforce_change = true\n",
            slapd.url(),
            options.list_file.display()
        ),
    )?;

    let result = (|| -> anyhow::Result<()> {
        println!("| run | wall s | peak RSS MiB | report |");
        println!("|---|---:|---:|---|");
        let row = |what: &str, notify: bool| -> anyhow::Result<()> {
            let (stdout, took, peak) = sweep(&options.gateway, &config, notify)?;
            println!(
                "| {what} | {:.2} | {:.1} | {} |",
                took.as_secs_f64(),
                peak as f64 / 1024.0,
                stdout.lines().collect::<Vec<_>>().join(" / ")
            );
            Ok(())
        };
        evict(&options.list_file)?;
        row("report, list not in the page cache", false)?;
        row("report, list in the page cache", false)?;
        row("report, list in the page cache (again)", false)?;
        row("--notify (first run of this list)", true)?;
        row("--notify (same list again)", true)?;
        Ok(())
    })();
    if !options.keep_list {
        std::fs::remove_file(&options.list_file)?;
    }
    result
}
