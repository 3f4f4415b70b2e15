//! Command line: `serve` runs the gateway, `check` proves a configuration
//! against the real directory and relay, `demo` runs everything on a
//! throwaway directory, `hash-answer` lets IT set a secret answer with
//! ordinary LDAP tools, `notify-expiring` mails password expiry notices.

use crate::config::Settings;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "passerelle",
    version,
    about = "Self-service password gateway for OpenLDAP"
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
    /// Validate a configuration, bind to the directory, reach the mail relay.
    Check {
        #[arg(long, short)]
        config: PathBuf,
    },
    /// Run the gateway on a throwaway demo directory with sample people.
    Demo {
        /// Port of the gateway on 127.0.0.1.
        #[arg(long, default_value_t = 8080)]
        port: u16,
        /// Folder that receives every mail as an .eml file.
        #[arg(long, default_value = "demo-outbox")]
        outbox: PathBuf,
    },
    /// Mail the people whose password expires within `expiry.notice_days`
    /// (once per threshold), then exit; run it daily from a timer.
    NotifyExpiring {
        #[arg(long, short)]
        config: PathBuf,
    },
    /// Read a secret answer on standard input and print the value to store
    /// in `passerelleAnswerHash` (uses the configured pepper).
    HashAnswer {
        #[arg(long, short)]
        config: PathBuf,
    },
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
        Command::Check { config } => {
            return match load(&config) {
                Ok(settings) => runtime.block_on(crate::check::run(&settings)),
                Err(code) => code,
            }
        }
        Command::Demo { port, outbox } => runtime.block_on(crate::demo::run(port, outbox)),
        Command::HashAnswer { config } => runtime.block_on(hash_answer(config)),
        Command::NotifyExpiring { config } => runtime.block_on(notify_expiring(config)),
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

/// How long queued notices may take to leave before the command gives up.
const NOTICE_FLUSH: std::time::Duration = std::time::Duration::from_secs(300);

async fn notify_expiring(config: PathBuf) -> anyhow::Result<()> {
    let settings =
        load(&config).map_err(|_| anyhow::anyhow!("the configuration cannot be used"))?;
    crate::telemetry::init(&settings.log);
    let password = crate::config::secret(
        "ldap.bind_password",
        &settings.ldap.bind_password,
        &settings.ldap.bind_password_file,
    )?
    .ok_or_else(|| anyhow::anyhow!("`ldap.bind_password` is not set"))?;
    let directory = crate::directory::Directory::new(&settings.ldap, password)?;
    let mailer = crate::mail::Mailer::build(&settings.mail, (&settings.site).into())?;
    let report =
        crate::expiry::notify_expiring(&settings, &directory, &mailer, chrono::Utc::now()).await?;
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
