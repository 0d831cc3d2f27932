//! Stand-in for the equipment ledger until it lands (inventory branch).

use serde::{Deserialize, Serialize};

use crate::clock::Clock;
use crate::error::AppError;
use crate::events::{Actor, WriteTx};
use crate::i18n::Text;

#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Loan {
    pub item_id: i64,
    pub qty: i64,
}

pub async fn lend(
    _tx: &mut WriteTx,
    _clock: &Clock,
    _actor: &Actor,
    _team_id: i64,
    _team_no: &str,
    _loans: &[Loan],
) -> Result<(), AppError> {
    Err(AppError::validation("loans", Text::new("資機材の貸出は準備中です。", "Loans are not ready yet.")))
}

#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReturnLine {
    pub item_id: i64,
    pub returned: i64,
    #[serde(default)]
    pub lost: i64,
    #[serde(default)]
    pub damaged: i64,
}

pub async fn settle(
    _tx: &mut WriteTx,
    _clock: &Clock,
    _actor: &Actor,
    _team_id: i64,
    _team_no: &str,
    lines: &[ReturnLine],
) -> Result<(), AppError> {
    if lines.is_empty() {
        return Ok(());
    }
    Err(AppError::validation("returns", Text::new("資機材の返却は準備中です。", "Returns are not ready yet.")))
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct OutLine {
    pub item_id: i64,
    pub name: String,
    pub unit: String,
    pub qty: i64,
}

pub async fn outstanding(_conn: impl sqlx::SqliteExecutor<'_>, _team_id: i64) -> Result<Vec<OutLine>, sqlx::Error> {
    Ok(Vec::new())
}
