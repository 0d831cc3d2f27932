//! The `needs` table: every SQL statement about needs lives here.

use sqlx::SqliteExecutor;

use super::model::Status;

/// A need on the map: where, and what colour. No personal data.
#[derive(Clone, Debug, PartialEq)]
pub struct MapPin {
    pub need_no: String,
    pub lat: f64,
    pub lon: f64,
    pub status: Status,
    pub priority: i64,
}

/// Every need with a pin, except the cancelled ones.
pub async fn map_pins(conn: impl SqliteExecutor<'_>) -> Result<Vec<MapPin>, sqlx::Error> {
    let rows: Vec<(i64, f64, f64, String, i64)> = sqlx::query_as(
        "SELECT number, lat, lon, status, priority FROM needs
         WHERE lat IS NOT NULL AND status <> 'cancelled' ORDER BY number",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(number, lat, lon, status, priority)| {
            Some(MapPin { need_no: super::model::need_no(number), lat, lon, status: Status::parse(&status)?, priority })
        })
        .collect())
}

/// Open needs (not 完了, not 取消) per zone; zones without one are absent.
pub async fn open_by_zone(conn: impl SqliteExecutor<'_>) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT zone, COUNT(*) FROM needs
         WHERE zone IS NOT NULL AND status NOT IN ('done', 'cancelled') GROUP BY zone ORDER BY zone",
    )
    .fetch_all(conn)
    .await
}
