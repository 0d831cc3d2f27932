//! The `needs` table: every SQL statement about needs lives here.

use geo::{Distance, Haversine, Point};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection, SqliteExecutor};

use super::form::NeedCard;
use super::lifecycle;
use super::model::{Category, Need, Parking, ReceivedVia, Status, Survey, ZoneSource, need_no, parse_need_no};
use crate::clock::stamp;
use crate::reception::normalize::{katakana, phone_key, search_key};
use crate::zones::address;

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
            Some(MapPin { need_no: need_no(number), lat, lon, status: Status::parse(&status)?, priority })
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

/// Columns of a need, with the number of the need it duplicates.
const SELECT_NEED: &str = "SELECT n.id, n.number, n.status, n.version, n.received_via, n.received_at,
        n.requester_name, n.requester_furigana, n.phone, n.address, n.town, n.lat, n.lon, n.zone, n.zone_source,
        n.elderly_only, n.needs_care, n.household_notes, n.damage, n.categories, n.people_needed, n.days_estimated,
        n.equipment, n.parking, n.photos_allowed, n.priority, n.notes, n.survey, d.number AS duplicate_of,
        n.status_reason, n.updated_at
    FROM needs n LEFT JOIN needs d ON d.id = n.duplicate_of";

#[derive(sqlx::FromRow)]
struct NeedRow {
    id: i64,
    number: i64,
    status: String,
    version: i64,
    received_via: String,
    received_at: String,
    requester_name: String,
    requester_furigana: String,
    phone: String,
    address: String,
    town: String,
    lat: Option<f64>,
    lon: Option<f64>,
    zone: Option<String>,
    zone_source: Option<String>,
    elderly_only: bool,
    needs_care: bool,
    household_notes: String,
    damage: String,
    categories: String,
    people_needed: i64,
    days_estimated: i64,
    equipment: String,
    parking: String,
    photos_allowed: bool,
    priority: i64,
    notes: String,
    survey: Option<String>,
    duplicate_of: Option<i64>,
    status_reason: String,
    updated_at: String,
}

impl NeedRow {
    /// The table's CHECK constraints hold the enum texts; a row that breaks
    /// them was not written by this program, so it falls back, never panics.
    fn into_need(self) -> Need {
        let status = Status::parse(&self.status).unwrap_or(Status::Received);
        Need {
            id: self.id,
            need_no: need_no(self.number),
            status,
            version: self.version,
            received_via: ReceivedVia::parse(&self.received_via).unwrap_or(ReceivedVia::Phone),
            received_at: self.received_at,
            requester_name: self.requester_name,
            requester_furigana: self.requester_furigana,
            phone: self.phone,
            address: self.address,
            town: self.town,
            lat: self.lat,
            lon: self.lon,
            zone: self.zone,
            zone_source: self.zone_source.as_deref().and_then(ZoneSource::parse),
            elderly_only: self.elderly_only,
            needs_care: self.needs_care,
            household_notes: self.household_notes,
            damage: serde_json::from_str(&self.damage).unwrap_or_default(),
            categories: serde_json::from_str(&self.categories).unwrap_or_default(),
            people_needed: self.people_needed,
            days_estimated: self.days_estimated,
            equipment: serde_json::from_str(&self.equipment).unwrap_or_default(),
            parking: Parking::parse(&self.parking).unwrap_or(Parking::Unknown),
            photos_allowed: self.photos_allowed,
            priority: self.priority,
            notes: self.notes,
            survey: self.survey.as_deref().and_then(|s| serde_json::from_str(s).ok()),
            duplicate_of: self.duplicate_of.map(need_no),
            status_reason: self.status_reason,
            updated_at: self.updated_at,
            moves: lifecycle::next(status).to_vec(),
            reopen_to: lifecycle::reopen_targets(status).to_vec(),
        }
    }
}

pub async fn need(conn: impl SqliteExecutor<'_>, id: i64) -> Result<Option<Need>, sqlx::Error> {
    let sql = format!("{SELECT_NEED} WHERE n.id = ?");
    let row: Option<NeedRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(conn).await?;
    Ok(row.map(NeedRow::into_need))
}

