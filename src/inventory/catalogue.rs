//! The equipment catalogue (資機材): adding an item, with its first stock, and
//! editing it (a JSON merge onto the item as stored, checked again as a whole,
//! with the `version` read). Events `item.added`, `item.updated`.
//!
//! An owner may be a private person lending a wheelbarrow: owners stay in the
//! table, events only say whether there is one.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::ledger::LowWatch;
use super::model::{Item, ItemKind, Movement, Source};
use super::store::{self, ItemRecord, NewMovement};
use crate::clock::{Clock, stamp};
use crate::db::Db;
use crate::error::AppError;
use crate::events::contract::inventory::{ItemAdded, ItemUpdated};
use crate::events::contract::wire;
use crate::events::{Actor, WriteTx};
use crate::fields::{invalid, merge_patch, optional, required};
use crate::i18n::Text;

/// Most of one thing a center can hold; keeps sums far from overflow.
pub const MAX_QTY: i64 = 1_000_000;

/// An item as entered on the catalogue form.
#[derive(Clone, Debug, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ItemForm {
    /// 剣スコップ
    pub name: String,
    pub kind: Option<ItemKind>,
    /// 本, 台, 枚, 双 …
    pub unit: String,
    pub source: Option<Source>,
    /// Required for borrowed and rented items: whom they go back to.
    pub owner: Option<String>,
    /// The QR code or number printed on the item type; unique when given.
    pub code: Option<String>,
    /// An `item.low_stock` event fires when stock on hand falls below it.
    pub low_stock_threshold: i64,
    /// On creation only: the stock received with it.
    #[serde(skip_serializing)]
    pub initial_stock: i64,
}

/// A form that passed its checks.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckedItem {
    pub name: String,
    pub kind: ItemKind,
    pub unit: String,
    pub source: Source,
    pub owner: Option<String>,
    pub code: Option<String>,
    pub low_stock_threshold: i64,
    pub initial_stock: i64,
}

impl CheckedItem {
    fn record(&self) -> ItemRecord<'_> {
        ItemRecord {
            name: &self.name,
            kind: self.kind,
            unit: &self.unit,
            source: self.source,
            owner: self.owner.as_deref(),
            code: self.code.as_deref(),
            low_stock_threshold: self.low_stock_threshold,
        }
    }
}

impl ItemForm {
    fn of(item: &Item) -> ItemForm {
        ItemForm {
            name: item.name.clone(),
            kind: Some(item.kind),
            unit: item.unit.clone(),
            source: Some(item.source),
            owner: item.owner.clone(),
            code: item.code.clone(),
            low_stock_threshold: item.low_stock_threshold,
            initial_stock: 0,
        }
    }
}

pub fn validate(form: ItemForm) -> Result<CheckedItem, AppError> {
    let name = required("name", &form.name, "品名", 50)?;
    let kind = form
        .kind
        .ok_or_else(|| invalid("kind", "備品か消耗品かを選んでください。", "kind is durable or consumable."))?;
    let unit = required("unit", &form.unit, "単位", 10)?;
    let source = form.source.ok_or_else(|| {
        invalid("source", "入手元（購入・借用・レンタル・寄付）を選んでください。", "source is required.")
    })?;
    let owner = optional("owner", form.owner.as_deref(), "所有者", 100)?;
    if source.goes_back() && owner.is_none() {
        return Err(invalid(
            "owner",
            format!("{}の資機材は、閉所時の返却先（所有者）を入力してください。", source.label_ja()),
            "owner is required for borrowed and rented items: whom they go back to.",
        ));
    }
    let code = optional("code", form.code.as_deref(), "コード", 40)?;
    if !(0..=MAX_QTY).contains(&form.low_stock_threshold) {
        return Err(invalid(
            "low_stock_threshold",
            "在庫下限は0以上の数で入力してください。",
            "low_stock_threshold is a whole number from 0.",
        ));
    }
    if !(0..=MAX_QTY).contains(&form.initial_stock) {
        return Err(invalid("initial_stock", "初期在庫は0以上の数で入力してください。", "initial_stock is 0 or more."));
    }
    Ok(CheckedItem {
        name,
        kind,
        unit,
        source,
        owner,
        code,
        low_stock_threshold: form.low_stock_threshold,
        initial_stock: form.initial_stock,
    })
}

/// A unique name or code already taken: 409 `duplicate`, naming the field.
fn map_unique(error: sqlx::Error, item: &CheckedItem) -> AppError {
    match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            if db.message().contains("items.code") {
                let code = item.code.as_deref().unwrap_or_default();
                AppError::conflict(Text::new(
                    format!("コード「{code}」は別の資機材に使われています。"),
                    format!("The code {code} is already used by another item."),
                ))
                .coded("duplicate")
                .with_field("code")
            } else {
                AppError::conflict(Text::new(
                    format!("「{}」はすでに登録されています。", item.name),
                    format!("{} is already in the catalogue.", item.name),
                ))
                .coded("duplicate")
                .with_field("name")
            }
        }
        _ => error.into(),
    }
}

