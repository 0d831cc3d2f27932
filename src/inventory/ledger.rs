//! Movements of stock at the center: receiving (入庫), the stocktake (棚卸) and
//! writing off (紛失・破損・消費). Each is a ledger row and an event in one
//! transaction; stock on hand never goes below zero. Loans and returns are in
//! [`super::loans`].
//!
//! The low-stock alert: a command that takes an item from at or above its
//! threshold to below it appends `item.low_stock` in the same transaction.
//! Once per crossing: going back above and down again fires again.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::catalogue::{MAX_QTY, existing};
use super::model::{Item, LedgerRow, Movement};
use super::store::{self, NewMovement};
use crate::clock::{Clock, stamp};
use crate::db::Db;
use crate::error::AppError;
use crate::events::EventPayload;
use crate::events::contract::inventory::{ItemAdjusted, ItemLowStock, ItemReceived, ItemWrittenOff};
use crate::events::contract::wire;
use crate::events::{Actor, WriteTx};
use crate::fields::{invalid, optional, required};
use crate::i18n::Text;

/// Whether an item was low before a command, to tell a crossing after it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct LowWatch {
    was_low: bool,
}

impl LowWatch {
    pub(crate) fn not_low() -> LowWatch {
        LowWatch { was_low: false }
    }

    pub(crate) fn of(item: &Item) -> LowWatch {
        LowWatch { was_low: item.low }
    }

    /// Appends `item.low_stock` if the item is low now and was not before.
    pub(crate) async fn check(
        self,
        tx: &mut WriteTx,
        clock: &Clock,
        actor: &Actor,
        item_id: i64,
    ) -> Result<(), AppError> {
        if self.was_low {
            return Ok(());
        }
        let item = existing(tx.conn(), item_id).await?;
        if item.low {
            let low = ItemLowStock {
                item_id: item.id,
                name: item.name.clone(),
                unit: item.unit.clone(),
                stock: item.stock,
                threshold: item.low_stock_threshold,
            };
            tx.append(clock, actor, Some(format!("item:{item_id}")), &low).await?;
        }
        Ok(())
    }
}

/// 409 `short_stock`: fewer on hand than asked for.
pub(crate) fn short_of(item: &Item, requested: i64, field: &str) -> AppError {
    AppError::conflict(Text::new(
        format!("「{}」の在庫は{}{}です（{}{}は出せません）。", item.name, item.stock, item.unit, requested, item.unit),
        format!("Only {} {} of {} on hand ({requested} asked for).", item.stock, item.unit, item.name),
    ))
    .coded("short_stock")
    .with_field(field)
    .with_details(json!({ "shortages": [
        { "item_id": item.id, "name": item.name, "requested": requested, "available": item.stock }
    ]}))
}

fn quantity(field: &str, qty: i64) -> Result<i64, AppError> {
    if (1..=MAX_QTY).contains(&qty) {
        Ok(qty)
    } else {
        Err(invalid(field, "数量は1以上の数で入力してください。", format!("{field} is a whole number from 1.")))
    }
}

