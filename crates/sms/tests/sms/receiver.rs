//! A real HTTP server on a loopback port the system chooses, standing in
//! for an SMS gateway: it records every request as it arrived (method, raw
//! path, query, headers, body) and answers what the test's function says,
//! so a test asserts both what the sender put on the wire and how it read
//! each answer.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use std::sync::{Arc, Mutex};

/// One request as the gateway received it.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: Method,
    /// The path as sent, still percent-encoded.
    pub path: String,
    pub query: Option<String>,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Received {
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        form_urlencoded::parse(self.query.as_deref().unwrap_or_default().as_bytes())
            .into_owned()
            .collect()
    }

    pub fn query_value(&self, key: &str) -> Option<String> {
        value_of(&self.query_pairs(), key)
    }

    pub fn form_pairs(&self) -> Vec<(String, String)> {
        form_urlencoded::parse(&self.body).into_owned().collect()
    }

    pub fn form_value(&self, key: &str) -> Option<String> {
        value_of(&self.form_pairs(), key)
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .map(|value| value.to_str().expect("ASCII header").to_owned())
    }

    /// The user and password of HTTP Basic authentication.
    pub fn basic_auth(&self) -> Option<(String, String)> {
        let encoded = self
            .header("authorization")?
            .strip_prefix("Basic ")?
            .to_owned();
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .ok()?;
        let decoded = String::from_utf8(decoded).ok()?;
        let (user, password) = decoded.split_once(':')?;
        Some((user.to_owned(), password.to_owned()))
    }
}

fn value_of(pairs: &[(String, String)], key: &str) -> Option<String> {
    pairs
        .iter()
        .find(|(name, _)| name == key)
        .map(|(_, value)| value.clone())
}

/// What the gateway answers.
#[derive(Debug, Clone)]
pub struct Answer {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: String,
    hang: bool,
}

impl Answer {
    pub fn json(status: u16, body: serde_json::Value) -> Answer {
        Answer {
            status,
            headers: vec![("content-type", "application/json".into())],
            body: body.to_string(),
            hang: false,
        }
    }

    pub fn text(status: u16, body: &str) -> Answer {
        Answer {
            status,
            headers: vec![("content-type", "text/plain".into())],
            body: body.to_owned(),
            hang: false,
        }
    }

    /// Never answers: a gateway that accepted the connection and stalls.
    pub fn hang() -> Answer {
        Answer {
            status: 200,
            headers: Vec::new(),
            body: String::new(),
            hang: true,
        }
    }

    pub fn with_header(mut self, name: &'static str, value: &str) -> Answer {
        self.headers.push((name, value.to_owned()));
        self
    }
}

type AnswerFn = dyn Fn(&Received, usize) -> Answer + Send + Sync;

#[derive(Clone)]
struct Shared {
    received: Arc<Mutex<Vec<Received>>>,
    answer: Arc<AnswerFn>,
}

/// The running server.
pub struct Receiver {
    /// `http://127.0.0.1:<port>`, no trailing slash.
    pub base_url: String,
    received: Arc<Mutex<Vec<Received>>>,
}

impl Receiver {
    /// Starts a server whose answer to each request is `answer(request,
    /// number of requests before it)`.
    pub async fn start(
        answer: impl Fn(&Received, usize) -> Answer + Send + Sync + 'static,
    ) -> Receiver {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let address = listener.local_addr().expect("its address");
        let shared = Shared {
            received: Arc::new(Mutex::new(Vec::new())),
            answer: Arc::new(answer),
        };
        let received = shared.received.clone();
        let app = axum::Router::new().fallback(handle).with_state(shared);
        tokio::spawn(async move {
            axum::serve(listener, app)
                .await
                .expect("the receiver serves");
        });
        Receiver {
            base_url: format!("http://{address}"),
            received,
        }
    }

    /// A server that answers every request with `answer`.
    pub async fn answering(answer: Answer) -> Receiver {
        Receiver::start(move |_, _| answer.clone()).await
    }

    /// A server that answers the n-th request with `answers[n]`, and every
    /// later one with the last.
    pub async fn scripted(answers: Vec<Answer>) -> Receiver {
        Receiver::start(move |_, index| answers[index.min(answers.len() - 1)].clone()).await
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().expect("not poisoned").clone()
    }

    pub fn only_request(&self) -> Received {
        let received = self.received();
        assert_eq!(received.len(), 1, "one request expected: {received:#?}");
        received.into_iter().next().expect("one")
    }
}

async fn handle(
    State(shared): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request = Received {
        method,
        path: uri.path().to_owned(),
        query: uri.query().map(str::to_owned),
        headers,
        body: body.to_vec(),
    };
    let answer = {
        let mut received = shared.received.lock().expect("not poisoned");
        let answer = (shared.answer)(&request, received.len());
        received.push(request);
        answer
    };
    if answer.hang {
        std::future::pending::<()>().await;
    }
    let mut response = (
        StatusCode::from_u16(answer.status).expect("a status"),
        answer.body,
    )
        .into_response();
    for (name, value) in answer.headers {
        response
            .headers_mut()
            .insert(name, value.parse().expect("a header value"));
    }
    response
}

/// A loopback URL where nothing listens: a port the system gave and took
/// back.
pub async fn closed_port_url() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let address = listener.local_addr().expect("its address");
    drop(listener);
    format!("http://{address}")
}
