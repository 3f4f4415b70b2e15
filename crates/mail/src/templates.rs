//! Turns an [`OutgoingMail`] into its subject, text body and HTML body from
//! the template files under `templates/mail/<kind>/`, one file per language
//! and part (`fr.subject.txt`, `fr.body.txt`, `fr.body.html`, and `en.*`),
//! so that translators and site operators edit texts, not Rust. HTML parts
//! are autoescaped by askama (a name like `<script>` arrives as text).

use super::{Lang, MailBranding, MailKind, OutgoingMail};
use askama::Template;
use chrono::DateTime;
use chrono_tz::Tz;
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
}

struct PasswordChangedView<'a> {
    site: &'a str,
    contact: &'a str,
    name: Option<&'a str>,
    login: &'a str,
    /// In the site's time zone.
    when: DateTime<Tz>,
    from_address: String,
    services: &'a [String],
    not_me_url: Option<&'a str>,
    not_me_days: u32,
}

struct PasswordExpiringView<'a> {
    site: &'a str,
    contact: &'a str,
    name: Option<&'a str>,
    login: &'a str,
    /// In the site's time zone.
    expires: DateTime<Tz>,
    days_left: u32,
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
    contact: &'a str,
    name: Option<&'a str>,
    login: &'a str,
}

struct ResetCodeView<'a> {
    site: &'a str,
    contact: &'a str,
    name: Option<&'a str>,
    /// "2 3 8 3 9 2", as the EFP mail shows it: easier to copy by eye.
    code_spaced: String,
    validity: Validity,
    link: &'a str,
}

struct TemporaryPasswordView<'a> {
    site: &'a str,
    contact: &'a str,
    name: Option<&'a str>,
    login: &'a str,
    password: &'a str,
    validity: Validity,
    change_url: &'a str,
}

struct PasswordBreachedView<'a> {
    site: &'a str,
    contact: &'a str,
    name: Option<&'a str>,
    login: &'a str,
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

mail_template!(
    PasswordChangedFrSubject,
    PasswordChangedView,
    "mail/password_changed/fr.subject.txt"
);
mail_template!(
    PasswordChangedFrText,
    PasswordChangedView,
    "mail/password_changed/fr.body.txt"
);
mail_template!(
    PasswordChangedFrHtml,
    PasswordChangedView,
    "mail/password_changed/fr.body.html"
);
mail_template!(
    PasswordChangedEnSubject,
    PasswordChangedView,
    "mail/password_changed/en.subject.txt"
);
mail_template!(
    PasswordChangedEnText,
    PasswordChangedView,
    "mail/password_changed/en.body.txt"
);
mail_template!(
    PasswordChangedEnHtml,
    PasswordChangedView,
    "mail/password_changed/en.body.html"
);

mail_template!(
    IdentifierReminderFrSubject,
    IdentifierReminderView,
    "mail/identifier_reminder/fr.subject.txt"
);
mail_template!(
    IdentifierReminderFrText,
    IdentifierReminderView,
    "mail/identifier_reminder/fr.body.txt"
);
mail_template!(
    IdentifierReminderFrHtml,
    IdentifierReminderView,
    "mail/identifier_reminder/fr.body.html"
);
mail_template!(
    IdentifierReminderEnSubject,
    IdentifierReminderView,
    "mail/identifier_reminder/en.subject.txt"
);
mail_template!(
    IdentifierReminderEnText,
    IdentifierReminderView,
    "mail/identifier_reminder/en.body.txt"
);
mail_template!(
    IdentifierReminderEnHtml,
    IdentifierReminderView,
    "mail/identifier_reminder/en.body.html"
);

