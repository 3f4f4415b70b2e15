//! The pages of one's own recovery data (issue 21), shared by « Gérer mon
//! compte » and « Activer mon compte »: the page where a code sent to each
//! new value is typed back ([`CodesTemplate`], [`CodesForm`]). Route modules
//! fill them; the domain decides.

use super::page::Layout;
use super::step::Ctx;
use askama::Template;
use passerelle_domain::reset_code::ResetCode;
use passerelle_domain::settings::Channel;
use passerelle_domain::steps::recovery::PendingValue;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

/// One code to type back: its field, and where it was sent (masked).
pub struct CodeField {
    pub field: &'static str,
    pub label: String,
    pub sent: String,
}

/// The field of the code sent to a channel's new value.
pub fn code_field(channel: Channel) -> &'static str {
    match channel {
        Channel::Mail => "code_mail",
        Channel::Mobile => "code_mobile",
    }
}

/// The page where the codes sent to new values are typed back.
#[derive(Template)]
#[template(path = "recovery_verify.html")]
pub struct CodesTemplate {
    pub page: Layout,
    pub action: &'static str,
    pub csrf: String,
    pub nonce: String,
    pub fields: Vec<CodeField>,
    pub notice: Option<String>,
}

impl CodesTemplate {
    /// The page for `pending`, titled `title_id`, posting to `action`.
    pub fn new(ctx: &Ctx, layout: Layout, action: &'static str, pending: &[PendingValue]) -> Self {
        let page = &ctx.page;
        let fields = pending
            .iter()
            .map(|value| CodeField {
                field: code_field(value.channel),
                label: page.t(match value.channel {
                    Channel::Mail => "recovery-code-mail",
                    Channel::Mobile => "recovery-code-mobile",
                }),
                sent: page.t_with(
                    match value.channel {
                        Channel::Mail => "recovery-code-sent-mail",
                        Channel::Mobile => "recovery-code-sent-mobile",
                    },
                    &[("value", &value.masked)],
                ),
            })
            .collect();
        CodesTemplate {
            page: layout,
            action,
            csrf: ctx.flow.csrf.clone(),
            nonce: ctx.flow.nonce.clone(),
            fields,
            notice: page.flash.notice.clone(),
        }
    }
}

crate::redraw!(CodesTemplate, notice: notice);

/// The codes typed back.
#[derive(Deserialize)]
pub struct CodesForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub nonce: String,
    #[serde(default)]
    pub code_mail: Option<SecretString>,
    #[serde(default)]
    pub code_mobile: Option<SecretString>,
}

impl CodesForm {
    /// The code typed for `channel`, when it is six digits.
    pub fn code(&self, channel: Channel) -> Option<ResetCode> {
        let typed = match channel {
            Channel::Mail => self.code_mail.as_ref(),
            Channel::Mobile => self.code_mobile.as_ref(),
        };
        typed.and_then(|typed| ResetCode::parse(typed.expose_secret()))
    }
}

/// A new value (or its removal) for one channel, with the current password
/// typed again (« Gérer mon compte »).
#[derive(Deserialize)]
pub struct ValueForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub nonce: String,
    #[serde(default)]
    pub value: String,
    #[serde(default)]
    pub current: Option<SecretString>,
    /// `remove` for the removal button.
    #[serde(default)]
    pub action: String,
}

/// The values an activation asks for.
#[derive(Deserialize)]
pub struct ValuesForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub nonce: String,
    #[serde(default)]
    pub mail: String,
    #[serde(default)]
    pub mobile: String,
}

crate::step_form!(CodesForm, ValueForm, ValuesForm);
