//! Printed codes: which item a scanned code names, and which labels to print.
//! Codes compare as a scanner
//! types them through a Japanese IME (`fields::scan_code`: full-width, the IME's
//! dashes, case and spaces folded), so 「Ｅー０１」 finds E-01.

use sqlx::SqliteExecutor;

use super::labels_pdf::{Label, PER_PAGE};
use super::model::Item;
use super::store;
use crate::error::AppError;
use crate::fields::scan_code;
use crate::i18n::Text;

/// Five sheets (120 labels) at most in one file: each QR code is CPU work for the server.
pub const MAX_LABELS: usize = 5 * PER_PAGE;

/// The item whose printed code is `scanned`, folded; `None` for an empty code.
/// The catalogue is small (tens of items), so the fold runs here, not in SQL.
pub async fn item_by_code(conn: impl SqliteExecutor<'_>, scanned: &str) -> Result<Option<Item>, sqlx::Error> {
    let wanted = scan_code(scanned);
    if wanted.is_empty() {
        return Ok(None);
    }
    Ok(store::items(conn).await?.into_iter().find(|item| item.code.as_deref().is_some_and(|c| scan_code(c) == wanted)))
}

/// The labels to print: `copies` of `item`'s (default a whole sheet), or of every item
/// with a code (default one each). Items without a code have nothing to scan: asking
/// for one is 409 `no_code`, and so is a catalogue without codes.
pub async fn labels_for(
    conn: impl SqliteExecutor<'_> + Copy,
    item: Option<i64>,
    copies: Option<usize>,
) -> Result<Vec<Label>, AppError> {
    let items = match item {
        Some(id) => {
            let item = store::item(conn, id)
                .await?
                .ok_or_else(|| AppError::not_found(Text::new("該当する資機材が見つかりません。", "No such item.")))?;
            if item.code.is_none() {
                return Err(AppError::conflict(Text::new(
                    format!("「{}」にはコードがありません。コードを入れるとラベルを印刷できます。", item.name),
                    format!("{} has no code. Give it a code to print its labels.", item.name),
                ))
                .coded("no_code"));
            }
            vec![item]
        }
        None => store::items(conn).await?.into_iter().filter(|i| i.code.is_some()).collect(),
    };
    if items.is_empty() {
        return Err(AppError::conflict(Text::new(
            "コードの付いた資機材がありません。資機材にコードを入れるとラベルを印刷できます。",
            "No item has a code. Give the items codes to print their labels.",
        ))
        .coded("no_code"));
    }
    let copies = copies.unwrap_or(if item.is_some() { PER_PAGE } else { 1 });
    if copies == 0 || copies.saturating_mul(items.len()) > MAX_LABELS {
        return Err(AppError::validation(
            "copies",
            Text::new(
                format!("枚数は1枚以上、合計{MAX_LABELS}枚以内にしてください（資機材{}種類）。", items.len()),
                format!("Print at least one label and at most {MAX_LABELS} in all ({} items).", items.len()),
            ),
        ));
    }
    Ok(items
        .into_iter()
        .flat_map(|item| {
            let label = Label { code: item.code.unwrap_or_default(), name: item.name, owner: item.owner };
            std::iter::repeat_n(label, copies)
        })
        .collect())
}
