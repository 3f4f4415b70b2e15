//! The API's actions, each one domain call (the same the pages make) and
//! its outcome mapped to JSON or to a problem. Nothing here decides: who
//! the person is, what counts as an attempt, the lockout, the rules and
//! the write are the domain's (`passerelle_domain::flows`).

use super::auth::{Caller, ChangePassword, CheckPassword, ReadRules, SendResetCode};
use super::body::ApiJson;
use super::problem::{ApiError, ProblemKind};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use passerelle_domain::flow::FlowName;
use passerelle_domain::flows::change::{self, OneRequestOutcome};
use passerelle_domain::flows::code::{self, Request as CodeRequest};
use passerelle_domain::flows::{rules, PasswordOutcome};
use passerelle_domain::policy::{self, PasswordPolicy, RuleStatus, Verdict};
use passerelle_domain::ports::WifiAnswer;
use passerelle_domain::steps::new_password::{NewPassword, Problem as FieldProblem};
use passerelle_text::Lang;
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The login as the path carries it, bounded like a typed one.
fn login_of(raw: &str) -> Result<String, ApiError> {
    let login: String = raw
        .trim()
        .chars()
        .take(passerelle_text::safe_text::MAX_LOGIN_CHARS)
        .collect();
    if login.is_empty() {
        return Err(ApiError::new(ProblemKind::InvalidInput));
    }
    Ok(login)
}

fn enabled(state: &AppState, flow: FlowName) -> Result<(), ApiError> {
    if flow.enabled(state.settings.switches()) {
        Ok(())
    } else {
        Err(ApiError::new(ProblemKind::ActionDisabled))
    }
}

// ---------------------------------------------------------------- rules

/// One of the rules a new password must meet.
#[derive(Serialize, ToSchema)]
pub struct RuleView {
    /// The rule's stable name (`length`, `min_classes`, `forbid_login`,
    /// `min_zxcvbn_score`, `history`…).
    #[schema(example = "length")]
    pub id: String,
    /// The rule as the page's checklist words it, in the caller's
    /// language.
    #[schema(example = "Entre 12 et 64 caractères")]
    pub description: String,
    /// Its parameters (`min`, `max`, `count`, `chars`), when it has any.
    #[schema(value_type = Object)]
    pub parameters: serde_json::Map<String, serde_json::Value>,
    /// Whether a client can evaluate it as the person types (the server
    /// alone knows the current password, the breached list, zxcvbn's
    /// dictionaries and the history).
    pub client_side: bool,
}

/// The rules that apply to a person's new password.
#[derive(Serialize, ToSchema)]
pub struct RulesView {
    /// The person's login, as the directory holds it.
    pub login: String,
    /// The most characters a password may have, whatever the rules.
    pub max_chars: usize,
    pub rules: Vec<RuleView>,
}

fn rule_views(rules: &PasswordPolicy, lang: Lang) -> Vec<RuleView> {
    rules
        .rule_list()
        .iter()
        .map(|rule| {
            let mut parameters = match serde_json::to_value(rule) {
                Ok(serde_json::Value::Object(map)) => map,
                _ => serde_json::Map::new(),
            };
            parameters.remove("id");
            RuleView {
                id: rule.id().as_str().to_owned(),
                description: policy::describe(rule, lang),
                parameters,
                client_side: rule.evaluated_by_client(),
            }
        })
        .collect()
}

/// The rules that apply to a person's new password: the site's rules
/// combined with the person's own directory policy, as the new-password
/// page lists them.
#[utoipa::path(
    get,
    path = "/v1/people/{login}/rules",
    tag = "passwords",
    operation_id = "rules",
    params(("login" = String, Path, description = "The person's login, or any configured identifier (never an address)")),
    responses(
        (status = 200, description = "The person's rules", body = RulesView),
        (status = 401, description = "No valid token", body = ProblemDoc, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the `rules` scope", body = ProblemDoc, content_type = "application/problem+json"),
        (status = 404, description = "The login names nobody", body = ProblemDoc, content_type = "application/problem+json"),
        (status = 429, description = "Over the client's rate", body = ProblemDoc, content_type = "application/problem+json"),
    ),
    security(("bearer" = ["rules"]))
)]
pub async fn get_rules(
    State(state): State<AppState>,
    caller: Caller<ReadRules>,
    Path(login): Path<String>,
) -> Result<Json<RulesView>, ApiError> {
    let login = login_of(&login)?;
    let Some(found) = rules::of(&state.gateway, &login).await? else {
        return Err(ApiError::new(ProblemKind::UnknownPerson));
    };
    Ok(Json(RulesView {
        login: found.context.login.clone(),
        max_chars: policy::HARD_MAX_CHARS,
        rules: rule_views(&found.rules, caller.lang),
    }))
}

