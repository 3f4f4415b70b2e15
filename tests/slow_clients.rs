//! Slow and stalled clients against the real gateway (issue 14, item 5):
//! a flood of half-sent request lines must not stop `/healthz`, a
//! half-open connection is closed after the header-read timeout, and a
//! request that takes too long gets 408.

// Its own test binary: it raises the process's open-file limit and holds
// 1,100 sockets, which must not starve the other tests of descriptors.
#[path = "support/logs.rs"]
mod logs;
#[path = "support/smtp.rs"]
mod smtp;

#[path = "support/app.rs"]
mod app;

use app::spawn_app_with;
use reqwest::StatusCode;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// As many half-open connections as it took to stop the gateway at the
/// usual limit of 1,024 descriptors.
const SLOW_CLIENTS: usize = 1_100;

/// Gives this process as many descriptors as the flood, the gateway's
/// bound and a margin for everything else (slapd pipes, the LDAP pool,
/// the SMTP sink) need, and no more: the clients and the gateway share one
/// process here, so a gateway that held every connection would run out,
/// as it did alone at 1,024.
fn limit_descriptors(max_connections: usize) {
    use rlimit::Resource;
    let wanted = (SLOW_CLIENTS + max_connections + 300) as u64;
    let (_, hard) = Resource::NOFILE.get().expect("getrlimit");
    Resource::NOFILE
        .set(wanted, hard.max(wanted))
        .expect("setrlimit NOFILE (needs a hard limit above the flood, or root)");
}

/// Reads until the server closes the connection; how long that took.
/// None if it stayed open for `patience`.
async fn wait_for_close(stream: &mut TcpStream, patience: Duration) -> Option<Duration> {
    let started = Instant::now();
    let mut buffer = [0u8; 1024];
    let closed = tokio::time::timeout(patience, async {
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                // A 408 or 400 before closing is fine: keep reading.
                Ok(_) => continue,
            }
        }
    })
    .await;
    closed.ok().map(|()| started.elapsed())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_answers_within_a_second_while_1100_clients_hold_half_sent_requests() {
    let app = spawn_app_with(|_| {}).await;
    let max_connections = app.settings.server.max_connections;
    assert_eq!(max_connections, 512, "the default bound");
    assert_eq!(app.settings.server.header_read_timeout_seconds, 10);
    limit_descriptors(max_connections);

    let mut slow = Vec::with_capacity(SLOW_CLIENTS);
    for n in 0..SLOW_CLIENTS {
        let mut stream = TcpStream::connect(("127.0.0.1", app.port))
            .await
            .unwrap_or_else(|e| panic!("slow client {n} cannot connect: {e}"));
        // Half a request line, never finished.
        let _ = stream.write_all(b"GET /healthz HT").await;
        slow.push(stream);
    }

    let started = Instant::now();
    let answer = tokio::time::timeout(Duration::from_secs(1), app.get("/healthz")).await;
    let elapsed = started.elapsed();
    let page = answer.unwrap_or_else(|_| {
        panic!("/healthz did not answer within 1 s with {SLOW_CLIENTS} half-open connections")
    });
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.body, "ok\n");
    assert!(elapsed < Duration::from_secs(1), "{elapsed:?}");

    // And a person's page too, not only the probe.
    let home = tokio::time::timeout(Duration::from_secs(2), app.get("/"))
        .await
        .expect("the home page answers during the flood");
    assert_eq!(home.status, StatusCode::OK);
    drop(slow);
}

#[tokio::test]
async fn a_half_sent_request_is_closed_after_the_header_read_timeout() {
    let app = spawn_app_with(|settings| settings.server.header_read_timeout_seconds = 1).await;

    let mut half_head = TcpStream::connect(("127.0.0.1", app.port))
        .await
        .expect("connect");
    half_head
        .write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        .await
        .expect("write");
    let mut silent = TcpStream::connect(("127.0.0.1", app.port))
        .await
        .expect("connect");

    for (what, stream) in [
        ("half a request head", &mut half_head),
        ("nothing", &mut silent),
    ] {
        let after = wait_for_close(stream, Duration::from_secs(10))
            .await
            .unwrap_or_else(|| panic!("a connection that sent {what} stayed open 10 s"));
        // Measured from now, not from the connect: at most the timeout.
        assert!(
            after < Duration::from_secs(4),
            "a connection that sent {what} was closed only after {after:?}"
        );
    }

    // A whole request on the same gateway is still answered.
    let page = app.get("/healthz").await;
    assert_eq!(page.status, StatusCode::OK);
}

#[tokio::test]
async fn a_request_that_outlasts_the_request_timeout_gets_408() {
    // A "directory" that accepts connections and never answers.
    let black_hole = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let hole = format!("ldap://{}", black_hole.local_addr().expect("address"));
    let held = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = black_hole.accept().await {
            held.push(stream);
        }
    });
    let app = spawn_app_with(|settings| {
        settings.server.request_timeout_seconds = 1;
        settings.ldap.urls = vec![hole];
        settings.ldap.timeout_seconds = 20;
    })
    .await;

    let started = Instant::now();
    let page = app.get("/readyz").await;
    let elapsed = started.elapsed();
    assert_eq!(page.status, StatusCode::REQUEST_TIMEOUT);
    assert!(
        (Duration::from_millis(900)..Duration::from_secs(5)).contains(&elapsed),
        "{elapsed:?}"
    );
    held.abort();
}

