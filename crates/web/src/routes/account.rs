//! Gérer mon compte (UPHF): sign in, then change the password or the
//! secret question ([`FlowName::Account`]'s steps), through the flow's
//! domain calls (`passerelle_domain::flows::account`). The session lives in the flow
//! cookie (signed in = the sign-in step passed; the inactivity timeout
//! applies) and never holds the password; every page asks the domain
//! whether it still holds.

use crate::error::WebError;
use crate::form::Form;
use crate::page::Layout;
use crate::recovery_views::{code_field, CodesForm, CodesTemplate, ValueForm};
use crate::step::{Ctx, Visit};
use crate::views::{
    self, LoginForm, LoginTemplate, PasswordPageFor, PasswordPost, PasswordTemplate, SecretForm,
    SecretTemplate,
};
use crate::AppState;
use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use passerelle_domain::flow::{FlowName, Link, Step};
use passerelle_domain::flows::account::{
    self, ConfirmOutcome, QuestionOutcome, RecoveryData, Session, SignInOutcome, ValueOutcome,
    ValueRequest,
};
use passerelle_domain::settings::Channel;
use passerelle_domain::steps::recovery::{NotSent, PendingValue};

const FLOW: FlowName = FlowName::Account;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/account/done", get(done_page))
        .route("/account", get(login_page).post(login_submit))
        .route("/account/menu", get(menu_page))
        .route(
            "/account/password",
            get(password_page).post(password_submit),
        )
        .route(
            "/account/question",
            get(question_page).post(question_submit),
        )
        .route("/account/logout", get(logout))
        .route("/account/recovery", get(recovery_page))
        .route(
            "/account/recovery/verify",
            get(recovery_verify_page).post(recovery_verify_submit),
        )
        .route(
            "/account/recovery/{channel}",
            get(value_page).post(value_submit),
        )
}

// ---------------------------------------------------------------- sign-in

fn login_template(ctx: &Ctx) -> LoginTemplate {
    LoginTemplate::new(
        ctx,
        ctx.page.layout("account-title"),
        ctx.page.t("account-intro"),
        "/account",
    )
}

async fn login_page(visit: Visit) -> Result<Response, WebError> {
    Ctx::first_page(visit, FLOW, login_template)
}

async fn login_submit(visit: Visit, Form(form): Form<LoginForm>) -> Result<Response, WebError> {
    let (ctx, template) = match Ctx::read_sign_in(visit, FLOW, &form, login_template).await? {
        Ok(read) => read,
        Err(page) => return Ok(page),
    };
    let login = form.login.trim();
    match account::sign_in(ctx.gateway(), &ctx.journey(), login, &form.password).await? {
        SignInOutcome::SignedIn(proof) => {
            ctx.passed(Step::SignIn, Some(proof), &Link::AccountMenu.path())
        }
        SignInOutcome::TemporaryOnly => {
            // A temporary password opens only the forced change.
            let page = views::message(
                &ctx.page,
                "account-title",
                vec![ctx.page.t("account-temporary")],
                Some(("/change", ctx.page.t("account-temporary-link"))),
            );
            Ok(ctx.end(page))
        }
        SignInOutcome::Refused => {
            let template = template.failed(&ctx.page);
            ctx.again(&template)
        }
    }
}

// ---------------------------------------------------------------- session

/// A session page: signed in, and the session still holding on the entry
/// as it is now (else the flow is over, as expired).
async fn session(visit: Visit, step: Step) -> Result<(Ctx, String), WebError> {
    let ctx = Ctx::show(visit, FLOW, step)?;
    match account::session(ctx.gateway(), &ctx.journey()).await? {
        Session::Open { login } => Ok((ctx, login)),
        Session::Ended => Err(WebError::Expired),
    }
}

#[derive(Template)]
#[template(path = "account_menu.html")]
struct MenuTemplate {
    page: Layout,
    login: String,
    /// The recovery-data page is offered (issue 21).
    recovery: bool,
}

async fn menu_page(visit: Visit) -> Result<Response, WebError> {
    let (mut ctx, login) = session(visit, Step::NewPassword).await?;
    let (mail, mobile) = account::recovery_offered(ctx.gateway());
    let menu = MenuTemplate {
        page: ctx.page.layout("account-menu-title"),
        login,
        recovery: mail || mobile,
    };
    // Any page view counts as activity for the inactivity timeout.
    ctx.flow = ctx.flow.again();
    ctx.render(&menu)
}

