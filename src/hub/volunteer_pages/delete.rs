//! `/me/delete`: deleting my account (`accounts::delete`, as `POST
//! /api/account/delete`), the password asked again, with the privacy notice's
//! own words on what is erased and what anonymous counts remain.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::Response;
use serde::Deserialize;

use super::{Chrome, OrPage, Visit, html, see_other};
use crate::hub::accounts::delete;
use crate::hub::booking::book;
use crate::hub::sessions::{self, SessionAccount};
use crate::hub::state::HubState;
use crate::i18n::{Lang, word, word_with};

#[derive(Template)]
#[template(path = "hub_volunteer/delete.html")]
struct DeletePage {
    c: Chrome,
    /// The privacy notice's words: what is erased, what remains, what is kept.
    statement: Vec<String>,
    /// Bookings from today on, which the deletion withdraws (their seats go to the waitlist).
    standing: String,
    error: String,
}

async fn render(state: &HubState, account: &SessionAccount, lang: Lang, status: StatusCode, error: String) -> Response {
    let mine = match state.db.pool.acquire().await.or_page(lang) {
        Ok(mut conn) => book::mine(&mut conn, account.id).await.or_page(lang),
        Err(answer) => Err(answer),
    };
    let mine = match mine {
        Ok(mine) => mine,
        Err(answer) => return answer,
    };
    let today = state.clock.activity_day();
    let standing = mine
        .iter()
        .filter(|b| b.day >= today && matches!(b.status.as_str(), "applied" | "booked" | "waitlisted"))
        .count();
    let standing = if standing > 0 {
        word_with(lang, "hub_volunteer.delete.standing", &[("count", &standing.to_string())])
    } else {
        String::new()
    };
    let statement = ["hub.privacy.deletion.body", "hub_volunteer.delete.erased", "hub_volunteer.delete.remains"]
        .iter()
        .flat_map(|key| word(lang, key).split("\n\n").map(str::to_string).collect::<Vec<_>>())
        .collect();
    let page = DeletePage {
        c: Chrome::new(lang, "/me/delete", word(lang, "hub_volunteer.delete.title").into_owned(), true),
        statement,
        standing,
        error,
    };
    html(status, page.render())
}

pub async fn form(State(state): State<HubState>, Visit { account, lang, .. }: Visit) -> Response {
    render(&state, &account, lang, StatusCode::OK, String::new()).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Confirmation {
    password: String,
}

pub async fn submit(
    State(state): State<HubState>,
    Visit { account, lang, .. }: Visit,
    Form(form): Form<Confirmation>,
) -> Response {
    match delete::delete(&state, account.id, &form.password).await {
        Ok(()) => {
            let mut answer = see_other("/login?done=deleted", lang);
            if let Ok(value) = sessions::clearing_cookie(state.secure_cookies()).parse() {
                answer.headers_mut().insert(header::SET_COOKIE, value);
            }
            answer
        }
        Err(error) => {
            let message = error.message.get(lang).to_string();
            render(&state, &account, lang, error.status.http_status(), message).await
        }
    }
}
