//! The OpenAPI document at `/api/openapi.json`. Paths come from the domains'
//! `#[utoipa::path]` handlers as they are routed (see `app::router`).

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use utoipa::OpenApi;
use utoipa::openapi::path::Operation;
use utoipa::openapi::schema::{AnyOfBuilder, Schema};
use utoipa::openapi::{Ref, RefOr, ResponseBuilder};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "borasen API",
        description = "災害ボランティアセンター運営システム borasen の API。エラーは `{\"error\":{\"code\",\"message\",\"field\"}}`、`Accept-Language: ja` で日本語。書き込みに `Idempotency-Key`（英数字・`-`・`_` で8〜100文字）を付けると、再送しても一度だけ処理され、同じ応答が `Idempotent-Replayed: true` 付きで返る。/ A write sent with an `Idempotency-Key` (8–100 letters, digits, `-`, `_`) is applied once; a copy gets the first answer, marked `Idempotent-Replayed: true`.",
    ),
    components(schemas(crate::error::ErrorBody, crate::events::Event, AlreadyApplied)),
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
        (name = "settings", description = "センターの設定 / the center's settings"),
        (name = "meta", description = "API の説明 / this document"),
    )
)]
struct ApiDoc;

pub fn base() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// The finished document as served, once every domain's paths are merged in:
/// any status an operation does not list is an [`ErrorBody`](crate::error::ErrorBody)
/// (401 without a session, 403 for the wrong role, 413, 429, 500 …).
pub fn render(mut doc: utoipa::openapi::OpenApi) -> String {
    let error = ResponseBuilder::new()
        .description("エラー / any other answer is an error")
        .content(
            "application/json",
            utoipa::openapi::ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build(),
        )
        .build();
    for item in doc.paths.paths.values_mut() {
        for operation in operations(item) {
            operation.responses.responses.entry("default".to_string()).or_insert_with(|| error.clone().into());
        }
        for operation in [&mut item.post, &mut item.put, &mut item.patch, &mut item.delete].into_iter().flatten() {
            may_answer_already_applied(operation);
        }
    }
    if let Some(components) = doc.components.as_mut() {
        for (name, exactly_one, choices) in CHOICES {
            let schema = components.schemas.remove(*name).expect("CHOICES names a schema of the document");
            components.schemas.insert(name.to_string(), with_choice(schema, *exactly_one, choices));
        }
    }
    doc.to_pretty_json().expect("the OpenAPI document serialises")
}

/// A write sent with an `Idempotency-Key` that was applied but whose answer was
/// lost (a crash between the two) is answered `200 {"already_applied": true}`
/// on every copy. (The header itself is described in the document's info, not
/// as a parameter of each write: schemathesis would fuzz it on every write.)
struct AlreadyApplied;

impl utoipa::PartialSchema for AlreadyApplied {
    fn schema() -> RefOr<Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .property("already_applied", ObjectBuilder::new().schema_type(Type::Boolean).enum_values(Some([true])))
            .required("already_applied")
            .description(Some(
                "この書き込みは適用済み（最初の応答は失われた）/ applied once already; its first answer was lost",
            ))
            .into()
    }
}

impl utoipa::ToSchema for AlreadyApplied {}

fn may_answer_already_applied(operation: &mut Operation) {
    use utoipa::openapi::ContentBuilder;
    let replay: RefOr<Schema> = Ref::from_schema_name(<AlreadyApplied as utoipa::ToSchema>::name()).into();
    let ok = operation.responses.responses.entry("200".to_string()).or_insert_with(|| {
        ResponseBuilder::new().description("適用済みの再送 / a copy of a write already applied").build().into()
    });
    let RefOr::T(ok) = ok else { return };
    let content = ok.content.entry("application/json".to_string()).or_insert_with(|| ContentBuilder::new().build());
    content.schema = Some(match content.schema.take() {
        None => replay,
        Some(answer) => AnyOfBuilder::new().item(answer).item(replay).into(),
    });
}

/// Bodies that need one of several fields, which a struct's derived schema
/// cannot say: (schema, exactly one?, the sets of fields to choose from).
const CHOICES: &[(&str, bool, &[&[&str]])] = &[
    // The volunteer, by exactly one of: the badge's QR, the number, the id.
    ("CheckInInput", true, &[&["qr_token"], &["volunteer_id"], &["volunteer_no"]]),
    // The need by id or number, or a zone with a head count.
    ("TeamForm", false, &[&["need_id"], &["need_no"], &["zone", "headcount"]]),
];

fn with_choice(schema: RefOr<Schema>, exactly_one: bool, choices: &[&[&str]]) -> RefOr<Schema> {
    use utoipa::openapi::schema::{AllOfBuilder, ObjectBuilder, OneOfBuilder};
    let sets = choices
        .iter()
        .map(|fields| fields.iter().fold(ObjectBuilder::new(), |set, field| set.required(*field)).build());
    let choice: Schema = if exactly_one {
        sets.fold(OneOfBuilder::new(), |one, set| one.item(set)).into()
    } else {
        sets.fold(AnyOfBuilder::new(), |any, set| any.item(set)).into()
    };
    AllOfBuilder::new().item(schema).item(choice).into()
}

fn operations(item: &mut utoipa::openapi::PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        &mut item.get,
        &mut item.put,
        &mut item.post,
        &mut item.delete,
        &mut item.options,
        &mut item.head,
        &mut item.patch,
        &mut item.trace,
    ]
    .into_iter()
    .filter_map(Option::as_mut)
}

/// A body that is one of these schemas, where one body may fit several (an
/// empty list is a list of either kind): `anyOf`, as `oneOf` would refuse it.
pub fn any_of(names: &[&str], description: &str) -> RefOr<Schema> {
    names
        .iter()
        .fold(AnyOfBuilder::new(), |any, name| any.item(Ref::from_schema_name(*name)))
        .description(Some(description))
        .into()
}

/// serde's `skip_serializing_if` for a field the server reads from a request
/// but never writes out. Unlike `skip_serializing`, utoipa still documents it.
pub fn never<T>(_: &T) -> bool {
    true
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(openapi_json))
}

/// This document.
#[utoipa::path(get, path = "/api/openapi.json", tag = "meta",
    responses((status = 200, description = "OpenAPI 3.1", body = Object, content_type = "application/json")))]
async fn openapi_json(State(state): State<AppState>) -> impl IntoResponse {
    let body = state.openapi_json.get().cloned().unwrap_or_default();
    ([(header::CONTENT_TYPE, "application/json")], body)
}
