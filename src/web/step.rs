//! The plumbing every step's handler uses, so that a route module holds
//! only what its flow shows: [`Ctx::start`] opens a flow's first page,
//! [`Ctx::show`] a later step's page, [`Ctx::accept`] a step's POST (flow
//! cookie, CSRF token, one-time nonce and step order checked in one place,
//! refusals audited); then the handler calls the flow's domain step and
//! ends with [`Ctx::render`] (the same step again), [`Ctx::passed`] (on to
//! the next page) or [`Ctx::end`] (the flow is over).

use super::client::ClientInfo;
use super::error::WebError;
use super::flow_state::{FlowName, FlowState, Step};
use super::page::{render, Page};
use super::views::PasswordPageFor;
use super::AppState;
use crate::directory::Person;
use crate::flows::{Gateway, Trail, Visitor};
use askama::Template;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::PrivateCookieJar;

/// What every flow handler extracts from a request: the shared state, the
/// page's language, the client (for the audit trail and rate limits) and
/// the cookie jar.
pub struct Visit {
    pub state: AppState,
    pub page: Page,
    pub client: ClientInfo,
    pub jar: PrivateCookieJar,
}

impl axum::extract::FromRequestParts<AppState> for Visit {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, WebError> {
        let page = Page::from_request_parts(parts, state).await?;
        let client = ClientInfo::from_request_parts(parts, state).await?;
        let jar = PrivateCookieJar::from_request_parts(parts, state)
            .await
            .map_err(|_| WebError::BadRequest("cookies"))?;
        Ok(Visit {
            state: state.clone(),
            page,
            client,
            jar,
        })
    }
}

/// A step's form: every one carries the flow's CSRF token and the step's
/// one-time nonce.
pub trait StepForm {
    fn csrf(&self) -> &str;
    fn nonce(&self) -> &str;
}

/// Implements [`StepForm`] for forms with `csrf` and `nonce` fields.
#[macro_export]
macro_rules! step_form {
    ($($form:ty),+ $(,)?) => {$(
        impl $crate::web::step::StepForm for $form {
            fn csrf(&self) -> &str {
                &self.csrf
            }
            fn nonce(&self) -> &str {
                &self.nonce
            }
        }
    )+};
}

/// One request of one flow: the shared state, the page's language, the
/// flow cookie (loaded and checked) and the cookie jar to answer with.
pub struct Ctx {
    pub state: AppState,
    pub page: Page,
    pub flow: FlowState,
    jar: PrivateCookieJar,
    client: Option<ClientInfo>,
}

impl Ctx {
    /// The first page of `name`: a new flow. 404 when the site turned the
    /// flow off.
    pub fn start(visit: Visit, name: FlowName) -> Result<Ctx, WebError> {
        enabled(&visit.state, name)?;
        Ok(Ctx {
            flow: FlowState::start(name),
            state: visit.state,
            page: visit.page,
            jar: visit.jar,
            client: Some(visit.client),
        })
    }

    /// The page of `step` (a GET): the flow must have passed the step
    /// before it.
    pub fn show(visit: Visit, name: FlowName, step: Step) -> Result<Ctx, WebError> {
        let ctx = Ctx::load(visit, name)?;
        ctx.flow.require_step(step)?;
        Ok(ctx)
    }

    /// Any page of a flow that is under way, whatever step it is at.
    pub fn load(visit: Visit, name: FlowName) -> Result<Ctx, WebError> {
        let Visit {
            state,
            page,
            client,
            jar,
        } = visit;
        enabled(&state, name)?;
        let server = &state.settings.server;
        let flow = FlowState::load(&jar, name, server.secure_cookies, server.inactivity_seconds)?;
        Ok(Ctx {
            flow,
            state,
            page,
            jar,
            client: Some(client),
        })
    }

    /// The POST of `step`: the flow cookie, its CSRF token, the step's
    /// one-time nonce (spent now) and the step order, each refusal audited
    /// under `step`'s name. The flow comes back with a fresh nonce.
    pub fn accept(
        visit: Visit,
        name: FlowName,
        step: Step,
        form: &impl StepForm,
    ) -> Result<Ctx, WebError> {
        let Visit {
            state,
            page,
            client,
            jar,
        } = visit;
        let (csrf, nonce) = (form.csrf(), form.nonce());
        enabled(&state, name)?;
        let server = &state.settings.server;
        let visitor = client.visitor(page.lang);
        let audit_step = step_name(step);
        let loaded = FlowState::load(&jar, name, server.secure_cookies, server.inactivity_seconds)
            .inspect_err(|e| super::audit::refusal(name, audit_step, None, e, &visitor))?;
        loaded
            .accept_post(step, csrf, nonce, &state.spent_nonces)
            .inspect_err(|e| super::audit::refusal(name, audit_step, Some(&loaded), e, &visitor))?;
        Ok(Ctx {
            flow: loaded.again(),
            state,
            page,
            jar,
            client: Some(client),
        })
    }

