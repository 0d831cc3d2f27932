//! The `items` and `item_ledger` tables: every SQL statement about equipment
//! lives here. Stock is never stored: it is the sum of the ledger's `delta`.

use sqlx::SqliteExecutor;

use super::model::{Item, ItemKind, LedgerRow, LowItem, Movement, OutLine, Source, TeamOut};

/// The catalogue's columns as stored (no stock).
pub struct ItemRecord<'a> {
    pub name: &'a str,
    pub kind: ItemKind,
    pub unit: &'a str,
    pub source: Source,
    pub owner: Option<&'a str>,
    pub code: Option<&'a str>,
    pub low_stock_threshold: i64,
}

/// A ledger row to write.
pub struct NewMovement<'a> {
    pub item_id: i64,
    pub movement: Movement,
    pub qty: i64,
    pub delta: i64,
    pub team: Option<(i64, &'a str)>,
    pub note: Option<&'a str>,
    pub at: &'a str,
    pub event_seq: i64,
}

const SELECT_ITEM: &str = "SELECT i.id, i.name, i.kind, i.unit, i.source, i.owner, i.code, i.low_stock_threshold,
        i.version,
        COALESCE(SUM(l.delta), 0),
        COALESCE(SUM(CASE WHEN l.team_id IS NULL THEN 0 WHEN l.movement = 'lent' THEN l.qty ELSE -l.qty END), 0),
        COALESCE(SUM(CASE WHEN l.movement = 'lost' THEN l.qty ELSE 0 END), 0),
        COALESCE(SUM(CASE WHEN l.movement = 'damaged' THEN l.qty ELSE 0 END), 0),
        COALESCE(SUM(CASE WHEN l.movement = 'consumed' THEN l.qty ELSE 0 END), 0)
    FROM items i LEFT JOIN item_ledger l ON l.item_id = i.id";

type ItemTuple =
    (i64, String, String, String, String, Option<String>, Option<String>, i64, i64, i64, i64, i64, i64, i64);

fn item_of(row: ItemTuple) -> Item {
    let (id, name, kind, unit, source, owner, code, low_stock_threshold, version, stock, out, lost, damaged, consumed) =
        row;
    Item {
        id,
        name,
        // The table's CHECKs allow only these.
        kind: ItemKind::parse(&kind).unwrap_or(ItemKind::Durable),
        unit,
        source: Source::parse(&source).unwrap_or(Source::Purchased),
        owner,
        code,
        low_stock_threshold,
        version,
        stock,
        out,
        lost,
        damaged,
        consumed,
        low: stock < low_stock_threshold,
    }
}

/// The whole catalogue, in the order items were added.
pub async fn items(conn: impl SqliteExecutor<'_>) -> Result<Vec<Item>, sqlx::Error> {
    let rows: Vec<ItemTuple> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT_ITEM} GROUP BY i.id ORDER BY i.id")))
            .fetch_all(conn)
            .await?;
    Ok(rows.into_iter().map(item_of).collect())
}

pub async fn item(conn: impl SqliteExecutor<'_>, id: i64) -> Result<Option<Item>, sqlx::Error> {
    let row: Option<ItemTuple> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT_ITEM} WHERE i.id = ? GROUP BY i.id")))
            .bind(id)
            .fetch_optional(conn)
            .await?;
    Ok(row.map(item_of))
}

pub async fn insert_item(conn: impl SqliteExecutor<'_>, item: &ItemRecord<'_>, at: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO items (name, kind, unit, source, owner, code, low_stock_threshold, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(item.name)
    .bind(item.kind.as_str())
    .bind(item.unit)
    .bind(item.source.as_str())
    .bind(item.owner)
    .bind(item.code)
    .bind(item.low_stock_threshold)
    .bind(at)
    .bind(at)
    .fetch_one(conn)
    .await
}

/// Saves an edit if the item is still at `version`; false when it is not.
pub async fn update_item(
    conn: impl SqliteExecutor<'_>,
    id: i64,
    version: i64,
    item: &ItemRecord<'_>,
    at: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE items SET name = ?, kind = ?, unit = ?, source = ?, owner = ?, code = ?, low_stock_threshold = ?,
             version = version + 1, updated_at = ?
         WHERE id = ? AND version = ?",
    )
    .bind(item.name)
    .bind(item.kind.as_str())
    .bind(item.unit)
    .bind(item.source.as_str())
    .bind(item.owner)
    .bind(item.code)
    .bind(item.low_stock_threshold)
    .bind(at)
    .bind(id)
    .bind(version)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Stock on hand: the sum of the item's ledger.
pub async fn stock(conn: impl SqliteExecutor<'_>, item_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COALESCE(SUM(delta), 0) FROM item_ledger WHERE item_id = ?")
        .bind(item_id)
        .fetch_one(conn)
        .await
}

pub async fn insert_movement(conn: impl SqliteExecutor<'_>, m: &NewMovement<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO item_ledger (item_id, movement, qty, delta, team_id, team_no, note, at, event_seq)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(m.item_id)
    .bind(m.movement.as_str())
    .bind(m.qty)
    .bind(m.delta)
    .bind(m.team.map(|(id, _)| id))
    .bind(m.team.map(|(_, no)| no))
    .bind(m.note)
    .bind(m.at)
    .bind(m.event_seq)
    .execute(conn)
    .await
    .map(|_| ())
}

/// Every movement of an item, oldest first, with the stock after each.
pub async fn ledger(conn: impl SqliteExecutor<'_>, item_id: i64) -> Result<Vec<LedgerRow>, sqlx::Error> {
    type Row = (i64, String, String, i64, i64, Option<i64>, Option<String>, Option<String>, String, i64);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT l.id, l.at, l.movement, l.qty, l.delta, l.team_id, l.team_no, l.note, e.actor, l.event_seq
         FROM item_ledger l JOIN events e ON e.seq = l.event_seq
         WHERE l.item_id = ? ORDER BY l.id",
    )
    .bind(item_id)
    .fetch_all(conn)
    .await?;
    let mut stock = 0;
    Ok(rows
        .into_iter()
        .map(|(id, at, movement, qty, delta, team_id, team_no, note, actor, event_seq)| {
            stock += delta;
            LedgerRow {
                id,
                at,
                movement: Movement::parse(&movement).unwrap_or(Movement::Adjusted),
                qty,
                delta,
                stock_after: stock,
                team_id,
                team_no,
                note,
                actor,
                event_seq,
            }
        })
        .collect())
}

