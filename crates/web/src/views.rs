//! One template per page kind, and the forms they post, shared by every
//! flow: the identity form, the sign-in form, the secret-question form, the
//! new-password form with its rule list, the message page and the success
//! page. Route modules fill them; none builds a page kind of its own.

use super::error::WebError;
use super::flow_state::FlowState;
pub use super::message::{
    elsewhere, message, one_paragraph, show, Message, MessageTemplate, Redraw,
};
use super::page::{render, FieldError, Layout, Page};
use super::AppState;
use askama::Template;
use axum::response::Response;
use passerelle_domain::flows::{IdentityInput, PasswordPage};
use passerelle_domain::identity::{BirthDate, Identifier};
use passerelle_domain::policy::{self, CharacterClass, PasswordPolicy, Rule, RuleStatus, Verdict};
use passerelle_domain::steps::{new_password, secret};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

/// Adds each domain problem (field, translated reason) to the layout.
pub fn with_problems(mut layout: Layout, problems: Vec<(&'static str, String)>) -> Layout {
    for (field, message) in problems {
        layout = layout.with_error(Some(field), message);
    }
    layout
}

/// Self-service is stopped for the account (IT's lock, the owner's freeze,
/// an account closed or not open yet): only IT reopens it.
pub fn stopped_page(page: &Page) -> Message {
    message(
        page,
        "stopped-title",
        vec![
            page.t("stopped-text"),
            page.t_with(
                "stopped-contact",
                &[("contact", &page.settings.site.help_contact)],
            ),
        ],
        Some(("/", page.t("error-back-home"))),
    )
}

/// Self-service is locked until `until` (site time).
pub fn locked_page(page: &Page, until: chrono::DateTime<chrono::Utc>) -> Message {
    let until = page
        .settings
        .site
        .local_time(&until)
        .format(page.lang.date_time_format())
        .to_string();
    message(
        page,
        "locked-title",
        vec![
            page.t_with("locked-text", &[("until", &until)]),
            page.t_with(
                "locked-advice",
                &[("contact", &page.settings.site.help_contact)],
            ),
        ],
        Some(("/", page.t("error-back-home"))),
    )
}

#[derive(Template)]
#[template(path = "success.html")]
struct SuccessTemplate {
    page: Layout,
    text: String,
    services: Vec<String>,
    finish_url: String,
    replica_lag: bool,
    wifi_confirmed: bool,
}

/// The success page of the flow `ctx` is in (services that use the new
/// password, "Terminer" to the configured login page), titled by
/// `title_id`. It says whether a confirmation mail left (a person without
/// any address on file is told so, never promised a mail), and whether
/// Wi-Fi accepts the new password (the site's RADIUS server said so) or
/// may take a minute (it refused, did not answer, or some replica had not
/// accepted the password yet).
pub fn success_page(ctx: &super::step::Ctx, title_id: &str) -> Response {
    let page = &ctx.page;
    let text = if ctx.flow.no_mail {
        page.t_with(
            "success-text-no-mail",
            &[("contact", &page.settings.site.help_contact)],
        )
    } else {
        page.t("success-text")
    };
    render(&SuccessTemplate {
        page: page
            .layout(title_id)
            .with_kind(crate::site_texts::PageKind::Success),
        text,
        services: ctx.state.settings.site.services.clone(),
        finish_url: finish_url(&ctx.state),
        replica_lag: ctx.flow.replica_lag,
        wifi_confirmed: ctx.flow.wifi_confirmed,
    })
}

/// Where "Terminer" leads: the site's login page, else the home page.
pub fn finish_url(state: &AppState) -> String {
    state
        .settings
        .site
        .login_url
        .clone()
        .unwrap_or_else(|| "/".to_owned())
}

// ---------------------------------------------------------------- identity

/// The identity form. `csrf` and `nonce` default to empty so that a form
/// without them is refused as a CSRF failure, not as an unreadable form.
#[derive(Deserialize)]
pub struct IdentityForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub nonce: String,
    pub identifier: String,
    pub birth_date: String,
}

/// The identity page of a flow (first visit, field errors, or the generic
/// failure).
#[derive(Template)]
#[template(path = "identity.html")]
pub struct IdentityTemplate {
    pub page: Layout,
    pub intro: String,
    pub lock_notice: Option<String>,
    pub action: &'static str,
    pub csrf: String,
    pub nonce: String,
    pub identifier: String,
    pub birth_date: String,
}

