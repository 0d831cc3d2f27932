//! HTTP edge of needs. Coordinators and admins see whole need cards; any other
//! signed-in role sees [`NeedSummary`]s, without name, phone or address.

use axum::Json;
use axum::extract::{Path, Query};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::edit::{self, NeedPatch};
use super::export;
use super::filter::{self, FilterWords};
use super::form::NeedForm;
use super::intake::{self, Intake};
use super::model::{Category, Need, NeedSummary};
use super::store::{self, Filter};
use crate::auth::User;
use crate::auth::extract::{Allowed, Anyone, Coordinator};
use crate::auth::staff::{Answer, Created, Staff, created};
use crate::error::{ApiJson, AppError, ErrorBody};
use crate::i18n::Text;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(receive_need, list_needs))
        .routes(routes!(get_need, edit_need))
        .routes(routes!(needs_csv))
        .merge(super::card_http::router())
}

/// Name, phone and address are for coordinators and admins only.
pub fn sees_personal_data(user: &User) -> bool {
    Coordinator::admits(user.role)
}

/// ニーズ受付: a new need card. Likely duplicates (same phone, same address,
/// a pin within 30 m of an open need) are answered with 409 `possible_duplicate`
/// and `details.candidates`, nothing saved; send again with `force_new` or
/// with `duplicate_of`.
#[utoipa::path(post, path = "/api/needs", tag = "needs", request_body = NeedForm,
    responses((status = 201, body = Need), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn receive_need(staff: Staff<Coordinator>, ApiJson(form): ApiJson<NeedForm>) -> Created<Need> {
    let zones = staff.zones.current();
    match intake::receive(&staff.db, &staff.clock, &zones, &staff.actor, &*staff.intake, form).await? {
        Intake::Saved(need) => created(*need),
        Intake::LikelyDuplicates(candidates) => Err(intake::duplicates_found(candidates)),
    }
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
struct ListQuery {
    /// Comma-separated statuses, or `open` (all but 完了 and 取消).
    status: Option<String>,
    /// A zone's name; `-` for needs whose zone is unknown.
    zone: Option<String>,
    /// 1–3
    priority: Option<i64>,
    category: Option<Category>,
    /// Number, phone, or part of the name, furigana or address (coordinators).
    q: Option<String>,
    /// At most 2,000 (default 500).
    limit: Option<i64>,
    offset: Option<i64>,
}

impl ListQuery {
    fn filter(self, personal: bool) -> Result<Filter, AppError> {
        let ListQuery { status, zone, priority, category, q, limit, offset } = self;
        filter::parse(FilterWords { status, zone, priority, category, q, limit, offset }, personal)
    }
}

/// Whole cards for coordinators, summaries for everybody else.
#[derive(Serialize)]
#[serde(untagged)]
enum NeedList {
    Cards(Vec<Need>),
    Summaries(Vec<NeedSummary>),
}

/// `anyOf`, not `oneOf`: an empty list is a list of either kind.
impl utoipa::PartialSchema for NeedList {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{AnyOfBuilder, ArrayBuilder};
        let list = |name: &str| ArrayBuilder::new().items(utoipa::openapi::Ref::from_schema_name(name));
        AnyOfBuilder::new()
            .item(list("Need"))
            .item(list("NeedSummary"))
            .description(Some("Whole cards for coordinators, summaries for everybody else."))
            .into()
    }
}

impl utoipa::ToSchema for NeedList {
    fn schemas(schemas: &mut Vec<(String, utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>)>) {
        use utoipa::PartialSchema;
        Need::schemas(schemas);
        NeedSummary::schemas(schemas);
        schemas.push((Need::name().into(), Need::schema()));
        schemas.push((NeedSummary::name().into(), NeedSummary::schema()));
    }
}

/// One need as the caller may see it: [`Need`] or [`NeedSummary`] (a card
/// also has every field of a summary, so `anyOf`).
struct NeedOrSummary;

impl utoipa::PartialSchema for NeedOrSummary {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        crate::openapi::any_of(
            &["Need", "NeedSummary"],
            "The whole card for coordinators, a summary for everybody else.",
        )
    }
}

impl utoipa::ToSchema for NeedOrSummary {
    fn schemas(schemas: &mut Vec<(String, utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>)>) {
        NeedList::schemas(schemas);
    }
}

/// Needs by priority (1 first), then oldest first. `X-Total-Count` gives the
/// number matching before `limit`.
#[utoipa::path(get, path = "/api/needs", tag = "needs", params(ListQuery),
    responses((status = 200, body = NeedList), (status = 422, body = ErrorBody)))]
async fn list_needs(staff: Staff<Anyone>, Query(query): Query<ListQuery>) -> Result<Response, AppError> {
    let personal = sees_personal_data(&staff.user);
    let filter = query.filter(personal)?;
    let mut conn = staff.db.read.acquire().await?;
    let (needs, total) = store::list(&mut conn, &filter).await?;
    let list = if personal {
        NeedList::Cards(needs)
    } else {
        NeedList::Summaries(needs.iter().map(NeedSummary::from).collect())
    };
    let mut headers = HeaderMap::new();
    headers.insert("x-total-count", HeaderValue::from(total));
    Ok((headers, Json(list)).into_response())
}

fn not_found() -> AppError {
    AppError::not_found(Text::new("該当するニーズが見つかりません。", "No such need."))
}

/// One need: the whole card for coordinators, a summary for everybody else.
#[utoipa::path(get, path = "/api/needs/{id}", tag = "needs", params(("id" = i64, Path)),
    responses((status = 200, body = NeedOrSummary), (status = 404, body = ErrorBody)))]
async fn get_need(staff: Staff<Anyone>, Path(id): Path<i64>) -> Result<Response, AppError> {
    let need = store::need(&staff.db.read, id).await?.ok_or_else(not_found)?;
    Ok(if sees_personal_data(&staff.user) {
        Json(need).into_response()
    } else {
        Json(NeedSummary::from(&need)).into_response()
    })
}

/// Change a need: any card field, `status` (allowed moves only; `reason` to
/// cancel; `reopen` + `reason` for a closed need), `survey`, or `duplicate_of`.
/// Takes the `version` read: 409 `stale_version` when somebody saved first.
#[utoipa::path(patch, path = "/api/needs/{id}", tag = "needs", params(("id" = i64, Path)), request_body = NeedPatch,
    responses((status = 200, body = Need), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn edit_need(staff: Staff<Coordinator>, Path(id): Path<i64>, ApiJson(patch): ApiJson<NeedPatch>) -> Answer<Need> {
    let zones = staff.zones.current();
    Ok(Json(edit::edit(&staff.db, &staff.clock, &zones, &staff.actor, &*staff.teams_on_needs, id, patch).await?))
}

/// The need cards as CSV (UTF-8 with BOM; personal data), with the list's filters.
#[utoipa::path(get, path = "/api/needs.csv", tag = "needs", params(ListQuery),
    responses((status = 200, content_type = "text/csv")))]
async fn needs_csv(staff: Staff<Coordinator>, Query(query): Query<ListQuery>) -> Result<Response, AppError> {
    let mut filter = query.filter(true)?;
    filter.limit = i64::MAX;
    let mut conn = staff.db.read.acquire().await?;
    let (needs, _) = store::list(&mut conn, &filter).await?;
    let now = staff.clock.now();
    Ok(crate::web::csv_download(&export::file_name(now), export::csv(&needs)))
}
