//! The settings the web pages are served with: `[server]` and `[metrics]`,
//! which this crate owns, and the domain's and the captcha's tables the
//! pages show ([`WebSettings`]). The binary assembles them from the site's
//! configuration.

use passerelle_captcha::CaptchaSettings;
use passerelle_domain::flow::Switches;
use passerelle_domain::settings::{FlowSettings, HelpdeskSettings, LockoutSettings, SiteSettings};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What the web layer reads of the site's configuration.
#[derive(Debug, Clone, Default)]
pub struct WebSettings {
    pub server: ServerSettings,
    pub site: SiteSettings,
    pub flows: FlowSettings,
    pub lockout: LockoutSettings,
    pub captcha: CaptchaSettings,
    pub texts: crate::site_texts::TextSettings,
    pub metrics: MetricsSettings,
    /// `[helpdesk]`: whether `/helpdesk` is on, and its session's limits.
    pub helpdesk: HelpdeskSettings,
    pub api: crate::api::ApiSettings,
}

impl WebSettings {
    /// What turns the flows on.
    pub fn switches(&self) -> Switches<'_> {
        Switches {
            flows: &self.flows,
            helpdesk: &self.helpdesk,
        }
    }
}

/// The HTTP side of the gateway.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ServerSettings {
    /// Address and port the gateway listens on.
    pub listen: String,
    /// The address people reach the gateway at. Every link in a mail is
    /// built from it, never from the request's Host header.
    pub public_url: String,
    /// A flow left untouched this long ends (seconds).
    pub inactivity_seconds: u64,
    /// Largest form body accepted (bytes); anything larger is refused
    /// before it is read.
    pub max_form_bytes: usize,
    /// Mark cookies `Secure`. Only the demo on plain http turns this off.
    pub secure_cookies: bool,
    /// The reverse proxies whose forwarding header is believed: addresses
    /// or CIDR networks (`10.0.0.5`, `192.0.2.0/24`, `::1`). When the TCP
    /// peer is one of them, the client address is the rightmost address of
    /// `forwarded_header` that is not itself a trusted proxy (the leftmost
    /// entries are whatever the client claimed); otherwise the peer is the
    /// client. Empty (the default): headers are ignored. Rate limits, the
    /// captcha's memory of recent requests and the audit all use this
    /// address.
    #[serde(deserialize_with = "networks")]
    #[schemars(with = "Vec<String>")]
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// The header the trusted proxies write: `x-forwarded-for` (nginx,
    /// HAProxy, most load balancers) or `forwarded` (RFC 7239 `for=`). Only
    /// one is read, so a client cannot slip in the other one, which a proxy
    /// that manages only the first passes on untouched.
    pub forwarded_header: ForwardedHeader,
    /// `Strict-Transport-Security: max-age=…` on every response when
    /// `public_url` is https (seconds; one year by default, 0 leaves the
    /// header out). Never sent when `public_url` is http.
    pub hsts_max_age_seconds: u64,
    /// After SIGTERM or Ctrl-C, how long requests in progress (a password
    /// write among them) may take to finish before the process exits
    /// anyway (seconds). Queued mails get 10 more seconds after that.
    pub shutdown_grace_seconds: u64,
    /// Form submissions per minute and client address, sustained. The
    /// captcha's pictures and recordings get three times this, counted
    /// apart (each is rendered anew).
    pub rate_limit_per_minute: u32,
    /// Submissions a client address may make in a burst above that rate
    /// (the captcha's pictures and recordings: three times this).
    pub rate_limit_burst: u32,
    /// How many leading bits of an IPv6 client address the per-address
    /// limits count (the POST limit, the SMS asked for, the captcha's memory
    /// of recent requests, the address a captcha is bound to): 64 by default,
    /// since a home, a phone or a server is given a whole /64 and picks
    /// addresses in it at will (privacy addresses change by the hour). From
    /// 32 to 128: 128 counts each address apart, 48 or 56 a whole site. IPv4
    /// clients are always counted by their address.
    pub rate_limit_ipv6_prefix: u8,
    /// A connection that has not sent a whole request head this long after
    /// it opened or after its last answer is closed (seconds). A browser
    /// sends its head in one packet; only a stalled or hostile client
    /// ("slowloris") needs more.
    pub header_read_timeout_seconds: u64,
    /// The longest one request may take from its head to its answer
    /// (seconds); beyond, the client gets 408 and the work is dropped.
    pub request_timeout_seconds: u64,
    /// Connections held open at once. When all are taken, a new one closes
    /// the oldest connection that has no request in progress; when every
    /// one is working, new ones wait in the kernel's queue.
    pub max_connections: usize,
}

