//! Headers every response carries. Pages are never cached (they hold forms,
//! CSRF tokens and personal data: a shared computer's back button must not
//! show them again); static files are cached for a long time, since their
//! URLs change with the release. The CSP forbids inline scripts and styles,
//! framing, and forms posting elsewhere. When the public URL is https,
//! HSTS tells browsers never to try plain http for the site again
//! (`server.hsts_max_age_seconds`).

use super::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'";

/// The policy for a site: [`CONTENT_SECURITY_POLICY`], plus the origins of
/// its images served from elsewhere (`site.logo_url`, `site.favicon_url`),
/// which images may then come from.
pub fn content_security_policy_for_images<'a>(
    image_urls: impl Iterator<Item = &'a str>,
) -> HeaderValue {
    let mut origins: Vec<String> = image_urls
        .filter_map(|u| url::Url::parse(u).ok())
        .filter(|u| matches!(u.scheme(), "https" | "http"))
        .map(|u| u.origin().ascii_serialization())
        .collect();
    origins.dedup();
    let policy = if origins.is_empty() {
        CONTENT_SECURITY_POLICY.to_owned()
    } else {
        format!(
            "{CONTENT_SECURITY_POLICY}; img-src 'self' {}",
            origins.join(" ")
        )
    };
    HeaderValue::from_str(&policy).unwrap_or(HeaderValue::from_static(CONTENT_SECURITY_POLICY))
}

/// `Strict-Transport-Security` for a site served at `public_url`: only
/// when that is https (sent over http the header would be meaningless, and
/// on a demo at http://127.0.0.1 harmful to every other local site), and
/// not when the configured age is 0.
pub fn strict_transport_security(public_url: &str, max_age_seconds: u64) -> Option<HeaderValue> {
    let https = url::Url::parse(public_url).is_ok_and(|url| url.scheme() == "https");
    (https && max_age_seconds > 0)
        .then(|| HeaderValue::from_str(&format!("max-age={max_age_seconds}")).ok())
        .flatten()
}

pub async fn headers(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let is_static = request.uri().path().starts_with("/static/");
    let mut response = next.run(request).await;
    let cache = if is_static && response.status().is_success() {
        "public, max-age=31536000, immutable"
    } else {
        "no-store"
    };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    headers.insert(header::CONTENT_SECURITY_POLICY, state.csp.clone());
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if let Some(hsts) = &state.hsts {
        headers.insert(header::STRICT_TRANSPORT_SECURITY, hsts.clone());
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hsts_only_for_an_https_site() {
        assert_eq!(
            strict_transport_security("https://sesame.univ-exemple.fr", 31_536_000)
                .unwrap()
                .to_str()
                .unwrap(),
            "max-age=31536000"
        );
        assert!(strict_transport_security("http://127.0.0.1:8080", 31_536_000).is_none());
        assert!(strict_transport_security("https://sesame.univ-exemple.fr", 0).is_none());
    }

    #[test]
    fn a_logo_from_elsewhere_is_allowed_as_an_image_only() {
        let csp = content_security_policy_for_images(
            ["https://cdn.univ-exemple.fr/img/logo.svg"].into_iter(),
        );
        assert_eq!(
            csp.to_str().unwrap(),
            format!("{CONTENT_SECURITY_POLICY}; img-src 'self' https://cdn.univ-exemple.fr")
        );
        for local in [
            None,
            Some("/static/img/logo.svg"),
            Some("javascript:alert(1)"),
        ] {
            assert_eq!(
                content_security_policy_for_images(local.into_iter())
                    .to_str()
                    .unwrap(),
                CONTENT_SECURITY_POLICY
            );
        }
        let both = content_security_policy_for_images(
            [
                "https://cdn.univ-exemple.fr/logo.svg",
                "https://www.univ-exemple.fr/favicon.ico",
            ]
            .into_iter(),
        );
        assert!(both
            .to_str()
            .unwrap()
            .ends_with("img-src 'self' https://cdn.univ-exemple.fr https://www.univ-exemple.fr"));
    }
}
