//! HTTP edge of offline addresses: import (admin), suggestions as an address
//! is typed and the table counts (coordinator).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Query, State};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::address::{self, AddressFileError, AddressKind, LISTED_PROBLEMS, Suggestion};
use super::address_store;
use crate::auth::extract::{AdminUser, CoordinatorUser};
use crate::error::{AppError, Class, ErrorBody};
use crate::events::Actor;
use crate::i18n::Text;
use crate::state::AppState;

/// A whole prefecture's 位置参照情報 is tens of megabytes.
const IMPORT_BODY_LIMIT: usize = 256 * 1024 * 1024;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(import_addresses))
        // Only the routes above get the larger body limit.
        .layer(DefaultBodyLimit::max(IMPORT_BODY_LIMIT))
        .routes(routes!(suggest))
        .routes(routes!(counts))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct ImportParams {
    /// `mlit` (位置参照情報 街区レベル) or `towns` (`町丁目,zone`)
    kind: Option<String>,
    /// `true`: import the good rows and report the bad ones, instead of refusing the file
    skip_bad_rows: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
struct Skipped {
    line: usize,
    /// Japanese
    message: String,
    message_en: String,
}

#[derive(Serialize, utoipa::ToSchema)]
struct ImportAnswer {
    imported: usize,
    /// Bad rows left out (only with `skip_bad_rows=true`).
    skipped: Vec<Skipped>,
}

/// Replace an address table with a CSV file (admin): the MLIT 位置参照情報
/// (街区レベル) or a town→zone table, UTF-8 or Shift_JIS. A bad row is a 422
/// listing every line at fault and nothing changes, unless `skip_bad_rows=true`.
#[utoipa::path(post, path = "/api/addresses/import", tag = "addresses", params(ImportParams),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = ImportAnswer), (status = 422, body = ErrorBody)))]
async fn import_addresses(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    Query(params): Query<ImportParams>,
    body: Bytes,
) -> Result<Json<ImportAnswer>, AppError> {
    let kind = params.kind.as_deref().and_then(AddressKind::parse).ok_or_else(|| {
        AppError::validation(
            "kind",
            Text::new("kind は mlit か towns を指定してください。", "kind must be mlit or towns."),
        )
    })?;
    let skip_bad_rows = match params.skip_bad_rows.as_deref().map(str::trim) {
        None | Some("" | "false" | "0") => false,
        Some("true" | "1") => true,
        Some(_) => {
            return Err(AppError::validation(
                "skip_bad_rows",
                Text::new("skip_bad_rows は true か false です。", "skip_bad_rows must be true or false."),
            ));
        }
    };
    let actor = Actor::user(&user.username);
    let imported = address::import(&state.db, &state.clock, &actor, &body, kind, "api", skip_bad_rows).await?;
    let skipped = imported
        .skipped
        .iter()
        .map(|e| Skipped { line: e.line, message: e.reason.ja.to_string(), message_en: e.reason.en.to_string() })
        .collect();
    Ok(Json(ImportAnswer { imported: imported.count, skipped }))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct SuggestParams {
    /// The address as typed so far
    #[serde(default)]
    q: String,
    /// At most this many (default 8, at most 50)
    limit: Option<usize>,
}

/// Places the typed address may mean, with a pin and a zone: blocks whose
/// address starts like `q` (full-/half-width, 丁目/番/号 and hyphens alike).
#[utoipa::path(get, path = "/api/addresses/suggest", tag = "addresses", params(SuggestParams),
    responses((status = 200, body = [Suggestion])))]
async fn suggest(
    State(state): State<AppState>,
    _who: CoordinatorUser,
    Query(params): Query<SuggestParams>,
) -> Result<Json<Vec<Suggestion>>, AppError> {
    let limit = params.limit.unwrap_or(8).clamp(1, 50);
    let zones = state.zones.current();
    Ok(Json(address::suggest(&state.db.read, &zones, &params.q, limit).await?))
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = AddressCounts)]
struct Counts {
    /// Blocks of the 位置参照情報
    points: i64,
    /// Rows of the town→zone table
    towns: i64,
}

/// How many rows each address table holds (0: not loaded).
#[utoipa::path(get, path = "/api/addresses", tag = "addresses", responses((status = 200, body = Counts)))]
async fn counts(State(state): State<AppState>, _who: CoordinatorUser) -> Result<Json<Counts>, AppError> {
    let (points, towns) = address_store::counts(&state.db.read).await?;
    Ok(Json(Counts { points, towns }))
}

impl From<AddressFileError> for AppError {
    fn from(error: AddressFileError) -> AppError {
        let problems: Vec<Value> = error
            .problems()
            .iter()
            .take(LISTED_PROBLEMS)
            .map(|p| json!({ "line": p.line, "message": p.reason.ja, "message_en": p.reason.en }))
            .collect();
        AppError::new(Class::Invalid, "invalid_address_file", error.text())
            .with_details(json!({ "problems": problems, "total": error.problems().len() }))
    }
}
