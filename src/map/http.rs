//! The map: `GET /api/map.svg` and the map page.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::svg::{self as map_svg, MapData};
use crate::auth::extract::{Allowed, Anyone, Coordinator};
use crate::auth::staff::Staff;
use crate::error::{AppError, ErrorBody};
use crate::i18n::Lang;
use crate::needs::{map_pins, open_by_zone};
use crate::state::AppState;
use crate::web::page::Page;
use crate::web::pages::{PageContext, render};

/// `/api/map.svg`
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(map))
}

/// The map page.
pub fn pages() -> Router<AppState> {
    Router::new().route("/map", get(map_page))
}

/// The zone map as SVG: zones coloured by their open needs and, for
/// coordinators and admins only, a pin per need (exact locations are personal
/// data). Coordinates are Web Mercator world pixels; see the root's `data-*`.
#[utoipa::path(get, path = "/api/map.svg", tag = "zones",
    responses((status = 200, content_type = "image/svg+xml", description = "the map"), (status = 401, body = ErrorBody)))]
async fn map(staff: Staff<Anyone>, headers: HeaderMap) -> Result<Response, AppError> {
    let sees_pins = Coordinator::admits(staff.user.role);
    let open = open_by_zone(&staff.db.read).await?;
    let pins = if sees_pins { Some(map_pins(&staff.db.read).await?) } else { None };
    let zones = staff.zones.current();
    let svg = map_svg::render(&MapData {
        zones: zones.zones(),
        roads: zones.roads(),
        open_by_zone: &open,
        pins: pins.as_deref(),
        lang: Lang::for_api(&headers),
    });
    Ok(([(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "no-store")], svg).into_response())
}

#[derive(Template)]
#[template(path = "map.html")]
struct MapPage {
    page: PageContext,
    /// An MBTiles base map is configured: the page lays its tiles under the zones.
    tiles: bool,
}

async fn map_page(State(state): State<AppState>, Page { page, .. }: Page<Coordinator>) -> Response {
    render(StatusCode::OK, &MapPage { page, tiles: state.tiles.is_some() })
}
