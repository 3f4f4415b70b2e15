//! Réinitialiser par code (the EFP flow): e-mail address (or identifier) +
//! captcha, then the 6-digit code received by mail (or the mail's link),
//! then the new password with the live checklist, then "Terminer".
//!
//! Steps recorded in the flow cookie: 0 the address form was shown; 1 an
//! address was submitted (whoever it belongs to, if anybody); 2 the code
//! was right. Nothing on the way to step 2 depends on whether the address
//! matched: the first POST answers at once and the lookup, the code and the
//! mail happen in a spawned task; the address typed travels in a cookie of
//! its own (see [`Claim`]) so the flow cookie has the same shape for
//! everyone; a code for an address that matched nobody fails exactly like
//! a wrong one, after the same floor ([`identity::FAILURE_FLOOR`]).
//!
//! The code lives on the entry only as a keyed hash with its expiry and
//! tries left ([`crate::reset_code`]); each try is spent atomically before
//! the comparison, a right code is cleared at once (single use), a resend
//! replaces it, and the password write clears any code left.

use super::change;
use super::identity;
use super::recover::{person_context, send_confirmation, PasswordTemplate};
use crate::captcha::web::CaptchaField;
use crate::captcha::{self, CaptchaSettings};
use crate::directory::{CodeTry, DirectoryError, LockState, Person};
use crate::mail::{MailKind, OutgoingMail};
use crate::policy::{self, Verdict};
use crate::reset_code::ResetCode;
use crate::web::audit;
use crate::web::client::ClientInfo;
use crate::web::error::WebError;
use crate::web::flow_state::{self, FlowName, FlowState};
use crate::web::form::Form;
use crate::web::page::{render, Layout, Page};
use crate::web::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use axum_extra::extract::cookie::{Cookie, PrivateCookieJar, SameSite};
use chrono::Utc;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};

const FLOW: FlowName = FlowName::Code;
const TOTAL_STEPS: u32 = 3;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/code", get(request_page).post(request_submit))
        .route("/code/verify", get(verify_page).post(verify_submit))
        .route("/code/resend", post(resend_submit))
        .route("/code/link/{token}", get(link_page))
        .route("/code/link", post(link_submit))
        .route("/code/password", get(password_page).post(password_submit))
}

fn enabled(state: &AppState) -> Result<(), WebError> {
    if state.settings.flows.code {
        Ok(())
    } else {
        Err(WebError::NotFound)
    }
}

fn secure(state: &AppState) -> bool {
    state.settings.server.secure_cookies
}

fn inactivity(state: &AppState) -> u64 {
    state.settings.server.inactivity_seconds
}

fn load(state: &AppState, jar: &PrivateCookieJar) -> Result<FlowState, WebError> {
    FlowState::load(jar, FLOW, secure(state), inactivity(state))
}

fn save(
    state: &AppState,
    jar: PrivateCookieJar,
    flow: &FlowState,
) -> Result<PrivateCookieJar, WebError> {
    flow.save(jar, secure(state), inactivity(state))
}

fn end(state: &AppState, jar: PrivateCookieJar) -> PrivateCookieJar {
    let jar = FlowState::end(FLOW, jar, secure(state));
    jar.remove(
        Cookie::build(claim_cookie_name(secure(state)))
            .path("/")
            .build(),
    )
}

/// The typed text may be anything; what is kept and looked up is bounded.
fn bounded(typed: &str) -> String {
    typed.trim().chars().take(256).collect()
}

// ------------------------------------------------------------------ claim

/// What the person typed at step 1, in an encrypted cookie of its own tied
/// to the flow's id. Kept out of the flow cookie's `dn` so that the flow
/// cookie is the same size whether or not the address matched somebody,
/// and looked up again at step 2. It also remembers when this browser last
/// asked for a code, so "Renvoyer le code" can say how long to wait from
/// what the person did, never from what the entry holds.
#[derive(Serialize, Deserialize)]
struct Claim {
    flow: String,
    typed: String,
    /// Unix seconds.
    #[serde(default)]
    asked_at: i64,
}

