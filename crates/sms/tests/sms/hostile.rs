//! A text that tries to leave its field: quotes, `&`, `=`, line breaks, a
//! JSON document, URL syntax. Sent to each kind of request (a form body, a
//! query, a JSON body, a URL path, a header), it must arrive whole in its
//! own field and add nothing else to the request.

use crate::examples::{mobile, Site};
use crate::receiver::{Answer, Receiver};
use crate::retries::gateway_settings;
use passerelle_sms::{SmsError, SmsSender};
use proptest::prelude::*;
use serde_json::json;

const HOSTILE: &str = "Code 1\"}, \"recipients\": [\"+15555550100\"], \"x\": \"\n\
&to=+15555550100&message=free\r\nX-Injected: yes\\\"' <b>%41%0d%0a {secret:token} {{message}} # ? / ;";

#[tokio::test]
async fn in_a_json_body_the_text_stays_one_string() {
    let gateway = Receiver::answering(Answer::json(200, json!({}))).await;
    let site = Site::new("json", &gateway.base_url, &[("token", "bearer-token")]);

    site.sender().send(&mobile(), HOSTILE).await.expect("sent");

    let request = gateway.only_request();
    assert_eq!(
        request.header("content-type").as_deref(),
        Some("application/json")
    );
    assert_eq!(
        request.header("authorization").as_deref(),
        Some("Bearer bearer-token")
    );
    assert_eq!(
        request.json(),
        json!({"recipients": ["+33612345678"], "text": HOSTILE, "transactional": true})
    );
}

#[tokio::test]
async fn in_a_form_body_the_text_stays_one_field() {
    let gateway = Receiver::answering(Answer::json(200, json!({"id": 1, "status": "OK"}))).await;
    let site = Site::new("smsu", &gateway.base_url, &[("smsu", "pw")]);

    site.sender().send(&mobile(), HOSTILE).await.expect("sent");

    let mut fields = gateway.only_request().form_pairs();
    fields.sort();
    assert_eq!(
        fields,
        vec![
            ("message".into(), HOSTILE.into()),
            ("phoneNumber".into(), "+33612345678".into()),
        ]
    );
}

#[tokio::test]
async fn in_a_query_the_text_stays_one_parameter() {
    let gateway =
        Receiver::answering(Answer::json(200, json!({"status": 100, "SmsIds": ["1"]}))).await;
    let site = Site::new("ovh", &gateway.base_url, &[("ovh", "pw")]);

    site.sender().send(&mobile(), HOSTILE).await.expect("sent");

    let request = gateway.only_request();
    let pairs = request.query_pairs();
    assert_eq!(pairs.len(), 8, "{pairs:?}");
    assert_eq!(request.query_value("message").as_deref(), Some(HOSTILE));
    assert_eq!(request.query_value("to").as_deref(), Some("0033612345678"));
    assert_eq!(pairs.iter().filter(|(key, _)| key == "to").count(), 1);
}

#[tokio::test]
async fn in_a_url_path_a_value_stays_one_segment() {
    let gateway = Receiver::answering(Answer::json(200, json!({}))).await;
    let mut settings = gateway_settings(&gateway.base_url);
    settings.http.url = format!("{}/send/{{e164}}/{{secret:key}}", gateway.base_url);
    let directory = tempfile::tempdir().expect("a temporary directory");
    let key = directory.path().join("key");
    std::fs::write(&key, "a/b?c#d e").expect("secret file");
    settings.http.secret_files.insert("key".into(), key);
    let sender = SmsSender::from_settings(&settings).expect("a sender");

    sender.send(&mobile(), "code 123456").await.expect("sent");

    let request = gateway.only_request();
    assert_eq!(request.path, "/send/%2B33612345678/a%2Fb%3Fc%23d%20e");
    assert_eq!(request.query, None);
}

#[test]
fn the_text_cannot_be_put_in_the_url_path() {
    // A text of `..` would climb out of its segment: no encoding stops
    // URL parsers from reading `%2E%2E` as `..`.
    let mut settings = gateway_settings("http://127.0.0.1:9");
    settings.http.url = "http://127.0.0.1:9/send/{message}".into();
    let error = settings.validate().expect_err("refused");
    assert!(error.to_string().starts_with("`sms.http.url`"), "{error}");
}

#[tokio::test]
async fn a_text_that_would_break_a_header_is_refused_before_anything_is_sent() {
    let gateway = Receiver::answering(Answer::json(200, json!({}))).await;
    let mut settings = gateway_settings(&gateway.base_url);
    settings
        .http
        .headers
        .insert("X-Text".into(), "{message}".into());
    let sender = SmsSender::from_settings(&settings).expect("a sender");

    let error = sender.send(&mobile(), HOSTILE).await.expect_err("refused");

    assert!(matches!(error, SmsError::Request(_)), "{error:?}");
    assert!(!error.to_string().contains("Injected"), "{error}");
    assert!(gateway.received().is_empty());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn any_text_arrives_whole_in_its_form_field(text in "\\PC{1,60}") {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        let fields = runtime.block_on(async {
            let gateway = Receiver::answering(Answer::json(200, json!({}))).await;
            let sender = SmsSender::from_settings(&gateway_settings(&gateway.base_url))
                .expect("a sender");
            sender.send(&mobile(), &text).await.map(|_| gateway.only_request().form_pairs())
        });
        match fields {
            Ok(mut fields) => {
                fields.sort();
                prop_assert_eq!(fields, vec![
                    ("text".to_owned(), text.clone()),
                    ("to".to_owned(), "+33612345678".to_owned()),
                ]);
            }
            // Only what the sender refuses before sending: blank or too long.
            Err(error) => prop_assert!(
                matches!(error, SmsError::EmptyText | SmsError::TooLong { .. }),
                "{:?}", error
            ),
        }
    }
}
