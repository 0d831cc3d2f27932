//! Equipment (資機材): the catalogue and every movement of stock. No owners
//! and no free-text reasons: those stay in the tables.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

event! {
    /// An item entered the catalogue, with its first stock (subject `item:<id>`).
    #[kind = "item.added"]
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
}

event! {
    /// An item's catalogue entry was edited.
    #[kind = "item.updated"]
    pub struct ItemUpdated {
        pub item_id: i64,
        pub name: String,
        /// The names of the fields that changed.
        pub changed: Vec<String>,
        pub threshold: i64,
    }
}

event! {
    /// 入庫: stock arrived at the center.
    #[kind = "item.received"]
    pub struct ItemReceived {
        pub item_id: i64,
        pub name: String,
        /// The stock after it.
        pub stock: i64,
        pub qty: i64,
    }
}

event! {
    /// 棚卸: the count at the center replaced the stock.
    #[kind = "item.adjusted"]
    pub struct ItemAdjusted {
        pub item_id: i64,
        pub name: String,
        /// The stock after it (= `counted`).
        pub stock: i64,
        pub counted: i64,
        pub delta: i64,
        pub before: i64,
    }
}

event! {
    /// 除却: lost, damaged or consumed at the center.
    #[kind = "item.written_off"]
    pub struct ItemWrittenOff {
        pub item_id: i64,
        pub name: String,
        /// The stock after it.
        pub stock: i64,
        /// `lost`, `damaged`, `consumed`.
        pub movement: String,
        pub qty: i64,
    }
}

event! {
    /// The stock fell to or below the threshold (once per crossing).
    #[kind = "item.low_stock"]
    pub struct ItemLowStock {
        pub item_id: i64,
        pub name: String,
        pub unit: String,
        pub stock: i64,
        pub threshold: i64,
    }
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

event! {
    /// A team took equipment as it left (subject the team number).
    #[kind = "items.lent"]
    pub struct ItemsLent {
        pub team_id: i64,
        pub team_no: String,
        pub lines: Vec<LentLine>,
    }
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

event! {
    /// A team's equipment was settled on its return (subject the team number).
    #[kind = "items.returned"]
    pub struct ItemsReturned {
        pub team_id: i64,
        pub team_no: String,
        pub lines: Vec<ReturnedLine>,
    }
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
