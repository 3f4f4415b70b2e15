//! The steps flows share, written once on top of [`Ctx`]: the new
//! password ([`Ctx::password_post`], [`Ctx::choose_password`],
//! [`Ctx::finish_password`]), the e-mail flows' first page
//! ([`Ctx::mail_request_page`], [`Ctx::mail_request_step`]) and the
//! sign-in ([`Ctx::sign_in`]). The identity step is in
//! [`super::identity_step`].

use super::error::WebError;
use super::step::{Ctx, Visit};
use super::views::PasswordPageFor;
use crate::directory::Person;
use crate::flows::{FlowName, Step, Who};
use askama::Template;
use axum::response::Response;

/// How the new-password step's POST ended.
pub enum Chosen {
    /// Written (and the confirmation mail queued): the flow shows its
    /// success.
    Written,
    /// Written by a twin of this submission on another replica
    /// ([`crate::flows::new_password::Written::ByTwin`]): the flow shows
    /// its success too.
    WrittenByTwin,
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
            Written::ByTwin => Ok(Chosen::WrittenByTwin),
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
    /// when the password changed since the proof; when this very flow
    /// changed it, another replica wrote this same form, and its success is
    /// shown ([`crate::flows::new_password::since_proof`]).
    pub async fn password_post(
        visit: Visit,
        name: FlowName,
        form: &super::views::NewPasswordForm,
    ) -> Result<(Ctx, Person), WebError> {
        use crate::flows::new_password::{since_proof, SinceProof};
        let ctx = Ctx::accept(visit, name, Step::NewPassword, form).await?;
        let person = ctx.person().await?;
        let changed = ctx.flow.password_changed.as_deref();
        match since_proof(ctx.gateway(), &ctx.trail(), &person, changed) {
            SinceProof::Unchanged => Ok((ctx, person)),
            SinceProof::WrittenByTwin => Err(ctx.passed_elsewhere(Step::NewPassword)),
            SinceProof::Replayed => Err(WebError::Step),
        }
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
        let chosen = self
            .choose_password(person, form, template, problems)
            .await?;
        self.after_choosing(chosen)
    }

    /// Where the new-password step leads: the flow's done page once
    /// written, else this page again.
    pub fn after_choosing(self, chosen: Chosen) -> Result<Response, WebError> {
        match chosen {
            Chosen::Written | Chosen::WrittenByTwin => self.done(Step::NewPassword),
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
