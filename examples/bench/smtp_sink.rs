//! The bench's SMTP relay: a small server inside the load generator that
//! takes every mail the gateway sends and keeps, per recipient, the latest
//! reset code mailed to it, so the code flow can be driven as a person
//! does (ask, read the mail, type the code).
//!
//! Plain SMTP on 127.0.0.1 and a port the system chooses; it speaks what
//! lettre's client needs (EHLO/HELO, MAIL FROM, RCPT TO, DATA with a
//! dot-terminated body, RSET, NOOP, QUIT), several mails per connection
//! (lettre keeps a pool). A mail is a code mail when its text part holds a
//! `/code/link/` link; its code is the line made of 6 digits once spaces
//! are taken out (the mail writes it "2 3 8 3 9 2"). The text part is
//! decoded with mail-parser, whatever its transfer encoding.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufStream};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;

/// The longest line and the largest message the sink reads, in bytes;
/// beyond, it drops the connection (the gateway's mails are a few KiB).
const MAX_LINE_BYTES: usize = 64 * 1024;
const MAX_MESSAGE_BYTES: usize = 1024 * 1024;

#[derive(Default)]
struct Received {
    /// The latest code mailed to each recipient (lowercased), not yet taken.
    codes: Mutex<HashMap<String, String>>,
    arrived: Notify,
    mails: AtomicUsize,
    code_mails: AtomicUsize,
    /// How long each flow waited for its code, from its request.
    waits: Mutex<Vec<Duration>>,
}

/// The running sink; stops listening when dropped.
pub struct SmtpSink {
    port: u16,
    received: Arc<Received>,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl SmtpSink {
    pub async fn start() -> anyhow::Result<Arc<SmtpSink>> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        let received = Arc::new(Received::default());
        let server = tokio::spawn({
            let received = received.clone();
            async move {
                while let Ok((stream, _)) = listener.accept().await {
                    let received = received.clone();
                    // A connection that breaks off loses only its unfinished
                    // mail; the gateway retries it.
                    tokio::spawn(async move {
                        let _ = session(stream, &received).await;
                    });
                }
            }
        });
        Ok(Arc::new(SmtpSink {
            port,
            received,
            server,
        }))
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Mails received in all, and how many of them carried a code.
    pub fn counts(&self) -> (usize, usize) {
        (
            self.received.mails.load(Ordering::Relaxed),
            self.received.code_mails.load(Ordering::Relaxed),
        )
    }

    /// Notes how long a flow waited for its code (from the POST that asked
    /// for it to the code in hand).
    pub fn note_wait(&self, wait: Duration) {
        if let Ok(mut waits) = self.received.waits.lock() {
            waits.push(wait);
        }
    }

    /// The waits noted since the last call, sorted.
    pub fn take_waits(&self) -> Vec<Duration> {
        let mut waits = self
            .received
            .waits
            .lock()
            .map(|mut waits| std::mem::take(&mut *waits))
            .unwrap_or_default();
        waits.sort();
        waits
    }

    /// Waits (woken by each code mail, no blind sleep) for a code mailed to
    /// `address` and takes it, so the next wait for the same address needs
    /// a new mail. None when none came within `timeout`.
    pub async fn take_code(&self, address: &str, timeout: Duration) -> Option<String> {
        let address = address.to_ascii_lowercase();
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let arrived = self.received.arrived.notified();
            tokio::pin!(arrived);
            // Registered before looking, so a mail in between is not missed.
            arrived.as_mut().enable();
            if let Some(code) = self.received.codes.lock().ok()?.remove(&address) {
                return Some(code);
            }
            tokio::time::timeout_at(deadline, arrived).await.ok()?;
        }
    }
}

/// The reset code of a mail, if it is a code mail.
fn code_of(data: &[u8]) -> Option<String> {
    let message = mail_parser::MessageParser::default().parse(data)?;
    let text = message.body_text(0)?;
    if !text.contains("/code/link/") {
        return None;
    }
    text.lines()
        .map(|line| line.split_whitespace().collect::<String>())
        .find(|line| line.len() == 6 && line.bytes().all(|b| b.is_ascii_digit()))
}

/// The address inside `<...>` of `RCPT TO:<a>`.
fn path_of(argument: &str) -> Option<String> {
    let start = argument.find('<')? + 1;
    let end = start + argument[start..].find('>')?;
    Some(argument[start..end].to_ascii_lowercase())
}

/// Reads one line (up to LF) into `line`; false at the end of the stream.
async fn read_line(stream: &mut BufStream<TcpStream>, line: &mut Vec<u8>) -> std::io::Result<bool> {
    line.clear();
    let read = stream.read_until(b'\n', line).await?;
    if line.len() > MAX_LINE_BYTES {
        return Err(std::io::Error::other("line too long"));
    }
    Ok(read > 0)
}

async fn reply(stream: &mut BufStream<TcpStream>, text: &str) -> std::io::Result<()> {
    stream.write_all(text.as_bytes()).await?;
    stream.flush().await
}

async fn session(stream: TcpStream, received: &Received) -> std::io::Result<()> {
    // Each reply is one write: sent at once, not held for an ACK (Nagle).
    stream.set_nodelay(true)?;
    let mut stream = BufStream::new(stream);
    reply(&mut stream, "220 bench-sink ESMTP\r\n").await?;
    let mut line = Vec::new();
    let mut recipients: Vec<String> = Vec::new();
    while read_line(&mut stream, &mut line).await? {
        let command = String::from_utf8_lossy(&line).trim_end().to_owned();
        let verb = command
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_ascii_uppercase();
        match verb.as_str() {
            "EHLO" => reply(&mut stream, "250-bench-sink\r\n250 8BITMIME\r\n").await?,
            "HELO" => reply(&mut stream, "250 bench-sink\r\n").await?,
            "MAIL" | "RSET" => {
                recipients.clear();
                reply(&mut stream, "250 2.0.0 OK\r\n").await?;
            }
            "RCPT" => match path_of(&command) {
                Some(address) => {
                    recipients.push(address);
                    reply(&mut stream, "250 2.1.5 OK\r\n").await?;
                }
                None => reply(&mut stream, "501 5.1.3 bad address\r\n").await?,
            },
            "DATA" => {
                reply(&mut stream, "354 end with <CRLF>.<CRLF>\r\n").await?;
                let mut data = Vec::new();
                loop {
                    if !read_line(&mut stream, &mut line).await? {
                        return Ok(());
                    }
                    if line == b".\r\n" || line == b".\n" {
                        break;
                    }
                    // Dot-stuffing undone.
                    let unstuffed = line.strip_prefix(b".").unwrap_or(&line);
                    data.extend_from_slice(unstuffed);
                    if data.len() > MAX_MESSAGE_BYTES {
                        return Err(std::io::Error::other("message too large"));
                    }
                }
                received.mails.fetch_add(1, Ordering::Relaxed);
                if let Some(code) = code_of(&data) {
                    received.code_mails.fetch_add(1, Ordering::Relaxed);
                    if let Ok(mut codes) = received.codes.lock() {
                        for recipient in recipients.drain(..) {
                            codes.insert(recipient, code.clone());
                        }
                    }
                    received.arrived.notify_waiters();
                }
                recipients.clear();
                reply(&mut stream, "250 2.0.0 queued\r\n").await?;
            }
            "NOOP" => reply(&mut stream, "250 2.0.0 OK\r\n").await?,
            "QUIT" => {
                reply(&mut stream, "221 2.0.0 bye\r\n").await?;
                return Ok(());
            }
            _ => reply(&mut stream, "502 5.5.2 not implemented\r\n").await?,
        }
    }
    Ok(())
}
