//! `server.trusted_proxies` over real HTTP: the client address that rate
//! limits and the audit see comes from the forwarding header only when the
//! TCP peer (here 127.0.0.1, the test client) is a trusted proxy, and then
//! from the rightmost hop that is not one, so addresses a client writes
//! on the left of `X-Forwarded-For` change nothing.

use crate::app;

use app::{spawn_app, spawn_app_limited, spawn_app_with, TestApp};
use passerelle::config::ForwardedHeader;
use passerelle::web::RateLimitSettings;
use reqwest::StatusCode;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A user agent no other test sends, to find this request's audit lines.
fn marker(what: &str) -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    format!(
        "proxies-test/{what}-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    )
}

/// A POST without a flow cookie (refused and audited) carrying `headers`.
async fn refused_post(app: &TestApp, headers: &[(&str, &str)]) -> StatusCode {
    let mut request = reqwest::Client::new()
        .post(app.url("/recover"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("csrf=x&nonce=y&identifier=z&birth_date=01%2F01%2F2000");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.expect("POST").status()
}

/// The `client` of every audit line sent with `user_agent`.
fn audited_clients(user_agent: &str) -> Vec<String> {
    let logs = crate::logs::captured();
    let text = String::from_utf8(logs.lock().expect("logs").clone()).expect("utf-8");
    text.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["target"] == "audit" && v["user_agent"] == user_agent)
        .map(|v| v["client"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_audit_takes_the_rightmost_untrusted_hop_from_a_trusted_proxy() {
    crate::logs::captured();
    let app = spawn_app_with(|s| {
        s.server.trusted_proxies = vec![
            "127.0.0.1/32".parse().expect("net"),
            "10.20.0.0/16".parse().expect("net"),
        ]
    })
    .await;
    let agent = marker("trusted");
    // A client claiming 6.6.6.6, seen by our outer proxy as 198.51.100.23,
    // then by our inner proxy 10.20.0.7, which connects to the gateway.
    refused_post(
        &app,
        &[
            ("user-agent", &agent),
            ("x-forwarded-for", "6.6.6.6, 198.51.100.23, 10.20.0.7"),
        ],
    )
    .await;
    assert_eq!(audited_clients(&agent), ["198.51.100.23"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_header_is_ignored_from_a_peer_that_is_not_a_trusted_proxy() {
    crate::logs::captured();
    let app =
        spawn_app_with(|s| s.server.trusted_proxies = vec!["192.0.2.0/24".parse().expect("net")])
            .await;
    let agent = marker("untrusted");
    refused_post(
        &app,
        &[("user-agent", &agent), ("x-forwarded-for", "198.51.100.23")],
    )
    .await;
    assert_eq!(audited_clients(&agent), ["127.0.0.1"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn rfc_7239_forwarded_is_read_when_configured_and_x_forwarded_for_then_is_not() {
    crate::logs::captured();
    let app = spawn_app_with(|s| s.server.forwarded_header = ForwardedHeader::Forwarded).await;
    let agent = marker("forwarded");
    refused_post(
        &app,
        &[
            ("user-agent", &agent),
            ("x-forwarded-for", "6.6.6.6"),
            (
                "forwarded",
                r#"for=6.6.6.7, for="[2001:db8:cafe::17]:4711";proto=https"#,
            ),
        ],
    )
    .await;
    assert_eq!(audited_clients(&agent), ["2001:db8:cafe::17"]);
}

/// Floods `/recover` from `real` (as the proxy saw it), with a different
/// made-up address on the left each time, until refused; returns how many
/// passed.
async fn flood(app: &TestApp, real: &str) -> usize {
    for sent in 0..400 {
        let spoofed = format!("203.0.113.{}, {real}", sent % 250);
        let status = refused_post(app, &[("x-forwarded-for", &spoofed)]).await;
        if status == StatusCode::TOO_MANY_REQUESTS {
            return sent;
        }
    }
    panic!("400 posts from {real} were never refused");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_rate_limit_counts_the_real_client_whatever_it_writes_on_the_left() {
    // 200 at once, then one a minute: a slow machine cannot refill the
    // bucket between the flood and the next request.
    let slow_refill = RateLimitSettings {
        per_minute: 1,
        burst: 200,
    };
    let app = spawn_app_limited(slow_refill, |_| {}).await;
    let passed = flood(&app, "198.51.100.40").await;
    // The spoofed entries bought nothing (each spoofed address counted
    // apart would let all 400 pass).
    assert_eq!(passed, 200);
    // Another client behind the same proxy is not held back.
    let other = refused_post(&app, &[("x-forwarded-for", "198.51.100.41")]).await;
    assert_ne!(other, StatusCode::TOO_MANY_REQUESTS);

    // Without trusted proxies every request is the peer's: one limit.
    let direct = spawn_app_limited(slow_refill, |s| s.server.trusted_proxies.clear()).await;
    flood(&direct, "198.51.100.40").await;
    let other = refused_post(&direct, &[("x-forwarded-for", "198.51.100.41")]).await;
    assert_eq!(other, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test(flavor = "multi_thread")]
async fn hsts_is_sent_only_when_the_public_url_is_https() {
    let https =
        spawn_app_with(|s| s.server.public_url = "https://sesame.univ-exemple.fr".into()).await;
    for path in [
        "/",
        "/recover",
        "/healthz",
        "/static/css/passerelle.css",
        "/no-such-page",
    ] {
        let page = https.get(path).await;
        assert_eq!(
            page.header("strict-transport-security").as_deref(),
            Some("max-age=31536000"),
            "{path}"
        );
    }
    let shorter = spawn_app_with(|s| {
        s.server.public_url = "https://sesame.univ-exemple.fr".into();
        s.server.hsts_max_age_seconds = 600;
    })
    .await;
    assert_eq!(
        shorter
            .get("/")
            .await
            .header("strict-transport-security")
            .as_deref(),
        Some("max-age=600")
    );
    let http = spawn_app().await;
    for path in ["/", "/recover", "/healthz"] {
        assert_eq!(
            http.get(path).await.header("strict-transport-security"),
            None
        );
    }
}

#[test]
#[allow(clippy::result_large_err)]
fn trusted_proxies_take_addresses_and_networks_and_name_a_bad_entry() {
    use passerelle::config::{figment, Settings};
    figment::Jail::expect_with(|jail| {
        jail.create_file(
            "passerelle.toml",
            "[server]\ntrusted_proxies = [\"10.0.0.5\", \"192.0.2.77/24\", \"::1\"]\nforwarded_header = \"forwarded\"\n",
        )?;
        let settings =
            Settings::from_figment(figment(Some(&jail.directory().join("passerelle.toml"))))
                .expect("valid");
        let shown: Vec<String> = settings
            .server
            .trusted_proxies
            .iter()
            .map(|n| n.to_string())
            .collect();
        assert_eq!(shown, ["10.0.0.5/32", "192.0.2.0/24", "::1/128"]);
        assert_eq!(settings.server.forwarded_header, ForwardedHeader::Forwarded);

        jail.set_env("PASSERELLE_SERVER__TRUSTED_PROXIES", "[\"10.0.0.300\"]");
        let message = Settings::from_figment(figment(None))
            .expect_err("refused")
            .to_string();
        assert!(
            message.to_lowercase().contains("server.trusted_proxies"),
            "{message}"
        );
        assert!(message.contains("10.0.0.300"), "{message}");
        Ok(())
    });
}
