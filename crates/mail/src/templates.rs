//! Turns an [`OutgoingMail`] into its subject, text body and HTML body.
//! The mails to the person have one template per part under
//! `templates/mail/<kind>/` (`subject.txt`, `body.txt`, `body.html`) and
//! take every sentence from `locales/<lang>/mail.ftl`, so that a language is
//! a folder of texts, not templates. The "It was not me" alert goes to the
//! help desk, which works in French or English like its tool: it keeps its
//! two templates (`fr.*`, `en.*`) and any other language reads English.
//! HTML parts are autoescaped by askama (a name like `<script>` arrives as
//! text, and so does every translated sentence with its arguments).

use super::{Lang, MailBranding, MailKind, OutgoingMail};
use askama::Template;
use chrono::DateTime;
use chrono_tz::Tz;
use passerelle_text::i18n;
use passerelle_text::safe_text::{self, MAX_LOGIN_CHARS, MAX_NAME_CHARS};
use secrecy::ExposeSecret;
use std::time::Duration;

/// A mail ready to be put in MIME form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedMail {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// A duration as people read it in a mail: whole hours when it is a number
/// of hours (the seed's "24 heures"), minutes otherwise.
struct Validity {
    amount: u64,
    hours: bool,
}

impl Validity {
    fn of(duration: Duration) -> Self {
        let seconds = duration.as_secs();
        if seconds >= 3600 && seconds % 3600 == 0 {
            Validity {
                amount: seconds / 3600,
                hours: true,
            }
        } else {
            // Rounded up: a code must never be announced as lasting longer
            // than it does, but "0 minutes" would help nobody either.
            Validity {
                amount: seconds.div_ceil(60).max(1),
                hours: false,
            }
        }
    }

    /// "24 heures", "90 minutes", in `lang`.
    fn text(&self, lang: Lang) -> String {
        let id = if self.hours {
            "email-hours"
        } else {
            "email-minutes"
        };
        i18n::t_args(lang, id, &[], &[("n", self.amount)])
    }
}

/// The sentences of one mail in its language: every message of `mail.ftl`
/// is formatted with all of the mail's arguments (a message uses those it
/// names).
struct Words {
    lang: Lang,
    texts: Vec<(&'static str, String)>,
    numbers: Vec<(&'static str, u64)>,
}

impl Words {
    fn new(lang: Lang, site: &str, contact: &str, name: Option<&str>) -> Self {
        let mut texts = vec![("site", site.to_owned()), ("contact", contact.to_owned())];
        if let Some(name) = name {
            texts.push(("name", name.to_owned()));
        }
        Words {
            lang,
            texts,
            numbers: Vec::new(),
        }
    }

    fn text(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.texts.push((name, value.into()));
        self
    }

    fn number(mut self, name: &'static str, value: u64) -> Self {
        self.numbers.push((name, value));
        self
    }

    /// `date`, `time` and `offset` of a moment, as the language writes them.
    fn moment(self, when: &DateTime<Tz>) -> Self {
        let date = when.format(self.lang.date_format()).to_string();
        let time = when.format("%H:%M").to_string();
        let offset = format!("UTC{}", when.format("%:z"));
        self.text("date", date)
            .text("time", time)
            .text("offset", offset)
    }

    fn t(&self, id: &str) -> String {
        let texts: Vec<(&str, &str)> = self.texts.iter().map(|(k, v)| (*k, v.as_str())).collect();
        i18n::t_args(self.lang, id, &texts, &self.numbers)
    }

    /// "Bonjour Camille," or "Bonjour," when the directory gives no name.
    fn greeting(&self) -> String {
        if self.texts.iter().any(|(k, _)| *k == "name") {
            self.t("mail-greeting-named")
        } else {
            self.t("mail-greeting")
        }
    }
}

struct PasswordChangedView<'a> {
    site: &'a str,
    w: Words,
    services: &'a [String],
    not_me_url: Option<&'a str>,
}

struct PasswordExpiringView<'a> {
    site: &'a str,
    w: Words,
    account_url: &'a str,
}