async fn logout(visit: Visit) -> Result<Response, WebError> {
    // Signed in or not (an expired session), the page says signed out.
    let session = crate::flow_state::FlowState::load(
        &visit.jar,
        FLOW,
        visit.state.settings.server.secure_cookies,
        crate::flow_state::Lifetime::of(&visit.state.settings, FLOW),
    );
    let mut ctx = Ctx::start(visit, FLOW)?;
    if let Ok(session) = session {
        ctx.flow = session;
        // Signed out whatever the directory says; a failure is logged.
        if let Err(error) = account::sign_out(ctx.gateway(), &ctx.journey()).await {
            tracing::warn!(%error, "forgiving the sign-in's attempt at sign-out failed");
        }
    }
    let page = views::message(
        &ctx.page,
        "account-logged-out-title",
        vec![ctx.page.t("account-logged-out")],
        Some(("/", ctx.page.t("error-back-home"))),
    );
    Ok(ctx.end(page))
}

// ---------------------------------------------------------------- password

fn password_template(ctx: &Ctx, whose: PasswordPageFor<'_>) -> PasswordTemplate {
    PasswordTemplate::new(
        &ctx.state,
        &ctx.page,
        ctx.page.layout("account-password-title"),
        "/account/password",
        whose,
    )
}

async fn password_page(visit: Visit) -> Result<Response, WebError> {
    let (ctx, _) = session(visit, Step::NewPassword).await?;
    ctx.password_page(password_template).await
}

async fn password_submit(visit: Visit, Form(form): PasswordPost) -> Result<Response, WebError> {
    let ctx = Ctx::accept(visit, FLOW, Step::NewPassword, &form).await?;
    let outcome =
        account::submit_password(ctx.gateway(), &ctx.journey(), &form.new_password()).await?;
    ctx.password_answer(outcome, &form, password_template)
}

// ---------------------------------------------------------------- question

fn question_template(ctx: &Ctx) -> SecretTemplate {
    let mut template = SecretTemplate::new(
        ctx,
        ctx.page.layout("account-question-title"),
        "/account/question",
    );
    // A changed recovery factor needs a fresh proof (issue 21).
    template.ask_current = true;
    template
}

async fn question_page(visit: Visit) -> Result<Response, WebError> {
    let (ctx, _) = session(visit, Step::ChooseSecret).await?;
    let template = question_template(&ctx);
    ctx.render(&template)
}

async fn question_submit(visit: Visit, Form(form): Form<SecretForm>) -> Result<Response, WebError> {
    let ctx = Ctx::accept(visit, FLOW, Step::ChooseSecret, &form).await?;
    match account::choose_secret(
        ctx.gateway(),
        &ctx.journey(),
        &form.choice(),
        form.current.as_ref(),
    )
    .await?
    {
        QuestionOutcome::Changed => {
            let done = views::one_paragraph(
                &ctx.page,
                "account-question-done-title",
                "account-question-done",
                ("/account/menu", "account-back"),
            );
            ctx.tell(done)
        }
        QuestionOutcome::Again(problems) => {
            let template = question_template(&ctx).refill(&form, problems);
            ctx.again(&template)
        }
        QuestionOutcome::Ended => Err(WebError::Expired),
        QuestionOutcome::CurrentWrongTooOften => Ok(too_often(ctx)),
    }
}

/// The current password was wrong too often since the sign-in: the
/// session ends.
fn too_often(ctx: Ctx) -> Response {
    let message = views::one_paragraph(
        &ctx.page,
        "account-title",
        "change-current-too-often",
        ("/account", "account-sign-in-again"),
    );
    ctx.end(message)
}

// ---------------------------------------------------------------- recovery data

#[derive(Template)]
#[template(path = "account_recovery.html")]
struct RecoveryTemplate {
    page: Layout,
    notice: Option<String>,
    mail_offered: bool,
    mail: Option<String>,
    mobile_offered: bool,
    mobile: Option<String>,
    unusable: Option<String>,
}

/// A recovery-data page: the session open, and the data as it is now.
async fn recovery_session(visit: Visit) -> Result<(Ctx, RecoveryData), WebError> {
    let ctx = Ctx::show(visit, FLOW, Step::RecoveryData)?;
    match account::recovery_data(ctx.gateway(), &ctx.journey()).await? {
        Some(data) if data.offered() => Ok((ctx, data)),
        Some(_) => Err(WebError::NotFound),
        None => Err(WebError::Expired),
    }
}

