//! The help desk (`/helpdesk`, [`FlowName::Helpdesk`]): the agent's sign-in,
//! the desk (search and results), a person's card (their state, the
//! caller's verification, the actions), the list of frozen or locked
//! accounts, and signing out. Every form is a POST through
//! [`Ctx::accept`] (CSRF, one-time nonce) answered with a redirect
//! (Post/Redirect/Get), and makes one call of
//! `passerelle_domain::flows::helpdesk`, which decides everything; this
//! module reads forms, keeps the agent's session in the flow's encrypted
//! data cookie, and draws pages.

use crate::error::WebError;
use crate::flow_state::Flash;
use crate::form::Form;
use crate::page::{Layout, Page};
use crate::step::{Ctx, Visit};
use crate::views;
use crate::AppState;
use askama::Template;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use chrono::{DateTime, Utc};
use passerelle_domain::flow::{FlowName, Step};
use passerelle_domain::flows::helpdesk::{
    self, ActOutcome, AgentSession, AtDesk, CardPage, CardView, Done, Found, NotDone, NotVerified,
    Opening, PhoneCode, Reason, SearchText, SignInOutcome, Verification, VerifyOutcome,
};
use passerelle_domain::flows::IdentityInput;
use passerelle_domain::helpdesk::card::{Closed, TemporaryView};
use passerelle_domain::helpdesk::{PpolicyLockView, QuestionView, Refusal};
use passerelle_domain::identity::{BirthDate, Identifier};
use passerelle_domain::reset_code::ResetCode;
use passerelle_domain::settings::{DeskAction, VerificationMethod};
use passerelle_domain::Proof;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

const FLOW: FlowName = FlowName::Helpdesk;
const SIGN_IN: &str = "/helpdesk";
const DESK: &str = "/helpdesk/desk";
const CARD: &str = "/helpdesk/card";
/// The one-time cookie of a temporary password shown on the card.
const SHOWN: &str = "helpdesk-shown";
/// How long a temporary password waits for the card to show it.
const SHOWN_SECONDS: i64 = 120;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(SIGN_IN, get(sign_in_page).post(sign_in_submit))
        .route(DESK, get(desk_page))
        .route("/helpdesk/search", post(search_submit))
        .route("/helpdesk/open", post(open_submit))
        .route(CARD, get(card_page))
        .route("/helpdesk/verify", post(verify_submit))
        .route("/helpdesk/phone-code", post(phone_code_submit))
        .route("/helpdesk/act", post(act_submit))
        .route("/helpdesk/list", get(list_page))
        .route("/helpdesk/logout", get(logout_page).post(logout))
}

/// What the flow's data cookie holds: the agent's session, and the last
/// search (shown again by the desk's page).
#[derive(Serialize, Deserialize)]
struct DeskCookie {
    session: AgentSession,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    query: Option<String>,
}

/// The session of a page or form after the sign-in.
fn kept(ctx: &Ctx) -> Result<DeskCookie, WebError> {
    ctx.kept::<DeskCookie>().ok_or(WebError::Expired)
}

/// The session is over: the flow ends, and the sign-in page says why.
fn ended(ctx: Ctx) -> Result<Response, WebError> {
    let notice = ctx.page.t("helpdesk-session-ended");
    ctx.end_at(SIGN_IN, Some(Flash::new([], [], Some(notice))))
}

fn notice(text: String) -> Option<Flash> {
    Some(Flash::new([], [], Some(text)))
}

fn problem(field: Option<&str>, text: String) -> Option<Flash> {
    Some(Flash::new([(field.map(str::to_owned), text)], [], None))
}

/// "12/03/2026 14:05", as the site reads it.
fn when(page: &Page, at: &DateTime<Utc>) -> String {
    page.settings
        .site
        .local_time(at)
        .format(match page.lang {
            passerelle_text::Lang::Fr => "%d/%m/%Y %H:%M",
            _ => "%Y-%m-%d %H:%M",
        })
        .to_string()
}

// ---------------------------------------------------------------- sign-in