fn claim_cookie_name(secure: bool) -> String {
    let prefix = if secure { "__Host-" } else { "" };
    format!("{prefix}passerelle-code-claim")
}

fn save_claim(
    state: &AppState,
    jar: PrivateCookieJar,
    flow: &FlowState,
    typed: &str,
) -> PrivateCookieJar {
    let claim = Claim {
        flow: flow.id.clone(),
        typed: typed.to_owned(),
        asked_at: Utc::now().timestamp(),
    };
    let value = serde_json::to_string(&claim).unwrap_or_default();
    let cookie = Cookie::build((claim_cookie_name(secure(state)), value))
        .path("/")
        .http_only(true)
        .secure(secure(state))
        .same_site(SameSite::Strict)
        .max_age(cookie::time::Duration::seconds(
            i64::try_from(inactivity(state)).unwrap_or(i64::MAX),
        ))
        .build();
    jar.add(cookie)
}

/// The address typed in this flow, if the claim cookie belongs to it.
fn load_claim(state: &AppState, jar: &PrivateCookieJar, flow: &FlowState) -> Option<String> {
    load_full_claim(state, jar, flow).map(|claim| claim.typed)
}

fn load_full_claim(state: &AppState, jar: &PrivateCookieJar, flow: &FlowState) -> Option<Claim> {
    let cookie = jar.get(&claim_cookie_name(secure(state)))?;
    let claim: Claim = serde_json::from_str(cookie.value()).ok()?;
    (claim.flow == flow.id).then_some(claim)
}

// ------------------------------------------------------------------ lookup

/// The person an e-mail flow's input names: a recovery address first, then
/// any configured identifier. Two entries sharing the value are nobody (the
/// directory module logs them).
pub async fn find_claimed(state: &AppState, typed: &str) -> Result<Option<Person>, DirectoryError> {
    match state.directory.find_by_mail(typed).await {
        Ok(Some(person)) => return Ok(Some(person)),
        Ok(None) | Err(DirectoryError::Ambiguous) => {}
        Err(error) => return Err(error),
    }
    match state.directory.find_person_by_input(typed).await {
        Err(DirectoryError::Ambiguous) => Ok(None),
        other => other,
    }
}

/// Whom an e-mail flow may write to for what was typed: the person and the
/// address, or why not (the audit reason, and the account when known).
/// Shared by `/code` and `/temporary`, off the request path.
pub async fn mail_target(
    state: &AppState,
    typed: &str,
    now: chrono::DateTime<Utc>,
) -> Result<(Person, String), (&'static str, Option<String>)> {
    let person = match find_claimed(state, typed).await {
        Ok(Some(person)) => person,
        Ok(None) => return Err(("unknown_address", None)),
        Err(error) => {
            tracing::warn!(%error, "looking up an address for an e-mail flow failed");
            return Err(("directory_error", None));
        }
    };
    let refuse = |reason| Err((reason, Some(person.login.clone())));
    if let LockState::Locked { .. } =
        state
            .directory
            .lock_state(&person, &state.settings.lockout, now)
    {
        return refuse("locked");
    }
    if person.ppolicy_locked {
        // A write would lift a lock IT put on the account: never by mail.
        return refuse("account_locked_by_directory");
    }
    if in_cooldown(state, &person, now) {
        return refuse("cooldown");
    }
    // Without an address to send to, a new code or password would only
    // lock the person out: nothing is written.
    match recipient(&person, typed) {
        Some(to) => Ok((person, to)),
        None => refuse("no_recovery_address"),
    }
}

/// Where an e-mail flow's mail goes: the recovery address the person typed
/// when they typed one of theirs, else their first recovery address.
pub fn recipient(person: &Person, typed: &str) -> Option<String> {
    person
        .recovery_mails
        .iter()
        .find(|m| m.eq_ignore_ascii_case(typed.trim()))
        .or_else(|| person.recovery_mails.first())
        .cloned()
}

