//! Who is asking: the client's address and user agent, worked out once
//! per request by [`identify`] and read by everything that needs them (the
//! per-address limit on form submissions, the captcha's memory of recent
//! requests, the audit trail), so they cannot disagree.
//!
//! The address is the TCP peer, unless the peer is one of
//! `server.trusted_proxies`: then it is the rightmost address of the
//! forwarding header (`server.forwarded_header`) that is not a trusted
//! proxy itself. Each proxy appends the address it saw, so the entries on
//! the right were written by proxies we trust and the ones further left
//! are only what the client claimed (the usual spoof of a rate limit).
//!
//! What the per-address limits count is the client's [`ClientInfo::network`]:
//! an IPv4 address alone, an IPv6 address's network of
//! `server.rate_limit_ipv6_prefix` bits (a /64 by default). A subscriber is
//! given a whole /64 and may use any of its 2^64 addresses: counted one by
//! one, a single machine would never meet the limit.
//!
//! The limit lives in memory on each replica (the per-account lockout,
//! which matters more, lives in the directory).

use super::error::WebError;
use super::AppState;
use crate::settings::{ForwardedHeader, ServerSettings};
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use ipnet::IpNet;
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
        let server = crate::settings::ServerSettings::default();
        Self {
            per_minute: server.rate_limit_per_minute,
            burst: server.rate_limit_burst,
        }
    }
}

/// The per-address limiter, keyed by [`ClientInfo::network`].
pub struct PostLimiter {
    limiter: DefaultKeyedRateLimiter<IpNet>,
}

impl PostLimiter {
    pub fn new(settings: RateLimitSettings) -> PostLimiter {
        let per_minute = NonZeroU32::new(settings.per_minute.max(1)).unwrap_or(NonZeroU32::MIN);
        let burst = NonZeroU32::new(settings.burst.max(1)).unwrap_or(NonZeroU32::MIN);
        PostLimiter {
            limiter: RateLimiter::keyed(Quota::per_minute(per_minute).allow_burst(burst)),
        }
    }

    /// Whether the client `network` ([`ClientInfo::network`]) may submit a
    /// form now (and counts it).
    pub fn allow(&self, network: IpNet) -> bool {
        self.limiter.check_key(&network).is_ok()
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
    /// What the per-address limits count for this client
    /// ([`limited_network`]): the IPv4 address itself, or the IPv6
    /// address's network of `server.rate_limit_ipv6_prefix` bits.
    pub network: IpNet,
    /// The `User-Agent` header made one safe line of at most
    /// [`passerelle_text::safe_text::MAX_USER_AGENT_CHARS`] characters (it goes into
    /// every audit line, and the client writes it).
    pub user_agent: String,
}

impl ClientInfo {
    /// The visitor as the flows' audit trail and mails see them.
    pub fn visitor(&self, lang: passerelle_text::i18n::Lang) -> passerelle_domain::audit::Visitor {
        passerelle_domain::audit::Visitor {
            address: self.address,
            network: self.network,
            user_agent: self.user_agent.clone(),
            lang,
            api_client: None,
        }
    }

    /// The client of a request whose TCP peer is in its `ConnectInfo`,
    /// as `server` says to read it (trusted proxies and their header).
    pub fn from_parts(parts: &Parts, server: &ServerSettings) -> ClientInfo {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip());
        let proxies = Proxies {
            trusted: &server.trusted_proxies,
            header: server.forwarded_header,
        };
        let address = proxies.client_address(peer, &parts.headers);
        ClientInfo {
            address,
            network: limited_network(address, server.rate_limit_ipv6_prefix),
            user_agent: parts
                .headers
                .get(header::USER_AGENT)
                .map(|v| user_agent(v.as_bytes()))
                .unwrap_or_default(),
        }
    }
}

/// What the per-address limits count for a client at `address`: the
/// domain's [`passerelle_domain::audit::client_network`], which the SMS
/// limits count too, so that both see one client alike.
pub use passerelle_domain::audit::client_network as limited_network;

/// A `User-Agent` value as the audit log keeps it. Header bytes need not
/// be UTF-8 (obs-text) and may hold tabs or other controls: decoded
/// leniently, then made one safe, bounded line.
pub fn user_agent(raw: &[u8]) -> String {
    passerelle_text::safe_text::single_line(
        &String::from_utf8_lossy(raw),
        passerelle_text::safe_text::MAX_USER_AGENT_CHARS,
    )
}