#[derive(Template)]
#[template(path = "helpdesk_login.html")]
struct SignInTemplate {
    page: Layout,
    notice: Option<String>,
    csrf: String,
    nonce: String,
    login: String,
}

crate::redraw!(SignInTemplate, values: [login], notice: notice);

fn sign_in_template(ctx: &Ctx) -> SignInTemplate {
    SignInTemplate {
        page: ctx.page.layout("helpdesk-title"),
        notice: ctx.page.flash.notice.clone(),
        csrf: ctx.flow.csrf.clone(),
        nonce: ctx.flow.nonce.clone(),
        login: ctx.page.typed("login"),
    }
}

async fn sign_in_page(visit: Visit) -> Result<Response, WebError> {
    // A session already open goes to the desk.
    if let Ok(ctx) = Ctx::load(visit_clone(&visit), FLOW) {
        if ctx.flow.passed == Some(Step::SignIn) && kept(&ctx).is_ok() {
            return Ok(Redirect::to(DESK).into_response());
        }
    }
    Ctx::first_page(visit, FLOW, sign_in_template)
}

/// The same request's parts, for a second look at its cookies.
fn visit_clone(visit: &Visit) -> Visit {
    Visit {
        state: visit.state.clone(),
        page: visit.page.clone(),
        client: visit.client.clone(),
        jar: visit.jar.clone(),
        provenance: visit.provenance.clone(),
    }
}

#[derive(Deserialize)]
struct SignInForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    nonce: String,
    login: String,
    password: SecretString,
}

crate::step_form!(SignInForm);

async fn sign_in_submit(visit: Visit, Form(form): Form<SignInForm>) -> Result<Response, WebError> {
    let ctx = Ctx::accept(visit, FLOW, Step::SignIn, &form).await?;
    let mut template = sign_in_template(&ctx);
    template.login = form.login.chars().take(256).collect();
    let login = form.login.trim();
    if login.is_empty() || form.password.expose_secret().is_empty() {
        template.page = template
            .page
            .with_error(Some("login"), ctx.page.t("helpdesk-sign-in-missing"));
        return ctx.again(&template);
    }
    let outcome = helpdesk::sign_in(ctx.gateway(), &ctx.journey(), login, &form.password).await?;
    let error = match outcome {
        SignInOutcome::SignedIn(session) => {
            let proof = Proof {
                dn: session.dn.clone(),
                marker: session.marker.clone(),
                by_temporary: false,
                // The agent's own password is never written here.
                attempt: None,
                current_seal: None,
                proved_at: None,
                seen: None,
            };
            let ctx = ctx.keep(&DeskCookie {
                session: *session,
                query: None,
            })?;
            return ctx.passed(Step::SignIn, Some(proof), DESK);
        }
        SignInOutcome::Refused => "account-login-failed",
        SignInOutcome::NotAnAgent => "helpdesk-not-an-agent",
        SignInOutcome::MustChangePassword => "helpdesk-must-change",
    };
    template.page = template.page.with_error(Some("login"), ctx.page.t(error));
    ctx.again(&template)
}

#[derive(Template)]
#[template(path = "helpdesk_logout.html")]
struct LogoutTemplate {
    page: Layout,
    csrf: String,
    nonce: String,
}

/// Signing out is the pages' button (a POST with the CSRF token): a GET
/// (a link followed, a prefetch, another site's image) ends nothing and
/// shows the button.
async fn logout_page(visit: Visit) -> Result<Response, WebError> {
    let Ok(mut ctx) = Ctx::show(visit_clone(&visit), FLOW, Step::Desk) else {
        return Ok(Redirect::to(SIGN_IN).into_response());
    };
    if kept(&ctx).is_err() {
        return Ok(Redirect::to(SIGN_IN).into_response());
    }
    ctx.flow = ctx.flow.again();
    let template = LogoutTemplate {
        page: ctx.page.layout("helpdesk-sign-out"),
        csrf: ctx.flow.csrf.clone(),
        nonce: ctx.flow.nonce.clone(),
    };
    ctx.render(&template)
}

#[derive(Deserialize)]
struct LogoutForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    nonce: String,
}

