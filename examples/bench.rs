//! The gateway under load, against its ceilings, in one run (`scripts/bench`).
//!
//! Starts a slapd from `config/ldap` with generated people (loaded with
//! slapadd before it starts), the gateway binary given by `--gateway` as a
//! separate process (so its memory is its own), and drives every step as a
//! browser does: GET the form, POST it with its CSRF token and nonce and the
//! flow cookie, follow the 303 to the next page. Each step runs at several
//! concurrencies (virtual browsers, each its own cookie jar, each flow on a
//! person nobody else uses in the run). In the same run it measures what
//! the gateway cannot beat: the same directory operations issued directly
//! with ldap3, and argon2id verifications in-process with the gateway's own
//! hasher. Successes are counted in the directory (`pwdChangedTime`) and
//! a sample of them proved with a bind of the new password. The e-mail
//! code flow reads its codes from an SMTP sink of its own
//! (`bench/smtp_sink.rs`), through a second gateway that mails it.
//!
//! Prints a markdown report on stdout (and to `--out FILE`). `--smoke` runs
//! every part for a fraction of a second on 300 people: a check that the
//! bench still works, not a measurement. `BENCH_TRACE_LDAP=1` prints every
//! LDAP request of the counted flows (time in ms, protocolOp tag, bytes);
//! `BENCH_DUMP_LDIF=FILE` keeps the generated people.

#[path = "bench/smtp_sink.rs"]
mod smtp_sink;

use anyhow::{anyhow, bail, Context};
use ldap3::{LdapConnAsync, Mod, Scope, SearchEntry};
use passerelle::directory::nthash::nt_hash;
use passerelle::directory::ppolicy;
use passerelle::secret_answer::AnswerHasher;
use passerelle::slapd::{
    person_ldif, People, Slapd, TestPerson, ADMIN_DN, ADMIN_PASSWORD, CONFIG_ADMIN_DN, PEOPLE_DN,
    SERVICE_DN, SERVICE_PASSWORD,
};
use secrecy::SecretString;
use smtp_sink::SmtpSink;
use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const PEPPER: &str = "bench-pepper-not-a-secret";
const INITIAL_PASSWORD: &str = "Bench-Départ-2026!";
const ANSWER: &str = "Saint-Étienne";
const BIRTH_DATE_TYPED: &str = "15/09/2001";

struct Options {
    smoke: bool,
    gateway: PathBuf,
    people: usize,
    hash: String,
    out: Option<PathBuf>,
    concurrency: Vec<usize>,
    /// Length of one run (one step at one concurrency).
    run: Duration,
    idle_connections: usize,
    /// `--only`: the parts to run (form, change, reset, code, passes,
    /// connections); empty for all. The ceilings always run.
    only: Vec<String>,
}

impl Options {
    fn parse() -> anyhow::Result<Options> {
        let mut args = std::env::args().skip(1);
        let mut options = Options {
            smoke: false,
            gateway: PathBuf::from("target/release/passerelle"),
            people: 10_000,
            hash: "ssha".into(),
            out: None,
            concurrency: vec![1, 16, 64],
            run: Duration::from_secs(5),
            idle_connections: 1_000,
            only: Vec::new(),
        };
        while let Some(arg) = args.next() {
            let mut value = || args.next().ok_or_else(|| anyhow!("{arg} needs a value"));
            match arg.as_str() {
                "--smoke" => options.smoke = true,
                "--gateway" => options.gateway = value()?.into(),
                "--people" => options.people = value()?.parse()?,
                "--hash" => options.hash = value()?,
                "--out" => options.out = Some(value()?.into()),
                "--seconds" => options.run = Duration::from_secs_f64(value()?.parse()?),
                "--concurrency" => {
                    options.concurrency = value()?
                        .split(',')
                        .map(str::parse)
                        .collect::<Result<_, _>>()?
                }
                "--only" => options.only = value()?.split(',').map(str::to_owned).collect(),
                other => bail!(
                    "unknown argument {other}; usage: bench [--smoke] [--gateway PATH] \
                     [--people N] [--hash ssha|argon2] [--seconds S] [--out FILE] \
                     [--concurrency 1,16,64] [--only form,change,reset,code,passes,connections]"
                ),
            }
        }
        if options.smoke {
            options.people = options.people.min(300);
            options.concurrency = vec![1, 4];
            options.run = Duration::from_millis(300);
            options.idle_connections = 50;
        }
        if !matches!(options.hash.as_str(), "ssha" | "argon2") {
            bail!("--hash is ssha or argon2");
        }
        Ok(options)
    }

    /// Whether `--only` leaves this part in.
    fn wants(&self, part: &str) -> bool {
        self.only.is_empty() || self.only.iter().any(|p| p == part)
    }
}

fn uid(index: usize) -> String {
    format!("bench{index:05}")
}

fn dn(index: usize) -> String {
    format!("uid={},{PEOPLE_DN}", uid(index))
}

/// The person's recovery address (supannMailPerso), where codes are mailed.
fn recovery_address(index: usize) -> String {
    format!("{}@perso.example.org", uid(index))
}

fn student_number(index: usize) -> String {
    format!("B{index:07}")
}

/// A new password nobody had: unique per person and per use, and strong
/// enough for the default rules (zxcvbn included).
fn new_password(index: usize, round: usize) -> String {
    format!("Orage-Vanille-{index}-{round}!Kq")
}

/// The people, in slapadd's LDIF, with the same `{SSHA}` password and the
/// same secret answer hash (salts shared: fine for a benchmark).
async fn people_ldif(count: usize) -> anyhow::Result<String> {
    let output = Command::new("slappasswd")
        .args(["-h", "{SSHA}", "-s", INITIAL_PASSWORD])
        .output()
        .context("running slappasswd (apt-get install slapd)")?;
    if !output.status.success() {
        bail!("slappasswd failed");
    }
    let hashed = String::from_utf8(output.stdout)?.trim().to_owned();
    let answer_hash = AnswerHasher::new(&SecretString::from(PEPPER), 1)?
        .hash(&SecretString::from(ANSWER))
        .await?;
    let mut ldif = String::with_capacity(count * 1_200);
    for index in 0..count {
        let person = TestPerson {
            password: INITIAL_PASSWORD.into(),
            student_number: Some(student_number(index)),
            recovery_mail: Some(recovery_address(index)),
            ..TestPerson::default()
        };
        // slapadd wants an attribute's values together.
        let entry = person_ldif(&uid(index), &person)
            .replace(
                &format!("userPassword:: {}\n", base64_of(INITIAL_PASSWORD)),
                &format!("userPassword: {hashed}\n"),
            )
            .replace(
                "objectClass: sambaSamAccount\n",
                "objectClass: sambaSamAccount\nobjectClass: passerelleAccount\n",
            );
        if !entry.contains(&hashed) {
            bail!("the generated entry has no hashed password");
        }
        ldif.push_str(&entry);
        // Everyone has a password of some age for `notify-expiring` to
        // judge (one in a hundred due for a notice once the policy has a
        // maximum age of a year); all before the bench started, so that
        // the runs' successes are told apart by time.
        let days = if index % 100 == 7 { 355 } else { index % 300 } as i64;
        let changed =
            chrono::Utc::now() - chrono::Duration::days(days) - chrono::Duration::hours(1);
        ldif.push_str(&format!(
            "pwdChangedTime: {}\n",
            changed.format("%Y%m%d%H%M%SZ")
        ));
        ldif.push_str("passerelleQuestion: Dans quelle ville êtes-vous né(e) ?\n");
        ldif.push_str(&format!("passerelleAnswerHash: {answer_hash}\n\n"));
    }
    // LDIF wants non-ASCII values in base64.
    Ok(ldif.replace(
        "passerelleQuestion: Dans quelle ville êtes-vous né(e) ?",
        &format!(
            "passerelleQuestion:: {}",
            base64_of("Dans quelle ville êtes-vous né(e) ?")
        ),
    ))
}