async fn recovery_page(visit: Visit) -> Result<Response, WebError> {
    let (mut ctx, data) = recovery_session(visit).await?;
    let page = &ctx.page;
    let template = RecoveryTemplate {
        page: page.layout("recovery-title"),
        notice: page.flash.notice.clone(),
        mail_offered: data.mail_offered,
        mail: data.mail,
        mobile_offered: data.mobile_offered,
        mobile: data.mobile,
        unusable: data.unusable_mobile.map(|code| {
            page.t_with(
                "sms-channel-unusable",
                &[("reason", &page.t(&format!("sms-number-{code}")))],
            )
        }),
    };
    ctx.flow = ctx.flow.again();
    ctx.render(&template)
}

#[derive(Template)]
#[template(path = "recovery_value.html")]
struct ValueTemplate {
    page: Layout,
    action: String,
    csrf: String,
    nonce: String,
    intro: String,
    current_value: Option<String>,
    field: &'static str,
    label: String,
    hint: String,
    input_type: &'static str,
    autocomplete: &'static str,
    value: String,
    removable: bool,
}

crate::redraw!(ValueTemplate, values: [value]);

fn channel_of(name: &str) -> Result<Channel, WebError> {
    match Channel::parse(name) {
        Some(channel) if channel.as_str() == name => Ok(channel),
        _ => Err(WebError::NotFound),
    }
}

fn value_template(ctx: &Ctx, data: &RecoveryData, channel: Channel) -> ValueTemplate {
    let page = &ctx.page;
    let (title, current, held) = match channel {
        Channel::Mail => (
            "recovery-mail-title",
            data.mail.clone(),
            data.mail.is_some(),
        ),
        Channel::Mobile => (
            "recovery-mobile-title",
            data.mobile.clone(),
            data.mobile.is_some(),
        ),
    };
    let field = channel.as_str();
    ValueTemplate {
        page: page.layout(title),
        action: format!("/account/recovery/{field}"),
        csrf: ctx.flow.csrf.clone(),
        nonce: ctx.flow.nonce.clone(),
        intro: page.t(match channel {
            Channel::Mail => "recovery-mail-intro",
            Channel::Mobile => "recovery-mobile-intro",
        }),
        current_value: current
            .map(|value| page.t_with("recovery-current-value", &[("value", &value)])),
        field,
        label: page.t(match channel {
            Channel::Mail => "recovery-new-mail",
            Channel::Mobile => "recovery-new-mobile",
        }),
        hint: page.t(match channel {
            Channel::Mail => "recovery-mail-hint",
            Channel::Mobile => "recovery-mobile-hint",
        }),
        input_type: match channel {
            Channel::Mail => "email",
            Channel::Mobile => "tel",
        },
        autocomplete: match channel {
            Channel::Mail => "email",
            Channel::Mobile => "tel",
        },
        value: page.typed("value"),
        removable: held,
    }
}

async fn value_page(visit: Visit, Path(channel): Path<String>) -> Result<Response, WebError> {
    let channel = channel_of(&channel)?;
    let (ctx, data) = recovery_session(visit).await?;
    if !data.offers(channel) {
        return Err(WebError::NotFound);
    }
    let template = value_template(&ctx, &data, channel);
    ctx.render(&template)
}

async fn value_submit(
    visit: Visit,
    Path(channel): Path<String>,
    Form(form): Form<ValueForm>,
) -> Result<Response, WebError> {
    let channel = channel_of(&channel)?;
    let ctx = Ctx::accept(visit, FLOW, Step::RecoveryData, &form).await?;
    let request = if form.action == "remove" {
        ValueRequest::Remove
    } else {
        ValueRequest::Set(&form.value)
    };
    let outcome = account::request_value(
        ctx.gateway(),
        &ctx.journey(),
        channel,
        request,
        form.current.as_ref(),
    )
    .await?;
    match outcome {
        ValueOutcome::CodeSent(pending) => {
            ctx.keep(&pending)?
                .passed(Step::SignIn, None, "/account/recovery/verify")
        }
        ValueOutcome::Removed => {
            let done = views::one_paragraph(
                &ctx.page,
                "recovery-removed-title",
                match channel {
                    Channel::Mail => "recovery-mail-removed",
                    Channel::Mobile => "recovery-mobile-removed",
                },
                ("/account/recovery", "recovery-back"),
            );
            ctx.tell(done)
        }
        ValueOutcome::Again(problems) => {
            let mut template = redraw_value(&ctx, channel, &form).await?;
            template.page = views::with_problems(template.page, problems);
            ctx.again(&template)
        }
        ValueOutcome::NotSent(not_sent) => {
            let mut template = redraw_value(&ctx, channel, &form).await?;
            template.page = template
                .page
                .with_error(Some(channel.as_str()), not_sent_text(&ctx.page, not_sent));
            ctx.again(&template)
        }
        ValueOutcome::Stopped => Ok(stopped(ctx)),
        ValueOutcome::CurrentWrongTooOften => Ok(too_often(ctx)),
        ValueOutcome::Ended => Err(WebError::Expired),
    }
}

