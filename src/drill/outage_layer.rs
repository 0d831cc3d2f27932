//! The drill server's layer for outages and paper: while an `ict_outage` cuts a
//! desk, a player's page, API call or feed of that desk is refused with
//! 「訓練：停電中」 (503 `drill_outage`, until when); the drill's controllers
//! (trainer, evaluator) are never cut off. Once the desk is back, a write that
//! carries `Paper-Time` is a paper record entered late ([`super::late_entry`]).
//! On a live server (no drill) it passes everything through untouched.

use std::sync::Arc;

use axum::extract::{FromRequestParts, Query, Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, FixedOffset};
use serde::Deserialize;

use super::desks::Desk;
use super::late_entry;
use super::outage::Outages;
use super::run::RunState;
use crate::auth::extract::{Allowed, CurrentUser, DrillController};
use crate::error::{AppError, Class};
use crate::events::{self, Actor};
use crate::i18n::{Lang, Text};
use crate::state::AppState;

/// The layer's state: the server's, and the outages its log has told so far.
#[derive(Clone)]
pub struct Offline {
    state: AppState,
    outages: Arc<Outages>,
}

impl Offline {
    pub fn new(state: &AppState) -> Offline {
        Offline { state: state.clone(), outages: Arc::new(Outages::new(state.db.clone())) }
    }
}

#[derive(Deserialize)]
struct PageQuery {
    page: Option<String>,
}

pub async fn desks_offline(State(offline): State<Offline>, request: Request, next: Next) -> Response {
    let Some(run) = offline.state.drill.clone() else { return next.run(request).await };
    let page = Query::<PageQuery>::try_from_uri(request.uri()).ok().and_then(|q| q.0.page);
    let Some(desk) = Desk::of_request(request.uri().path(), page.as_deref()) else { return next.run(request).await };
    let (mut parts, body) = request.into_parts();
    let user = CurrentUser::from_request_parts(&mut parts, &offline.state).await.ok().map(|CurrentUser(u)| u);
    let request = Request::from_parts(parts, body);
    // Not logged in: the route answers 401 itself. Controllers always get through.
    let Some(user) = user.filter(|u| !DrillController::admits(u.role)) else { return next.run(request).await };
    let clock = &offline.state.clock;
    if run.state() != RunState::Finished {
        match offline.outages.cutting(desk, clock.now()).await {
            Ok(Some(until)) => return refusal(&offline.state, &request, desk, until, run.speed()),
            Ok(None) => {}
            Err(error) => return error.into_response(),
        }
    }
    let write = !matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let Some(given) = request.headers().get(late_entry::HEADER).filter(|_| write) else {
        return next.run(request).await;
    };
    let start = super::schedule::window(&run.scenario).0;
    let given = String::from_utf8_lossy(given.as_bytes()).into_owned();
    let paper_time = match late_entry::paper_time(&given, start, clock.now()) {
        Ok(at) => at,
        Err(error) => return error.into_response(),
    };
    let (response, made) = events::made::watch(next.run(request)).await;
    if response.status().is_success() {
        let actor = Actor::user(&user.username);
        let db = &offline.state.db;
        if let Err(error) = late_entry::record(db, clock, &actor, desk, paper_time, &made).await {
            tracing::error!(error = %error.message.en, "a late entry was not recorded");
        }
    }
    response
}

/// 「訓練：停電中」: JSON for the API and the feed, the message page for a page.
fn refusal(state: &AppState, request: &Request, desk: Desk, until: DateTime<FixedOffset>, speed: u32) -> Response {
    let (ja, en) = desk.label();
    let clock = until.format("%H:%M").to_string();
    let message = Text::new(
        format!(
            "訓練：停電中。{ja}の端末は {clock} まで使えません。紙で続け、復旧後に紙の時刻をつけて入力してください。"
        ),
        format!(
            "Drill: power outage. The {en} desk is offline until {clock}. Carry on on paper and enter it with its paper time once it is back."
        ),
    );
    let left = (until - state.clock.now()).num_seconds().max(0) as u64;
    let real = left.div_ceil(u64::from(speed.max(1))).max(1);
    let path = request.uri().path();
    if path.starts_with("/api/") || path.starts_with("/ws/") {
        let mut error = AppError::new(Class::Unavailable, "drill_outage", message).with_details(serde_json::json!({
            "desk": desk.name(),
            "until": crate::clock::stamp(until),
        }));
        error.retry_after = Some(real);
        return error.into_response();
    }
    let page = crate::web::pages::PageContext::new(state, request.headers(), None);
    let heading = match page.lang {
        Lang::Ja => "訓練：停電中",
        Lang::En => "Drill: power outage",
    };
    let text = message.get(page.lang).to_string();
    let mut response = crate::web::pages::message_page(page, StatusCode::SERVICE_UNAVAILABLE, heading, &text);
    response.headers_mut().insert(axum::http::header::RETRY_AFTER, real.into());
    response
}