impl IdentityTemplate {
    /// The identity page of the flow `ctx` is in: titled `<flow>-title`,
    /// introduced by `<flow>-intro`, posting to the flow's first page.
    pub fn of(ctx: &super::step::Ctx) -> Self {
        let flow = ctx.flow.flow;
        // The flow's first page, where its identity step posts.
        let action = flow.spec().path;
        IdentityTemplate {
            page: ctx.layout(
                &format!("{}-title", flow.as_str()),
                passerelle_domain::flow::Step::Identity,
            ),
            intro: ctx.page.t(&format!("{}-intro", flow.as_str())),
            lock_notice: ctx.page.flash.notice.clone(),
            action,
            csrf: ctx.flow.csrf.clone(),
            nonce: ctx.flow.nonce.clone(),
            identifier: ctx.page.typed("identifier"),
            birth_date: ctx.page.typed("birth_date"),
        }
    }

    /// The template again with what was typed.
    pub fn refill(mut self, form: &IdentityForm) -> Self {
        self.identifier = form.identifier.chars().take(256).collect();
        self.birth_date = form.birth_date.chars().take(32).collect();
        self
    }

    /// The generic failure every identity check shows, known person or not.
    pub fn failed(mut self, page: &Page) -> Self {
        let settings = &page.settings;
        let minutes = settings.lockout.lock_seconds.div_ceil(60).max(1);
        self.page = self
            .page
            .with_error(Some("identifier"), page.t("identity-failed"));
        self.lock_notice = Some(page.t_with(
            "identity-failed-lock",
            &[
                ("max", &settings.lockout.max_failures.to_string()),
                ("minutes", &minutes.to_string()),
                ("contact", &settings.site.help_contact),
            ],
        ));
        self
    }
}

/// The typed fields, or what the person must fix (format only: nothing
/// here depends on the directory). An identifier that cannot be anybody's
/// (too long, control characters) is `None`: not a format error to report,
/// it simply finds nobody.
pub fn identity_fields(page: &Page, form: &IdentityForm) -> Result<IdentityInput, Vec<FieldError>> {
    let identifier = Identifier::parse(&form.identifier);
    let birth_date = BirthDate::parse(&form.birth_date);
    let mut errors = Vec::new();
    if form.identifier.trim().is_empty() {
        errors.push(FieldError {
            field: Some("identifier"),
            message: page.t("identifier-missing"),
        });
    }
    if birth_date.is_none() {
        errors.push(FieldError {
            field: Some("birth_date"),
            message: page.t("birth-date-invalid"),
        });
    }
    match birth_date {
        Some(birth_date) if errors.is_empty() => Ok(IdentityInput {
            identifier,
            birth_date,
        }),
        _ => Err(errors),
    }
}

// ---------------------------------------------------------------- sign-in

/// The sign-in form of `/account` and `/change`.
#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub nonce: String,
    pub login: String,
    pub password: SecretString,
}

/// The sign-in page of `/account` and `/change`.
#[derive(Template)]
#[template(path = "account_login.html")]
pub struct LoginTemplate {
    pub page: Layout,
    pub intro: String,
    pub notice: Option<String>,
    pub action: &'static str,
    pub csrf: String,
    pub nonce: String,
    pub login: String,
}

impl LoginTemplate {
    pub fn new(
        ctx: &super::step::Ctx,
        layout: Layout,
        intro: String,
        action: &'static str,
    ) -> Self {
        LoginTemplate {
            page: layout,
            intro,
            notice: ctx.page.flash.notice.clone(),
            action,
            csrf: ctx.flow.csrf.clone(),
            nonce: ctx.flow.nonce.clone(),
            login: ctx.page.typed("login"),
        }
    }

    /// The template again after a POST, with what the person typed as login
    /// (never the password).
    pub fn refill(mut self, form: &LoginForm) -> Self {
        self.login = form.login.chars().take(256).collect();
        self
    }

    /// Adds the field errors of an empty login or password; true if any.
    pub fn check_filled(&mut self, page: &Page, form: &LoginForm) -> bool {
        let before = self.page.errors.len();
        if form.login.trim().is_empty() {
            self.page.errors.push(FieldError {
                field: Some("login"),
                message: page.t("account-login-missing"),
            });
        }
        if form.password.expose_secret().is_empty() {
            self.page.errors.push(FieldError {
                field: Some("password"),
                message: page.t("account-password-missing"),
            });
        }
        self.page.errors.len() > before
    }