pub async fn id_by_number(conn: impl SqliteExecutor<'_>, number: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM needs WHERE number = ?").bind(number).fetch_optional(conn).await
}

/// Which needs a list shows. Empty fields do not filter.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub statuses: Vec<Status>,
    /// `Some(None)`: only needs whose zone is unknown.
    pub zone: Option<Option<String>>,
    pub priority: Option<i64>,
    pub category: Option<Category>,
    /// Number, phone digits, or part of the name, furigana or address.
    pub text: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

/// Needs by priority (1 first), then oldest first; and how many match in all.
pub async fn list(conn: &mut SqliteConnection, filter: &Filter) -> Result<(Vec<Need>, i64), sqlx::Error> {
    let mut rows = QueryBuilder::<Sqlite>::new(format!("{SELECT_NEED} WHERE 1 = 1"));
    // `+status`: the planner walks `needs_order` and stops at the page size,
    // rather than collecting every open need by status and sorting them all.
    push_conditions(&mut rows, filter, "+n.status");
    rows.push(" ORDER BY n.priority, n.received_at, n.number LIMIT ")
        .push_bind(filter.limit)
        .push(" OFFSET ")
        .push_bind(filter.offset);
    let needs: Vec<NeedRow> = rows.build_query_as().fetch_all(&mut *conn).await?;
    let mut total = QueryBuilder::<Sqlite>::new("SELECT COUNT(*) FROM needs n WHERE 1 = 1");
    push_conditions(&mut total, filter, "n.status");
    let total: i64 = total.build_query_scalar().fetch_one(&mut *conn).await?;
    Ok((needs.into_iter().map(NeedRow::into_need).collect(), total))
}

fn push_conditions(sql: &mut QueryBuilder<Sqlite>, filter: &Filter, status_column: &str) {
    if !filter.statuses.is_empty() {
        sql.push(format!(" AND {status_column} IN ("));
        let mut list = sql.separated(", ");
        for status in &filter.statuses {
            list.push_bind(status.as_str());
        }
        sql.push(")");
    }
    match &filter.zone {
        None => {}
        Some(None) => {
            sql.push(" AND n.zone IS NULL");
        }
        Some(Some(zone)) => {
            sql.push(" AND n.zone = ").push_bind(zone.clone());
        }
    }
    if let Some(priority) = filter.priority {
        sql.push(" AND n.priority = ").push_bind(priority);
    }
    if let Some(category) = filter.category {
        sql.push(" AND EXISTS (SELECT 1 FROM json_each(n.categories) WHERE value = ")
            .push_bind(category.as_str())
            .push(")");
    }
    if let Some(text) = filter.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let digits = phone_key(text);
        if let Some(number) = parse_need_no(text) {
            sql.push(" AND n.number = ").push_bind(number);
        } else if digits.len() >= 4 && digits.len() * 2 >= text.chars().filter(|c| !c.is_whitespace()).count() {
            sql.push(" AND n.phone_key LIKE ").push_bind(format!("%{digits}"));
        } else {
            let pattern = format!("%{}%", search_key(text).replace(['%', '_'], ""));
            sql.push(" AND (replace(n.requester_name, ' ', '') LIKE ")
                .push_bind(pattern.clone())
                .push(" OR replace(n.requester_furigana, ' ', '') LIKE ")
                .push_bind(katakana(&pattern))
                .push(" OR n.address_key LIKE ")
                .push_bind(format!("%{}%", address::normalize(text)))
                .push(")");
        }
    }
}

