//! The volunteer's pages, server-rendered, Japanese or English (`?lang=en`,
//! else the `borasen_lang` cookie): the privacy notice, and the page a mailed
//! verification link opens.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use super::privacy::{PRIVACY_VERSION, SECTIONS};
use super::verify;
use crate::hub::state::HubState;
use crate::i18n::{Lang, word, word_with};

pub fn router() -> Router<HubState> {
    Router::new()
        .route("/privacy", get(privacy_page))
        .route("/verify", get(verify_page))
        .route("/register", get(super::register_page::form_page).post(super::register_page::submit))
        .merge(super::reset_page::router())
}

#[derive(Template)]
#[template(path = "hub/page.html")]
struct HubPage {
    lang: &'static str,
    title: String,
    /// (heading, paragraphs)
    sections: Vec<(String, Vec<String>)>,
    other_lang_href: String,
    other_lang_label: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct LangQuery {
    lang: Option<String>,
    token: Option<String>,
}

fn lang_of(query: &LangQuery, headers: &HeaderMap) -> Lang {
    match query.lang.as_deref() {
        Some("en") => Lang::En,
        Some("ja") => Lang::Ja,
        _ => Lang::for_page(headers),
    }
}

fn render(status: StatusCode, lang: Lang, path: &str, title: String, sections: Vec<(String, Vec<String>)>) -> Response {
    let other = match lang {
        Lang::Ja => Lang::En,
        Lang::En => Lang::Ja,
    };
    let page = HubPage {
        lang: lang.code(),
        title,
        sections,
        other_lang_href: format!("{path}?lang={}", other.code()),
        other_lang_label: word(lang, "hub.page.other_language").into_owned(),
    };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(error) => {
            tracing::error!(%error, "hub page did not render");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// A page with a title and one paragraph.
pub fn message(lang: Lang, title: String, body: String, path: &str) -> askama::Result<String> {
    let other = if lang == Lang::Ja { Lang::En } else { Lang::Ja };
    HubPage {
        lang: lang.code(),
        title,
        sections: vec![(String::new(), vec![body])],
        other_lang_href: format!("{path}?lang={}", other.code()),
        other_lang_label: word(lang, "hub.page.other_language").into_owned(),
    }
    .render()
}

fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n").map(str::to_string).collect()
}

/// 個人情報の取り扱い: purpose, who sees what, how long it is kept, deletion.
async fn privacy_page(Query(query): Query<LangQuery>, headers: HeaderMap) -> Response {
    let lang = lang_of(&query, &headers);
    let mut sections =
        vec![(String::new(), vec![word_with(lang, "hub.privacy.version", &[("version", PRIVACY_VERSION)])])];
    for section in SECTIONS {
        sections.push((
            word(lang, &format!("hub.privacy.{section}.title")).into_owned(),
            paragraphs(&word(lang, &format!("hub.privacy.{section}.body"))),
        ));
    }
    render(StatusCode::OK, lang, "/privacy", word(lang, "hub.privacy.title").into_owned(), sections)
}

/// The page a mailed verification link opens: it verifies, and says so.
async fn verify_page(State(state): State<HubState>, Query(query): Query<LangQuery>, headers: HeaderMap) -> Response {
    let lang = lang_of(&query, &headers);
    let token = query.token.as_deref().unwrap_or_default().trim().to_string();
    match verify::verify(&state, &token).await {
        Ok(_) => render(
            StatusCode::OK,
            lang,
            "/verify",
            word(lang, "hub.verify.done.title").into_owned(),
            vec![(String::new(), vec![word(lang, "hub.verify.done.body").into_owned()])],
        ),
        Err(error) => render(
            StatusCode::UNPROCESSABLE_ENTITY,
            lang,
            "/verify",
            word(lang, "hub.verify.failed.title").into_owned(),
            vec![(String::new(), vec![error.message.get(lang).to_string()])],
        ),
    }
}
