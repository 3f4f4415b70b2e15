//! Command line: `serve` runs the gateway, `check` proves a configuration
//! against the real directory and relay, `demo` runs everything on a
//! throwaway directory, `hash-answer` lets IT set a secret answer with
//! ordinary LDAP tools, `config-reference` prints every configuration key,
//! `audit-reference` every audit step and outcome,
//! `healthcheck` asks a running gateway's probe (a container's health
//! check, with no shell in the image), `audit` tells what happened to an
//! account from the audit trail's files, `notify-expiring` mails password
//! expiry notices, `breach-sweep` checks the passwords in use against the
//! breach list. Two hidden commands serve the Debian package: `man` writes
//! the man pages and `completions` a shell's completion script, both from
//! this very command line (the `manual` module).

use crate::config::Settings;
use clap::{CommandFactory, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "passerelle",
    version,
    about = "Self-service password gateway for OpenLDAP",
    long_about = "Self-service password gateway for OpenLDAP: people recover, \
        activate and change their own password, proving who they are with \
        what the directory knows of them, and the gateway writes the new \
        password into the directory under its password policy. It keeps no \
        database: what it must remember lives on the person's entry.\n\n\
        Before going live, and after every change of configuration, run \
        passerelle check --config FILE until every line says ok; the \
        service then runs passerelle serve --config FILE."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the gateway with a configuration file.
    Serve {
        #[arg(long, short)]
        config: PathBuf,
    },
    /// Prove a configuration against the real directory and mail relay:
    /// one line per check (ok, warn, FAIL); exit 0 unless a check failed.
    Check {
        #[arg(long, short)]
        config: PathBuf,
        /// Exit non-zero on warnings too.
        #[arg(long)]
        strict: bool,
    },
    /// Print the configuration reference (docs/configuration.md): every
    /// key with its type, default and meaning, from the code.
    ConfigReference,
    /// Print the steps and outcomes sections of docs/audit.md: every
    /// event the gateway can record, from the code.
    AuditReference,
    /// Run the gateway on a throwaway demo directory with sample people.
    Demo {
        /// Port of the gateway on 127.0.0.1 (0: a free one, printed at start).
        #[arg(long, default_value_t = 8080)]
        port: u16,
        /// Folder that receives every mail as an .eml file.
        #[arg(long, default_value = "demo-outbox")]
        outbox: PathBuf,
        /// Run as one seed system: uphf, efp, caf-services,
        /// caf-partenaires or ecolesoft (its flows, rules, captcha, texts
        /// and fitting demo people). Without it, every flow is on.
        #[arg(long)]
        preset: Option<String>,
    },
    /// Mail the people whose password expires within `expiry.notice_days`
    /// (once per threshold), then exit; run it daily from a timer.
    NotifyExpiring {
        #[arg(long, short)]
        config: PathBuf,
    },
    /// Compare the NT hashes of the accounts in scope with the breach list
    /// (as the sweep's own read-only account) and print how many are in
    /// it; with --notify, mail each person found a link to reset (once per
    /// list version), then exit. Run it from a timer after each new list.
    BreachSweep {
        #[arg(long, short)]
        config: PathBuf,
        /// Tell each person found (and, with breach_sweep.force_change,
        /// set pwdReset), as the notice account.
        #[arg(long)]
        notify: bool,
    },
    /// Read a secret answer on standard input and print the value to store
    /// in `passerelleAnswerHash` (uses the configured pepper).
    HashAnswer {
        #[arg(long, short)]
        config: PathBuf,
    },
    /// Ask the gateway running with this configuration for `/healthz` (or
    /// `/readyz`) on `server.listen`; exit 0 when it answers 200, else 1.
    Healthcheck {
        #[arg(long, short)]
        config: PathBuf,
        /// Ask `/readyz` (the directory answers too) instead of `/healthz`.
        #[arg(long)]
        ready: bool,
        /// Seconds to wait for the answer.
        #[arg(long, default_value_t = 5)]
        timeout_seconds: u64,
    },
    /// Print what happened to an account, or what a help-desk agent did,
    /// oldest first, from audit trail files (JSON lines; `-` reads standard
    /// input, e.g. from zcat).
    #[command(group(clap::ArgGroup::new("who").required(true).args(["account", "agent"])))]
    Audit {
        /// The account's login or DN (case ignored).
        #[arg(long, short)]
        account: Option<String>,
        /// A help-desk agent's login or DN (case ignored): every sign-in,
        /// search, card, verification and action of theirs.
        #[arg(long)]
        agent: Option<String>,
        /// Audit trail files, in any order.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Write the man pages, passerelle.1 and one per command, into a
    /// folder (the Debian package's are made so).
    #[command(hide = true)]
    Man {
        #[arg(long)]
        out_dir: PathBuf,
    },
    /// Print a shell's completion script.
    #[command(hide = true)]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// The command line as clap describes it: what the man pages and the
/// completion scripts are made from.
pub fn command() -> clap::Command {
    Cli::command()
}

/// Whether `passerelle` accepts `args` (the program name first) as its
/// command line, as a Dockerfile's ENTRYPOINT and CMD or a systemd unit's
/// ExecStart give it. Errors: clap's message naming what is wrong.
pub fn accepts<I, T>(args: I) -> Result<(), clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    Cli::try_parse_from(args).map(|_| ())
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("passerelle: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = match cli.command {
        Command::Serve { config } => runtime.block_on(serve(config)),
        Command::Check { config, strict } => {
            return match load(&config) {
                Ok(settings) => runtime.block_on(crate::check::run(&settings, &config, strict)),
                Err(code) => code,
            }
        }
        Command::ConfigReference => {
            return match crate::config::reference::markdown() {
                Ok(text) => {
                    print!("{text}");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("passerelle: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::AuditReference => {
            print!("{}", passerelle_domain::audit::reference());
            return ExitCode::SUCCESS;
        }
        Command::Demo {
            port,
            outbox,
            preset,
        } => runtime.block_on(crate::demo::run(port, outbox, preset)),
        Command::HashAnswer { config } => runtime.block_on(hash_answer(config)),
        Command::Healthcheck {
            config,
            ready,
            timeout_seconds,
        } => {
            let settings = match load(&config) {
                Ok(settings) => settings,
                Err(code) => return code,
            };
            let probe = if ready {
                crate::healthcheck::Probe::Ready
            } else {
                crate::healthcheck::Probe::Live
            };
            let timeout = std::time::Duration::from_secs(timeout_seconds.max(1));
            let healthy = runtime.block_on(crate::healthcheck::run(
                &settings.server.listen,
                probe,
                timeout,
            ));
            return if healthy {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            };
        }
        Command::Audit {
            account,
            agent,
            files,
        } => match (account, agent) {
            (_, Some(agent)) => audit_agent(&agent, &files),
            (Some(account), None) => audit(&account, &files),
            (None, None) => Err(anyhow::anyhow!("--account or --agent is required")),
        },
        Command::NotifyExpiring { config } => runtime.block_on(notify_expiring(config)),
        Command::Man { out_dir } => crate::manual::write_pages(&out_dir, command()).map(|_| ()),
        Command::Completions { shell } => {
            crate::manual::completions(shell, command(), &mut std::io::stdout().lock());
            Ok(())
        }
        Command::BreachSweep { config, notify } => runtime.block_on(breach_sweep(config, notify)),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("passerelle: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Loads a configuration, printing one clear line when it cannot be used.
fn load(config: &std::path::Path) -> Result<Settings, ExitCode> {
    Settings::load(Some(config)).map_err(|e| {
        eprintln!("passerelle: configuration: {e}");
        ExitCode::from(2)
    })
}

async fn serve(config: PathBuf) -> anyhow::Result<()> {
    let settings =
        load(&config).map_err(|_| anyhow::anyhow!("the configuration cannot be used"))?;
    crate::telemetry::init(&settings.log);
    let secrets = settings.resolve_secrets()?;
    crate::web::serve(settings, secrets).await
}

/// `passerelle audit --account LOGIN FILE…`: one readable line per event
/// of the account, oldest first; "no event" when there is none (exit 0:
/// an answer, not a failure).
fn audit(account: &str, files: &[PathBuf]) -> anyhow::Result<()> {
    let (records, skipped) = crate::audit_trail::read_records(files)?;
    let found = crate::audit_trail::history(&records, account);
    if found.is_empty() {
        println!(
            "no event for {} in {} record(s)",
            crate::audit_trail::escape_for_terminal(account),
            records.len()
        );
    }
    for record in &found {
        println!("{}", crate::audit_trail::describe(record));
    }
    if skipped > 0 {
        eprintln!("passerelle: {skipped} line(s) were not audit records and were skipped");
    }
    Ok(())
}

/// `passerelle audit --agent LOGIN FILE…`: what a help-desk agent did, one
/// readable line per event, oldest first.
fn audit_agent(agent: &str, files: &[PathBuf]) -> anyhow::Result<()> {
    let (records, skipped) = crate::audit_trail::read_records(files)?;
    let found = crate::audit_trail::agent_history(&records, agent);
    if found.is_empty() {
        println!(
            "no event by the agent {agent} in {} record(s)",
            records.len()
        );
    }
    for record in &found {
        println!("{}", crate::audit_trail::describe(record));
    }
    if skipped > 0 {
        eprintln!("passerelle: {skipped} line(s) were not audit records and were skipped");
    }
    Ok(())
}

/// How long queued notices may take to leave before the command gives up.
const NOTICE_FLUSH: std::time::Duration = std::time::Duration::from_secs(300);

async fn notify_expiring(config: PathBuf) -> anyhow::Result<()> {
    let settings =
        load(&config).map_err(|_| anyhow::anyhow!("the configuration cannot be used"))?;
    crate::telemetry::init(&settings.log);
    let secrets = settings.resolve_secrets()?;
    let mailer = crate::mail::Mailer::build(&settings.mail, (&settings.site).into())?;
    let report =
        crate::assemble::notify_expiring(&settings, &secrets, &mailer, chrono::Utc::now()).await?;
    let flushed = mailer.flush(NOTICE_FLUSH).await;
    println!(
        "expiry notices: {} people with a password, {} mailed, {} already sent, {} without an address, {} errors",
        report.people, report.mailed, report.already_sent, report.no_address, report.errors
    );
    if !flushed {
        anyhow::bail!(
            "{} notices were still queued for the relay",
            mailer.pending()
        );
    }
    if report.errors > 0 {
        anyhow::bail!(
            "{} people could not be handled (see the log)",
            report.errors
        );
    }
    Ok(())
}

async fn breach_sweep(config: PathBuf, notify: bool) -> anyhow::Result<()> {
    let settings =
        load(&config).map_err(|_| anyhow::anyhow!("the configuration cannot be used"))?;
    crate::telemetry::init(&settings.log);
    let started = std::time::Instant::now();
    let mailer = if notify {
        Some(crate::mail::Mailer::build(
            &settings.mail,
            (&settings.site).into(),
        )?)
    } else {
        None
    };
    let mut outcome =
        crate::breach_sweep::run(&settings, mailer.as_ref(), chrono::Utc::now()).await;
    if let (Ok(report), Some(mailer)) = (&outcome, &mailer) {
        if !mailer.flush(NOTICE_FLUSH).await {
            let pending = mailer.pending();
            for line in report.lines() {
                println!("{line}");
            }
            outcome = Err(anyhow::anyhow!(
                "{pending} notices were still queued for the relay"
            ));
        }
    }
    if let Some(path) = &settings.breach_sweep.metrics_file {
        let previous = std::fs::read_to_string(path).ok();
        let text = crate::breach_sweep::metrics_text(
            outcome.as_ref().ok(),
            chrono::Utc::now(),
            started.elapsed(),
            previous.as_deref(),
        );
        if let Err(error) = crate::breach_sweep::write_metrics(path, &text) {
            eprintln!("passerelle: {error:#}");
        }
    }
    let report = outcome?;
    for line in report.lines() {
        println!("{line}");
    }
    if let Some(notices) = &report.notices {
        if notices.errors > 0 {
            anyhow::bail!(
                "{} accounts could not be notified (see the log)",
                notices.errors
            );
        }
    }
    Ok(())
}

async fn hash_answer(config: PathBuf) -> anyhow::Result<()> {
    use secrecy::SecretString;
    use std::io::Read;
    let settings =
        load(&config).map_err(|_| anyhow::anyhow!("the configuration cannot be used"))?;
    let pepper = crate::config::secret(
        "secrets.answer_pepper",
        &settings.secrets.answer_pepper,
        &settings.secrets.answer_pepper_file,
    )?
    .ok_or_else(|| anyhow::anyhow!("`secrets.answer_pepper` is not set"))?;
    let mut answer = String::new();
    std::io::stdin().read_to_string(&mut answer)?;
    let answer = SecretString::from(answer.trim_end_matches(['\n', '\r']).to_owned());
    let hasher = crate::secret_answer::AnswerHasher::new(&pepper, 1)?;
    println!("{}", hasher.hash(&answer).await?);
    Ok(())
}
