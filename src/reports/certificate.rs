//! 活動証明書 for one volunteer and day, from the record: the check-in and
//! check-out, and the teams the event log says they went out with.

use chrono::{DateTime, NaiveDate, NaiveTime};

use super::certificate_pdf::{Activity, Certificate};
use crate::db::Db;
use crate::error::AppError;
use crate::events::contract::dispatch::TeamDispatched;
use crate::events::{self, Event, EventPayload};
use crate::i18n::Text;
use crate::needs::{Category, parse_need_no};
use crate::reception;
use crate::settings;

pub async fn for_day(db: &Db, volunteer_id: i64, day: NaiveDate, today: NaiveDate) -> Result<Certificate, AppError> {
    let volunteer = reception::volunteer(&db.read, volunteer_id, day).await?.ok_or_else(|| {
        AppError::not_found(Text::new("該当するボランティアが見つかりません。", "No such volunteer."))
    })?;
    let Some(check_in) = volunteer.today.as_ref() else {
        return Err(AppError::conflict(Text::new(
            format!("{} さんはこの日に受付していません。", volunteer.name),
            format!("{} was not checked in that day.", volunteer.volunteer_no),
        ))
        .coded("not_checked_in"));
    };
    let Some(checked_out) = check_in.checked_out_at.as_deref().and_then(time_of) else {
        return Err(AppError::conflict(Text::new(
            "活動証明書は退所の記録のあとで発行できます。",
            "The certificate is issued after check-out.",
        ))
        .coded("not_checked_out"));
    };
    let settings = settings::current(&mut *db.read.acquire().await?).await?.values;
    Ok(Certificate {
        center_name: settings.center_name,
        issuer: settings.issuer,
        representative: settings.representative,
        issued_on: today,
        name: volunteer.name.clone(),
        volunteer_no: volunteer.volunteer_no.clone(),
        day,
        checked_in: time_of(&check_in.checked_in_at).unwrap_or_default(),
        checked_out,
        activities: activities(db, &volunteer.volunteer_no, day).await?,
    })
}

fn time_of(stamp: &str) -> Option<NaiveTime> {
    DateTime::parse_from_rfc3339(stamp).ok().map(|t| t.time())
}

/// The teams of `day` whose `team.dispatched` event names the volunteer.
async fn activities(db: &Db, volunteer_no: &str, day: NaiveDate) -> Result<Vec<Activity>, AppError> {
    let rows: Vec<Event> = sqlx::query_as(
        "SELECT seq, at, actor, kind, subject, data, drill, cause FROM events WHERE kind = ? AND substr(at, 1, 10) = ? ORDER BY seq",
    )
    .bind(TeamDispatched::KIND)
    .bind(day.to_string())
    .fetch_all(&db.read)
    .await?;
    let mut out = Vec::new();
    for event in &rows {
        let Some(team) = events::decoded::<TeamDispatched>(event) else { continue };
        if !team.members.iter().any(|m| m == volunteer_no) {
            continue;
        }
        let categories = match team.need_no.as_deref().and_then(parse_need_no) {
            Some(number) => need_categories(db, number).await?,
            None => Vec::new(),
        };
        out.push(Activity { team_no: team.team_no, zone: team.zone, categories });
    }
    Ok(out)
}

async fn need_categories(db: &Db, number: i64) -> Result<Vec<Category>, AppError> {
    let id = crate::needs::id_by_number(&db.read, number).await?;
    Ok(match id {
        Some(id) => crate::needs::need(&db.read, id).await?.map(|n| n.categories).unwrap_or_default(),
        None => Vec::new(),
    })
}
