//! HTTP edge of equipment. Anyone signed in may read the catalogue, the ledger
//! and what is out; coordinators and admins change them.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Json, Router};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::catalogue::{self, ItemForm, ItemPatch};
use super::ledger::{self, AdjustForm, ReceiveForm, WriteOffForm};
use super::model::{Item, LedgerRow, TeamOut};
use super::store;
use crate::auth::extract::{CoordinatorUser, CurrentUser};
use crate::error::{ApiJson, AppError, ErrorBody};
use crate::events::Actor;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_items, add_item))
        .routes(routes!(get_item, edit_item))
        .routes(routes!(receive_item))
        .routes(routes!(adjust_item))
        .routes(routes!(write_off_item))
        .routes(routes!(item_ledger))
        .routes(routes!(items_out))
        .merge(super::labels_http::router())
}

/// The equipment page.
pub fn pages() -> Router<AppState> {
    super::pages::router()
}

/// The catalogue with stock on hand, out with teams, lost, damaged and
/// consumed to date, and the `low` flag.
#[utoipa::path(get, path = "/api/items", tag = "inventory", responses((status = 200, body = Vec<Item>)))]
async fn list_items(State(state): State<AppState>, _who: CurrentUser) -> Result<Json<Vec<Item>>, AppError> {
    Ok(Json(store::items(&state.db.read).await?))
}

/// Adds an item, with `initial_stock` received at once. An owner is required
/// for borrowed and rented items; a name or code already used is 409 `duplicate`.
#[utoipa::path(post, path = "/api/items", tag = "inventory", request_body = ItemForm,
    responses((status = 201, body = Item), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_item(
    State(state): State<AppState>,
    CoordinatorUser(user): CoordinatorUser,
    ApiJson(form): ApiJson<ItemForm>,
) -> Result<(StatusCode, Json<Item>), AppError> {
    let item = catalogue::create(&state.db, &state.clock, &Actor::user(&user.username), form).await?;
    Ok((StatusCode::CREATED, Json(item)))
}

#[utoipa::path(get, path = "/api/items/{id}", tag = "inventory", params(("id" = i64, Path)),
    responses((status = 200, body = Item), (status = 404, body = ErrorBody)))]
async fn get_item(
    State(state): State<AppState>,
    _who: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<Item>, AppError> {
    Ok(Json(catalogue::existing(&state.db.read, id).await?))
}

/// Changes catalogue fields (a JSON merge; `null` clears `owner` or `code`).
/// Takes the `version` read: 409 `stale_version` when somebody saved first.
#[utoipa::path(patch, path = "/api/items/{id}", tag = "inventory", params(("id" = i64, Path)), request_body = ItemPatch,
    responses((status = 200, body = Item), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn edit_item(
    State(state): State<AppState>,
    CoordinatorUser(user): CoordinatorUser,
    Path(id): Path<i64>,
    ApiJson(patch): ApiJson<ItemPatch>,
) -> Result<Json<Item>, AppError> {
    Ok(Json(catalogue::edit(&state.db, &state.clock, &Actor::user(&user.username), id, patch).await?))
}

/// 入庫: stock arrives.
#[utoipa::path(post, path = "/api/items/{id}/receive", tag = "inventory", params(("id" = i64, Path)),
    request_body = ReceiveForm,
    responses((status = 200, body = Item), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn receive_item(
    State(state): State<AppState>,
    CoordinatorUser(user): CoordinatorUser,
    Path(id): Path<i64>,
    ApiJson(form): ApiJson<ReceiveForm>,
) -> Result<Json<Item>, AppError> {
    Ok(Json(ledger::receive(&state.db, &state.clock, &Actor::user(&user.username), id, form).await?))
}

/// 棚卸: sets stock on hand to the count found, with a reason.
#[utoipa::path(post, path = "/api/items/{id}/adjust", tag = "inventory", params(("id" = i64, Path)),
    request_body = AdjustForm,
    responses((status = 200, body = Item), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn adjust_item(
    State(state): State<AppState>,
    CoordinatorUser(user): CoordinatorUser,
    Path(id): Path<i64>,
    ApiJson(form): ApiJson<AdjustForm>,
) -> Result<Json<Item>, AppError> {
    Ok(Json(ledger::adjust(&state.db, &state.clock, &Actor::user(&user.username), id, form).await?))
}

/// 紛失・破損・消費 of stock at the center; more than on hand is 409 `short_stock`.
#[utoipa::path(post, path = "/api/items/{id}/writeoff", tag = "inventory", params(("id" = i64, Path)),
    request_body = WriteOffForm,
    responses((status = 200, body = Item), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn write_off_item(
    State(state): State<AppState>,
    CoordinatorUser(user): CoordinatorUser,
    Path(id): Path<i64>,
    ApiJson(form): ApiJson<WriteOffForm>,
) -> Result<Json<Item>, AppError> {
    Ok(Json(ledger::write_off(&state.db, &state.clock, &Actor::user(&user.username), id, form).await?))
}

/// Every movement of an item, oldest first, with the stock after each.
#[utoipa::path(get, path = "/api/items/{id}/ledger", tag = "inventory", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<LedgerRow>), (status = 404, body = ErrorBody)))]
async fn item_ledger(
    State(state): State<AppState>,
    _who: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<Vec<LedgerRow>>, AppError> {
    let mut conn = state.db.read.acquire().await?;
    Ok(Json(ledger::ledger(&mut conn, id).await?))
}

/// What is out, team by team, oldest loan first.
#[utoipa::path(get, path = "/api/items/out", tag = "inventory", responses((status = 200, body = Vec<TeamOut>)))]
async fn items_out(State(state): State<AppState>, _who: CurrentUser) -> Result<Json<Vec<TeamOut>>, AppError> {
    Ok(Json(store::out_by_team(&state.db.read).await?))
}