mail_template!(
    ResetCodeFrSubject,
    ResetCodeView,
    "mail/reset_code/fr.subject.txt"
);
mail_template!(
    ResetCodeFrText,
    ResetCodeView,
    "mail/reset_code/fr.body.txt"
);
mail_template!(
    ResetCodeFrHtml,
    ResetCodeView,
    "mail/reset_code/fr.body.html"
);
mail_template!(
    ResetCodeEnSubject,
    ResetCodeView,
    "mail/reset_code/en.subject.txt"
);
mail_template!(
    ResetCodeEnText,
    ResetCodeView,
    "mail/reset_code/en.body.txt"
);
mail_template!(
    ResetCodeEnHtml,
    ResetCodeView,
    "mail/reset_code/en.body.html"
);

mail_template!(
    TemporaryPasswordFrSubject,
    TemporaryPasswordView,
    "mail/temporary_password/fr.subject.txt"
);
mail_template!(
    TemporaryPasswordFrText,
    TemporaryPasswordView,
    "mail/temporary_password/fr.body.txt"
);
mail_template!(
    TemporaryPasswordFrHtml,
    TemporaryPasswordView,
    "mail/temporary_password/fr.body.html"
);
mail_template!(
    TemporaryPasswordEnSubject,
    TemporaryPasswordView,
    "mail/temporary_password/en.subject.txt"
);
mail_template!(
    TemporaryPasswordEnText,
    TemporaryPasswordView,
    "mail/temporary_password/en.body.txt"
);
mail_template!(
    TemporaryPasswordEnHtml,
    TemporaryPasswordView,
    "mail/temporary_password/en.body.html"
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
    PasswordExpiringFrSubject,
    PasswordExpiringView,
    "mail/password_expiring/fr.subject.txt"
);
mail_template!(
    PasswordExpiringFrText,
    PasswordExpiringView,
    "mail/password_expiring/fr.body.txt"
);
mail_template!(
    PasswordExpiringFrHtml,
    PasswordExpiringView,
    "mail/password_expiring/fr.body.html"
);
mail_template!(
    PasswordExpiringEnSubject,
    PasswordExpiringView,
    "mail/password_expiring/en.subject.txt"
);
mail_template!(
    PasswordExpiringEnText,
    PasswordExpiringView,
    "mail/password_expiring/en.body.txt"
);
mail_template!(
    PasswordExpiringEnHtml,
    PasswordExpiringView,
    "mail/password_expiring/en.body.html"
);