crate::step_form!(LogoutForm);

async fn logout(visit: Visit, Form(form): Form<LogoutForm>) -> Result<Response, WebError> {
    let ctx = Ctx::accept(visit, FLOW, Step::Desk, &form).await?;
    if let Ok(desk) = kept(&ctx) {
        helpdesk::sign_out(ctx.gateway(), &ctx.journey(), &desk.session);
    }
    let page = views::message(
        &ctx.page,
        "helpdesk-logged-out-title",
        vec![ctx.page.t("helpdesk-logged-out")],
        Some((SIGN_IN, ctx.page.t("helpdesk-sign-in-again"))),
    );
    let mut ctx = ctx;
    ctx.flow.flash = None;
    Ok(ctx.end(page))
}

// ---------------------------------------------------------------- desk

/// One person of a search's results.
struct ResultRow {
    dn: String,
    login: String,
    name: String,
    affiliation: String,
}

#[derive(Template)]
#[template(path = "helpdesk_desk.html")]
struct DeskTemplate {
    page: Layout,
    agent: String,
    profile: String,
    notice: Option<String>,
    csrf: String,
    nonce: String,
    query: String,
    searched: bool,
    results: Vec<ResultRow>,
    more: bool,
    may_list: bool,
    open_card: bool,
}

fn rows(found: Found) -> (Vec<ResultRow>, bool) {
    let rows = found
        .people
        .into_iter()
        .map(|p| ResultRow {
            affiliation: p
                .affiliations
                .iter()
                .map(|(_, v)| v.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            dn: p.dn,
            login: p.login,
            name: p.display_name,
        })
        .collect();
    (rows, found.more)
}

async fn desk_page(visit: Visit) -> Result<Response, WebError> {
    let mut ctx = Ctx::show(visit, FLOW, Step::Desk)?;
    // Any page counts as activity for the idle timeout; its forms carry
    // the fresh nonce.
    ctx.flow = ctx.flow.again();
    let desk = kept(&ctx)?;
    let journey = ctx.journey();
    let view = match helpdesk::desk(ctx.gateway(), &journey, &desk.session).await? {
        AtDesk::Open(view) => view,
        AtDesk::Ended => return ended(ctx),
    };
    let query = desk.query.as_deref().and_then(SearchText::parse);
    let (results, more) = match &query {
        Some(text) => {
            match helpdesk::search_again(ctx.gateway(), &journey, &desk.session, text).await? {
                AtDesk::Open(found) => rows(found),
                AtDesk::Ended => return ended(ctx),
            }
        }
        None => (Vec::new(), false),
    };
    let template = DeskTemplate {
        page: ctx.page.layout("helpdesk-desk-title"),
        agent: view.agent_name,
        profile: view.profile,
        notice: ctx.page.flash.notice.clone(),
        csrf: ctx.flow.csrf.clone(),
        nonce: ctx.flow.nonce.clone(),
        query: desk.query.clone().unwrap_or_default(),
        searched: query.is_some(),
        results,
        more,
        may_list: view.may_list,
        open_card: view.open_card.is_some(),
    };
    ctx.render(&template)
}

#[derive(Deserialize)]
struct SearchForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    nonce: String,
    query: String,
}

crate::step_form!(SearchForm);

async fn search_submit(visit: Visit, Form(form): Form<SearchForm>) -> Result<Response, WebError> {
    let ctx = Ctx::accept(visit, FLOW, Step::Desk, &form).await?;
    let mut desk = kept(&ctx)?;
    let Some(text) = SearchText::parse(&form.query) else {
        // The page shows no results of an earlier search under this error.
        desk.query = None;
        let message = ctx.page.t("helpdesk-search-invalid");
        return ctx.keep(&desk)?.go(DESK, problem(Some("query"), message));
    };
    match helpdesk::search(ctx.gateway(), &ctx.journey(), &desk.session, &text).await? {
        AtDesk::Ended => ended(ctx),
        AtDesk::Open(_) => {
            desk.query = Some(text.as_str().to_owned());
            ctx.keep(&desk)?.go(DESK, None)
        }
    }
}

