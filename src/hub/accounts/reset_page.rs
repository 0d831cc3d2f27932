//! `/reset` (ask for a link by mail) and `/reset/confirm?token=` (set the new
//! password): pages without script, Japanese or English, through the same
//! commands as `/api/password-reset`. Opening the mailed link only shows the
//! form: the token is spent by the form's POST, so a mail scanner that
//! follows links spends nothing.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Router};

use super::reset;
use crate::hub::state::HubState;
use crate::i18n::{Lang, word};

pub fn router() -> Router<HubState> {
    Router::new()
        .route("/reset", get(ask_page).post(ask_submit))
        .route("/reset/confirm", get(confirm_page).post(confirm_submit))
}

#[derive(Template)]
#[template(path = "hub/reset.html")]
struct ResetPage {
    lang: &'static str,
    other_lang_href: String,
    other_lang_label: String,
    title: String,
    intro: String,
    error: String,
    action: &'static str,
    /// The mailed link's token (the confirm form), else empty.
    token: String,
    field_name: &'static str,
    field_label: String,
    field_type: &'static str,
    autocomplete: &'static str,
    submit: String,
}

/// Which of the two forms.
#[derive(Clone, Copy)]
enum Step {
    Ask,
    Confirm,
}

fn lang_of(query: &HashMap<String, String>, headers: &HeaderMap) -> Lang {
    match query.get("lang").map(String::as_str) {
        Some("en") => Lang::En,
        Some("ja") => Lang::Ja,
        _ => Lang::for_page(headers),
    }
}

fn page(step: Step, lang: Lang, token: &str, error: String) -> ResetPage {
    let other = if lang == Lang::Ja { Lang::En } else { Lang::Ja };
    let (key, action, field_name, field_type, autocomplete) = match step {
        Step::Ask => ("hub.reset.ask", "/reset", "email", "email", "email"),
        Step::Confirm => ("hub.reset.confirm", "/reset/confirm", "new_password", "password", "new-password"),
    };
    let other_lang_href = match step {
        Step::Ask => format!("/reset?lang={}", other.code()),
        // The token is in the path the person came by; keep it across the switch.
        Step::Confirm => format!("/reset/confirm?token={token}&lang={}", other.code()),
    };
    let w = |what: &str| word(lang, &format!("{key}.{what}")).into_owned();
    ResetPage {
        lang: lang.code(),
        other_lang_href,
        other_lang_label: word(lang, "hub.page.other_language").into_owned(),
        title: w("title"),
        intro: w("intro"),
        error,
        action,
        token: token.to_string(),
        field_name,
        field_label: w("field"),
        field_type,
        autocomplete,
        submit: w("submit"),
    }
}

fn html(status: StatusCode, rendered: askama::Result<String>) -> Response {
    match rendered {
        Ok(body) => (status, Html(body)).into_response(),
        Err(error) => {
            tracing::error!(%error, "hub page did not render");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// A token as it may appear in a link: hex digits only (it goes back into a link).
fn token_of(values: &HashMap<String, String>) -> String {
    values.get("token").map(|t| t.trim()).filter(|t| t.chars().all(|c| c.is_ascii_hexdigit())).unwrap_or("").into()
}

async fn ask_page(Query(query): Query<HashMap<String, String>>, headers: HeaderMap) -> Response {
    html(StatusCode::OK, page(Step::Ask, lang_of(&query, &headers), "", String::new()).render())
}

async fn ask_submit(
    State(state): State<HubState>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let lang = lang_of(&query, &headers);
    let email = form.get("email").map(String::as_str).unwrap_or_default();
    match reset::ask(&state, email, lang).await {
        Ok(()) => {
            let sent = super::pages::message(
                lang,
                word(lang, "hub.reset.asked.title").into_owned(),
                word(lang, "hub.reset.asked.body").into_owned(),
                "/reset",
            );
            html(StatusCode::OK, sent)
        }
        Err(error) => {
            let message = error.message.get(lang).to_string();
            html(error.status.http_status(), page(Step::Ask, lang, "", message).render())
        }
    }
}

async fn confirm_page(Query(query): Query<HashMap<String, String>>, headers: HeaderMap) -> Response {
    let lang = lang_of(&query, &headers);
    html(StatusCode::OK, page(Step::Confirm, lang, &token_of(&query), String::new()).render())
}

async fn confirm_submit(
    State(state): State<HubState>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let lang = lang_of(&query, &headers);
    let token = token_of(&form);
    let new_password = form.get("new_password").map(String::as_str).unwrap_or_default();
    match reset::confirm(&state, &token, new_password).await {
        Ok(_) => {
            let done = super::pages::message(
                lang,
                word(lang, "hub.reset.done.title").into_owned(),
                word(lang, "hub.reset.done.body").into_owned(),
                "/reset",
            );
            html(StatusCode::OK, done)
        }
        Err(error) => {
            let message = error.message.get(lang).to_string();
            html(error.status.http_status(), page(Step::Confirm, lang, &token, message).render())
        }
    }
}
