//! The pages flows share, written once on top of [`Ctx`]: the answer to a
//! new-password submission ([`Ctx::password_answer`], for whatever flow
//! made it), the e-mail flows' first page and the reading of its form
//! ([`Ctx::mail_request_page`], [`Ctx::read_mail_request`]), and the
//! sign-in form ([`Ctx::read_sign_in`]). Each only reads forms and draws
//! pages: what a submission means is the domain's one call. The identity
//! step is in [`super::identity_step`].

use super::error::WebError;
use super::page::render;
use super::step::{Ctx, Visit};
use super::views::{self, PasswordPageFor, PasswordTemplate};
use askama::Template;
use axum::response::Response;
use passerelle_domain::flow::{FlowName, Step};
use passerelle_domain::flows::code::Request;
use passerelle_domain::flows::PasswordOutcome;
use passerelle_domain::ports::WifiAnswer;

impl Ctx {
    /// Where a new-password submission leads, whatever flow made it: the
    /// flow's done page once written (by this submission or its twin), the
    /// page again with its problems, or the page that says why nothing was
    /// written. `template` draws this flow's password page.
    pub fn password_answer(
        mut self,
        outcome: PasswordOutcome,
        form: &views::NewPasswordForm,
        template: impl Fn(&Ctx, PasswordPageFor<'_>) -> PasswordTemplate,
    ) -> Result<Response, WebError> {
        let page = &self.page;
        let message = match outcome {
            PasswordOutcome::Done {
                replica_lag,
                mailed,
                wifi,
            } => {
                // Kept in the flow cookie for the done page. RADIUS's own
                // answer wins over the replicas': it is what Wi-Fi says.
                let wifi_confirmed = wifi == Some(WifiAnswer::Accepted);
                self.flow.wifi_confirmed = wifi_confirmed;
                self.flow.replica_lag = match wifi {
                    Some(WifiAnswer::Accepted) => false,
                    Some(WifiAnswer::Refused | WifiAnswer::NoAnswer) => true,
                    None => replica_lag,
                };
                self.flow.no_mail = !mailed;
                return self.done(Step::NewPassword);
            }
            PasswordOutcome::DoneByTwin => return self.done(Step::NewPassword),
            PasswordOutcome::Again {
                rules,
                verdict,
                problems,
                asks_current,
            } => {
                let page_rules = passerelle_domain::flows::PasswordPage {
                    rules,
                    context: Default::default(),
                    asks_current,
                };
                let again = template(
                    &self,
                    PasswordPageFor {
                        flow: &self.flow,
                        rules: &page_rules,
                    },
                )
                .refused(&page_rules.rules, &self.page, form, &verdict, problems);
                return self.again(&again);
            }
            PasswordOutcome::Locked { until } => views::locked_page(page, until),
            PasswordOutcome::CurrentLocked => views::one_paragraph(
                page,
                "change-title",
                "account-locked",
                ("/", "error-back-home"),
            ),
            PasswordOutcome::Stopped => views::stopped_page(page),
            PasswordOutcome::ChangedMeanwhile => views::message(
                page,
                "changed-meanwhile-title",
                vec![
                    page.t("changed-meanwhile-text"),
                    page.t_with(
                        "changed-meanwhile-advice",
                        &[("contact", &page.settings.site.help_contact)],
                    ),
                ],
                Some(("/", page.t("error-back-home"))),
            ),
            PasswordOutcome::OldPasswordRequired => views::message(
                page,
                "old-password-required-title",
                vec![
                    page.t("old-password-required-text"),
                    page.t_with(
                        "old-password-required-advice",
                        &[("contact", &page.settings.site.help_contact)],
                    ),
                ],
                Some(("/", page.t("error-back-home"))),
            ),
            PasswordOutcome::NotActivatable => views::one_paragraph(
                page,
                "activate-already-title",
                "activate-already-text",
                ("/recover", "activate-already-link"),
            ),
            PasswordOutcome::CurrentWrongTooOften => views::one_paragraph(
                page,
                "change-title",
                "change-current-too-often",
                ("/change", "change-sign-in-again"),
            ),
            PasswordOutcome::TemporaryExpired => views::elsewhere(
                page,
                ("change-expired-title", "change-expired-text"),
                FlowName::Temporary,
                ("/temporary", "change-expired-link"),
                "change-expired-contact",
            ),
        };
        Ok(self.end(message))
    }
}

impl Ctx {
    /// The first step of the e-mail flows, as read from its form: the
    /// captcha, checked first (a robot that fails it learns nothing else,
    /// and nothing touches the directory), and the address or identifier
    /// typed, bounded. Every field's problem is reported at once.
    fn mail_request(
        &mut self,
        identifier: &str,
        captcha: &str,
        missing_id: &str,
    ) -> Result<String, Vec<(&'static str, String)>> {
        use passerelle_captcha as captcha;
        let typed: String = identifier.trim().chars().take(256).collect();
        let settings = self.state.settings.captcha.clone();
        let address = self.client.network;
        let client = address.to_string();
        let issuer = captcha::Issuer {
            key: &self.state.captcha_key,
            client: &client,
        };
        // No captcha shown, but this address or this identifier asked
        // within the window: the captcha comes now, and this request waits
        // for it (`captcha.mode = "after_failure"`).
        if settings.enabled()
            && self.flow.captcha.is_none()
            && self.state.recent.any(address, &typed)
        {
            captcha::web::after_failure(&mut self.flow.captcha, &settings, issuer);
            return Err(vec![("captcha", self.page.t("captcha-needed"))]);
        }
        // An empty form requested nothing: noted, it would demand on the
        // next submission a captcha the page it renders does not show.
        if !typed.is_empty() {
            self.state.recent.note(address, &typed);
        }
        let check = captcha::web::check(&mut self.flow.captcha, issuer, &settings, Some(captcha));
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
    pub fn count_captcha(&self, check: passerelle_captcha::web::CaptchaCheck) {
        use passerelle_captcha::web::CaptchaCheck;
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
        use passerelle_captcha as captcha;
        let settings = self.state.settings.captcha.clone();
        let client = self.client.network.to_string();
        let issuer = captcha::Issuer {
            key: &self.state.captcha_key,
            client: &client,
        };
        self.flow.captcha = captcha::web::start(&settings, issuer);
        if self.state.recent.from_address(self.client.network) {
            captcha::web::after_failure(&mut self.flow.captcha, &settings, issuer);
        }
    }

    /// The captcha field of a page of this flow at `path`, if it shows one.
    pub fn captcha_field(&self, path: &str) -> Option<passerelle_captcha::web::CaptchaField> {
        passerelle_captcha::web::CaptchaField::for_slot(
            self.flow.flow.as_str(),
            path,
            &self.flow.captcha,
            &self.state.captcha_key,
        )
    }
}

impl Ctx {
    /// The password page of this flow, drawn by `template` with the
    /// effective rules of the person it proved.
    pub async fn password_page(
        &self,
        template: impl Fn(&Ctx, PasswordPageFor<'_>) -> super::views::PasswordTemplate,
    ) -> Result<Response, WebError> {
        let rules =
            passerelle_domain::flows::password::page(self.gateway(), &self.journey()).await?;
        let page = template(
            self,
            PasswordPageFor {
                flow: &self.flow,
                rules: &rules,
            },
        );
        Ok(render(&page))
    }

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
        draw: impl Fn(&Ctx, PasswordPageFor<'_>) -> PasswordTemplate,
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
        let template = views::MailRequestTemplate::of(&ctx)?;
        ctx.render(&template)
    }

    /// The e-mail flows' first POST, read: the flow's context and what the
    /// domain is to be told ([`Request`]), or, when a field is to be fixed,
    /// the page drawn again with every problem (`Err`), for the flow to
    /// answer with once the domain has heard of the refusal.
    pub async fn read_mail_request(
        visit: Visit,
        name: FlowName,
        form: &views::MailRequestForm,
    ) -> Result<(Ctx, Result<String, views::MailRequestTemplate>), WebError> {
        let texts = name.spec().request.ok_or(WebError::NotFound)?;
        let mut ctx = Ctx::accept(visit, name, Step::MailRequest, form).await?;
        match ctx.mail_request(&form.identifier, &form.captcha, texts.missing) {
            Ok(typed) => Ok((ctx, Ok(typed))),
            Err(problems) => {
                let mut template = views::MailRequestTemplate::of(&ctx)?;
                template.page = views::with_problems(template.page, problems);
                template.identifier = form.identifier.trim().chars().take(256).collect();
                Ok((ctx, Err(template)))
            }
        }
    }
}

/// A read mail request as the domain hears it.
pub fn as_request(read: &Result<String, views::MailRequestTemplate>) -> Request<'_> {
    match read {
        Ok(typed) => Request::Accepted(typed),
        Err(_) => Request::Refused,
    }
}

impl Ctx {
    /// The sign-in step's POST, read: the flow's context and the login
    /// typed, or the page again (an empty field) already answered.
    pub async fn read_sign_in(
        visit: Visit,
        name: FlowName,
        form: &views::LoginForm,
        draw: impl Fn(&Ctx) -> views::LoginTemplate,
    ) -> Result<Result<(Ctx, views::LoginTemplate), Response>, WebError> {
        let ctx = Ctx::accept(visit, name, Step::SignIn, form).await?;
        let mut template = draw(&ctx).refill(form);
        if template.check_filled(&ctx.page, form) {
            return ctx.again(&template).map(Err);
        }
        Ok(Ok((ctx, template)))
    }
}