/// When the last code or temporary password was sent to this entry, if
/// it was sent less than `cooldown` ago: the per-account limit that keeps
/// a flood of requests from filling a mailbox.
pub fn in_cooldown(state: &AppState, person: &Person, now: chrono::DateTime<Utc>) -> bool {
    let cooldown = seconds(state.settings.flows.code_resend_seconds);
    let code_sent = person.state.code_sent;
    let temporary_sent = person
        .state
        .temp_password_expiry
        .map(|expiry| expiry - seconds(state.settings.flows.temporary_validity_seconds));
    // A sent time in the future (a replica's clock far ahead, a value
    // typed by hand) must not block the account for ever: beyond a few
    // seconds of skew it is ignored.
    [code_sent, temporary_sent]
        .into_iter()
        .flatten()
        .any(|sent| now < sent + cooldown && sent <= now + chrono::Duration::seconds(5))
}

pub fn seconds(value: u64) -> chrono::Duration {
    chrono::Duration::seconds(i64::try_from(value).unwrap_or(i64::MAX / 1000))
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

/// Step 1's work, off the request path: find the person, check the
/// account's limits, store a new code (voiding the previous one) and mail
/// it with its link. Every outcome leaves one audit line; none reaches the
/// person, whose page was already sent.
async fn issue_code(
    state: AppState,
    typed: String,
    lang: policy::Lang,
    client: ClientInfo,
    flow_id: String,
) {
    let event = |outcome: &str, account: Option<&str>| {
        audit::event(
            FLOW.as_str(),
            "send_code",
            outcome,
            account,
            &flow_id,
            &client,
        );
    };
    let now = Utc::now();
    let (person, to) = match mail_target(&state, &typed, now).await {
        Ok(target) => target,
        Err((reason, account)) => return event(reason, account.as_deref()),
    };
    let account = Some(person.login.as_str());
    let flows = &state.settings.flows;
    let code = ResetCode::generate();
    let expires = now + seconds(flows.code_validity_seconds);
    let hash = state.code_key.hash(&person.dn, &code);
    if let Err(error) = state
        .directory
        .set_code(&person, &hash, expires, flows.code_tries.max(1), now)
        .await
    {
        tracing::warn!(%error, "storing a code failed");
        return event("directory_error", account);
    }
    let token = state.code_key.seal_link(&person.dn, &code, expires);
    let link = format!(
        "{}/code/link/{token}",
        state.settings.server.public_url.trim_end_matches('/')
    );
    state.mailer.send(
        OutgoingMail::new(
            to,
            lang,
            MailKind::ResetCode {
                code: code.secret().clone(),
                valid_for: Duration::from_secs(flows.code_validity_seconds),
                link: SecretString::from(link),
            },
        )
        .with_name(person.display_name.clone()),
    );
    event("code_mailed", account);
}

// ------------------------------------------------------------------ step 1

#[derive(Template)]
#[template(path = "code_request.html")]
struct RequestTemplate {
    page: Layout,
    csrf: String,
    nonce: String,
    identifier: String,
    captcha: Option<CaptchaField>,
}

fn request_template(state: &AppState, page: &Page, flow: &FlowState) -> RequestTemplate {
    RequestTemplate {
        page: page.layout("code-title").with_step(1, TOTAL_STEPS),
        csrf: flow.csrf.clone(),
        nonce: flow.nonce.clone(),
        identifier: String::new(),
        captcha: captcha_field(state, "/code", flow),
    }
}

pub async fn request_page(
    State(state): State<AppState>,
    page: Page,
    jar: PrivateCookieJar,
) -> Result<Response, WebError> {
    enabled(&state)?;
    let mut flow = FlowState::start(FLOW);
    flow.captcha = captcha::web::start(&captcha_settings(&state));
    let jar = save(&state, jar, &flow)?;
    Ok((jar, render(&request_template(&state, &page, &flow))).into_response())
}

#[derive(Deserialize)]
pub struct RequestForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    nonce: String,
    identifier: String,
    #[serde(default)]
    captcha: String,
}

