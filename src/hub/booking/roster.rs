//! The list for the meeting point: who is booked (then the waitlist, in
//! order), as CSV in UTF-8 with a BOM so Excel opens it right.

use super::mails::booking_no;
use super::openings::Opening;
use super::profiles::{self, RosterPerson};
use crate::csv_cells::{personal_header, personal_row, with_bom};
use crate::hub::db::HubDb;

const HEADER: [&str; 9] =
    ["予約番号", "状態", "キャンセル待ち順", "人数", "氏名", "フリガナ", "電話", "緊急連絡先", "団体名"];

fn status_ja(status: &str) -> &'static str {
    match status {
        "booked" => "予約",
        "waitlisted" => "キャンセル待ち",
        "applied" => "抽選申込",
        "cancelled" => "取消",
        _ => "中止",
    }
}

pub async fn people(db: &HubDb, opening: &Opening) -> Result<Vec<RosterPerson>, sqlx::Error> {
    profiles::roster(&mut *db.pool.acquire().await?, opening.id).await
}

/// The CSV's bytes: BOM, header, one row per standing booking (cancelled ones left out).
pub async fn csv(db: &HubDb, opening: &Opening) -> Result<Vec<u8>, crate::error::AppError> {
    let people = people(db, opening).await?;
    let mut place = 0;
    let rows: Vec<Vec<String>> = people
        .iter()
        .filter(|p| matches!(p.status.as_str(), "booked" | "waitlisted" | "applied"))
        .map(|p| {
            let order = if p.status == "waitlisted" {
                place += 1;
                place.to_string()
            } else {
                String::new()
            };
            let cells = [
                booking_no(p.booking_id),
                status_ja(&p.status).to_string(),
                order,
                p.seats.to_string(),
                p.name.clone().unwrap_or_default(),
                p.furigana.clone().unwrap_or_default(),
                p.phone.clone().unwrap_or_default(),
                p.emergency_phone.clone().unwrap_or_default(),
                p.group_name.clone().unwrap_or_default(),
            ];
            personal_row(&cells)
        })
        .collect();
    with_bom(personal_header(&HEADER), rows).map_err(csv_error)
}

fn csv_error(error: csv::Error) -> crate::error::AppError {
    tracing::error!("hub roster CSV: {error}");
    crate::error::AppError::internal()
}
