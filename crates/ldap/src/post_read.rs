//! The entry as a write left it, returned with the write itself: the
//! post-read control (RFC 4527, `1.3.6.1.1.13.2`, which slapd supports in
//! its core) asks the directory to answer a modify with the entry's chosen
//! attributes after it, so that the password write needs no read after it
//! (the « Ce n'était pas moi » link is bound to the new `pwdChangedTime`).
//! The answer is decoded here without ever panicking: a malformed one is
//! logged and treated as absent, and the caller reads the entry instead.

use crate::ppolicy::{PpolicyDecodeError, Reader};
use ldap3::controls::{Control, PostRead, RawControl};
use std::collections::HashMap;

const POST_READ_OID: &str = "1.3.6.1.1.13.2";

/// The request control for `attributes`.
pub(crate) fn request(attributes: &[String]) -> RawControl {
    PostRead::new(attributes.to_vec())
}

/// The entry a post-read answer among `controls` carries: its DN and its
/// attributes (values that are not UTF-8 are left out, as a search leaves
/// them to its binary attributes). `None` when there is none or it does not
/// decode.
pub(crate) fn find_entry(controls: &[Control]) -> Option<(String, HashMap<String, Vec<String>>)> {
    let raw = controls.iter().find(|c| c.1.ctype == POST_READ_OID)?;
    match decode(raw.1.val.as_deref().unwrap_or(&[])) {
        Ok(entry) => Some(entry),
        Err(error) => {
            tracing::warn!(%error, "undecodable post-read response control");
            None
        }
    }
}

/// The BER of a SearchResultEntry (RFC 4511 §4.5.2): `[APPLICATION 4]
/// SEQUENCE { objectName, attributes SEQUENCE OF SEQUENCE { type, vals SET
/// OF value } }`.
fn decode(value: &[u8]) -> Result<(String, HashMap<String, Vec<String>>), PpolicyDecodeError> {
    let mut outer = Reader::new(value);
    let (tag, body) = outer.element()?;
    if tag != 0x64 {
        return Err(PpolicyDecodeError::UnexpectedTag(tag));
    }
    if !outer.is_empty() {
        return Err(PpolicyDecodeError::TrailingBytes);
    }
    let mut entry = Reader::new(body);
    let dn = octet_string(&mut entry)?;
    let (tag, attributes) = entry.element()?;
    if tag != 0x30 {
        return Err(PpolicyDecodeError::UnexpectedTag(tag));
    }
    let mut attrs: HashMap<String, Vec<String>> = HashMap::new();
    let mut list = Reader::new(attributes);
    while !list.is_empty() {
        let (tag, attribute) = list.element()?;
        if tag != 0x30 {
            return Err(PpolicyDecodeError::UnexpectedTag(tag));
        }
        let mut attribute = Reader::new(attribute);
        let name = octet_string(&mut attribute)?;
        let (tag, values) = attribute.element()?;
        if tag != 0x31 {
            return Err(PpolicyDecodeError::UnexpectedTag(tag));
        }
        let mut values = Reader::new(values);
        let mut texts = Vec::new();
        while !values.is_empty() {
            let (tag, value) = values.element()?;
            if tag != 0x04 {
                return Err(PpolicyDecodeError::UnexpectedTag(tag));
            }
            if let Ok(text) = std::str::from_utf8(value) {
                texts.push(text.to_owned());
            }
        }
        if !texts.is_empty() {
            attrs.entry(name).or_default().extend(texts);
        }
    }
    Ok((dn, attrs))
}

fn octet_string(reader: &mut Reader<'_>) -> Result<String, PpolicyDecodeError> {
    let (tag, value) = reader.element()?;
    if tag != 0x04 {
        return Err(PpolicyDecodeError::UnexpectedTag(tag));
    }
    String::from_utf8(value.to_vec()).map_err(|_| PpolicyDecodeError::NotUtf8)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        if content.len() < 0x80 {
            out.push(content.len() as u8);
        } else {
            out.push(0x82);
            out.extend_from_slice(&(content.len() as u16).to_be_bytes());
        }
        out.extend_from_slice(content);
        out
    }

    fn entry(dn: &str, attributes: &[(&str, &[&[u8]])]) -> Vec<u8> {
        let mut list = Vec::new();
        for (name, values) in attributes {
            let set: Vec<u8> = values.iter().flat_map(|v| tlv(0x04, v)).collect();
            let mut attribute = tlv(0x04, name.as_bytes());
            attribute.extend(tlv(0x31, &set));
            list.extend(tlv(0x30, &attribute));
        }
        let mut body = tlv(0x04, dn.as_bytes());
        body.extend(tlv(0x30, &list));
        tlv(0x64, &body)
    }

    #[test]
    fn an_entry_is_decoded_with_its_values() {
        let ber = entry(
            "uid=jdupont,ou=people,dc=example,dc=org",
            &[
                ("pwdChangedTime", &[b"20261207040000Z"]),
                ("mail", &[b"a@example.org", b"b@example.org"]),
            ],
        );
        let (dn, attrs) = decode(&ber).unwrap();
        assert_eq!(dn, "uid=jdupont,ou=people,dc=example,dc=org");
        assert_eq!(attrs["pwdChangedTime"], vec!["20261207040000Z"]);
        assert_eq!(attrs["mail"].len(), 2);
    }

    #[test]
    fn values_that_are_not_utf8_are_left_out() {
        let ber = entry("uid=x", &[("cn", &[b"\xff\xfe", b"Xavier"])]);
        let (_, attrs) = decode(&ber).unwrap();
        assert_eq!(attrs["cn"], vec!["Xavier"]);
    }

    #[test]
    fn truncated_or_foreign_answers_are_refused_without_panicking() {
        let ber = entry("uid=x", &[("cn", &[b"Xavier"])]);
        for cut in 0..ber.len() {
            assert!(decode(&ber[..cut]).is_err(), "{cut}");
        }
        assert!(decode(&[0x30, 0x00]).is_err());
        let mut trailing = ber.clone();
        trailing.push(0);
        assert!(decode(&trailing).is_err());
        for byte in 0..=255u8 {
            let _ = decode(&[byte, 0x03, 0x04, 0x01, byte]);
        }
    }
}