pub async fn request_submit(
    State(state): State<AppState>,
    page: Page,
    client: ClientInfo,
    jar: PrivateCookieJar,
    Form(form): Form<RequestForm>,
) -> Result<Response, WebError> {
    enabled(&state)?;
    let mut flow = flow_state::accept_step(
        &state,
        &jar,
        FLOW,
        0,
        "address",
        &form.csrf,
        &form.nonce,
        &client,
    )?;
    let typed = bounded(&form.identifier);

    // The captcha first: a robot that fails it learns nothing else.
    let captcha_check = captcha::web::check(
        &mut flow.captcha,
        &state.captcha_key,
        &captcha_settings(&state),
        Some(&form.captcha),
    );
    let mut errors = Vec::new();
    if !captcha_check.allows() {
        errors.push((Some("captcha"), captcha::web::failed_message(page.lang)));
    } else if typed.is_empty() {
        errors.push((Some("identifier"), page.t("code-identifier-missing")));
    }
    if !errors.is_empty() {
        audit::event(
            FLOW.as_str(),
            "address",
            "form_refused",
            None,
            &flow.id,
            &client,
        );
        let mut template = request_template(&state, &page, &flow);
        for (field, message) in errors {
            template.page = template.page.with_error(field, message);
        }
        template.identifier = typed;
        let jar = save(&state, jar, &flow)?;
        return Ok((jar, render(&template)).into_response());
    }

    audit::event(
        FLOW.as_str(),
        "address",
        "submitted",
        None,
        &flow.id,
        &client,
    );
    tokio::spawn(issue_code(
        state.clone(),
        typed.clone(),
        page.lang,
        client.clone(),
        flow.id.clone(),
    ));
    let mut flow = flow.next(1);
    // EFP asks for the captcha at step 1 only; a wrong code brings it back
    // (see `code_refused`).
    flow.captcha = None;
    let jar = save(&state, jar, &flow)?;
    let jar = save_claim(&state, jar, &flow, &typed);
    Ok((jar, Redirect::to("/code/verify")).into_response())
}

/// The `[captcha]` settings (shared with `/temporary`).
pub fn captcha_settings(state: &AppState) -> CaptchaSettings {
    state.settings.captcha.clone()
}

/// The captcha field of a page of this flow, if the flow shows one now.
fn captcha_field(state: &AppState, path: &str, flow: &FlowState) -> Option<CaptchaField> {
    CaptchaField::for_slot(FLOW.as_str(), path, &flow.captcha, &state.captcha_key)
}

// ------------------------------------------------------------------ step 2

#[derive(Template)]
#[template(path = "code_verify.html")]
struct VerifyTemplate {
    page: Layout,
    csrf: String,
    nonce: String,
    sent: String,
    notice: Option<String>,
    resend_hint: String,
    captcha: Option<CaptchaField>,
}

fn verify_template(
    state: &AppState,
    page: &Page,
    flow: &FlowState,
    typed: Option<&str>,
) -> VerifyTemplate {
    VerifyTemplate {
        page: page.layout("code-verify-title").with_step(2, TOTAL_STEPS),
        csrf: flow.csrf.clone(),
        nonce: flow.nonce.clone(),
        sent: match typed {
            Some(address) => page.t_with("code-sent", &[("address", address)]),
            None => page.t("code-sent-link"),
        },
        notice: None,
        resend_hint: page.t_with(
            "code-resend-hint",
            &[(
                "seconds",
                &state.settings.flows.code_resend_seconds.to_string(),
            )],
        ),
        captcha: captcha_field(state, "/code/verify", flow),
    }
}

