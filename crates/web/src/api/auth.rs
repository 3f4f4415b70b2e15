//! Who calls the API, and whether they may: the bearer token of
//! `Authorization` names a client ([`super::clients`]), the client must
//! hold the route's scope ([`Caller`]'s type parameter), and it must be
//! within its rate (one quota per client). Without a valid token the
//! address is counted against the pages' per-address limit, so guessing
//! tokens is as slow as posting forms. Cookies authenticate nothing here:
//! a request with cookies and no token is refused (a browser a portal's
//! page sent cannot act with the person's session), and no CSRF token is
//! needed since nothing a browser attaches on its own is ever believed.

use super::problem::{caller_lang, ApiError, ProblemKind};
use super::settings::Scope;
use super::Api;
use crate::client::ClientInfo;
use crate::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use passerelle_domain::audit::Visitor;
use passerelle_domain::flow::FlowName;
use passerelle_domain::Journey;
use passerelle_text::Lang;
use std::marker::PhantomData;

/// A route's scope, as a type.
pub trait Action: Send + Sync {
    const SCOPE: Scope;
}

/// `rules`.
pub struct ReadRules;
/// `check`.
pub struct CheckPassword;
/// `change`.
pub struct ChangePassword;
/// `reset_code`.
pub struct SendResetCode;

impl Action for ReadRules {
    const SCOPE: Scope = Scope::Rules;
}
impl Action for CheckPassword {
    const SCOPE: Scope = Scope::Check;
}
impl Action for ChangePassword {
    const SCOPE: Scope = Scope::Change;
}
impl Action for SendResetCode {
    const SCOPE: Scope = Scope::ResetCode;
}

/// An authenticated client allowed to take the action `A`, and who it is
/// for the audit trail.
pub struct Caller<A: Action> {
    /// The client's name (`api.clients.NAME`).
    pub name: String,
    pub client: ClientInfo,
    /// The caller's `Accept-Language` (texts of the answer, mails sent).
    pub lang: Lang,
    action: PhantomData<A>,
}

impl<A: Action> Caller<A> {
    /// The visitor the flows' audit trail records: the address and user
    /// agent, and the client's name.
    pub fn visitor(&self) -> Visitor {
        Visitor {
            api_client: Some(self.name.clone()),
            ..self.client.visitor(self.lang)
        }
    }

    /// A new instance of `flow` for this request (counted as started).
    pub fn journey(&self, state: &AppState, flow: FlowName) -> Journey {
        state.gateway.flow_started(flow);
        Journey {
            flow,
            id: crate::flow_state::token()[..12].to_owned(),
            visitor: self.visitor(),
            proof: None,
        }
    }
}

/// The token of `Authorization: Bearer <token>`.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|token| !token.is_empty())
}

fn refused(client: &ClientInfo, name: Option<&str>, path: &str, outcome: &str) {
    let path = passerelle_text::safe_text::single_line(path, 256);
    tracing::warn!(
        target: "audit",
        flow = "api",
        path,
        outcome,
        client = %client.address,
        api_client = name.unwrap_or("-"),
        user_agent = %client.user_agent,
        "API request refused"
    );
}

impl<A: Action> FromRequestParts<AppState> for Caller<A> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Some(api) = state.api.as_deref() else {
            return Err(ApiError::new(ProblemKind::NotFound));
        };
        let client = match parts.extensions.get::<ClientInfo>() {
            Some(client) => client.clone(),
            None => ClientInfo::from_parts(parts, &state.settings.server),
        };
        let path = parts.uri.path();
        let found = bearer(&parts.headers).and_then(|token| api.clients.authenticate(token));
        let Some(found) = found else {
            if !state.limiter.allow(client.network) {
                refused(&client, None, path, "rate_limited");
                return Err(ApiError::new(ProblemKind::RateLimited).retry_after(60));
            }
            let kind = if parts.headers.get(header::AUTHORIZATION).is_none()
                && parts.headers.contains_key(header::COOKIE)
            {
                ProblemKind::CookiesRefused
            } else {
                ProblemKind::Unauthorized
            };
            refused(&client, None, path, "unauthorized");
            return Err(ApiError::new(kind));
        };
        if let Err(wait) = api.allow(&found.name) {
            refused(&client, Some(&found.name), path, "rate_limited");
            return Err(ApiError::new(ProblemKind::RateLimited).retry_after(wait));
        }
        if !found.may(A::SCOPE) {
            refused(&client, Some(&found.name), path, "forbidden");
            return Err(ApiError::new(ProblemKind::Forbidden).with("scope", A::SCOPE));
        }
        Ok(Caller {
            name: found.name,
            lang: caller_lang(&parts.headers, &state.settings.site.default_language),
            client,
            action: PhantomData,
        })
    }
}

impl Api {
    /// Whether the client `name` may make a request now (and counts it);
    /// else how many seconds to wait.
    fn allow(&self, name: &str) -> Result<(), u64> {
        self.limiter
            .check_key(&name.to_owned())
            .map_err(|not_until| {
                not_until
                    .wait_time_from(governor::clock::Clock::now(
                        &governor::clock::DefaultClock::default(),
                    ))
                    .as_secs()
                    .max(1)
            })
    }
}
