//! The manual that ships with the binary: `passerelle.1` and one page per
//! command (`passerelle-check.1`, …), and the bash, zsh and fish completion
//! scripts, all made from the clap description of the command line, so
//! they can never describe options the binary does not have. The Debian
//! package (`scripts/package`) runs the hidden `passerelle man` and
//! `passerelle completions` commands of the binary it ships.

use clap_complete::Shell;
use clap_mangen::Man;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The manual's name in each page's footer.
const MANUAL: &str = "Passerelle";

/// What the main page says beyond the command line: where the package puts
/// things, the environment it reads, and where to read on. Written in roff
/// by hand; nothing here comes from outside.
const MAIN_PAGE_SECTIONS: &str = r#".SH ENVIRONMENT
.TP
\fBPASSERELLE_\fR\fISECTION\fR\fB__\fR\fIKEY\fR
Any configuration key, above the configuration file; for example
\fBPASSERELLE_LDAP__BIND_PASSWORD_FILE\fR. The systemd service sets the
secret files' keys this way.
.TP
\fBPASSERELLE_PRESET\fR
The preset the configuration starts from, when the file names none.
.TP
\fBRUST_LOG\fR
A log filter, above \fBlog.level\fR.
.SH FILES
.TP
\fI/etc/passerelle/passerelle.toml\fR
The configuration: every key, its default and its meaning, with no secret.
.TP
\fI/etc/passerelle/secrets/\fR
One secret per file (the service account's password, the cookie and code
keys, the answer pepper), made by the administrator, mode 0600, owned by
root, in a folder only root reads (\fBinstall \-d \-m 0750\fR); the
service is handed copies through systemd's \fBLoadCredential=\fR.
.TP
\fI/usr/lib/systemd/system/passerelle.service\fR
The gateway as a hardened service, run as a throwaway user
(\fBDynamicUser=\fR); neither enabled nor started when the package is
installed.
.TP
\fI/usr/lib/systemd/system/passerelle-notify-expiring.timer\fR
Starts \fBpasserelle\-notify\-expiring.service\fR every morning, once
enabled: the expiry notices, with the same configuration and secrets.
.TP
\fI/var/lib/passerelle/\fR
The service's own state (mode 0700), made by systemd.
.TP
\fI/usr/share/passerelle/ldap/\fR
The directory's side: schemas, access rules, password policy, the recipe of
a site's own directory and a replication example (README.md there).
.TP
\fI/usr/share/doc/passerelle/\fR
README, CHANGELOG and the guides: deployment.md, configuration.md,
provisioning.md, audit.md, metrics.md and the others.
.SH EXAMPLES
Before going live, and after every change:
.PP
.RS
.nf
passerelle check \-\-config /etc/passerelle/passerelle.toml
systemctl enable \-\-now passerelle
.fi
.RE
.SH "SEE ALSO"
\fBslapd\fR(8), \fBslapo-ppolicy\fR(5), \fBsystemd.exec\fR(5),
\fBsystemd-analyze\fR(1)
"#;

/// Writes `passerelle.1` and a page per visible command of `full` (the
/// binary's command line) into `dir` (made if missing); returns the paths
/// written, the main page first.
pub fn write_pages(dir: &Path, full: clap::Command) -> anyhow::Result<Vec<PathBuf>> {
    use anyhow::Context;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut command = shown(full).disable_help_subcommand(true);
    command.build();
    let mut written = Vec::new();
    let main = dir.join("passerelle.1");
    std::fs::write(&main, main_page(&command)?)
        .with_context(|| format!("cannot write {}", main.display()))?;
    written.push(main);
    for sub in command.get_subcommands() {
        let page = Man::new(sub.clone()).manual(MANUAL);
        let path = page
            .generate_to(dir)
            .with_context(|| format!("cannot write a page into {}", dir.display()))?;
        written.push(path);
    }
    Ok(written)
}

