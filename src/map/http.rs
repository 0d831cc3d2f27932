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
use crate::auth::extract::{Allowed, Coordinator, CurrentUser};
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
async fn map(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let sees_pins = Coordinator::admits(user.role);
    let open = open_by_zone(&state.db.read).await?;
    let pins = if sees_pins { Some(map_pins(&state.db.read).await?) } else { None };
    let zones = state.zones.current();
    let svg = map_svg::render(&MapData {
        zones: zones.zones(),
        open_by_zone: &open,
        pins: pins.as_deref(),
        lang: Lang::for_api(&headers),
    });
    Ok(([(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "no-store")], svg).into_response())
}

/// The page's own words.
pub struct MapWords {
    pub title: &'static str,
    pub zoom_in: &'static str,
    pub zoom_out: &'static str,
    pub fit: &'static str,
    pub hint: &'static str,
    pub zone: &'static str,
    pub zone_unknown: &'static str,
    pub position: &'static str,
    pub take_need: &'static str,
    pub clear_pin: &'static str,
    pub load_failed: &'static str,
    pub base_map_on: &'static str,
    pub base_map_off: &'static str,
    pub map_label: &'static str,
}

static JA: MapWords = MapWords {
    title: "地図",
    zoom_in: "拡大",
    zoom_out: "縮小",
    fit: "全体",
    hint: "地図をタップ（クリック）すると地点を置き、その地区を調べます。ドラッグで移動、ホイールやピンチで拡大・縮小。",
    zone: "地区",
    zone_unknown: "地区不明",
    position: "緯度・経度",
    take_need: "この地点でニーズを受け付ける",
    clear_pin: "地点を消す",
    load_failed: "地図を読み込めませんでした。再試行します…",
    base_map_on: "背景地図あり",
    base_map_off: "背景地図なし（地区のみ）",
    map_label: "地区とニーズの地図",
};

static EN: MapWords = MapWords {
    title: "Map",
    zoom_in: "Zoom in",
    zoom_out: "Zoom out",
    fit: "Fit",
    hint: "Tap (click) the map to place a pin and find its zone. Drag to pan; wheel or pinch to zoom.",
    zone: "Zone",
    zone_unknown: "zone unknown",
    position: "Latitude, longitude",
    take_need: "Take a need at this point",
    clear_pin: "Remove the pin",
    load_failed: "The map could not be loaded. Retrying…",
    base_map_on: "base map on",
    base_map_off: "no base map (zones only)",
    map_label: "Map of zones and needs",
};

fn words(lang: Lang) -> &'static MapWords {
    match lang {
        Lang::Ja => &JA,
        Lang::En => &EN,
    }
}

#[derive(Template)]
#[template(path = "map.html")]
struct MapPage {
    page: PageContext,
    w: &'static MapWords,
    /// An MBTiles base map is configured: the page lays its tiles under the zones.
    tiles: bool,
}

async fn map_page(State(state): State<AppState>, Page { page, .. }: Page<Coordinator>) -> Response {
    render(StatusCode::OK, &MapPage { w: words(page.lang), page, tiles: state.tiles.is_some() })
}