#[derive(Deserialize)]
struct OpenForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    nonce: String,
    dn: String,
}

crate::step_form!(OpenForm);

fn refusal_text(page: &Page, refusal: Refusal) -> String {
    page.t(match refusal {
        Refusal::OutOfScope => "helpdesk-refused-out-of-scope",
        Refusal::Oneself => "helpdesk-refused-oneself",
        Refusal::Agent => "helpdesk-refused-agent",
    })
}

async fn open_submit(visit: Visit, Form(form): Form<OpenForm>) -> Result<Response, WebError> {
    let ctx = Ctx::accept(visit, FLOW, Step::Desk, &form).await?;
    let mut desk = kept(&ctx)?;
    match helpdesk::open_card(ctx.gateway(), &ctx.journey(), &desk.session, &form.dn).await? {
        AtDesk::Ended => ended(ctx),
        AtDesk::Open(Opening::Opened(session)) => {
            desk.session = *session;
            ctx.keep(&desk)?.go(CARD, None)
        }
        AtDesk::Open(Opening::Refused(refusal)) => {
            let message = refusal_text(&ctx.page, refusal);
            ctx.go(DESK, problem(None, message))
        }
    }
}

// ---------------------------------------------------------------- list

struct ListRow {
    dn: String,
    login: String,
    name: String,
    state: Vec<String>,
}

#[derive(Template)]
#[template(path = "helpdesk_list.html")]
struct ListTemplate {
    page: Layout,
    csrf: String,
    nonce: String,
    rows: Vec<ListRow>,
}

async fn list_page(visit: Visit) -> Result<Response, WebError> {
    let mut ctx = Ctx::show(visit, FLOW, Step::Desk)?;
    ctx.flow = ctx.flow.again();
    let desk = kept(&ctx)?;
    let listed = match helpdesk::stopped(ctx.gateway(), &ctx.journey(), &desk.session).await? {
        AtDesk::Ended => return ended(ctx),
        AtDesk::Open(Err(_)) => return Err(WebError::NotFound),
        AtDesk::Open(Ok(listed)) => listed,
    };
    let rows = listed
        .into_iter()
        .map(|(person, card)| ListRow {
            state: state_rows(&ctx.page, &card)
                .into_iter()
                .filter(|row| row.alert)
                .map(|row| format!("{} : {}", row.label, row.value))
                .collect(),
            dn: person.dn,
            login: person.login,
            name: person.display_name,
        })
        .collect();
    let template = ListTemplate {
        page: ctx.page.layout("helpdesk-list-title"),
        csrf: ctx.flow.csrf.clone(),
        nonce: ctx.flow.nonce.clone(),
        rows,
    };
    ctx.render(&template)
}

// ---------------------------------------------------------------- card

/// One line of the card: what, its value, and whether it explains why the
/// person cannot log in or use self-service.
struct Row {
    label: String,
    value: String,
    alert: bool,
}

fn row(label: String, value: String, alert: bool) -> Row {
    Row {
        label,
        value,
        alert,
    }
}