/// The password the ceilings write for `person` at their `round`-th use.
fn ceiling_password(person: usize, round: usize) -> String {
    format!("Plafond-Direct-{person}-{round}!Kq")
}

fn base64_of(text: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(text)
}

// ------------------------------------------------------------------ ldap

async fn connect(url: &str, bind: Option<(&str, &str)>) -> anyhow::Result<ldap3::Ldap> {
    let (conn, mut ldap) = LdapConnAsync::new(url).await?;
    ldap3::drive!(conn);
    if let Some((dn, password)) = bind {
        ldap.simple_bind(dn, password).await?.success()?;
    }
    Ok(ldap)
}

/// `olcPasswordHash` of the data database, over cn=config.
async fn set_password_hash(url: &str, scheme: &str) -> anyhow::Result<()> {
    let mut ldap = connect(url, Some((CONFIG_ADMIN_DN, ADMIN_PASSWORD))).await?;
    let mut databases = ldap
        .search(
            "cn=config",
            Scope::OneLevel,
            "(olcPasswordHash=*)",
            vec!["dn"],
        )
        .await?
        .success()?
        .0;
    let database = databases
        .pop()
        .map(|entry| SearchEntry::construct(entry).dn)
        .unwrap_or_else(|| "olcDatabase={1}mdb,cn=config".into());
    let scheme = HashSet::from([scheme]);
    ldap.modify(&database, vec![Mod::Replace("olcPasswordHash", scheme)])
        .await?
        .success()?;
    Ok(())
}

/// The LDAP operations a gateway sent, by kind, counted by [`counting_proxy`].
#[derive(Default, Clone)]
struct Operations {
    connections: usize,
    binds: usize,
    searches: usize,
    modifies: usize,
    other: usize,
}

impl Operations {
    fn total(&self) -> usize {
        self.binds + self.searches + self.modifies + self.other
    }

    fn describe(&self) -> String {
        format!(
            "{} ({} binds, {} searches, {} modifies, {} other; {} new connections)",
            self.total(),
            self.binds,
            self.searches,
            self.modifies,
            self.other,
            self.connections
        )
    }

    fn note(&mut self, tag: u8) {
        match tag {
            0x60 => self.binds += 1,
            0x63 => self.searches += 1,
            0x66 => self.modifies += 1,
            // unbind and abandon are no operations the server works on
            0x42 | 0x50 => {}
            _ => self.other += 1,
        }
    }
}

/// The protocolOp tag and the length of the first whole LDAPMessage in
/// `bytes`: `SEQUENCE { messageID INTEGER, protocolOp [APPLICATION n] … }`.
fn ldap_message(bytes: &[u8]) -> Option<(u8, usize)> {
    let (&first, rest) = bytes.split_first()?;
    if first != 0x30 {
        return None;
    }
    let (&length, rest) = rest.split_first()?;
    let (length, header) = if length < 0x80 {
        (usize::from(length), 2)
    } else {
        let n = usize::from(length & 0x7F);
        let digits = rest.get(..n)?;
        (
            digits
                .iter()
                .fold(0usize, |acc, &b| (acc << 8) | usize::from(b)),
            2 + n,
        )
    };
    let content = bytes.get(header..header + length)?;
    let id_length = usize::from(*content.get(1)?);
    Some((*content.get(2 + id_length)?, header + length))
}

/// A TCP proxy in front of `target` (host:port) that counts the LDAP
/// requests going through it; returns its `ldap://` URL.
async fn counting_proxy(target: String) -> anyhow::Result<(String, Arc<Mutex<Operations>>)> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("ldap://{}", listener.local_addr()?);
    let counts = Arc::new(Mutex::new(Operations::default()));
    let shared = counts.clone();
    let traced = Instant::now();
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let Ok(server) = tokio::net::TcpStream::connect(&target).await else {
                continue;
            };
            if let Ok(mut counts) = shared.lock() {
                counts.connections += 1;
            }
            let counts = shared.clone();
            tokio::spawn(async move {
                let (mut client_read, mut client_write) = client.into_split();
                let (mut server_read, mut server_write) = server.into_split();
                tokio::spawn(async move {
                    let _ = tokio::io::copy(&mut server_read, &mut client_write).await;
                });
                let mut pending = Vec::new();
                let mut buffer = [0u8; 16 * 1024];
                loop {
                    let read = match client_read.read(&mut buffer).await {
                        Ok(0) | Err(_) => break,
                        Ok(read) => read,
                    };
                    pending.extend_from_slice(&buffer[..read]);
                    while let Some((tag, length)) = ldap_message(&pending) {
                        if std::env::var_os("BENCH_TRACE_LDAP").is_some() {
                            eprintln!(
                                "LDAP {:>6} ms {tag:#04x} {}",
                                traced.elapsed().as_millis(),
                                String::from_utf8_lossy(&pending[..length.min(400)])
                                    .replace(|c: char| c.is_control(), ".")
                            );
                        }
                        if let Ok(mut counts) = counts.lock() {
                            counts.note(tag);
                        }
                        pending.drain(..length);
                    }
                    if server_write.write_all(&buffer[..read]).await.is_err() {
                        break;
                    }
                }
            });
        }
    });
    Ok((url, counts))
}

/// Runs `flow` once through a second gateway whose directory traffic goes
/// through a [`counting_proxy`] (its mail going to `mail`), and counts
/// what it sent.
async fn operations_of<F, Fut>(
    options: &Options,
    slapd: &Slapd,
    mail: MailTo,
    flow: F,
) -> anyhow::Result<Operations>
where
    F: FnOnce(String) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<String>>,
{
    let (url, counts) = counting_proxy(format!("127.0.0.1:{}", slapd.port())).await?;
    let gateway = start_gateway(&options.gateway, &url, mail).await?;
    // What start-up and the readiness probe sent is not the flow's.
    tokio::time::sleep(Duration::from_millis(100)).await;
    if let Ok(mut counts) = counts.lock() {
        *counts = Operations::default();
    }
    flow(gateway.base.clone()).await?;
    tokio::time::sleep(Duration::from_millis(100)).await;
    let counted = counts.lock().map_err(|_| anyhow!("poisoned"))?.clone();
    Ok(counted)
}

/// When the bench started, as `pwdChangedTime` writes it: every generated
/// person's is older.
static STARTED: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Indexes of the people whose password changed during the bench
/// (pwdChangedTime since it started).
async fn changed_people(url: &str) -> anyhow::Result<HashSet<usize>> {
    let mut ldap = connect(url, Some((ADMIN_DN, ADMIN_PASSWORD))).await?;
    let since = STARTED.get().cloned().unwrap_or_default();
    let (entries, _) = ldap
        .search(
            PEOPLE_DN,
            Scope::OneLevel,
            &format!("(pwdChangedTime>={since})"),
            vec!["uid"],
        )
        .await?
        .success()?;
    Ok(entries
        .into_iter()
        .filter_map(|entry| {
            let entry = SearchEntry::construct(entry);
            entry
                .attrs
                .get("uid")?
                .first()?
                .strip_prefix("bench")?
                .parse()
                .ok()
        })
        .collect())
}

async fn binds(url: &str, index: usize, password: &str) -> bool {
    match connect(url, None).await {
        Ok(mut ldap) => ldap
            .simple_bind(&dn(index), password)
            .await
            .is_ok_and(|result| result.rc == 0),
        Err(_) => false,
    }
}