// ---------------------------------------------------------------- check

/// A candidate password.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckRequest {
    /// The candidate, never stored nor logged.
    #[schema(value_type = String, format = Password)]
    pub password: SecretString,
}

/// How one rule fared.
#[derive(Serialize, ToSchema)]
pub struct RuleStatusView {
    #[schema(example = "min_zxcvbn_score")]
    pub id: String,
    /// `passed`, `failed`, `not_applicable` (the data it needs is not
    /// there) or `decided_by_directory` (history: only the directory
    /// knows).
    #[schema(value_type = String, example = "failed")]
    pub status: RuleStatus,
}

/// A problem of the candidate, explained in the caller's language.
#[derive(Serialize, ToSchema)]
pub struct FieldProblemView {
    /// The field at fault: `password`, `current`, `rules` (the site's
    /// rules were not accepted).
    pub field: String,
    pub message: String,
}

/// The verdict on a candidate password.
#[derive(Serialize, ToSchema)]
pub struct CheckView {
    /// Whether the gateway would write it (the directory may still refuse
    /// it for its history).
    pub acceptable: bool,
    /// zxcvbn's score (0 to 4) with the person's own data counted, when a
    /// rule asks for one.
    pub zxcvbn_score: Option<u8>,
    pub rules: Vec<RuleStatusView>,
    pub problems: Vec<FieldProblemView>,
}

fn statuses(verdict: &Verdict) -> Vec<RuleStatusView> {
    verdict
        .outcomes()
        .iter()
        .map(|outcome| RuleStatusView {
            id: outcome.rule.id().as_str().to_owned(),
            status: outcome.status,
        })
        .collect()
}

fn problem_views(problems: Vec<FieldProblem>) -> Vec<FieldProblemView> {
    problems
        .into_iter()
        .map(|(field, message)| FieldProblemView {
            field: field.to_owned(),
            message,
        })
        .collect()
}

/// Checks a candidate password against the person's rules, with their
/// own data counted (their login and names, for zxcvbn and the "not your
/// login" rules), as the new-password step would check it. Nothing is
/// written or counted.
#[utoipa::path(
    post,
    path = "/v1/people/{login}/check",
    tag = "passwords",
    operation_id = "check",
    params(("login" = String, Path, description = "The person's login, or any configured identifier (never an address)")),
    request_body(content = CheckRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "The verdict", body = CheckView),
        (status = 400, description = "The body is not the expected JSON", body = ProblemDoc, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = ProblemDoc, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the `check` scope", body = ProblemDoc, content_type = "application/problem+json"),
        (status = 404, description = "The login names nobody", body = ProblemDoc, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large", body = ProblemDoc, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON", body = ProblemDoc, content_type = "application/problem+json"),
        (status = 429, description = "Over the client's rate", body = ProblemDoc, content_type = "application/problem+json"),
    ),
    security(("bearer" = ["check"]))
)]
pub async fn post_check(
    State(state): State<AppState>,
    caller: Caller<CheckPassword>,
    Path(login): Path<String>,
    ApiJson(body): ApiJson<CheckRequest>,
) -> Result<Json<CheckView>, ApiError> {
    let login = login_of(&login)?;
    let Some(checked) = rules::check(&state.gateway, &login, &body.password, caller.lang).await?
    else {
        return Err(ApiError::new(ProblemKind::UnknownPerson));
    };
    Ok(Json(CheckView {
        acceptable: checked.problems.is_empty(),
        zxcvbn_score: checked.verdict.zxcvbn_score(),
        rules: statuses(&checked.verdict),
        problems: problem_views(checked.problems),
    }))
}

// ---------------------------------------------------------------- change

/// A change knowing the current password.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeRequest {
    /// The current password (or a temporary one the person received).
    #[schema(value_type = String, format = Password)]
    pub current: SecretString,
    /// The new password.
    #[serde(rename = "new")]
    #[schema(value_type = String, format = Password)]
    pub new_password: SecretString,
    /// The person accepted the site's rules (`site.rules_url`); required
    /// when the site asks for it (`flows.require_rules_checkbox`).
    #[serde(default)]
    pub rules_accepted: bool,
}