struct NotMeAlertView<'a> {
    site: &'a str,
    contact: &'a str,
    login: &'a str,
    dn: &'a str,
    /// In the site's time zone.
    frozen_at: DateTime<Tz>,
    changed_at: DateTime<Tz>,
    flow: &'a str,
    flow_id: &'a str,
    client_address: &'a str,
    user_agent: &'a str,
}

struct IdentifierReminderView<'a> {
    site: &'a str,
    w: Words,
}

struct ResetCodeView<'a> {
    site: &'a str,
    w: Words,
    /// "2 3 8 3 9 2", as the EFP mail shows it: easier to copy by eye.
    code_spaced: String,
    link: &'a str,
}

struct HelpdeskActionView<'a> {
    site: &'a str,
    contact: &'a str,
    name: Option<&'a str>,
    login: &'a str,
    /// The action's name (`DeskAction::as_str`): the templates say it.
    action: &'a str,
    /// In the site's time zone.
    when: DateTime<Tz>,
    agent: Option<&'a str>,
    not_me_url: Option<&'a str>,
    not_me_days: u32,
}

struct DeskCodeView<'a> {
    site: &'a str,
    contact: &'a str,
    name: Option<&'a str>,
    code_spaced: String,
    validity: Validity,
}

struct TemporaryPasswordView<'a> {
    site: &'a str,
    w: Words,
    login: &'a str,
    password: &'a str,
    change_url: &'a str,
}

struct RecoveryCodeView<'a> {
    site: &'a str,
    contact: &'a str,
    name: Option<&'a str>,
    code_spaced: String,
    validity: Validity,
}

struct RecoveryChangedView<'a> {
    site: &'a str,
    contact: &'a str,
    name: Option<&'a str>,
    login: &'a str,
    /// `question`, `mail` or `mobile`.
    factor: &'a str,
    removed: bool,
    /// In the site's time zone.
    when: DateTime<Tz>,
    from_address: String,
    new_value: Option<&'a str>,
    not_me_url: Option<&'a str>,
    not_me_days: u32,
}

struct PasswordBreachedView<'a> {
    site: &'a str,
    w: Words,
    reset_url: &'a str,
    must_change: bool,
}

/// One askama template struct per file; they all borrow the kind's view.
macro_rules! mail_template {
    ($name:ident, $view:ident, $path:literal) => {
        #[derive(Template)]
        #[template(path = $path)]
        struct $name<'a> {
            v: &'a $view<'a>,
        }
    };
}

// The mails to the person: one template per part, in every language.
mail_template!(
    PasswordChangedSubject,
    PasswordChangedView,
    "mail/password_changed/subject.txt"
);
mail_template!(
    PasswordChangedText,
    PasswordChangedView,
    "mail/password_changed/body.txt"
);
mail_template!(
    PasswordChangedHtml,
    PasswordChangedView,
    "mail/password_changed/body.html"
);

mail_template!(
    IdentifierReminderSubject,
    IdentifierReminderView,
    "mail/identifier_reminder/subject.txt"
);
mail_template!(
    IdentifierReminderText,
    IdentifierReminderView,
    "mail/identifier_reminder/body.txt"
);
mail_template!(
    IdentifierReminderHtml,
    IdentifierReminderView,
    "mail/identifier_reminder/body.html"
);

mail_template!(
    ResetCodeSubject,
    ResetCodeView,
    "mail/reset_code/subject.txt"
);
mail_template!(ResetCodeText, ResetCodeView, "mail/reset_code/body.txt");
mail_template!(ResetCodeHtml, ResetCodeView, "mail/reset_code/body.html");

mail_template!(
    TemporaryPasswordSubject,
    TemporaryPasswordView,
    "mail/temporary_password/subject.txt"
);
mail_template!(
    TemporaryPasswordText,
    TemporaryPasswordView,
    "mail/temporary_password/body.txt"
);
mail_template!(
    TemporaryPasswordHtml,
    TemporaryPasswordView,
    "mail/temporary_password/body.html"
);

