//! Each documented gateway against a receiver that behaves as that gateway
//! does: the method and path it serves, the authentication it checks, the
//! fields it requires, and its own success and error answers (SMS-U's
//! exceptions in a 400, OVH's status inside a 200, Twilio's 201 and error
//! codes). A test asserts what arrived and how the answer was read.

use crate::examples::{mobile, Site};
use crate::receiver::{Answer, Received, Receiver};
use passerelle_sms::{SmsError, SmsReceipt};
use serde_json::json;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

const TEXT: &str = "Passerelle : votre code est 123456.";

// ---------------------------------------------------------------- SMS-U

const SMSU_APPLICATION: &str = "passerelle";
const SMSU_PASSWORD: &str = "smsu-application-password";

/// esup-smsu-api's REST servlet, as far as SendSms goes: the action in the
/// query, Basic authentication of a declared application, mandatory
/// `phoneNumber` and `message`, a quota.
fn smsu(quota: u32) -> impl Fn(&Received, usize) -> Answer + Send + Sync + 'static {
    let quota = Arc::new(AtomicU32::new(quota));
    move |request, index| {
        if request.path != "/" {
            return Answer::text(404, "Not Found");
        }
        if request.basic_auth() != Some((SMSU_APPLICATION.into(), SMSU_PASSWORD.into())) {
            return Answer::json(401, json!("HTTP authentication needed"))
                .with_header("www-authenticate", "Basic realm=\"Smsuapi\"");
        }
        if request.query_value("action").as_deref() != Some("SendSms") {
            return Answer::json(
                400,
                json!({"error": "RuntimeException", "message": "Action is unknown"}),
            );
        }
        let Some(phone) = request.form_value("phoneNumber") else {
            return Answer::json(
                400,
                json!({"error": "InvalidParameterException", "message": "\"phoneNumber\" parameter is mandatory"}),
            );
        };
        let e164 = phone.starts_with('+') && phone[1..].chars().all(|c| c.is_ascii_digit());
        if !e164 {
            return Answer::json(
                400,
                json!({"error": "InvalidParameterException", "message": format!("invalid phoneNumber \"{phone}\"")}),
            );
        }
        if request.form_value("message").is_none() {
            return Answer::json(
                400,
                json!({"error": "InvalidParameterException", "message": "\"message\" parameter is mandatory"}),
            );
        }
        if quota
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |left| {
                left.checked_sub(1)
            })
            .is_err()
        {
            return Answer::json(
                400,
                json!({"error": "InsufficientQuotaException", "message": format!("Quota error: can not send 1 sms with {phone}")}),
            );
        }
        Answer::json(200, json!({"id": 12 + index, "status": "OK"}))
    }
}

