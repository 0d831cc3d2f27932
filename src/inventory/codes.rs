//! Printed codes: which item a scanned code names. Codes compare as a scanner
//! types them through a Japanese IME (`fields::scan_code`: full-width, the IME's
//! dashes, case and spaces folded), so 「Ｅー０１」 finds E-01.

use sqlx::SqliteExecutor;

use super::model::Item;
use super::store;
use crate::fields::scan_code;

/// The item whose printed code is `scanned`, folded; `None` for an empty code.
/// The catalogue is small (tens of items), so the fold runs here, not in SQL.
pub async fn item_by_code(conn: impl SqliteExecutor<'_>, scanned: &str) -> Result<Option<Item>, sqlx::Error> {
    let wanted = scan_code(scanned);
    if wanted.is_empty() {
        return Ok(None);
    }
    Ok(store::items(conn).await?.into_iter().find(|item| item.code.as_deref().is_some_and(|c| scan_code(c) == wanted)))
}