pub async fn verify_page(
    State(state): State<AppState>,
    page: Page,
    jar: PrivateCookieJar,
    uri: axum::http::Uri,
) -> Result<Response, WebError> {
    enabled(&state)?;
    let mut flow = load(&state, &jar)?;
    flow.require_step(1)?;
    let typed = load_claim(&state, &jar, &flow);
    if captcha::web::wants_new(uri.query()) {
        captcha::web::renew(&mut flow.captcha, &captcha_settings(&state));
    }
    let template = verify_template(&state, &page, &flow, typed.as_deref());
    let jar = save(&state, jar, &flow)?;
    Ok((jar, render(&template)).into_response())
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    nonce: String,
    code: SecretString,
    #[serde(default)]
    captcha: String,
}

/// How a code check ended.
enum CodeCheck {
    Proved(Box<Person>),
    /// Reason for the audit log only; the person sees one message.
    Refused {
        reason: &'static str,
        account: Option<String>,
    },
}

/// Checks `code` for `person`: lockout, one try spent atomically, expiry
/// and keyed hash; a right code is cleared (single use), a wrong one is
/// counted towards the lockout. Refusals are answered no sooner than the
/// identity floor after `started`, whoever the person is, or is not.
async fn check_code(
    state: &AppState,
    person: Option<Person>,
    code: &ResetCode,
    started: Instant,
) -> Result<CodeCheck, WebError> {
    let outcome = check_code_now(state, person, code).await?;
    if matches!(outcome, CodeCheck::Refused { .. }) {
        identity::wait_for_floor(started).await;
    }
    Ok(outcome)
}

async fn check_code_now(
    state: &AppState,
    person: Option<Person>,
    code: &ResetCode,
) -> Result<CodeCheck, WebError> {
    let Some(person) = person else {
        return Ok(CodeCheck::Refused {
            reason: "unknown_address",
            account: None,
        });
    };
    let account = Some(person.login.clone());
    let now = Utc::now();
    if let LockState::Locked { .. } =
        state
            .directory
            .lock_state(&person, &state.settings.lockout, now)
    {
        return Ok(CodeCheck::Refused {
            reason: "locked",
            account,
        });
    }
    if let CodeTry::NoneLeft = state.directory.spend_code_try(&person).await? {
        return Ok(CodeCheck::Refused {
            reason: "no_code_or_no_try_left",
            account,
        });
    }
    let right = person
        .state
        .code_hash
        .as_deref()
        .is_some_and(|stored| state.code_key.matches(&person.dn, code, stored));
    let live = person.state.code_expiry.is_some_and(|expiry| expiry > now);
    if right && live {
        state.directory.clear_code(&person).await?;
        return Ok(CodeCheck::Proved(Box::new(person)));
    }
    if right {
        return Ok(CodeCheck::Refused {
            reason: "expired_code",
            account,
        });
    }
    let reason = match state
        .directory
        .record_failure(&person, &state.settings.lockout)
        .await?
    {
        LockState::Locked { .. } => "wrong_code_now_locked",
        LockState::Open { .. } => "wrong_code",
    };
    Ok(CodeCheck::Refused { reason, account })
}

fn refusal_message(state: &AppState, page: &Page) -> (String, String) {
    let flows = &state.settings.flows;
    (
        page.t("code-refused"),
        page.t_with(
            "code-refused-advice",
            &[
                (
                    "validity",
                    &validity_text(page, flows.code_validity_seconds),
                ),
                ("tries", &flows.code_tries.max(1).to_string()),
                ("max", &state.settings.lockout.max_failures.to_string()),
            ],
        ),
    )
}

/// A proved code: step 2 passed, on to the new password.
fn proved(
    state: &AppState,
    jar: PrivateCookieJar,
    flow: FlowState,
    person: &Person,
    client: &ClientInfo,
    how: &str,
) -> Result<Response, WebError> {
    audit::event(
        FLOW.as_str(),
        how,
        "code_right",
        Some(&person.login),
        &flow.id,
        client,
    );
    let mut flow = flow.next(2);
    flow.dn = Some(person.dn.clone());
    flow.password_changed = person.pwd_changed_time.clone();
    let jar = save(state, jar, &flow)?;
    Ok((jar, Redirect::to("/code/password")).into_response())
}