/// Inserts a checked card as the next number; returns (id, number).
pub async fn insert(
    conn: &mut SqliteConnection,
    card: &NeedCard,
    status: Status,
    zone_source: Option<ZoneSource>,
    duplicate_of: Option<i64>,
    status_reason: &str,
    now: &str,
) -> Result<(i64, i64), sqlx::Error> {
    let number: i64 =
        sqlx::query_scalar("SELECT COALESCE(MAX(number), 0) + 1 FROM needs").fetch_one(&mut *conn).await?;
    let insert = sqlx::query(
        "INSERT INTO needs (number, status, received_via, received_at, requester_name, requester_furigana, phone,
            phone_key, address, address_key, town, lat, lon, zone, zone_source, elderly_only, needs_care,
            household_notes, damage, categories, people_needed, days_estimated, equipment, parking, photos_allowed,
            priority, notes, duplicate_of, status_reason, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(number)
    .bind(status.as_str());
    let id = bind_card(insert, card, zone_source)
        .bind(duplicate_of)
        .bind(status_reason)
        .bind(now)
        .execute(&mut *conn)
        .await?
        .last_insert_rowid();
    Ok((id, number))
}

/// What an edit writes: the whole card again, and where the need now stands.
pub struct Revision<'a> {
    pub card: &'a NeedCard,
    pub zone_source: Option<ZoneSource>,
    pub status: Status,
    pub status_reason: &'a str,
    pub survey: Option<&'a Survey>,
    pub duplicate_of: Option<i64>,
}

/// Writes a revision if the need is still at `version`; false when it is not
/// (somebody else saved first).
pub async fn update(
    conn: &mut SqliteConnection,
    id: i64,
    version: i64,
    r: &Revision<'_>,
    now: &str,
) -> Result<bool, sqlx::Error> {
    let card = r.card;
    let update = sqlx::query(
        "UPDATE needs SET version = version + 1, status = ?, received_via = ?, received_at = ?, requester_name = ?,
            requester_furigana = ?, phone = ?, phone_key = ?, address = ?, address_key = ?, town = ?, lat = ?, lon = ?,
            zone = ?, zone_source = ?, elderly_only = ?, needs_care = ?, household_notes = ?, damage = ?,
            categories = ?, people_needed = ?, days_estimated = ?, equipment = ?, parking = ?, photos_allowed = ?,
            priority = ?, notes = ?, survey = ?, duplicate_of = ?, status_reason = ?, updated_at = ?
         WHERE id = ? AND version = ?",
    )
    .bind(r.status.as_str());
    let done = bind_card(update, card, r.zone_source)
        .bind(r.survey.map(json_text))
        .bind(r.duplicate_of)
        .bind(r.status_reason)
        .bind(now)
        .bind(id)
        .bind(version)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// A move made by a team's departure or return (the card itself unchanged).
pub async fn set_status(conn: &mut SqliteConnection, id: i64, status: Status, now: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE needs SET status = ?, version = version + 1, updated_at = ? WHERE id = ?")
        .bind(status.as_str())
        .bind(now)
        .bind(id)
        .execute(conn)
        .await
        .map(|_| ())
}

type Statement<'q> = sqlx::query::Query<'q, Sqlite, sqlx::sqlite::SqliteArguments>;

/// Binds the card's columns, from `received_via` to `notes`, in table order.
fn bind_card<'q>(statement: Statement<'q>, card: &'q NeedCard, zone_source: Option<ZoneSource>) -> Statement<'q> {
    statement
        .bind(card.received_via.as_str())
        .bind(stamp(card.received_at))
        .bind(&card.requester_name)
        .bind(&card.requester_furigana)
        .bind(&card.phone)
        .bind(&card.phone_key)
        .bind(&card.address)
        .bind(&card.address_key)
        .bind(&card.town)
        .bind(card.lat())
        .bind(card.lon())
        .bind(&card.zone)
        .bind(zone_source.map(ZoneSource::as_str))
        .bind(card.elderly_only)
        .bind(card.needs_care)
        .bind(&card.household_notes)
        .bind(json_text(&card.damage))
        .bind(json_text(&card.categories))
        .bind(card.people_needed)
        .bind(card.days_estimated)
        .bind(json_text(&card.equipment))
        .bind(card.parking.as_str())
        .bind(card.photos_allowed)
        .bind(card.priority)
        .bind(&card.notes)
}

fn json_text<T: serde::Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).expect("plain data serialises")
}