impl Default for ServerSettings {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8080".into(),
            public_url: "http://127.0.0.1:8080".into(),
            inactivity_seconds: 30 * 60,
            max_form_bytes: 16 * 1024,
            secure_cookies: true,
            trusted_proxies: Vec::new(),
            forwarded_header: ForwardedHeader::XForwardedFor,
            hsts_max_age_seconds: 365 * 24 * 3600,
            // Above a password write's worst honest time (a directory
            // timeout of 5 s, twice) and below what systemd (90 s) and
            // `docker stop` with `stop_grace_period` wait before killing.
            shutdown_grace_seconds: 20,
            // A person typing needs a handful per minute; a script needs more.
            rate_limit_per_minute: 20,
            rate_limit_burst: 10,
            // RFC 6177 and every ISP: the smallest IPv6 allocation to one
            // subscriber is a /64.
            rate_limit_ipv6_prefix: 64,
            header_read_timeout_seconds: 10,
            // Above the worst honest request: a directory timeout (5 s) met
            // on each of a few LDAP operations, plus a queued argon2 check.
            request_timeout_seconds: 30,
            // Half of the usual 1,024 descriptors, leaving the rest to the
            // LDAP pool, SMTP, logs and the listener.
            max_connections: 512,
        }
    }
}

/// The forwarding header trusted proxies write (`server.forwarded_header`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ForwardedHeader {
    /// `X-Forwarded-For: client, proxy1, proxy2`
    XForwardedFor,
    /// RFC 7239 `Forwarded: for=client, for=proxy1`
    Forwarded,
}

/// Reads `server.trusted_proxies`: each entry a CIDR network or a single
/// address (taken as a /32 or /128), so that `"10.0.0.5"` works as an
/// operator expects; figment adds the key to the error.
fn networks<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<ipnet::IpNet>, D::Error> {
    let entries = Vec::<String>::deserialize(deserializer)?;
    entries
        .iter()
        .map(|entry| {
            let entry = entry.trim();
            entry
                .parse::<ipnet::IpNet>()
                .or_else(|_| entry.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map(|network| network.trunc())
                .map_err(|_| {
                    serde::de::Error::custom(format!(
                        "IP addresses or CIDR networks such as \"10.0.0.5\" or \"192.0.2.0/24\", not {entry:?}"
                    ))
                })
        })
        .collect()
}

/// The Prometheus endpoint (`docs/metrics.md`): a listener of its own,
/// on loopback by default, and never among the pages unless a site says
/// so.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct MetricsSettings {
    /// Address and port of a listener that serves `/metrics` and nothing
    /// else. On loopback by default, where only a Prometheus (or an agent)
    /// on the same host reads it; `0.0.0.0:9464` lets a Prometheus
    /// elsewhere scrape it (keep that port off the internet). Empty: no
    /// listener of its own.
    pub listen: String,
    /// Also serve `/metrics` on the main listener, with the pages, to
    /// whoever reaches them. Off by default (the main listener answers
    /// 404): the numbers say nothing about a person, but they tell a
    /// stranger how many accounts are being locked and which flows fail.
    pub public: bool,
}

impl Default for MetricsSettings {
    fn default() -> Self {
        Self {
            // 9464: the port the OpenTelemetry Prometheus exporter uses,
            // free of the usual exporters' (9100 node, 9090 Prometheus).
            listen: "127.0.0.1:9464".into(),
            public: false,
        }
    }
}

impl MetricsSettings {
    /// The address of the listener of its own, unless `listen` is empty.
    pub fn own_listener(&self) -> Option<&str> {
        Some(self.listen.trim()).filter(|listen| !listen.is_empty())
    }
}