mail_template!(
    PasswordBreachedSubject,
    PasswordBreachedView,
    "mail/password_breached/subject.txt"
);
mail_template!(
    PasswordBreachedText,
    PasswordBreachedView,
    "mail/password_breached/body.txt"
);
mail_template!(
    PasswordBreachedHtml,
    PasswordBreachedView,
    "mail/password_breached/body.html"
);

mail_template!(
    PasswordExpiringSubject,
    PasswordExpiringView,
    "mail/password_expiring/subject.txt"
);
mail_template!(
    PasswordExpiringText,
    PasswordExpiringView,
    "mail/password_expiring/body.txt"
);
mail_template!(
    PasswordExpiringHtml,
    PasswordExpiringView,
    "mail/password_expiring/body.html"
);

mail_template!(
    NotMeAlertFrSubject,
    NotMeAlertView,
    "mail/not_me_alert/fr.subject.txt"
);
mail_template!(
    NotMeAlertFrText,
    NotMeAlertView,
    "mail/not_me_alert/fr.body.txt"
);
mail_template!(
    NotMeAlertFrHtml,
    NotMeAlertView,
    "mail/not_me_alert/fr.body.html"
);
mail_template!(
    NotMeAlertEnSubject,
    NotMeAlertView,
    "mail/not_me_alert/en.subject.txt"
);
mail_template!(
    NotMeAlertEnText,
    NotMeAlertView,
    "mail/not_me_alert/en.body.txt"
);
mail_template!(
    NotMeAlertEnHtml,
    NotMeAlertView,
    "mail/not_me_alert/en.body.html"
);

mail_template!(
    HelpdeskActionFrSubject,
    HelpdeskActionView,
    "mail/helpdesk_action/fr.subject.txt"
);
mail_template!(
    HelpdeskActionFrText,
    HelpdeskActionView,
    "mail/helpdesk_action/fr.body.txt"
);
mail_template!(
    HelpdeskActionFrHtml,
    HelpdeskActionView,
    "mail/helpdesk_action/fr.body.html"
);
mail_template!(
    HelpdeskActionEnSubject,
    HelpdeskActionView,
    "mail/helpdesk_action/en.subject.txt"
);
mail_template!(
    HelpdeskActionEnText,
    HelpdeskActionView,
    "mail/helpdesk_action/en.body.txt"
);
mail_template!(
    HelpdeskActionEnHtml,
    HelpdeskActionView,
    "mail/helpdesk_action/en.body.html"
);

mail_template!(
    RecoveryCodeFrSubject,
    RecoveryCodeView,
    "mail/recovery_code/fr.subject.txt"
);
mail_template!(
    RecoveryCodeFrText,
    RecoveryCodeView,
    "mail/recovery_code/fr.body.txt"
);
mail_template!(
    RecoveryCodeFrHtml,
    RecoveryCodeView,
    "mail/recovery_code/fr.body.html"
);
mail_template!(
    RecoveryCodeEnSubject,
    RecoveryCodeView,
    "mail/recovery_code/en.subject.txt"
);
mail_template!(
    RecoveryCodeEnText,
    RecoveryCodeView,
    "mail/recovery_code/en.body.txt"
);
mail_template!(
    RecoveryCodeEnHtml,
    RecoveryCodeView,
    "mail/recovery_code/en.body.html"
);
mail_template!(
    RecoveryChangedFrSubject,
    RecoveryChangedView,
    "mail/recovery_changed/fr.subject.txt"
);
mail_template!(
    RecoveryChangedFrText,
    RecoveryChangedView,
    "mail/recovery_changed/fr.body.txt"
);
mail_template!(
    RecoveryChangedFrHtml,
    RecoveryChangedView,
    "mail/recovery_changed/fr.body.html"
);
mail_template!(
    RecoveryChangedEnSubject,
    RecoveryChangedView,
    "mail/recovery_changed/en.subject.txt"
);
mail_template!(
    RecoveryChangedEnText,
    RecoveryChangedView,
    "mail/recovery_changed/en.body.txt"
);
mail_template!(
    RecoveryChangedEnHtml,
    RecoveryChangedView,
    "mail/recovery_changed/en.body.html"
);