    /// The one failure of a sign-in, whatever the reason.
    pub fn failed(mut self, page: &Page) -> Self {
        self.page = self
            .page
            .with_error(Some("login"), page.t("account-login-failed"));
        self
    }
}

// ---------------------------------------------------------------- question

/// The question form of `/activate` and `/account`: a configured question
/// by its index, or `own` with its text.
#[derive(Deserialize)]
pub struct SecretForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub nonce: String,
    #[serde(default)]
    pub question: String,
    #[serde(default)]
    pub own_question: String,
    pub answer: SecretString,
    pub answer_confirm: SecretString,
    /// The current password, where the page asks for it again.
    #[serde(default)]
    pub current: Option<SecretString>,
}

impl SecretForm {
    pub fn choice(&self) -> secret::SecretChoice<'_> {
        secret::SecretChoice {
            question: &self.question,
            own_question: &self.own_question,
            answer: &self.answer,
            answer_confirm: &self.answer_confirm,
        }
    }
}

pub struct QuestionChoice {
    pub value: String,
    pub text: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "activate_question.html")]
pub struct SecretTemplate {
    pub page: Layout,
    pub action: &'static str,
    pub csrf: String,
    pub nonce: String,
    pub choices: Vec<QuestionChoice>,
    pub own_checked: bool,
    pub own_question: String,
    pub question_min: usize,
    pub question_max: usize,
    pub answer_min: usize,
    /// The current password is asked again (« Gérer mon compte »: a
    /// changed recovery factor needs a fresh proof).
    pub ask_current: bool,
}

impl SecretTemplate {
    pub fn new(ctx: &super::step::Ctx, layout: Layout, action: &'static str) -> Self {
        let chosen = ctx.page.typed("question");
        SecretTemplate {
            page: layout,
            action,
            csrf: ctx.flow.csrf.clone(),
            nonce: ctx.flow.nonce.clone(),
            choices: ctx
                .state
                .settings
                .flows
                .questions
                .iter()
                .enumerate()
                .map(|(i, text)| QuestionChoice {
                    value: i.to_string(),
                    // A built-in question in the reader's language.
                    text: secret::question_text(text, ctx.page.lang),
                    checked: chosen == i.to_string(),
                })
                .collect(),
            own_checked: chosen == "own",
            own_question: ctx.page.typed("own_question"),
            question_min: secret::QUESTION_MIN_CHARS,
            question_max: secret::QUESTION_MAX_CHARS,
            answer_min: secret::ANSWER_MIN_CHARS,
            ask_current: false,
        }
    }

    /// The template again after a refused POST: the choice and the own
    /// question as typed (never the answer), and the problems.
    pub fn refill(mut self, form: &SecretForm, problems: Vec<(&'static str, String)>) -> Self {
        for choice in &mut self.choices {
            choice.checked = choice.value == form.question;
        }
        self.own_checked = form.question == "own";
        self.own_question = form
            .own_question
            .chars()
            .take(secret::QUESTION_MAX_CHARS)
            .collect();
        self.page = with_problems(self.page, problems);
        self
    }
}

// ---------------------------------------------------------------- password

/// The new-password form as a handler extracts it.
pub type PasswordPost = super::form::Form<NewPasswordForm>;

/// The new-password form every flow posts (new password, confirmation,
/// rules checkbox; the current password where the page asks for it).
#[derive(Deserialize)]
pub struct NewPasswordForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub nonce: String,
    #[serde(default)]
    pub current: Option<SecretString>,
    pub password: SecretString,
    pub confirm: SecretString,
    #[serde(default)]
    pub rules: Option<String>,
}

impl NewPasswordForm {
    pub fn new_password(&self) -> new_password::NewPassword<'_> {
        new_password::NewPassword {
            password: &self.password,
            confirm: &self.confirm,
            rules_accepted: self.rules.is_some(),
            current: self.current.as_ref(),
        }
    }
}

/// One line of the rule list, with its state after a submission.
pub struct RuleView {
    pub id: &'static str,
    pub text: String,
    /// `None` before any submission, or for a rule only the directory decides.
    pub state: Option<bool>,
    pub classes: Vec<ClassView>,
}

pub struct ClassView {
    pub id: &'static str,
    pub text: String,
    pub state: Option<bool>,
}

