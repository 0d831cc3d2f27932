//! The volunteer's own pages on the hub, server-rendered with plain forms (no
//! script), Japanese or English (`?lang=en`, else the `borasen_lang` cookie):
//! log in (`login`), the open openings and booking (`openings`), my bookings
//! with their QR and cancelling (`me`), my profile (`profile`) and deleting my
//! account (`delete`). They hold no SQL and no rule of their own: every read
//! and change is the accounts or booking area's function the JSON API calls,
//! and a refusal is that function's error, shown in the page's language.
//!
//! Every page but `/login` takes a logged-in volunteer ([`Visit`]): no
//! session goes to `/login`, a staff account gets a link to the staff calendar.

mod delete;
mod login;
mod me;
mod openings;
mod profile;

use askama::Template;
use axum::Router;
use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use crate::error::AppError;
use crate::hub::roles::{Allowed, Volunteer};
use crate::hub::sessions::{self, SessionAccount};
use crate::hub::state::HubState;
use crate::i18n::{Lang, Words, word};

pub fn router() -> Router<HubState> {
    Router::new()
        .route("/login", get(login::form).post(login::submit))
        .route("/logout", post(login::log_out))
        .route("/openings", get(openings::page))
        .route("/openings/{id}/book", post(openings::book))
        .route("/me", get(me::page))
        .route("/me/verification", post(me::resend))
        .route("/me/bookings/{id}/cancel", post(me::cancel))
        .route("/me/bookings/{id}/qr.png", get(me::qr))
        .route("/me/profile", get(profile::form).post(profile::submit))
        .route("/me/delete", get(delete::form).post(delete::submit))
        .route("/hub/volunteer.css", get(css))
}

/// What every page's address may carry: the language, and what was just done.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct PageQuery {
    lang: Option<String>,
    /// A change just made (`booked`, `cancelled`, `saved`…), shown once as a notice.
    done: Option<String>,
    /// The booking number the notice names.
    n: Option<String>,
}

impl PageQuery {
    fn lang(&self, headers: &HeaderMap) -> Lang {
        match self.lang.as_deref() {
            Some("en") => Lang::En,
            Some("ja") => Lang::Ja,
            _ => Lang::for_page(headers),
        }
    }
}

/// What the layout shows around every page.
pub(super) struct Chrome {
    pub t: Words,
    pub lang: &'static str,
    pub title: String,
    pub other_lang_href: String,
    pub signed_in: bool,
}

impl Chrome {
    fn new(lang: Lang, path: &str, title: String, signed_in: bool) -> Chrome {
        let other = if lang == Lang::Ja { Lang::En } else { Lang::Ja };
        Chrome {
            t: Words::new(lang),
            lang: lang.code(),
            title,
            other_lang_href: format!("{path}?lang={}", other.code()),
            signed_in,
        }
    }
}

/// A page with a title, one paragraph and a link.
#[derive(Template)]
#[template(path = "hub_volunteer/message.html")]
struct MessagePage {
    c: Chrome,
    body: String,
    link_href: String,
    link_label: String,
}

fn html(status: StatusCode, rendered: askama::Result<String>) -> Response {
    match rendered {
        Ok(body) => (status, Html(body)).into_response(),
        Err(error) => {
            tracing::error!(%error, "hub volunteer page did not render");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

fn message(
    status: StatusCode,
    lang: Lang,
    path: &str,
    title: String,
    body: String,
    link: (String, String),
) -> Response {
    let page = MessagePage { c: Chrome::new(lang, path, title, true), body, link_href: link.0, link_label: link.1 };
    html(status, page.render())
}

/// `303 See Other` to `path` in `lang` (after a form's POST, or to `/login`).
fn see_other(path: &str, lang: Lang) -> Response {
    let joiner = if path.contains('?') { '&' } else { '?' };
    (StatusCode::SEE_OTHER, [(header::LOCATION, format!("{path}{joiner}lang={}", lang.code()))]).into_response()
}

/// An error no form field explains (the database, a missing record) as a page.
fn failed(lang: Lang, error: AppError) -> Response {
    message(
        error.status.http_status(),
        lang,
        "/me",
        word(lang, "hub_volunteer.failed.title").into_owned(),
        error.message.get(lang).to_string(),
        (format!("/me?lang={}", lang.code()), word(lang, "hub_volunteer.nav.me").into_owned()),
    )
}

/// `?` on a domain call in a page handler: its error becomes a page.
#[allow(clippy::result_large_err, reason = "the error is the page answered, once per request")]
trait OrPage<T> {
    fn or_page(self, lang: Lang) -> Result<T, Response>;
}

impl<T, E: Into<AppError>> OrPage<T> for Result<T, E> {
    fn or_page(self, lang: Lang) -> Result<T, Response> {
        self.map_err(|e| failed(lang, e.into()))
    }
}

/// A page of a logged-in volunteer: the account, the page's language and its
/// address's query. Refused with [`volunteer`]'s answer (`/login`, or for staff
/// a link to their calendar), so a handler starts with its volunteer in hand.
pub(super) struct Visit {
    pub account: SessionAccount,
    pub lang: Lang,
    pub query: PageQuery,
}

impl FromRequestParts<HubState> for Visit {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &HubState) -> Result<Visit, Response> {
        let query = Query::<PageQuery>::try_from_uri(&parts.uri).map(|q| q.0).unwrap_or_default();
        let lang = query.lang(&parts.headers);
        let account = volunteer(state, &parts.headers, lang).await?;
        Ok(Visit { account, lang, query })
    }
}

/// The logged-in volunteer, verified or not (the same rule as the API's
/// `Signed<Volunteer>`); else `/login`, or for staff a link to their calendar.
async fn volunteer(state: &HubState, headers: &HeaderMap, lang: Lang) -> Result<SessionAccount, Response> {
    let account = match sessions::token_from(headers) {
        Some(token) => sessions::account_for(&state.db, &token).await.or_page(lang)?,
        None => None,
    };
    let Some(account) = account else {
        return Err(see_other("/login", lang));
    };
    if Volunteer::allows(&account).is_err() {
        return Err(message(
            StatusCode::FORBIDDEN,
            lang,
            "/me",
            word(lang, "hub_volunteer.staff.title").into_owned(),
            word(lang, "hub_volunteer.staff.body").into_owned(),
            (format!("/hub/staff/calendar?lang={}", lang.code()), word(lang, "hub_volunteer.staff.link").into_owned()),
        ));
    }
    Ok(account)
}

/// A field-named error's message, for the field it names.
fn field_of(error: &AppError) -> &str {
    let field = error.field.as_deref().unwrap_or_default();
    field.strip_prefix("profile.").unwrap_or(field)
}

const CSS: &str = include_str!("../../../assets/hub/volunteer.css");

async fn css() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")], CSS)
        .into_response()
}
