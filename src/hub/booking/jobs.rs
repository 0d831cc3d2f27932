//! The booking area's scheduled work, run by every hub process: lotteries whose
//! applications closed are drawn, and the day-before reminders are queued.
//! Safe with any number of processes: a draw runs under the opening's lock
//! and is refused once recorded; a reminder has one message key per booking
//! (`reminder-<id>`), so the outbox stores it once whoever queues it.

use std::time::Duration;

use chrono::Days;

use super::mails::{self, About, MailBooking};
use super::{lottery, openings, profiles};
use crate::hub::contract::booking::RemindersQueued;
use crate::hub::events::{HubActor, HubTx};
use crate::hub::state::HubState;

/// How often the job looks (`BORASEN_HUB_JOB_SECONDS`, default 60; tests shorten it).
fn every() -> Duration {
    let seconds = std::env::var("BORASEN_HUB_JOB_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(60u64);
    Duration::from_secs(seconds.max(1))
}

/// Starts the job on this process.
pub fn start(state: HubState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every());
        loop {
            ticks.tick().await;
            if let Err(error) = draw_due_lotteries(&state).await {
                tracing::warn!("hub booking job: lotteries: {error:?}");
            }
            if let Err(error) = queue_reminders(&state).await {
                tracing::warn!("hub booking job: reminders: {error:?}");
            }
        }
    })
}

/// Draws every lottery whose applications are closed and that has no draw yet.
pub async fn draw_due_lotteries(state: &HubState) -> Result<usize, crate::error::AppError> {
    let due: Vec<i64> = sqlx::query_scalar(
        "SELECT o.id FROM hub_openings o
          WHERE o.mode = 'lottery' AND o.state IN ('open', 'closed') AND o.lottery_closes_at <= now()
            AND NOT EXISTS (SELECT 1 FROM hub_lottery_draws d WHERE d.opening_id = o.id)",
    )
    .fetch_all(&state.db.pool)
    .await?;
    let mut drawn = 0;
    for id in due {
        let Some(opening) = openings::get(&mut *state.db.pool.acquire().await?, id).await? else { continue };
        match lottery::draw(state, &HubActor::system(), &opening).await {
            Ok(_) => drawn += 1,
            // Another process drew it first.
            Err(e) if e.code == "already_drawn" => {}
            Err(e) => return Err(e),
        }
    }
    Ok(drawn)
}

/// Queues tomorrow's reminders (Japan's calendar) that are not queued yet; how many.
pub async fn queue_reminders(state: &HubState) -> Result<i64, crate::error::AppError> {
    let tomorrow = state.clock.activity_day().checked_add_days(Days::new(1)).expect("a date after today");
    let mut tx = HubTx::begin(&state.db).await?;
    let due: Vec<(i64, i64, i64, String)> = sqlx::query_as(
        "SELECT b.id, b.opening_id, b.account_id, b.qr_token FROM hub_bookings b JOIN hub_openings o ON o.id = b.opening_id
          WHERE b.day = $1 AND b.status = 'booked' AND o.state IN ('open', 'closed')
            AND NOT EXISTS (SELECT 1 FROM hub_outbox m WHERE m.message_key = 'reminder-' || b.id)
          ORDER BY b.id",
    )
    .bind(tomorrow)
    .fetch_all(tx.conn())
    .await?;
    let mut queued = 0i64;
    let mut opening: Option<openings::Opening> = None;
    for (id, opening_id, account_id, qr_token) in due {
        if opening.as_ref().is_none_or(|o| o.id != opening_id) {
            opening = openings::get(tx.conn(), opening_id).await?;
        }
        let Some(opening) = &opening else { continue };
        let to = profiles::recipient(tx.conn(), account_id).await?;
        let mail = MailBooking { id, qr_token: &qr_token, opening, qr_png: None };
        if mails::queue(&mut tx, &state.config.mail.from, About::Reminder, &mail, &to).await? {
            queued += 1;
        }
    }
    if queued == 0 {
        // Nothing new: the transaction rolls back when dropped.
        return Ok(0);
    }
    let event = RemindersQueued { day: tomorrow.to_string(), count: queued };
    tx.append(&HubActor::system(), Some(format!("day:{tomorrow}")), &event).await?;
    tx.commit().await?;
    Ok(queued)
}
