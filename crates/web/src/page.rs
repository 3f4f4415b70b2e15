//! What every page shares: the language of the request, the site's name and
//! logo, the navigation, the step indicator and the error summary. Handlers
//! take a [`Page`] and give its [`Layout`] to their template, whose
//! `base.html` draws the frame.
//!
//! The [`finish`] middleware also turns every error response into the
//! normal translated error page (an extractor's rejection, a 405 from the
//! router, a 413 from the body limit), so a person never meets a bare text
//! answer.

use super::error::{ErrorKind, WebError};
use super::flow_state::Flash;
use super::AppState;
use crate::settings::WebSettings as Settings;
use crate::site_texts::{self, PageKind, PageTexts};
use askama::Template;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use passerelle_domain::flow::{FlowName, NavPlace, FORGOTTEN_ORDER};
use passerelle_text::i18n::{self, Lang};
use std::fmt::Display;
use std::sync::Arc;

/// Name of the cookie that remembers the language chosen with the switch.
pub const LANG_COOKIE: &str = "lang";

/// One message of the error summary, linked to its field when it has one.
#[derive(Debug, Clone)]
pub struct FieldError {
    pub field: Option<&'static str>,
    pub message: String,
}

/// One link of the navigation bar.
#[derive(Debug, Clone)]
pub struct NavItem {
    pub href: &'static str,
    pub label: String,
    pub current: bool,
}

/// One flow offered on the home page.
#[derive(Debug, Clone)]
pub struct FlowCard {
    pub href: &'static str,
    pub title: String,
    pub summary: String,
}

/// The request's language and site, extracted by every page handler.
#[derive(Clone)]
pub struct Page {
    pub lang: Lang,
    pub settings: Arc<Settings>,
    pub path: String,
    /// What the refused POST before this page left for it (its errors,
    /// the values typed, a notice); empty otherwise.
    pub flash: Flash,
}

/// The fields an error may point at, so that an error carried by a cookie
/// links to its field (any other name links nowhere).
const FIELDS: [&str; 17] = [
    "identifier",
    "birth_date",
    "answer",
    "answer_confirm",
    "question",
    "own_question",
    "login",
    "password",
    "confirm",
    "current",
    "rules",
    "captcha",
    "code",
    "query",
    "reason",
    "document",
    "method",
];

impl FromRequestParts<AppState> for Page {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        Ok(Page {
            lang: request_lang(&parts.uri, &parts.headers, &state.settings),
            settings: state.settings.clone(),
            path: parts.uri.path().to_owned(),
            flash: Flash::default(),
        })
    }
}

impl Page {
    pub fn t(&self, id: &str) -> String {
        i18n::t(self.lang, id, None)
    }

    pub fn t_with(&self, id: &str, args: &[(&str, &str)]) -> String {
        i18n::t_with(self.lang, id, args)
    }

    /// The frame of a page titled by the message `title_id`, with the
    /// errors a refused POST left for it.
    pub fn layout(&self, title_id: &str) -> Layout {
        self.layout_titled(self.t(title_id))
    }

    /// The frame of a page titled `title` (already translated).
    pub fn layout_titled(&self, title: String) -> Layout {
        let errors = self
            .flash
            .errors
            .iter()
            .map(|(field, message)| FieldError {
                field: field
                    .as_deref()
                    .and_then(|name| FIELDS.iter().copied().find(|known| *known == name)),
                message: message.clone(),
            })
            .collect();
        Layout {
            lang: self.lang,
            settings: self.settings.clone(),
            path: self.path.clone(),
            title,
            step: None,
            errors,
            kind: None,
        }
    }

    /// What was typed in `field` before a refused POST, or empty.
    pub fn typed(&self, field: &str) -> String {
        self.flash.value(field)
    }
}

/// What `base.html` needs.
pub struct Layout {
    pub lang: Lang,
    pub settings: Arc<Settings>,
    pub path: String,
    pub title: String,
    /// (step, total), shown as "Étape 2 sur 3" and a progress bar.
    pub step: Option<(u32, u32)>,
    pub errors: Vec<FieldError>,
    /// Which of the site's `[texts.*]` the page shows (none: only the
    /// notice of every page).
    pub kind: Option<PageKind>,
}

