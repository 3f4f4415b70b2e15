//! Who is asking: the client's address (the TCP peer, or the last hop of
//! `X-Forwarded-For` when `server.trust_forwarded_for` says a proxy of ours
//! adds it) and user agent, for the audit log and for the per-address limit
//! on form submissions. The limit lives in memory on each replica (the
//! per-account lockout, which matters more, lives in the directory).

use super::error::WebError;
use super::AppState;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::num::NonZeroU32;
use std::time::Duration;

/// How many form submissions one address may make.
#[derive(Debug, Clone, Copy)]
pub struct RateLimitSettings {
    /// Sustained submissions per minute.
    pub per_minute: u32,
    /// Submissions allowed in a burst above the sustained rate.
    pub burst: u32,
}

impl Default for RateLimitSettings {
    fn default() -> Self {
        let server = crate::config::ServerSettings::default();
        Self {
            per_minute: server.rate_limit_per_minute,
            burst: server.rate_limit_burst,
        }
    }
}

/// The per-address limiter.
pub struct PostLimiter {
    limiter: DefaultKeyedRateLimiter<IpAddr>,
}

impl PostLimiter {
    pub fn new(settings: RateLimitSettings) -> PostLimiter {
        let per_minute = NonZeroU32::new(settings.per_minute.max(1)).unwrap_or(NonZeroU32::MIN);
        let burst = NonZeroU32::new(settings.burst.max(1)).unwrap_or(NonZeroU32::MIN);
        PostLimiter {
            limiter: RateLimiter::keyed(Quota::per_minute(per_minute).allow_burst(burst)),
        }
    }

    /// Whether `address` may submit a form now (and counts it).
    pub fn allow(&self, address: IpAddr) -> bool {
        self.limiter.check_key(&address).is_ok()
    }

    /// Forgets addresses whose quota is full again, once a minute, so the
    /// table does not grow with every address ever seen.
    pub async fn sweep_forever(&self) {
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        loop {
            tick.tick().await;
            self.limiter.retain_recent();
            self.limiter.shrink_to_fit();
        }
    }
}

/// The client of a request.
#[derive(Debug, Clone)]
pub struct ClientInfo {
    pub address: IpAddr,
    /// The `User-Agent` header made one safe line of at most
    /// [`crate::safe_text::MAX_USER_AGENT_CHARS`] characters (it goes into
    /// every audit line, and the client writes it).
    pub user_agent: String,
}

impl ClientInfo {
    /// The visitor as the flows' audit trail and mails see them.
    pub fn visitor(&self, lang: crate::i18n::Lang) -> crate::flows::Visitor {
        crate::flows::Visitor {
            address: self.address,
            user_agent: self.user_agent.clone(),
            lang,
        }
    }

    pub fn from_parts(parts: &Parts, trust_forwarded_for: bool) -> ClientInfo {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip());
        ClientInfo {
            address: client_address(peer, &parts.headers, trust_forwarded_for),
            user_agent: parts
                .headers
                .get(header::USER_AGENT)
                .map(|v| user_agent(v.as_bytes()))
                .unwrap_or_default(),
        }
    }
}

/// A `User-Agent` value as the audit log keeps it. Header bytes need not
/// be UTF-8 (obs-text) and may hold tabs or other controls: decoded
/// leniently, then made one safe, bounded line.
pub fn user_agent(raw: &[u8]) -> String {
    crate::safe_text::single_line(
        &String::from_utf8_lossy(raw),
        crate::safe_text::MAX_USER_AGENT_CHARS,
    )
}

/// The peer, or with a trusted proxy the last address of
/// `X-Forwarded-For` (the one our proxy saw; earlier ones are the client's
/// own claims). Without any (a test calling the router in process), the
/// unspecified address.
pub fn client_address(
    peer: Option<IpAddr>,
    headers: &HeaderMap,
    trust_forwarded_for: bool,
) -> IpAddr {
    if trust_forwarded_for {
        let forwarded = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|a| a.trim().parse::<IpAddr>().ok())
            .next_back();
        if let Some(address) = forwarded {
            return address;
        }
    }
    peer.unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
}

impl FromRequestParts<AppState> for ClientInfo {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        Ok(ClientInfo::from_parts(
            parts,
            state.settings.server.trust_forwarded_for,
        ))
    }
}

/// Refuses a POST from an address over its quota with the 429 page.
pub async fn limit_posts(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.method() == Method::POST {
        let (parts, body) = request.into_parts();
        let client = ClientInfo::from_parts(&parts, state.settings.server.trust_forwarded_for);
        if !state.limiter.allow(client.address) {
            // The path is the client's text: bounded like any outside value.
            let flow = crate::safe_text::single_line(parts.uri.path(), 256);
            tracing::warn!(
                target: "audit",
                flow,
                step = "submit",
                outcome = "rate_limited",
                client = %client.address,
                user_agent = %client.user_agent,
                "rate limited"
            );
            return WebError::RateLimited.into_response();
        }
        return next.run(Request::from_parts(parts, body)).await;
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn forwarded_for_is_ignored_unless_trusted() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            HeaderValue::from_static("10.0.0.1, 10.0.0.2"),
        );
        let localhost = IpAddr::V4(Ipv4Addr::LOCALHOST);
        let peer = Some(localhost);
        assert_eq!(client_address(peer, &headers, false), localhost);
        assert_eq!(
            client_address(peer, &headers, true),
            "10.0.0.2".parse::<IpAddr>().unwrap()
        );
    }

    #[test]
    fn a_user_agent_is_one_bounded_line() {
        assert_eq!(
            user_agent(b"Mozilla/5.0\t(X11)\x1b[31m \xff"),
            "Mozilla/5.0 (X11) [31m \u{FFFD}"
        );
        assert_eq!(user_agent(&[b'a'; 5000]).chars().count(), 256);
    }

    #[test]
    fn an_address_over_its_burst_is_refused() {
        let limiter = PostLimiter::new(RateLimitSettings {
            per_minute: 1,
            burst: 2,
        });
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        assert!(limiter.allow(a));
        assert!(limiter.allow(a));
        assert!(!limiter.allow(a));
        assert!(limiter.allow(b));
    }
}