/// A password written.
#[derive(Serialize, ToSchema)]
pub struct ChangedView {
    /// Always true: the new password is the one stored.
    pub changed: bool,
    /// Some directory replica did not accept it yet (Wi-Fi may take a
    /// minute).
    pub replicas_lagging: bool,
    /// A confirmation mail was queued to the person.
    pub mailed: bool,
    /// What the site's RADIUS server answered for the new password
    /// (`[radius]`): `confirmed` (Wi-Fi takes it now), `refused` (not yet:
    /// it reads a replica that is behind, it may take a minute) or
    /// `lagging` (no answer in time); absent where the site does not ask.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub wifi: Option<&'static str>,
}

/// The API's word for a RADIUS answer (the audit's `radius_*` words
/// without their prefix).
fn wifi_word(answer: WifiAnswer) -> &'static str {
    match answer {
        WifiAnswer::Accepted => "confirmed",
        WifiAnswer::Refused => "refused",
        WifiAnswer::NoAnswer => "lagging",
    }
}

/// Changes a person's password knowing the current one: the change flow's
/// sign-in (the attempt counted on the entry before the password is
/// checked, so the site's lockout holds) and its new-password step (the
/// rules, the account's standing, the one atomic write, the hooks and
/// the confirmation mail), as the `/change` pages make them.
#[utoipa::path(
    post,
    path = "/v1/people/{login}/password",
    tag = "passwords",
    operation_id = "change",
    params(("login" = String, Path, description = "The person's login, any configured identifier, or their address")),
    request_body(content = ChangeRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "The new password is stored", body = ChangedView),
        (status = 400, description = "The body is not the expected JSON", body = ProblemDoc, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = ProblemDoc, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the `change` scope, or the account may not use self-service now", body = ProblemDoc, content_type = "application/problem+json"),
        (status = 404, description = "The site turned the change flow off", body = ProblemDoc, content_type = "application/problem+json"),
        (status = 409, description = "The password changed meanwhile, or the directory demands what a gateway cannot give", body = ProblemDoc, content_type = "application/problem+json"),
        (status = 422, description = "The login and current password were refused, or the new password breaks a rule (`problems`)", body = ProblemDoc, content_type = "application/problem+json"),
        (status = 423, description = "Self-service is locked for the account (`locked_until`)", body = ProblemDoc, content_type = "application/problem+json"),
        (status = 429, description = "Over the client's rate", body = ProblemDoc, content_type = "application/problem+json"),
    ),
    security(("bearer" = ["change"]))
)]
pub async fn post_password(
    State(state): State<AppState>,
    caller: Caller<ChangePassword>,
    Path(login): Path<String>,
    ApiJson(body): ApiJson<ChangeRequest>,
) -> Result<Json<ChangedView>, ApiError> {
    enabled(&state, FlowName::Change)?;
    let login = login_of(&login)?;
    let journey = caller.journey(&state, FlowName::Change);
    let form = NewPassword {
        password: &body.new_password,
        // The portal asked for any confirmation itself.
        confirm: &body.new_password,
        rules_accepted: body.rules_accepted,
        current: None,
    };
    let outcome =
        change::knowing_current(&state.gateway, &journey, &login, &body.current, &form).await?;
    let password = match outcome {
        OneRequestOutcome::SignInRefused => return Err(ApiError::new(ProblemKind::SignInRefused)),
        OneRequestOutcome::TemporaryExpired => {
            return Err(ApiError::new(ProblemKind::TemporaryExpired))
        }
        OneRequestOutcome::Password(outcome) => outcome,
    };
    match password {
        PasswordOutcome::Done {
            replica_lag,
            mailed,
            wifi,
        } => Ok(Json(ChangedView {
            changed: true,
            replicas_lagging: replica_lag,
            mailed,
            wifi: wifi.map(wifi_word),
        })),
        PasswordOutcome::DoneByTwin => Ok(Json(ChangedView {
            changed: true,
            replicas_lagging: false,
            mailed: false,
            wifi: None,
        })),
        PasswordOutcome::Again {
            verdict, problems, ..
        } => Err(ApiError::new(ProblemKind::PasswordRefused)
            .with("problems", problem_views(problems))
            .with("rules", statuses(&verdict))),
        PasswordOutcome::Locked { until } => Err(ApiError::new(ProblemKind::Locked)
            .with("locked_until", until.to_rfc3339())
            .retry_after(
                u64::try_from((until - state.gateway.now()).num_seconds())
                    .unwrap_or(0)
                    .max(1),
            )),
        PasswordOutcome::CurrentLocked => Err(ApiError::new(ProblemKind::Locked)),
        PasswordOutcome::CurrentWrongTooOften => Err(ApiError::new(ProblemKind::SignInRefused)),
        PasswordOutcome::Stopped => Err(ApiError::new(ProblemKind::SelfServiceStopped)),
        PasswordOutcome::ChangedMeanwhile => Err(ApiError::new(ProblemKind::ChangedMeanwhile)),
        PasswordOutcome::OldPasswordRequired | PasswordOutcome::NotActivatable => {
            Err(ApiError::new(ProblemKind::OldPasswordRequired))
        }
        PasswordOutcome::TemporaryExpired => Err(ApiError::new(ProblemKind::TemporaryExpired)),
    }
}

