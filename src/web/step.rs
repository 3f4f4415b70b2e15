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
use crate::flows::Who;
use crate::flows::{Gateway, Trail};
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
    client: ClientInfo,
    /// The nonce this POST spent, to record where its step led.
    spent: Option<Spent>,
}

/// The nonce a POST spent. However the request ends, its outcome is
/// recorded: where the step led, or (dropped on an error path) that it
/// passed nowhere, so a repeated submission never waits for nothing.
struct Spent {
    nonce: String,
    nonces: std::sync::Arc<super::flow_state::SpentNonces>,
}

impl Drop for Spent {
    fn drop(&mut self) {
        self.nonces.settle(&self.nonce, "");
    }
}

/// How long a repeated submission waits for the first one's outcome.
const REPEAT_WAIT: std::time::Duration = std::time::Duration::from_secs(15);

impl Ctx {
    /// The first page of `name`: a new flow. 404 when the site turned the
    /// flow off.
    ///
    /// A flow still at its first step whose POST was refused continues
    /// instead, showing what that POST left (Post/Redirect/Get).
    pub fn start(visit: Visit, name: FlowName) -> Result<Ctx, WebError> {
        enabled(&visit.state, name)?;
        let server = &visit.state.settings.server;
        let refused = FlowState::load(
            &visit.jar,
            name,
            server.secure_cookies,
            server.inactivity_seconds,
        )
        .ok()
        .filter(|flow| flow.passed.is_none() && flow.flash.is_some());
        if refused.is_none() {
            visit.state.audit.flow_started(name.as_str());
        }
        let mut ctx = Ctx {
            flow: refused.unwrap_or_else(|| FlowState::start(name)),
            state: visit.state,
            page: visit.page,
            jar: visit.jar,
            client: visit.client,
            spent: None,
        };
        ctx.take_flash();
        Ok(ctx)
    }

    /// Whether this first page continues a flow whose POST was refused.
    pub fn resumed(&self) -> bool {
        !self.page.flash.errors.is_empty()
            || !self.page.flash.values.is_empty()
            || self.page.flash.notice.is_some()
    }

    /// Moves what a refused POST left from the flow cookie to the page.
    fn take_flash(&mut self) {
        if let Some(flash) = self.flow.flash.take() {
            self.page.flash = flash;
        }
    }

    /// The page of `step` (a GET): the flow must have passed the step
    /// before it.
    pub fn show(visit: Visit, name: FlowName, step: Step) -> Result<Ctx, WebError> {
        let mut ctx = Ctx::load(visit, name)?;
        ctx.take_flash();
        if let Err(error) = ctx.flow.require_step(step) {
            // The flow is over (the browser's Back after the success page):
            // its success again, never an error.
            if let Some(done) = ctx.finished() {
                return Err(WebError::AlreadyPassed(done.to_owned()));
            }
            return Err(error);
        }
        Ok(ctx)
    }

