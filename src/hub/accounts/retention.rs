//! The retention sweeper, keeping the privacy notice's promise
//! (`hub.privacy.kept`: data unused for a year after the last activity day is
//! erased after we tell you). A volunteer's last activity is the latest of
//! their registration, last login (`hub_accounts.last_login_at`) and the end
//! of the last day they booked (booking's, through `HubState::bookings`).
//! - inactive [`NOTICE_AFTER_MONTHS`] months and not yet told since: a notice
//!   is mailed (`account.retention_noticed`, `retention_notice_at` set);
//! - inactive [`ERASE_AFTER_MONTHS`] months and told at least
//!   [`NOTICE_DAYS_AHEAD`] days before: erased by self-service deletion's
//!   path (`delete::erase_in`, actor `system`).
//!
//! A login or a booking after the notice voids it (the notice counts only
//! while later than the last activity). [`sweep`] takes `now`, so the rule is
//! tested without waiting a year; [`start`] runs it on every hub process:
//! each account is handled in its own transaction that locks its row
//! (`SKIP LOCKED`) and checks again what it read, and a notice has one message
//! key per period of inactivity, so processes sweeping together act once.

use std::time::Duration;

use chrono::{DateTime, FixedOffset, Months, NaiveDate, Utc};

use super::delete;
use crate::error::AppError;
use crate::hub::contract::volunteers::AccountRetentionNoticed;
use crate::hub::events::{HubActor, HubTx};
use crate::hub::mail::{self, Mail, outbox::domain_of};
use crate::hub::state::HubState;
use crate::i18n::{Lang, word, word_with};

pub const NOTICE_AFTER_MONTHS: u32 = 11;
pub const ERASE_AFTER_MONTHS: u32 = 12;
/// The notice goes at least this long before the erasure.
pub const NOTICE_DAYS_AHEAD: u64 = 30;

/// What one sweep did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Swept {
    pub noticed: usize,
    pub erased: usize,
}

/// How often a process sweeps (`BORASEN_HUB_RETENTION_SECONDS`, default an hour).
fn every() -> Duration {
    let seconds = std::env::var("BORASEN_HUB_RETENTION_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(3600u64);
    Duration::from_secs(seconds.max(1))
}

/// Starts the sweeper on this process.
pub fn start(state: HubState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every());
        loop {
            ticks.tick().await;
            if let Err(error) = sweep(&state, Utc::now()).await {
                tracing::warn!("hub retention sweep: {error:?}");
            }
        }
    })
}

fn japan() -> FixedOffset {
    FixedOffset::east_opt(crate::clock::JST_SECONDS).expect("valid offset")
}

/// The end of `day` in Japan: a booked day counts as activity until then.
fn end_of(day: NaiveDate) -> DateTime<Utc> {
    let next = day.succ_opt().unwrap_or(day).and_hms_opt(0, 0, 0).expect("midnight");
    next.and_local_timezone(japan()).single().expect("a fixed offset is unambiguous").with_timezone(&Utc)
}