/// A need that may be the same household's request again, and why.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Candidate {
    pub id: i64,
    pub need_no: String,
    pub status: Status,
    pub requester_name: String,
    pub address: String,
    pub zone: Option<String>,
    /// `phone`, `address`, `distance`
    pub reasons: Vec<&'static str>,
    /// Metres between the pins, when both have one.
    pub distance_m: Option<f64>,
}

#[derive(sqlx::FromRow)]
struct CandidateRow {
    id: i64,
    number: i64,
    status: String,
    requester_name: String,
    address: String,
    zone: Option<String>,
    phone_key: String,
    address_key: String,
    lat: Option<f64>,
    lon: Option<f64>,
}

/// Needs (not cancelled) with the same phone key or address key, and open
/// needs whose pin lies within `radius_m` of `pin`.
pub async fn duplicate_candidates(
    conn: &mut SqliteConnection,
    phone_key: &str,
    address_key: &str,
    pin: Option<(f64, f64)>,
    radius_m: f64,
    except_id: Option<i64>,
) -> Result<Vec<Candidate>, sqlx::Error> {
    // A box a little larger than the circle, so the index narrows it; the exact distance is checked below.
    let (lat, lon) = pin.unwrap_or((1000.0, 1000.0));
    let dlat = radius_m / 111_000.0 * 1.2;
    let dlon = dlat / lat.to_radians().cos().abs().max(0.01);
    let rows: Vec<CandidateRow> = sqlx::query_as(
        "SELECT id, number, status, requester_name, address, zone, phone_key, address_key, lat, lon FROM needs
             WHERE status <> 'cancelled' AND id <> ?
               AND ((phone_key <> '' AND phone_key = ?) OR address_key = ?
                    OR (status <> 'done' AND lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?))
             ORDER BY number LIMIT 50",
    )
    .bind(except_id.unwrap_or(0))
    .bind(phone_key)
    .bind(address_key)
    .bind(lat - dlat)
    .bind(lat + dlat)
    .bind(lon - dlon)
    .bind(lon + dlon)
    .fetch_all(&mut *conn)
    .await?;
    let mut found = Vec::new();
    for row in rows {
        let status = Status::parse(&row.status).unwrap_or(Status::Received);
        let distance_m = match (pin, row.lat, row.lon) {
            (Some((lat, lon)), Some(n_lat), Some(n_lon)) => {
                Some(Haversine.distance(Point::new(lon, lat), Point::new(n_lon, n_lat)))
            }
            _ => None,
        };
        let mut reasons = Vec::new();
        if !phone_key.is_empty() && row.phone_key == phone_key {
            reasons.push("phone");
        }
        if row.address_key == address_key {
            reasons.push("address");
        }
        if status.is_open() && distance_m.is_some_and(|d| d <= radius_m) {
            reasons.push("distance");
        }
        if !reasons.is_empty() {
            found.push(Candidate {
                id: row.id,
                need_no: need_no(row.number),
                status,
                requester_name: row.requester_name,
                address: row.address,
                zone: row.zone,
                reasons,
                distance_m: distance_m.map(|d| d.round()),
            });
        }
    }
    Ok(found)
}

/// (status, count)
pub type StatusCounts = Vec<(String, i64)>;
/// (zone, status, count)
pub type ZoneStatusCounts = Vec<(Option<String>, String, i64)>;

/// Needs by status, and by zone and status: the board's needs panel.
pub async fn counts(conn: &mut SqliteConnection) -> Result<(StatusCounts, ZoneStatusCounts), sqlx::Error> {
    let by_status = sqlx::query_as("SELECT status, COUNT(*) FROM needs GROUP BY status").fetch_all(&mut *conn).await?;
    let by_zone =
        sqlx::query_as("SELECT zone, status, COUNT(*) FROM needs GROUP BY zone, status").fetch_all(&mut *conn).await?;
    Ok((by_status, by_zone))
}
