//! The portal's home page, listing the flows the site offers as the UPHF
//! portal does, the "Identifiants oubliés" page, the help page and the
//! translated 404.

use crate::error::WebError;
use crate::page::{flow_cards, render, FlowCard, Layout, Page};
use askama::Template;
use axum::response::Response;

#[derive(Template)]
#[template(path = "home.html")]
struct HomeTemplate {
    page: Layout,
    intro: String,
    cards: Vec<FlowCard>,
}

pub async fn home(page: Page) -> Response {
    render(&HomeTemplate {
        intro: page.t("home-intro"),
        cards: flow_cards(page.lang, &page.settings, false),
        page: page
            .layout("home-title")
            .with_kind(crate::site_texts::PageKind::Home),
    })
}

pub async fn forgotten(page: Page) -> Response {
    render(&HomeTemplate {
        intro: page.t("forgotten-intro"),
        cards: flow_cards(page.lang, &page.settings, true),
        page: page
            .layout("forgotten-title")
            .with_kind(crate::site_texts::PageKind::Home),
    })
}

#[derive(Template)]
#[template(path = "help.html")]
struct HelpTemplate {
    page: Layout,
}

pub async fn help(page: Page) -> Response {
    render(&HelpTemplate {
        page: page.layout("help-title"),
    })
}

pub async fn not_found() -> WebError {
    WebError::NotFound
}
