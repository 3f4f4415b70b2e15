//! What the sender does when the gateway fails: the failures that may pass
//! are tried again within the bounds, a refusal is never, a gateway that
//! stalls is given up when the timeout says so, and one that asks for a
//! longer wait than the site allows is not waited for.

use crate::examples::mobile;
use crate::receiver::{closed_port_url, Answer, Receiver};
use passerelle_sms::{SmsError, SmsReceipt, SmsSender, SmsSettings, SmsTransportKind};
use serde_json::json;
use std::time::{Duration, Instant};

/// A plain form gateway at `base_url`: three attempts, 50 ms before the
/// first retry, half a second per attempt (a quarter to connect).
pub fn gateway_settings(base_url: &str) -> SmsSettings {
    let mut settings = SmsSettings {
        transport: SmsTransportKind::Http,
        ..SmsSettings::default()
    };
    settings.http.url = format!("{base_url}/send");
    settings.http.body.insert("to".into(), json!("{e164}"));
    settings.http.body.insert("text".into(), json!("{message}"));
    settings.http.max_attempts = 3;
    settings.http.retry_base_seconds = 0.05;
    settings.http.retry_max_wait_seconds = 2.0;
    settings.http.timeout_seconds = 0.5;
    settings.http.connect_timeout_seconds = 0.25;
    settings
}

fn sender(settings: &SmsSettings) -> SmsSender {
    SmsSender::from_settings(settings).expect("a sender")
}

#[tokio::test]
async fn a_gateway_unavailable_twice_then_accepting_gets_the_sms_on_the_third_attempt() {
    let gateway = Receiver::scripted(vec![
        Answer::text(503, "Service Unavailable"),
        Answer::text(503, "Service Unavailable"),
        Answer::json(200, json!({"ok": true})),
    ])
    .await;
    let started = Instant::now();

    let receipt = sender(&gateway_settings(&gateway.base_url))
        .send(&mobile(), "code 123456")
        .await
        .expect("sent");

    assert!(
        matches!(
            receipt,
            SmsReceipt::Accepted {
                status: 200,
                attempts: 3,
                ..
            }
        ),
        "{receipt:?}"
    );
    assert_eq!(gateway.received().len(), 3);
    // 50 ms, then 100 ms: the waits double.
    assert!(
        started.elapsed() >= Duration::from_millis(150),
        "{:?}",
        started.elapsed()
    );
    let bodies: Vec<_> = gateway.received().into_iter().map(|r| r.body).collect();
    assert!(
        bodies.windows(2).all(|pair| pair[0] == pair[1]),
        "each attempt sends the same request"
    );
}

#[tokio::test]
async fn a_gateway_that_stays_unavailable_is_given_up_after_the_last_attempt() {
    let gateway = Receiver::answering(Answer::text(502, "Bad Gateway")).await;

    let error = sender(&gateway_settings(&gateway.base_url))
        .send(&mobile(), "code 123456")
        .await
        .expect_err("unavailable");

    assert!(
        matches!(&error, SmsError::Unavailable { attempts: 3, last } if last == "HTTP 502"),
        "{error:?}"
    );
    assert!(error.may_pass());
    assert_eq!(gateway.received().len(), 3);
}

#[tokio::test]
async fn a_refusal_is_never_retried() {
    let gateway = Receiver::answering(Answer::json(400, json!({"error": "bad number"}))).await;

    let error = sender(&gateway_settings(&gateway.base_url))
        .send(&mobile(), "code 123456")
        .await
        .expect_err("refused");

    assert!(
        matches!(
            error,
            SmsError::Refused {
                status: 400,
                gateway_code: None
            }
        ),
        "{error:?}"
    );
    assert!(!error.may_pass());
    assert_eq!(gateway.received().len(), 1);
}

#[tokio::test]
async fn a_stalled_gateway_is_given_up_at_the_timeout_and_not_asked_again() {
    let gateway = Receiver::answering(Answer::hang()).await;
    let settings = gateway_settings(&gateway.base_url);
    let started = Instant::now();

    let error = sender(&settings)
        .send(&mobile(), "code 123456")
        .await
        .expect_err("timed out");

    let elapsed = started.elapsed();
    assert!(
        matches!(error, SmsError::Timeout { attempts: 1, after } if after == Duration::from_millis(500)),
        "{error:?}"
    );
    assert!(elapsed >= Duration::from_millis(500), "{elapsed:?}");
    assert!(
        elapsed < Duration::from_millis(1500),
        "within the bound: {elapsed:?}"
    );
    assert_eq!(
        gateway.received().len(),
        1,
        "it may have accepted it: no second code"
    );
}

#[tokio::test]
async fn no_gateway_listening_is_retried_then_reported_unavailable() {
    let settings = gateway_settings(&closed_port_url().await);
    let sender = sender(&settings);
    let started = Instant::now();

    let error = sender
        .send(&mobile(), "code 123456")
        .await
        .expect_err("no gateway");

    assert!(
        matches!(&error, SmsError::Unavailable { attempts: 3, last } if last.starts_with("cannot connect")),
        "{error:?}"
    );
    assert!(started.elapsed() < sender.max_duration());
}

#[tokio::test]
async fn retry_after_is_honoured_when_it_is_within_the_site_s_bound() {
    let gateway = Receiver::scripted(vec![
        Answer::text(429, "slow down").with_header("retry-after", "1"),
        Answer::json(200, json!({})),
    ])
    .await;
    let started = Instant::now();

    let receipt = sender(&gateway_settings(&gateway.base_url))
        .send(&mobile(), "code 123456")
        .await
        .expect("sent");

    assert!(
        matches!(receipt, SmsReceipt::Accepted { attempts: 2, .. }),
        "{receipt:?}"
    );
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_retry_after_longer_than_the_site_waits_ends_the_attempts_at_once() {
    let gateway =
        Receiver::answering(Answer::text(503, "maintenance").with_header("retry-after", "3600"))
            .await;

    let error = sender(&gateway_settings(&gateway.base_url))
        .send(&mobile(), "code 123456")
        .await
        .expect_err("not waited for");

    assert!(
        matches!(&error, SmsError::Unavailable { attempts: 1, last } if last.contains("Retry-After 3600")),
        "{error:?}"
    );
    assert_eq!(gateway.received().len(), 1);
}

#[tokio::test]
async fn a_redirect_is_not_followed() {
    let gateway = Receiver::start(|request, _| {
        if request.path == "/send" {
            Answer::text(302, "").with_header("location", "/elsewhere")
        } else {
            Answer::json(200, json!({}))
        }
    })
    .await;

    let error = sender(&gateway_settings(&gateway.base_url))
        .send(&mobile(), "code 123456")
        .await
        .expect_err("refused");

    assert!(
        matches!(error, SmsError::Refused { status: 302, .. }),
        "{error:?}"
    );
    assert_eq!(gateway.only_request().path, "/send");
}

#[tokio::test]
async fn a_success_status_without_the_expected_body_is_not_a_success() {
    let gateway = Receiver::answering(Answer::text(200, "ERROR: no credit left")).await;
    let mut settings = gateway_settings(&gateway.base_url);
    settings.http.success_body_contains = Some("OK".into());

    let error = sender(&settings)
        .send(&mobile(), "code 123456")
        .await
        .expect_err("not confirmed");

    assert!(
        matches!(error, SmsError::NotConfirmed { status: 200, .. }),
        "{error:?}"
    );
    assert_eq!(gateway.received().len(), 1);
}
