//! The plumbing every step's handler uses, so that a route module holds
//! only what its flow shows: [`Ctx::start`] opens a flow's first page,
//! [`Ctx::show`] a later step's page, [`Ctx::accept`] a step's POST (flow
//! cookie, CSRF token, one-time nonce and step order checked in one place,
//! refusals audited); then the handler calls the flow's domain step and
//! ends with [`Ctx::render`] (the same step again), [`Ctx::passed`] (on to
//! the next page) or [`Ctx::end`] (the flow is over).

use super::client::ClientInfo;
use super::error::WebError;
use super::flow_state::{FlowName, FlowState, Lifetime, Step};
use super::origin::{provenance, Provenance};
use super::page::{render, Page};
use super::AppState;
use askama::Template;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::PrivateCookieJar;
use passerelle_domain::flows::{self, Refusal};
use passerelle_domain::{Gateway, Journey, Proof};

/// What every flow handler extracts from a request: the shared state, the
/// page's language, the client (for the audit trail and rate limits), the
/// cookie jar, and where the browser says the request comes from.
pub struct Visit {
    pub state: AppState,
    pub page: Page,
    pub client: ClientInfo,
    pub jar: PrivateCookieJar,
    /// `Origin` and `Sec-Fetch-Site` read against `server.public_url`
    /// ([`crate::origin`]); [`Ctx::accept`] refuses a cross-site POST.
    pub provenance: Provenance,
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
        let provenance = provenance(&parts.headers, state.public_origin.as_deref());
        Ok(Visit {
            state: state.clone(),
            page,
            client,
            jar,
            provenance,
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
        impl $crate::step::StepForm for $form {
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
    pub(super) client: ClientInfo,
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
        let refused = FlowState::load(
            &visit.jar,
            name,
            visit.state.settings.server.secure_cookies,
            Lifetime::of(&visit.state.settings, name),
        )
        .ok()
        .filter(|flow| flow.passed.is_none() && flow.flash.is_some());
        if refused.is_none() {
            visit.state.gateway.flow_started(name);
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
                return Err(WebError::AlreadyPassed(done));
            }
            return Err(error);
        }
        Ok(ctx)
    }

    /// The flow's done page when its last step was passed.
    fn finished(&self) -> Option<String> {
        let last = self.flow.flow.steps().last().copied();
        if self.flow.passed.is_some() && self.flow.passed == last {
            self.flow.flow.done_link().map(|link| link.path())
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
            provenance: _,
        } = visit;
        enabled(&state, name)?;
        let lifetime = Lifetime::of(&state.settings, name);
        let flow = FlowState::load(&jar, name, state.settings.server.secure_cookies, lifetime)?;
        Ok(Ctx {
            flow,
            state,
            page,
            jar,
            client,
            spent: None,
        })
    }

    /// The POST of `step`: where the browser says it comes from (another
    /// site's page is refused first, its nonce left unspent), the flow
    /// cookie, its CSRF token, the step's one-time nonce (spent now) and
    /// the step order, each refusal audited under `step`'s name. The flow
    /// comes back with a fresh nonce.
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
            provenance,
        } = visit;
        let (csrf, nonce) = (form.csrf(), form.nonce());
        enabled(&state, name)?;
        let lifetime = Lifetime::of(&state.settings, name);
        let secure = state.settings.server.secure_cookies;
        let visitor = client.visitor(page.lang);
        let refused = |flow: Option<&FlowState>, error: &WebError| {
            flows::refused(
                &state.gateway,
                name,
                flow.map(|f| f.id.as_str()),
                flow.and_then(|f| f.proof.as_ref()).map(|p| p.dn.as_str()),
                step,
                refusal(error),
                &visitor,
            )
        };
        if let Provenance::CrossSite(from) = &provenance {
            // The flow's cookie (if the browser sent it along) only names
            // the flow instance in the trail: nothing of it is spent.
            let flow = FlowState::load(&jar, name, secure, lifetime).ok();
            tracing::debug!(from = %from, "a form sent by another site's page");
            refused(flow.as_ref(), &WebError::CrossSite);
            return Err(WebError::CrossSite);
        }
        let loaded =
            FlowState::load(&jar, name, secure, lifetime).inspect_err(|e| refused(None, e))?;
        if let Err(error) = loaded.accept_post(step, csrf, nonce, &state.spent_nonces) {
            // A new-password form posted again (a double click, a second
            // tab, an old copy of the page): only the domain can tell
            // whether the password it carries is the one stored (this
            // form's own write: its success) or not (another request
            // changed it: nothing is written, the person is told), and its
            // write is guarded by the flow's proof. So it is handed over
            // rather than answered from this replica's memory, which would
            // show « modifié » for a password never written.
            if matches!(error, WebError::Step) && loaded.may_repeat_password(step, csrf) {
                let spent = Some(Spent {
                    nonce: nonce.to_owned(),
                    nonces: state.spent_nonces.clone(),
                });
                return Ok(Ctx {
                    flow: loaded.again(),
                    state,
                    page,
                    jar,
                    client,
                    spent,
                });
            }
            // Any other form posted again: where the first submission led,
            // once it has.
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
            refused(Some(&loaded), &error);
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

    /// The domain, which every step calls once.
    pub fn gateway(&self) -> &Gateway {
        &self.state.gateway
    }

    /// This flow instance as the domain sees it: which flow, its id, this
    /// visitor, and what it proved.
    pub fn journey(&self) -> Journey {
        Journey {
            flow: self.flow.flow,
            id: self.flow.id.clone(),
            visitor: self.client.visitor(self.page.lang),
            proof: self.flow.proof.clone(),
        }
    }

    fn secure(&self) -> bool {
        self.state.settings.server.secure_cookies
    }

    /// How long the flow's cookies live without a page.
    fn inactivity(&self) -> u64 {
        Lifetime::of(&self.state.settings, self.flow.flow).idle
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
    pub fn again(self, template: &impl super::message::Redraw) -> Result<Response, WebError> {
        let path = self.page.path.clone();
        self.again_at(template, &path)
    }

    /// [`Ctx::again`], showing the page at `path`.
    pub fn again_at(
        mut self,
        template: &impl super::message::Redraw,
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

    /// `step` is passed: the cookie records it (and `proof` as what the
    /// flow proved, if given) and the browser goes on to `next`
    /// (Post/Redirect/Get).
    pub fn passed(
        mut self,
        step: Step,
        proof: Option<Proof>,
        next: &str,
    ) -> Result<Response, WebError> {
        self.flow = self.flow.next(step);
        if let Some(proof) = proof {
            self.flow.proof = Some(proof);
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
        let to = self.flow.flow.done_link().ok_or(WebError::Step)?.path();
        self.passed(step, None, &to)
    }

    /// [`Ctx::done`] for a step that another replica of the gateway passed
    /// with this same form ([`WebError::PassedElsewhere`]).
    pub fn passed_elsewhere(self, step: Step) -> WebError {
        match self.done(step) {
            Ok(response) => WebError::PassedElsewhere(Box::new(response)),
            Err(error) => error,
        }
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
        let done_path = name.done_link().map(|link| link.path());
        let done = ctx.finished().is_some() || (settled.is_some() && settled == done_path);
        if !done {
            return Err(WebError::Step);
        }
        Ok(draw(&ctx))
    }

    /// The flow is over: its cookies go, and `message` is shown; after a
    /// POST, through a redirect to `/message` ([`Ctx::tell`]).
    pub fn end(mut self, message: super::message::Message) -> Response {
        let secure = self.secure();
        self.jar = FlowState::end(self.flow.flow, self.jar, secure);
        self.answer(message)
    }

    /// Shows `message` and goes on with the flow (its cookie as it
    /// stands); after a POST the message travels in a cookie to
    /// `/message`, so the browser's history holds only GET pages.
    pub fn tell(mut self, message: super::message::Message) -> Result<Response, WebError> {
        let (secure, inactivity) = (self.secure(), self.inactivity());
        self.jar = self.flow.save(self.jar, secure, inactivity)?;
        Ok(self.answer(message))
    }

    fn answer(mut self, message: super::message::Message) -> Response {
        let Some(spent) = self.spent.take() else {
            return (self.jar, super::message::show(&self.page, message)).into_response();
        };
        let secure = self.secure();
        let jar = super::message::keep(self.jar, &message, secure);
        self.state
            .spent_nonces
            .settle(&spent.nonce, super::message::PATH);
        (jar, Redirect::to(super::message::PATH)).into_response()
    }

    /// A POST that leaves the step where it is (the help desk's: its session
    /// goes on) is answered: the browser goes to `path` (Post/Redirect/Get),
    /// which shows `flash` (a notice, errors) once; the same form posted
    /// again goes there too.
    pub fn go(
        mut self,
        path: &str,
        flash: Option<super::flow_state::Flash>,
    ) -> Result<Response, WebError> {
        self.flow.flash = flash;
        let (secure, inactivity) = (self.secure(), self.inactivity());
        let jar = self.flow.save(self.jar, secure, inactivity)?;
        if let Some(spent) = self.spent.take() {
            self.state.spent_nonces.settle(&spent.nonce, path);
        }
        Ok((jar, Redirect::to(path)).into_response())
    }

    /// The flow is over (the help desk's session ended, or its agent
    /// signed out): its cookies go and the browser goes to `path`, which
    /// shows `flash` once.
    pub fn end_at(
        mut self,
        path: &str,
        flash: Option<super::flow_state::Flash>,
    ) -> Result<Response, WebError> {
        let secure = self.secure();
        let name = self.flow.flow;
        self.jar = FlowState::end(name, self.jar, secure);
        let mut fresh = FlowState::start(name);
        fresh.flash = flash;
        let inactivity = self.inactivity();
        let jar = fresh.save(self.jar, secure, inactivity)?;
        if let Some(spent) = self.spent.take() {
            self.state.spent_nonces.settle(&spent.nonce, path);
        }
        Ok((jar, Redirect::to(path)).into_response())
    }

    /// Keeps `value` in an encrypted cookie of its own, named `name`, for
    /// `seconds` at most, for the next page to show once
    /// ([`Ctx::take_once`]): what must never be in a URL nor shown twice.
    pub fn keep_once(mut self, name: &str, value: String, seconds: i64) -> Ctx {
        let secure = self.secure();
        let name = once_cookie_name(name, secure);
        self.jar = self.jar.add(
            axum_extra::extract::cookie::Cookie::build((name, value))
                .path("/")
                .http_only(true)
                .secure(secure)
                .same_site(axum_extra::extract::cookie::SameSite::Strict)
                .max_age(cookie::time::Duration::seconds(seconds))
                .build(),
        );
        self
    }

    /// What [`Ctx::keep_once`] kept under `name`, taken: the cookie goes
    /// with the page that shows it.
    pub fn take_once(&mut self, name: &str) -> Option<String> {
        let name = once_cookie_name(name, self.secure());
        let value = self.jar.get(&name).map(|c| c.value().to_owned())?;
        self.jar = self.jar.clone().remove(
            axum_extra::extract::cookie::Cookie::build(name)
                .path("/")
                .build(),
        );
        Some(value)
    }

    /// Keeps `data` for a later step of this flow (in its data cookie).
    pub fn keep<T: serde::Serialize>(mut self, data: &T) -> Result<Ctx, WebError> {
        let (secure, inactivity) = (self.secure(), self.inactivity());
        self.jar = self.flow.save_data(self.jar, data, secure, inactivity)?;
        Ok(self)
    }

    /// What an earlier step of this flow kept, spent: its cookie goes with
    /// this answer (a confirmed code's pending value, which the domain
    /// refuses again anyway).
    pub fn forget_kept(mut self) -> Ctx {
        let secure = self.secure();
        self.jar = self.flow.drop_data(self.jar, secure);
        self
    }

    /// What an earlier step of this flow kept.
    pub fn kept<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        self.flow.load_data(&self.jar, self.secure())
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
            // « Ce n'était pas moi » and the help desk are no seed system's
            // pages.
            Step::Disown | Step::Desk => None,
            // The way to the code, and the recovery data: issue 21's.
            Step::Channel => Some(PageKind::Code),
            Step::RecoveryData => None,
        };
        let layout = self.page.layout(title_id);
        let layout = match kind {
            Some(kind) => layout.with_kind(kind),
            None => layout,
        };
        match self
            .flow
            .flow
            .position_for(step, &self.state.settings.flows)
        {
            Some((n, total)) if total > 1 => layout.with_step(n, total),
            _ => layout,
        }
    }
}

/// The name of a one-time cookie ([`Ctx::keep_once`]).
fn once_cookie_name(name: &str, secure: bool) -> String {
    let prefix = if secure { "__Host-" } else { "" };
    format!("{prefix}passerelle-once-{name}")
}

fn enabled(state: &AppState, name: FlowName) -> Result<(), WebError> {
    if name.enabled(state.settings.switches()) {
        Ok(())
    } else {
        Err(WebError::NotFound)
    }
}

/// What the audit trail records of a refused submission.
fn refusal(error: &WebError) -> Refusal {
    match error {
        WebError::Expired => Refusal::Expired,
        WebError::Csrf => Refusal::Csrf,
        WebError::CrossSite => Refusal::CrossSite,
        WebError::Step => Refusal::ReplayOrSkippedStep,
        _ => Refusal::Other,
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