/// One movement of one item at the center: its event, its row, the alert.
/// `event` is given the stock after the movement.
async fn record<P: EventPayload>(
    tx: &mut WriteTx,
    clock: &Clock,
    actor: &Actor,
    item: &Item,
    row: (Movement, i64, i64, Option<&str>),
    event: impl FnOnce(i64) -> P,
) -> Result<Item, AppError> {
    let (movement, qty, delta, note) = row;
    let event = tx.append(clock, actor, Some(format!("item:{}", item.id)), &event(item.stock + delta)).await?;
    let at = stamp(clock.now());
    let new = NewMovement { item_id: item.id, movement, qty, delta, team: None, note, at: &at, event_seq: event.seq };
    store::insert_movement(tx.conn(), &new).await?;
    LowWatch::of(item).check(tx, clock, actor, item.id).await?;
    existing(tx.conn(), item.id).await
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ReceiveForm {
    pub qty: i64,
    /// Where from: 「社協から追加」「寄付（〇〇商店）」
    pub note: Option<String>,
}

/// 入庫: stock arrives at the center (event `item.received`).
pub async fn receive(db: &Db, clock: &Clock, actor: &Actor, id: i64, form: ReceiveForm) -> Result<Item, AppError> {
    let qty = quantity("qty", form.qty)?;
    let note = optional("note", form.note.as_deref(), "備考", 200)?;
    let mut tx = db.begin_write().await?;
    let item = existing(tx.conn(), id).await?;
    if item.stock + qty > MAX_QTY {
        return Err(invalid("qty", "数量が多すぎます。", "qty is too large."));
    }
    let row = (Movement::Received, qty, qty, note.as_deref());
    let (item_id, name) = (item.id, item.name.clone());
    let item = record(&mut tx, clock, actor, &item, row, |stock| ItemReceived { item_id, name, stock, qty }).await?;
    tx.commit().await?;
    Ok(item)
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct AdjustForm {
    /// How many were counted at the center (not those out with teams).
    pub counted: Option<i64>,
    /// Why the count differs, or who counted: required.
    pub reason: String,
}

/// 棚卸: the stocktake sets stock on hand to the count found (event
/// `item.adjusted` with the difference). A count equal to the stock is
/// recorded too: the item was checked.
pub async fn adjust(db: &Db, clock: &Clock, actor: &Actor, id: i64, form: AdjustForm) -> Result<Item, AppError> {
    let counted =
        form.counted.ok_or_else(|| invalid("counted", "数えた数を入力してください。", "counted is required."))?;
    if !(0..=MAX_QTY).contains(&counted) {
        return Err(invalid("counted", "数えた数は0以上で入力してください。", "counted is 0 or more."));
    }
    let reason = required("reason", &form.reason, "理由", 200)?;
    let mut tx = db.begin_write().await?;
    let item = existing(tx.conn(), id).await?;
    let delta = counted - item.stock;
    let row = (Movement::Adjusted, counted, delta, Some(reason.as_str()));
    let (item_id, name, before) = (item.id, item.name.clone(), item.stock);
    let adjusted = |stock| ItemAdjusted { item_id, name, stock, counted, delta, before };
    let item = record(&mut tx, clock, actor, &item, row, adjusted).await?;
    tx.commit().await?;
    Ok(item)
}

/// What a write-off records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum WriteOffKind {
    Lost,
    Damaged,
    Consumed,
}

impl WriteOffKind {
    fn movement(self) -> Movement {
        match self {
            WriteOffKind::Lost => Movement::Lost,
            WriteOffKind::Damaged => Movement::Damaged,
            WriteOffKind::Consumed => Movement::Consumed,
        }
    }
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct WriteOffForm {
    pub qty: i64,
    pub kind: Option<WriteOffKind>,
    pub reason: String,
}

/// 紛失・破損・消費 of stock at the center (event `item.written_off`). More
/// than is on hand is 409 `short_stock`.
pub async fn write_off(db: &Db, clock: &Clock, actor: &Actor, id: i64, form: WriteOffForm) -> Result<Item, AppError> {
    let qty = quantity("qty", form.qty)?;
    let kind = form.kind.ok_or_else(|| {
        invalid("kind", "紛失・破損・消費のどれかを選んでください。", "kind is lost, damaged or consumed.")
    })?;
    let reason = required("reason", &form.reason, "理由", 200)?;
    let mut tx = db.begin_write().await?;
    let item = existing(tx.conn(), id).await?;
    if qty > item.stock {
        return Err(short_of(&item, qty, "qty"));
    }
    let movement = kind.movement();
    let row = (movement, qty, -qty, Some(reason.as_str()));
    let (item_id, name) = (item.id, item.name.clone());
    let written_off = |stock| ItemWrittenOff { item_id, name, stock, movement: wire(&movement), qty };
    let item = record(&mut tx, clock, actor, &item, row, written_off).await?;
    tx.commit().await?;
    Ok(item)
}

/// An item's ledger, oldest first, with the stock after each movement.
pub async fn ledger(conn: &mut sqlx::SqliteConnection, id: i64) -> Result<Vec<LedgerRow>, AppError> {
    existing(&mut *conn, id).await?;
    Ok(store::ledger(&mut *conn, id).await?)
}
