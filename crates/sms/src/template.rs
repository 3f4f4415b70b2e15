//! The small template language of the HTTP sender's settings: literal
//! text with `{placeholders}` for the number, the message and secrets,
//! checked once when the settings are read (a misspelt placeholder stops
//! the gateway at start-up, not at the first reset). A template never
//! escapes anything itself: each place a rendered value goes (URL path,
//! query, form field, JSON string, header) applies its own encoding to it,
//! so a message cannot leave the field it was put in.

use crate::number::MobileNumber;
use secrecy::{ExposeSecret, SecretString};
use std::collections::BTreeMap;
use std::fmt;

/// The placeholders, as written in the settings.
pub const PLACEHOLDERS: &str = "{number} or {e164} (+33612345678), {e164_digits} (33612345678), \
{international_00} (0033612345678), {national} (0612345678), {message}, {secret:NAME}";

/// A placeholder or brace that the settings cannot mean.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    /// `{something}` that is none of [`PLACEHOLDERS`].
    #[error("unknown placeholder `{{{0}}}`; the placeholders are {PLACEHOLDERS}")]
    UnknownPlaceholder(String),
    /// `{secret:NAME}` where NAME is not a key of `secret_files`.
    #[error("`{{secret:{0}}}` names no entry of `secret_files`")]
    UnknownSecret(String),
    /// A `{` without its `}`, or a `}` alone (write `{{` and `}}` for
    /// literal braces).
    #[error("unbalanced brace at character {0} (write `{{{{` or `}}}}` for a literal brace)")]
    UnbalancedBrace(usize),
}

/// How the number is written in a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NumberForm {
    E164,
    E164Digits,
    International00,
    National,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Literal(String),
    Number(NumberForm),
    Message,
    Secret(String),
}

/// A parsed template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Template {
    pieces: Vec<Piece>,
}

/// What a template is rendered with.
pub(crate) struct Values<'a> {
    pub number: &'a MobileNumber,
    pub message: &'a str,
    pub secrets: &'a Secrets,
}

/// The secrets a gateway's templates may name, read from their files.
#[derive(Default)]
pub(crate) struct Secrets(BTreeMap<String, SecretString>);

impl Secrets {
    pub(crate) fn new(secrets: BTreeMap<String, SecretString>) -> Self {
        Secrets(secrets)
    }

    fn get(&self, name: &str) -> &str {
        // Names were checked against this map when the templates were
        // parsed; an empty value cannot be reached.
        self.0.get(name).map_or("", |secret| secret.expose_secret())
    }

    fn contains(&self, name: &str) -> bool {
        self.0.contains_key(name)
    }
}

impl fmt::Debug for Secrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.0.keys()).finish()
    }
}

