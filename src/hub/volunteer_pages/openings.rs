//! `/openings`: the open openings of the coming days at every center, each
//! with what it takes and a button that books it, joins its waitlist or
//! applies to its lottery (`booking::book::book`, as `POST
//! /api/openings/{id}/bookings`). A refusal is shown on the page; nothing changed.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;

use super::{Chrome, OrPage, Visit, html, see_other};
use crate::error::AppError;
use crate::hub::booking::mails::jst;
use crate::hub::booking::{book, counts, openings};
use crate::hub::roles::{Allowed, VerifiedVolunteer};
use crate::hub::sessions::SessionAccount;
use crate::hub::state::HubState;
use crate::i18n::{Lang, date_in, word, word_with};

pub(super) struct Card {
    id: i64,
    title: String,
    day: String,
    center: String,
    meeting: String,
    bring: String,
    /// 対象: age, residence, skills, the bus.
    eligibility: Vec<String>,
    /// 残り N 席 / 満員（キャンセル待ち） / 抽選（締切 …）
    availability: String,
    full: bool,
    /// The button's label; empty when there is none (booked already, lottery closed).
    action: String,
    /// My booking that day, when I have one.
    mine: String,
}

#[derive(Template)]
#[template(path = "hub_volunteer/openings.html")]
struct OpeningsPage {
    c: Chrome,
    error: String,
    unverified: bool,
    cards: Vec<Card>,
}

pub async fn page(State(state): State<HubState>, Visit { account, lang, .. }: Visit) -> Response {
    render(&state, &account, lang, StatusCode::OK, String::new()).await.unwrap_or_else(|answer| answer)
}

/// The list, with `error` on top (a refused booking).
async fn render(
    state: &HubState,
    account: &SessionAccount,
    lang: Lang,
    status: StatusCode,
    error: String,
) -> Result<Response, Response> {
    let today = state.clock.activity_day();
    let (from, to) = openings::days(None, None, today).or_page(lang)?;
    let listed = openings::list(&state.db, account, None, from, to).await.or_page(lang)?;
    let waiting: HashMap<i64, i64> = counts::for_days(&state.db, None, from, to)
        .await
        .or_page(lang)?
        .into_iter()
        .map(|c| (c.opening_id, c.waitlisted))
        .collect();
    let mine = book::mine(&mut *state.db.pool.acquire().await.or_page(lang)?, account.id).await.or_page(lang)?;
    let now = Utc::now();
    let cards = listed
        .into_iter()
        .filter(|o| o.state == "open")
        .map(|o| {
            let seats_left = (o.quota - o.booked_seats).max(0);
            let lottery = o.mode == "lottery";
            let full = !lottery && (seats_left == 0 || waiting.get(&o.id).is_some_and(|n| *n > 0));
            let closes = o.lottery_closes_at.map(|at| jst(at).format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default();
            let lottery_closed = lottery && o.lottery_closes_at.is_some_and(|at| now >= at);
            let availability = if lottery {
                word_with(
                    lang,
                    "hub_volunteer.openings.lottery",
                    &[("closes", &closes), ("quota", &o.quota.to_string())],
                )
            } else if full {
                word_with(lang, "hub_volunteer.openings.full", &[("quota", &o.quota.to_string())])
            } else {
                word_with(
                    lang,
                    "hub_volunteer.openings.seats_left",
                    &[("left", &seats_left.to_string()), ("quota", &o.quota.to_string())],
                )
            };
            let standing = mine
                .iter()
                .find(|b| b.day == o.day && matches!(b.status.as_str(), "applied" | "booked" | "waitlisted"));
            let mine = standing
                .map(|b| {
                    word_with(
                        lang,
                        "hub_volunteer.openings.mine",
                        &[("number", &b.number), ("status", &status_label(lang, &b.status))],
                    )
                })
                .unwrap_or_default();
            let action = if standing.is_some() || lottery_closed {
                String::new()
            } else if lottery {
                word(lang, "hub_volunteer.openings.apply").into_owned()
            } else if full {
                word(lang, "hub_volunteer.openings.waitlist").into_owned()
            } else {
                word(lang, "hub_volunteer.openings.book").into_owned()
            };
            let mut eligibility =
                vec![word_with(lang, "hub_volunteer.openings.minimum_age", &[("age", &o.minimum_age.to_string())])];
            if o.prefecture_only {
                eligibility.push(word(lang, "hub_volunteer.openings.prefecture_only").into_owned());
            }
            if !o.skills_wanted.is_empty() {
                eligibility.push(word_with(
                    lang,
                    "hub_volunteer.openings.skills",
                    &[("skills", &o.skills_wanted.join(", "))],
                ));
            }
            if lottery_closed {
                eligibility.push(word(lang, "hub_volunteer.openings.lottery_closed").into_owned());
            }
            if let Some(departure) = &o.bus_departure {
                eligibility.push(word_with(lang, "hub_volunteer.openings.bus", &[("departure", departure)]));
            }
            Card {
                id: o.id,
                day: date_in(lang, o.day),
                center: word_with(lang, "hub_volunteer.center", &[("id", &o.center_id.to_string())]),
                meeting: format!("{} {}", o.meeting_time.format("%H:%M"), o.meeting_point),
                bring: if o.bring.is_empty() { "-".into() } else { o.bring.clone() },
                title: o.title,
                eligibility,
                availability,
                full,
                action,
                mine,
            }
        })
        .collect();
    let page = OpeningsPage {
        c: Chrome::new(lang, "/openings", word(lang, "hub_volunteer.openings.title").into_owned(), true),
        error,
        unverified: !account.verified,
        cards,
    };
    Ok(html(status, page.render()))
}

/// A booking's state in words: 予約, キャンセル待ち, 抽選申込, 取消, 中止.
pub(super) fn status_label(lang: Lang, status: &str) -> String {
    word(lang, &format!("hub_booking.state.booking_{status}")).into_owned()
}

/// The button: books as the API does (verified volunteers only, the same
/// rule), then shows the booking on `/me`; a refusal stays on this page.
pub async fn book(State(state): State<HubState>, Path(id): Path<i64>, Visit { account, lang, .. }: Visit) -> Response {
    let booked: Result<_, AppError> = match VerifiedVolunteer::allows(&account) {
        Ok(()) => book::book(&state, account.id, id).await,
        Err(refused) => Err(refused),
    };
    match booked {
        Ok(booking) => see_other(&format!("/me?done={}&n={}", booking.status, booking.number), lang),
        Err(error) => {
            let message = error.message.get(lang).to_string();
            render(&state, &account, lang, error.status.http_status(), message).await.unwrap_or_else(|answer| answer)
        }
    }
}