#[tokio::test]
async fn sms_u_receives_the_e164_number_and_the_text_from_the_declared_application() {
    let gateway = Receiver::start(smsu(10)).await;
    let site = Site::new("smsu", &gateway.base_url, &[("smsu", SMSU_PASSWORD)]);

    let receipt = site.sender().send(&mobile(), TEXT).await.expect("sent");

    assert_eq!(
        receipt,
        SmsReceipt::Accepted {
            status: 200,
            attempts: 1,
            reference: Some("12".into())
        }
    );
    let request = gateway.only_request();
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/");
    assert_eq!(
        request.query_pairs(),
        vec![("action".into(), "SendSms".into())]
    );
    assert_eq!(
        request.basic_auth(),
        Some((SMSU_APPLICATION.into(), SMSU_PASSWORD.into()))
    );
    assert_eq!(
        request.header("content-type").as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    let mut fields = request.form_pairs();
    fields.sort();
    assert_eq!(
        fields,
        vec![
            ("message".into(), TEXT.into()),
            ("phoneNumber".into(), "+33612345678".into()),
        ]
    );
    // The `+` must arrive as a `+`: SMS-U warns that an unencoded `+`
    // turns into a space.
    assert!(String::from_utf8_lossy(&request.body).contains("phoneNumber=%2B33612345678"));
}

#[tokio::test]
async fn sms_u_refusing_the_password_is_a_refusal_tried_once() {
    let gateway = Receiver::start(smsu(10)).await;
    let site = Site::new("smsu", &gateway.base_url, &[("smsu", "not-the-password")]);

    let error = site
        .sender()
        .send(&mobile(), TEXT)
        .await
        .expect_err("refused");

    assert!(
        matches!(error, SmsError::Refused { status: 401, .. }),
        "{error:?}"
    );
    assert_eq!(gateway.received().len(), 1);
}

#[tokio::test]
async fn sms_u_with_its_quota_spent_is_a_refusal_that_names_the_exception() {
    let gateway = Receiver::start(smsu(0)).await;
    let site = Site::new("smsu", &gateway.base_url, &[("smsu", SMSU_PASSWORD)]);

    let error = site
        .sender()
        .send(&mobile(), TEXT)
        .await
        .expect_err("refused");

    assert!(
        matches!(
            &error,
            SmsError::Refused { status: 400, gateway_code: Some(code) }
                if code == "InsufficientQuotaException"
        ),
        "{error:?}"
    );
    // The exception's message quotes the number: it must not reach the
    // error's text.
    assert!(!error.to_string().contains("612345678"), "{error}");
    assert_eq!(gateway.received().len(), 1);
}

// ------------------------------------------------------------------ OVH

const OVH_PASSWORD: &str = "ovh-sms-user-password";

/// OVH's http2sms: a GET whose query holds everything, HTTP 200 whatever
/// happens, the outcome in the JSON body's `status`.
fn ovh(request: &Received, _: usize) -> Answer {
    if request.method != "GET" || request.path != "/cgi-bin/sms/http2sms.cgi" {
        return Answer::text(404, "Not Found");
    }
    for field in ["account", "login", "password", "from", "to", "message"] {
        if request
            .query_value(field)
            .is_none_or(|value| value.is_empty())
        {
            return Answer::json(
                200,
                json!({"status": 201, "message": format!("Missing {field}")}),
            );
        }
    }
    if request.query_value("account").as_deref() != Some("sms-ab12345-1")
        || request.query_value("login").as_deref() != Some("passerelle")
        || request.query_value("password").as_deref() != Some(OVH_PASSWORD)
    {
        return Answer::json(
            200,
            json!({"status": 401, "message": "Invalid login/password for this account"}),
        );
    }
    let to = request.query_value("to").unwrap_or_default();
    if !to.starts_with("00") || !to.chars().all(|c| c.is_ascii_digit()) {
        return Answer::json(
            200,
            json!({"status": 202, "message": format!("Invalid to: {to}")}),
        );
    }
    if request.query_value("from").as_deref() != Some("UNIVEXEMPLE") {
        return Answer::json(200, json!({"status": 241, "message": "Sender not found"}));
    }
    Answer::json(
        200,
        json!({"status": 100, "creditLeft": "1987", "SmsIds": ["10867690"]}),
    )
}

#[tokio::test]
async fn ovh_receives_a_get_with_the_number_in_00_form_and_gives_its_sms_id() {
    let gateway = Receiver::start(ovh).await;
    let site = Site::new("ovh", &gateway.base_url, &[("ovh", OVH_PASSWORD)]);

    let receipt = site.sender().send(&mobile(), TEXT).await.expect("sent");

    assert_eq!(
        receipt,
        SmsReceipt::Accepted {
            status: 200,
            attempts: 1,
            reference: Some("10867690".into())
        }
    );
    let request = gateway.only_request();
    assert_eq!(request.method, "GET");
    assert_eq!(request.path, "/cgi-bin/sms/http2sms.cgi");
    assert!(request.body.is_empty());
    let mut query = request.query_pairs();
    query.sort();
    let expected: Vec<(String, String)> = [
        ("account", "sms-ab12345-1"),
        ("contentType", "text/json"),
        ("from", "UNIVEXEMPLE"),
        ("login", "passerelle"),
        ("message", TEXT),
        ("noStop", "1"),
        ("password", OVH_PASSWORD),
        ("to", "0033612345678"),
    ]
    .into_iter()
    .map(|(key, value)| (key.into(), value.into()))
    .collect();
    assert_eq!(query, expected);
}

#[tokio::test]
async fn ovh_refusing_the_login_inside_a_200_is_not_a_success() {
    let gateway = Receiver::start(ovh).await;
    let site = Site::new("ovh", &gateway.base_url, &[("ovh", "wrong")]);

    let error = site
        .sender()
        .send(&mobile(), TEXT)
        .await
        .expect_err("refused");

    assert!(
        matches!(&error, SmsError::NotConfirmed { status: 200, gateway_code: Some(code) } if code == "401"),
        "{error:?}"
    );
    assert_eq!(gateway.received().len(), 1, "a refusal is not retried");
}

#[tokio::test]
async fn ovh_refusing_an_undeclared_sender_names_its_status() {
    let gateway = Receiver::start(ovh).await;
    let mut site = Site::new("ovh", &gateway.base_url, &[("ovh", OVH_PASSWORD)]);
    site.settings
        .http
        .query
        .insert("from".into(), "NOT-DECLARED".into());

    let error = site
        .sender()
        .send(&mobile(), TEXT)
        .await
        .expect_err("refused");

    assert!(
        matches!(&error, SmsError::NotConfirmed { gateway_code: Some(code), .. } if code == "241"),
        "{error:?}"
    );
    // The password travels in the query: no error text may hold the URL.
    assert!(!error.to_string().contains(OVH_PASSWORD));
}

// --------------------------------------------------------------- Twilio

const TWILIO_SID: &str = "AC0123456789abcdef0123456789abcdef";
const TWILIO_TOKEN: &str = "twilio-auth-token";

/// Twilio's Messages resource: a form POST under the account's path,
/// Basic authentication with the account SID, 201 with the message, error
/// codes in JSON; `too_fast` requests answered 429 first, and a recipient
/// who replied STOP refused with 21610.
fn twilio(too_fast: usize) -> impl Fn(&Received, usize) -> Answer + Send + Sync + 'static {
    move |request, index| {
        let error = |status: u16, code: u32, message: &str| {
            Answer::json(
                status,
                json!({
                    "code": code,
                    "message": message,
                    "more_info": format!("https://www.twilio.com/docs/errors/{code}"),
                    "status": status
                }),
            )
        };
        if request.method != "POST"
            || request.path != format!("/2010-04-01/Accounts/{TWILIO_SID}/Messages.json")
        {
            return error(404, 20404, "The requested resource was not found");
        }
        if request.basic_auth() != Some((TWILIO_SID.into(), TWILIO_TOKEN.into())) {
            return error(401, 20003, "Authenticate");
        }
        if index < too_fast {
            return error(429, 20429, "Too Many Requests");
        }
        let to = request.form_value("To").unwrap_or_default();
        if !to.starts_with('+') || to.len() < 8 {
            return error(400, 21211, &format!("Invalid 'To' Phone Number: {to}"));
        }
        if to == "+33698765432" {
            return error(
                400,
                21610,
                &format!("Attempt to send to unsubscribed recipient {to}"),
            );
        }
        if request.form_value("From").is_none() {
            return error(400, 21603, "A 'From' phone number is required.");
        }
        let Some(body) = request.form_value("Body") else {
            return error(400, 21602, "Message body is required.");
        };
        Answer::json(
            201,
            json!({
                "sid": "SM0123456789abcdef0123456789abcdef",
                "status": "queued",
                "to": to,
                "body": body,
                "num_segments": "1"
            }),
        )
    }
}