impl Layout {
    /// The page is of `kind`: it shows the site's texts for that kind.
    pub fn with_kind(mut self, kind: PageKind) -> Self {
        self.kind = Some(kind);
        self
    }

    fn texts(&self) -> Option<&PageTexts> {
        self.kind.map(|kind| self.settings.texts.of(kind))
    }

    fn html_of(&self, values: &[String]) -> Vec<String> {
        values
            .iter()
            .map(|value| site_texts::to_html(&site_texts::resolve(self.lang, value)))
            .collect()
    }

    /// The paragraphs of the notice block, as escaped HTML (`**` → bold).
    pub fn notice_html(&self) -> Vec<String> {
        self.html_of(self.settings.texts.notice(self.kind))
    }

    /// The paragraphs under the title, as escaped HTML.
    pub fn lead_html(&self) -> Vec<String> {
        self.texts()
            .map(|texts| self.html_of(&texts.lead))
            .unwrap_or_default()
    }

    /// The heading of the help aside, as escaped HTML.
    pub fn aside_title_html(&self) -> Option<String> {
        let title = self.texts()?.aside_title.as_deref()?;
        Some(site_texts::to_html(&site_texts::resolve(self.lang, title)))
    }

    /// The paragraphs of the help aside, as escaped HTML.
    pub fn aside_html(&self) -> Vec<String> {
        self.texts()
            .map(|texts| self.html_of(&texts.aside))
            .unwrap_or_default()
    }

    /// Whether the page has a help aside.
    pub fn has_aside(&self) -> bool {
        self.texts()
            .is_some_and(|texts| texts.aside_title.is_some() || !texts.aside.is_empty())
    }

    /// The main button's label: the site's for this kind of page, else the
    /// message `default_id`.
    pub fn submit_label(&self, default_id: &str) -> String {
        match self.texts().and_then(|texts| texts.submit.as_deref()) {
            Some(label) => site_texts::resolve(self.lang, label),
            None => self.t(default_id),
        }
    }

    /// Where the « Annuler » link beside the main button leads, when the
    /// site asks for one on this kind of page: its login page, else home.
    pub fn cancel_href(&self) -> Option<&str> {
        self.texts()
            .filter(|texts| texts.cancel)
            .map(|_| self.settings.site.login_url.as_deref().unwrap_or("/"))
    }

    /// The site's icon, else Passerelle's.
    pub fn favicon_url(&self) -> Option<&str> {
        self.settings.site.favicon_url.as_deref()
    }

    /// Whether the site sets its main colour (served as `/site.css`).
    pub fn has_main_color(&self) -> bool {
        self.settings.site.main_color.is_some()
    }

    pub fn with_step(mut self, step: u32, total: u32) -> Self {
        self.step = Some((step, total));
        self
    }

    pub fn with_error(mut self, field: Option<&'static str>, message: String) -> Self {
        self.errors.push(FieldError { field, message });
        self
    }

    pub fn t(&self, id: &str) -> String {
        i18n::t(self.lang, id, None)
    }

    /// The label of a field, `id`'s text with the colon as the page's
    /// language writes it (« Identifiant : », "Login:").
    pub fn label(&self, id: &str) -> String {
        self.t1("field-label", "label", self.t(id))
    }

    /// [`Layout::label`] of a field that must be filled (`*`).
    pub fn label_required(&self, id: &str) -> String {
        self.t1("field-label-required", "label", self.t(id))
    }

    /// The step indicator's percentage as the page's language writes it
    /// ("66 %", "66%").
    pub fn step_percent_text(&self) -> String {
        self.t1("step-percent", "percent", self.step_percent())
    }

    pub fn t1(&self, id: &str, name: &str, value: impl Display) -> String {
        i18n::t_with(self.lang, id, &[(name, &value.to_string())])
    }

