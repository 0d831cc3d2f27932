//! HTTP edge of zones: the zone set as GeoJSON, import, and point lookup.

use axum::Json;
use axum::extract::{DefaultBodyLimit, Query};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::file::ZoneFileError;
use crate::auth::extract::{Admin, Anyone, Coordinator};
use crate::auth::staff::{Answer, Staff};
use crate::error::{AppError, Class, ErrorBody};
use crate::state::AppState;

/// A zone file at the vertex cap is about 8 MB of GeoJSON; axum's default
/// body limit (2 MB) would refuse it before the check could say why.
const IMPORT_BODY_LIMIT: usize = 32 * 1024 * 1024;

pub fn router() -> OpenApiRouter<AppState> {
    let import = OpenApiRouter::new().routes(routes!(import_zones)).layer(DefaultBodyLimit::max(IMPORT_BODY_LIMIT));
    OpenApiRouter::new().routes(routes!(zones)).merge(import).routes(routes!(locate))
}

/// The answer of `GET /api/zones`, built with `json!`: a GeoJSON
/// FeatureCollection whose features carry the zone's name, code and colour.
struct ZoneCollection;

impl utoipa::PartialSchema for ZoneCollection {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, SchemaType, Type};
        let text = || ObjectBuilder::new().schema_type(Type::String);
        let named = |name: &str| text().enum_values(Some([name]));
        let properties = ObjectBuilder::new()
            .property("name", text())
            .property("code", ObjectBuilder::new().schema_type(SchemaType::from_iter([Type::String, Type::Null])))
            .property("color", ObjectBuilder::new().schema_type(SchemaType::from_iter([Type::String, Type::Null])))
            .required("name");
        let feature = ObjectBuilder::new()
            .property("type", named("Feature"))
            .property("properties", properties)
            .property("geometry", ObjectBuilder::new().schema_type(Type::Object))
            .required("type")
            .required("properties")
            .required("geometry");
        ObjectBuilder::new()
            .property("type", named("FeatureCollection"))
            .property("features", ArrayBuilder::new().items(feature))
            .required("type")
            .required("features")
            .description(Some("GeoJSON FeatureCollection: one feature per zone."))
            .into()
    }
}

impl utoipa::ToSchema for ZoneCollection {}

/// The answer of `POST /api/zones/import`, built with `json!`.
struct ZonesImported;

impl utoipa::PartialSchema for ZonesImported {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .property("imported", ObjectBuilder::new().schema_type(Type::Integer).description(Some("zones imported")))
            .required("imported")
            .into()
    }
}

impl utoipa::ToSchema for ZonesImported {}

/// The zones as a GeoJSON FeatureCollection.
#[utoipa::path(get, path = "/api/zones", tag = "zones", responses((status = 200, body = ZoneCollection)))]
async fn zones(staff: Staff<Anyone>) -> Json<Value> {
    let index = staff.zones.current();
    let features: Vec<Value> = index
        .zones()
        .iter()
        .map(|z| {
            json!({ "type": "Feature", "properties": { "name": z.name, "code": z.code, "color": z.color }, "geometry": z.geometry })
        })
        .collect();
    Json(json!({ "type": "FeatureCollection", "features": features }))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct ImportParams {
    /// Replace even though zones with open needs or teams out would be dropped.
    #[serde(default)]
    confirm: bool,
    /// The property holding each zone's name (default `name`), e.g. `S_NAME`, `N03_004`.
    name_property: Option<String>,
}

/// Replace the zone set with a GeoJSON FeatureCollection (admin). The body is
/// the file itself, so the confirmation is a query parameter. Checked first: any
/// problem (no feature at all, too many vertices, a bad feature) is a 422 listing
/// every feature at fault, and nothing changes. Dropping a zone that has open
/// needs or teams out is a 409 `zones_in_use` naming each, unless `?confirm=true`.
#[utoipa::path(post, path = "/api/zones/import", tag = "zones", params(ImportParams),
    request_body(content = String, content_type = "application/geo+json"),
    responses((status = 200, body = ZonesImported, description = "how many zones were imported"), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn import_zones(staff: Staff<Admin>, Query(params): Query<ImportParams>, body: String) -> Answer<Value> {
    let name_property =
        params.name_property.filter(|key| !key.is_empty()).unwrap_or(super::DEFAULT_NAME_PROPERTY.into());
    let upload = super::Upload { text: body, name_property, source: "api".into(), confirmed: params.confirm };
    let count = super::import(&staff.db, &staff.clock, &staff.zones, &staff.actor, upload).await?;
    Ok(Json(json!({ "imported": count })))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
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
async fn locate(staff: Staff<Coordinator>, Query(p): Query<Position>) -> Json<Located> {
    let index = staff.zones.current();
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
        let mut details = json!({ "problems": problems });
        if let ZoneFileError::NoNames { property, keys } = &error {
            details["property"] = json!(property);
            details["keys"] = json!(keys);
        }
        if let ZoneFileError::TooManyVertices { total, limit, largest } = &error {
            details["vertices"] = json!(total);
            details["limit"] = json!(limit);
            details["largest"] =
                largest.iter().map(|f| json!({ "index": f.index, "name": f.name, "vertices": f.vertices })).collect();
        }
        AppError::new(Class::Invalid, "invalid_zone_file", error.text()).with_details(details)
    }
}
