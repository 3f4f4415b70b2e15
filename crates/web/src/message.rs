//! `/message`: the page a POST that ended a flow (or told something) leads
//! to. The POST answers with a redirect here (Post/Redirect/Get) and the
//! message travels in an encrypted cookie read once, so the browser's
//! history holds only GET pages and Back never asks to resend a form.
//! Also what a refused POST carries to the page it redirects to
//! ([`Redraw`]).

use super::error::WebError;
use super::flow_state::Flash;
use super::page::{render, Layout, Page};
use super::AppState;
use askama::Template;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use axum_extra::extract::cookie::{Cookie, PrivateCookieJar, SameSite};
use passerelle_domain::flow::FlowName;
use serde::{Deserialize, Serialize};

/// A step's page that a refused POST shows again, through a redirect to
/// the step's GET page (Post/Redirect/Get, `Ctx::again`):
/// what it carries there in the flow cookie.
pub trait Redraw: Template {
    fn layout(&self) -> &Layout;

    /// The values typed, to fill the form again (never a secret).
    fn values(&self) -> Vec<(&'static str, String)> {
        Vec::new()
    }

    /// A notice shown above the form.
    fn notice(&self) -> Option<String> {
        None
    }

    /// All of it, bounded.
    fn flash(&self) -> Flash {
        Flash::new(
            self.layout()
                .errors
                .iter()
                .map(|error| (error.field.map(str::to_owned), error.message.clone())),
            self.values(),
            self.notice(),
        )
    }
}

/// Implements [`Redraw`] for a template with a `page` layout, naming the
/// fields typed again and the notice field, if any.
#[macro_export]
macro_rules! redraw {
    ($template:ty $(, values: [$($field:ident),*])? $(, notice: $notice:ident)?) => {
        impl $crate::message::Redraw for $template {
            fn layout(&self) -> &$crate::page::Layout {
                &self.page
            }
            $(fn values(&self) -> Vec<(&'static str, String)> {
                vec![$((stringify!($field), self.$field.clone())),*]
            })?
            $(fn notice(&self) -> Option<String> {
                self.$notice.clone()
            })?
        }
    };
}

/// What a message page says: the last answer of a flow (sent, locked,
/// nothing to do here). After a POST it travels in a cookie to
/// `/message` (Post/Redirect/Get, see `Ctx::end`), so it
/// holds translated text only, never a secret.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Message {
    pub title: String,
    /// Shown first, as the status of what was done.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    pub paragraphs: Vec<String>,
    /// (href, label) of the button that leads on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<(String, String)>,
    /// A link back to the home page under the button.
    #[serde(default)]
    pub home: bool,
    /// The page kind whose site texts it shows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<crate::site_texts::PageKind>,
}

/// A message page (`message.html`).
#[derive(Template)]
#[template(path = "message.html")]
pub struct MessageTemplate {
    pub page: Layout,
    pub message: Message,
}

/// A message titled by `title_id`.
pub fn message(
    page: &Page,
    title_id: &str,
    paragraphs: Vec<String>,
    link: Option<(&str, String)>,
) -> Message {
    Message {
        title: page.t(title_id),
        status: None,
        paragraphs,
        link: link.map(|(href, label)| (href.to_owned(), label)),
        home: false,
        kind: None,
    }
}

/// A message of one paragraph, `text_id` (given the site's help contact
/// as `contact`), and a button to `href` labelled `label_id`.
pub fn one_paragraph(page: &Page, title_id: &str, text_id: &str, link: (&str, &str)) -> Message {
    let contact = &page.settings.site.help_contact;
    let (href, label_id) = link;
    message(
        page,
        title_id,
        vec![page.t_with(text_id, &[("contact", contact)])],
        Some((href, page.t(label_id))),
    )
}

/// A message that sends the person to another flow, `flow`, when the site
/// offers it (a button to `href` labelled `label_id`), and otherwise to the
/// help desk (`contact_id`, given the site's help contact).
pub fn elsewhere(
    page: &Page,
    (title_id, text_id): (&str, &str),
    flow: FlowName,
    (href, label_id): (&str, &str),
    contact_id: &str,
) -> Message {
    let offered = flow.enabled(page.settings.switches());
    let mut paragraphs = vec![page.t(text_id)];
    let link = if offered {
        Some((href, page.t(label_id)))
    } else {
        let contact = &page.settings.site.help_contact;
        paragraphs.push(page.t_with(contact_id, &[("contact", contact)]));
        None
    };
    message(page, title_id, paragraphs, link)
}

/// The page of `message`.
pub fn show(page: &Page, message: Message) -> Response {
    let layout = page.layout_titled(message.title.clone());
    let layout = match message.kind {
        Some(kind) => layout.with_kind(kind),
        None => layout,
    };
    render(&MessageTemplate {
        page: layout,
        message,
    })
}

/// Where a POST's message is shown.
pub const PATH: &str = "/message";

/// How long the message waits for the browser, in seconds.
const LIFETIME_SECONDS: i64 = 300;

fn cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-passerelle-message"
    } else {
        "passerelle-message"
    }
}

/// Puts `message` in the jar for `/message`.
pub fn keep(jar: PrivateCookieJar, message: &Message, secure: bool) -> PrivateCookieJar {
    let Ok(value) = serde_json::to_string(message) else {
        return jar;
    };
    jar.add(
        Cookie::build((cookie_name(secure), value))
            .path("/")
            .http_only(true)
            .secure(secure)
            .same_site(SameSite::Strict)
            .max_age(cookie::time::Duration::seconds(LIFETIME_SECONDS))
            .build(),
    )
}

pub fn routes() -> Router<AppState> {
    Router::new().route(PATH, get(message_page))
}

/// The message a POST left, shown once; without one, the home page.
async fn message_page(page: Page, jar: PrivateCookieJar) -> Result<Response, WebError> {
    let secure = page.settings.server.secure_cookies;
    let name = cookie_name(secure);
    let Some(message) = jar
        .get(name)
        .and_then(|cookie| serde_json::from_str::<Message>(cookie.value()).ok())
    else {
        return Ok(Redirect::to("/").into_response());
    };
    let jar = jar.remove(Cookie::build(name).path("/").build());
    Ok((jar, show(&page, message)).into_response())
}