mail_template!(
    DeskCodeFrSubject,
    DeskCodeView,
    "mail/helpdesk_code/fr.subject.txt"
);
mail_template!(
    DeskCodeFrText,
    DeskCodeView,
    "mail/helpdesk_code/fr.body.txt"
);
mail_template!(
    DeskCodeFrHtml,
    DeskCodeView,
    "mail/helpdesk_code/fr.body.html"
);
mail_template!(
    DeskCodeEnSubject,
    DeskCodeView,
    "mail/helpdesk_code/en.subject.txt"
);
mail_template!(
    DeskCodeEnText,
    DeskCodeView,
    "mail/helpdesk_code/en.body.txt"
);
mail_template!(
    DeskCodeEnHtml,
    DeskCodeView,
    "mail/helpdesk_code/en.body.html"
);

/// "2 3 8 3 9 2", as the EFP mail shows a code: easier to copy by eye.
fn spaced(code: &str) -> String {
    code.chars()
        .filter(|c| !c.is_whitespace())
        .map(String::from)
        .collect::<Vec<_>>()
        .join(" ")
}

fn parts(
    subject: &impl Template,
    text: &impl Template,
    html: &impl Template,
) -> Result<RenderedMail, askama::Error> {
    Ok(RenderedMail {
        subject: one_line(&subject.render()?),
        text: text.render()?,
        html: html.render()?,
    })
}

/// A subject is one header line: whatever a template or a configured site
/// name holds, line breaks must not reach the header.
fn one_line(subject: &str) -> String {
    safe_text::single_line(subject, safe_text::MAX_SUBJECT_CHARS)
}