/// The one modify the gateway makes for a new password (as
/// `Directory::write_password` builds it for these entries).
fn password_mods(password: &str) -> Vec<Mod<String>> {
    let now = chrono::Utc::now();
    let one = |value: String| HashSet::from([value]);
    vec![
        Mod::Replace("userPassword".into(), one(password.into())),
        Mod::Replace(
            "sambaNTPassword".into(),
            one(nt_hash(&SecretString::from(password.to_owned()))),
        ),
        Mod::Replace("sambaPwdLastSet".into(), one(now.timestamp().to_string())),
        Mod::Replace(
            "shadowLastChange".into(),
            one((now.timestamp() / 86_400).to_string()),
        ),
    ]
}

// ------------------------------------------------------------------ runs

/// Who is used in a run: a slice of the people, handed out once each.
struct Slice {
    next: AtomicUsize,
    end: usize,
}

impl Slice {
    fn take(&self) -> Option<usize> {
        let index = self.next.fetch_add(1, Ordering::Relaxed);
        (index < self.end).then_some(index)
    }
}

/// What one run measured.
#[derive(Default)]
struct Measured {
    latencies: Vec<Duration>,
    errors: usize,
    elapsed: Duration,
    /// Ended early: the run's people were all used.
    exhausted: bool,
    /// (order taken, person, password now) for each success that changed
    /// a password.
    changed: Vec<(usize, usize, String)>,
}

impl Measured {
    fn rate(&self) -> f64 {
        self.latencies.len() as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    fn percentile(&self, p: f64) -> Duration {
        let mut sorted = self.latencies.clone();
        sorted.sort();
        if sorted.is_empty() {
            return Duration::ZERO;
        }
        let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
        sorted[rank - 1]
    }
}

/// Runs `op` from `concurrency` workers until `length` has passed or the
/// slice is used up. `op` returns Ok(Some((person, password))) for a
/// success that changed a password, Ok(None) for one that did not, Err for
/// an error.
async fn run<S, F, Fut>(
    concurrency: usize,
    length: Duration,
    slice: Arc<Slice>,
    make_state: impl Fn() -> anyhow::Result<S>,
    op: F,
) -> anyhow::Result<Measured>
where
    S: Send + Sync + 'static,
    F: Fn(Arc<S>, usize) -> Fut + Send + Sync + Clone + 'static,
    Fut: std::future::Future<Output = anyhow::Result<Option<(usize, String)>>> + Send,
{
    let stop = Arc::new(AtomicBool::new(false));
    let exhausted = Arc::new(AtomicBool::new(false));
    let results = Arc::new(Mutex::new(Measured::default()));
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..concurrency {
        let state = Arc::new(make_state()?);
        let (stop, exhausted, results, slice, op) = (
            stop.clone(),
            exhausted.clone(),
            results.clone(),
            slice.clone(),
            op.clone(),
        );
        workers.push(tokio::spawn(async move {
            let mut mine = Measured::default();
            while !stop.load(Ordering::Relaxed) {
                let Some(index) = slice.take() else {
                    exhausted.store(true, Ordering::Relaxed);
                    break;
                };
                let began = Instant::now();
                match op(state.clone(), index).await {
                    Ok(changed) => {
                        mine.latencies.push(began.elapsed());
                        if let Some((person, password)) = changed {
                            mine.changed.push((index, person, password));
                        }
                    }
                    Err(error) => {
                        if mine.errors == 0 {
                            eprintln!("  first error of a worker: {error:#}");
                        }
                        mine.errors += 1;
                    }
                }
            }
            if let Ok(mut all) = results.lock() {
                all.latencies.extend(mine.latencies);
                all.errors += mine.errors;
                all.changed.extend(mine.changed);
            }
        }));
    }
    let deadline = tokio::time::Instant::now() + length;
    while tokio::time::Instant::now() < deadline && !exhausted.load(Ordering::Relaxed) {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    stop.store(true, Ordering::Relaxed);
    for worker in workers {
        worker.await?;
    }
    let mut measured = std::mem::take(&mut *results.lock().map_err(|_| anyhow!("poisoned"))?);
    measured.elapsed = started.elapsed();
    measured.exhausted = exhausted.load(Ordering::Relaxed);
    Ok(measured)
}

// ------------------------------------------------------------------ browser

fn browser() -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .cookie_store(true)
        .timeout(Duration::from_secs(60))
        .build()?)
}

/// The value of a hidden field of the page.
fn hidden(body: &str, name: &str) -> anyhow::Result<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = body
        .find(&marker)
        .ok_or_else(|| anyhow!("no {name} field on the page"))?
        + marker.len();
    let end = body[start..]
        .find('"')
        .ok_or_else(|| anyhow!("unterminated {name}"))?;
    Ok(body[start..start + end].to_owned())
}

struct Page {
    path: String,
    body: String,
}

async fn get(client: &reqwest::Client, base: &str, path: &str) -> anyhow::Result<Page> {
    let response = client.get(format!("{base}{path}")).send().await?;
    read(response).await
}

/// POSTs `fields` with the page's CSRF token and nonce; follows the 303.
async fn submit(
    client: &reqwest::Client,
    base: &str,
    form: &Page,
    action: &str,
    fields: &[(&str, &str)],
) -> anyhow::Result<Page> {
    let (csrf, nonce) = (hidden(&form.body, "csrf")?, hidden(&form.body, "nonce")?);
    let mut all = vec![("csrf", csrf.as_str()), ("nonce", nonce.as_str())];
    all.extend_from_slice(fields);
    let response = client
        .post(format!("{base}{action}"))
        .form(&all)
        .send()
        .await?;
    read(response).await
}

async fn read(response: reqwest::Response) -> anyhow::Result<Page> {
    let status = response.status();
    let path = response.url().path().to_owned();
    let body = response.text().await?;
    if !status.is_success() {
        bail!("{path} answered {status}");
    }
    Ok(Page { path, body })
}

fn expect_at(page: &Page, path: &str) -> anyhow::Result<()> {
    if page.path != path {
        let problem = page
            .body
            .find("class=\"error")
            .map(|at| page.body[at..].chars().take(200).collect::<String>())
            .unwrap_or_default();
        bail!("expected {path}, got {} {problem}", page.path);
    }
    Ok(())
}

/// Change password, old one known: /change, sign in, the new password.
async fn change_flow(
    client: &reqwest::Client,
    base: &str,
    index: usize,
    current: &str,
) -> anyhow::Result<String> {
    let password = new_password(index, 1);
    let form = get(client, base, "/change").await?;
    let page = submit(
        client,
        base,
        &form,
        "/change",
        &[("login", &uid(index)), ("password", current)],
    )
    .await?;
    expect_at(&page, "/change/password")?;
    let done = submit(
        client,
        base,
        &page,
        "/change/password",
        &[
            ("current", current),
            ("password", &password),
            ("confirm", &password),
            ("rules", "accepted"),
        ],
    )
    .await?;
    expect_at(&done, "/change/done")?;
    Ok(password)
}

/// Reset by secret question: identity, question, new password.
async fn reset_flow(client: &reqwest::Client, base: &str, index: usize) -> anyhow::Result<String> {
    let password = new_password(index, 2);
    let form = get(client, base, "/recover").await?;
    let question = submit(
        client,
        base,
        &form,
        "/recover",
        &[
            ("identifier", &student_number(index)),
            ("birth_date", BIRTH_DATE_TYPED),
        ],
    )
    .await?;
    expect_at(&question, "/recover/question")?;
    let page = submit(
        client,
        base,
        &question,
        "/recover/question",
        &[("answer", "saint etienne")],
    )
    .await?;
    expect_at(&page, "/recover/password")?;
    let done = submit(
        client,
        base,
        &page,
        "/recover/password",
        &[
            ("password", &password),
            ("confirm", &password),
            ("rules", "accepted"),
        ],
    )
    .await?;
    expect_at(&done, "/recover/done")?;
    Ok(password)
}