pub async fn verify_submit(
    State(state): State<AppState>,
    page: Page,
    client: ClientInfo,
    jar: PrivateCookieJar,
    Form(form): Form<CodeForm>,
) -> Result<Response, WebError> {
    enabled(&state)?;
    let started = Instant::now();
    let mut flow = flow_state::accept_step(
        &state,
        &jar,
        FLOW,
        1,
        "code",
        &form.csrf,
        &form.nonce,
        &client,
    )?;
    let typed = load_claim(&state, &jar, &flow);

    // A captcha is shown here only after a wrong code (see below); when it
    // is, it is checked before the code, and a failure spends nothing.
    if flow.captcha.is_some() {
        let captcha_check = captcha::web::check(
            &mut flow.captcha,
            &state.captcha_key,
            &captcha_settings(&state),
            Some(&form.captcha),
        );
        if !captcha_check.allows() {
            audit::event(
                FLOW.as_str(),
                "code",
                "captcha_failed",
                None,
                &flow.id,
                &client,
            );
            let mut template = verify_template(&state, &page, &flow, typed.as_deref());
            template.page = template
                .page
                .with_error(Some("captcha"), captcha::web::failed_message(page.lang));
            let jar = save(&state, jar, &flow)?;
            return Ok((jar, render(&template)).into_response());
        }
    }

    let Some(code) = ResetCode::parse(form.code.expose_secret()) else {
        let mut template = verify_template(&state, &page, &flow, typed.as_deref());
        template.page = template
            .page
            .with_error(Some("code"), page.t("code-malformed"));
        let jar = save(&state, jar, &flow)?;
        return Ok((jar, render(&template)).into_response());
    };
    let person = match typed.as_deref() {
        Some(typed) => find_claimed(&state, typed).await?,
        None => None,
    };
    match check_code(&state, person, &code, started).await? {
        CodeCheck::Proved(person) => proved(&state, jar, flow, &person, &client, "code"),
        CodeCheck::Refused { reason, account } => {
            audit::event(
                FLOW.as_str(),
                "code",
                reason,
                account.as_deref(),
                &flow.id,
                &client,
            );
            // From now on this flow asks for the captcha with each code
            // (unless the captcha is off), which slows down guessing.
            captcha::web::after_failure(&mut flow.captcha, &captcha_settings(&state));
            let mut template = verify_template(&state, &page, &flow, typed.as_deref());
            let (message, advice) = refusal_message(&state, &page);
            template.page = template.page.with_error(Some("code"), message);
            template.notice = Some(advice);
            let jar = save(&state, jar, &flow)?;
            Ok((jar, render(&template)).into_response())
        }
    }
}

#[derive(Deserialize)]
pub struct ResendForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    nonce: String,
}