// ---------------------------------------------------------------- reset code

/// A reset code asked for a person.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetCodeRequest {
    /// The person's login, any configured identifier, or their recovery
    /// address.
    #[schema(example = "jdupont")]
    pub person: String,
}

/// The request was taken; the answer is the same whoever it names.
#[derive(Serialize, ToSchema)]
pub struct AcceptedView {
    /// Always true.
    pub accepted: bool,
}

/// Sends a reset code to the person's own recovery address, as
/// « Réinitialiser par code » does: the code and its link go to the
/// person, never to the caller; the answer is the same, as fast, whether
/// or not the value names anybody (the lookup and the mail happen after
/// it), and one mail at most leaves per person and cooldown.
#[utoipa::path(
    post,
    path = "/v1/reset-codes",
    tag = "passwords",
    operation_id = "reset_code",
    request_body(content = ResetCodeRequest, content_type = "application/json"),
    responses(
        (status = 202, description = "Taken (whoever it names)", body = AcceptedView),
        (status = 400, description = "The body is not the expected JSON", body = ProblemDoc, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = ProblemDoc, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the `reset_code` scope", body = ProblemDoc, content_type = "application/problem+json"),
        (status = 404, description = "The site turned the code flow off", body = ProblemDoc, content_type = "application/problem+json"),
        (status = 422, description = "`person` is empty", body = ProblemDoc, content_type = "application/problem+json"),
        (status = 429, description = "Over the client's rate", body = ProblemDoc, content_type = "application/problem+json"),
    ),
    security(("bearer" = ["reset_code"]))
)]
pub async fn post_reset_code(
    State(state): State<AppState>,
    caller: Caller<SendResetCode>,
    ApiJson(body): ApiJson<ResetCodeRequest>,
) -> Result<Response, ApiError> {
    enabled(&state, FlowName::Code)?;
    let typed: String = body.person.trim().chars().take(256).collect();
    let journey = caller.journey(&state, FlowName::Code);
    let request = if typed.is_empty() {
        CodeRequest::Refused
    } else {
        CodeRequest::Accepted(&typed)
    };
    match code::request(&state.gateway, &journey, request).await? {
        Some(_) => {
            Ok((StatusCode::ACCEPTED, Json(AcceptedView { accepted: true })).into_response())
        }
        None => Err(ApiError::new(ProblemKind::InvalidInput)),
    }
}

// ---------------------------------------------------------------- problems

/// An RFC 9457 problem (`application/problem+json`).
#[derive(Serialize, ToSchema)]
#[schema(as = Problem)]
pub struct ProblemDoc {
    /// The problem's identifier, `/api/problems/<slug>` (see `docs/api.md`).
    #[serde(rename = "type")]
    #[schema(example = "/api/problems/unauthorized")]
    pub kind: String,
    /// The problem in a few words, in the caller's language
    /// (`Accept-Language`).
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What happened and what to do, in the caller's language.
    pub detail: String,
    /// `password-refused`: each problem of the new password.
    #[schema(nullable = false)]
    pub problems: Option<Vec<FieldProblemView>>,
    /// `password-refused`: how each rule fared.
    #[schema(nullable = false)]
    pub rules: Option<Vec<RuleStatusView>>,
    /// `locked`: when self-service opens again (RFC 3339), when known.
    #[schema(nullable = false)]
    pub locked_until: Option<String>,
    /// `forbidden`: the scope the token lacks.
    #[schema(nullable = false, value_type = Option<super::settings::Scope>)]
    pub scope: Option<String>,
}
