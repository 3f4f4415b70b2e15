//! The demo's outbox: one file per SMS, readable by the gateway's user
//! only, that holds the number and the text a phone would have shown.

use crate::examples::mobile;
use passerelle_sms::{SmsReceipt, SmsSender, SmsSettings, SmsTransportKind};
use std::os::unix::fs::PermissionsExt as _;

fn outbox_sender(directory: &std::path::Path) -> SmsSender {
    SmsSender::from_settings(&SmsSettings {
        transport: SmsTransportKind::File,
        directory: directory.to_owned(),
        ..SmsSettings::default()
    })
    .expect("a file sender")
}

#[tokio::test]
async fn each_sms_becomes_a_private_file_with_the_number_and_the_text() {
    let root = tempfile::tempdir().expect("a temporary directory");
    let directory = root.path().join("outbox").join("sms");
    let sender = outbox_sender(&directory);
    assert_eq!(sender.describe(), format!("file {}", directory.display()));

    let receipt = sender
        .send(&mobile(), "Passerelle : votre code est 123456.")
        .await
        .expect("written");

    let SmsReceipt::Written { path } = receipt else {
        panic!("a file: {receipt:?}");
    };
    assert_eq!(path.parent(), Some(directory.as_path()));
    let name = path
        .file_name()
        .expect("a name")
        .to_string_lossy()
        .into_owned();
    let (time, last_digits) = name
        .strip_suffix(".txt")
        .and_then(|stem| stem.split_once('-'))
        .expect("<time>-<digits>.txt");
    assert_eq!(last_digits, "78");
    assert_eq!(time.len(), "20250601T120000.123456Z".len(), "{name}");
    assert!(time.ends_with('Z') && time.as_bytes()[8] == b'T', "{name}");

    let mode =
        |p: &std::path::Path| std::fs::metadata(p).expect("metadata").permissions().mode() & 0o777;
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(&directory), 0o700);

    let content = std::fs::read_to_string(&path).expect("the file");
    let mut lines = content.lines();
    assert_eq!(lines.next(), Some("To: +33612345678"));
    assert!(lines.next().is_some_and(|line| line.starts_with("Date: ")));
    assert_eq!(lines.next(), Some("Segments: 1 (GSM 03.38)"));
    assert_eq!(lines.next(), Some(""));
    assert_eq!(lines.next(), Some("Passerelle : votre code est 123456."));
}

#[tokio::test]
async fn texts_sent_at_the_same_moment_never_overwrite_each_other() {
    let root = tempfile::tempdir().expect("a temporary directory");
    let sender = outbox_sender(root.path());

    let sends = (0..20).map(|n| {
        let sender = sender.clone();
        async move { sender.send(&mobile(), &format!("code {n}")).await }
    });
    let receipts = futures_join_all(sends).await;

    let mut paths: Vec<_> = receipts
        .into_iter()
        .map(|receipt| match receipt.expect("written") {
            SmsReceipt::Written { path } => path,
            other => panic!("a file: {other:?}"),
        })
        .collect();
    paths.sort();
    paths.dedup();
    assert_eq!(paths.len(), 20);
    let mut texts: Vec<String> = paths
        .iter()
        .map(|path| std::fs::read_to_string(path).expect("a file"))
        .map(|content| content.lines().last().expect("the text").to_owned())
        .collect();
    texts.sort();
    let mut expected: Vec<String> = (0..20).map(|n| format!("code {n}")).collect();
    expected.sort();
    assert_eq!(texts, expected);
}

/// Runs the futures at once on the test's runtime.
async fn futures_join_all<F: std::future::Future + Send + 'static>(
    futures: impl IntoIterator<Item = F>,
) -> Vec<F::Output>
where
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.into_iter().map(tokio::spawn).collect();
    let mut outputs = Vec::new();
    for handle in handles {
        outputs.push(handle.await.expect("the task ends"));
    }
    outputs
}