/// The state lines of `card`, each translated, the reasons first.
fn state_rows(page: &Page, card: &passerelle_domain::helpdesk::Card) -> Vec<Row> {
    let t = |id: &str| page.t(id);
    let at = |at: &DateTime<Utc>| when(page, at);
    let mut rows = Vec::new();
    match &card.ppolicy_lock {
        PpolicyLockView::None => {}
        PpolicyLockView::Until { until, .. } => rows.push(row(
            t("helpdesk-state-ppolicy"),
            page.t_with("helpdesk-state-ppolicy-until", &[("until", &at(until))]),
            true,
        )),
        PpolicyLockView::RanOut { since } => rows.push(row(
            t("helpdesk-state-ppolicy"),
            page.t_with("helpdesk-state-ppolicy-ran-out", &[("since", &at(since))]),
            false,
        )),
        PpolicyLockView::ItLock => rows.push(row(
            t("helpdesk-state-ppolicy"),
            t("helpdesk-state-it-lock"),
            true,
        )),
        PpolicyLockView::UntilAdministrator { since } => rows.push(row(
            t("helpdesk-state-ppolicy"),
            page.t_with("helpdesk-state-until-admin", &[("since", &at(since))]),
            true,
        )),
    }
    if let Some(until) = &card.self_service_locked {
        rows.push(row(
            t("helpdesk-state-self-service"),
            page.t_with(
                "helpdesk-state-self-service-until",
                &[("until", &at(until))],
            ),
            true,
        ));
    } else if card.failures.0 > 0 {
        rows.push(row(
            t("helpdesk-state-self-service"),
            page.t_with(
                "helpdesk-state-failures",
                &[
                    ("count", &card.failures.0.to_string()),
                    ("max", &card.failures.1.to_string()),
                ],
            ),
            false,
        ));
    }
    if let Some(frozen) = &card.frozen {
        let since = frozen
            .since
            .as_ref()
            .map(at)
            .unwrap_or_else(|| t("helpdesk-unknown"));
        let mut value = page.t_with("helpdesk-state-frozen-since", &[("since", &since)]);
        if let Some(reason) = &frozen.reason {
            value.push_str(" — ");
            value.push_str(reason);
        }
        rows.push(row(t("helpdesk-state-frozen"), value, true));
    }
    match &card.closed {
        Some(Closed::Ended { at: Some(end) }) => rows.push(row(
            t("helpdesk-state-closed"),
            page.t_with("helpdesk-state-ended", &[("at", &at(end))]),
            true,
        )),
        Some(Closed::Ended { at: None }) => rows.push(row(
            t("helpdesk-state-closed"),
            t("helpdesk-state-expired-shadow"),
            true,
        )),
        Some(Closed::NotYet { from }) => rows.push(row(
            t("helpdesk-state-closed"),
            page.t_with("helpdesk-state-not-yet", &[("from", &at(from))]),
            true,
        )),
        None => {}
    }
    if card.never_activated {
        rows.push(row(
            t("helpdesk-state-activation"),
            t("helpdesk-state-never-activated"),
            true,
        ));
    }
    match (&card.password_changed, &card.password_expires) {
        (_, Some(expires)) if card.password_expired => rows.push(row(
            t("helpdesk-state-password"),
            page.t_with("helpdesk-state-password-expired", &[("at", &at(expires))]),
            true,
        )),
        (Some(changed), Some(expires)) => rows.push(row(
            t("helpdesk-state-password"),
            page.t_with(
                "helpdesk-state-password-changed-expires",
                &[("changed", &at(changed)), ("expires", &at(expires))],
            ),
            false,
        )),
        (Some(changed), None) => rows.push(row(
            t("helpdesk-state-password"),
            page.t_with(
                "helpdesk-state-password-changed",
                &[("changed", &at(changed))],
            ),
            false,
        )),
        (None, _) => rows.push(row(
            t("helpdesk-state-password"),
            t("helpdesk-state-password-never"),
            false,
        )),
    }
    if card.must_change {
        rows.push(row(
            t("helpdesk-state-must-change"),
            t("helpdesk-state-must-change-yes"),
            true,
        ));
    }
    match &card.temporary {
        Some(TemporaryView::Written { until }) => rows.push(row(
            t("helpdesk-state-temporary"),
            page.t_with("helpdesk-state-temporary-written", &[("until", &at(until))]),
            false,
        )),
        Some(TemporaryView::Held { until }) => rows.push(row(
            t("helpdesk-state-temporary"),
            page.t_with("helpdesk-state-temporary-held", &[("until", &at(until))]),
            false,
        )),
        None => {}
    }
    if let Some(until) = &card.code_until {
        rows.push(row(
            t("helpdesk-state-code"),
            page.t_with("helpdesk-state-code-until", &[("until", &at(until))]),
            false,
        ));
    }
    rows.push(row(
        t("helpdesk-state-channels"),
        if card.channels.is_empty() {
            t("helpdesk-state-no-channel")
        } else {
            card.channels.join(", ")
        },
        card.channels.is_empty(),
    ));
    rows.push(row(
        t("helpdesk-state-question"),
        match &card.question {
            QuestionView::None => t("helpdesk-state-question-none"),
            QuestionView::Set => t("helpdesk-state-question-set"),
            QuestionView::Shown(question) => {
                page.t_with("helpdesk-state-question-shown", &[("question", question)])
            }
        },
        false,
    ));
    // What stops the person first.
    rows.sort_by_key(|row| !row.alert);
    rows
}

