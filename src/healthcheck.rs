//! `passerelle healthcheck`: asks the running gateway's `/healthz` (or
//! `/readyz`) on the configured `server.listen` address and says whether it
//! answered 200, so that a container's `HEALTHCHECK` or a monitoring probe
//! needs no shell and no HTTP client in the image.

use anyhow::{anyhow, Context};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use hyper_util::rt::TokioIo;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;
use tokio::net::TcpStream;

/// Which probe to ask.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Probe {
    /// `/healthz`: the process serves.
    Live,
    /// `/readyz`: the directory answers the service account too.
    Ready,
}

impl Probe {
    pub fn path(self) -> &'static str {
        match self {
            Probe::Live => "/healthz",
            Probe::Ready => "/readyz",
        }
    }
}

/// Where to reach a gateway that listens on `listen` (`server.listen`):
/// the same port, on the loopback address of the same family when it
/// listens on every address (`0.0.0.0`, `[::]`), as in a container.
///
/// Errors: `listen` is not an address and port.
pub fn target(listen: &str) -> anyhow::Result<SocketAddr> {
    let mut address: SocketAddr = listen
        .parse()
        .with_context(|| format!("server.listen {listen:?} is not an address and port"))?;
    if address.ip().is_unspecified() {
        address.set_ip(match address.ip() {
            IpAddr::V4(_) => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(_) => IpAddr::V6(Ipv6Addr::LOCALHOST),
        });
    }
    Ok(address)
}

/// Sends `GET <probe path>` to `address` and returns the status, all within
/// `timeout`.
///
/// Errors: the connection is refused, the answer is not HTTP, or the
/// gateway did not answer within `timeout`.
pub async fn ask(
    address: SocketAddr,
    probe: Probe,
    timeout: Duration,
) -> anyhow::Result<StatusCode> {
    let exchange = async {
        let stream = TcpStream::connect(address)
            .await
            .with_context(|| format!("connecting to {address}"))?;
        let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .context("starting HTTP")?;
        let driver = tokio::spawn(connection);
        let request = Request::get(probe.path())
            .header(header::HOST, address.to_string())
            .header(header::USER_AGENT, "passerelle-healthcheck")
            .body(Body::empty())
            .context("building the request")?;
        let response = sender
            .send_request(request)
            .await
            .with_context(|| format!("asking {}", probe.path()))?;
        driver.abort();
        Ok::<_, anyhow::Error>(response.status())
    };
    tokio::time::timeout(timeout, exchange).await.map_err(|_| {
        anyhow!(
            "no answer from {address} within {} s",
            timeout.as_secs_f64()
        )
    })?
}

/// Runs the check and prints one line: `ok: …` on standard output when
/// the probe answered 200, `error: …` on standard error otherwise.
/// Returns whether it answered 200.
pub async fn run(listen: &str, probe: Probe, timeout: Duration) -> bool {
    let address = match target(listen) {
        Ok(address) => address,
        Err(error) => {
            eprintln!("error: {error:#}");
            return false;
        }
    };
    let url = format!("http://{address}{}", probe.path());
    match ask(address, probe, timeout).await {
        Ok(StatusCode::OK) => {
            println!("ok: {url} answered 200");
            true
        }
        Ok(status) => {
            eprintln!("error: {url} answered {status}");
            false
        }
        Err(error) => {
            eprintln!("error: {url}: {error:#}");
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gateway_listening_everywhere_is_asked_on_loopback() {
        assert_eq!(
            target("0.0.0.0:8080").unwrap(),
            "127.0.0.1:8080".parse().unwrap()
        );
        assert_eq!(target("[::]:9000").unwrap(), "[::1]:9000".parse().unwrap());
        assert_eq!(
            target("192.0.2.4:8080").unwrap(),
            "192.0.2.4:8080".parse().unwrap()
        );
        assert!(target("localhost").is_err());
    }
}
