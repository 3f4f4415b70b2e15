//! The gateway over https, as every real one is: a throwaway CA made with
//! the `openssl` command (as the root package's tests make theirs), a
//! loopback server with a certificate it signed, and the sender trusting
//! it through `ca_file`, or refusing it without.

use crate::examples::mobile;
use crate::retries::gateway_settings;
use passerelle_sms::{SmsError, SmsReceipt, SmsSender};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio_rustls::rustls;
use tokio_rustls::rustls::pki_types::pem::PemObject as _;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};

fn openssl(directory: &Path, args: &[&str]) {
    let output = Command::new("openssl")
        .args(args)
        .current_dir(directory)
        .stdin(Stdio::null())
        .output()
        .expect("the openssl command (Debian's openssl package)");
    assert!(
        output.status.success(),
        "openssl {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// `ca.pem`, and `server.pem`/`server.key` for 127.0.0.1 signed by it.
fn make_ca(directory: &Path) {
    let key = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
    ];
    let ca = [
        &["req", "-x509"][..],
        &key,
        &["-keyout", "ca.key", "-out", "ca.pem", "-days", "2"],
        &["-subj", "/CN=passerelle-sms test CA"],
        &["-addext", "basicConstraints=critical,CA:TRUE"],
        &["-addext", "keyUsage=critical,keyCertSign,cRLSign"],
    ]
    .concat();
    openssl(directory, &ca);
    let request = [
        &["req"][..],
        &key,
        &[
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
            "-subj",
            "/CN=127.0.0.1",
        ],
    ]
    .concat();
    openssl(directory, &request);
    std::fs::write(
        directory.join("server.ext"),
        "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n",
    )
    .expect("extensions file");
    openssl(
        directory,
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.pem",
            "-days",
            "2",
            "-extfile",
            "server.ext",
        ],
    );
}

/// A one-request-per-connection https server answering 200 `{}`; returns
/// its URL and the requests' heads it read.
async fn https_gateway(directory: &Path) -> (String, Arc<Mutex<Vec<String>>>) {
    let chain: Vec<CertificateDer<'static>> =
        CertificateDer::pem_file_iter(directory.join("server.pem"))
            .expect("server.pem")
            .collect::<Result<_, _>>()
            .expect("certificates");
    let key = PrivateKeyDer::from_pem_file(directory.join("server.key")).expect("server.key");
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("TLS versions")
    .with_no_client_auth()
    .with_single_cert(chain, key)
    .expect("server certificate");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let address = listener.local_addr().expect("its address");
    let heads = Arc::new(Mutex::new(Vec::new()));
    let seen = heads.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            let seen = seen.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(stream).await else {
                    return;
                };
                let mut request = Vec::new();
                let mut buffer = [0u8; 4096];
                // The head, then as much body as Content-Length says.
                let head_end = loop {
                    let Ok(read) = tls.read(&mut buffer).await else {
                        return;
                    };
                    if read == 0 {
                        return;
                    }
                    request.extend_from_slice(&buffer[..read]);
                    if let Some(end) = request.windows(4).position(|w| w == b"\r\n\r\n") {
                        break end + 4;
                    }
                };
                let head = String::from_utf8_lossy(&request[..head_end]).into_owned();
                let length: usize = head
                    .lines()
                    .find_map(|line| {
                        let (name, value) = line.split_once(':')?;
                        name.eq_ignore_ascii_case("content-length")
                            .then(|| value.trim().parse().ok())?
                    })
                    .unwrap_or(0);
                while request.len() < head_end + length {
                    let Ok(read) = tls.read(&mut buffer).await else {
                        return;
                    };
                    if read == 0 {
                        break;
                    }
                    request.extend_from_slice(&buffer[..read]);
                }
                seen.lock().expect("not poisoned").push(head);
                let answer = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                              content-length: 2\r\nconnection: close\r\n\r\n{}";
                let _ = tls.write_all(answer.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    (format!("https://{address}"), heads)
}

#[tokio::test]
async fn an_https_gateway_signed_by_the_site_s_ca_is_trusted_through_ca_file() {
    let directory = tempfile::tempdir().expect("a temporary directory");
    make_ca(directory.path());
    let (url, heads) = https_gateway(directory.path()).await;
    let mut settings = gateway_settings(&url);
    settings.http.ca_file = Some(directory.path().join("ca.pem"));

    let receipt = SmsSender::from_settings(&settings)
        .expect("a sender")
        .send(&mobile(), "code 123456")
        .await
        .expect("sent over TLS");

    assert!(
        matches!(
            receipt,
            SmsReceipt::Accepted {
                status: 200,
                attempts: 1,
                ..
            }
        ),
        "{receipt:?}"
    );
    let heads = heads.lock().expect("not poisoned").clone();
    assert_eq!(heads.len(), 1);
    assert!(
        heads[0].starts_with("POST /send HTTP/1.1\r\n"),
        "{}",
        heads[0]
    );
}

#[tokio::test]
async fn without_the_site_s_ca_the_gateway_s_certificate_is_refused() {
    let directory = tempfile::tempdir().expect("a temporary directory");
    make_ca(directory.path());
    let (url, heads) = https_gateway(directory.path()).await;
    let mut settings = gateway_settings(&url);
    settings.http.max_attempts = 1;

    let error = SmsSender::from_settings(&settings)
        .expect("a sender")
        .send(&mobile(), "code 123456")
        .await
        .expect_err("an unknown CA");

    assert!(
        matches!(&error, SmsError::Unavailable { last, .. } if last.starts_with("cannot connect")),
        "{error:?}"
    );
    assert!(
        heads.lock().expect("not poisoned").is_empty(),
        "nothing was sent in clear or otherwise"
    );
}

#[test]
fn a_ca_file_without_certificates_is_refused_at_start_up() {
    let directory = tempfile::tempdir().expect("a temporary directory");
    let empty = directory.path().join("empty.pem");
    std::fs::write(&empty, "not a certificate\n").expect("file");
    let mut settings = gateway_settings("https://sms.example.org");
    settings.http.ca_file = Some(empty);

    let error = SmsSender::from_settings(&settings).expect_err("no certificate");

    assert!(
        error.to_string().starts_with("`sms.http.ca_file`"),
        "{error}"
    );
}