    pub fn t2(
        &self,
        id: &str,
        name: &str,
        value: impl Display,
        name2: &str,
        value2: impl Display,
    ) -> String {
        i18n::t_with(
            self.lang,
            id,
            &[(name, &value.to_string()), (name2, &value2.to_string())],
        )
    }

    pub fn lang_code(&self) -> &'static str {
        self.lang.code()
    }

    /// Where the language switch leads: this page again, unless its path
    /// could be read as another site (`//evil.example`), then the home page.
    pub fn switch_path(&self) -> &str {
        let path = self.path.as_str();
        if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') {
            path
        } else {
            "/"
        }
    }

    /// `ltr` or `rtl`, for `<html dir>`.
    pub fn dir(&self) -> &'static str {
        self.lang.direction().as_str()
    }

    /// The switcher's entries: every language, named in itself, the
    /// page's own marked current.
    pub fn languages(&self) -> Vec<LangChoice> {
        Lang::ALL
            .iter()
            .map(|&lang| LangChoice {
                code: lang.code(),
                name: lang.native_name(),
                dir: lang.direction().as_str(),
                current: lang == self.lang,
            })
            .collect()
    }

    pub fn site_name(&self) -> &str {
        &self.settings.site.name
    }

    pub fn logo_url(&self) -> Option<&str> {
        self.settings.site.logo_url.as_deref()
    }

    pub fn help_contact(&self) -> &str {
        &self.settings.site.help_contact
    }

    pub fn version(&self) -> &'static str {
        env!("CARGO_PKG_VERSION")
    }

    /// The step bar's value, what the text beside it says: step k of n is
    /// k/n (« Étape 2 sur 2 » is a full bar, « Étape 1 sur 3 » a third).
    pub fn step_percent(&self) -> u32 {
        match self.step {
            Some((step, total)) if total > 0 => step.min(total) * 100 / total,
            _ => 0,
        }
    }

    /// The error message of `field`, for its `aria-describedby` text.
    pub fn field_error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == Some(field))
            .map(|e| e.message.as_str())
    }

    pub fn has_error(&self, field: &str) -> bool {
        self.field_error(field).is_some()
    }

    /// The navigation bar, from the declarations of the flows the site
    /// turns on: home, each flow's own entry, « Identifiants oubliés » when
    /// a recovery flow is on, help. An entry is current on its flow's
    /// pages and on those of the flows declared under it.
    pub fn nav(&self) -> Vec<NavItem> {
        let switches = self.settings.switches();
        let on = |flow: &FlowName| flow.enabled(switches);
        let under = |entry: FlowName| {
            FlowName::ALL
                .into_iter()
                .filter(move |f| *f == entry || f.spec().nav == NavPlace::Under(entry))
        };
        let at = |flow: FlowName| {
            self.path
                .strip_prefix(flow.spec().path)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        };
        let mut entries: Vec<(u8, &'static str, &'static str, bool)> = Vec::new();
        for flow in FlowName::ALL.into_iter().filter(on) {
            if let NavPlace::Own { label, order } = flow.spec().nav {
                entries.push((order, flow.spec().path, label, under(flow).any(at)));
            }
        }
        let forgotten: Vec<FlowName> = FlowName::ALL
            .into_iter()
            .filter(|f| f.spec().nav == NavPlace::Forgotten)
            .collect();
        if forgotten.iter().any(on) {
            let current = self.path == "/forgotten" || forgotten.iter().copied().any(at);
            entries.push((FORGOTTEN_ORDER, "/forgotten", "nav-forgotten", current));
        }
        entries.sort_by_key(|(order, ..)| *order);
        let mut items = vec![NavItem {
            href: "/",
            label: self.t("nav-home"),
            current: self.path == "/",
        }];
        items.extend(entries.into_iter().map(|(_, href, id, current)| NavItem {
            href,
            label: self.t(id),
            current: current || self.path == href,
        }));
        items.push(NavItem {
            href: "/help",
            label: self.t("nav-help"),
            current: self.path == "/help",
        });
        items
    }
}