    /// What the domain steps work with.
    pub fn gateway(&self) -> &Gateway {
        &self.state.gateway
    }

    /// This flow's audit trail, for this visitor.
    pub fn trail(&self) -> Trail {
        let visitor = match &self.client {
            Some(client) => client.visitor(self.page.lang),
            None => Visitor {
                address: std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED),
                user_agent: String::new(),
                lang: self.page.lang,
            },
        };
        Trail {
            flow: self.flow.flow,
            id: self.flow.id.clone(),
            visitor,
        }
    }

    fn secure(&self) -> bool {
        self.state.settings.server.secure_cookies
    }

    fn inactivity(&self) -> u64 {
        self.state.settings.server.inactivity_seconds
    }

    /// A page of this flow, with the flow cookie as it stands.
    pub fn render(self, template: &impl Template) -> Result<Response, WebError> {
        let (secure, inactivity) = (self.secure(), self.inactivity());
        let jar = self.flow.save(self.jar, secure, inactivity)?;
        Ok((jar, render(template)).into_response())
    }

    /// `step` is passed: the cookie records it (and `person` as the one
    /// proved, if given) and the browser goes on to `next` (Post/Redirect/Get).
    pub fn passed(
        mut self,
        step: Step,
        person: Option<&Person>,
        next: &str,
    ) -> Result<Response, WebError> {
        self.flow = self.flow.next(step);
        if let Some(person) = person {
            self.flow.dn = Some(person.dn.clone());
            self.flow.password_changed = person.pwd_changed_time.clone();
        }
        let (secure, inactivity) = (self.secure(), self.inactivity());
        let jar = self.flow.save(self.jar, secure, inactivity)?;
        Ok((jar, Redirect::to(next)).into_response())
    }

    /// The flow is over: its cookies go, and `response` is shown.
    pub fn end(self, response: Response) -> Response {
        let secure = self.secure();
        let jar = FlowState::end(self.flow.flow, self.jar, secure);
        (jar, response).into_response()
    }

    /// Keeps `data` for a later step of this flow (in its data cookie).
    pub fn keep<T: serde::Serialize>(mut self, data: &T) -> Result<Ctx, WebError> {
        let (secure, inactivity) = (self.secure(), self.inactivity());
        self.jar = self.flow.save_data(self.jar, data, secure, inactivity)?;
        Ok(self)
    }

    /// What an earlier step of this flow kept.
    pub fn kept<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        self.flow.load_data(&self.jar, self.secure())
    }

    /// The person whose identity this flow proved, read afresh.
    pub async fn person(&self) -> Result<Person, WebError> {
        let dn = self.flow.dn.as_deref().ok_or(WebError::Step)?;
        self.state
            .directory
            .read_person(dn)
            .await?
            .ok_or(WebError::Expired)
    }

    /// The password page of this flow for `person`, drawn by `template`
    /// with the person's effective rules.
    pub async fn password_page(
        &self,
        template: impl Fn(&Ctx, PasswordPageFor<'_>) -> super::views::PasswordTemplate,
    ) -> Result<Response, WebError> {
        let person = self.person().await?;
        let rules = crate::flows::new_password::rules_for(self.gateway(), &person).await?;
        let page = template(
            self,
            PasswordPageFor {
                flow: &self.flow,
                person: &person,
                rules: &rules,
            },
        );
        Ok(render(&page))
    }

    /// "Étape n sur N" of `step` in this flow.
    pub fn layout(&self, title_id: &str, step: Step) -> super::page::Layout {
        let layout = self.page.layout(title_id);
        match self.flow.flow.position(step) {
            Some((n, total)) if total > 1 => layout.with_step(n, total),
            _ => layout,
        }
    }
}

fn enabled(state: &AppState, name: FlowName) -> Result<(), WebError> {
    if name.enabled(&state.settings) {
        Ok(())
    } else {
        Err(WebError::NotFound)
    }
}

