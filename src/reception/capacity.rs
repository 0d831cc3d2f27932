//! 受入上限: the daily capacity that closes pre-registration for a day once
//! enough people are booked. Table `daily_capacity`; bookings are `volunteer_days`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sqlx::SqliteExecutor;

use crate::clock::Clock;
use crate::db::Db;
use crate::error::{AppError, Class};
use crate::events::contract::reception::CapacitySet;
use crate::events::{Actor, WriteTx};
use crate::i18n::Text;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct CapacityInput {
    /// People the center can take that day; 0 closes pre-registration.
    #[schema(example = 120, minimum = 0)]
    pub capacity: i64,
}

#[derive(Debug, Serialize, utoipa::ToSchema, sqlx::FromRow)]
pub struct DayCapacity {
    pub day: String,
    /// None: no limit set.
    pub capacity: Option<i64>,
    /// People pre-registered for the day.
    pub booked: i64,
    pub open: bool,
}

/// Sets a day's capacity (event `capacity.set`).
pub async fn set(
    db: &Db,
    clock: &Clock,
    actor: &Actor,
    day: NaiveDate,
    capacity: i64,
) -> Result<DayCapacity, AppError> {
    if !(0..=100_000).contains(&capacity) {
        return Err(AppError::validation(
            "capacity",
            Text::new("受入上限は0〜100000人で入力してください。", "capacity is 0–100000."),
        ));
    }
    let mut tx = db.begin_write().await?;
    sqlx::query("INSERT INTO daily_capacity (day, capacity) VALUES (?, ?) ON CONFLICT(day) DO UPDATE SET capacity = excluded.capacity")
        .bind(day.to_string())
        .bind(capacity)
        .execute(tx.conn())
        .await?;
    tx.append(clock, actor, Some(day.to_string()), &CapacitySet { day, capacity }).await?;
    let result = for_day(tx.conn(), day).await?;
    tx.commit().await?;
    Ok(result)
}

pub async fn for_day(conn: impl SqliteExecutor<'_>, day: NaiveDate) -> Result<DayCapacity, sqlx::Error> {
    let (capacity, booked): (Option<i64>, i64) = sqlx::query_as(
        "SELECT (SELECT capacity FROM daily_capacity WHERE day = ?1),
                (SELECT COALESCE(SUM(headcount), 0) FROM volunteer_days WHERE day = ?1)",
    )
    .bind(day.to_string())
    .fetch_one(conn)
    .await?;
    Ok(DayCapacity { day: day.to_string(), capacity, booked, open: capacity.is_none_or(|c| booked < c) })
}

/// Refuses (409, naming the full days) when any of `days` cannot take `headcount` more.
pub async fn ensure_room(tx: &mut WriteTx, days: &[NaiveDate], headcount: i64) -> Result<(), AppError> {
    let mut full = Vec::new();
    for day in days {
        // Most days have no limit: then there is nothing to sum.
        let limited: Option<i64> = sqlx::query_scalar("SELECT capacity FROM daily_capacity WHERE day = ?")
            .bind(day.to_string())
            .fetch_optional(tx.conn())
            .await?;
        if limited.is_none() {
            continue;
        }
        let state = for_day(tx.conn(), *day).await?;
        if state.capacity.is_some_and(|c| state.booked + headcount > c) {
            full.push(*day);
        }
    }
    if full.is_empty() {
        return Ok(());
    }
    let ja: Vec<String> = full.iter().map(|d| crate::i18n::date_ja(*d)).collect();
    let en: Vec<String> = full.iter().map(|d| d.to_string()).collect();
    Err(AppError::new(
        Class::Conflict,
        "capacity_full",
        Text::new(
            format!("{} は定員に達したため、事前登録を締め切りました。別の日を選んでください。", ja.join("、")),
            format!("{} is full; pre-registration for it is closed. Choose another day.", en.join(", ")),
        ),
    )
    .with_field("preferred_dates"))
}