#[tokio::test]
async fn twilio_receives_a_form_post_under_the_account_and_gives_the_message_sid() {
    let gateway = Receiver::start(twilio(0)).await;
    let site = Site::new("twilio", &gateway.base_url, &[("twilio", TWILIO_TOKEN)]);

    let receipt = site.sender().send(&mobile(), TEXT).await.expect("sent");

    assert_eq!(
        receipt,
        SmsReceipt::Accepted {
            status: 201,
            attempts: 1,
            reference: Some("SM0123456789abcdef0123456789abcdef".into())
        }
    );
    let request = gateway.only_request();
    assert_eq!(request.method, "POST");
    assert_eq!(
        request.basic_auth(),
        Some((TWILIO_SID.into(), TWILIO_TOKEN.into()))
    );
    let mut fields = request.form_pairs();
    fields.sort();
    assert_eq!(
        fields,
        vec![
            ("Body".into(), TEXT.into()),
            ("From".into(), "UNIVEXEMPLE".into()),
            ("To".into(), "+33612345678".into()),
        ]
    );
}

#[tokio::test]
async fn twilio_sending_too_fast_is_retried_until_accepted() {
    let gateway = Receiver::start(twilio(2)).await;
    let site = Site::new("twilio", &gateway.base_url, &[("twilio", TWILIO_TOKEN)]);

    let receipt = site.sender().send(&mobile(), TEXT).await.expect("sent");

    assert!(
        matches!(
            receipt,
            SmsReceipt::Accepted {
                status: 201,
                attempts: 3,
                ..
            }
        ),
        "{receipt:?}"
    );
    assert_eq!(gateway.received().len(), 3);
}

#[tokio::test]
async fn twilio_refusing_an_unsubscribed_recipient_is_final_and_names_the_code() {
    let gateway = Receiver::start(twilio(0)).await;
    let site = Site::new("twilio", &gateway.base_url, &[("twilio", TWILIO_TOKEN)]);
    let unsubscribed = passerelle_sms::MobileNumber::parse(
        "06 98 76 54 32",
        &passerelle_sms::NumberRules::default(),
    )
    .expect("a mobile");

    let error = site
        .sender()
        .send(&unsubscribed, TEXT)
        .await
        .expect_err("refused");

    assert!(
        matches!(&error, SmsError::Refused { status: 400, gateway_code: Some(code) } if code == "21610"),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "the SMS gateway refused the message (HTTP 400, gateway code 21610)"
    );
    assert_eq!(gateway.received().len(), 1);
}

#[tokio::test]
async fn twilio_refusing_the_token_is_a_refusal_tried_once() {
    let gateway = Receiver::start(twilio(0)).await;
    let site = Site::new("twilio", &gateway.base_url, &[("twilio", "revoked-token")]);

    let error = site
        .sender()
        .send(&mobile(), TEXT)
        .await
        .expect_err("refused");

    assert!(
        matches!(&error, SmsError::Refused { status: 401, gateway_code: Some(code) } if code == "20003"),
        "{error:?}"
    );
    assert_eq!(gateway.received().len(), 1);
}
