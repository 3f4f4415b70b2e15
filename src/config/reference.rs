//! The configuration reference, `docs/configuration.md`, generated from the
//! code: every key of [`Settings`] with its type, its default and the doc
//! comment of its field. The settings structs derive `schemars::JsonSchema`
//! (which reads doc comments and serde's names and defaults); this module
//! walks that schema into one entry per dotted key. A key whose field has no
//! doc comment is an error, and `tests/suite/config_reference.rs` fails when
//! the file and the code disagree, so a key cannot be added, renamed or
//! removed without its documentation following.
//!
//! Regenerate with `passerelle config-reference > docs/configuration.md`
//! or `UPDATE_DOCS=1 cargo test --test suite config_reference`.

use super::Settings;
use serde_json::{Map, Value};
use std::fmt::Write as _;

/// The file the reference is written to, relative to the repository.
pub const REFERENCE_PATH: &str = "docs/configuration.md";

/// One configuration key as the reference documents it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    /// Dotted name, e.g. `ldap.bind_dn`.
    pub name: String,
    /// What the value is, in TOML terms (`string`, `integer`, `array of
    /// strings`, `one of "text", "json"`…), with `(optional)` when it may be
    /// left unset.
    pub kind: String,
    /// The built-in value as it would be written in TOML; `unset` for an
    /// optional key without one.
    pub default: String,
    /// The field's doc comment, then one line per allowed value of an
    /// enumerated key.
    pub meaning: String,
}

/// One `[section]` of the configuration and its keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// Dotted name of the table, e.g. `ldap`.
    pub name: String,
    /// The doc comment of the settings struct behind the table.
    pub meaning: String,
    pub keys: Vec<Key>,
}

/// Why the reference cannot be generated: each string names a key and what
/// it lacks (a doc comment, a default).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the configuration reference is incomplete:\n  {}", .0.join("\n  "))]
pub struct Incomplete(pub Vec<String>);

/// Every section and key of [`Settings`], in the schema's order
/// (alphabetical).
pub fn sections() -> Result<Vec<Section>, Incomplete> {
    let root = schemars::schema_for!(Settings).to_value();
    let walker = Walker {
        defs: root
            .get("$defs")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default(),
    };
    let mut sections = Vec::new();
    let mut problems = Vec::new();
    walker.table(&root, "", &mut sections, &mut problems);
    if problems.is_empty() {
        Ok(sections)
    } else {
        Err(Incomplete(problems))
    }
}

/// Every dotted key of [`Settings`].
pub fn key_names() -> Result<Vec<String>, Incomplete> {
    Ok(sections()?
        .into_iter()
        .flat_map(|s| s.keys.into_iter().map(|k| k.name))
        .collect())
}

/// The whole of `docs/configuration.md`.
pub fn markdown() -> Result<String, Incomplete> {
    let sections = sections()?;
    let mut out = String::new();
    out.push_str(HEADER);
    out.push_str("\nSections: ");
    let links: Vec<String> = sections
        .iter()
        .map(|s| format!("[{}](#{})", heading(&s.name), anchor(&heading(&s.name))))
        .collect();
    out.push_str(&links.join(" · "));
    out.push('\n');
    for section in &sections {
        let _ = write!(out, "\n## {}\n\n", heading(&section.name));
        if !section.meaning.is_empty() {
            let _ = write!(out, "{}\n\n", section.meaning);
        }
        for key in &section.keys {
            let _ = write!(
                out,
                "### `{}`\n\n- type: {}\n- default: {}\n- environment: `{}`\n\n{}\n\n",
                key.name,
                key.kind,
                key.default,
                env_name(&key.name),
                key.meaning
            );
        }
    }
    Ok(out.trim_end().to_owned() + "\n")
}

/// A section's heading: `` `[ldap]` ``, or the keys written before any
/// table.
fn heading(section: &str) -> String {
    if section.is_empty() {
        TOP_LEVEL.to_owned()
    } else {
        format!("`[{section}]`")
    }
}

/// The heading of the keys that sit before any `[section]`.
const TOP_LEVEL: &str = "Top-level keys";

/// The environment variable that sets `key` (`PASSERELLE_LDAP__BIND_DN`).
pub fn env_name(key: &str) -> String {
    format!("PASSERELLE_{}", key.replace('.', "__").to_uppercase())
}

const HEADER: &str = "# Configuration reference

