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
    pub fn start(
        state: AppState,
        page: Page,
        jar: PrivateCookieJar,
        name: FlowName,
    ) -> Result<Ctx, WebError> {
        enabled(&state, name)?;
        Ok(Ctx {
            flow: FlowState::start(name),
            state,
            page,
            jar,
            client: None,
        })
    }

    /// The page of `step` (a GET): the flow must have passed the step
    /// before it.
    pub fn show(
        state: AppState,
        page: Page,
        jar: PrivateCookieJar,
        name: FlowName,
        step: Step,
    ) -> Result<Ctx, WebError> {
        let ctx = Ctx::load(state, page, jar, name)?;
        ctx.flow.require_step(step)?;
        Ok(ctx)
    }

    /// Any page of a flow that is under way, whatever step it is at.
    pub fn load(
        state: AppState,
        page: Page,
        jar: PrivateCookieJar,
        name: FlowName,
    ) -> Result<Ctx, WebError> {
        enabled(&state, name)?;
        let server = &state.settings.server;
        let flow = FlowState::load(&jar, name, server.secure_cookies, server.inactivity_seconds)?;
        Ok(Ctx {
            flow,
            state,
            page,
            jar,
            client: None,
        })
    }

    /// The POST of `step`: the flow cookie, its CSRF token, the step's
    /// one-time nonce (spent now) and the step order, each refusal audited
    /// under `step`'s name. The flow comes back with a fresh nonce.
    #[allow(clippy::too_many_arguments)]
    pub fn accept(
        state: AppState,
        page: Page,
        client: ClientInfo,
        jar: PrivateCookieJar,
        name: FlowName,
        step: Step,
        csrf: &str,
        nonce: &str,
    ) -> Result<Ctx, WebError> {
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