/// `passerelle.1`: clap's description of the command line, then the
/// package's files, the environment and the pages to read on.
fn main_page(command: &clap::Command) -> std::io::Result<Vec<u8>> {
    let man = Man::new(command.clone()).manual(MANUAL);
    let mut page = Vec::new();
    man.render_title(&mut page)?;
    man.render_name_section(&mut page)?;
    man.render_synopsis_section(&mut page)?;
    man.render_description_section(&mut page)?;
    man.render_options_section(&mut page)?;
    man.render_subcommands_section(&mut page)?;
    page.write_all(MAIN_PAGE_SECTIONS.as_bytes())?;
    man.render_version_section(&mut page)?;
    Ok(once_prelude(&page))
}

/// Each of clap_mangen's `render_*` writes roff's two-line prelude (the
/// apostrophe string); a page needs it once, before its title.
fn once_prelude(page: &[u8]) -> Vec<u8> {
    const PRELUDE: &str = ".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n";
    let text = String::from_utf8_lossy(page);
    let rest = text.replace(PRELUDE, "");
    format!("{PRELUDE}{rest}").into_bytes()
}

/// Writes the completion script of `shell` for `passerelle`, whose command
/// line is `full`.
pub fn completions(shell: Shell, full: clap::Command, out: &mut dyn Write) {
    clap_complete::generate(shell, &mut shown(full), "passerelle", out);
}

/// The command line a person is shown: every command but the hidden ones
/// (`man`, `completions`), which clap_complete and clap_mangen would
/// otherwise offer.
fn shown(full: clap::Command) -> clap::Command {
    let mut shown = clap::Command::new("passerelle")
        .version(env!("CARGO_PKG_VERSION"))
        .subcommand_required(full.is_subcommand_required_set())
        .subcommands(full.get_subcommands().filter(|s| !s.is_hide_set()).cloned());
    if let Some(about) = full.get_about() {
        shown = shown.about(about.clone());
    }
    if let Some(about) = full.get_long_about() {
        shown = shown.long_about(about.clone());
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_visible_command_has_its_page_and_the_hidden_ones_none() {
        let dir = tempfile::tempdir().expect("tempdir");
        let written = write_pages(dir.path(), crate::cli::command()).expect("pages");
        let names: Vec<String> = written
            .iter()
            .map(|p| p.file_name().expect("name").to_string_lossy().into_owned())
            .collect();
        assert_eq!(names[0], "passerelle.1");
        for name in [
            "passerelle-serve.1",
            "passerelle-check.1",
            "passerelle-notify-expiring.1",
        ] {
            assert!(names.iter().any(|n| n == name), "{name} missing: {names:?}");
        }
        assert!(!names
            .iter()
            .any(|n| n.contains("man") || n.contains("completions")));
        let main = std::fs::read_to_string(dir.path().join("passerelle.1")).expect("main page");
        let title = main.lines().position(|l| l.starts_with(".TH passerelle 1"));
        assert_eq!(title, Some(2), "{main}");
        assert_eq!(main.matches(".ds Aq").count(), 2, "one prelude: {main}");
        assert!(main.contains("passerelle\\-check(1)"), "{main}");
        assert!(main.contains(".SH FILES"), "{main}");
        assert!(main.contains(env!("CARGO_PKG_VERSION")), "{main}");
        let check = std::fs::read_to_string(dir.path().join("passerelle-check.1")).expect("check");
        assert!(check.contains("\\-\\-strict"), "{check}");
    }

    #[test]
    fn each_shell_gets_a_script_that_knows_the_commands() {
        // `shown` copies the root's texts and commands, not its arguments:
        // it has none of its own (help and version come with clap).
        assert!(
            crate::cli::command().get_arguments().next().is_none(),
            "the root has an argument: copy it in `shown`"
        );
        for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
            let mut script = Vec::new();
            completions(shell, crate::cli::command(), &mut script);
            let script = String::from_utf8(script).expect("utf-8");
            assert!(script.contains("notify-expiring"), "{shell}: {script}");
            assert!(
                !script.contains("completions"),
                "{shell} offers a hidden command"
            );
        }
    }
}