<!-- Generated from the doc comments of the settings in src/ by
     `passerelle config-reference`: do not edit by hand. Change the doc
     comment, then regenerate with
       cargo run -q -- config-reference > docs/configuration.md
     or
       UPDATE_DOCS=1 cargo test --test suite config_reference
     (the test fails while this file and the code disagree). -->

Every key `passerelle` reads, with its type, its built-in default and what
it means. Layers, lowest first: the built-in defaults below, the preset the
file names (`preset = \"uphf\"`: one of the seed systems of `config/presets/`,
compiled into the binary), the TOML file given with `--config`, then
environment variables `PASSERELLE_<SECTION>__<KEY>` (shown with each key).
A key the file sets wins over the preset (`passerelle check` lists them).
An unknown key or an invalid value stops the start with a message naming
the key, and the section it belongs in when it was written in another; run
`passerelle check --config FILE` before going live.

Secrets (`ldap.bind_password`, `mail.password`, `secrets.*`) can each be
given inline or, as a site should, in a file readable only by the gateway
named by the `_file` key beside it; giving both is refused.
`config/passerelle.example.toml` is a commented example of every section,
and `config/presets/` holds the rules of each seed system.
";

/// A heading's anchor as GitHub and most renderers make it (the
/// backticks and brackets of `` `[ldap]` `` dropped, spaces as hyphens).
fn anchor(heading: &str) -> String {
    heading
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '-' || *c == '_' || *c == ' ')
        .map(|c| {
            if c == ' ' {
                '-'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

struct Walker {
    defs: Map<String, Value>,
}

impl Walker {
    /// Follows a `$ref` into `$defs`; anything else is returned as it is.
    fn resolve<'a>(&'a self, schema: &'a Value) -> &'a Value {
        schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/$defs/"))
            .and_then(|name| self.defs.get(name))
            .unwrap_or(schema)
    }

    /// The non-null alternative of an `Option<T>` (`anyOf [T, null]`), and
    /// whether null was allowed.
    fn unwrap_optional<'a>(&'a self, schema: &'a Value) -> (&'a Value, bool) {
        if let Some(any) = schema.get("anyOf").and_then(Value::as_array) {
            let others: Vec<&Value> = any.iter().filter(|s| !is_null(s)).collect();
            if others.len() == 1 && others.len() < any.len() {
                return (others[0], true);
            }
        }
        let nullable = schema
            .get("type")
            .and_then(Value::as_array)
            .is_some_and(|types| types.iter().any(|t| t == "null"));
        (schema, nullable)
    }

    /// Whether `schema` is a table of named keys (a settings struct).
    fn is_struct(&self, schema: &Value) -> bool {
        let schema = self.resolve(self.unwrap_optional(schema).0);
        schema.get("properties").is_some()
    }

    /// A struct: its plain keys become one section; its struct-valued keys
    /// become sections of their own, after it.
    fn table(
        &self,
        schema: &Value,
        prefix: &str,
        sections: &mut Vec<Section>,
        problems: &mut Vec<String>,
    ) {
        let schema = self.resolve(schema);
        let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
            return;
        };
        // The root's title is the struct's name (`Settings`): only its
        // description reads for an operator.
        let meaning = if prefix.is_empty() {
            text_of(schema, "description")
        } else {
            doc(schema)
        };
        let mut section = Section {
            name: prefix.to_owned(),
            meaning: clean(&meaning),
            keys: Vec::new(),
        };
        let mut nested = Vec::new();
        for (name, property) in properties {
            let dotted = if prefix.is_empty() {
                name.clone()
            } else {
                format!("{prefix}.{name}")
            };
            if self.is_struct(property) {
                nested.push((dotted, property));
                continue;
            }
            section.keys.push(self.key(dotted, property, problems));
        }
        if !prefix.is_empty() || !section.keys.is_empty() {
            sections.push(section);
        }
        for (dotted, property) in nested {
            self.table(
                self.unwrap_optional(property).0,
                &dotted,
                sections,
                problems,
            );
        }
    }

    fn key(&self, name: String, property: &Value, problems: &mut Vec<String>) -> Key {
        let (inner, nullable) = self.unwrap_optional(property);
        let target = self.resolve(inner);
        let mut meaning = clean(&doc(property));
        if meaning.is_empty() {
            // A field without its own doc comment of an enumerated type
            // takes the type's.
            meaning = clean(&doc(target));
        }
        if meaning.is_empty() {
            problems.push(format!(
                "`{name}` has no doc comment: document its field in src/"
            ));
        }
        let variants = self.variants(target);
        if !variants.is_empty() && variants.iter().any(|(_, d)| !d.is_empty()) {
            meaning.push('\n');
            for (value, description) in &variants {
                let _ = write!(meaning, "\n- `{}`", toml_value(value));
                if !description.is_empty() {
                    let one_line = description.split_whitespace().collect::<Vec<_>>().join(" ");
                    let _ = write!(meaning, ": {}", clean(&one_line));
                }
            }
        }
        let default = match property.get("default") {
            Some(Value::Null) | None if nullable => "unset".to_owned(),
            Some(value) => format!("`{}`", toml_value(value)),
            None => {
                problems.push(format!(
                    "`{name}` shows no default: derive `Serialize` on its settings struct"
                ));
                String::new()
            }
        };
        let mut kind = self.kind(inner);
        if nullable {
            kind.push_str(" (optional)");
        }
        Key {
            name,
            kind,
            default,
            meaning,
        }
    }

    /// The values of an enumerated type with each one's doc comment.
    fn variants(&self, schema: &Value) -> Vec<(Value, String)> {
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            return values.iter().map(|v| (v.clone(), String::new())).collect();
        }
        let Some(alternatives) = schema
            .get("oneOf")
            .or_else(|| schema.get("anyOf"))
            .and_then(Value::as_array)
        else {
            return Vec::new();
        };
        let mut variants = Vec::new();
        for alternative in alternatives {
            let alternative = self.resolve(alternative);
            if let Some(value) = alternative.get("const") {
                variants.push((value.clone(), doc(alternative)));
            } else if let Some(values) = alternative.get("enum").and_then(Value::as_array) {
                variants.extend(values.iter().map(|v| (v.clone(), doc(alternative))));
            }
        }
        variants
    }

    /// The type in words an operator writing TOML uses.
    fn kind(&self, schema: &Value) -> String {
        let schema = self.resolve(schema);
        let variants = self.variants(schema);
        if !variants.is_empty() {
            let values: Vec<String> = variants
                .iter()
                .map(|(v, _)| format!("`{}`", toml_value(v)))
                .collect();
            return format!("one of {}", values.join(", "));
        }
        let types: Vec<&str> = match schema.get("type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(ts)) => ts
                .iter()
                .filter_map(Value::as_str)
                .filter(|t| *t != "null")
                .collect(),
            _ => Vec::new(),
        };
        match types.first().copied() {
            Some("string") => "string".to_owned(),
            Some("boolean") => "boolean".to_owned(),
            Some("integer") => {
                let non_negative = schema
                    .get("minimum")
                    .and_then(Value::as_f64)
                    .is_some_and(|m| m >= 0.0);
                if non_negative {
                    "integer ≥ 0".to_owned()
                } else {
                    "integer".to_owned()
                }
            }
            Some("number") => "number".to_owned(),
            Some("array") => match schema.get("items") {
                Some(items) => format!("array of {}", plural(&self.kind(items))),
                None => "array".to_owned(),
            },
            Some("object") => match schema.get("additionalProperties") {
                Some(values @ Value::Object(_)) => match self.kind(values) {
                    kind if kind.starts_with("one of") => format!("table whose values are {kind}"),
                    kind => format!("table of {}", plural(&kind)),
                },
                _ => "table".to_owned(),
            },
            _ => "value".to_owned(),
        }
    }
}

