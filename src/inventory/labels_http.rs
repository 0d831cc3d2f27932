//! Printed codes at the HTTP edge: the label sheet for the equipment page, and the
//! item a scanned code names.

use axum::Json;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::codes::{item_by_code, labels_for};
use super::labels_pdf;
use super::model::Item;
use crate::auth::extract::{CoordinatorUser, CurrentUser};
use crate::error::{AppError, ErrorBody};
use crate::i18n::Text;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(label_sheet)).routes(routes!(scan_item))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
struct LabelQuery {
    /// One item's labels only (default: every item with a code).
    item: Option<i64>,
    /// Labels of each item: default 1 for every item, a whole sheet (24) for one item; 120 in all at most.
    copies: Option<usize>,
}

/// 資機材ラベル: an A4 sheet of 24 labels (70 × 33.9 mm), each the item's code as a QR
/// code with its name. Items without a code have nothing to scan and are left out.
#[utoipa::path(get, path = "/api/items/labels.pdf", tag = "inventory", params(LabelQuery),
    responses((status = 200, content_type = "application/pdf"), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn label_sheet(
    State(state): State<AppState>,
    _who: CoordinatorUser,
    Query(q): Query<LabelQuery>,
) -> Result<Response, AppError> {
    let labels = labels_for(&state.db.read, q.item, q.copies).await?;
    let drill = state.db.is_drill();
    crate::web::drawn_pdf("equipment-labels.pdf", move || labels_pdf::render(&labels, drill)).await
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct ScanQuery {
    /// What the scanner typed: an item's printed code (`E-01`, or `Ｅー０１` through an IME).
    code: String,
}

/// The item whose printed code was scanned; 404 saying so when none has it.
#[utoipa::path(get, path = "/api/items/scan", tag = "inventory", params(ScanQuery),
    responses((status = 200, body = Item), (status = 404, body = ErrorBody)))]
async fn scan_item(
    State(state): State<AppState>,
    _who: CurrentUser,
    Query(q): Query<ScanQuery>,
) -> Result<Json<Item>, AppError> {
    item_by_code(&state.db.read, &q.code).await?.map(Json).ok_or_else(|| unknown_code(&q.code))
}

/// An unknown code, named as it was scanned.
fn unknown_code(code: &str) -> AppError {
    let code = code.trim();
    AppError::not_found(Text::new(
        format!("資機材コード「{code}」は登録されていません。"),
        format!("No equipment has the code \"{code}\"."),
    ))
    .coded("unknown_code")
}