/// The rule list of `rules`, marked with a verdict when there is one.
pub fn rule_views(
    rules: &PasswordPolicy,
    lang: policy::Lang,
    verdict: Option<&Verdict>,
) -> Vec<RuleView> {
    rules
        .rule_list()
        .iter()
        .map(|rule| {
            let status = verdict.and_then(|v| v.status(rule.id()));
            let classes = match rule {
                Rule::MinClasses { .. } => CharacterClass::ALL
                    .iter()
                    .map(|&class| ClassView {
                        id: class.as_str(),
                        text: policy::describe_class(class, lang),
                        state: verdict
                            .filter(|v| v.input_error().is_none())
                            .map(|v| v.classes().contains(class)),
                    })
                    .collect(),
                _ => Vec::new(),
            };
            RuleView {
                id: rule.id().as_str(),
                text: policy::describe(rule, lang),
                state: match status {
                    Some(RuleStatus::Passed) => Some(true),
                    Some(RuleStatus::Failed) => Some(false),
                    _ => None,
                },
                classes,
            }
        })
        .collect()
}

/// The new-password page (`password.html`), with the "Mot de passe actuel"
/// field when `ask_current`.
#[derive(Template)]
#[template(path = "password.html")]
pub struct PasswordTemplate {
    pub page: Layout,
    pub action: &'static str,
    pub csrf: String,
    pub nonce: String,
    pub ask_current: bool,
    pub rules: Vec<RuleView>,
    pub rules_json: String,
    pub texts: policy::ChecklistTexts,
    pub require_rules_checkbox: bool,
    pub rules_url: Option<String>,
    pub rules_accepted: bool,
}

/// What a flow's password page needs besides its title and action.
pub struct PasswordPageFor<'a> {
    pub flow: &'a FlowState,
    /// The person's effective rules, and what the checklist counts of
    /// their own data (`flows::password::page`).
    pub rules: &'a PasswordPage,
}

impl PasswordTemplate {
    pub fn new(
        state: &AppState,
        page: &Page,
        layout: Layout,
        action: &'static str,
        whose: PasswordPageFor<'_>,
    ) -> Self {
        let PasswordPageFor { flow, rules } = whose;
        let PasswordPage {
            rules,
            context,
            asks_current,
        } = rules;
        let mut views = rule_views(rules, page.lang, None);
        remark(&mut views, &page.typed("marks"));
        PasswordTemplate {
            page: layout,
            action,
            csrf: flow.csrf.clone(),
            nonce: flow.nonce.clone(),
            ask_current: *asks_current,
            rules: views,
            rules_json: rules.client_rules_json_for(context),
            texts: policy::checklist_texts(page.lang),
            require_rules_checkbox: state.settings.flows.require_rules_checkbox,
            rules_url: state.settings.site.rules_url.clone(),
            rules_accepted: page.typed("rules") == "on",
        }
    }

    /// The password page of the flow `ctx` is in, titled `title_id`,
    /// posting to `action`.
    pub fn of(
        ctx: &super::step::Ctx,
        title_id: &str,
        action: &'static str,
        whose: PasswordPageFor<'_>,
    ) -> Self {
        let layout = ctx.layout(title_id, passerelle_domain::flow::Step::NewPassword);
        PasswordTemplate::new(&ctx.state, &ctx.page, layout, action, whose)
    }

