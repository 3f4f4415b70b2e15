//! The deployment a site makes from the documents alone (issue 24), run
//! end to end with another suffix: `config/ldap/site-recipe.sh` (the lines
//! `config/ldap/README.md` shows), slapd started as its step 3 says (`-h`
//! with `ldap://` and `ldapi://`, SASL EXTERNAL for cn=config), the people
//! of `docs/provisioning.md` added with `ldapadd` as the rootdn, the keys
//! and the configuration of `docs/deployment.md` ("A first
//! configuration"), then `passerelle check` and `passerelle serve` as an
//! operator runs them. Paths, ports and the relay are the test's own; every
//! command and file is the documents'.

use crate::app::{encode, Page};
use crate::smtp::SmtpSink;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BINARY: &str = env!("CARGO_BIN_EXE_passerelle");
const SUFFIX: &str = "dc=example,dc=org";
const ORGANIZATION: &str = "Example University";

fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(repository().join(path)).unwrap()
}

/// The text between `begin` and the next `end` after it.
fn between<'a>(text: &'a str, begin: &str, end: &str) -> &'a str {
    let start = text.find(begin).unwrap_or_else(|| panic!("no {begin:?}")) + begin.len();
    let length = text[start..]
        .find(end)
        .unwrap_or_else(|| panic!("no {end:?} after {begin:?}"));
    &text[start..start + length]
}

/// The first fenced block of `language` after `heading` in a document.
fn block_after<'a>(document: &'a str, heading: &str, language: &str) -> &'a str {
    let after = &document[document
        .find(heading)
        .unwrap_or_else(|| panic!("no heading {heading:?}"))..];
    between(after, &format!("```{language}\n"), "```")
}

