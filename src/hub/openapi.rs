//! The hub's own OpenAPI document at `/api/openapi.json` (the center's is
//! another document: the two servers share no routes). Paths come from the
//! hub's routed handlers (`hub::app::router`), so none can be missed; the role
//! matrix test reads this document.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use utoipa::OpenApi;
use utoipa::openapi::{Ref, ResponseBuilder};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::state::HubState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "borasen hub API",
        description = "ボランティア募集ハブ borasen hub の API（予約・募集・メール）。エラーは `{\"error\":{\"code\",\"message\",\"field\"}}`、`Accept-Language: ja` で日本語。/ The hub: volunteers register and book a day at a center from home.",
    ),
    components(schemas(crate::error::ErrorBody, super::events::HubEvent)),
    tags(
        (name = "session", description = "ログイン / logging in"),
        (name = "accounts", description = "アカウント / accounts"),
        (name = "centers", description = "センターの登録と同期キー / registered centers and their sync keys"),
        (name = "sync", description = "センターとの同期（同期キーで認証、契約は schemas/sync.schema.json）/ a center's sync, by its key; the contract is schemas/sync.schema.json"),
        (name = "openings", description = "募集（センター・日ごと）/ openings per center and day"),
        (name = "bookings", description = "予約 / a volunteer's bookings"),
        (name = "overview", description = "センター横断の状況（予約・来所・不参加・報告の数字）/ figures across centers per day"),
        (name = "meta", description = "API の説明 / this document"),
    )
)]
struct HubApiDoc;

pub fn base() -> utoipa::openapi::OpenApi {
    HubApiDoc::openapi()
}

/// The document as served: any status an operation does not list is an `ErrorBody`.
pub fn render(mut doc: utoipa::openapi::OpenApi) -> String {
    let error = ResponseBuilder::new()
        .description("エラー / any other answer is an error")
        .content(
            "application/json",
            utoipa::openapi::ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build(),
        )
        .build();
    for item in doc.paths.paths.values_mut() {
        for operation in
            [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch].into_iter().flatten()
        {
            operation.responses.responses.entry("default".to_string()).or_insert_with(|| error.clone().into());
        }
    }
    doc.to_pretty_json().expect("the OpenAPI document serialises")
}

pub fn router() -> OpenApiRouter<HubState> {
    OpenApiRouter::new().routes(routes!(openapi_json))
}

/// This document.
#[utoipa::path(get, path = "/api/openapi.json", tag = "meta",
    responses((status = 200, description = "OpenAPI 3.1", body = Object, content_type = "application/json")))]
async fn openapi_json(State(state): State<HubState>) -> impl IntoResponse {
    let body = state.openapi_json.get().cloned().unwrap_or_default();
    ([(header::CONTENT_TYPE, "application/json")], body)
}
