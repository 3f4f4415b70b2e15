//! Distinguished names compared the way an LDAP server compares them
//! (RFC 4514 strings): RDN by RDN, never as text, so that a DN is under a
//! base only when its last RDNs are the base's RDNs. A string suffix is
//! not enough: `uid=x,ou=people,dc=evil-dc=example,dc=org` ends with
//! `dc=example,dc=org` and is not under it, and `cn=a\,dc=example,dc=org`
//! is one RDN `cn=a,dc=example` under `dc=org`. Attribute types compare
//! without case; values are unescaped (`\,`, `\2c`), stripped of the
//! spaces around them and compared without case with inner spaces
//! collapsed (`caseIgnoreMatch`, which every naming attribute of a people
//! branch uses: `uid`, `cn`, `ou`, `dc`, `o`); a multi-valued RDN's values
//! compare in any order. A DN that does not parse is the same as nothing
//! and under nothing.

/// One attribute-value assertion of an RDN, normalised.
type Ava = (String, String);

/// The RDNs of `dn`, normalised, the leftmost first; `None` when `dn` is
/// not a DN (an RDN without `=`, a dangling escape, an empty RDN). The
/// empty string is the root (no RDN).
pub fn parse(dn: &str) -> Option<Vec<Vec<Ava>>> {
    let dn = dn.trim();
    if dn.is_empty() {
        return Some(Vec::new());
    }
    let mut rdns = Vec::new();
    for rdn in split_unescaped(dn, &[',', ';'])? {
        let mut avas = Vec::new();
        for ava in split_unescaped(&rdn, &['+'])? {
            let (kind, value) = split_once_unescaped(&ava, '=')?;
            let kind = kind.trim().to_ascii_lowercase();
            if kind.is_empty() {
                return None;
            }
            avas.push((kind, value_of(value.trim_start())?));
        }
        avas.sort();
        rdns.push(avas);
    }
    Some(rdns)
}

/// Whether `a` and `b` name the same entry; `false` when either is not a
/// DN.
pub fn same(a: &str, b: &str) -> bool {
    matches!((parse(a), parse(b)), (Some(a), Some(b)) if a == b)
}

/// Whether `dn` is `base` or an entry under it (what a subtree search from
/// `base` reaches); `false` when either is not a DN.
pub fn is_within(dn: &str, base: &str) -> bool {
    let (Some(dn), Some(base)) = (parse(dn), parse(base)) else {
        return false;
    };
    dn.len() >= base.len() && dn[dn.len() - base.len()..] == base[..]
}

/// `text` cut at each of `separators` not escaped by a backslash (the
/// escapes are kept); `None` when a backslash ends it or a part is empty.
fn split_unescaped(text: &str, separators: &[char]) -> Option<Vec<String>> {
    let mut parts = Vec::new();
    let mut part = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            part.push(c);
            part.push(chars.next()?);
        } else if separators.contains(&c) {
            parts.push(std::mem::take(&mut part));
        } else {
            part.push(c);
        }
    }
    parts.push(part);
    if parts.iter().any(|p| p.trim().is_empty()) {
        return None;
    }
    Some(parts)
}

fn split_once_unescaped(text: &str, separator: char) -> Option<(&str, &str)> {
    let mut escaped = false;
    for (at, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            c if c == separator => return Some((&text[..at], &text[at + c.len_utf8()..])),
            _ => {}
        }
    }
    None
}

/// A value unescaped (`\c`, `\XX` as UTF-8 bytes), its surrounding spaces
/// dropped, inner runs of spaces made one, in lower case. A `#`-value (hex
/// of its BER encoding) is kept as it is, in lower case.
fn value_of(raw: &str) -> Option<String> {
    if raw.starts_with('#') {
        return Some(raw.trim_end().to_lowercase());
    }
    let mut bytes = Vec::new();
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            let mut buffer = [0; 4];
            bytes.extend_from_slice(c.encode_utf8(&mut buffer).as_bytes());
            continue;
        }
        let first = chars.next()?;
        match (
            first.to_digit(16),
            chars.peek().and_then(|c| c.to_digit(16)),
        ) {
            (Some(high), Some(low)) => {
                chars.next();
                bytes.push(u8::try_from(high * 16 + low).ok()?);
            }
            _ => {
                let mut buffer = [0; 4];
                bytes.extend_from_slice(first.encode_utf8(&mut buffer).as_bytes());
            }
        }
    }
    let value = String::from_utf8(bytes).ok()?;
    Some(
        value
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "ou=people,dc=example,dc=org";

    #[test]
    fn an_entry_is_under_a_base_by_its_rdns_not_by_its_text() {
        assert!(is_within("uid=x,ou=people,dc=example,dc=org", BASE));
        assert!(is_within(BASE, BASE));
        assert!(is_within("UID=x, OU=People ,DC=Example,dc=ORG", BASE));
        assert!(is_within("uid=x,ou=sub,ou=people,dc=example,dc=org", BASE));
        // A suffix of the text that is no suffix of the RDNs.
        assert!(!is_within(
            "uid=x,ou=people,dc=evil-dc=example,dc=org",
            "dc=example,dc=org"
        ));
        assert!(!is_within(
            "uid=x,ou=evil-ou=people,dc=example,dc=org",
            BASE
        ));
        assert!(!is_within("uid=admin,ou=admins,dc=example,dc=org", BASE));
        // An escaped comma is part of a value, not an RDN boundary.
        assert!(!is_within(r"cn=a\,ou=people,dc=example,dc=org", BASE));
        assert!(!is_within(r"uid=x,ou=people\2cdc=example,dc=org", BASE));
        assert!(!is_within("dc=example,dc=org", BASE));
        assert!(!is_within("not a dn", BASE));
        assert!(!is_within(r"uid=x\,ou=people,dc=example,dc=org\", BASE));
    }

    #[test]
    fn dns_compare_as_ldap_compares_them() {
        assert!(same("uid=A,ou=People,dc=x", "uid=a, ou=people,dc=X"));
        assert!(same(r"uid=agent\69t,dc=x", "uid=agentit,dc=x"));
        assert!(same("cn=a+sn=b,dc=x", "SN=B + cn=A,dc=x"));
        assert!(same("cn=Jean  Dupont,dc=x", "cn=jean dupont,dc=x"));
        assert!(!same("uid=a,dc=x", "uid=b,dc=x"));
        assert!(!same(r"cn=a\,b,dc=x", "cn=a,b=,dc=x"));
        assert!(!same("uid=a,dc=x", "uid=a,dc=x,dc=y"));
        assert!(!same("uid=,,dc=x", "uid=,,dc=x"), "not a DN");
    }
}