/// The value page again after its POST, with what was typed.
async fn redraw_value(
    ctx: &Ctx,
    channel: Channel,
    form: &ValueForm,
) -> Result<ValueTemplate, WebError> {
    let data = account::recovery_data(ctx.gateway(), &ctx.journey())
        .await?
        .ok_or(WebError::Expired)?;
    let mut template = value_template(ctx, &data, channel);
    template.value = form.value.trim().chars().take(256).collect();
    Ok(template)
}

/// Why no code went to the new value, for the person who asked.
fn not_sent_text(page: &crate::page::Page, not_sent: NotSent) -> String {
    use passerelle_domain::steps::texting::NotTexted;
    match not_sent {
        NotSent::Texting(NotTexted::TooSoon { next_at })
        | NotSent::Texting(NotTexted::DailyCap { next_at })
        | NotSent::Texting(NotTexted::NumberCap { next_at }) => page.t_with(
            "recovery-not-sent-later",
            &[(
                "until",
                &page
                    .settings
                    .site
                    .local_time(&next_at)
                    .format("%H:%M")
                    .to_string(),
            )],
        ),
        NotSent::Texting(NotTexted::Ceiling) => page.t("sms-limit-ceiling"),
        NotSent::Texting(NotTexted::AddressLimit) => page.t("sms-limit-address"),
        NotSent::MailCooldown => page.t("recovery-not-sent-cooldown"),
        NotSent::Texting(_) | NotSent::Stopped | NotSent::Failed => page.t_with(
            "sms-failed",
            &[("contact", &page.settings.site.help_contact)],
        ),
    }
}

fn stopped(ctx: Ctx) -> Response {
    let message = views::stopped_page(&ctx.page);
    ctx.end(message)
}

fn codes_template(ctx: &Ctx, pending: &PendingValue) -> CodesTemplate {
    CodesTemplate::new(
        ctx,
        ctx.page.layout("recovery-verify-title"),
        "/account/recovery/verify",
        std::slice::from_ref(pending),
    )
}

async fn recovery_verify_page(visit: Visit) -> Result<Response, WebError> {
    let (ctx, _) = recovery_session(visit).await?;
    let pending: PendingValue = ctx.kept().ok_or(WebError::Step)?;
    let template = codes_template(&ctx, &pending);
    ctx.render(&template)
}

async fn recovery_verify_submit(
    visit: Visit,
    Form(form): Form<CodesForm>,
) -> Result<Response, WebError> {
    let ctx = Ctx::accept(visit, FLOW, Step::RecoveryData, &form).await?;
    let pending: PendingValue = ctx.kept().ok_or(WebError::Step)?;
    let code = form.code(pending.channel);
    match account::confirm_value(ctx.gateway(), &ctx.journey(), &pending, code.as_ref()).await? {
        ConfirmOutcome::Changed => {
            let done = views::one_paragraph(
                &ctx.page,
                "recovery-changed-title",
                match pending.channel {
                    Channel::Mail => "recovery-mail-changed",
                    Channel::Mobile => "recovery-mobile-changed",
                },
                ("/account/recovery", "recovery-back"),
            );
            // The code is spent: the pending value goes with it.
            ctx.forget_kept().tell(done)
        }
        ConfirmOutcome::Wrong => {
            let mut template = codes_template(&ctx, &pending);
            template.page = template.page.with_error(
                Some(code_field(pending.channel)),
                ctx.page.t(if code.is_some() {
                    "recovery-code-wrong"
                } else {
                    "code-malformed"
                }),
            );
            ctx.again(&template)
        }
        ConfirmOutcome::Restart => {
            let again = views::one_paragraph(
                &ctx.page,
                "recovery-verify-title",
                "recovery-restart",
                ("/account/recovery", "recovery-back"),
            );
            ctx.tell(again)
        }
        ConfirmOutcome::Stopped => Ok(stopped(ctx)),
        ConfirmOutcome::Ended => Err(WebError::Expired),
    }
}

async fn done_page(visit: Visit) -> Result<Response, WebError> {
    Ctx::done_page(visit, FLOW, |ctx| views::success_page(ctx, "success-title")).await
}