/// The step's name in the audit trail.
pub fn step_name(step: Step) -> &'static str {
    match step {
        Step::Identity => "identity",
        Step::Question => "question",
        Step::ChooseSecret => "question",
        Step::SignIn => "login",
        Step::MailRequest => "request",
        Step::Code => "code",
        Step::NewPassword => "password",
        Step::LoginMail => "identity",
    }
}

/// How the new-password step's POST ended.
pub enum Chosen {
    /// Written (and the confirmation mail queued): the flow shows its
    /// success.
    Written,
    /// The form or the directory refused it: this page again.
    Again(Box<super::views::PasswordTemplate>),
}

impl Ctx {
    /// The new-password step, after the flow's own checks: the form against
    /// the person's effective rules, then the one atomic write. `template`
    /// draws this flow's password page. `problems` are the flow's own (the
    /// current password of `change`): with any, nothing is written.
    pub async fn choose_password(
        &self,
        person: &Person,
        form: &super::views::NewPasswordForm,
        template: impl Fn(&Ctx, PasswordPageFor<'_>) -> super::views::PasswordTemplate,
        mut problems: Vec<(&'static str, String)>,
    ) -> Result<Chosen, WebError> {
        use crate::flows::new_password::{self, Written};
        let trail = self.trail();
        let rules = new_password::rules_for(self.gateway(), person).await?;
        let (verdict, more) = new_password::check(
            self.gateway(),
            &rules,
            self.page.lang,
            person,
            &form.new_password(),
        );
        problems.extend(more);
        let page_for = || PasswordPageFor {
            flow: &self.flow,
            person,
            rules: &rules,
        };
        if !problems.is_empty() {
            trail.event("password", "form_refused", Some(&person.login));
            let again =
                template(self, page_for()).refused(&rules, &self.page, form, &verdict, problems);
            return Ok(Chosen::Again(Box::new(again)));
        }
        match new_password::write(self.gateway(), &rules, &trail, person, &form.password).await? {
            Written::Done => Ok(Chosen::Written),
            Written::Refused(reason) => {
                let again = template(self, page_for()).refused(
                    &rules,
                    &self.page,
                    form,
                    &verdict,
                    vec![("password", reason)],
                );
                Ok(Chosen::Again(Box::new(again)))
            }
        }
    }
}

impl Ctx {
    /// The first step of the e-mail flows: the captcha, checked first (a
    /// robot that fails it learns nothing else, and nothing touches the
    /// directory), and the address or identifier typed, bounded. Every
    /// field's problem is reported at once; `missing_id` names the message
    /// of an empty identifier.
    pub fn mail_request(
        &mut self,
        identifier: &str,
        captcha: &str,
        missing_id: &str,
    ) -> Result<String, Vec<(&'static str, String)>> {
        use crate::captcha;
        let typed: String = identifier.trim().chars().take(256).collect();
        let settings = self.state.settings.captcha.clone();
        let address = self.client.as_ref().map(|c| c.address);
        // No captcha shown, but this address or this identifier asked
        // within the window: the captcha comes now, and this request waits
        // for it (`captcha.mode = "after_failure"`).
        if settings.enabled()
            && self.flow.captcha.is_none()
            && address.is_some_and(|a| self.state.recent.any(a, &typed))
        {
            captcha::web::after_failure(&mut self.flow.captcha, &settings);
            return Err(vec![("captcha", self.page.t("captcha-needed"))]);
        }
        if let Some(address) = address {
            self.state.recent.note(address, &typed);
        }
        let check = captcha::web::check(
            &mut self.flow.captcha,
            &self.state.captcha_key,
            &settings,
            Some(captcha),
        );
        let mut problems = Vec::new();
        if !check.allows() {
            problems.push(("captcha", captcha::web::failed_message(self.page.lang)));
        }
        if typed.is_empty() {
            problems.push(("identifier", self.page.t(missing_id)));
        }
        if problems.is_empty() {
            Ok(typed)
        } else {
            Err(problems)
        }
    }

    /// The captcha a first page of an e-mail flow starts with: as the
    /// settings say, and also under `after_failure` when this address made
    /// a request within the window.
    pub fn start_captcha(&mut self) {
        use crate::captcha;
        let settings = self.state.settings.captcha.clone();
        self.flow.captcha = captcha::web::start(&settings);
        let seen = self
            .client
            .as_ref()
            .is_some_and(|c| self.state.recent.from_address(c.address));
        if seen {
            captcha::web::after_failure(&mut self.flow.captcha, &settings);
        }
    }

    /// The captcha field of a page of this flow at `path`, if it shows one.
    pub fn captcha_field(&self, path: &str) -> Option<crate::captcha::web::CaptchaField> {
        crate::captcha::web::CaptchaField::for_slot(
            self.flow.flow.as_str(),
            path,
            &self.flow.captcha,
            &self.state.captcha_key,
        )
    }
}

/// How the identity step's POST ended, for the flow to go on.
pub enum IdentityStep {
    /// A field to fix: the page again, already drawn.
    Again(Response),
    Proved(Box<Ctx>, Box<Person>),
    /// The generic failure (the reason is in the audit trail).
    Failed(Box<Ctx>),
}

impl Ctx {
    /// A flow's first page: a new flow, drawn by `draw`.
    pub fn first_page<T: Template>(
        visit: Visit,
        name: FlowName,
        draw: impl FnOnce(&Ctx) -> T,
    ) -> Result<Response, WebError> {
        let ctx = Ctx::start(visit, name)?;
        let template = draw(&ctx);
        ctx.render(&template)
    }

    /// The identity step's POST up to the domain's verdict
    /// ([`crate::flows::identity::prove`]); a field to fix shows `what`'s
    /// page again with what was typed.
    pub async fn identity(
        visit: Visit,
        name: FlowName,
        form: &super::views::IdentityForm,
        what: &super::views::IdentityPage,
    ) -> Result<IdentityStep, WebError> {
        use super::views::{identity_fields, IdentityTemplate};
        use crate::flows::identity::{self, Identity};
        let ctx = Ctx::accept(visit, name, Step::Identity, form)?;
        let (identifier, birth_date) = match identity_fields(&ctx.page, form) {
            Ok(fields) => fields,
            Err(errors) => {
                let mut template = IdentityTemplate::of(&ctx, what).refill(form);
                template.page.errors = errors;
                return ctx.render(&template).map(IdentityStep::Again);
            }
        };
        let trail = ctx.trail();
        match identity::prove(ctx.gateway(), &trail, identifier.as_ref(), &birth_date).await? {
            Identity::Proved(person) => Ok(IdentityStep::Proved(Box::new(ctx), person)),
            Identity::Failed => Ok(IdentityStep::Failed(Box::new(ctx))),
        }
    }

    /// The identity page of `what` with the generic failure.
    pub fn identity_failed(self, what: &super::views::IdentityPage) -> Result<Response, WebError> {
        let template = super::views::IdentityTemplate::of(&self, what).failed(&self.page);
        self.render(&template)
    }
}

/// How the sign-in step's POST ended, for the flow to go on.
pub enum SignInStep {
    /// A field to fix, or the one failure: the page again, already drawn.
    Again(Response),
    Proved {
        ctx: Box<Ctx>,
        person: Box<Person>,
        proof: crate::directory::BindProof,
        held_temporary: bool,
    },
}

impl Ctx {
    /// The sign-in step's POST up to the domain's verdict
    /// ([`crate::flows::sign_in::prove`]); an empty field or a refusal
    /// shows the page drawn by `draw` again, with the login as typed.
    pub async fn sign_in(
        visit: Visit,
        name: FlowName,
        form: &super::views::LoginForm,
        draw: impl Fn(&Ctx) -> super::views::LoginTemplate,
    ) -> Result<SignInStep, WebError> {
        use crate::flows::sign_in::{self, SignIn};
        let ctx = Ctx::accept(visit, name, Step::SignIn, form)?;
        let mut template = draw(&ctx).refill(form);
        if template.check_filled(&ctx.page, form) {
            return ctx.render(&template).map(SignInStep::Again);
        }
        let trail = ctx.trail();
        let login = form.login.trim();
        match sign_in::prove(ctx.gateway(), &trail, "login", login, &form.password).await? {
            SignIn::Proved {
                person,
                proof,
                held_temporary,
            } => Ok(SignInStep::Proved {
                ctx: Box::new(ctx),
                person,
                proof,
                held_temporary,
            }),
            SignIn::Refused => {
                let template = template.failed(&ctx.page);
                ctx.render(&template).map(SignInStep::Again)
            }
        }
    }
}