    /// The flow's done page when its last step was passed.
    fn finished(&self) -> Option<&'static str> {
        let last = self.flow.flow.steps().last().copied();
        if self.flow.passed.is_some() && self.flow.passed == last {
            self.flow.flow.done_path()
        } else {
            None
        }
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
            client,
            spent: None,
        })
    }

    /// The POST of `step`: the flow cookie, its CSRF token, the step's
    /// one-time nonce (spent now) and the step order, each refusal audited
    /// under `step`'s name. The flow comes back with a fresh nonce.
    pub async fn accept(
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
            .inspect_err(|e| {
                super::audit::refusal(&state.audit, name, audit_step, None, e, &visitor)
            })?;
        if let Err(error) = loaded.accept_post(step, csrf, nonce, &state.spent_nonces) {
            // The same form posted again (a double click, a second tab):
            // where the first submission led, once it has.
            if matches!(error, WebError::Step) {
                let to = if nonce == loaded.nonce {
                    repeated_outcome(&state, nonce).await
                } else {
                    // An older form of this flow posted again (Back, then
                    // submit): where it led, if it passed.
                    state
                        .spent_nonces
                        .outcome(nonce)
                        .filter(|to| !to.is_empty())
                };
                if let Some(to) = to {
                    return Err(WebError::AlreadyPassed(to));
                }
            }
            super::audit::refusal(
                &state.audit,
                name,
                audit_step,
                Some(&loaded),
                &error,
                &visitor,
            );
            return Err(error);
        }
        let spent = Some(Spent {
            nonce: loaded.nonce.clone(),
            nonces: state.spent_nonces.clone(),
        });
        Ok(Ctx {
            flow: loaded.again(),
            state,
            page,
            jar,
            client,
            spent,
        })
    }

    /// What the domain steps work with.
    pub fn gateway(&self) -> &Gateway {
        &self.state.gateway
    }

    /// This flow's audit trail, for this visitor.
    pub fn trail(&self) -> Trail {
        Trail {
            flow: self.flow.flow,
            id: self.flow.id.clone(),
            visitor: self.client.visitor(self.page.lang),
            recorder: self.state.audit.clone(),
        }
    }

    fn secure(&self) -> bool {
        self.state.settings.server.secure_cookies
    }

    fn inactivity(&self) -> u64 {
        self.state.settings.server.inactivity_seconds
    }

    /// A page of this flow (a GET), with the flow cookie as it stands.
    pub fn render(self, template: &impl Template) -> Result<Response, WebError> {
        debug_assert!(self.spent.is_none(), "a POST answers with a redirect");
        let (secure, inactivity) = (self.secure(), self.inactivity());
        let jar = self.flow.save(self.jar, secure, inactivity)?;
        Ok((jar, render(template)).into_response())
    }

    /// This step's page again after its POST was refused: what `template`
    /// shows (errors, values typed, notice) goes with the flow cookie to
    /// the step's page, and the browser is sent there (Post/Redirect/Get),
    /// so that its history holds only GET pages. A GET draws it at once.
    pub fn again(self, template: &impl super::views::Redraw) -> Result<Response, WebError> {
        let path = self.page.path.clone();
        self.again_at(template, &path)
    }

    /// [`Ctx::again`], showing the page at `path`.
    pub fn again_at(
        mut self,
        template: &impl super::views::Redraw,
        path: &str,
    ) -> Result<Response, WebError> {
        let Some(spent) = self.spent.take() else {
            return self.render(template);
        };
        self.flow.flash = Some(template.flash());
        let (secure, inactivity) = (self.secure(), self.inactivity());
        let jar = self.flow.save(self.jar, secure, inactivity)?;
        // The same form posted twice goes to the same page.
        self.state.spent_nonces.settle(&spent.nonce, path);
        Ok((jar, Redirect::to(path)).into_response())
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
        if let Some(spent) = &self.spent {
            self.state.spent_nonces.settle(&spent.nonce, next);
        }
        Ok((jar, Redirect::to(next)).into_response())
    }

    /// The flow's last step passed: the browser goes to the flow's done
    /// page, which shows the success (and shows it again on a repeated
    /// submission or a Back).
    pub fn done(self, step: Step) -> Result<Response, WebError> {
        let to = self.flow.flow.done_path().ok_or(WebError::Step)?;
        self.passed(step, None, to)
    }

    /// The done page of a flow: its success, drawn by `draw`, when the
    /// flow's last step was passed (by this browser's cookie, or by the
    /// first of two submissions of the same form).
    pub async fn done_page(
        visit: Visit,
        name: FlowName,
        draw: impl FnOnce(&Ctx) -> Response,
    ) -> Result<Response, WebError> {
        let ctx = Ctx::load(visit, name)?;
        let settled = ctx.state.spent_nonces.outcome(&ctx.flow.nonce);
        let done = ctx.finished().is_some()
            || (settled.is_some() && settled.as_deref() == name.done_path());
        if !done {
            return Err(WebError::Step);
        }
        Ok(draw(&ctx))
    }

    /// The flow is over: its cookies go, and `message` is shown; after a
    /// POST, through a redirect to `/message` ([`Ctx::tell`]).
    pub fn end(mut self, message: super::views::Message) -> Response {
        let secure = self.secure();
        self.jar = FlowState::end(self.flow.flow, self.jar, secure);
        self.answer(message)
    }

    /// Shows `message` and goes on with the flow (its cookie as it
    /// stands); after a POST the message travels in a cookie to
    /// `/message`, so the browser's history holds only GET pages.
    pub fn tell(mut self, message: super::views::Message) -> Result<Response, WebError> {
        let (secure, inactivity) = (self.secure(), self.inactivity());
        self.jar = self.flow.save(self.jar, secure, inactivity)?;
        Ok(self.answer(message))
    }

    fn answer(mut self, message: super::views::Message) -> Response {
        let Some(spent) = self.spent.take() else {
            return (self.jar, super::views::show(&self.page, message)).into_response();
        };
        let secure = self.secure();
        let jar = super::message::keep(self.jar, &message, secure);
        self.state
            .spent_nonces
            .settle(&spent.nonce, super::message::PATH);
        (jar, Redirect::to(super::message::PATH)).into_response()
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

    /// The page of `step` in this flow: "Étape n sur N", and the site's
    /// texts for its kind of page.
    pub fn layout(&self, title_id: &str, step: Step) -> super::page::Layout {
        use crate::site_texts::PageKind;
        let kind = match step {
            Step::Identity | Step::LoginMail => Some(PageKind::Identity),
            Step::Question | Step::ChooseSecret => Some(PageKind::Question),
            Step::SignIn => Some(PageKind::SignIn),
            Step::MailRequest => Some(PageKind::Request),
            Step::Code => Some(PageKind::Code),
            Step::NewPassword => Some(PageKind::Password),
            // « Ce n'était pas moi » is no seed system's page.
            Step::Disown => None,
        };
        let layout = self.page.layout(title_id);
        let layout = match kind {
            Some(kind) => layout.with_kind(kind),
            None => layout,
        };
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
        Step::Disown => "not_me",
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
        &mut self,
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
            trail.event("password", "form_refused", Who::Person(person));
            let again =
                template(self, page_for()).refused(&rules, &self.page, form, &verdict, problems);
            return Ok(Chosen::Again(Box::new(again)));
        }
        match new_password::write(self.gateway(), &rules, &trail, person, &form.password).await? {
            Written::Done { replica_lag } => {
                // Kept in the flow cookie for the done page.
                self.flow.replica_lag = replica_lag;
                Ok(Chosen::Written)
            }
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
    /// The new-password POST of a flow that proved a person: accepted
    /// ([`Ctx::accept`]), the person read afresh, and refused as a replay
    /// when the password changed since the proof
    /// ([`crate::flows::new_password::still_as_proved`]).
    pub async fn password_post(
        visit: Visit,
        name: FlowName,
        form: &super::views::NewPasswordForm,
    ) -> Result<(Ctx, Person), WebError> {
        let ctx = Ctx::accept(visit, name, Step::NewPassword, form).await?;
        let person = ctx.person().await?;
        let changed = ctx.flow.password_changed.as_deref();
        if !crate::flows::new_password::still_as_proved(&ctx.trail(), &person, changed) {
            return Err(WebError::Step);
        }
        Ok((ctx, person))
    }

    /// [`Ctx::choose_password`] for a flow with nothing more to write: on
    /// to its done page once written, else this page again.
    pub async fn finish_password(
        mut self,
        person: &Person,
        form: &super::views::NewPasswordForm,
        template: impl Fn(&Ctx, PasswordPageFor<'_>) -> super::views::PasswordTemplate,
        problems: Vec<(&'static str, String)>,
    ) -> Result<Response, WebError> {
        match self
            .choose_password(person, form, template, problems)
            .await?
        {
            Chosen::Written => self.done(Step::NewPassword),
            Chosen::Again(template) => self.again(template.as_ref()),
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
        let address = self.client.address;
        // No captcha shown, but this address or this identifier asked
        // within the window: the captcha comes now, and this request waits
        // for it (`captcha.mode = "after_failure"`).
        if settings.enabled()
            && self.flow.captcha.is_none()
            && self.state.recent.any(address, &typed)
        {
            captcha::web::after_failure(&mut self.flow.captcha, &settings);
            return Err(vec![("captcha", self.page.t("captcha-needed"))]);
        }
        // An empty form requested nothing: noted, it would demand on the
        // next submission a captcha the page it renders does not show.
        if !typed.is_empty() {
            self.state.recent.note(address, &typed);
        }
        let check = captcha::web::check(
            &mut self.flow.captcha,
            &self.state.captcha_key,
            &settings,
            Some(captcha),
        );
        self.count_captcha(check);
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

    /// Counts a captcha answer that was checked (one that was not shown is
    /// no check).
    pub fn count_captcha(&self, check: crate::captcha::web::CaptchaCheck) {
        use crate::captcha::web::CaptchaCheck;
        let passed = match check {
            CaptchaCheck::Passed => true,
            CaptchaCheck::Failed => false,
            CaptchaCheck::NotShown => return,
        };
        self.state
            .metrics
            .captcha
            .checked(self.flow.flow.as_str(), passed);
    }

    /// The captcha a first page of an e-mail flow starts with: as the
    /// settings say, and also under `after_failure` when this address made
    /// a request within the window.
    pub fn start_captcha(&mut self) {
        use crate::captcha;
        let settings = self.state.settings.captcha.clone();
        self.flow.captcha = captcha::web::start(&settings);
        if self.state.recent.from_address(self.client.address) {
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

    /// The new-password page of a flow (a GET), drawn by `draw` with the
    /// person's effective rules.
    pub async fn show_password_page(
        visit: Visit,
        name: FlowName,
        draw: impl Fn(&Ctx, PasswordPageFor<'_>) -> super::views::PasswordTemplate,
    ) -> Result<Response, WebError> {
        let ctx = Ctx::show(visit, name, Step::NewPassword)?;
        ctx.password_page(draw).await
    }

    /// The first page of an e-mail flow, with the captcha it starts with.
    pub fn mail_request_page(visit: Visit, name: FlowName) -> Result<Response, WebError> {
        let mut ctx = Ctx::start(visit, name)?;
        if !ctx.resumed() {
            ctx.start_captcha();
        }
        let template = super::views::MailRequestTemplate::of(&ctx);
        ctx.render(&template)
    }

    /// The e-mail flows' first POST up to the address or identifier typed
    /// ([`Ctx::mail_request`]): `Err` is the page again, every field's
    /// problem on it, already answered.
    pub async fn mail_request_step(
        visit: Visit,
        name: FlowName,
        form: &super::views::MailRequestForm,
    ) -> Result<Result<(Ctx, String), Response>, WebError> {
        use super::views::{with_problems, MailRequestPage, MailRequestTemplate};
        let what = MailRequestPage::of(name);
        let mut ctx = Ctx::accept(visit, name, Step::MailRequest, form).await?;
        let trail = ctx.trail();
        match ctx.mail_request(&form.identifier, &form.captcha, what.missing) {
            Ok(typed) => {
                trail.event(what.audit_step, "submitted", Who::Nobody);
                Ok(Ok((ctx, typed)))
            }
            Err(problems) => {
                trail.event(what.audit_step, "form_refused", Who::Nobody);
                let mut template = MailRequestTemplate::of(&ctx);
                template.page = with_problems(template.page, problems);
                template.identifier = form.identifier.trim().chars().take(256).collect();
                ctx.again(&template).map(Err)
            }
        }
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
        let ctx = Ctx::accept(visit, name, Step::SignIn, form).await?;
        let mut template = draw(&ctx).refill(form);
        if template.check_filled(&ctx.page, form) {
            return ctx.again(&template).map(SignInStep::Again);
        }
        let trail = ctx.trail();
        let login = form.login.trim();
        // Only the forced change spends a held temporary password.
        let spend_held = name == FlowName::Change;
        match sign_in::prove(
            ctx.gateway(),
            &trail,
            "login",
            login,
            &form.password,
            spend_held,
        )
        .await?
        {
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
                ctx.again(&template).map(SignInStep::Again)
            }
        }
    }
}

/// Where the first submission of a form whose nonce is spent led, waiting
/// a moment for it to finish (both clicks arrive together).
async fn repeated_outcome(state: &AppState, nonce: &str) -> Option<String> {
    let deadline = tokio::time::Instant::now() + REPEAT_WAIT;
    loop {
        if let Some(to) = state.spent_nonces.outcome(nonce) {
            // Empty: answered without passing (shown again, or ended).
            return (!to.is_empty()).then_some(to);
        }
        if !state.spent_nonces.in_flight(nonce) || tokio::time::Instant::now() >= deadline {
            return None;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
}