/// The flows the site offers, for the home page (`only_forgotten`: the
/// recovery flows of « Identifiants oubliés »), from their declarations.
pub fn flow_cards(lang: Lang, settings: &Settings, only_forgotten: bool) -> Vec<FlowCard> {
    FlowName::ALL
        .into_iter()
        .filter(|flow| flow.enabled(settings.switches()))
        .filter_map(|flow| {
            let forgotten = flow.spec().card?;
            (!only_forgotten || forgotten).then_some(flow)
        })
        .map(|flow| {
            let id = flow.as_str();
            FlowCard {
                href: flow.spec().path,
                title: i18n::t(lang, &format!("flow-{id}-title"), None),
                summary: i18n::t(lang, &format!("flow-{id}-summary"), None),
            }
        })
        .collect()
}

/// One entry of the language switcher.
pub struct LangChoice {
    pub code: &'static str,
    pub name: &'static str,
    pub dir: &'static str,
    pub current: bool,
}

/// The language of a request: `?lang=`, then the `lang` cookie, then
/// `Accept-Language`, then `site.default_language`.
pub fn request_lang(uri: &Uri, headers: &HeaderMap, settings: &Settings) -> Lang {
    let cookie = cookie_value(headers, LANG_COOKIE);
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    i18n::negotiate(
        query_lang(uri).as_deref(),
        cookie.as_deref(),
        accept,
        &settings.site.default_language,
    )
}

fn query_lang(uri: &Uri) -> Option<String> {
    uri.query()?
        .split('&')
        .find_map(|pair| pair.strip_prefix("lang="))
        // Only the code itself goes on: the raw value ends up in a
        // Set-Cookie header, where `;` would add attributes of its own.
        .and_then(Lang::from_tag)
        .map(|lang| lang.code().to_owned())
}

fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// Remembers a language picked with the switch (`?lang=en`), and renders
/// the translated error page for any error response that has no page yet.
pub async fn finish(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let lang = request_lang(request.uri(), request.headers(), &state.settings);
    let chosen = query_lang(request.uri());
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;

    // The probes answer machines, in plain text.
    let is_probe = matches!(path.as_str(), "/healthz" | "/readyz");
    let kind = response
        .extensions()
        .get::<ErrorKind>()
        .copied()
        .or_else(|| {
            let status = response.status();
            let is_html = response
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("text/html"));
            (!is_probe && !is_html && (status.is_client_error() || status.is_server_error()))
                .then(|| ErrorKind::from_status(status))
        });
    if let Some(kind) = kind {
        let page = Page {
            lang,
            settings: state.settings.clone(),
            path,
            flash: Flash::default(),
        };
        let mut rendered = error_page(&page, kind);
        // Keep headers an error set on purpose (e.g. Set-Cookie ending a
        // flow, Retry-After).
        for (name, value) in response.headers() {
            if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
                rendered.headers_mut().append(name.clone(), value.clone());
            }
        }
        response = rendered;
    }

    if let Some(code) = chosen {
        let secure = if state.settings.server.secure_cookies {
            "; Secure"
        } else {
            ""
        };
        let cookie = format!(
            "{LANG_COOKIE}={code}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Strict{secure}"
        );
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorTemplate {
    page: Layout,
    message: String,
    restart: Option<&'static str>,
}

/// The translated error page for `kind`, with its status.
pub fn error_page(page: &Page, kind: ErrorKind) -> Response {
    let contact = page.settings.site.help_contact.clone();
    let message = page.t_with(kind.message_id(), &[("contact", &contact)]);
    let template = ErrorTemplate {
        page: page.layout("error-title"),
        message,
        restart: kind.restart_link(&page.path),
    };
    let mut response = render(&template);
    *response.status_mut() = kind.status();
    if kind == ErrorKind::RateLimited {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
    }
    response
}

/// Renders a template; a template error is a 500 with a bare message (the
/// error page itself is a template, so it cannot be used here).
pub fn render<T: Template>(template: &T) -> Response {
    match template.render() {
        Ok(html) => Html(html).into_response(),
        Err(error) => {
            tracing::error!(%error, "rendering a page failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                "<!doctype html><title>Erreur / Error</title><p>Erreur interne. Internal error.</p>",
            )
                .into_response()
        }
    }
}
