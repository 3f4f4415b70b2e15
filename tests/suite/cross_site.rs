//! Forms another site's page sends: refused before any step sees them
//! (403, the cross-site page, `refused_cross_site` in the audit trail, the
//! form's nonce left unspent), even with a valid flow cookie and CSRF
//! token; `server.public_url`'s origin is the one allowed. Same-origin
//! forms, and requests that say nothing (curl, old browsers), go through.
//! OWASP's CSRF cheat sheet: verify `Origin`, use Fetch Metadata.

use crate::app::{spawn_app, Page, TestApp};
use passerelle::audit_trail::AuditRecord;
use reqwest::StatusCode;

const QUESTION: &str = "Dans quelle ville êtes-vous né(e) ?";

/// The identity form of `/recover` posted with `headers`.
async fn post_identity(
    app: &TestApp,
    form: &Page,
    person: &crate::app::Person,
    headers: &[(&str, &str)],
) -> Page {
    app.post_form_headers(
        "/recover",
        headers,
        &[
            ("csrf", &form.csrf()),
            ("nonce", &form.nonce()),
            ("identifier", &person.student_number),
            ("birth_date", &person.birth_date),
        ],
    )
    .await
}

fn records(app: &TestApp) -> Vec<AuditRecord> {
    app.audit_text()
        .lines()
        .filter_map(|line| serde_json::from_str(line).ok())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_form_posted_by_another_site_is_refused_before_any_step_and_audited() {
    let app = spawn_app().await;
    let person = app.add_person("xsite", Some(QUESTION)).await;
    let form = app.recover_start().await;

    // Right identity, right token, right cookie: only the origin is wrong.
    for headers in [
        &[("origin", "https://evil.example")][..],
        // Another port of the same host is another origin.
        &[("origin", "http://127.0.0.1:8081")],
        &[("origin", "https://127.0.0.1")],
        // A page that hides its origin still says it is another site.
        &[("origin", "null"), ("sec-fetch-site", "cross-site")],
        &[("sec-fetch-site", "cross-site")],
    ] {
        let refused = post_identity(&app, &form, &person, headers).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{headers:?}");
        assert!(
            refused
                .body
                .contains("Ce formulaire a été envoyé depuis un autre site"),
            "{headers:?}: {}",
            refused.body
        );
        assert!(
            refused.body.contains("href=\"/recover\""),
            "{}",
            refused.body
        );
    }
    // The step was not passed.
    assert_eq!(app.recover_question().await.status, StatusCode::CONFLICT);

    let trail = records(&app);
    let cross: Vec<&AuditRecord> = trail
        .iter()
        .filter(|r| r.outcome == "refused_cross_site")
        .collect();
    assert_eq!(cross.len(), 5, "{trail:?}");
    assert!(cross
        .iter()
        .all(|r| r.flow == "recover" && r.step == "identity" && r.flow_id != "-"));

    // The same form from our own page (nonce unspent) goes through, in
    // the same flow.
    let passed = post_identity(&app, &form, &person, &[]).await;
    assert_eq!(passed.status, StatusCode::SEE_OTHER, "{}", passed.body);
    let trail = records(&app);
    let proved = trail
        .iter()
        .find(|r| r.outcome == "proved")
        .expect("proved");
    assert_eq!(proved.flow_id, cross[0].flow_id);
}

#[tokio::test(flavor = "multi_thread")]
async fn same_origin_forms_and_requests_that_say_nothing_go_through() {
    let app = spawn_app().await;
    let person = app.add_person("xsame", Some(QUESTION)).await;
    // The test gateway's public_url is http://127.0.0.1.
    for headers in [
        &[
            ("origin", "http://127.0.0.1"),
            ("sec-fetch-site", "same-origin"),
        ][..],
        &[("origin", "http://127.0.0.1:80")],
        // What a browser sends from our pages under Referrer-Policy:
        // no-referrer (the Fetch standard serialises the origin as null).
        &[("origin", "null"), ("sec-fetch-site", "same-origin")],
        &[("sec-fetch-site", "none")],
        // curl, an old browser.
        &[],
    ] {
        let form = app.recover_start().await;
        let passed = post_identity(&app, &form, &person, headers).await;
        assert_eq!(
            passed.status,
            StatusCode::SEE_OTHER,
            "{headers:?}: {}",
            passed.body
        );
    }
    assert!(!app.audit_text().contains("refused_cross_site"));
}