/// "Renvoyer le code": the same off-path work as step 1; the entry's
/// cooldown decides whether a new code (which voids the previous one)
/// actually leaves. The page says the same either way.
pub async fn resend_submit(
    State(state): State<AppState>,
    page: Page,
    client: ClientInfo,
    jar: PrivateCookieJar,
    Form(form): Form<ResendForm>,
) -> Result<Response, WebError> {
    enabled(&state)?;
    let flow = flow_state::accept_step(
        &state,
        &jar,
        FLOW,
        1,
        "resend",
        &form.csrf,
        &form.nonce,
        &client,
    )?;
    let claim = load_full_claim(&state, &jar, &flow);
    let typed = claim.as_ref().map(|c| c.typed.clone());
    let mut template = verify_template(&state, &page, &flow, typed.as_deref());
    let jar = save(&state, jar, &flow)?;
    let Some(claim) = claim else {
        // Opened from the mail's link: this browser never typed an address.
        template.notice = Some(page.t("code-resend-restart"));
        return Ok((jar, render(&template)).into_response());
    };
    let cooldown = i64::try_from(state.settings.flows.code_resend_seconds).unwrap_or(i64::MAX);
    let wait = claim
        .asked_at
        .saturating_add(cooldown)
        .saturating_sub(Utc::now().timestamp());
    if wait > 0 {
        audit::event(FLOW.as_str(), "resend", "too_soon", None, &flow.id, &client);
        template.notice = Some(page.t_with("code-resend-wait", &[("seconds", &wait.to_string())]));
        return Ok((jar, render(&template)).into_response());
    }
    audit::event(
        FLOW.as_str(),
        "resend",
        "requested",
        None,
        &flow.id,
        &client,
    );
    tokio::spawn(issue_code(
        state.clone(),
        claim.typed.clone(),
        page.lang,
        client.clone(),
        flow.id.clone(),
    ));
    let jar = save_claim(&state, jar, &flow, &claim.typed);
    template.notice = Some(page.t("code-resent"));
    Ok((jar, render(&template)).into_response())
}

// ------------------------------------------------------------------ link

#[derive(Template)]
#[template(path = "code_link.html")]
struct LinkTemplate {
    page: Layout,
    csrf: String,
    nonce: String,
    token: String,
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessageTemplate {
    page: Layout,
    paragraphs: Vec<String>,
    link: Option<(String, String)>,
}

fn link_invalid_page(page: &Page) -> Response {
    render(&MessageTemplate {
        page: page.layout("code-link-invalid-title"),
        paragraphs: vec![page.t("code-link-invalid")],
        link: Some(("/code".to_owned(), page.t("code-link-restart"))),
    })
}

/// The mail's link. Mail scanners open links before people do, so this
/// page changes nothing (no try spent, no code cleared): it only starts a
/// flow and shows a button whose POST checks the code.
pub async fn link_page(
    State(state): State<AppState>,
    page: Page,
    jar: PrivateCookieJar,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    enabled(&state)?;
    if state.code_key.open_link(&token, Utc::now()).is_none() {
        return Ok(link_invalid_page(&page));
    }
    let flow = FlowState::start(FLOW).next(1);
    let jar = save(&state, jar, &flow)?;
    let template = LinkTemplate {
        page: page.layout("code-link-title").with_step(2, TOTAL_STEPS),
        csrf: flow.csrf.clone(),
        nonce: flow.nonce.clone(),
        token,
    };
    Ok((jar, render(&template)).into_response())
}

#[derive(Deserialize)]
pub struct LinkForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    nonce: String,
    token: String,
}

pub async fn link_submit(
    State(state): State<AppState>,
    page: Page,
    client: ClientInfo,
    jar: PrivateCookieJar,
    Form(form): Form<LinkForm>,
) -> Result<Response, WebError> {
    enabled(&state)?;
    let started = Instant::now();
    let flow = flow_state::accept_step(
        &state,
        &jar,
        FLOW,
        1,
        "link",
        &form.csrf,
        &form.nonce,
        &client,
    )?;
    let Some(link) = state.code_key.open_link(&form.token, Utc::now()) else {
        audit::event(
            FLOW.as_str(),
            "link",
            "link_expired",
            None,
            &flow.id,
            &client,
        );
        return Ok((end(&state, jar), link_invalid_page(&page)).into_response());
    };
    let person = state.directory.read_person(&link.dn).await?;
    match check_code(&state, person, &link.code, started).await? {
        CodeCheck::Proved(person) => proved(&state, jar, flow, &person, &client, "link"),
        CodeCheck::Refused { reason, account } => {
            audit::event(
                FLOW.as_str(),
                "link",
                reason,
                account.as_deref(),
                &flow.id,
                &client,
            );
            Ok((end(&state, jar), link_invalid_page(&page)).into_response())
        }
    }
}

