//! The per-address POST limit over real IPv6: the gateway listens on the
//! IPv6 loopback (`[::1]`) and counts an IPv6 client by its /64
//! (`server.rate_limit_ipv6_prefix`), so that the many addresses one
//! subscriber holds share one quota.
//!
//! Linux gives the loopback one IPv6 address, `::1`. Two ways to have more:
//!
//! - with the right to change interfaces (root or CAP_NET_ADMIN, as in the
//!   project's container), the test adds three addresses of its own to
//!   `lo` (two in one /64, one in another; a prefix of this process's, so
//!   that parallel runs do not meet), connects from each of them as its
//!   source address, and removes them afterwards;
//! - without it, that test says so on stderr and proves nothing; the other
//!   test still runs over the real IPv6 loopback, with the client
//!   addresses written by a trusted proxy (`::1`) in `X-Forwarded-For`, as
//!   behind a reverse proxy.
//!
//! Without IPv6 at all (no `::1`), both say so and stop.

use crate::app::{spawn_app_limited, TestApp};
use passerelle::web::RateLimitSettings;
use reqwest::StatusCode;
use std::net::IpAddr;
use std::process::Command;

/// A burst of 12, then one a minute: no refill during a test.
const LIMIT: RateLimitSettings = RateLimitSettings {
    per_minute: 1,
    burst: 12,
};

/// A gateway on `[::1]`, trusting `trusted` as proxies.
async fn gateway_on_ipv6_loopback(trusted: Vec<ipnet::IpNet>) -> Option<TestApp> {
    if std::net::TcpListener::bind("[::1]:0").is_err() {
        eprintln!("SKIPPED: this host has no IPv6 loopback (::1)");
        return None;
    }
    Some(
        spawn_app_limited(LIMIT, move |settings| {
            settings.server.listen = "[::1]:0".into();
            settings.server.trusted_proxies = trusted;
        })
        .await,
    )
}

/// A POST to `/recover` (a form without tokens: refused by the step, but
/// counted by the limit first), from a client bound to `source`, claiming
/// `forwarded` in `X-Forwarded-For` when given.
async fn post(app: &TestApp, source: IpAddr, forwarded: Option<&str>) -> StatusCode {
    let client = reqwest::Client::builder()
        .local_address(source)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let mut request = client
        .post(format!("http://[::1]:{}/recover", app.port))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("csrf=x");
    if let Some(forwarded) = forwarded {
        request = request.header("x-forwarded-for", forwarded);
    }
    request.send().await.expect("POST over IPv6").status()
}

/// Addresses this test added to `lo`, removed when dropped.
struct LoopbackAddresses(Vec<IpAddr>);

impl LoopbackAddresses {
    /// Adds `addresses` to `lo`; None (nothing left behind) when this
    /// process may not (not root, no `ip`, IPv6 off).
    fn add(addresses: &[IpAddr]) -> Option<LoopbackAddresses> {
        let mut added = LoopbackAddresses(Vec::new());
        for address in addresses {
            let status = Command::new("ip")
                .args(["-6", "addr", "add", &format!("{address}/128"), "dev", "lo"])
                .arg("nodad")
                .stderr(std::process::Stdio::null())
                .status();
            if !status.is_ok_and(|s| s.success()) {
                return None;
            }
            added.0.push(*address);
        }
        Some(added)
    }
}

impl Drop for LoopbackAddresses {
    fn drop(&mut self) {
        for address in &self.0 {
            let _ = Command::new("ip")
                .args(["-6", "addr", "del", &format!("{address}/128"), "dev", "lo"])
                .status();
        }
    }
}

/// Posts from `source` until refused; how many passed.
async fn flood(app: &TestApp, source: IpAddr, forwarded: Option<&str>) -> usize {
    for sent in 0..100 {
        if post(app, source, forwarded).await == StatusCode::TOO_MANY_REQUESTS {
            return sent;
        }
    }
    panic!("100 posts from {source} ({forwarded:?}) were never refused");
}

#[tokio::test(flavor = "multi_thread")]
async fn real_ipv6_source_addresses_of_one_slash_64_share_one_limit() {
    // fd00::/8 is for local use; this process's id picks the /48.
    let pid = std::process::id();
    let prefix = format!("fd70:{:x}:{:x}", (pid >> 16) & 0xffff, pid & 0xffff);
    let ip = |text: String| -> IpAddr { text.parse().expect("address") };
    let (first, neighbour, elsewhere) = (
        ip(format!("{prefix}:1::a")),
        ip(format!("{prefix}:1:ffff:ffff:ffff:b")),
        ip(format!("{prefix}:2::a")),
    );
    let Some(app) = gateway_on_ipv6_loopback(Vec::new()).await else {
        return;
    };
    let Some(_added) = LoopbackAddresses::add(&[first, neighbour, elsewhere]) else {
        eprintln!(
            "SKIPPED: cannot add IPv6 addresses to lo (needs root or CAP_NET_ADMIN); \
             the per-/64 limit is still proven through a trusted proxy over ::1"
        );
        return;
    };
    // The connection's own address is the client (no trusted proxy).
    assert_eq!(flood(&app, first, None).await, 12);
    // Another address of the same /64: the quota is already spent.
    assert_eq!(
        post(&app, neighbour, None).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Another /64 has its own.
    assert_ne!(
        post(&app, elsewhere, None).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // The refusal names the client and the network it was counted by.
    let logs = crate::logs::captured();
    let text = String::from_utf8(logs.lock().expect("logs").clone()).expect("utf-8");
    let networks: Vec<String> = text
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["outcome"] == "rate_limited" && v["client"] == neighbour.to_string())
        .map(|v| v["network"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(networks, [format!("{prefix}:1::/64")]);
}

#[tokio::test(flavor = "multi_thread")]
async fn ipv6_clients_behind_a_proxy_on_the_ipv6_loopback_are_counted_by_their_slash_64() {
    let loopback: IpAddr = "::1".parse().expect("::1");
    let Some(app) = gateway_on_ipv6_loopback(vec![ipnet::IpNet::from(loopback)]).await else {
        return;
    };
    // Forty addresses of one /64, each posting in turn: twelve pass in all,
    // as if they were one client.
    let mut passed = 0;
    for i in 1..=40u32 {
        let client = format!("2001:db8:4:1:{:x}::{:x}", i * 7, i);
        if post(&app, loopback, Some(&client)).await != StatusCode::TOO_MANY_REQUESTS {
            passed += 1;
        }
    }
    assert_eq!(passed, 12);
    // The next /64 is another client.
    assert_ne!(
        post(&app, loopback, Some("2001:db8:4:2::1")).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Counted apart (a prefix of 128), every address has its own quota.
    let apart = spawn_app_limited(LIMIT, move |settings| {
        settings.server.listen = "[::1]:0".into();
        settings.server.trusted_proxies = vec![ipnet::IpNet::from(loopback)];
        settings.server.rate_limit_ipv6_prefix = 128;
    })
    .await;
    for i in 1..=20u32 {
        let client = format!("2001:db8:4:1::{i:x}");
        assert_ne!(
            post(&apart, loopback, Some(&client)).await,
            StatusCode::TOO_MANY_REQUESTS
        );
    }
}
