//! The form extractor of every POST. Unlike axum's `Form`, which decodes
//! invalid UTF-8 lossily and answers a bare text on errors, it refuses a
//! body whose percent-decoded bytes are not UTF-8, a body above
//! `server.max_form_bytes`, and a form missing a field, each with the normal
//! translated error page (see [`WebError`]).

use super::error::WebError;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, StatusCode};
use serde::de::DeserializeOwned;

/// A form body, decoded strictly into `T`.
pub struct Form<T>(pub T);

impl<T, S> FromRequest<S> for Form<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = WebError;

    async fn from_request(request: Request, state: &S) -> Result<Self, WebError> {
        let is_form = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.split(';').next().is_some_and(|m| {
                    m.trim()
                        .eq_ignore_ascii_case("application/x-www-form-urlencoded")
                })
            });
        if !is_form {
            return Err(WebError::BadRequest("not a urlencoded form"));
        }
        let body = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| {
                if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    WebError::TooLarge
                } else {
                    WebError::BadRequest("body could not be read")
                }
            })?;
        let fields = parse(&body)?;
        let mut object = serde_json::Map::new();
        for (name, value) in fields {
            // The first value wins: a field repeated by a tampering client
            // cannot override the one the page sent.
            object
                .entry(name)
                .or_insert(serde_json::Value::String(value));
        }
        let value = serde_json::from_value(serde_json::Value::Object(object))
            .map_err(|_| WebError::BadRequest("fields missing or malformed"))?;
        Ok(Form(value))
    }
}

/// Splits an `application/x-www-form-urlencoded` body into decoded pairs,
/// refusing anything that does not decode to UTF-8.
pub fn parse(body: &[u8]) -> Result<Vec<(String, String)>, WebError> {
    let mut pairs = Vec::new();
    for piece in body.split(|&b| b == b'&') {
        if piece.is_empty() {
            continue;
        }
        let (name, value) = match piece.iter().position(|&b| b == b'=') {
            Some(i) => (&piece[..i], &piece[i + 1..]),
            None => (piece, &[][..]),
        };
        pairs.push((decode(name)?, decode(value)?));
    }
    Ok(pairs)
}

fn decode(raw: &[u8]) -> Result<String, WebError> {
    let mut bytes = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'+' => bytes.push(b' '),
            b'%' => {
                let hex = raw
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or(WebError::BadRequest("bad percent escape"))?;
                bytes.push(hex);
                i += 2;
            }
            b => bytes.push(b),
        }
        i += 1;
    }
    String::from_utf8(bytes).map_err(|_| WebError::BadRequest("not UTF-8"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_are_percent_and_plus_decoded() {
        let pairs = parse(b"identifier=jean+dupont&birth_date=17%2F04%2F2003&x=%C3%A9").unwrap();
        assert_eq!(
            pairs,
            vec![
                ("identifier".into(), "jean dupont".into()),
                ("birth_date".into(), "17/04/2003".into()),
                ("x".into(), "é".into()),
            ]
        );
    }

    #[test]
    fn invalid_utf8_after_decoding_is_refused() {
        assert!(parse(b"identifier=%FF%FE").is_err());
        assert!(parse(b"identifier=%C3").is_err());
        assert!(parse(b"identifier=\xff").is_err());
    }

    #[test]
    fn broken_percent_escapes_are_refused() {
        assert!(parse(b"a=%G1").is_err());
        assert!(parse(b"a=%4").is_err());
        assert!(parse(b"a=%").is_err());
    }

    #[test]
    fn a_field_without_value_is_empty() {
        assert_eq!(
            parse(b"a&b=").unwrap(),
            vec![("a".into(), "".into()), ("b".into(), "".into())]
        );
    }
}
