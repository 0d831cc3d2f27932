//! HTTP edge of equipment. Anyone signed in may read the catalogue, the ledger
//! and what is out; coordinators and admins change them.

use axum::extract::Path;
use axum::{Json, Router};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::catalogue::{self, ItemForm, ItemPatch};
use super::ledger::{self, AdjustForm, ReceiveForm, WriteOffForm};
use super::model::{Item, LedgerRow, TeamOut};
use super::store;
use crate::auth::extract::{Anyone, Coordinator};
use crate::auth::staff::{Answer, Created, Staff, created};
use crate::error::{ApiJson, ErrorBody};
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
async fn list_items(staff: Staff<Anyone>) -> Answer<Vec<Item>> {
    Ok(Json(store::items(&staff.db.read).await?))
}

/// Adds an item, with `initial_stock` received at once. An owner is required
/// for borrowed and rented items; a name or code already used is 409 `duplicate`.
#[utoipa::path(post, path = "/api/items", tag = "inventory", request_body = ItemForm,
    responses((status = 201, body = Item), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_item(staff: Staff<Coordinator>, ApiJson(form): ApiJson<ItemForm>) -> Created<Item> {
    created(catalogue::create(&staff.db, &staff.clock, &staff.actor, form).await?)
}

#[utoipa::path(get, path = "/api/items/{id}", tag = "inventory", params(("id" = i64, Path)),
    responses((status = 200, body = Item), (status = 404, body = ErrorBody)))]
async fn get_item(staff: Staff<Anyone>, Path(id): Path<i64>) -> Answer<Item> {
    Ok(Json(catalogue::existing(&staff.db.read, id).await?))
}

/// A coordinator's change to one item, answered with the item as it is afterwards.
macro_rules! item_change {
    ($(#[$doc:meta])* $name:ident: $method:ident $path:literal, $form:ident => $change:path, $responses:tt) => {
        $(#[$doc])*
        #[utoipa::path($method, path = $path, tag = "inventory", params(("id" = i64, Path)), request_body = $form,
            responses $responses)]
        async fn $name(
            staff: Staff<Coordinator>,
            Path(id): Path<i64>,
            ApiJson(form): ApiJson<$form>,
        ) -> Answer<Item> {
            Ok(Json($change(&staff.db, &staff.clock, &staff.actor, id, form).await?))
        }
    };
}

item_change!(
    /// Changes catalogue fields (a JSON merge; `null` clears `owner` or `code`).
    /// Takes the `version` read: 409 `stale_version` when somebody saved first.
    edit_item: patch "/api/items/{id}", ItemPatch => catalogue::edit,
    ((status = 200, body = Item), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody))
);
item_change!(
    /// 入庫: stock arrives.
    receive_item: post "/api/items/{id}/receive", ReceiveForm => ledger::receive,
    ((status = 200, body = Item), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
);
item_change!(
    /// 棚卸: sets stock on hand to the count found, with a reason.
    adjust_item: post "/api/items/{id}/adjust", AdjustForm => ledger::adjust,
    ((status = 200, body = Item), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
);
item_change!(
    /// 紛失・破損・消費 of stock at the center; more than on hand is 409 `short_stock`.
    write_off_item: post "/api/items/{id}/writeoff", WriteOffForm => ledger::write_off,
    ((status = 200, body = Item), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody))
);

/// Every movement of an item, oldest first, with the stock after each.
#[utoipa::path(get, path = "/api/items/{id}/ledger", tag = "inventory", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<LedgerRow>), (status = 404, body = ErrorBody)))]
async fn item_ledger(staff: Staff<Anyone>, Path(id): Path<i64>) -> Answer<Vec<LedgerRow>> {
    let mut conn = staff.db.read.acquire().await?;
    Ok(Json(ledger::ledger(&mut conn, id).await?))
}

/// What is out, team by team, oldest loan first.
#[utoipa::path(get, path = "/api/items/out", tag = "inventory", responses((status = 200, body = Vec<TeamOut>)))]
async fn items_out(staff: Staff<Anyone>) -> Answer<Vec<TeamOut>> {
    Ok(Json(store::out_by_team(&staff.db.read).await?))
}