/// The reverse proxies a site runs in front of the gateway
/// (`server.trusted_proxies`) and the header they write.
#[derive(Debug, Clone, Copy)]
pub struct Proxies<'a> {
    pub trusted: &'a [IpNet],
    pub header: ForwardedHeader,
}

impl Proxies<'_> {
    fn trusts(&self, address: IpAddr) -> bool {
        self.trusted
            .iter()
            .any(|network| network.contains(&address))
    }

    /// The client's address: `peer` when it is not a trusted proxy (or
    /// sent no forwarding header); otherwise, walking the header's hops
    /// from the right, the first one that is not a trusted proxy (or the
    /// leftmost, when all of them are). A hop that is not an address
    /// (`unknown`, an obfuscated RFC 7239 name) stops the walk at the last
    /// address known. Without a peer (a test calling the router in
    /// process), the unspecified address. IPv4-mapped IPv6 addresses
    /// (`::ffff:192.0.2.1`, seen on a dual-stack listener) count as IPv4.
    pub fn client_address(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> IpAddr {
        let Some(peer) = peer.map(|p| p.to_canonical()) else {
            return IpAddr::V4(Ipv4Addr::UNSPECIFIED);
        };
        if !self.trusts(peer) {
            return peer;
        }
        let values = headers
            .get_all(match self.header {
                ForwardedHeader::XForwardedFor => "x-forwarded-for",
                ForwardedHeader::Forwarded => "forwarded",
            })
            .iter();
        // Hop by hop on the raw bytes: a hop that is not even ASCII was not
        // written by our proxy and is unknown (the walk stops there), but
        // the hops our proxies appended after it on the same line still
        // count — a client's `X-Forwarded-For: \xff` must not turn the
        // whole line, the proxy's own hop included, into the proxy.
        let hops: Vec<Option<IpAddr>> = values
            .flat_map(|value| value.as_bytes().split(|b| *b == b','))
            .map(|hop| {
                let hop = std::str::from_utf8(hop).ok().filter(|h| h.is_ascii())?;
                match self.header {
                    ForwardedHeader::XForwardedFor => node_address(hop),
                    ForwardedHeader::Forwarded => forwarded_for(hop),
                }
            })
            .collect();
        let mut client = peer;
        for hop in hops.iter().rev() {
            match hop {
                Some(address) => {
                    client = address.to_canonical();
                    if !self.trusts(client) {
                        break;
                    }
                }
                None => break,
            }
        }
        client
    }
}

/// The address of one hop as proxies write it: `192.0.2.1`, `2001:db8::1`,
/// and with a port `192.0.2.1:4711` or `[2001:db8::1]:4711` (RFC 7239
/// node syntax, also seen in `X-Forwarded-For`). Quotes are allowed.
fn node_address(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim().trim_matches('"');
    if let Ok(address) = hop.parse::<IpAddr>() {
        return Some(address);
    }
    if let Ok(socket) = hop.parse::<SocketAddr>() {
        return Some(socket.ip());
    }
    hop.strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'))
        .and_then(|inner| inner.parse::<IpAddr>().ok())
}

/// The `for=` node of one RFC 7239 `forwarded-element`
/// (`for=192.0.2.60;proto=https;by=203.0.113.43`); None when it has none
/// or it is not an address (`unknown`, `_hidden`).
fn forwarded_for(element: &str) -> Option<IpAddr> {
    element.split(';').find_map(|pair| {
        let (name, value) = pair.split_once('=')?;
        if name.trim().eq_ignore_ascii_case("for") {
            node_address(value)
        } else {
            None
        }
    })
}

/// Works out the request's [`ClientInfo`] once, from its TCP peer and, if
/// the peer is a trusted proxy, its forwarding header; every later reader
/// ([`limit_posts`], the flows' audit, the captcha) takes it from the
/// request's extensions.
pub async fn identify(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    let client = ClientInfo::from_parts(&parts, &state.settings.server);
    parts.extensions.insert(client);
    request = Request::from_parts(parts, body);
    next.run(request).await
}

impl FromRequestParts<AppState> for ClientInfo {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        Ok(match parts.extensions.get::<ClientInfo>() {
            Some(client) => client.clone(),
            None => ClientInfo::from_parts(parts, &state.settings.server),
        })
    }
}