fn id(flag: &str) -> String {
    let output = Command::new("id").arg(flag).output().unwrap();
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A process killed when the test ends, however it ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs an ldap-utils command; its standard output, or a panic with what
/// it printed.
fn ldap_tool(tool: &str, args: &[&str], input: Option<&str>) -> String {
    use std::io::Write;
    let mut child = Command::new(tool)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    if let Some(input) = input {
        stdin.write_all(input.as_bytes()).unwrap();
    }
    drop(stdin);
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{tool} {args:?}: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn the_readme_shows_the_recipe_script_line_for_line() {
    let script = read("config/ldap/site-recipe.sh");
    let recipe = between(&script, "# --- recipe: begin\n", "# --- recipe: end\n");
    assert!(recipe.lines().count() > 30, "{recipe}");
    let readme = read("config/ldap/README.md");
    assert!(
        readme.contains(&format!("```sh\n{recipe}```")),
        "config/ldap/README.md does not show the lines of site-recipe.sh as they are"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_site_deployed_from_the_documents_alone_passes_check_and_keeps_accounts_in_use_closed() {
    let started = Instant::now();
    let root = tempfile::tempdir().unwrap();
    let at = |path: &str| root.path().join(path);
    // The test's stand-in for the machine's /etc/passerelle/.
    let etc_passerelle = format!("{}/", at("etc/passerelle").display());
    // And for /var/lib/passerelle/ (the mail spool).
    let var_lib_passerelle = format!("{}/", at("var/lib/passerelle").display());

    // 1-2. The recipe, with the test's paths and its own user in place of
    // openldap and root.
    let recipe = Command::new("bash")
        .arg(repository().join("config/ldap/site-recipe.sh"))
        .env("SUFFIX", SUFFIX)
        .env("ORGANIZATION", ORGANIZATION)
        .env("CONFIG_DIR", at("slapd.d"))
        .env("DATA_DIR", at("data"))
        .env("RUN_DIR", at("run"))
        .env("LDAP_SECRETS", at("ldap-secrets"))
        .env(
            "GATEWAY_SECRET",
            format!("{etc_passerelle}secrets/ldap-bind-password"),
        )
        .env("OWNER", format!("{}:{}", id("-u"), id("-g")))
        .env("ADMIN_UID", id("-u"))
        .env("ADMIN_GID", id("-g"))
        .output()
        .unwrap();
    assert!(
        recipe.status.success(),
        "site-recipe.sh: {}{}",
        String::from_utf8_lossy(&recipe.stdout),
        String::from_utf8_lossy(&recipe.stderr)
    );
    let rootdn_password = at("ldap-secrets/rootdn");
    for secret in ["ldap-secrets/rootdn", "ldap-secrets/radius"] {
        let text = std::fs::read(at(secret)).unwrap();
        assert_eq!(text.len(), 48, "{secret}");
        assert!(!text.ends_with(b"\n"), "{secret} ends with a newline");
    }

    // 3. slapd as step 3 starts it: ldap:// and ldapi://.
    let port = free_port();
    let socket = at("run/ldapi").display().to_string().replace('/', "%2F");
    let ldapi = format!("ldapi://{socket}");
    let ldap_url = format!("ldap://127.0.0.1:{port}");
    let _slapd = Running(
        Command::new("/usr/sbin/slapd")
            .arg("-h")
            .arg(format!("{ldap_url}/ {ldapi}"))
            .arg("-F")
            .arg(at("slapd.d"))
            .args(["-d", "0"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(at("slapd.log")).unwrap())
            .spawn()
            .unwrap(),
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    let whoami = loop {
        let output = Command::new("ldapwhoami")
            .args(["-Q", "-Y", "EXTERNAL", "-H", &ldapi])
            .output()
            .unwrap();
        if output.status.success() {
            break String::from_utf8_lossy(&output.stdout).into_owned();
        }
        assert!(
            Instant::now() < deadline,
            "slapd never answered on {ldapi}: {}",
            std::fs::read_to_string(at("slapd.log")).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(
        whoami.trim(),
        format!(
            "dn:gidNumber={}+uidNumber={},cn=peercred,cn=external,cn=auth",
            id("-g"),
            id("-u")
        )
    );
    let config = ldap_tool(
        "ldapsearch",
        &[
            "-Q",
            "-Y",
            "EXTERNAL",
            "-H",
            &ldapi,
            "-LLL",
            "-b",
            "cn=config",
            "(olcSuffix=*)",
            "olcSuffix",
        ],
        None,
    );
    assert!(config.contains(&format!("olcSuffix: {SUFFIX}")), "{config}");
    let rootdn = format!("cn=admin,{SUFFIX}");
    let rootdn_password = rootdn_password.display().to_string();
    let as_rootdn = |tool: &str, args: &[&str], input: Option<&str>| {
        let mut all = vec!["-x", "-H", &ldapi, "-D", &rootdn, "-y", &rootdn_password];
        all.extend_from_slice(args);
        ldap_tool(tool, &all, input)
    };
    let base = as_rootdn(
        "ldapsearch",
        &["-LLL", "-b", SUFFIX, "-s", "base", "dc", "o"],
        None,
    );
    assert!(base.contains("dc: example"), "{base}");
    assert!(base.contains(&format!("o: {ORGANIZATION}")), "{base}");

    // 4. The people of docs/provisioning.md, with ldapadd as the rootdn:
    // jmartin uses her account, nnouvel is a newcomer to activate.
    let people = block_after(
        &read("docs/provisioning.md"),
        "## An account in use",
        "ldif",
    )
    .replace("dc=univ-exemple,dc=fr", SUFFIX);
    as_rootdn("ldapadd", &[], Some(&people));
    let jmartin = format!("uid=jmartin,ou=people,{SUFFIX}");
    ldap_tool(
        "ldapwhoami",
        &[
            "-x",
            "-H",
            &ldap_url,
            "-D",
            &jmartin,
            "-w",
            "Erable-Rouge-2024",
        ],
        None,
    );

    // 5. The gateway's keys and configuration of docs/deployment.md.
    let deployment = read("docs/deployment.md");
    let keys = block_after(&deployment, "## A first configuration", "sh")
        .replace("/etc/passerelle/", &etc_passerelle);
    let made = Command::new("bash").args(["-c", &keys]).output().unwrap();
    assert!(made.status.success(), "{made:?}");
    let sink = SmtpSink::start().await;
    let http_port = free_port();
    let site = block_after(&deployment, "## A first configuration", "toml")
        .replace("dc=univ-exemple,dc=fr", SUFFIX)
        .replace("/etc/passerelle/", &etc_passerelle)
        .replace("/var/lib/passerelle/", &var_lib_passerelle)
        .replace("ldap://127.0.0.1:389", &ldap_url)
        .replace("127.0.0.1:8080", &format!("127.0.0.1:{http_port}"))
        .replace(
            "public_url = \"https://sesame.univ-exemple.fr\"",
            // Plain http on loopback for the test's client.
            &format!("public_url = \"http://127.0.0.1:{http_port}\"\nsecure_cookies = false"),
        )
        .replace(
            "host = \"localhost\"",
            &format!("host = \"127.0.0.1\"\nport = {}", sink.port()),
        );
    // The metrics listener's default port (127.0.0.1:9464) may be taken by
    // another gateway on this machine: a free one.
    let site = format!("{site}\n[metrics]\nlisten = \"127.0.0.1:0\"\n");
    let config = at("etc/passerelle/passerelle.toml");
    std::fs::write(&config, &site).unwrap();

    let checked = tokio::task::spawn_blocking({
        let config = config.clone();
        move || {
            Command::new(BINARY)
                .args(["check", "--config"])
                .arg(config)
                .output()
                .unwrap()
        }
    })
    .await
    .unwrap();
    let report = String::from_utf8_lossy(&checked.stdout).into_owned()
        + &String::from_utf8_lossy(&checked.stderr);
    assert_eq!(checked.status.code(), Some(0), "{report}\n{site}");
    assert!(
        report.trim_end().ends_with("0 warn, 0 FAIL: ready"),
        "check is not all ok:\n{report}\n{site}"
    );
    for topic in [
        "directory",
        "schema",
        "policy",
        "rights",
        "activate",
        "search",
    ] {
        assert!(
            report
                .lines()
                .any(|l| l.starts_with("ok") && l.split_whitespace().nth(1) == Some(topic)),
            "no ok line for {topic}: {report}"
        );
    }

    let log = at("gateway.log");
    let _gateway = Running(
        Command::new(BINARY)
            .args(["serve", "--config"])
            .arg(&config)
            .env_remove("RUST_LOG")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap(),
    );
    let address = format!("http://127.0.0.1:{http_port}");
    wait_ready(&address, &log).await;

    // « Activer mon compte » refuses the account in use, opens the newcomer.
    let in_use = activate(&address, "22409001", "07/05/2004").await;
    assert_eq!(in_use.status, reqwest::StatusCode::OK, "{}", in_use.body);
    assert!(
        in_use.body.contains("ne permettent pas de vous identifier"),
        "{}",
        in_use.body
    );
    let newcomer = activate(&address, "22409002", "11/02/2007").await;
    assert_eq!(
        newcomer.location().as_deref(),
        Some("/activate/question"),
        "{}",
        newcomer.body
    );
    ldap_tool(
        "ldapwhoami",
        &[
            "-x",
            "-H",
            &ldap_url,
            "-D",
            &jmartin,
            "-w",
            "Erable-Rouge-2024",
        ],
        None,
    );

    // Five wrong binds of the service account (a typo repeated) lock
    // nothing: the gateway keeps working.
    let service = format!("cn=passerelle,ou=services,{SUFFIX}");
    for _ in 0..5 {
        let output = Command::new("ldapwhoami")
            .args([
                "-x",
                "-H",
                &ldap_url,
                "-D",
                &service,
                "-w",
                "une-faute-de-frappe",
            ])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(49), "{output:?}");
    }
    let gateway_secret = format!("{etc_passerelle}secrets/ldap-bind-password");
    ldap_tool(
        "ldapwhoami",
        &["-x", "-H", &ldap_url, "-D", &service, "-y", &gateway_secret],
        None,
    );
    let state = as_rootdn(
        "ldapsearch",
        &[
            "-LLL",
            "-b",
            &service,
            "-s",
            "base",
            "pwdAccountLockedTime",
            "pwdFailureTime",
        ],
        None,
    );
    assert!(!state.contains("pwdAccountLockedTime"), "{state}");
    assert!(!state.contains("pwdFailureTime"), "{state}");
    // The newcomer goes on to the end: the password binds, and Wi-Fi's NT
    // hash came with it (sambaSamAccount, as docs/provisioning.md says).
    let (client, again) = activate_with(&address, "22409002", "11/02/2007").await;
    assert_eq!(again.location().as_deref(), Some("/activate/question"));
    let question = get(&client, &address, "/activate/question").await;
    let chosen = post(
        &client,
        &address,
        "/activate/question",
        &question,
        &[
            ("question", "0"),
            ("own_question", ""),
            ("answer", "Capucine des Bois"),
            ("answer_confirm", "Capucine des Bois"),
        ],
    )
    .await;
    assert_eq!(
        chosen.location().as_deref(),
        Some("/activate/password"),
        "{}",
        chosen.body
    );
    let form = get(&client, &address, "/activate/password").await;
    let done = post(
        &client,
        &address,
        "/activate/password",
        &form,
        &[
            ("password", "Soleil-Couchant-77"),
            ("confirm", "Soleil-Couchant-77"),
            ("rules", "accepted"),
        ],
    )
    .await;
    let done = match done.location() {
        Some(to) => get(&client, &address, &to).await,
        None => done,
    };
    assert!(done.body.contains("Compte activé"), "{}", done.body);
    let nnouvel = format!("uid=nnouvel,ou=people,{SUFFIX}");
    ldap_tool(
        "ldapwhoami",
        &[
            "-x",
            "-H",
            &ldap_url,
            "-D",
            &nnouvel,
            "-w",
            "Soleil-Couchant-77",
        ],
        None,
    );
    let nt = as_rootdn(
        "ldapsearch",
        &["-LLL", "-b", &nnouvel, "-s", "base", "sambaNTPassword"],
        None,
    );
    assert!(nt.contains("sambaNTPassword: "), "no NT hash written: {nt}");
    println!(
        "the documented site recipe, check and serve: {} ms",
        started.elapsed().as_millis()
    );
}

/// Polls `/readyz` until the gateway answers that the directory does.
async fn wait_ready(address: &str, log: &Path) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(answer) = reqwest::get(format!("{address}/readyz")).await {
            if answer.status() == reqwest::StatusCode::OK {
                return;
            }
        }
        assert!(
            Instant::now() < deadline,
            "the gateway never got ready: {}",
            std::fs::read_to_string(log).unwrap_or_default()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn get(client: &reqwest::Client, address: &str, path: &str) -> Page {
    Page::read(client.get(format!("{address}{path}")).send().await.unwrap()).await
}

/// Posts `fields` to `path` with the tokens of the form on `form`, as a
/// browser does; the redirect is not followed.
async fn post(
    client: &reqwest::Client,
    address: &str,
    path: &str,
    form: &Page,
    fields: &[(&str, &str)],
) -> Page {
    let (csrf, nonce) = (form.csrf(), form.nonce());
    let mut all = vec![("csrf", csrf.as_str()), ("nonce", nonce.as_str())];
    all.extend_from_slice(fields);
    Page::read(
        client
            .post(format!("{address}{path}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(encode(&all))
            .send()
            .await
            .unwrap(),
    )
    .await
}

/// The first step of « Activer mon compte » as a browser takes it: the
/// answer to the identifier and birth date (a refusal's page, or the
/// redirect to the next step), and the browser.
async fn activate_with(
    address: &str,
    identifier: &str,
    birth_date: &str,
) -> (reqwest::Client, Page) {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let form = get(&client, address, "/activate").await;
    assert_eq!(form.status, reqwest::StatusCode::OK, "{}", form.body);
    let answer = post(
        &client,
        address,
        "/activate",
        &form,
        &[("identifier", identifier), ("birth_date", birth_date)],
    )
    .await;
    // A refusal comes back by Post/Redirect/Get to the same page.
    let page = match answer.location() {
        Some(to) if to == "/activate" => get(&client, address, &to).await,
        _ => answer,
    };
    (client, page)
}

async fn activate(address: &str, identifier: &str, birth_date: &str) -> Page {
    activate_with(address, identifier, birth_date).await.1
}