/// Lent minus everything counted back, per item, for one team.
const OUT_BY_ITEM: &str = "SELECT l.team_id, MAX(l.team_no), MIN(CASE WHEN l.movement = 'lent' THEN l.at END),
        i.id, i.name, i.unit, i.kind,
        SUM(CASE WHEN l.movement = 'lent' THEN l.qty ELSE -l.qty END) AS out
    FROM item_ledger l JOIN items i ON i.id = l.item_id
    WHERE l.team_id IS NOT NULL";

type OutTuple = (i64, String, Option<String>, i64, String, String, String, i64);

fn out_line(row: &OutTuple) -> OutLine {
    let (_, _, _, item_id, name, unit, kind, qty) = row;
    OutLine {
        item_id: *item_id,
        name: name.clone(),
        unit: unit.clone(),
        kind: ItemKind::parse(kind).unwrap_or(ItemKind::Durable),
        qty: *qty,
    }
}

/// What a team has out now, by item.
pub async fn outstanding(conn: impl SqliteExecutor<'_>, team_id: i64) -> Result<Vec<OutLine>, sqlx::Error> {
    let rows: Vec<OutTuple> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{OUT_BY_ITEM} AND l.team_id = ? GROUP BY i.id HAVING out <> 0 ORDER BY i.id"
    )))
    .bind(team_id)
    .fetch_all(conn)
    .await?;
    Ok(rows.iter().map(out_line).collect())
}

/// Everything out, team by team (oldest loan first).
pub async fn out_by_team(conn: impl SqliteExecutor<'_>) -> Result<Vec<TeamOut>, sqlx::Error> {
    let rows: Vec<OutTuple> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{OUT_BY_ITEM} GROUP BY l.team_id, i.id HAVING out <> 0 ORDER BY l.team_id, i.id"
    )))
    .fetch_all(conn)
    .await?;
    let mut teams: Vec<TeamOut> = Vec::new();
    for row in &rows {
        let since = row.2.clone().unwrap_or_default();
        match teams.last_mut() {
            Some(team) if team.team_id == row.0 => {
                team.lines.push(out_line(row));
                if since < team.since {
                    team.since = since;
                }
            }
            _ => teams.push(TeamOut { team_id: row.0, team_no: row.1.clone(), since, lines: vec![out_line(row)] }),
        }
    }
    teams.sort_by(|a, b| a.since.cmp(&b.since).then(a.team_id.cmp(&b.team_id)));
    Ok(teams)
}

/// Items whose stock on hand is below their threshold.
pub async fn low_stock(conn: impl SqliteExecutor<'_>) -> Result<Vec<LowItem>, sqlx::Error> {
    let rows: Vec<(i64, String, String, i64, i64)> = sqlx::query_as(
        "SELECT i.id, i.name, i.unit, COALESCE(SUM(l.delta), 0) AS stock, i.low_stock_threshold
         FROM items i LEFT JOIN item_ledger l ON l.item_id = i.id
         GROUP BY i.id HAVING stock < i.low_stock_threshold ORDER BY i.id",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(item_id, name, unit, stock, threshold)| LowItem { item_id, name, unit, stock, threshold })
        .collect())
}

/// Items lost and damaged on `day` (quantities), for the board's alerts.
pub async fn losses_on(conn: impl SqliteExecutor<'_>, day: chrono::NaiveDate) -> Result<(i64, i64), sqlx::Error> {
    sqlx::query_as(
        "SELECT COALESCE(SUM(CASE WHEN movement = 'lost' THEN qty END), 0),
                COALESCE(SUM(CASE WHEN movement = 'damaged' THEN qty END), 0)
         FROM item_ledger WHERE substr(at, 1, 10) = ?",
    )
    .bind(day.to_string())
    .fetch_one(conn)
    .await
}

pub async fn count(conn: impl SqliteExecutor<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM items").fetch_one(conn).await
}
