//! HTTP edge of zones: the zone set as GeoJSON, import, and point lookup.

use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::file::ZoneFileError;
use crate::app::AppState;
use crate::auth::extract::{AdminUser, CoordinatorUser, CurrentUser};
use crate::error::{AppError, ErrorBody};
use crate::events::Actor;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(zones)).routes(routes!(import_zones)).routes(routes!(locate))
}

/// The zones as a GeoJSON FeatureCollection.
#[utoipa::path(get, path = "/api/zones", tag = "zones", responses((status = 200, description = "GeoJSON FeatureCollection")))]
async fn zones(State(state): State<AppState>, _who: CurrentUser) -> Json<Value> {
    let index = state.zones.current();
    let features: Vec<Value> = index
        .zones()
        .iter()
        .map(|z| {
            json!({ "type": "Feature", "properties": { "name": z.name, "code": z.code, "color": z.color }, "geometry": z.geometry })
        })
        .collect();
    Json(json!({ "type": "FeatureCollection", "features": features }))
}

/// Replace the zone set with a GeoJSON FeatureCollection (admin). Checked
/// first: any problem is a 422 listing every feature at fault, and nothing changes.
#[utoipa::path(post, path = "/api/zones/import", tag = "zones", request_body(content = String, content_type = "application/geo+json"),
    responses((status = 200, description = "how many zones were imported"), (status = 422, body = ErrorBody)))]
async fn import_zones(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    body: String,
) -> Result<Json<Value>, AppError> {
    let count =
        super::import(&state.db, &state.clock, &state.zones, &Actor::user(&user.username), &body, "api").await?;
    Ok(Json(json!({ "imported": count })))
}

#[derive(Deserialize, utoipa::IntoParams)]
struct Position {
    lat: f64,
    lon: f64,
}

#[derive(Serialize, utoipa::ToSchema)]
struct Located {
    /// None: the point is outside every zone (zone unknown).
    zone: Option<String>,
    code: Option<String>,
}

/// Which zone a map pin falls in.
#[utoipa::path(get, path = "/api/zones/locate", tag = "zones", params(Position), responses((status = 200, body = Located)))]
async fn locate(State(state): State<AppState>, _who: CoordinatorUser, Query(p): Query<Position>) -> Json<Located> {
    let index = state.zones.current();
    let zone = index.locate(p.lon, p.lat);
    Json(Located { zone: zone.map(|z| z.name.clone()), code: zone.and_then(|z| z.code.clone()) })
}

impl From<ZoneFileError> for AppError {
    fn from(error: ZoneFileError) -> AppError {
        let problems: Vec<Value> = match &error {
            ZoneFileError::Features(problems) => {
                problems.iter().map(|p| json!({ "index": p.index, "name": p.name, "message": p.text().ja })).collect()
            }
            _ => Vec::new(),
        };
        AppError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_zone_file", error.text())
            .with_details(json!({ "problems": problems }))
    }
}
