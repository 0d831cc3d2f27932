//! What equipment is, as the API and pages show it.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ItemKind {
    /// Comes back: shovels, wheelbarrows.
    Durable,
    /// Used up: sandbags, gloves.
    Consumable,
}

/// Where the center got it. Borrowed and rented things go back to their owner
/// when the center closes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = ItemSource)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// 購入
    Purchased,
    /// 借用
    Borrowed,
    /// レンタル
    Rented,
    /// 寄付
    Donated,
}

/// One row of the ledger: what happened to the stock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Movement {
    /// 入庫
    Received,
    /// 貸出 (to a team)
    Lent,
    /// 返却 (from a team)
    Returned,
    /// 紛失
    Lost,
    /// 破損
    Damaged,
    /// 消費
    Consumed,
    /// 棚卸 (stocktake: sets the count found)
    Adjusted,
}

impl ItemKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Durable => "durable",
            ItemKind::Consumable => "consumable",
        }
    }
    pub fn parse(text: &str) -> Option<ItemKind> {
        [ItemKind::Durable, ItemKind::Consumable].into_iter().find(|k| k.as_str() == text)
    }
    pub fn label_ja(self) -> &'static str {
        match self {
            ItemKind::Durable => "備品",
            ItemKind::Consumable => "消耗品",
        }
    }
}

impl Source {
    pub const ALL: [Source; 4] = [Source::Purchased, Source::Borrowed, Source::Rented, Source::Donated];

    pub fn as_str(self) -> &'static str {
        match self {
            Source::Purchased => "purchased",
            Source::Borrowed => "borrowed",
            Source::Rented => "rented",
            Source::Donated => "donated",
        }
    }
    pub fn parse(text: &str) -> Option<Source> {
        Source::ALL.into_iter().find(|s| s.as_str() == text)
    }
    pub fn label_ja(self) -> &'static str {
        match self {
            Source::Purchased => "購入",
            Source::Borrowed => "借用",
            Source::Rented => "レンタル",
            Source::Donated => "寄付",
        }
    }
    /// Has an owner it goes back to.
    pub fn goes_back(self) -> bool {
        matches!(self, Source::Borrowed | Source::Rented)
    }
}

impl Movement {
    pub const ALL: [Movement; 7] = [
        Movement::Received,
        Movement::Lent,
        Movement::Returned,
        Movement::Lost,
        Movement::Damaged,
        Movement::Consumed,
        Movement::Adjusted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Movement::Received => "received",
            Movement::Lent => "lent",
            Movement::Returned => "returned",
            Movement::Lost => "lost",
            Movement::Damaged => "damaged",
            Movement::Consumed => "consumed",
            Movement::Adjusted => "adjusted",
        }
    }
    pub fn parse(text: &str) -> Option<Movement> {
        Movement::ALL.into_iter().find(|m| m.as_str() == text)
    }
    pub fn label_ja(self) -> &'static str {
        match self {
            Movement::Received => "入庫",
            Movement::Lent => "貸出",
            Movement::Returned => "返却",
            Movement::Lost => "紛失",
            Movement::Damaged => "破損",
            Movement::Consumed => "消費",
            Movement::Adjusted => "棚卸",
        }
    }
}

/// An item of the catalogue with its stock, all derived from the ledger.
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Item {
    pub id: i64,
    pub name: String,
    pub kind: ItemKind,
    pub unit: String,
    pub source: Source,
    /// Whom a borrowed or rented item goes back to.
    pub owner: Option<String>,
    /// The QR code or number printed on the item type.
    pub code: Option<String>,
    pub low_stock_threshold: i64,
    pub version: i64,
    /// On hand at the center.
    pub stock: i64,
    /// Out with teams now.
    pub out: i64,
    /// Lost to date (with teams and at the center).
    pub lost: i64,
    /// Damaged to date.
    pub damaged: i64,
    /// Consumed to date.
    pub consumed: i64,
    /// Stock on hand is below the threshold.
    pub low: bool,
}

/// One movement, as the ledger of an item shows it.
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct LedgerRow {
    pub id: i64,
    pub at: String,
    pub movement: Movement,
    /// How many the movement concerns (for a stocktake: the count found).
    pub qty: i64,
    /// Its effect on stock on hand.
    pub delta: i64,
    /// Stock on hand after it.
    pub stock_after: i64,
    pub team_id: Option<i64>,
    pub team_no: Option<String>,
    pub note: Option<String>,
    pub actor: String,
    pub event_seq: i64,
}

/// One line of a loan: so many of an item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Loan {
    pub item_id: i64,
    pub qty: i64,
}

/// One item counted back from a team: returned, and lost or damaged on site.
/// For a consumable, whatever is not accounted for was used up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReturnLine {
    pub item_id: i64,
    pub returned: i64,
    #[serde(default)]
    pub lost: i64,
    #[serde(default)]
    pub damaged: i64,
}

/// What a team has out now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct OutLine {
    pub item_id: i64,
    pub name: String,
    pub unit: String,
    pub kind: ItemKind,
    pub qty: i64,
}

/// What is out, team by team (the equipment page).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct TeamOut {
    pub team_id: i64,
    pub team_no: String,
    pub since: String,
    pub lines: Vec<OutLine>,
}

/// An item below its low-stock threshold (the board).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct LowItem {
    pub item_id: i64,
    pub name: String,
    pub unit: String,
    pub stock: i64,
    pub threshold: i64,
}
