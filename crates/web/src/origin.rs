//! Where a submitted form comes from, as the browser says it: the `Origin`
//! header and the Fetch Metadata header `Sec-Fetch-Site`. A form posted by
//! another site's page is refused before any step sees it (`Ctx::accept`
//! refuses it and the domain audits it as `refused_cross_site`), on top
//! of the CSRF token and the `SameSite=Strict` flow cookie: defence in
//! depth, as OWASP's Cross-Site Request Forgery Prevention Cheat Sheet
//! recommends ("Verifying Origin with standard headers", "Fetch Metadata
//! headers").
//!
//! The one origin allowed is `server.public_url`'s (scheme, host, port),
//! never the request's `Host` header, which the client writes. A request
//! that carries neither header (an old browser, curl, a privacy extension
//! that strips `Origin`) passes: the token still stands in the way.
//!
//! `Origin: null` says nothing either way, and our own forms send it: every
//! page carries `Referrer-Policy: no-referrer`, and the Fetch standard
//! ("append a request `Origin` header") then serialises the origin of a
//! form's POST as `null`, same-origin or not. So `null` is judged by
//! `Sec-Fetch-Site`, which every current browser sends with it
//! (`same-origin` from our pages, `cross-site` from another site's).

use axum::http::HeaderMap;

/// What the browser says of where a submission comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Provenance {
    /// `Origin` is the site's own, or `Sec-Fetch-Site` says `same-origin`
    /// or `none` (typed or bookmarked by the person).
    SameOrigin,
    /// Neither header: nothing to check.
    Unsaid,
    /// Another site's page sent it: what `Origin` (or `Sec-Fetch-Site`)
    /// said, made one bounded line for the log.
    CrossSite(String),
}

impl Provenance {
    /// Whether the submission may go on to its step.
    pub fn allows(&self) -> bool {
        !matches!(self, Provenance::CrossSite(_))
    }
}

/// The origin of `public_url` (`https://sesame.univ-exemple.fr`, default
/// port left out), as browsers write it in `Origin`; None when it is not
/// an http(s) URL (which `Settings::validate` refuses at start).
pub fn public_origin(public_url: &str) -> Option<String> {
    let url = url::Url::parse(public_url).ok()?;
    matches!(url.scheme(), "http" | "https").then(|| url.origin().ascii_serialization())
}

/// Where a submission with `headers` comes from, for a site whose own
/// origin is `own` ([`public_origin`]).
///
/// `Origin` decides when it names an origin: the site's own passes,
/// anything else (another host, scheme or port, garbage) is cross-site.
/// Absent or `null` (see the module), `Sec-Fetch-Site` decides:
/// `cross-site` or `same-site` (a sibling subdomain is another origin) is
/// refused; `same-origin` and `none` pass; nothing said passes.
pub fn provenance(headers: &HeaderMap, own: Option<&str>) -> Provenance {
    let said = |value: &axum::http::HeaderValue| {
        passerelle_text::safe_text::single_line(&String::from_utf8_lossy(value.as_bytes()), 200)
    };
    let origin = headers
        .get(axum::http::header::ORIGIN)
        .filter(|origin| origin.as_bytes().trim_ascii() != b"null");
    if let Some(origin) = origin {
        let theirs = origin
            .to_str()
            .ok()
            .and_then(|text| url::Url::parse(text.trim()).ok())
            .filter(|url| matches!(url.scheme(), "http" | "https"))
            .map(|url| url.origin().ascii_serialization());
        return match (theirs, own) {
            (Some(theirs), Some(own)) if theirs == own => Provenance::SameOrigin,
            _ => Provenance::CrossSite(said(origin)),
        };
    }
    match headers.get("sec-fetch-site") {
        None => Provenance::Unsaid,
        Some(site) => match site.to_str().map(|s| s.trim().to_ascii_lowercase()) {
            Ok(site) if site == "same-origin" || site == "none" => Provenance::SameOrigin,
            Ok(site) if site == "cross-site" || site == "same-site" => {
                Provenance::CrossSite(format!("Sec-Fetch-Site: {site}"))
            }
            // A value the standard does not define: nothing said.
            _ => Provenance::Unsaid,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.insert(*name, HeaderValue::from_static(value));
        }
        headers
    }

    const OWN: Option<&str> = Some("https://sesame.univ-exemple.fr");

    #[test]
    fn the_public_url_gives_the_origin_browsers_write() {
        assert_eq!(
            public_origin("https://sesame.univ-exemple.fr/").as_deref(),
            OWN
        );
        assert_eq!(
            public_origin("https://Sesame.Univ-Exemple.fr:443/mdp/").as_deref(),
            OWN
        );
        assert_eq!(
            public_origin("http://127.0.0.1:8080").as_deref(),
            Some("http://127.0.0.1:8080")
        );
        assert_eq!(public_origin("not a url"), None);
    }

    #[test]
    fn the_own_origin_and_absent_headers_pass() {
        for pairs in [
            &[("origin", "https://sesame.univ-exemple.fr")][..],
            &[("origin", "https://SESAME.univ-exemple.fr:443")],
            &[
                ("origin", "https://sesame.univ-exemple.fr"),
                ("sec-fetch-site", "same-origin"),
            ],
            &[("sec-fetch-site", "same-origin")],
            &[("sec-fetch-site", "none")],
            // Our own form under `Referrer-Policy: no-referrer`.
            &[("origin", "null"), ("sec-fetch-site", "same-origin")],
        ] {
            assert_eq!(provenance(&headers(pairs), OWN), Provenance::SameOrigin);
        }
        assert_eq!(provenance(&HeaderMap::new(), OWN), Provenance::Unsaid);
        assert_eq!(
            provenance(&headers(&[("origin", "null")]), OWN),
            Provenance::Unsaid
        );
        assert!(provenance(&HeaderMap::new(), OWN).allows());
    }

    #[test]
    fn another_origin_null_or_a_cross_site_fetch_is_refused() {
        for pairs in [
            &[("origin", "https://evil.example")][..],
            &[("origin", "http://sesame.univ-exemple.fr")],
            &[("origin", "https://sesame.univ-exemple.fr:8443")],
            &[("origin", "https://other.univ-exemple.fr")],
            &[("origin", "https://sesame.univ-exemple.fr.evil.example")],
            &[("origin", "null"), ("sec-fetch-site", "cross-site")],
            &[("origin", "")],
            // Origin decides when both are sent.
            &[
                ("origin", "https://evil.example"),
                ("sec-fetch-site", "same-origin"),
            ],
            &[("sec-fetch-site", "cross-site")],
            &[("sec-fetch-site", "same-site")],
        ] {
            let seen = provenance(&headers(pairs), OWN);
            assert!(!seen.allows(), "{pairs:?} passed");
        }
        assert_eq!(
            provenance(&headers(&[("origin", "https://evil.example")]), OWN),
            Provenance::CrossSite("https://evil.example".into())
        );
    }
}