fn is_null(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("null")
}

/// One text field of a schema (`title`, `description`), trimmed.
fn text_of(schema: &Value, name: &str) -> String {
    schema
        .get(name)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .trim()
        .to_owned()
}

/// A schema's doc comment: schemars splits a first paragraph off as the
/// `title` when more follows.
fn doc(schema: &Value) -> String {
    let text = |name: &str| text_of(schema, name);
    match (text("title"), text("description")) {
        (title, description) if title.is_empty() => description,
        (title, description) if description.is_empty() => title,
        (title, description) => format!("{title}\n\n{description}"),
    }
}

/// Rustdoc links (``[`Name`]``) read as code in the reference, which has
/// no link targets for them.
fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("[`") {
        let after = &rest[start + 1..];
        match after.find("`]") {
            Some(end) if !after[1..end].contains('`') && !after[end + 2..].starts_with('(') => {
                out.push_str(&rest[..start]);
                out.push_str(&after[..end + 1]);
                rest = &after[end + 2..];
            }
            _ => {
                out.push_str(&rest[..start + 2]);
                rest = &rest[start + 2..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// "string" → "strings", "one of …" stays.
fn plural(kind: &str) -> String {
    match kind {
        "string" | "boolean" | "integer" | "number" | "integer ≥ 0" | "table" | "array" => {
            match kind.split_once(' ') {
                Some((word, rest)) => format!("{word}s {rest}"),
                None => format!("{kind}s"),
            }
        }
        other => other.to_owned(),
    }
}

/// `value` as TOML writes it: strings quoted, arrays in brackets, tables
/// inline.
fn toml_value(value: &Value) -> String {
    match value {
        Value::Null => "unset".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() && f.fract() == 0.0 => format!("{f:.1}"),
            _ => n.to_string(),
        },
        // A JSON string literal is a valid TOML basic string.
        Value::String(_) => value.to_string(),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(toml_value).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Object(map) if map.is_empty() => "{}".to_owned(),
        Value::Object(map) => {
            let pairs: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{k} = {}", toml_value(v)))
                .collect();
            format!("{{ {} }}", pairs.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rustdoc_links_read_as_code() {
        assert_eq!(
            clean("see [`IdentifierCase::default_for`] and [`x`](y)"),
            "see `IdentifierCase::default_for` and [`x`](y)"
        );
        assert_eq!(clean("a [b] `c`"), "a [b] `c`");
    }

    /// Issue 24: the reference showed code names (`PRESETS`, `figment`,
    /// `web::MAIL_FLUSH`, `IdentifierCase::default_for`) and an empty link
    /// (`[]`) to operators, who have no use for them.
    #[test]
    fn the_reference_reads_for_an_operator() {
        let text = markdown().unwrap_or_else(|e| panic!("{e}"));
        assert!(!text.contains("](#)"), "an empty link");
        assert!(
            !text.contains("## `[]`") && !text.contains("[`[]`]"),
            "an empty section name"
        );
        assert!(text.contains("## Top-level keys"));
        assert!(text.contains("[Top-level keys](#top-level-keys)"));
        assert!(
            text.contains("the preset the\nfile names"),
            "the preset layer"
        );
        let spans: Vec<&str> = text.split('`').skip(1).step_by(2).collect();
        let code: Vec<&&str> = spans
            .iter()
            .filter(|span| {
                let constant = span.len() > 3
                    && !span.starts_with("PASSERELLE_")
                    && span.chars().all(|c| c.is_ascii_uppercase() || c == '_');
                // A Rust path (`crate::x`), not an address (`::1`,
                // `[2001:db8::1]:1812`).
                let path = span.contains("::")
                    && span
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
                    && !span.starts_with(':')
                    && !span.chars().next().is_some_and(|c| c.is_ascii_digit());
                path || constant
                    || span.starts_with("crate")
                    || ["figment", "Settings", "schemars"].contains(span)
            })
            .collect();
        assert!(code.is_empty(), "code names in the reference: {code:?}");
        assert!(
            !text.contains("\nSettings\n"),
            "the struct's name as a title"
        );
    }

    #[test]
    fn defaults_are_written_as_toml() {
        assert_eq!(
            toml_value(&serde_json::json!(["a", 1, 2.0, true])),
            r#"["a", 1, 2.0, true]"#
        );
        assert_eq!(toml_value(&serde_json::json!({})), "{}");
        assert_eq!(env_name("ldap.bind_dn"), "PASSERELLE_LDAP__BIND_DN");
    }

    #[test]
    fn every_key_is_documented_with_a_type_and_a_default() {
        let sections = sections().unwrap_or_else(|e| panic!("{e}"));
        let keys: Vec<&Key> = sections.iter().flat_map(|s| &s.keys).collect();
        let find = |name: &str| {
            keys.iter()
                .find(|k| k.name == name)
                .unwrap_or_else(|| panic!("{name} missing"))
        };
        assert_eq!(find("server.listen").default, "`\"127.0.0.1:8080\"`");
        assert_eq!(find("ldap.bind_password").default, "unset");
        assert!(find("log.format").kind.contains("`\"json\"`"));
        assert_eq!(find("site.timezone").default, "`\"Europe/Paris\"`");
        // Every key sits in a section, but for `preset`, which chooses the
        // layer under the file.
        assert!(keys
            .iter()
            .all(|k| k.name.contains('.') || k.name == "preset"));
        find("preset");
    }
}