/// How long a code flow waits for its mail before it counts as an error.
const MAIL_DEADLINE: Duration = Duration::from_secs(30);

/// Reset by e-mailed code: the address, the code read from the mail, the
/// new password.
async fn code_flow(
    client: &reqwest::Client,
    base: &str,
    index: usize,
    sink: &SmtpSink,
) -> anyhow::Result<String> {
    let password = new_password(index, 3);
    let address = recovery_address(index);
    let form = get(client, base, "/code").await?;
    let asked = Instant::now();
    let verify = submit(client, base, &form, "/code", &[("identifier", &address)]).await?;
    expect_at(&verify, "/code/verify")?;
    // The mail leaves off the request path: the person reads it while the
    // code page is already shown.
    let code = sink
        .take_code(&address, MAIL_DEADLINE)
        .await
        .ok_or_else(|| anyhow!("no code mailed within {MAIL_DEADLINE:?}"))?;
    sink.note_wait(asked.elapsed());
    let page = submit(client, base, &verify, "/code/verify", &[("code", &code)]).await?;
    expect_at(&page, "/code/password")?;
    let mut fields = vec![("password", password.as_str()), ("confirm", &password)];
    if page.body.contains("name=\"rules\"") {
        fields.push(("rules", "accepted"));
    }
    let done = submit(client, base, &page, "/code/password", &fields).await?;
    expect_at(&done, "/code/done")?;
    Ok(password)
}

// ------------------------------------------------------------------ gateway

struct Gateway {
    child: Child,
    base: String,
    /// Where its `/metrics` answers (a listener of its own).
    metrics: String,
    ready_after: Duration,
    _dir: tempfile::TempDir,
}

impl Gateway {
    /// The configuration it was started with.
    fn config_path(&self) -> PathBuf {
        self._dir.path().join("passerelle.toml")
    }
}

impl Drop for Gateway {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Gateway {
    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// A /proc/PID/status value in KiB (VmRSS, VmHWM).
    fn status_kib(&self, key: &str) -> u64 {
        std::fs::read_to_string(format!("/proc/{}/status", self.pid()))
            .unwrap_or_default()
            .lines()
            .find_map(|line| {
                line.strip_prefix(key)?
                    .trim_start_matches(':')
                    .split_whitespace()
                    .next()?
                    .parse()
                    .ok()
            })
            .unwrap_or(0)
    }

    /// Starts the peak (VmHWM) again from the current RSS.
    fn reset_peak(&self) {
        let _ = std::fs::write(format!("/proc/{}/clear_refs", self.pid()), "5");
    }
}

/// The spool writes a gateway made, from its `/metrics`
/// (`passerelle_mail_spool_write_seconds`).
#[derive(Debug, Default)]
struct SpoolWrites {
    count: f64,
    sum: f64,
    /// (upper bound in seconds, cumulative count).
    buckets: Vec<(f64, f64)>,
}

impl SpoolWrites {
    async fn scrape(metrics: &str) -> anyhow::Result<SpoolWrites> {
        let text = reqwest::get(format!("{metrics}/metrics"))
            .await?
            .text()
            .await?;
        let mut writes = SpoolWrites::default();
        for line in text.lines() {
            let Some(rest) = line.strip_prefix("passerelle_mail_spool_write_seconds_") else {
                continue;
            };
            let Some((series, value)) = rest.rsplit_once(' ') else {
                continue;
            };
            let value: f64 = value.parse().unwrap_or_default();
            if series == "count" {
                writes.count = value;
            } else if series == "sum" {
                writes.sum = value;
            } else if let Some(bound) = series
                .strip_prefix("bucket{le=\"")
                .and_then(|b| b.strip_suffix("\"}"))
            {
                writes
                    .buckets
                    .push((bound.parse().unwrap_or(f64::INFINITY), value));
            }
        }
        Ok(writes)
    }

    /// The smallest bucket bound under which a share `p` of the writes fell.
    fn at_most(&self, p: f64) -> f64 {
        self.buckets
            .iter()
            .find(|(_, cumulative)| *cumulative >= p * self.count)
            .map_or(f64::INFINITY, |(bound, _)| *bound)
    }