/// Renders a mail in its language. Secrets are exposed only into the
/// rendered strings, which go straight into the message. The name, the
/// login and the services are made one safe line each (they come from the
/// directory or the configuration, and a line break in the greeting would
/// let a value write its own paragraphs); times are shown in the site's
/// time zone.
pub fn render(branding: &MailBranding, mail: &OutgoingMail) -> Result<RenderedMail, askama::Error> {
    let site = branding.site_name.as_str();
    let contact = branding.help_contact.as_str();
    let name = mail
        .name
        .as_deref()
        .and_then(|n| safe_text::single_line_opt(n, MAX_NAME_CHARS));
    let name = name.as_deref();
    let safe_login = |login: &str| safe_text::single_line(login, MAX_LOGIN_CHARS);
    let lang = mail.lang;
    let words = || Words::new(lang, site, contact, name);
    match &mail.kind {
        MailKind::PasswordChanged {
            login,
            when,
            from_address,
            services,
            not_me_url,
            not_me_days,
        } => {
            let services: Vec<String> = services
                .iter()
                .filter_map(|s| safe_text::single_line_opt(s, MAX_NAME_CHARS))
                .collect();
            let v = PasswordChangedView {
                site,
                w: words()
                    .text("login", safe_login(login))
                    .text("address", from_address.to_string())
                    .number("days", u64::from(*not_me_days))
                    .moment(&when.with_timezone(&branding.time_zone)),
                services: &services,
                not_me_url: not_me_url.as_deref(),
            };
            parts(
                &PasswordChangedSubject { v: &v },
                &PasswordChangedText { v: &v },
                &PasswordChangedHtml { v: &v },
            )
        }
        MailKind::NotMeAlert {
            login,
            dn,
            frozen_at,
            changed_at,
            flow,
            flow_id,
            client_address,
            user_agent,
        } => {
            let login = safe_login(login);
            let line = |s: &str| safe_text::single_line(s, 512);
            let (dn, flow, flow_id) = (line(dn), line(flow), line(flow_id));
            let (client_address, user_agent) = (line(client_address), line(user_agent));
            let v = NotMeAlertView {
                site,
                contact,
                login: &login,
                dn: &dn,
                frozen_at: frozen_at.with_timezone(&branding.time_zone),
                changed_at: changed_at.with_timezone(&branding.time_zone),
                flow: &flow,
                flow_id: &flow_id,
                client_address: &client_address,
                user_agent: &user_agent,
            };
            // For the help desk, French or English (see the module's note).
            if lang == Lang::Fr {
                parts(
                    &NotMeAlertFrSubject { v: &v },
                    &NotMeAlertFrText { v: &v },
                    &NotMeAlertFrHtml { v: &v },
                )
            } else {
                parts(
                    &NotMeAlertEnSubject { v: &v },
                    &NotMeAlertEnText { v: &v },
                    &NotMeAlertEnHtml { v: &v },
                )
            }
        }
        MailKind::PasswordExpiring {
            login,
            expires,
            days_left,
            account_url,
        } => {
            let v = PasswordExpiringView {
                site,
                w: words()
                    .text("login", safe_login(login))
                    .number("days", u64::from(*days_left))
                    .moment(&expires.with_timezone(&branding.time_zone)),
                account_url,
            };
            parts(
                &PasswordExpiringSubject { v: &v },
                &PasswordExpiringText { v: &v },
                &PasswordExpiringHtml { v: &v },
            )
        }
        MailKind::IdentifierReminder { login } => {
            let v = IdentifierReminderView {
                site,
                w: words().text("login", safe_login(login)),
            };
            parts(
                &IdentifierReminderSubject { v: &v },
                &IdentifierReminderText { v: &v },
                &IdentifierReminderHtml { v: &v },
            )
        }
        MailKind::ResetCode {
            code,
            valid_for,
            link,
        } => {
            let code_spaced = code
                .expose_secret()
                .chars()
                .filter(|c| !c.is_whitespace())
                .map(String::from)
                .collect::<Vec<_>>()
                .join(" ");
            let v = ResetCodeView {
                site,
                w: words().text("validity", Validity::of(*valid_for).text(lang)),
                code_spaced,
                link: link.expose_secret(),
            };
            parts(
                &ResetCodeSubject { v: &v },
                &ResetCodeText { v: &v },
                &ResetCodeHtml { v: &v },
            )
        }
        MailKind::HelpdeskAction {
            login,
            action,
            when,
            agent,
            not_me_url,
            not_me_days,
        } => {
            let login = safe_login(login);
            let agent = agent
                .as_deref()
                .and_then(|a| safe_text::single_line_opt(a, MAX_NAME_CHARS));
            let v = HelpdeskActionView {
                site,
                contact,
                name,
                login: &login,
                action: action.as_str(),
                when: when.with_timezone(&branding.time_zone),
                agent: agent.as_deref(),
                not_me_url: not_me_url.as_deref(),
                not_me_days: *not_me_days,
            };
            // The help desk's mails, French or English (docs/helpdesk.md).
            match mail.lang {
                Lang::Fr => parts(
                    &HelpdeskActionFrSubject { v: &v },
                    &HelpdeskActionFrText { v: &v },
                    &HelpdeskActionFrHtml { v: &v },
                ),
                _ => parts(
                    &HelpdeskActionEnSubject { v: &v },
                    &HelpdeskActionEnText { v: &v },
                    &HelpdeskActionEnHtml { v: &v },
                ),
            }
        }
        MailKind::DeskCode { code, valid_for } => {
            let v = DeskCodeView {
                site,
                contact,
                name,
                code_spaced: spaced(code.expose_secret()),
                validity: Validity::of(*valid_for),
            };
            match mail.lang {
                Lang::Fr => parts(
                    &DeskCodeFrSubject { v: &v },
                    &DeskCodeFrText { v: &v },
                    &DeskCodeFrHtml { v: &v },
                ),
                _ => parts(
                    &DeskCodeEnSubject { v: &v },
                    &DeskCodeEnText { v: &v },
                    &DeskCodeEnHtml { v: &v },
                ),
            }
        }
        MailKind::RecoveryCode { code, valid_for } => {
            let v = RecoveryCodeView {
                site,
                contact,
                name,
                code_spaced: spaced(code.expose_secret()),
                validity: Validity::of(*valid_for),
            };
            // Issue 21's two mails are written in French and English only
            // (one askama file per language, as the help desk's): the other
            // languages get the English one.
            match mail.lang {
                Lang::Fr => parts(
                    &RecoveryCodeFrSubject { v: &v },
                    &RecoveryCodeFrText { v: &v },
                    &RecoveryCodeFrHtml { v: &v },
                ),
                _ => parts(
                    &RecoveryCodeEnSubject { v: &v },
                    &RecoveryCodeEnText { v: &v },
                    &RecoveryCodeEnHtml { v: &v },
                ),
            }
        }
        MailKind::RecoveryChanged {
            login,
            factor,
            removed,
            when,
            from_address,
            new_value,
            not_me_url,
            not_me_days,
        } => {
            let login = safe_login(login);
            let new_value = new_value
                .as_deref()
                .and_then(|value| safe_text::single_line_opt(value, MAX_NAME_CHARS));
            let v = RecoveryChangedView {
                site,
                contact,
                name,
                login: &login,
                factor: factor.as_str(),
                removed: *removed,
                when: when.with_timezone(&branding.time_zone),
                from_address: from_address.to_string(),
                new_value: new_value.as_deref(),
                not_me_url: not_me_url.as_deref(),
                not_me_days: *not_me_days,
            };
            match mail.lang {
                Lang::Fr => parts(
                    &RecoveryChangedFrSubject { v: &v },
                    &RecoveryChangedFrText { v: &v },
                    &RecoveryChangedFrHtml { v: &v },
                ),
                _ => parts(
                    &RecoveryChangedEnSubject { v: &v },
                    &RecoveryChangedEnText { v: &v },
                    &RecoveryChangedEnHtml { v: &v },
                ),
            }
        }
        MailKind::TemporaryPassword {
            login,
            password,
            valid_for,
            change_url,
        } => {
            let login = safe_login(login);
            let v = TemporaryPasswordView {
                site,
                w: words().text("validity", Validity::of(*valid_for).text(lang)),
                login: &login,
                password: password.expose_secret(),
                change_url,
            };
            parts(
                &TemporaryPasswordSubject { v: &v },
                &TemporaryPasswordText { v: &v },
                &TemporaryPasswordHtml { v: &v },
            )
        }
        MailKind::PasswordBreached {
            login,
            reset_url,
            must_change,
        } => {
            let v = PasswordBreachedView {
                site,
                w: words().text("login", safe_login(login)),
                reset_url,
                must_change: *must_change,
            };
            parts(
                &PasswordBreachedSubject { v: &v },
                &PasswordBreachedText { v: &v },
                &PasswordBreachedHtml { v: &v },
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::SecretString;

    fn branding() -> MailBranding {
        MailBranding {
            site_name: "Sésame".into(),
            help_contact: "assistance@univ-exemple.fr".into(),
            time_zone: chrono_tz::Europe::Paris,
        }
    }

    #[test]
    fn validity_reads_as_hours_or_minutes() {
        let v = Validity::of(Duration::from_secs(24 * 3600));
        assert_eq!((v.amount, v.hours), (24, true));
        let v = Validity::of(Duration::from_secs(90 * 60));
        assert_eq!((v.amount, v.hours), (90, false));
        let v = Validity::of(Duration::from_secs(61));
        assert_eq!((v.amount, v.hours), (2, false));
    }

    #[test]
    fn reset_code_shows_the_code_spaced_and_its_lifetime() {
        let mail = OutgoingMail::new(
            "camille.serve@example.org",
            Lang::Fr,
            MailKind::ResetCode {
                code: SecretString::from("238392"),
                valid_for: Duration::from_secs(24 * 3600),
                link: SecretString::from("https://sesame.univ-exemple.fr/code/verify#proof"),
            },
        );
        let rendered = render(&branding(), &mail).unwrap();
        assert!(rendered.text.contains("2 3 8 3 9 2"), "{}", rendered.text);
        assert!(
            rendered
                .text
                .contains("Ce code est à usage unique. Il expirera au bout de 24 heures."),
            "{}",
            rendered.text
        );
        assert!(rendered.html.contains("2 3 8 3 9 2"));
        assert!(
            !rendered.subject.contains("238392"),
            "the code must not show in a notification"
        );
    }

    #[test]
    fn a_recovery_notice_says_what_changed_in_each_language() {
        let mail = |lang, factor, removed| {
            let mail = OutgoingMail::new(
                "jean@example.org",
                lang,
                MailKind::RecoveryChanged {
                    login: "jdupont".into(),
                    factor,
                    removed,
                    when: chrono::DateTime::parse_from_rfc3339("2026-03-02T10:00:00Z").unwrap(),
                    from_address: "192.0.2.7".parse().unwrap(),
                    new_value: (!removed).then(|| "•• •• •• •• 44".to_owned()),
                    not_me_url: Some("https://sesame.example/not-me/t0k".into()),
                    not_me_days: 7,
                },
            );
            render(&branding(), &mail).unwrap()
        };
        use passerelle_domain::mail::RecoveryFactor;
        let fr = mail(Lang::Fr, RecoveryFactor::Mobile, false);
        assert_eq!(fr.subject, "Sésame : votre numéro de mobile a été modifié");
        assert!(
            fr.text.contains(
                "Le numéro de mobile de votre compte jdupont a été modifié\nle 02/03/2026 à 11:00"
            ),
            "{}",
            fr.text
        );
        assert!(fr.text.contains("•• •• •• •• 44"));
        assert!(fr.text.contains("https://sesame.example/not-me/t0k"));
        let fr = mail(Lang::Fr, RecoveryFactor::Mail, true);
        assert_eq!(
            fr.subject,
            "Sésame : votre adresse de secours a été supprimée"
        );
        let en = mail(Lang::En, RecoveryFactor::Question, false);
        assert_eq!(en.subject, "Sésame: your secret question was changed");
        assert!(
            en.html.contains("It wasn&#39;t me") || en.html.contains("It wasn't me"),
            "{}",
            en.html
        );
    }

    #[test]
    fn a_help_desk_action_is_told_by_the_help_desk_with_its_link() {
        let mail = OutgoingMail::new(
            "jean@example.org",
            Lang::Fr,
            MailKind::HelpdeskAction {
                login: "jdupont".into(),
                action: passerelle_domain::settings::DeskAction::Unlock,
                when: chrono::DateTime::parse_from_rfc3339("2026-03-02T10:00:00Z").unwrap(),
                agent: None,
                not_me_url: Some("https://sesame.example/not-me/t0k".into()),
                not_me_days: 7,
            },
        );
        let rendered = render(&branding(), &mail).unwrap();
        assert!(
            rendered.text.contains(
                "Le 02/03/2026 à 11:00 (UTC+01:00), le service d'assistance\na débloqué votre compte.\nCompte : jdupont"
            ),
            "{}",
            rendered.text
        );
        assert!(rendered.text.contains("https://sesame.example/not-me/t0k"));
        assert!(rendered
            .html
            .contains("href=\"https://sesame.example/not-me/t0k\""));
        let named = OutgoingMail::new(
            "jean@example.org",
            Lang::En,
            MailKind::HelpdeskAction {
                login: "jdupont".into(),
                action: passerelle_domain::settings::DeskAction::ClearQuestion,
                when: chrono::DateTime::parse_from_rfc3339("2026-03-02T10:00:00Z").unwrap(),
                agent: Some("Alice Support".into()),
                not_me_url: None,
                not_me_days: 7,
            },
        );
        let rendered = render(&branding(), &named).unwrap();
        assert!(
            rendered
                .text
                .contains("the help desk (Alice Support)\ncleared your secret question"),
            "{}",
            rendered.text
        );
        assert!(rendered
            .text
            .contains("contact assistance@univ-exemple.fr without delay"));
    }

    #[test]
    fn the_phone_code_is_spaced_and_absent_from_the_subject() {
        let mail = OutgoingMail::new(
            "jean@example.org",
            Lang::Fr,
            MailKind::DeskCode {
                code: SecretString::from("123456"),
                valid_for: Duration::from_secs(600),
            },
        );
        let rendered = render(&branding(), &mail).unwrap();
        assert!(rendered.text.contains("1 2 3 4 5 6"), "{}", rendered.text);
        assert!(rendered.text.contains("10 minutes"), "{}", rendered.text);
        assert!(!rendered.subject.contains("123456"));
    }

    #[test]
    fn subjects_are_one_line() {
        assert_eq!(one_line(" a\r\nb \n"), "a b");
    }

    #[test]
    fn html_escapes_the_name() {
        let mail = OutgoingMail::new(
            "x@example.org",
            Lang::En,
            MailKind::IdentifierReminder {
                login: "jdoe".into(),
            },
        )
        .with_name("<script>alert(1)</script>");
        let rendered = render(&branding(), &mail).unwrap();
        assert!(!rendered.html.contains("<script>"));
        assert!(
            rendered.html.contains("&#60;script&#62;") || rendered.html.contains("&lt;script&gt;")
        );
    }

    /// Every mail to the person in every language: each sentence found
    /// (no message id shows instead of a text), the page's language and
    /// direction on the HTML part, the secret where it belongs.
    #[test]
    fn every_mail_renders_in_every_language() {
        use chrono::TimeZone;
        let when = chrono::Utc
            .with_ymd_and_hms(2026, 11, 23, 11, 43, 0)
            .unwrap()
            .fixed_offset();
        let kinds = [
            MailKind::PasswordChanged {
                login: "cserve".into(),
                when,
                from_address: "192.0.2.10".parse().unwrap(),
                services: vec!["CAS".into()],
                not_me_url: Some("https://sesame.example/not-me#t".into()),
                not_me_days: 7,
            },
            MailKind::PasswordExpiring {
                login: "cserve".into(),
                expires: when,
                days_left: 3,
                account_url: "https://sesame.example/account".into(),
            },
            MailKind::IdentifierReminder {
                login: "cserve".into(),
            },
            MailKind::ResetCode {
                code: SecretString::from("238392"),
                valid_for: Duration::from_secs(15 * 60),
                link: SecretString::from("https://sesame.example/code/verify#p"),
            },
            MailKind::TemporaryPassword {
                login: "cserve".into(),
                password: SecretString::from("Tq7-mWz4-Kp9x"),
                valid_for: Duration::from_secs(24 * 3600),
                change_url: "https://sesame.example/change".into(),
            },
            MailKind::PasswordBreached {
                login: "cserve".into(),
                reset_url: "https://sesame.example/code".into(),
                must_change: true,
            },
        ];
        for &lang in Lang::ALL {
            for kind in &kinds {
                let mail =
                    OutgoingMail::new("x@example.org", lang, kind.clone()).with_name("Camille");
                let rendered = render(&branding(), &mail).unwrap();
                for part in [&rendered.subject, &rendered.text, &rendered.html] {
                    assert!(
                        !part.contains("mail-") && !part.contains("email-"),
                        "{} {}: a message id instead of a text:\n{part}",
                        lang.code(),
                        kind.template_name()
                    );
                }
                let head = format!(
                    "<html lang=\"{}\" dir=\"{}\">",
                    lang.code(),
                    lang.direction().as_str()
                );
                assert!(rendered.html.contains(&head), "{}", rendered.html);
                assert!(rendered.text.contains("Camille"), "{}", rendered.text);
                assert!(rendered.subject.contains("Sésame"));
            }
        }
        let arabic = OutgoingMail::new("x@example.org", Lang::Ar, kinds[3].clone());
        let rendered = render(&branding(), &arabic).unwrap();
        assert!(rendered.text.contains("2 3 8 3 9 2"));
        assert!(rendered.html.contains("dir=\"rtl\""));
        // 15 minutes in Arabic: the plural form of 11 to 99.
        assert!(rendered.text.contains("15 دقيقة"), "{}", rendered.text);
    }
}