fn not_found() -> AppError {
    AppError::not_found(Text::new("該当する資機材が見つかりません。", "No such item."))
}

/// The item, or 404.
pub async fn existing(conn: impl sqlx::SqliteExecutor<'_>, id: i64) -> Result<Item, AppError> {
    store::item(conn, id).await?.ok_or_else(not_found)
}

/// Adds an item (event `item.added`), with its first stock as a `received` movement.
pub async fn add(tx: &mut WriteTx, clock: &Clock, actor: &Actor, form: ItemForm) -> Result<Item, AppError> {
    let item = validate(form)?;
    let at = stamp(clock.now());
    let id = store::insert_item(tx.conn(), &item.record(), &at).await.map_err(|e| map_unique(e, &item))?;
    let event = tx
        .append(
            clock,
            actor,
            Some(format!("item:{id}")),
            &ItemAdded {
                item_id: id,
                name: item.name.clone(),
                kind: wire(&item.kind),
                unit: item.unit.clone(),
                source: wire(&item.source),
                has_owner: item.owner.is_some(),
                code: item.code.clone(),
                threshold: item.low_stock_threshold,
                stock: item.initial_stock,
            },
        )
        .await?;
    if item.initial_stock > 0 {
        let first = NewMovement {
            item_id: id,
            movement: Movement::Received,
            qty: item.initial_stock,
            delta: item.initial_stock,
            team: None,
            note: Some("初期在庫"),
            at: &at,
            event_seq: event.seq,
        };
        store::insert_movement(tx.conn(), &first).await?;
    }
    // Added below its threshold (none in stock yet): the board should know.
    LowWatch::not_low().check(tx, clock, actor, id).await?;
    existing(tx.conn(), id).await
}

/// `POST /api/items`: its own transaction.
pub async fn create(db: &Db, clock: &Clock, actor: &Actor, form: ItemForm) -> Result<Item, AppError> {
    let mut tx = db.begin_write().await?;
    let item = add(&mut tx, clock, actor, form).await?;
    tx.commit().await?;
    Ok(item)
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ItemPatch {
    /// The version read; a stale one is refused with 409 `stale_version`.
    pub version: Option<i64>,
    /// Any field of the item form but `initial_stock` (`null` clears `owner` or `code`).
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub fields: Map<String, Value>,
}

fn stale(current: &Item) -> AppError {
    AppError::conflict(Text::new(
        format!("「{}」は他の人が先に更新しました（版 {}）。読み込み直してください。", current.name, current.version),
        format!("{} was changed by somebody else (now version {}). Reload it.", current.name, current.version),
    ))
    .coded("stale_version")
    .with_details(json!({ "current_version": current.version }))
}

/// Changes an item's catalogue fields (event `item.updated` with the names of
/// the fields changed). Stock moves only through the ledger.
pub async fn edit(db: &Db, clock: &Clock, actor: &Actor, id: i64, patch: ItemPatch) -> Result<Item, AppError> {
    let version = patch
        .version
        .ok_or_else(|| invalid("version", "版（version）が必要です。", "version is required: the version you read."))?;
    let mut tx = db.begin_write().await?;
    let item = existing(tx.conn(), id).await?;
    if item.version != version {
        return Err(stale(&item));
    }
    if patch.fields.contains_key("initial_stock") {
        return Err(invalid(
            "initial_stock",
            "在庫は入庫・棚卸で変えてください。",
            "Stock changes through receive and adjust, not through an edit.",
        ));
    }
    let (form, changed) = merge_patch(&ItemForm::of(&item), patch.fields)?;
    let checked = validate(form)?;
    if changed.is_empty() {
        return Ok(item);
    }
    let at = stamp(clock.now());
    if !store::update_item(tx.conn(), id, version, &checked.record(), &at).await.map_err(|e| map_unique(e, &checked))? {
        return Err(stale(&item));
    }
    let updated = ItemUpdated {
        item_id: id,
        name: checked.name.clone(),
        changed: changed.iter().map(|field| field.to_string()).collect(),
        threshold: checked.low_stock_threshold,
    };
    tx.append(clock, actor, Some(format!("item:{id}")), &updated).await?;
    // A raised threshold can make an item low without any movement.
    LowWatch::of(&item).check(&mut tx, clock, actor, id).await?;
    let updated = existing(tx.conn(), id).await?;
    tx.commit().await?;
    Ok(updated)
}