    fn describe(&self) -> String {
        if self.count == 0.0 {
            return "no write".to_owned();
        }
        format!(
            "{:.0} writes, mean {:.2} ms, p50 ≤ {} ms, p99 ≤ {} ms",
            self.count,
            self.sum / self.count * 1000.0,
            self.at_most(0.5) * 1000.0,
            self.at_most(0.99) * 1000.0
        )
    }
}

/// Where a gateway's mail goes.
#[derive(Clone, Copy)]
enum MailTo {
    /// Nowhere (`mail.transport = "none"`): the flows measured then send
    /// none that anyone reads.
    Nowhere,
    /// The bench's [`SmtpSink`] on `port`, with at most `sends` mails sent
    /// at once (`mail.max_concurrent_sends`; None: the site default). The
    /// captcha is then off: the load generator is a robot, not a person
    /// reading images.
    Sink { port: u16, sends: Option<usize> },
}

/// Starts the gateway binary on a free port, its mail going to `mail`.
async fn start_gateway(binary: &PathBuf, ldap_url: &str, mail: MailTo) -> anyhow::Result<Gateway> {
    let free_port = || -> std::io::Result<u16> {
        Ok(std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port())
    };
    let port = free_port()?;
    let metrics_port = free_port()?;
    let dir = tempfile::tempdir()?;
    let config = dir.path().join("passerelle.toml");
    // The demo's settings, with limits fit for one client address sending
    // thousands of forms, and no mail relay (mails leave off the request
    // path anyway) unless the sink is given.
    let mail = match mail {
        MailTo::Nowhere => "[mail]\ntransport = \"none\"\n".to_owned(),
        // Each gateway its own spool, as each replica of a site.
        MailTo::Sink { port, sends } => format!(
            "[mail]\ntransport = \"smtp\"\nhost = \"127.0.0.1\"\nport = {port}\n\
             security = \"none\"\nspool_directory = \"{}\"\n{}\n[captcha]\nmode = \"never\"\n",
            dir.path().join("spool").display(),
            sends.map_or(String::new(), |sends| format!(
                "max_concurrent_sends = {sends}\n"
            ))
        ),
    };
    std::fs::write(
        &config,
        format!(
            r#"[server]
listen = "127.0.0.1:{port}"
public_url = "http://127.0.0.1:{port}"
secure_cookies = false
rate_limit_per_minute = 10000000
rate_limit_burst = 10000000
max_connections = 1500

[metrics]
listen = "127.0.0.1:{metrics_port}"

[ldap]
urls = ["{ldap_url}"]
bind_dn = "{SERVICE_DN}"
bind_password = "{SERVICE_PASSWORD}"

[flows]
code = true
temporary = true

{mail}

[secrets]
cookie_key = "bench-cookie-key-0123456789abcdef0123456789abcdef"
code_key = "bench-code-key-0123456789abcdef0123456789abcdef"
answer_pepper = "{PEPPER}"
"#
        ),
    )?;
    let log = std::fs::File::create(dir.path().join("gateway.log"))?;
    let started = Instant::now();
    let child = Command::new(binary)
        .args(["serve", "--config"])
        .arg(&config)
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log)
        .spawn()
        .with_context(|| format!("starting {}", binary.display()))?;
    let mut gateway = Gateway {
        child,
        base: format!("http://127.0.0.1:{port}"),
        metrics: format!("http://127.0.0.1:{metrics_port}"),
        ready_after: Duration::ZERO,
        _dir: dir,
    };
    let client = reqwest::Client::new();
    loop {
        if let Ok(response) = client.get(format!("{}/readyz", gateway.base)).send().await {
            if response.status().is_success() {
                break;
            }
        }
        if let Some(status) = gateway.child.try_wait()? {
            let log = std::fs::read_to_string(gateway._dir.path().join("gateway.log"))?;
            bail!("the gateway exited ({status}): {log}");
        }
        if started.elapsed() > Duration::from_secs(30) {
            bail!("the gateway was not ready within 30 s");
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    gateway.ready_after = started.elapsed();
    Ok(gateway)
}

// ------------------------------------------------------------------ report

struct Row {
    step: String,
    concurrency: usize,
    measured: Measured,
    /// Successes counted in the directory (None: the step writes nothing).
    in_directory: Option<usize>,
    /// Binds with the new password that worked / tried.
    verified: Option<(usize, usize)>,
    peak_rss_kib: Option<u64>,
    ceiling: Option<f64>,
}

impl Row {
    /// A row of the ceilings' table: the work done without the gateway,
    /// `verified` by binds when it wrote passwords.
    fn ceiling(
        step: String,
        concurrency: usize,
        measured: Measured,
        verified: Option<(usize, usize)>,
    ) -> Row {
        Row {
            step,
            concurrency,
            measured,
            in_directory: None,
            verified,
            peak_rss_kib: None,
            ceiling: None,
        }
    }
}

fn ms(duration: Duration) -> String {
    format!("{:.1}", duration.as_secs_f64() * 1000.0)
}

fn table(rows: &[Row]) -> String {
    let mut text = String::from(
        "| step | conc. | req/s | p50 ms | p99 ms | errors | in directory | binds | peak RSS MiB | ceiling /s | ratio |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for row in rows {
        let m = &row.measured;
        let _ = writeln!(
            text,
            "| {}{} | {} | {:.0} | {} | {} | {} | {} | {} | {} | {} | {} |",
            row.step,
            if m.exhausted { " (people used up)" } else { "" },
            row.concurrency,
            m.rate(),
            ms(m.percentile(0.5)),
            ms(m.percentile(0.99)),
            m.errors,
            row.in_directory
                .map_or("–".into(), |count| count.to_string()),
            row.verified
                .map_or("–".into(), |(ok, tried)| format!("{ok}/{tried}")),
            row.peak_rss_kib
                .map_or("–".into(), |kib| format!("{:.1}", kib as f64 / 1024.0)),
            row.ceiling.map_or("–".into(), |c| format!("{c:.0}")),
            row.ceiling
                .map_or("–".into(), |c| format!("{:.0} %", 100.0 * m.rate() / c)),
        );
    }
    text
}

// ------------------------------------------------------------------ main

fn main() -> anyhow::Result<()> {
    let options = Options::parse()?;
    // 1,000 idle connections and 64 browsers need more descriptors than
    // the usual 1,024 (the gateway inherits the raised limit).
    if let Ok((_, hard)) = rlimit::Resource::NOFILE.get() {
        let _ = rlimit::Resource::NOFILE.set(hard.min(65_536), hard);
    }
    // One worker thread drives the load: the gateway and slapd share the
    // same cores, and the less the generator takes, the less it skews.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .max_blocking_threads(4)
        .enable_all()
        .build()?;
    let report = runtime.block_on(bench(&options))?;
    print!("{report}");
    if let Some(path) = &options.out {
        std::fs::write(path, &report)?;
    }
    Ok(())
}

async fn bench(options: &Options) -> anyhow::Result<String> {
    let began = Instant::now();
    let _ = STARTED.set(chrono::Utc::now().format("%Y%m%d%H%M%SZ").to_string());
    eprintln!("generating {} people", options.people);
    let ldif = people_ldif(options.people).await?;
    if let Ok(path) = std::env::var("BENCH_DUMP_LDIF") {
        std::fs::write(path, &ldif)?;
    }
    let load_started = Instant::now();
    let slapd =
        tokio::task::spawn_blocking(move || Slapd::start_with(People::Empty, &ldif)).await??;
    let load_time = load_started.elapsed();
    let url = slapd.url();
    let scheme = if options.hash == "ssha" {
        "{SSHA}"
    } else {
        "{ARGON2}"
    };
    set_password_hash(&url, scheme).await?;
    eprintln!(
        "slapd on {url} ({} people in {load_time:.1?})",
        options.people
    );

    let gateway = start_gateway(&options.gateway, &url, MailTo::Nowhere).await?;
    // Idle: what start-up left, after a moment to settle.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let idle_rss = gateway.status_kib("VmRSS");
    eprintln!(
        "gateway pid {} ready in {:.1?}, {} KiB idle",
        gateway.pid(),
        gateway.ready_after,
        idle_rss
    );

    // The relay of the gateways that mail codes.
    let sink = SmtpSink::start().await?;

    // The directory's work for one change, one reset and one code flow,
    // operation by operation (the last three people are kept for it).
    let client = browser()?;
    let change_ops = operations_of(options, &slapd, MailTo::Nowhere, |base| {
        let client = client.clone();
        let index = options.people - 1;
        async move { change_flow(&client, &base, index, INITIAL_PASSWORD).await }
    })
    .await?;
    let reset_ops = operations_of(options, &slapd, MailTo::Nowhere, |base| {
        let client = client.clone();
        let index = options.people - 2;
        async move { reset_flow(&client, &base, index).await }
    })
    .await?;
    let code_ops = operations_of(
        options,
        &slapd,
        MailTo::Sink {
            port: sink.port(),
            sends: None,
        },
        |base| {
            let (client, sink) = (client.clone(), sink.clone());
            let index = options.people - 3;
            async move { code_flow(&client, &base, index, &sink).await }
        },
    )
    .await?;
    eprintln!(
        "LDAP operations: change {}, reset {}, code {}",
        change_ops.describe(),
        reset_ops.describe(),
        code_ops.describe()
    );

    // People: each run gets its own slice.
    // The ceilings cycle through their own people, password after password
    // (a bind needs the one written before); each gateway run gets its own
    // slice of people who still have their first password.
    let bind_pool = options.people / 5;
    let write_pool = options.people / 10;
    let runs = options.concurrency.len();
    let rest = options.people - bind_pool - write_pool - 3;
    let change_slice = rest * 45 / 100 / runs;
    let reset_slice = rest * 30 / 100 / runs;
    // The code flow runs twice (see below); mail bounds the first.
    let code_slices = [rest * 8 / 100 / runs, rest * 17 / 100 / runs];
    let mut next_slice = bind_pool + write_pool;
    let mut slice = |size: usize| {
        let start = next_slice;
        next_slice += size;
        Arc::new(Slice {
            next: AtomicUsize::new(start),
            // Never the people kept for counting operations, nor beyond.
            end: (start + size).min(rest + bind_pool + write_pool),
        })
    };
    let endless = || {
        Arc::new(Slice {
            next: AtomicUsize::new(0),
            end: usize::MAX,
        })
    };

    // ---------------------------------------------------------- ceilings
    let mut ceilings: Vec<Row> = Vec::new();
    let mut argon2 = Vec::new();
    for threads in [1, 2] {
        let hasher = AnswerHasher::new(&SecretString::from(PEPPER), threads)?;
        let stored = Arc::new(hasher.hash(&SecretString::from(ANSWER)).await?);
        let measured = run(
            threads * 2,
            options.run,
            endless(),
            || Ok(()),
            move |_, _| {
                let (hasher, stored) = (hasher.clone(), stored.clone());
                async move {
                    let right = hasher
                        .verify(&SecretString::from("saint etienne"), Some(&stored))
                        .await?;
                    if !right {
                        bail!("the answer did not verify");
                    }
                    Ok(None)
                }
            },
        )
        .await?;
        argon2.push(measured.rate());
        ceilings.push(Row::ceiling(
            format!("ceiling: argon2id verification, {threads} thread(s)"),
            threads * 2,
            measured,
            None,
        ));
    }
    let argon2_rate = argon2.iter().copied().fold(0.0, f64::max);

    let bind_cycle = Arc::new(Slice {
        next: AtomicUsize::new(0),
        end: usize::MAX,
    });
    let write_cycle = Arc::new(Slice {
        next: AtomicUsize::new(0),
        end: usize::MAX,
    });
    let mut search_ceiling = Vec::new();
    let mut change_ceiling = Vec::new();
    let mut write_ceiling = Vec::new();
    for &concurrency in &options.concurrency {
        let url = Arc::new(url.clone());
        let people = options.people;
        // Search by identifier, as the service account.
        let mut connections = Vec::new();
        for _ in 0..concurrency {
            connections.push(connect(&url, Some((SERVICE_DN, SERVICE_PASSWORD))).await?);
        }
        let pool = Arc::new(Mutex::new(connections));
        let take = |pool: &Arc<Mutex<Vec<ldap3::Ldap>>>| -> anyhow::Result<ldap3::Ldap> {
            pool.lock()
                .map_err(|_| anyhow!("poisoned"))?
                .pop()
                .ok_or_else(|| anyhow!("no connection left"))
        };
        let searches = {
            let pool = pool.clone();
            run(
                concurrency,
                options.run,
                endless(),
                move || Ok(tokio::sync::Mutex::new(take(&pool)?)),
                move |ldap: Arc<tokio::sync::Mutex<ldap3::Ldap>>, index| async move {
                    let mut ldap = ldap.lock().await;
                    let filter = format!("(supannEtuId={})", student_number(index % people));
                    let (entries, _) = ldap
                        .search(PEOPLE_DN, Scope::OneLevel, &filter, vec!["*", "+"])
                        .await?
                        .success()?;
                    if entries.len() > 1 {
                        bail!("ambiguous");
                    }
                    Ok(None)
                },
            )
            .await?
        };
        search_ceiling.push(searches.rate());
        ceilings.push(Row::ceiling(
            "ceiling: ldap3 search by identifier".into(),
            concurrency,
            searches,
            None,
        ));

        // Bind as the person (its own connection), then the atomic write
        // as the service account: what a change needs at least.
        let mut pairs = Vec::new();
        for _ in 0..concurrency {
            pairs.push((
                connect(&url, None).await?,
                connect(&url, Some((SERVICE_DN, SERVICE_PASSWORD))).await?,
            ));
        }
        let pairs = Arc::new(Mutex::new(pairs));
        let changes = {
            let pairs = pairs.clone();
            run(
                concurrency,
                options.run,
                bind_cycle.clone(),
                move || {
                    Ok(tokio::sync::Mutex::new(
                        pairs
                            .lock()
                            .map_err(|_| anyhow!("poisoned"))?
                            .pop()
                            .ok_or_else(|| anyhow!("no pair left"))?,
                    ))
                },
                move |pair: Arc<tokio::sync::Mutex<(ldap3::Ldap, ldap3::Ldap)>>, index| async move {
                    let mut pair = pair.lock().await;
                    let (as_person, service) = &mut *pair;
                    let (person, round) = (index % bind_pool, index / bind_pool);
                    let current = match round {
                        0 => INITIAL_PASSWORD.to_owned(),
                        _ => ceiling_password(person, round - 1),
                    };
                    as_person
                        .with_controls(ppolicy::request_control())
                        .simple_bind(&dn(person), &current)
                        .await?
                        .success()?;
                    let password = ceiling_password(person, round);
                    service
                        .with_controls(ppolicy::request_control())
                        .modify(&dn(person), password_mods(&password))
                        .await?
                        .success()?;
                    Ok(Some((person, password)))
                },
            )
            .await?
        };
        change_ceiling.push(changes.rate());
        let counted = count_in_directory(&url, &changes).await?;
        ceilings.push(Row::ceiling(
            "ceiling: ldap3 bind + atomic write".into(),
            concurrency,
            changes,
            Some(counted.1),
        ));

        let mut writers = Vec::new();
        for _ in 0..concurrency {
            writers.push(connect(&url, Some((SERVICE_DN, SERVICE_PASSWORD))).await?);
        }
        let writers = Arc::new(Mutex::new(writers));
        let writes = {
            let writers = writers.clone();
            run(
                concurrency,
                options.run,
                write_cycle.clone(),
                move || Ok(tokio::sync::Mutex::new(take(&writers)?)),
                move |ldap: Arc<tokio::sync::Mutex<ldap3::Ldap>>, index| async move {
                    let person = bind_pool + index % write_pool;
                    let password = ceiling_password(person, index / write_pool);
                    ldap.lock()
                        .await
                        .with_controls(ppolicy::request_control())
                        .modify(&dn(person), password_mods(&password))
                        .await?
                        .success()?;
                    Ok(Some((person, password)))
                },
            )
            .await?
        };
        write_ceiling.push(writes.rate());
        let counted = count_in_directory(&url, &writes).await?;
        ceilings.push(Row::ceiling(
            "ceiling: ldap3 atomic write alone".into(),
            concurrency,
            writes,
            Some(counted.1),
        ));
    }

    // ---------------------------------------------------------- gateway
    let mut rows = Vec::new();
    let base = Arc::new(gateway.base.clone());
    for &concurrency in options.concurrency.iter().filter(|_| options.wants("form")) {
        gateway.reset_peak();
        let base = base.clone();
        let measured = run(
            concurrency,
            options.run,
            endless(),
            browser,
            move |client: Arc<reqwest::Client>, _| {
                let base = base.clone();
                async move {
                    let page = get(&client, &base, "/recover").await?;
                    hidden(&page.body, "csrf")?;
                    Ok(None)
                }
            },
        )
        .await?;
        rows.push(Row {
            step: "form page (GET /recover)".into(),
            concurrency,
            measured,
            in_directory: None,
            verified: None,
            peak_rss_kib: Some(gateway.status_kib("VmHWM")),
            // A form page touches no directory: no ceiling to compare with.
            ceiling: None,
        });
    }
    for (position, &concurrency) in options
        .concurrency
        .iter()
        .enumerate()
        .filter(|_| options.wants("change"))
    {
        gateway.reset_peak();
        let base = base.clone();
        let measured = run(
            concurrency,
            options.run,
            slice(change_slice),
            browser,
            move |client: Arc<reqwest::Client>, index| {
                let base = base.clone();
                async move {
                    let password = change_flow(&client, &base, index, INITIAL_PASSWORD).await?;
                    Ok(Some((index, password)))
                }
            },
        )
        .await?;
        let counted = count_in_directory(&url, &measured).await?;
        rows.push(Row {
            step: "change password, old one known (/change)".into(),
            concurrency,
            measured,
            in_directory: Some(counted.0),
            verified: Some(counted.1),
            peak_rss_kib: Some(gateway.status_kib("VmHWM")),
            ceiling: Some(change_ceiling[position]),
        });
    }
    for (position, &concurrency) in options
        .concurrency
        .iter()
        .enumerate()
        .filter(|_| options.wants("reset"))
    {
        gateway.reset_peak();
        let base = base.clone();
        let measured = run(
            concurrency,
            options.run * 2,
            slice(reset_slice),
            browser,
            move |client: Arc<reqwest::Client>, index| {
                let base = base.clone();
                async move { Ok(Some((index, reset_flow(&client, &base, index).await?))) }
            },
        )
        .await?;
        let counted = count_in_directory(&url, &measured).await?;
        let write = write_ceiling[position];
        rows.push(Row {
            step: "reset by secret question (/recover)".into(),
            concurrency,
            measured,
            in_directory: Some(counted.0),
            verified: Some(counted.1),
            peak_rss_kib: Some(gateway.status_kib("VmHWM")),
            ceiling: Some(1.0 / (1.0 / argon2_rate + 1.0 / write)),
        });
    }
    let after_load_rss = gateway.status_kib("VmRSS");
    let load_ended = Instant::now();

    // The code flow, through a gateway of its own that mails the sink (the
    // gateway above drops mail, as its flows' figures always were taken):
    // with the site's default number of mails sent at once, then with many,
    // to show what the flow does when mail delivery is not what bounds it.
    // Per run: the label, the concurrency, p50 and p99 of the wait for the
    // mail.
    let mut mail_waits = Vec::new();
    let mut spool_writes = Vec::new();
    let variants = [(None, ""), (Some(64), ", 64 mails sent at once")];
    for ((sends, label), code_slice) in variants
        .into_iter()
        .zip(code_slices)
        .filter(|_| options.wants("code"))
    {
        let code_gateway = start_gateway(
            &options.gateway,
            &url,
            MailTo::Sink {
                port: sink.port(),
                sends,
            },
        )
        .await?;
        let code_base = Arc::new(code_gateway.base.clone());
        sink.take_waits();
        for (position, &concurrency) in options.concurrency.iter().enumerate() {
            code_gateway.reset_peak();
            let (base, flows_sink) = (code_base.clone(), sink.clone());
            let measured = run(
                concurrency,
                options.run,
                slice(code_slice),
                browser,
                move |client: Arc<reqwest::Client>, index| {
                    let (base, sink) = (base.clone(), flows_sink.clone());
                    async move {
                        Ok(Some((
                            index,
                            code_flow(&client, &base, index, &sink).await?,
                        )))
                    }
                },
            )
            .await?;
            let waits = sink.take_waits();
            let at = |p: f64| {
                let rank = ((p * waits.len() as f64).ceil() as usize).clamp(1, waits.len().max(1));
                waits.get(rank - 1).copied().unwrap_or_default()
            };
            mail_waits.push((label, concurrency, at(0.5), at(0.99)));
            let counted = count_in_directory(&url, &measured).await?;
            rows.push(Row {
                step: format!("reset by e-mailed code (/code){label}"),
                concurrency,
                measured,
                in_directory: Some(counted.0),
                verified: Some(counted.1),
                peak_rss_kib: Some(code_gateway.status_kib("VmHWM")),
                // No argon2 on the way: the code is checked by a keyed hash.
                ceiling: Some(write_ceiling[position]),
            });
        }
        spool_writes.push((label, SpoolWrites::scrape(&code_gateway.metrics).await?));
    }
    let (mails, code_mails) = sink.counts();

    // ---------------------------------------------------------- passes
    let passes = if options.wants("passes") {
        directory_passes(options, &url, &gateway).await?
    } else {
        String::new()
    };

    // ---------------------------------------------------------- idle again
    // The secret answers' work areas are freed once no answer was checked
    // for a while: the gateway's memory once idle after the load.
    let quiet = passerelle_domain::secret_answer::AREAS_KEPT_IDLE + Duration::from_secs(3);
    if let Some(left) = quiet.checked_sub(load_ended.elapsed()) {
        if !options.smoke {
            tokio::time::sleep(left).await;
        }
    }
    let idle_again_rss = gateway.status_kib("VmRSS");
    let idle_after = load_ended.elapsed();

    // ---------------------------------------------------------- connections
    gateway.reset_peak();
    let mut open = Vec::new();
    let idle_connections = if options.wants("connections") {
        options.idle_connections
    } else {
        0
    };
    for _ in 0..idle_connections {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let address = gateway.base.trim_start_matches("http://").to_owned();
        let mut stream = tokio::net::TcpStream::connect(&address).await?;
        // One request each, then kept open and idle (keep-alive).
        stream
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: bench\r\n\r\n")
            .await?;
        let mut buffer = [0u8; 512];
        let _ = stream.read(&mut buffer).await?;
        open.push(stream);
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let connections_rss = gateway.status_kib("VmRSS");
    drop(open);

    // ---------------------------------------------------------- report
    let mut report = String::new();
    let _ = writeln!(
        report,
        "## Passerelle under load ({})\n",
        if options.smoke {
            "smoke run: a check, not a measurement"
        } else {
            "full run"
        }
    );
    let _ = writeln!(
        report,
        "{} people, slapd `olcPasswordHash: {scheme}`, runs of {:.1} s (resets {:.1} s), \
         concurrency {:?}; gateway, slapd and this load generator share the machine.\n",
        options.people,
        options.run.as_secs_f64(),
        options.run.as_secs_f64() * 2.0,
        options.concurrency
    );
    report.push_str("### The gateway, as a browser drives it\n\n");
    report.push_str(&table(&rows));
    report.push_str(
        "\nA change is 5 requests (GET /change, POST, GET /change/password, POST, GET \
         /change/done); a reset is 7. req/s counts whole flows for them; p50/p99 are \
         per flow. The change ceiling is the bind + write at the same concurrency; the \
         reset ceiling is 1 / (1 / argon2 rate (best of 1 and 2 threads) + 1 / write \
         rate).\n\n",
    );
    let _ = writeln!(
        report,
        "A code flow is 7 requests (GET /code, POST the recovery address, GET \
         /code/verify, POST the code, GET /code/password, POST the password, GET \
         /code/done) and the wait for the mail: the gateway mails the code off the \
         request path, and the flow's p50/p99 include the time until the code reached \
         this generator's SMTP sink ({mails} mails received, {code_mails} with a code). \
         It runs through a gateway of its own that mails the sink, with the captcha off; \
         its ceiling is the write alone (no argon2: the code is a keyed hash). Each \
         flow mails 3 times (the code; the change confirmed to the recovery and the \
         institutional address), each put on disk in the gateway's spool before it is \
         accepted, then sent over connections kept to the relay, `mail.max_concurrent_sends` \
         (8 by default) at once, the code first. The wait for the mail alone (from the \
         POST of the address to the code in the sink), p50 / p99: {}.\n",
        mail_waits
            .iter()
            .map(|(label, concurrency, p50, p99)| format!(
                "{} / {} ms at {concurrency}{label}",
                ms(*p50),
                ms(*p99)
            ))
            .collect::<Vec<_>>()
            .join("; ")
    );
    let _ = writeln!(
        report,
        "The spool's cost, from the code gateways' `passerelle_mail_spool_write_seconds` \
         (each request and each mail written, synced, renamed and the directory synced; \
         the first POST waits for one): {}.\n",
        spool_writes
            .iter()
            .map(|(label, writes)| format!("{}{label}", writes.describe()))
            .collect::<Vec<_>>()
            .join("; ")
    );
    let _ = writeln!(
        report,
        "### LDAP operations per flow (counted by a proxy in front of slapd, one flow each)\n\n\
         | flow | operations | at least |\n|---|---|---|\n\
         | change password (/change) | {} | 2: the bind as the person, the write |\n\
         | reset by question (/recover) | {} | 2: the search by identifier, the write |\n\
         | reset by e-mailed code (/code) | {} | 3: the search by address, the code stored, the write |\n",
        change_ops.describe(),
        reset_ops.describe(),
        code_ops.describe()
    );
    report.push_str(&passes);
    report.push_str("### Ceilings: the same work without the gateway\n\n");
    report.push_str(&table(&ceilings));
    let _ = writeln!(
        report,
        "\n### Memory and start\n\n\
         | measure | value | target |\n|---|---:|---:|\n\
         | time to ready (spawn to first 200 on /readyz) | {:.0} ms | < 200 ms |\n\
         | RSS idle after start | {:.1} MiB | < 20 MB |\n\
         | RSS after the load | {:.1} MiB | |\n\
         | RSS idle again, {:.0} s after the load | {:.1} MiB | |\n\
         | RSS with {} open idle connections | {:.1} MiB | < 150 MB |\n\
         | slapadd of the people | {:.1} s | |\n\
         | whole bench | {:.0} s | < 10 min |",
        gateway.ready_after.as_secs_f64() * 1000.0,
        idle_rss as f64 / 1024.0,
        after_load_rss as f64 / 1024.0,
        idle_after.as_secs_f64(),
        idle_again_rss as f64 / 1024.0,
        options.idle_connections,
        connections_rss as f64 / 1024.0,
        load_time.as_secs_f64(),
        began.elapsed().as_secs_f64(),
    );
    let failures: usize = rows.iter().map(|row| row.measured.errors).sum::<usize>()
        + ceilings
            .iter()
            .map(|row| row.measured.errors)
            .sum::<usize>();
    let unproved = rows.iter().chain(&ceilings).any(|row| {
        row.verified.is_some_and(|(ok, tried)| ok < tried)
            || row
                .in_directory
                .is_some_and(|count| count != row.measured.changed.len())
    });
    drop(gateway);
    drop(slapd);
    if options.smoke
        && (failures > 0 || unproved || rows.iter().any(|r| r.measured.latencies.is_empty()))
    {
        eprint!("{report}");
        bail!("the smoke run met errors, an empty step or a success the directory does not show");
    }
    Ok(report)
}

/// The passes over the whole directory, whose cost may grow with it only
/// as far as they must: `passerelle notify-expiring` (a separate process:
/// its time and peak RSS; the default policy given a maximum age of a year
/// first, so that one person in a hundred is due for a notice) and the
/// retirement of expired temporary passwords the gateway runs every five
/// minutes (the same 50 expired ones whatever the directory's size).
/// Returns the report's section.
async fn directory_passes(
    options: &Options,
    url: &str,
    gateway: &Gateway,
) -> anyhow::Result<String> {
    const EXPIRED: usize = 50;
    let mut admin = connect(url, Some((ADMIN_DN, ADMIN_PASSWORD))).await?;
    admin
        .modify(
            "cn=default,ou=policies,dc=univ-exemple,dc=fr",
            vec![Mod::Replace(
                "pwdMaxAge".to_owned(),
                HashSet::from([(365 * 86_400).to_string()]),
            )],
        )
        .await?
        .success()?;
    // People nobody else uses: just before the three kept for counting.
    let expired_people: Vec<usize> = (0..EXPIRED.min(options.people / 4))
        .map(|n| options.people - 4 - n)
        .collect();
    let past = (chrono::Utc::now() - chrono::Duration::hours(1))
        .format("%Y%m%d%H%M%SZ")
        .to_string();
    for index in &expired_people {
        admin
            .modify(
                &dn(*index),
                // As the gateway writes a temporary password: with
                // pwdReset (the sweep retires only what is still one).
                vec![
                    Mod::Replace(
                        "passerelleTempPasswordExpiry".to_owned(),
                        HashSet::from([past.clone()]),
                    ),
                    Mod::Replace("pwdReset".to_owned(), HashSet::from(["TRUE".to_owned()])),
                ],
            )
            .await?
            .success()?;
    }

    // The retirement, as the gateway's periodic task runs it.
    let settings = passerelle::directory::LdapSettings {
        urls: vec![url.to_owned()],
        bind_dn: SERVICE_DN.into(),
        ..passerelle::directory::LdapSettings::default()
    };
    let directory = passerelle::directory::Directory::new(
        &settings,
        SecretString::from(SERVICE_PASSWORD.to_owned()),
    )?;
    let quiet = passerelle::assemble::quiet_gateway(
        &directory,
        &passerelle::config::LockoutSettings::default(),
    )?;
    let started = Instant::now();
    let retired = passerelle::flows::temporary::retire_expired(&quiet).await?;
    let retire_time = started.elapsed();
    let started = Instant::now();
    let again = passerelle::flows::temporary::retire_expired(&quiet).await?;
    let nothing_time = started.elapsed();
    if retired != expired_people.len() || again != 0 {
        bail!(
            "the retirement retired {retired} then {again}, not {} then 0",
            expired_people.len()
        );
    }

    // notify-expiring, as cron runs it, with the serving gateway's
    // configuration (mail dropped).
    let binary = &options.gateway;
    let started = Instant::now();
    let mut child = Command::new(binary)
        .args(["notify-expiring", "--config"])
        .arg(gateway.config_path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .with_context(|| format!("starting {}", binary.display()))?;
    let status_path = format!("/proc/{}/status", child.id());
    let mut peak_kib = 0u64;
    let status = loop {
        if let Ok(status) = std::fs::read_to_string(&status_path) {
            if let Some(kib) = status
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .and_then(|rest| rest.split_whitespace().next()?.parse::<u64>().ok())
            {
                peak_kib = peak_kib.max(kib);
            }
        }
        if let Some(status) = child.try_wait()? {
            break status;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    };
    let notify_time = started.elapsed();
    let mut output = String::new();
    if let Some(mut stdout) = child.stdout.take() {
        use std::io::Read as _;
        stdout.read_to_string(&mut output)?;
    }
    if !status.success() {
        bail!("notify-expiring failed ({status}): {output}");
    }
    Ok(format!(
        "### Passes over the whole directory ({} people)\n\n\
         | pass | time | peak RSS MiB | what it did |\n|---|---:|---:|---|\n\
         | `passerelle notify-expiring` (a process of its own) | {:.2} s | {:.1} | {} |\n\
         | retirement of expired temporary passwords | {} ms | – | {retired} of the {} expired retired |\n\
         | the same with none expired | {} ms | – | nothing to do |\n\n",
        options.people,
        notify_time.as_secs_f64(),
        peak_kib as f64 / 1024.0,
        output.trim(),
        ms(retire_time),
        expired_people.len(),
        ms(nothing_time),
    ))
}

/// How many of the run's successes the directory shows (pwdChangedTime
/// set on the person), and binds with the password each person was last
/// given, for the 20 people changed last.
async fn count_in_directory(
    url: &str,
    measured: &Measured,
) -> anyhow::Result<(usize, (usize, usize))> {
    let changed = changed_people(url).await?;
    let mut in_order: Vec<&(usize, usize, String)> = measured.changed.iter().collect();
    in_order.sort_by_key(|(taken, _, _)| *taken);
    let mut last = std::collections::HashMap::new();
    for (taken, person, password) in &in_order {
        last.insert(*person, (*taken, password.as_str()));
    }
    let counted = last
        .keys()
        .filter(|person| changed.contains(person))
        .count();
    let mut sample: Vec<_> = last.into_iter().collect();
    sample.sort_by_key(|(_, (taken, _))| std::cmp::Reverse(*taken));
    sample.truncate(20);
    let mut ok = 0;
    for (person, (_, password)) in &sample {
        if binds(url, *person, password).await {
            ok += 1;
        }
    }
    Ok((counted, (ok, sample.len())))
}