/// An action the card offers: its form value and its button.
struct ActionButton {
    value: &'static str,
    label: String,
}

#[derive(Template)]
#[template(path = "helpdesk_card.html")]
struct CardTemplate {
    page: Layout,
    notice: Option<String>,
    csrf: String,
    nonce: String,
    login: String,
    identity: Vec<Row>,
    state: Vec<Row>,
    blocked: bool,
    verified: Option<String>,
    in_person: bool,
    phone_code: bool,
    identity_check: bool,
    channel: Option<String>,
    actions: Vec<ActionButton>,
    shown: Option<String>,
}

crate::redraw!(CardTemplate, notice: notice);

fn method_text(page: &Page, method: VerificationMethod) -> String {
    page.t(&format!(
        "helpdesk-method-{}",
        method.as_str().replace('_', "-")
    ))
}

fn card_template(ctx: &Ctx, view: &CardView, shown: Option<String>) -> CardTemplate {
    let page = &ctx.page;
    let card = &view.card;
    let mut identity = vec![
        row(page.t("helpdesk-card-login"), card.login.clone(), false),
        row(page.t("helpdesk-card-dn"), card.dn.clone(), false),
    ];
    // One line per attribute, its values together.
    for (name, value) in card.identifiers.iter().chain(card.affiliations.iter()) {
        match identity.last_mut() {
            Some(last) if last.label == *name => {
                last.value.push_str(", ");
                last.value.push_str(value);
            }
            _ => identity.push(row(name.clone(), value.clone(), false)),
        }
    }
    let state = state_rows(page, card);
    let blocked = state.iter().any(|r| r.alert);
    let actions = view
        .actions
        .iter()
        .map(|action| ActionButton {
            value: action.as_str(),
            label: page.t(&format!(
                "helpdesk-action-{}",
                action.as_str().replace('_', "-")
            )),
        })
        .collect();
    CardTemplate {
        page: page
            .layout_titled(page.t_with("helpdesk-card-title", &[("name", &card.display_name)])),
        notice: page.flash.notice.clone(),
        csrf: ctx.flow.csrf.clone(),
        nonce: ctx.flow.nonce.clone(),
        login: card.login.clone(),
        identity,
        state,
        blocked,
        verified: view.verified.map(|m| method_text(page, m)),
        in_person: view.methods.contains(&VerificationMethod::InPerson),
        phone_code: view.methods.contains(&VerificationMethod::PhoneCode)
            && !card.channels.is_empty(),
        identity_check: view.methods.contains(&VerificationMethod::Identity),
        channel: card.channels.first().cloned(),
        actions,
        shown,
    }
}

async fn card_page(visit: Visit) -> Result<Response, WebError> {
    let mut ctx = Ctx::show(visit, FLOW, Step::Desk)?;
    ctx.flow = ctx.flow.again();
    let desk = kept(&ctx)?;
    let shown = ctx.take_once(SHOWN);
    match helpdesk::card(ctx.gateway(), &ctx.journey(), &desk.session).await? {
        AtDesk::Ended => ended(ctx),
        AtDesk::Open(CardPage::NoneOpen) => ctx.go(DESK, None),
        AtDesk::Open(CardPage::Refused(refusal)) => {
            let message = refusal_text(&ctx.page, refusal);
            ctx.go(DESK, problem(None, message))
        }
        AtDesk::Open(CardPage::Shown(view)) => {
            let template = card_template(&ctx, &view, shown);
            ctx.render(&template)
        }
    }
}

