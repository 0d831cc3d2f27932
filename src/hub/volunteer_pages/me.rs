//! `/me`: my bookings, upcoming and past, each with its state, number, QR
//! (its PNG served only to its owner, only while it holds a seat), the meeting
//! details and a cancel button until the cutoff (`booking::book::cancel`, as
//! `DELETE /api/bookings/{id}`); for an unverified address, the button that
//! mails a new link (`accounts::verify::resend`).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;

use super::openings::status_label;
use super::{Chrome, OrPage, Visit, html, see_other};
use crate::hub::accounts::verify;
use crate::hub::booking::mails::{cancel_until, jst};
use crate::hub::booking::{book, openings, qr};
use crate::hub::sessions::SessionAccount;
use crate::hub::state::HubState;
use crate::i18n::{Lang, date_in, word, word_with};

pub(super) struct Card {
    id: i64,
    number: String,
    status: String,
    status_label: String,
    title: String,
    day: String,
    center: String,
    meeting: String,
    bring: String,
    /// The QR's address, while the booking holds a seat.
    qr_href: String,
    /// Why there is no QR yet (waitlist, lottery), or nothing.
    qr_note: String,
    cancellable: bool,
    /// The cutoff, or why it cannot be cancelled here.
    cancel_note: String,
}

#[derive(Template)]
#[template(path = "hub_volunteer/me.html")]
struct MePage {
    c: Chrome,
    notice: String,
    error: String,
    unverified: bool,
    upcoming: Vec<Card>,
    past: Vec<Card>,
}

pub async fn page(State(state): State<HubState>, Visit { account, lang, query }: Visit) -> Response {
    let number =
        query.n.as_deref().filter(|n| n.len() <= 12 && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    let notice = match query.done.as_deref() {
        Some(done @ ("booked" | "waitlisted" | "applied" | "cancelled" | "resent")) => {
            word_with(lang, &format!("hub_volunteer.me.done.{done}"), &[("number", number.unwrap_or_default())])
        }
        _ => String::new(),
    };
    render(&state, &account, lang, StatusCode::OK, notice, String::new()).await.unwrap_or_else(|answer| answer)
}

async fn render(
    state: &HubState,
    account: &SessionAccount,
    lang: Lang,
    status: StatusCode,
    notice: String,
    error: String,
) -> Result<Response, Response> {
    let mut conn = state.db.pool.acquire().await.or_page(lang)?;
    let today = state.clock.activity_day();
    let now = Utc::now();
    let (mut upcoming, mut past) = (Vec::new(), Vec::new());
    for booking in book::mine(&mut conn, account.id).await.or_page(lang)? {
        let Some(opening) = openings::get(&mut conn, booking.opening_id).await.or_page(lang)? else {
            continue;
        };
        let standing = matches!(booking.status.as_str(), "applied" | "booked" | "waitlisted");
        let until = cancel_until(&opening);
        let until_text = jst(until).format("%Y-%m-%d %H:%M").to_string();
        let cancellable = standing && now < until;
        let cancel_note = if cancellable {
            word_with(lang, "hub_volunteer.me.cancel_until", &[("until", &until_text)])
        } else if standing {
            word_with(lang, "hub_volunteer.me.cutoff_passed", &[("until", &until_text)])
        } else {
            String::new()
        };
        let seated = booking.status == "booked";
        let qr_note = match booking.status.as_str() {
            "waitlisted" | "applied" => word(lang, "hub_volunteer.me.qr_after").into_owned(),
            _ => String::new(),
        };
        let card = Card {
            id: booking.id,
            status_label: status_label(lang, &booking.status),
            qr_href: if seated { format!("/me/bookings/{}/qr.png", booking.id) } else { String::new() },
            qr_note,
            cancellable,
            cancel_note,
            title: opening.title.clone(),
            day: date_in(lang, opening.day),
            center: word_with(lang, "hub_volunteer.center", &[("id", &opening.center_id.to_string())]),
            meeting: format!("{} {}", opening.meeting_time.format("%H:%M"), opening.meeting_point),
            bring: if opening.bring.is_empty() { "-".into() } else { opening.bring.clone() },
            number: booking.number,
            status: booking.status,
        };
        if booking.day >= today { upcoming.push(card) } else { past.push(card) }
    }
    // `mine` is newest first: the next day comes first among the upcoming.
    upcoming.reverse();
    let page = MePage {
        c: Chrome::new(lang, "/me", word(lang, "hub_volunteer.me.title").into_owned(), true),
        notice,
        error,
        unverified: !account.verified,
        upcoming,
        past,
    };
    Ok(html(status, page.render()))
}

/// The cancel button, until the opening's cutoff; the waitlist moves up.
pub async fn cancel(
    State(state): State<HubState>,
    Path(id): Path<i64>,
    Visit { account, lang, .. }: Visit,
) -> Response {
    match book::cancel(&state, account.id, id).await {
        Ok(booking) => see_other(&format!("/me?done=cancelled&n={}", booking.number), lang),
        Err(error) => {
            let message = error.message.get(lang).to_string();
            render(&state, &account, lang, error.status.http_status(), String::new(), message)
                .await
                .unwrap_or_else(|answer| answer)
        }
    }
}

/// A new verification link, mailed (at most 3 an hour).
pub async fn resend(State(state): State<HubState>, Visit { account, lang, .. }: Visit) -> Response {
    match verify::resend(&state, account.id).await {
        Ok(()) => see_other("/me?done=resent", lang),
        Err(error) => {
            let message = error.message.get(lang).to_string();
            render(&state, &account, lang, error.status.http_status(), String::new(), message)
                .await
                .unwrap_or_else(|answer| answer)
        }
    }
}

/// The booking's QR as PNG: its owner's only (another's is 404), while it holds a seat.
pub async fn qr(State(state): State<HubState>, Path(id): Path<i64>, Visit { account, lang, .. }: Visit) -> Response {
    let found = match state.db.pool.acquire().await.or_page(lang) {
        Ok(mut conn) => book::one_of_mine(&mut conn, account.id, id).await,
        Err(answer) => return answer,
    };
    match found {
        Ok(booking) if booking.status == "booked" => (
            [(header::CONTENT_TYPE, "image/png"), (header::CACHE_CONTROL, "private, no-store")],
            qr::png(&booking.qr_token),
        )
            .into_response(),
        Ok(_) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => error.status.http_status().into_response(),
    }
}