// ------------------------------------------------------------------ step 3

/// The person whose code the cookie says was right, read afresh.
async fn proved_person(state: &AppState, flow: &FlowState) -> Result<Person, WebError> {
    let dn = flow.dn.as_deref().ok_or(WebError::Step)?;
    state
        .directory
        .read_person(dn)
        .await?
        .ok_or(WebError::Expired)
}

fn password_template(
    state: &AppState,
    page: &Page,
    flow: &FlowState,
    person: &Person,
    verdict: Option<&Verdict>,
) -> PasswordTemplate {
    let layout = page.layout("code-password-title").with_step(3, TOTAL_STEPS);
    change::password_template(state, page, layout, "/code/password", flow, person, verdict)
}

pub async fn password_page(
    State(state): State<AppState>,
    page: Page,
    jar: PrivateCookieJar,
) -> Result<Response, WebError> {
    enabled(&state)?;
    let flow = load(&state, &jar)?;
    flow.require_step(2)?;
    let person = proved_person(&state, &flow).await?;
    Ok(render(&password_template(
        &state, &page, &flow, &person, None,
    )))
}

/// The new-password form, as every flow posts it.
pub type PasswordForm = change::NewPasswordForm;

pub async fn password_submit(
    State(state): State<AppState>,
    page: Page,
    client: ClientInfo,
    jar: PrivateCookieJar,
    Form(form): Form<PasswordForm>,
) -> Result<Response, WebError> {
    enabled(&state)?;
    let flow = flow_state::accept_step(
        &state,
        &jar,
        FLOW,
        2,
        "password",
        &form.csrf,
        &form.nonce,
        &client,
    )?;
    let person = proved_person(&state, &flow).await?;
    let account = Some(person.login.as_str());

    // The password changed since the code was proved (an old cookie played
    // again, or another flow won): nothing is written.
    if person.pwd_changed_time != flow.password_changed {
        audit::event(
            FLOW.as_str(),
            "password",
            "replayed",
            account,
            &flow.id,
            &client,
        );
        return Err(WebError::Step);
    }
    if let LockState::Locked { .. } =
        state
            .directory
            .lock_state(&person, &state.settings.lockout, Utc::now())
    {
        audit::event(
            FLOW.as_str(),
            "password",
            "locked",
            account,
            &flow.id,
            &client,
        );
        return Err(WebError::Step);
    }

    let verdict = state.policy.check(&form.password, &person_context(&person));
    let mut template = password_template(&state, &page, &flow, &person, Some(&verdict));
    template.rules_accepted = form.rules.is_some();
    let layout = change::password_errors(
        &state,
        &page,
        template.page,
        &form.password,
        &form.confirm,
        form.rules.is_some(),
        &verdict,
    );
    if !layout.errors.is_empty() {
        template.page = layout;
        audit::event(
            FLOW.as_str(),
            "password",
            "form_refused",
            account,
            &flow.id,
            &client,
        );
        let jar = save(&state, jar, &flow)?;
        return Ok((jar, render(&template)).into_response());
    }

    match change::write(&state, &page, FLOW, &flow, &person, &form.password, &client).await? {
        None => {
            send_confirmation(&state, &page, &person, &client);
            let jar = end(&state, jar);
            Ok((jar, success_page(&state, &page)).into_response())
        }
        Some(refusal) => {
            template.page = layout.with_error(Some("password"), refusal);
            let jar = save(&state, jar, &flow)?;
            Ok((jar, render(&template)).into_response())
        }
    }
}

#[derive(Template)]
#[template(path = "code_success.html")]
struct SuccessTemplate {
    page: Layout,
    finish_url: String,
}

fn success_page(state: &AppState, page: &Page) -> Response {
    render(&SuccessTemplate {
        page: page.layout("code-success-title"),
        finish_url: state
            .settings
            .site
            .login_url
            .clone()
            .unwrap_or_else(|| "/".to_owned()),
    })
}