#[tokio::test]
async fn a_stop_lets_the_request_in_progress_finish_and_closes_the_door() {
    use axum::routing::get;
    use passerelle::web::server::{serve, ConnectionLimits};
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("address").port();
    let (started_tx, started_rx) = tokio::sync::oneshot::channel::<()>();
    let started_tx = std::sync::Arc::new(std::sync::Mutex::new(Some(started_tx)));
    let router = axum::Router::new().route(
        "/slow",
        get(move || {
            if let Some(tx) = started_tx.lock().unwrap().take() {
                let _ = tx.send(());
            }
            async {
                tokio::time::sleep(Duration::from_millis(500)).await;
                "finished\n"
            }
        }),
    );
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let limits = ConnectionLimits {
        header_read_timeout: Duration::from_secs(5),
        request_timeout: Duration::from_secs(5),
        max_connections: 8,
        shutdown_grace: Duration::from_secs(10),
    };
    let server = tokio::spawn(serve(listener, router, limits, async {
        let _ = stop_rx.await;
    }));
    let slow = tokio::spawn(reqwest::get(format!("http://127.0.0.1:{port}/slow")));
    started_rx.await.expect("the request reached its handler");
    stop_tx.send(()).expect("stop");

    let answer = slow
        .await
        .expect("join")
        .expect("the request in progress is answered");
    assert_eq!(answer.text().await.expect("body"), "finished\n");
    tokio::time::timeout(Duration::from_secs(5), server)
        .await
        .expect("the server stops once the request is answered")
        .expect("join")
        .expect("serve");
    assert!(
        TcpStream::connect(("127.0.0.1", port)).await.is_err(),
        "no longer accepting"
    );
}

#[tokio::test]
async fn a_request_that_outlasts_the_shutdown_grace_is_cut_and_the_stop_is_bounded() {
    use axum::routing::get;
    use passerelle::web::server::{serve, ConnectionLimits};
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("address").port();
    let (started_tx, started_rx) = tokio::sync::oneshot::channel::<()>();
    let started_tx = std::sync::Arc::new(std::sync::Mutex::new(Some(started_tx)));
    let router = axum::Router::new().route(
        "/stuck",
        get(move || {
            if let Some(tx) = started_tx.lock().unwrap().take() {
                let _ = tx.send(());
            }
            async {
                tokio::time::sleep(Duration::from_secs(60)).await;
                "too late\n"
            }
        }),
    );
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let grace = Duration::from_millis(300);
    let limits = ConnectionLimits {
        header_read_timeout: Duration::from_secs(5),
        request_timeout: Duration::from_secs(120),
        max_connections: 8,
        shutdown_grace: grace,
    };
    let server = tokio::spawn(serve(listener, router, limits, async {
        let _ = stop_rx.await;
    }));
    let stuck = tokio::spawn(reqwest::get(format!("http://127.0.0.1:{port}/stuck")));
    started_rx.await.expect("the request reached its handler");
    let stopped_at = Instant::now();
    stop_tx.send(()).expect("stop");

    tokio::time::timeout(Duration::from_secs(5), server)
        .await
        .expect("the server stops when the grace runs out")
        .expect("join")
        .expect("serve");
    let took = stopped_at.elapsed();
    assert!(took >= grace && took < grace * 5, "{took:?}");
    // The client sees its connection closed: no answer, never a 5xx page.
    let answer = tokio::time::timeout(Duration::from_secs(5), stuck)
        .await
        .expect("the client is not left hanging")
        .expect("join");
    assert!(answer.is_err(), "{answer:?}");
}

#[tokio::test]
async fn readers_that_stop_taking_their_responses_do_not_hold_every_slot() {
    use axum::routing::get;
    use passerelle::web::server::{serve, ConnectionLimits};
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("address").port();
    // A body far larger than the socket buffers, streamed as a file is
    // (chunk by chunk as the socket drains): a client that reads nothing
    // leaves the response unfinished for good.
    let large = || async {
        let chunks = (0..1024).map(|_| Ok::<_, std::io::Error>(vec![b'x'; 64 << 10]));
        axum::body::Body::from_stream(futures::stream::iter(chunks))
    };
    let router = axum::Router::new()
        .route("/large", get(large))
        .route("/small", get(|| async { "small\n" }));
    let limits = ConnectionLimits {
        header_read_timeout: Duration::from_secs(5),
        request_timeout: Duration::from_secs(1),
        max_connections: 2,
        shutdown_grace: Duration::from_secs(1),
    };
    let server = tokio::spawn(serve(listener, router, limits, std::future::pending()));
    let mut readers = Vec::new();
    for _ in 0..2 {
        let mut stream = TcpStream::connect(("127.0.0.1", port))
            .await
            .expect("connect");
        stream
            .write_all(b"GET /large HTTP/1.1\r\nhost: x\r\n\r\n")
            .await
            .expect("request");
        // The response has begun (its head read), then nothing is taken.
        let mut head = [0u8; 1024];
        let read = stream.read(&mut head).await.expect("the response begins");
        assert!(
            head[..read].starts_with(b"HTTP/1.1 200"),
            "{:?}",
            &head[..read]
        );
        readers.push(stream);
    }
    // Both slots hold a response nobody takes; a person's request is
    // answered once they count as stalled (twice the request timeout).
    let started = Instant::now();
    let answer = tokio::time::timeout(
        Duration::from_secs(10),
        reqwest::get(format!("http://127.0.0.1:{port}/small")),
    )
    .await
    .expect("answered while two readers stalled")
    .expect("a response");
    assert_eq!(answer.text().await.expect("body"), "small\n");
    assert!(
        started.elapsed() < Duration::from_secs(6),
        "{:?}",
        started.elapsed()
    );
    drop(readers);
    server.abort();
}
