//! The JSON API for portals and scripts (`docs/api.md`), served under
//! `/api/` when `api.enabled`: the rules that apply to a person, a
//! candidate password checked against them, a change knowing the current
//! password, a reset code sent to the person's own address. Each route is
//! the web adapter of a domain call the pages make too, so the rules,
//! the attempt counting, the lockout, the audit trail (with the client's
//! name) and the metrics are the pages' own.
//!
//! Each client has a token read from a file and the actions it may take
//! ([`clients`], [`auth`]); errors are RFC 9457 problems ([`problem`]).
//! The OpenAPI document is generated from the handlers and their types
//! (`utoipa`), and each route is registered together with its
//! documentation ([`openapi_router`]), so the two cannot drift apart.

pub mod auth;
pub mod body;
pub mod clients;
pub mod problem;
pub mod routes;
pub mod settings;

use crate::AppState;
use axum::routing::get;
use axum::{Json, Router};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::num::NonZeroU32;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::OpenApi as Document;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use settings::{ApiSettings, Scope};

/// The API's own state: its clients and their rate.
pub struct Api {
    pub clients: clients::Clients,
    limiter: DefaultKeyedRateLimiter<String>,
}

impl Api {
    /// The API `settings` describe, its tokens read now (`None` when it is
    /// off). Errors: a token file that cannot be used.
    pub fn load(settings: &ApiSettings) -> Result<Option<Api>, clients::TokenError> {
        if !settings.enabled {
            return Ok(None);
        }
        let per_minute =
            NonZeroU32::new(settings.rate_limit_per_minute.max(1)).unwrap_or(NonZeroU32::MIN);
        let burst = NonZeroU32::new(settings.rate_limit_burst.max(1)).unwrap_or(NonZeroU32::MIN);
        Ok(Some(Api {
            clients: clients::Clients::load(settings)?,
            limiter: RateLimiter::keyed(Quota::per_minute(per_minute).allow_burst(burst)),
        }))
    }
}

/// The document's fixed parts: its title, version and the bearer scheme.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Passerelle API",
        description = "Self-service password actions for portals and scripts. Each client has a bearer token and the scopes it was given (`rules`, `check`, `change`, `reset_code`). Errors are RFC 9457 problems (`application/problem+json`) with a title in the caller's language (`Accept-Language`).",
    ),
    modifiers(&BearerScheme),
    tags((name = "passwords", description = "A person's password rules, checks and changes"))
)]
struct ApiDoc;

struct BearerScheme;

impl utoipa::Modify for BearerScheme {
    fn modify(&self, openapi: &mut Document) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

/// The OpenAPI document of `/api/openapi.json` itself.
#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "document",
    operation_id = "openapi",
    responses((status = 200, description = "This OpenAPI 3.1 document", content_type = "application/json"))
)]
async fn openapi_json() -> Json<serde_json::Value> {
    Json(document_json())
}

/// Every route of the API with its documentation, paths relative to
/// `/api`.
fn openapi_router() -> OpenApiRouter<AppState> {
    let mut base = ApiDoc::openapi();
    base.info.version = env!("CARGO_PKG_VERSION").to_owned();
    OpenApiRouter::with_openapi(base)
        .routes(routes!(routes::get_rules))
        .routes(routes!(routes::post_check))
        .routes(routes!(routes::post_password))
        .routes(routes!(routes::post_reset_code))
        .routes(routes!(openapi_json))
}

/// The API's routes and their document, with the paths they are served at.
fn split() -> (Router<AppState>, Document) {
    OpenApiRouter::new()
        .nest("/api", openapi_router())
        .split_for_parts()
}

/// The OpenAPI document of every route [`router`] serves.
pub fn document() -> Document {
    let (_, mut document) = split();
    // `nest` keeps the base document's info only on the nested router.
    let base = openapi_router().into_openapi();
    document.info = base.info;
    document.components = base.components;
    document.tags = base.tags;
    document
}

fn document_json() -> serde_json::Value {
    serde_json::to_value(document()).unwrap_or_default()
}