#[derive(Deserialize)]
struct VerifyForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    nonce: String,
    method: String,
    #[serde(default)]
    document: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    identifier: String,
    #[serde(default)]
    birth_date: String,
}

crate::step_form!(VerifyForm);

async fn verify_submit(visit: Visit, Form(form): Form<VerifyForm>) -> Result<Response, WebError> {
    let ctx = Ctx::accept(visit, FLOW, Step::Desk, &form).await?;
    let mut desk = kept(&ctx)?;
    let verification = match VerificationMethod::parse(&form.method) {
        Some(VerificationMethod::InPerson) => Verification::InPerson {
            document_checked: form.document == "checked",
        },
        Some(VerificationMethod::PhoneCode) => {
            Verification::PhoneCode(ResetCode::parse(&form.code))
        }
        Some(VerificationMethod::Identity) => {
            let Some(birth_date) = BirthDate::parse(&form.birth_date) else {
                let message = ctx.page.t("birth-date-invalid");
                return ctx.go(CARD, problem(Some("birth_date"), message));
            };
            Verification::Identity(IdentityInput {
                identifier: Identifier::parse(&form.identifier),
                birth_date,
            })
        }
        None => return Err(WebError::BadRequest("no such verification")),
    };
    let page = &ctx.page;
    let outcome =
        helpdesk::verify(ctx.gateway(), &ctx.journey(), &desk.session, verification).await?;
    let flash = match outcome {
        AtDesk::Ended => return ended(ctx),
        AtDesk::Open(VerifyOutcome::Verified(session)) => {
            let method = session
                .verified
                .as_ref()
                .map(|v| method_text(page, v.method))
                .unwrap_or_default();
            desk.session = *session;
            let text = page.t_with("helpdesk-verified", &[("method", &method)]);
            return ctx.keep(&desk)?.go(CARD, notice(text));
        }
        AtDesk::Open(VerifyOutcome::Refused(refusal)) => {
            let message = refusal_text(page, refusal);
            return ctx.go(DESK, problem(None, message));
        }
        AtDesk::Open(VerifyOutcome::NotVerified(why)) => {
            let (field, text) = match why {
                NotVerified::NotAllowed => (None, page.t("helpdesk-not-verified-not-allowed")),
                NotVerified::DocumentNotChecked => {
                    (Some("document"), page.t("helpdesk-not-verified-document"))
                }
                NotVerified::WrongCode { tries_left } => (
                    Some("code"),
                    page.t_with(
                        "helpdesk-not-verified-code",
                        &[("left", &tries_left.to_string())],
                    ),
                ),
                NotVerified::NoCode => (Some("code"), page.t("helpdesk-not-verified-no-code")),
                NotVerified::NotThePerson => (
                    Some("identifier"),
                    page.t("helpdesk-not-verified-not-the-person"),
                ),
                NotVerified::WrongBirthDate => (
                    Some("birth_date"),
                    page.t("helpdesk-not-verified-birth-date"),
                ),
                NotVerified::Locked => (None, page.t("helpdesk-not-verified-locked")),
                NotVerified::NoCard => return ctx.go(DESK, None),
            };
            problem(field, text)
        }
    };
    ctx.go(CARD, flash)
}

#[derive(Deserialize)]
struct PlainForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    nonce: String,
}

crate::step_form!(PlainForm);

async fn phone_code_submit(
    visit: Visit,
    Form(form): Form<PlainForm>,
) -> Result<Response, WebError> {
    let ctx = Ctx::accept(visit, FLOW, Step::Desk, &form).await?;
    let desk = kept(&ctx)?;
    let page = &ctx.page;
    let flash = match helpdesk::send_phone_code(ctx.gateway(), &ctx.journey(), &desk.session)
        .await?
    {
        AtDesk::Ended => return ended(ctx),
        AtDesk::Open(PhoneCode::Sent) => notice(page.t("helpdesk-code-sent")),
        AtDesk::Open(PhoneCode::NotAllowed) => {
            problem(None, page.t("helpdesk-not-verified-not-allowed"))
        }
        AtDesk::Open(PhoneCode::NotSent(outcome)) => problem(None, not_sent_text(page, outcome)),
        AtDesk::Open(PhoneCode::Refused(refusal)) => {
            let message = refusal_text(page, refusal);
            return ctx.go(DESK, problem(None, message));
        }
        AtDesk::Open(PhoneCode::NoCard) => return ctx.go(DESK, None),
    };
    ctx.go(CARD, flash)
}