impl Template {
    /// Parses `source`; `{secret:NAME}` must name one of `secrets`.
    pub(crate) fn parse(source: &str, secrets: &Secrets) -> Result<Self, TemplateError> {
        let mut pieces = Vec::new();
        let mut literal = String::new();
        let mut chars = source.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            match c {
                '{' if chars.peek().map(|(_, next)| *next) == Some('{') => {
                    chars.next();
                    literal.push('{');
                }
                '}' if chars.peek().map(|(_, next)| *next) == Some('}') => {
                    chars.next();
                    literal.push('}');
                }
                '{' => {
                    let mut name = String::new();
                    loop {
                        match chars.next() {
                            Some((_, '}')) => break,
                            Some((_, '{')) | None => {
                                return Err(TemplateError::UnbalancedBrace(at))
                            }
                            Some((_, c)) => name.push(c),
                        }
                    }
                    if !literal.is_empty() {
                        pieces.push(Piece::Literal(std::mem::take(&mut literal)));
                    }
                    pieces.push(placeholder(name.trim(), secrets)?);
                }
                '}' => return Err(TemplateError::UnbalancedBrace(at)),
                c => literal.push(c),
            }
        }
        if !literal.is_empty() {
            pieces.push(Piece::Literal(literal));
        }
        Ok(Template { pieces })
    }

    /// The text, with each placeholder's value passed through `escape`
    /// (literal text is kept as written).
    pub(crate) fn render_with(
        &self,
        values: &Values<'_>,
        escape: impl Fn(&str) -> String,
    ) -> String {
        let mut out = String::new();
        for piece in &self.pieces {
            match piece {
                Piece::Literal(text) => out.push_str(text),
                Piece::Number(form) => out.push_str(&escape(&number_in(values.number, *form))),
                Piece::Message => out.push_str(&escape(values.message)),
                Piece::Secret(name) => out.push_str(&escape(values.secrets.get(name))),
            }
        }
        out
    }

    /// The text, placeholders replaced by their raw values: for places
    /// that encode the whole value themselves.
    pub(crate) fn render(&self, values: &Values<'_>) -> String {
        self.render_with(values, str::to_owned)
    }

    pub(crate) fn mentions_number(&self) -> bool {
        self.pieces
            .iter()
            .any(|piece| matches!(piece, Piece::Number(_)))
    }

    pub(crate) fn mentions_message(&self) -> bool {
        self.pieces
            .iter()
            .any(|piece| matches!(piece, Piece::Message))
    }

    pub(crate) fn mentions_secret(&self) -> bool {
        self.pieces
            .iter()
            .any(|piece| matches!(piece, Piece::Secret(_)))
    }
}

fn placeholder(name: &str, secrets: &Secrets) -> Result<Piece, TemplateError> {
    Ok(match name {
        "number" | "e164" => Piece::Number(NumberForm::E164),
        "e164_digits" => Piece::Number(NumberForm::E164Digits),
        "international_00" => Piece::Number(NumberForm::International00),
        "national" => Piece::Number(NumberForm::National),
        "message" => Piece::Message,
        _ => match name.strip_prefix("secret:") {
            Some(secret) if secrets.contains(secret.trim()) => {
                Piece::Secret(secret.trim().to_owned())
            }
            Some(secret) => return Err(TemplateError::UnknownSecret(secret.trim().to_owned())),
            None => return Err(TemplateError::UnknownPlaceholder(name.to_owned())),
        },
    })
}

fn number_in(number: &MobileNumber, form: NumberForm) -> String {
    match form {
        NumberForm::E164 => number.e164().to_owned(),
        NumberForm::E164Digits => number.e164_digits().to_owned(),
        NumberForm::International00 => number.international_00(),
        NumberForm::National => number.national().to_owned(),
    }
}

/// A JSON body whose string leaves are templates: it is rendered into a
/// `serde_json::Value` and serialised by serde_json, so every value is
/// JSON-escaped and the structure is the one the settings wrote, whatever
/// the message holds.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum JsonTemplate {
    Literal(serde_json::Value),
    Text(Template),
    Array(Vec<JsonTemplate>),
    Object(Vec<(String, JsonTemplate)>),
}

impl JsonTemplate {
    pub(crate) fn parse(
        value: &serde_json::Value,
        secrets: &Secrets,
    ) -> Result<Self, TemplateError> {
        Ok(match value {
            serde_json::Value::String(text) => JsonTemplate::Text(Template::parse(text, secrets)?),
            serde_json::Value::Array(items) => JsonTemplate::Array(
                items
                    .iter()
                    .map(|item| JsonTemplate::parse(item, secrets))
                    .collect::<Result<_, _>>()?,
            ),
            serde_json::Value::Object(fields) => JsonTemplate::Object(
                fields
                    .iter()
                    .map(|(key, item)| Ok((key.clone(), JsonTemplate::parse(item, secrets)?)))
                    .collect::<Result<_, TemplateError>>()?,
            ),
            other => JsonTemplate::Literal(other.clone()),
        })
    }