/// Refuses a POST, or a captcha picture or recording (each rendered anew:
/// CPU a script could otherwise ask for without end), from an address over
/// its quota with the 429 page; the two are counted apart.
pub async fn limit_posts(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let limiter = if request.method() == Method::POST {
        Some(&state.limiter)
    } else if request.uri().path().starts_with("/captcha/") {
        Some(&state.media_limiter)
    } else {
        None
    };
    if let Some(limiter) = limiter {
        let (parts, body) = request.into_parts();
        let client = match parts.extensions.get::<ClientInfo>() {
            Some(client) => client.clone(),
            None => ClientInfo::from_parts(&parts, &state.settings.server),
        };
        if !limiter.allow(client.network) {
            // The path is the client's text: bounded like any outside value.
            let flow = passerelle_text::safe_text::single_line(parts.uri.path(), 256);
            tracing::warn!(
                target: "audit",
                flow,
                step = "submit",
                outcome = "rate_limited",
                client = %client.address,
                network = %client.network,
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

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn with(name: &'static str, values: &[&'static str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(name, HeaderValue::from_static(value));
        }
        headers
    }

    fn client(
        trusted: &[&str],
        header: ForwardedHeader,
        peer: &str,
        headers: &HeaderMap,
    ) -> IpAddr {
        let trusted: Vec<IpNet> = trusted
            .iter()
            .map(|n| n.parse().unwrap_or_else(|_| IpNet::from(ip(n))))
            .collect();
        Proxies {
            trusted: &trusted,
            header,
        }
        .client_address(Some(ip(peer)), headers)
    }

    const XFF: ForwardedHeader = ForwardedHeader::XForwardedFor;

    #[test]
    fn forwarded_for_is_ignored_unless_the_peer_is_trusted() {
        let headers = with("x-forwarded-for", &["10.0.0.1, 10.0.0.2"]);
        assert_eq!(client(&[], XFF, "127.0.0.1", &headers), ip("127.0.0.1"));
        assert_eq!(
            client(&["192.0.2.0/24"], XFF, "127.0.0.1", &headers),
            ip("127.0.0.1")
        );
        assert_eq!(
            client(&["127.0.0.1/32"], XFF, "127.0.0.1", &headers),
            ip("10.0.0.2")
        );
    }

    #[test]
    fn the_rightmost_untrusted_hop_is_the_client() {
        // spoofed, client, then two proxies of ours (one named in the
        // header, the other the peer); across two header lines.
        let headers = with("x-forwarded-for", &["6.6.6.6, 198.51.100.7", "10.1.0.3"]);
        let trusted = ["10.1.0.0/16", "127.0.0.1"];
        assert_eq!(
            client(&trusted, XFF, "127.0.0.1", &headers),
            ip("198.51.100.7")
        );
        // Everyone is ours (a client inside the network): the leftmost.
        let inside = with("x-forwarded-for", &["10.1.9.9, 10.1.0.3"]);
        assert_eq!(client(&trusted, XFF, "127.0.0.1", &inside), ip("10.1.9.9"));
        // A hop our proxy could not name stops at the last one known.
        let unknown = with("x-forwarded-for", &["6.6.6.6, unknown, 10.1.0.3"]);
        assert_eq!(client(&trusted, XFF, "127.0.0.1", &unknown), ip("10.1.0.3"));
        // No header from a trusted peer: the peer.
        assert_eq!(
            client(&trusted, XFF, "127.0.0.1", &HeaderMap::new()),
            ip("127.0.0.1")
        );
    }

    #[test]
    fn a_client_s_hop_that_is_not_ascii_never_hides_the_hop_our_proxy_appended() {
        // nginx's $proxy_add_x_forwarded_for appends the real address to
        // whatever the client sent, on the same line.
        let mut headers = HeaderMap::new();
        headers.append(
            "x-forwarded-for",
            HeaderValue::from_bytes(b"\xff\xfe, 203.0.113.9").unwrap(),
        );
        assert_eq!(
            client(&["127.0.0.1"], XFF, "127.0.0.1", &headers),
            ip("203.0.113.9")
        );
        let mut forwarded = HeaderMap::new();
        forwarded.append(
            "forwarded",
            HeaderValue::from_bytes(b"for=\"\xe9\", for=203.0.113.9").unwrap(),
        );
        assert_eq!(
            client(
                &["127.0.0.1"],
                ForwardedHeader::Forwarded,
                "127.0.0.1",
                &forwarded
            ),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn only_the_configured_header_is_read() {
        let both = {
            let mut headers = with("x-forwarded-for", &["198.51.100.7"]);
            headers.append(
                "forwarded",
                HeaderValue::from_static("for=6.6.6.6;proto=https"),
            );
            headers
        };
        let trusted = ["127.0.0.1"];
        assert_eq!(
            client(&trusted, XFF, "127.0.0.1", &both),
            ip("198.51.100.7")
        );
        assert_eq!(
            client(&trusted, ForwardedHeader::Forwarded, "127.0.0.1", &both),
            ip("6.6.6.6")
        );
    }

    #[test]
    fn forwarded_nodes_take_every_rfc_7239_form() {
        let headers = with(
            "forwarded",
            &[r#"for=6.6.6.6, for="[2001:db8:cafe::17]:4711";proto=https, For=10.1.0.3:80;by=_lb"#],
        );
        let trusted = ["10.1.0.0/16", "127.0.0.1"];
        assert_eq!(
            client(&trusted, ForwardedHeader::Forwarded, "127.0.0.1", &headers),
            ip("2001:db8:cafe::17")
        );
        let hidden = with("forwarded", &["for=6.6.6.6, for=_hidden, for=10.1.0.3"]);
        assert_eq!(
            client(&trusted, ForwardedHeader::Forwarded, "127.0.0.1", &hidden),
            ip("10.1.0.3")
        );
    }

    #[test]
    fn an_ipv4_mapped_peer_is_an_ipv4_peer() {
        let headers = with("x-forwarded-for", &["198.51.100.7"]);
        assert_eq!(
            client(&["127.0.0.1"], XFF, "::ffff:127.0.0.1", &headers),
            ip("198.51.100.7")
        );
        assert_eq!(
            client(&[], XFF, "::ffff:192.0.2.9", &headers),
            ip("192.0.2.9")
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
        let a = limited_network(ip("10.0.0.1"), 64);
        let b = limited_network(ip("10.0.0.2"), 64);
        assert!(limiter.allow(a));
        assert!(limiter.allow(a));
        assert!(!limiter.allow(a));
        assert!(limiter.allow(b));
    }

    #[test]
    fn ipv6_clients_are_counted_by_their_network_and_ipv4_clients_by_their_address() {
        let net = |text: &str, prefix| limited_network(ip(text), prefix).to_string();
        assert_eq!(net("2001:db8:1:2:aaaa::1", 64), "2001:db8:1:2::/64");
        assert_eq!(
            net("2001:db8:1:2:ffff:ffff:ffff:ffff", 64),
            "2001:db8:1:2::/64"
        );
        assert_eq!(net("2001:db8:1:2:aaaa::1", 56), "2001:db8:1::/56");
        assert_eq!(net("2001:db8:1:2:aaaa::1", 128), "2001:db8:1:2:aaaa::1/128");
        assert_eq!(net("::1", 64), "::/64");
        // IPv4, and IPv4 seen on a dual-stack listener: the address alone,
        // whatever the IPv6 prefix.
        assert_eq!(net("192.0.2.7", 64), "192.0.2.7/32");
        assert_eq!(net("192.0.2.7", 48), "192.0.2.7/32");
        assert_eq!(net("::ffff:192.0.2.7", 64), "192.0.2.7/32");
    }

    #[test]
    fn forty_addresses_of_one_slash_64_share_one_quota() {
        let limiter = PostLimiter::new(RateLimitSettings {
            per_minute: 1,
            burst: 10,
        });
        let allowed = (1..=40)
            .filter(|i| limiter.allow(limited_network(ip(&format!("2001:db8:7:7::{i:x}")), 64)))
            .count();
        assert_eq!(allowed, 10);
        // The next /64 has its own quota; so has every address when each
        // is counted apart (a prefix of 128).
        assert!(limiter.allow(limited_network(ip("2001:db8:7:8::1"), 64)));
        let apart = PostLimiter::new(RateLimitSettings {
            per_minute: 1,
            burst: 10,
        });
        assert!((1..=40)
            .all(|i| apart.allow(limited_network(ip(&format!("2001:db8:7:7::{i:x}")), 128))));
    }
}
