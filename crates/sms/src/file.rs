//! The outbox sender of the demo and of staging: each SMS becomes one text
//! file in a directory, as each mail becomes an `.eml` file, so that
//! someone trying the gateway reads the code a phone would have received.
//! The files hold codes: the directory is created mode 0700 and each file
//! mode 0600, and a file is never overwritten.

use crate::number::MobileNumber;
use crate::outcome::{SmsError, SmsReceipt};
use crate::text::{measure, SmsEncoding};
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::io::AsyncWriteExt as _;

/// Names tried for one SMS before giving up: texts to numbers ending with
/// the same two digits within the same microsecond take the next suffix.
const NAME_ATTEMPTS: u32 = 100;

/// Writes each SMS to `<directory>/<UTC time>-<last two digits>.txt`, e.g.
/// `20250601T120000.123456Z-78.txt`, holding:
///
/// ```text
/// To: +33612345678
/// Date: 2025-06-01T12:00:00.123456Z
/// Segments: 1 (GSM 03.38)
///
/// Passerelle : votre code est 123456.
/// ```
#[derive(Debug, Clone)]
pub struct FileSender {
    directory: Arc<PathBuf>,
}

impl FileSender {
    /// A sender into `directory`, created (mode 0700) when missing.
    ///
    /// # Errors
    ///
    /// The directory cannot be created, or its mode set.
    pub fn new(directory: impl Into<PathBuf>) -> std::io::Result<FileSender> {
        let directory = directory.into();
        if !directory.is_dir() {
            std::fs::create_dir_all(&directory)?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt as _;
                std::fs::set_permissions(&directory, std::fs::Permissions::from_mode(0o700))?;
            }
        }
        Ok(FileSender {
            directory: Arc::new(directory),
        })
    }

    /// The outbox directory.
    pub fn directory(&self) -> &Path {
        &self.directory
    }

    pub(crate) async fn send(&self, to: &MobileNumber, text: &str) -> Result<SmsReceipt, SmsError> {
        let now = chrono::Utc::now();
        let stem = format!("{}-{}", now.format("%Y%m%dT%H%M%S%.6fZ"), to.last_digits());
        let length = measure(text);
        let encoding = match length.encoding {
            SmsEncoding::Gsm7 => "GSM 03.38",
            SmsEncoding::Ucs2 => "UCS-2",
        };
        let content = format!(
            "To: {}\nDate: {}\nSegments: {} ({encoding})\n\n{text}\n",
            to.e164(),
            now.format("%Y-%m-%dT%H:%M:%S%.6fZ"),
            length.segments,
        );
        for attempt in 0..NAME_ATTEMPTS {
            let name = match attempt {
                0 => format!("{stem}.txt"),
                n => format!("{stem}-{n}.txt"),
            };
            let path = self.directory.join(name);
            let mut options = tokio::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            options.mode(0o600);
            match options.open(&path).await {
                Ok(mut file) => {
                    file.write_all(content.as_bytes())
                        .await
                        .map_err(SmsError::Outbox)?;
                    file.flush().await.map_err(SmsError::Outbox)?;
                    return Ok(SmsReceipt::Written { path });
                }
                Err(error) if error.kind() == ErrorKind::AlreadyExists => continue,
                Err(error) => return Err(SmsError::Outbox(error)),
            }
        }
        Err(SmsError::Outbox(std::io::Error::new(
            ErrorKind::AlreadyExists,
            format!("{NAME_ATTEMPTS} files named {stem}* already exist"),
        )))
    }
}