    pub(crate) fn render(&self, values: &Values<'_>) -> serde_json::Value {
        match self {
            JsonTemplate::Literal(value) => value.clone(),
            JsonTemplate::Text(template) => serde_json::Value::String(template.render(values)),
            JsonTemplate::Array(items) => {
                serde_json::Value::Array(items.iter().map(|item| item.render(values)).collect())
            }
            JsonTemplate::Object(fields) => serde_json::Value::Object(
                fields
                    .iter()
                    .map(|(key, item)| (key.clone(), item.render(values)))
                    .collect(),
            ),
        }
    }

    pub(crate) fn templates(&self) -> Vec<&Template> {
        match self {
            JsonTemplate::Literal(_) => Vec::new(),
            JsonTemplate::Text(template) => vec![template],
            JsonTemplate::Array(items) => items.iter().flat_map(JsonTemplate::templates).collect(),
            JsonTemplate::Object(fields) => fields
                .iter()
                .flat_map(|(_, item)| item.templates())
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::number::NumberRules;
    use proptest::prelude::*;

    fn secrets() -> Secrets {
        Secrets::new(BTreeMap::from([(
            "token".to_owned(),
            SecretString::from("s3cr3t"),
        )]))
    }

    fn number() -> MobileNumber {
        MobileNumber::parse("06 12 34 56 78", &NumberRules::default()).expect("mobile")
    }

    fn render(source: &str, message: &str) -> String {
        let secrets = secrets();
        let template = Template::parse(source, &secrets).expect("template");
        template.render(&Values {
            number: &number(),
            message,
            secrets: &secrets,
        })
    }

    #[test]
    fn every_placeholder_is_replaced_by_its_value() {
        assert_eq!(
            render(
                "{number} {e164} {e164_digits} {international_00} {national} {message} {secret:token}",
                "hi"
            ),
            "+33612345678 +33612345678 33612345678 0033612345678 0612345678 hi s3cr3t"
        );
    }

    #[test]
    fn doubled_braces_are_literal_braces() {
        assert_eq!(render("{{x}} {message}", "m"), "{x} m");
    }

    #[test]
    fn mistakes_in_a_template_are_named() {
        let secrets = secrets();
        assert_eq!(
            Template::parse("{numbr}", &secrets),
            Err(TemplateError::UnknownPlaceholder("numbr".into()))
        );
        assert_eq!(
            Template::parse("{secret:other}", &secrets),
            Err(TemplateError::UnknownSecret("other".into()))
        );
        assert_eq!(
            Template::parse("a {message", &secrets),
            Err(TemplateError::UnbalancedBrace(2))
        );
        assert_eq!(
            Template::parse("a } b", &secrets),
            Err(TemplateError::UnbalancedBrace(2))
        );
    }

    #[test]
    fn the_escape_applies_to_values_never_to_literal_text() {
        let secrets = secrets();
        let template = Template::parse("/a/{message}/b", &secrets).expect("template");
        let rendered = template.render_with(
            &Values {
                number: &number(),
                message: "x/y",
                secrets: &secrets,
            },
            |value| value.replace('/', "%2F"),
        );
        assert_eq!(rendered, "/a/x%2Fy/b");
    }

    #[test]
    fn secret_names_appear_in_debug_output_but_never_their_values() {
        assert_eq!(format!("{:?}", secrets()), "{\"token\"}");
    }

    proptest! {
        #[test]
        fn a_json_body_keeps_any_message_inside_its_field(message in any::<String>()) {
            let secrets = secrets();
            let body: serde_json::Value = serde_json::json!({
                "to": ["{e164}"], "text": "Code: {message}", "flag": true
            });
            let template = JsonTemplate::parse(&body, &secrets).expect("template");
            let rendered = template.render(&Values { number: &number(), message: &message, secrets: &secrets });
            let wire = serde_json::to_string(&rendered).expect("serialise");
            let back: serde_json::Value = serde_json::from_str(&wire).expect("valid JSON");
            prop_assert_eq!(back, serde_json::json!({
                "to": ["+33612345678"], "text": format!("Code: {message}"), "flag": true
            }));
        }
    }
}