mail_template!(
    PasswordBreachedFrSubject,
    PasswordBreachedView,
    "mail/password_breached/fr.subject.txt"
);
mail_template!(
    PasswordBreachedFrText,
    PasswordBreachedView,
    "mail/password_breached/fr.body.txt"
);
mail_template!(
    PasswordBreachedFrHtml,
    PasswordBreachedView,
    "mail/password_breached/fr.body.html"
);
mail_template!(
    PasswordBreachedEnSubject,
    PasswordBreachedView,
    "mail/password_breached/en.subject.txt"
);
mail_template!(
    PasswordBreachedEnText,
    PasswordBreachedView,
    "mail/password_breached/en.body.txt"
);
mail_template!(
    PasswordBreachedEnHtml,
    PasswordBreachedView,
    "mail/password_breached/en.body.html"
);

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
    match &mail.kind {
        MailKind::PasswordChanged {
            login,
            when,
            from_address,
            services,
            not_me_url,
            not_me_days,
        } => {
            let login = safe_login(login);
            let services: Vec<String> = services
                .iter()
                .filter_map(|s| safe_text::single_line_opt(s, MAX_NAME_CHARS))
                .collect();
            let v = PasswordChangedView {
                site,
                contact,
                name,
                login: &login,
                when: when.with_timezone(&branding.time_zone),
                from_address: from_address.to_string(),
                services: &services,
                not_me_url: not_me_url.as_deref(),
                not_me_days: *not_me_days,
            };
            match mail.lang {
                Lang::Fr => parts(
                    &PasswordChangedFrSubject { v: &v },
                    &PasswordChangedFrText { v: &v },
                    &PasswordChangedFrHtml { v: &v },
                ),
                Lang::En => parts(
                    &PasswordChangedEnSubject { v: &v },
                    &PasswordChangedEnText { v: &v },
                    &PasswordChangedEnHtml { v: &v },
                ),
            }
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
            match mail.lang {
                Lang::Fr => parts(
                    &NotMeAlertFrSubject { v: &v },
                    &NotMeAlertFrText { v: &v },
                    &NotMeAlertFrHtml { v: &v },
                ),
                Lang::En => parts(
                    &NotMeAlertEnSubject { v: &v },
                    &NotMeAlertEnText { v: &v },
                    &NotMeAlertEnHtml { v: &v },
                ),
            }
        }
        MailKind::PasswordExpiring {
            login,
            expires,
            days_left,
            account_url,
        } => {
            let login = safe_login(login);
            let v = PasswordExpiringView {
                site,
                contact,
                name,
                login: &login,
                expires: expires.with_timezone(&branding.time_zone),
                days_left: *days_left,
                account_url,
            };
            match mail.lang {
                Lang::Fr => parts(
                    &PasswordExpiringFrSubject { v: &v },
                    &PasswordExpiringFrText { v: &v },
                    &PasswordExpiringFrHtml { v: &v },
                ),
                Lang::En => parts(
                    &PasswordExpiringEnSubject { v: &v },
                    &PasswordExpiringEnText { v: &v },
                    &PasswordExpiringEnHtml { v: &v },
                ),
            }
        }
        MailKind::IdentifierReminder { login } => {
            let login = safe_login(login);
            let v = IdentifierReminderView {
                site,
                contact,
                name,
                login: &login,
            };
            match mail.lang {
                Lang::Fr => parts(
                    &IdentifierReminderFrSubject { v: &v },
                    &IdentifierReminderFrText { v: &v },
                    &IdentifierReminderFrHtml { v: &v },
                ),
                Lang::En => parts(
                    &IdentifierReminderEnSubject { v: &v },
                    &IdentifierReminderEnText { v: &v },
                    &IdentifierReminderEnHtml { v: &v },
                ),
            }
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
                contact,
                name,
                code_spaced,
                validity: Validity::of(*valid_for),
                link: link.expose_secret(),
            };
            match mail.lang {
                Lang::Fr => parts(
                    &ResetCodeFrSubject { v: &v },
                    &ResetCodeFrText { v: &v },
                    &ResetCodeFrHtml { v: &v },
                ),
                Lang::En => parts(
                    &ResetCodeEnSubject { v: &v },
                    &ResetCodeEnText { v: &v },
                    &ResetCodeEnHtml { v: &v },
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
                contact,
                name,
                login: &login,
                password: password.expose_secret(),
                validity: Validity::of(*valid_for),
                change_url,
            };
            match mail.lang {
                Lang::Fr => parts(
                    &TemporaryPasswordFrSubject { v: &v },
                    &TemporaryPasswordFrText { v: &v },
                    &TemporaryPasswordFrHtml { v: &v },
                ),
                Lang::En => parts(
                    &TemporaryPasswordEnSubject { v: &v },
                    &TemporaryPasswordEnText { v: &v },
                    &TemporaryPasswordEnHtml { v: &v },
                ),
            }
        }
        MailKind::PasswordBreached {
            login,
            reset_url,
            must_change,
        } => {
            let login = safe_login(login);
            let v = PasswordBreachedView {
                site,
                contact,
                name,
                login: &login,
                reset_url,
                must_change: *must_change,
            };
            match mail.lang {
                Lang::Fr => parts(
                    &PasswordBreachedFrSubject { v: &v },
                    &PasswordBreachedFrText { v: &v },
                    &PasswordBreachedFrHtml { v: &v },
                ),
                Lang::En => parts(
                    &PasswordBreachedEnSubject { v: &v },
                    &PasswordBreachedEnText { v: &v },
                    &PasswordBreachedEnHtml { v: &v },
                ),
            }
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
}