/// Why a mail was not sent, for the agent.
fn not_sent_text(page: &Page, outcome: passerelle_domain::audit::Outcome) -> String {
    use passerelle_domain::audit::Outcome;
    page.t(match outcome {
        Outcome::Cooldown => "helpdesk-not-sent-cooldown",
        Outcome::NoRecoveryAddress => "helpdesk-not-sent-no-address",
        Outcome::Locked => "helpdesk-not-sent-locked",
        Outcome::LockedByIt
        | Outcome::SelfServiceFrozen
        | Outcome::AccountClosed
        | Outcome::AccountNotOpenYet => "helpdesk-not-done-stopped",
        _ => "helpdesk-not-sent-failed",
    })
}

#[derive(Deserialize)]
struct ActForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    nonce: String,
    #[serde(default)]
    reason: String,
    action: String,
}

crate::step_form!(ActForm);

async fn act_submit(visit: Visit, Form(form): Form<ActForm>) -> Result<Response, WebError> {
    let ctx = Ctx::accept(visit, FLOW, Step::Desk, &form).await?;
    let desk = kept(&ctx)?;
    let action = DeskAction::parse(&form.action).ok_or(WebError::BadRequest("no such action"))?;
    let reason = Reason::parse(&form.reason);
    let outcome = helpdesk::act(
        ctx.gateway(),
        &ctx.journey(),
        &desk.session,
        action,
        reason.as_ref(),
    )
    .await?;
    let page = &ctx.page;
    let outcome = match outcome {
        AtDesk::Ended => return ended(ctx),
        AtDesk::Open(outcome) => outcome,
    };
    let flash = match outcome {
        ActOutcome::Done(Done::TemporaryShown(password)) => {
            let text = page.t("helpdesk-done-temporary-on-screen");
            let ctx = ctx.keep_once(SHOWN, password.expose_secret().to_owned(), SHOWN_SECONDS);
            return ctx.go(CARD, notice(text));
        }
        ActOutcome::Done(done) => notice(page.t(match done {
            Done::Unlocked => "helpdesk-done-unlock",
            Done::Unfrozen => "helpdesk-done-unfreeze",
            Done::QuestionCleared => "helpdesk-done-clear-question",
            Done::CodeSent => "helpdesk-done-send-code",
            Done::TemporarySent => "helpdesk-done-send-temporary",
            Done::TemporaryShown(_) => "helpdesk-done-temporary-on-screen",
        })),
        ActOutcome::NotDone(NotDone::NoCard) => return ctx.go(DESK, None),
        ActOutcome::NotDone(NotDone::Refused(refusal)) => {
            let message = refusal_text(page, refusal);
            return ctx.go(DESK, problem(None, message));
        }
        ActOutcome::NotDone(NotDone::NoReason) => {
            problem(Some("reason"), page.t("helpdesk-not-done-no-reason"))
        }
        ActOutcome::NotDone(NotDone::NotSent(outcome)) => {
            problem(None, not_sent_text(page, outcome))
        }
        ActOutcome::NotDone(why) => problem(
            None,
            page.t(match why {
                NotDone::NotAllowed => "helpdesk-not-done-not-allowed",
                NotDone::NotVerified => "helpdesk-not-done-not-verified",
                NotDone::NothingToDo => "helpdesk-not-done-nothing",
                NotDone::ItLock => "helpdesk-not-done-it-lock",
                NotDone::Frozen => "helpdesk-not-done-frozen",
                NotDone::Forbidden => "helpdesk-not-done-forbidden",
                NotDone::Stopped(_) => "helpdesk-not-done-stopped",
                _ => "helpdesk-not-done-refused",
            }),
        ),
    };
    ctx.go(CARD, flash)
}