fn months_before(now: DateTime<Utc>, months: u32) -> DateTime<Utc> {
    now.checked_sub_months(Months::new(months)).unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// An account as the sweep reads it; the same values are checked again under its lock.
#[derive(Clone, Copy, PartialEq, sqlx::FromRow)]
struct Seen {
    id: i64,
    created_at: DateTime<Utc>,
    last_login_at: Option<DateTime<Utc>>,
    retention_notice_at: Option<DateTime<Utc>>,
}

impl Seen {
    fn last_active(&self, last_day: Option<NaiveDate>) -> DateTime<Utc> {
        [Some(self.created_at), self.last_login_at, last_day.map(end_of)].into_iter().flatten().max().expect("created")
    }
}

enum Due {
    Notice { last_active: DateTime<Utc> },
    Erase,
    Nothing,
}

fn due(seen: &Seen, last_day: Option<NaiveDate>, now: DateTime<Utc>) -> Due {
    let last_active = seen.last_active(last_day);
    let told = seen.retention_notice_at.filter(|at| *at > last_active);
    let told_early_enough = told.is_some_and(|at| at + chrono::Days::new(NOTICE_DAYS_AHEAD) <= now);
    if last_active < months_before(now, ERASE_AFTER_MONTHS) && told_early_enough {
        Due::Erase
    } else if last_active < months_before(now, NOTICE_AFTER_MONTHS) && told.is_none() {
        Due::Notice { last_active }
    } else {
        Due::Nothing
    }
}

/// Mails the notices and erases what is due at `now`.
pub async fn sweep(state: &HubState, now: DateTime<Utc>) -> Result<Swept, AppError> {
    // Registration and login alone already say who may be due; bookings only make people more active.
    let candidates: Vec<Seen> = sqlx::query_as(
        "SELECT id, created_at, last_login_at, retention_notice_at FROM hub_accounts
          WHERE role = 'volunteer' AND deleted_at IS NULL
            AND greatest(created_at, coalesce(last_login_at, created_at)) < $1
          ORDER BY id",
    )
    .bind(months_before(now, NOTICE_AFTER_MONTHS))
    .fetch_all(&state.db.pool)
    .await?;
    let mut swept = Swept::default();
    for chunk in candidates.chunks(1000) {
        let ids: Vec<i64> = chunk.iter().map(|seen| seen.id).collect();
        let last_days = state.bookings.last_days(&mut *state.db.pool.acquire().await?, &ids).await?;
        for seen in chunk {
            match due(seen, last_days.get(&seen.id).copied(), now) {
                Due::Nothing => {}
                Due::Notice { .. } | Due::Erase => match act(state, seen, now).await? {
                    Some(Acted::Noticed) => swept.noticed += 1,
                    Some(Acted::Erased) => swept.erased += 1,
                    None => {}
                },
            }
        }
    }
    Ok(swept)
}

enum Acted {
    Noticed,
    Erased,
}

/// Under the account's lock, checks again and acts; `None` when another
/// process has it, or it changed since it was read.
async fn act(state: &HubState, seen: &Seen, now: DateTime<Utc>) -> Result<Option<Acted>, AppError> {
    let mut tx = HubTx::begin(&state.db).await?;
    let locked: Option<Seen> = sqlx::query_as(
        "SELECT id, created_at, last_login_at, retention_notice_at FROM hub_accounts
          WHERE id = $1 AND deleted_at IS NULL FOR UPDATE SKIP LOCKED",
    )
    .bind(seen.id)
    .fetch_optional(tx.conn())
    .await?;
    if locked.as_ref() != Some(seen) {
        return Ok(None);
    }
    let last_days = state.bookings.last_days(tx.conn(), &[seen.id]).await?;
    match due(seen, last_days.get(&seen.id).copied(), now) {
        Due::Nothing => Ok(None),
        Due::Erase => {
            let erased = delete::erase_in(&mut tx, state, seen.id, &HubActor::system()).await?;
            tx.commit().await?;
            Ok(erased.then_some(Acted::Erased))
        }
        Due::Notice { last_active } => {
            notice(&mut tx, state, seen.id, last_active, now).await?;
            tx.commit().await?;
            Ok(Some(Acted::Noticed))
        }
    }
}

async fn notice(
    tx: &mut HubTx,
    state: &HubState,
    account_id: i64,
    last_active: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let (to, lang): (Option<String>, Option<String>) = sqlx::query_as(
        "SELECT a.email, v.lang FROM hub_accounts a LEFT JOIN hub_volunteers v ON v.account_id = a.id WHERE a.id = $1",
    )
    .bind(account_id)
    .fetch_one(tx.conn())
    .await?;
    let erase_from = (last_active.checked_add_months(Months::new(ERASE_AFTER_MONTHS)).unwrap_or(last_active))
        .max(now + chrono::Days::new(NOTICE_DAYS_AHEAD));
    let erase_from = erase_from.with_timezone(&japan()).date_naive();
    let last_day = last_active.with_timezone(&japan()).date_naive();
    sqlx::query("UPDATE hub_accounts SET retention_notice_at = $2 WHERE id = $1")
        .bind(account_id)
        .bind(now)
        .execute(tx.conn())
        .await?;
    if let Some(to) = to {
        let lang = if lang.as_deref() == Some("en") { Lang::En } else { Lang::Ja };
        let date = match lang {
            Lang::Ja => erase_from.format("%Y年%-m月%-d日").to_string(),
            Lang::En => erase_from.format("%-d %B %Y").to_string(),
        };
        let message = Mail {
            message_key: format!("retention-{account_id}-{last_day}"),
            kind: "retention_notice",
            account_id: Some(account_id),
            to,
            subject: word(lang, "hub.mail.retention.subject").into_owned(),
            text: word_with(lang, "hub.mail.retention.body", &[("date", &date), ("link", &state.public_url)]),
            inline: Vec::new(),
        };
        mail::enqueue(tx, &message, &domain_of(&state.config.mail.from)).await?;
    }
    let event =
        AccountRetentionNoticed { account_id, last_active: last_day.to_string(), erase_from: erase_from.to_string() };
    tx.append(&HubActor::system(), Some(format!("account:{account_id}")), &event).await?;
    Ok(())
}