    /// The page again after a POST: the rules ticked by the verdict, the
    /// checkbox as posted, and the problems.
    pub fn refused(
        mut self,
        rules: &PasswordPolicy,
        page: &Page,
        form: &NewPasswordForm,
        verdict: &Verdict,
        problems: Vec<(&'static str, String)>,
    ) -> Self {
        self.rules = rule_views(rules, page.lang, Some(verdict));
        self.rules_accepted = form.rules.is_some();
        self.page = with_problems(self.page, problems);
        self
    }
}

/// "24 heures", "10 minutes": a validity as people read it.
pub fn validity_text(page: &Page, seconds: u64) -> String {
    if seconds >= 3600 && seconds % 3600 == 0 {
        page.t_with("email-hours", &[("n", &(seconds / 3600).to_string())])
    } else {
        page.t_with(
            "email-minutes",
            &[("n", &seconds.div_ceil(60).max(1).to_string())],
        )
    }
}

/// The first page of the e-mail flows (`mail_request.html`).
#[derive(Template)]
#[template(path = "mail_request.html")]
pub struct MailRequestTemplate {
    pub page: Layout,
    /// The texts of the flow's first page (its declaration).
    pub keys: passerelle_domain::flow::RequestTexts,
    pub action: &'static str,
    pub csrf: String,
    pub nonce: String,
    pub identifier: String,
    pub captcha: Option<passerelle_captcha::web::CaptchaField>,
    /// The code flow offers its code by SMS too (`flows.code_sms`).
    pub channels: bool,
    /// The way chosen (`mail` or `mobile`), when the page offers one.
    pub channel: String,
}

impl MailRequestTemplate {
    /// The first page of the e-mail flow `ctx` is in (one whose
    /// declaration has the texts of such a page; any other is not found).
    pub fn of(ctx: &super::step::Ctx) -> Result<Self, WebError> {
        let spec = ctx.flow.flow.spec();
        let keys = spec.request.ok_or(WebError::NotFound)?;
        let action = spec.path;
        Ok(MailRequestTemplate {
            page: ctx.layout(keys.title, passerelle_domain::flow::Step::MailRequest),
            action,
            csrf: ctx.flow.csrf.clone(),
            nonce: ctx.flow.nonce.clone(),
            identifier: ctx.page.typed("identifier"),
            captcha: ctx.captcha_field(action),
            keys,
            channels: spec.name == passerelle_domain::flow::FlowName::Code
                && ctx.state.settings.flows.code_sms
                && ctx.gateway().texting(),
            channel: ctx.page.typed("channel"),
        })
    }
}

crate::redraw!(MailRequestTemplate, values: [identifier, channel]);

/// The first form of the e-mail flows (`code`, `temporary`): an address or
/// identifier, and the captcha when one is shown.
#[derive(Deserialize)]
pub struct MailRequestForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub nonce: String,
    pub identifier: String,
    #[serde(default)]
    pub captcha: String,
    /// `mail` or `mobile`, where the page offers the choice.
    #[serde(default)]
    pub channel: String,
}

crate::step_form!(
    IdentityForm,
    LoginForm,
    SecretForm,
    NewPasswordForm,
    MailRequestForm
);

crate::redraw!(IdentityTemplate, values: [identifier, birth_date], notice: lock_notice);
crate::redraw!(LoginTemplate, values: [login], notice: notice);

impl Redraw for SecretTemplate {
    fn layout(&self) -> &Layout {
        &self.page
    }

    fn values(&self) -> Vec<(&'static str, String)> {
        let chosen = self
            .choices
            .iter()
            .find(|choice| choice.checked)
            .map(|choice| choice.value.clone())
            .or_else(|| self.own_checked.then(|| "own".to_owned()))
            .unwrap_or_default();
        vec![
            ("question", chosen),
            ("own_question", self.own_question.clone()),
        ]
    }
}

impl Redraw for PasswordTemplate {
    fn layout(&self) -> &Layout {
        &self.page
    }

    /// The checkbox, and each rule's mark (`r.<rule>=1`, `c.<class>=0`):
    /// what the page showed of the password, never the password.
    fn values(&self) -> Vec<(&'static str, String)> {
        let mark = |state: bool| if state { '1' } else { '0' };
        let marks: Vec<String> = self
            .rules
            .iter()
            .flat_map(|rule| {
                let own = rule.state.map(|s| format!("r.{}={}", rule.id, mark(s)));
                let classes = rule
                    .classes
                    .iter()
                    .filter_map(|c| c.state.map(|s| format!("c.{}={}", c.id, mark(s))));
                own.into_iter().chain(classes).collect::<Vec<_>>()
            })
            .collect();
        vec![
            (
                "rules",
                if self.rules_accepted { "on" } else { "" }.to_owned(),
            ),
            ("marks", marks.join(",")),
        ]
    }
}

/// Puts back on `rules` the marks a refused POST left (see
/// [`Redraw::values`] of [`PasswordTemplate`]).
fn remark(rules: &mut [RuleView], marks: &str) {
    for mark in marks.split(',') {
        let Some((key, state)) = mark.split_once('=') else {
            continue;
        };
        let state = Some(state == "1");
        for rule in rules.iter_mut() {
            if key.strip_prefix("r.") == Some(rule.id) {
                rule.state = state;
            }
            for class in &mut rule.classes {
                if key.strip_prefix("c.") == Some(class.id) {
                    class.state = state;
                }
            }
        }
    }
}
