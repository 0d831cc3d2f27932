//! The OpenAPI document at `/api/openapi.json`. Paths come from the domains'
//! `#[utoipa::path]` handlers as they are routed (see `app::router`).

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "borasen API",
        description = "災害ボランティアセンター運営システム borasen の API。エラーは `{\"error\":{\"code\",\"message\",\"field\"}}`、`Accept-Language: ja` で日本語。",
    ),
    components(schemas(crate::error::ErrorBody, crate::events::Event)),
    tags(
        (name = "auth", description = "ログインと利用者 / login and staff accounts"),
        (name = "board", description = "ボード / live board"),
        (name = "reception", description = "ボランティア受付 / volunteer reception"),
        (name = "zones", description = "地区・地図・住所 / map zones, the map, offline addresses"),
        (name = "addresses", description = "住所表 / offline address tables"),
        (name = "needs", description = "ニーズ受付 / household needs"),
        (name = "dispatch", description = "マッチング・送り出し / teams, dispatch and return"),
        (name = "inventory", description = "資機材 / equipment"),
        (name = "lobby", description = "ロビー表示（個人情報なし）/ the public lobby screen"),
        (name = "reports", description = "日報・集計 / daily report and summary"),
        (name = "meta", description = "API の説明 / this document"),
    )
)]
struct ApiDoc;

pub fn base() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(openapi_json))
}

/// This document.
#[utoipa::path(get, path = "/api/openapi.json", tag = "meta", responses((status = 200, description = "OpenAPI 3.1")))]
async fn openapi_json(State(state): State<AppState>) -> impl IntoResponse {
    let body = state.openapi_json.get().cloned().unwrap_or_default();
    ([(header::CONTENT_TYPE, "application/json")], body)
}