/// The API's routes, to merge into the site when `api.enabled`: outside
/// the pages' middleware (no HTML error pages, no per-address POST
/// limit: each client has its own), with their own body limit and their
/// errors written as problems.
pub fn router(state: &AppState, settings: &ApiSettings) -> Router<AppState> {
    let (routes, _) = split();
    let default_language = state.settings.site.default_language.clone();
    routes
        .route_layer(axum::middleware::from_fn(crate::metrics::note_route))
        // Anything else under /api/ is a problem too, not the pages' 404.
        .route("/api", get(not_found).fallback(not_found))
        .route("/api/{*rest}", get(not_found).fallback(not_found))
        .layer(axum::extract::DefaultBodyLimit::max(
            settings.max_body_bytes,
        ))
        .layer(axum::middleware::from_fn(move |request, next| {
            problem::render(default_language.clone(), request, next)
        }))
}

async fn not_found() -> problem::ApiError {
    problem::ApiError::new(problem::ProblemKind::NotFound)
}

/// Re-reads the API's token files (SIGHUP).
pub fn reload(state: &AppState) {
    if let Some(api) = &state.api {
        api.clients.reload();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;
    use std::collections::BTreeSet;

    fn refs(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (key, value) in map {
                    match (key.as_str(), value) {
                        ("$ref", Value::String(target)) => out.push(target.clone()),
                        _ => refs(value, out),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|item| refs(item, out)),
            _ => {}
        }
    }

    #[test]
    fn the_document_is_openapi_3_1_and_every_reference_resolves() {
        let json = document_json();
        assert_eq!(json["openapi"], "3.1.0");
        assert_eq!(json["info"]["title"], "Passerelle API");
        assert_eq!(json["info"]["version"], env!("CARGO_PKG_VERSION"));
        // It reads back as an OpenAPI document.
        let parsed: Document = serde_json::from_value(json.clone()).expect("an OpenAPI document");
        assert_eq!(serde_json::to_value(&parsed).unwrap(), json);
        let mut targets = Vec::new();
        refs(&json, &mut targets);
        assert!(!targets.is_empty());
        for target in targets {
            let pointer = target.strip_prefix('#').expect("a local reference");
            assert!(
                json.pointer(pointer).is_some(),
                "{target} resolves to nothing"
            );
        }
        assert!(json.pointer("/components/securitySchemes/bearer").is_some());
    }

    #[test]
    fn every_operation_has_an_id_responses_and_a_problem_for_each_error() {
        let json = document_json();
        let mut ids = BTreeSet::new();
        for (path, item) in json["paths"].as_object().unwrap() {
            assert!(path.starts_with("/api/"), "{path}");
            for (method, operation) in item.as_object().unwrap() {
                let id = operation["operationId"].as_str().expect("an operationId");
                assert!(ids.insert(id.to_owned()), "{id} twice");
                let responses = operation["responses"].as_object().expect("responses");
                for (status, response) in responses {
                    if status.starts_with('4') || status.starts_with('5') {
                        assert!(
                            response
                                .pointer("/content/application~1problem+json")
                                .is_some(),
                            "{method} {path} {status} is not a problem"
                        );
                    }
                }
                let secured = operation.get("security").is_some();
                assert_eq!(
                    secured,
                    responses.contains_key("401"),
                    "{method} {path}: a secured operation documents its 401"
                );
            }
        }
        assert_eq!(
            ids,
            ["change", "check", "openapi", "reset_code", "rules"]
                .into_iter()
                .map(String::from)
                .collect()
        );
    }

    #[test]
    fn every_problem_has_a_title_and_a_detail_in_each_language() {
        for lang in [passerelle_text::Lang::Fr, passerelle_text::Lang::En] {
            for kind in problem::ProblemKind::ALL {
                let doc = problem::document(kind, lang, &serde_json::Map::new());
                for member in ["title", "detail"] {
                    let text = doc[member].as_str().unwrap();
                    assert!(!text.starts_with("api-problem-"), "{lang:?} {text}");
                }
                assert_eq!(doc["status"], kind.status().as_u16());
            }
        }
    }
}
