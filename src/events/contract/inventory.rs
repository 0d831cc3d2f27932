//! Equipment (資機材): the catalogue and every movement of stock. No owners
//! and no free-text reasons: those stay in the tables.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::EventPayload;

/// An item entered the catalogue, with its first stock (subject `item:<id>`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ItemAdded {
    pub item_id: i64,
    pub name: String,
    /// `durable` or `consumable`.
    pub kind: String,
    pub unit: String,
    /// `purchased`, `borrowed`, `rented`, `donated`.
    pub source: String,
    /// Borrowed or rented: it has an owner (named in the table only).
    pub has_owner: bool,
    /// The code printed on the item.
    pub code: Option<String>,
    /// Low-stock alert at or below this.
    pub threshold: i64,
    pub stock: i64,
}

impl EventPayload for ItemAdded {
    const KIND: &'static str = "item.added";
}

/// An item's catalogue entry was edited.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ItemUpdated {
    pub item_id: i64,
    pub name: String,
    /// The names of the fields that changed.
    pub changed: Vec<String>,
    pub threshold: i64,
}

impl EventPayload for ItemUpdated {
    const KIND: &'static str = "item.updated";
}

/// 入庫: stock arrived at the center.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ItemReceived {
    pub item_id: i64,
    pub name: String,
    /// The stock after it.
    pub stock: i64,
    pub qty: i64,
}

impl EventPayload for ItemReceived {
    const KIND: &'static str = "item.received";
}

/// 棚卸: the count at the center replaced the stock.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ItemAdjusted {
    pub item_id: i64,
    pub name: String,
    /// The stock after it (= `counted`).
    pub stock: i64,
    pub counted: i64,
    pub delta: i64,
    pub before: i64,
}

impl EventPayload for ItemAdjusted {
    const KIND: &'static str = "item.adjusted";
}

/// 除却: lost, damaged or consumed at the center.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ItemWrittenOff {
    pub item_id: i64,
    pub name: String,
    /// The stock after it.
    pub stock: i64,
    /// `lost`, `damaged`, `consumed`.
    pub movement: String,
    pub qty: i64,
}

impl EventPayload for ItemWrittenOff {
    const KIND: &'static str = "item.written_off";
}

/// The stock fell to or below the threshold (once per crossing).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ItemLowStock {
    pub item_id: i64,
    pub name: String,
    pub unit: String,
    pub stock: i64,
    pub threshold: i64,
}

impl EventPayload for ItemLowStock {
    const KIND: &'static str = "item.low_stock";
}

/// One item a team took.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct LentLine {
    pub item_id: i64,
    pub name: String,
    pub qty: i64,
    /// The stock at the center after it.
    pub stock: i64,
}

/// A team took equipment as it left (subject the team number).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ItemsLent {
    pub team_id: i64,
    pub team_no: String,
    pub lines: Vec<LentLine>,
}

impl EventPayload for ItemsLent {
    const KIND: &'static str = "items.lent";
}

/// What became of one item a team had.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ReturnedLine {
    pub item_id: i64,
    pub name: String,
    /// How many the team had.
    pub out: i64,
    pub returned: i64,
    pub lost: i64,
    pub damaged: i64,
    pub consumed: i64,
    /// The stock at the center after it.
    pub stock: i64,
}

/// A team's equipment was settled on its return (subject the team number).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ItemsReturned {
    pub team_id: i64,
    pub team_no: String,
    pub lines: Vec<ReturnedLine>,
}

impl EventPayload for ItemsReturned {
    const KIND: &'static str = "items.returned";
}

/// Every stock figure an equipment event carries: (item name, stock after it).
pub fn stock_figures(payload: &super::Payload) -> Vec<(&str, i64)> {
    use super::Payload as P;
    match payload {
        P::ItemsLent(e) => e.lines.iter().map(|l| (l.name.as_str(), l.stock)).collect(),
        P::ItemsReturned(e) => e.lines.iter().map(|l| (l.name.as_str(), l.stock)).collect(),
        P::ItemAdded(e) => vec![(e.name.as_str(), e.stock)],
        P::ItemReceived(e) => vec![(e.name.as_str(), e.stock)],
        P::ItemAdjusted(e) => vec![(e.name.as_str(), e.stock)],
        P::ItemWrittenOff(e) => vec![(e.name.as_str(), e.stock)],
        P::ItemLowStock(e) => vec![(e.name.as_str(), e.stock)],
        _ => Vec::new(),
    }
}
