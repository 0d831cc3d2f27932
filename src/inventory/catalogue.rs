//! The equipment catalogue (資機材). For now: items and their first stock, as
//! much as the demo needs. Loans, returns and shortages come with the dispatch
//! and equipment issue. Stock on hand is always the sum of the ledger.

use serde::Serialize;
use serde_json::json;
use sqlx::SqliteExecutor;

use crate::clock::{Clock, stamp};
use crate::events::{Actor, WriteTx};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemKind {
    /// Comes back: shovels, wheelbarrows.
    Durable,
    /// Used up: sandbags, gloves.
    Consumable,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    Purchased,
    Borrowed,
    Rented,
    Donated,
}

#[derive(Debug, Clone)]
pub struct NewItem<'a> {
    pub name: &'a str,
    pub kind: ItemKind,
    pub unit: &'a str,
    pub source: Source,
    pub owner: Option<&'a str>,
    pub low_stock_threshold: i64,
    pub initial_stock: i64,
}

impl ItemKind {
    fn as_str(self) -> &'static str {
        match self {
            ItemKind::Durable => "durable",
            ItemKind::Consumable => "consumable",
        }
    }
}

impl Source {
    fn as_str(self) -> &'static str {
        match self {
            Source::Purchased => "purchased",
            Source::Borrowed => "borrowed",
            Source::Rented => "rented",
            Source::Donated => "donated",
        }
    }
}

/// Adds an item to the catalogue with its first stock (event `item.added`).
pub async fn add_item(tx: &mut WriteTx, clock: &Clock, actor: &Actor, item: &NewItem<'_>) -> Result<i64, sqlx::Error> {
    let at = stamp(clock.now());
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO items (name, kind, unit, source, owner, low_stock_threshold, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(item.name)
    .bind(item.kind.as_str())
    .bind(item.unit)
    .bind(item.source.as_str())
    .bind(item.owner)
    .bind(item.low_stock_threshold)
    .bind(&at)
    .fetch_one(tx.conn())
    .await?;
    let event = tx
        .append(
            clock,
            actor,
            "item.added",
            Some(format!("item:{id}")),
            json!({ "id": id, "name": item.name, "kind": item.kind, "unit": item.unit, "source": item.source, "stock": item.initial_stock }),
        )
        .await?;
    if item.initial_stock > 0 {
        sqlx::query(
            "INSERT INTO item_ledger (item_id, movement, delta, at, event_seq) VALUES (?, 'received', ?, ?, ?)",
        )
        .bind(id)
        .bind(item.initial_stock)
        .bind(&at)
        .bind(event.seq)
        .execute(tx.conn())
        .await?;
    }
    Ok(id)
}

pub async fn count(conn: impl SqliteExecutor<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM items").fetch_one(conn).await
}
