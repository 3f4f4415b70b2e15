//! What every page must resist or carry, over real HTTP: security headers,
//! CSRF, oversized and malformed forms, filter injection, languages, cookie
//! flags, the per-address limit, the probes.

use crate::app;

use app::{spawn_app, spawn_app_limited, spawn_app_with};
use passerelle::web::RateLimitSettings;
use reqwest::StatusCode;

#[tokio::test(flavor = "multi_thread")]
async fn every_page_carries_the_security_headers() {
    let app = spawn_app().await;
    for path in ["/", "/recover", "/identifier", "/help", "/no-such-page"] {
        let page = app.get(path).await;
        assert_eq!(
            page.header("content-security-policy").as_deref(),
            Some("default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'"),
            "{path}"
        );
        assert_eq!(
            page.header("cache-control").as_deref(),
            Some("no-store"),
            "{path}"
        );
        assert_eq!(
            page.header("x-content-type-options").as_deref(),
            Some("nosniff")
        );
        assert_eq!(
            page.header("referrer-policy").as_deref(),
            Some("no-referrer")
        );
        assert!(
            !page.body.contains("<script>"),
            "no inline script on {path}"
        );
        assert!(!page.body.contains(" style="), "no inline style on {path}");
    }
    let css = app.get("/static/css/passerelle.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css
        .header("cache-control")
        .unwrap()
        .contains("max-age=31536000"));
    let js = app.get("/static/js/checklist.js").await;
    assert_eq!(js.status, StatusCode::OK);
    assert!(js
        .header("content-type")
        .unwrap()
        .starts_with("text/javascript"));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_home_page_lists_the_enabled_flows_in_the_seed_wording() {
    let app = spawn_app().await;
    let home = app.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("<html lang=\"fr\" dir=\"ltr\">"));
    for text in [
        "Récupérer mon mot de passe",
        "Permet de récupérer votre mot de passe en quelques étapes.",
        "Récupérer mon identifiant",
        "Accueil",
        "Identifiants oubliés",
        "Aide",
    ] {
        assert!(home.body.contains(text), "{text}");
    }

    let app = spawn_app_with(|s| s.flows.identifier = false).await;
    let home = app.get("/").await;
    assert!(!home.body.contains("Récupérer mon identifiant"));
    assert_eq!(app.get("/identifier").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread")]
async fn english_is_served_to_an_english_browser_and_the_switch_is_remembered() {
    let app = spawn_app().await;
    let page = app
        .get_with("/recover", &[("accept-language", "en-GB,en;q=0.9")])
        .await;
    assert!(page.body.contains("<html lang=\"en\" dir=\"ltr\">"));
    for text in [
        "Recover my password",
        "Personal number",
        "Date of birth",
        "dd/mm/yyyy",
        "Step 1 of 3",
    ] {
        assert!(page.body.contains(text), "{text}:\n{}", page.body);
    }
    assert!(
        page.body.contains("href=\"/recover?lang=fr\""),
        "the switch offers French"
    );

    // The visible switch sets a cookie that wins over the browser.
    let switched = app.get("/?lang=en").await;
    assert!(switched.body.contains("<html lang=\"en\" dir=\"ltr\">"));
    let cookie = switched.header("set-cookie").expect("lang cookie");
    assert!(cookie.starts_with("lang=en"), "{cookie}");
    let next = app.get_with("/help", &[("accept-language", "fr")]).await;
    assert!(
        next.body.contains("<html lang=\"en\" dir=\"ltr\">"),
        "{}",
        next.body
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_form_without_or_with_a_wrong_csrf_token_is_refused() {
    let app = spawn_app().await;
    let person = app.add_person("csrf", Some("Q ?")).await;
    let form = app.recover_start().await;
    let nonce = form.nonce();

    let missing = app
        .post_form(
            "/recover",
            &[
                ("nonce", &nonce),
                ("identifier", &person.student_number),
                ("birth_date", &person.birth_date),
            ],
        )
        .await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    assert!(
        missing.body.contains("Ce formulaire n&#39;est plus valide"),
        "{}",
        missing.body
    );

    let wrong = app
        .post_form(
            "/recover",
            &[
                ("csrf", "not-the-token"),
                ("nonce", &nonce),
                ("identifier", &person.student_number),
                ("birth_date", &person.birth_date),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);

    // A form posted from another site carries no flow cookie at all.
    let mut stranger = app.another_instance().await;
    stranger.new_browser();
    let forged = stranger
        .post_form(
            "/recover",
            &[
                ("csrf", &form.csrf()),
                ("nonce", &nonce),
                ("identifier", &person.student_number),
                ("birth_date", &person.birth_date),
            ],
        )
        .await;
    assert_eq!(forged.status, StatusCode::BAD_REQUEST);
    assert!(forged.body.contains("Votre session a expiré, recommencez."));
    let view = app.admin_view(&person.dn, &["passerelleFailureTime"]);
    assert!(
        !view.contains_key("passerelleFailureTime"),
        "nothing counted"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_tampered_flow_cookie_ends_the_flow() {
    let app = spawn_app().await;
    let form = app.recover_start().await;
    let cookie = app.cookie_header().expect("cookie");
    let tampered = cookie.replacen("passerelle-recover=", "passerelle-recover=A", 1);
    let page = app
        .post_form_with_cookie(
            "/recover",
            &tampered,
            &[
                ("csrf", &form.csrf()),
                ("nonce", &form.nonce()),
                ("identifier", "x"),
                ("birth_date", "01/01/2000"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.body.contains("Votre session a expiré"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_five_megabyte_form_gets_the_translated_413_page() {
    let app = spawn_app().await;
    let port = app.port;
    // A raw connection: the gateway answers from the announced length,
    // before the body is read, and may close the connection while a client
    // is still sending; an HTTP client library reports that as an error.
    let response = tokio::task::spawn_blocking(move || {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        let length = 5 * 1024 * 1024;
        write!(
            stream,
            "POST /recover HTTP/1.1\r\nHost: 127.0.0.1\r\n\
             Content-Type: application/x-www-form-urlencoded\r\n\
             Content-Length: {length}\r\nConnection: close\r\n\r\nidentifier="
        )
        .unwrap();
        // Part of the body only: the answer must not wait for the rest.
        let _ = stream.write_all(&vec![b'a'; 64 * 1024]);
        let mut response = Vec::new();
        let _ = stream.read_to_end(&mut response);
        String::from_utf8_lossy(&response).into_owned()
    })
    .await
    .unwrap();
    assert!(response.starts_with("HTTP/1.1 413"), "{response}");
    assert!(
        response.contains("Le formulaire envoyé est trop volumineux."),
        "{response}"
    );
    assert!(response.contains("<html lang=\"fr\" dir=\"ltr\">"));
}

#[tokio::test(flavor = "multi_thread")]
async fn invalid_utf8_gets_a_clear_400_page() {
    let app = spawn_app().await;
    let form = app.recover_start().await;
    let body = format!(
        "csrf={}&nonce={}&identifier=%FF%FEjean&birth_date=01%2F01%2F2000",
        form.csrf(),
        form.nonce()
    );
    let page = app.post_raw("/recover", body.into_bytes()).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(
        page.body
            .contains("Le formulaire envoyé n&#39;a pas pu être lu."),
        "{}",
        page.body
    );

    let missing = app.post_raw("/recover", b"csrf=x".to_vec()).await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
    assert!(missing
        .body
        .contains("Le formulaire envoyé n&#39;a pas pu être lu."));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_filter_injection_as_identifier_gets_the_generic_failure_page() {
    let app = spawn_app().await;
    let person = app.add_person("inj", Some("Q ?")).await;
    for injection in ["*)(uid=*", "*", &format!("{})(|(uid=*", person.uid)] {
        let form = app.recover_start().await;
        let page = app
            .recover_identity(&form, injection, &person.birth_date)
            .await;
        assert_eq!(page.status, StatusCode::OK, "{injection}");
        assert!(
            page.body
                .contains("Les informations saisies ne permettent pas de vous identifier"),
            "{injection}: {}",
            page.body
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn format_errors_are_summarised_and_linked_to_their_fields() {
    let app = spawn_app().await;
    let form = app.recover_start().await;
    let page = app.recover_identity(&form, "", "31/02/2001").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Il y a un problème"));
    assert!(
        page.body
            .contains("<a href=\"#identifier\">Saisissez votre numéro personnel.</a>"),
        "{}",
        page.body
    );
    assert!(page.body.contains("<a href=\"#birth_date\">"));
    assert!(page
        .body
        .contains("aria-describedby=\"birth_date-hint birth_date-error\""));
}

#[tokio::test(flavor = "multi_thread")]
async fn flow_cookies_are_secure_http_only_and_strict() {
    let app = spawn_app_with(|s| s.server.secure_cookies = true).await;
    let page = app.recover_start().await;
    let cookie = page.header("set-cookie").expect("flow cookie");
    assert!(cookie.starts_with("__Host-passerelle-recover="), "{cookie}");
    for flag in [
        "Secure",
        "HttpOnly",
        "SameSite=Strict",
        "Path=/",
        "Max-Age=1800",
    ] {
        assert!(cookie.contains(flag), "{flag} in {cookie}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn too_many_posts_from_one_address_get_the_429_page() {
    // 200 at once, then one a minute: a burst beyond 200 is refused, however
    // slowly this machine sends it.
    let limit = RateLimitSettings {
        per_minute: 1,
        burst: 200,
    };
    let app = spawn_app_limited(limit, |_| {}).await;
    let form = app.recover_start().await;
    let mut last = StatusCode::OK;
    for _ in 0..=200 {
        let page = app.post_raw("/recover", b"csrf=x".to_vec()).await;
        last = page.status;
        if last == StatusCode::TOO_MANY_REQUESTS {
            assert!(
                page.body
                    .contains("Trop de tentatives depuis votre adresse"),
                "{}",
                page.body
            );
            assert_eq!(page.header("retry-after").as_deref(), Some("60"));
            break;
        }
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
    drop(form);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_probes_say_whether_the_process_and_the_directory_answer() {
    let app = spawn_app().await;
    assert_eq!(app.get("/healthz").await.status, StatusCode::OK);
    assert_eq!(app.get("/readyz").await.status, StatusCode::OK);
    app.slapd.lock().expect("slapd").stop();
    assert_eq!(app.get("/healthz").await.status, StatusCode::OK);
    assert_eq!(
        app.get("/readyz").await.status,
        StatusCode::SERVICE_UNAVAILABLE
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_idle_flow_expires_even_with_its_cookie_kept() {
    let app = spawn_app_with(|s| s.server.inactivity_seconds = 1).await;
    let form = app.recover_start().await;
    // Kept by hand: the browser would have dropped it (Max-Age), but the
    // server must not trust that.
    let cookie = app.cookie_header().expect("cookie");
    // Waiting for time to pass is what is being tested.
    tokio::time::sleep(std::time::Duration::from_millis(2_100)).await;
    let page = app
        .post_form_with_cookie(
            "/recover",
            &cookie,
            &[
                ("csrf", &form.csrf()),
                ("nonce", &form.nonce()),
                ("identifier", "x"),
                ("birth_date", "01/01/2000"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(
        page.body.contains("Votre session a expiré, recommencez."),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("href=\"/recover\""),
        "a link to start again"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_language_switch_never_links_to_another_site() {
    let app = spawn_app().await;
    let page = app.get("//evil.example/x").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(
        page.body.contains("Cette page n&#39;existe pas."),
        "{}",
        page.body
    );
    assert!(
        !page.body.contains("href=\"//evil.example"),
        "{}",
        page.body
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_crafted_language_choice_cannot_add_cookie_attributes() {
    let app = spawn_app().await;
    let page = app
        .get("/?lang=en-x;Domain=evil.example;Max-Age=99999999")
        .await;
    let cookie = page.header("set-cookie").unwrap_or_default();
    assert!(cookie.starts_with("lang=en;"), "{cookie}");
    assert!(!cookie.contains("evil.example"), "{cookie}");
    assert!(!cookie.contains("99999999"), "{cookie}");
}
