//! The OpenAPI document tells a client the truth: it is valid OpenAPI 3.1, no
//! two types share a schema name, and a body of the required fields alone
//! (values made from the schema) is accepted by every write. That every answer
//! fits its schema is checked on every response the tests get (`contract`).

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::contract::{Contract, contract};
use crate::drill_run::drill_in;
use crate::helpers::{Session, TestApp, spawn_app_with};

const META_SCHEMA: &str = include_str!("../fixtures/openapi/oas-3.1-schema-2022-10-07.json");

async fn served(app: &TestApp) -> Value {
    reqwest::get(app.url("/api/openapi.json")).await.unwrap().json().await.unwrap()
}

#[tokio::test]
async fn the_document_is_valid_openapi_3_1_and_every_schema_compiles() {
    let app = spawn_app_with(|_| {}).await;
    let doc = served(&app).await;
    let meta: Value = serde_json::from_str(META_SCHEMA).unwrap();
    let validator = jsonschema::validator_for(&meta).expect("the OpenAPI 3.1 meta-schema compiles");
    let errors: Vec<String> = validator.iter_errors(&doc).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "the document is not valid OpenAPI 3.1: {errors:#?}");
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));

    // The meta-schema checks the document's shape; each schema is a JSON Schema too.
    let contract = Contract::new(doc.clone());
    for name in doc["components"]["schemas"].as_object().unwrap().keys() {
        contract.validator(name, &json!({ "$ref": format!("#/components/schemas/{name}") })).unwrap();
    }
}

/// utoipa keys schemas by name, so a second type of the same name silently
/// replaces the first wherever either is used. Every `ToSchema` type in the
/// source is listed with the name it registers under (`#[schema(as = …)]` or
/// its own); the names must differ, and the document may hold no name the
/// listing missed (so the listing cannot go blind).
#[tokio::test]
async fn no_two_types_share_a_schema_name() {
    let mut names: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for file in rust_files(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src"))) {
        let text = std::fs::read_to_string(&file).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            if let Some((name, at)) = schema_type_at(&lines, i, line) {
                names.entry(name).or_default().push(format!("{}:{}", file.display(), at + 1));
            }
        }
    }
    let shared: Vec<_> = names.iter().filter(|(_, types)| types.len() > 1).collect();
    assert!(shared.is_empty(), "types that register under one schema name: {shared:#?}");

    let app = spawn_app_with(|_| {}).await;
    let doc = served(&app).await;
    let unlisted: Vec<&String> =
        doc["components"]["schemas"].as_object().unwrap().keys().filter(|name| !names.contains_key(*name)).collect();
    assert!(unlisted.is_empty(), "schemas this test could not find the type of: {unlisted:?}");
}

fn rust_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

/// At a `#[derive(… ToSchema …)]` line: the schema name of the type it
/// derives for, and the line of that type. At an `impl … ToSchema for T`
/// written by hand: `T` (those keep the type's own name).
fn schema_type_at(lines: &[&str], i: usize, line: &str) -> Option<(String, usize)> {
    if let Some(rest) = line.strip_prefix("impl utoipa::ToSchema for ").or(line.strip_prefix("impl ToSchema for ")) {
        let ident: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        return Some((ident, i));
    }
    let derive = line.trim_start().strip_prefix("#[derive(")?;
    if !derive.split([',', ')', ' ']).any(|d| d == "ToSchema" || d == "utoipa::ToSchema") {
        return None;
    }
    let mut renamed = None;
    for (at, line) in lines.iter().enumerate().skip(i + 1) {
        let line = line.trim();
        if line.starts_with("#[schema(")
            && let Some(rest) = line.split("as = ").nth(1)
        {
            let path: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':').collect();
            renamed = Some(path.replace("::", "."));
        }
        let declared = line.split_whitespace().skip_while(|w| !matches!(*w, "struct" | "enum")).nth(1);
        if let Some(ident) = declared {
            let ident: String = ident.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            return Some((renamed.unwrap_or(ident), at));
        }
    }
    None
}

/// A value for `schema` made from the schema alone: its example, its first
/// enum value, or the smallest value its type and bounds allow; an object gets
/// its required properties only. `given` supplies what must name existing
/// records (ids, versions, credentials), by property name.
fn required_only(contract: &Contract, schema: &Value, given: &Map<String, Value>) -> Value {
    let schema = contract.resolve(schema);
    if let Some(example) = schema.get("example").or_else(|| schema["examples"].get(0)) {
        return example.clone();
    }
    if let Some(first) = schema["enum"].get(0).or_else(|| schema.get("const")) {
        return first.clone();
    }
    if let Some(parts) = schema["allOf"].as_array() {
        let mut merged = Map::new();
        for part in parts {
            if let Value::Object(fields) = required_only(contract, part, given) {
                merged.extend(fields);
            }
        }
        return Value::Object(merged);
    }
    if let Some(choices) = schema["oneOf"].as_array().or(schema["anyOf"].as_array()) {
        let not_null: Vec<&Value> = choices.iter().filter(|c| c["type"] != "null").collect();
        // A choice of which fields to send: the first one the caller can fill.
        let fillable = not_null.iter().find(|c| {
            c["required"]
                .as_array()
                .is_some_and(|fields| fields.iter().all(|f| given.contains_key(f.as_str().unwrap())))
        });
        return required_only(contract, fillable.or(not_null.first()).expect("a choice"), given);
    }
    let kind = match &schema["type"] {
        Value::Array(kinds) => kinds.iter().find(|k| *k != "null").cloned().unwrap_or(Value::Null),
        kind => kind.clone(),
    };
    match kind.as_str() {
        Some("object") | None if schema["properties"].is_object() || schema["required"].is_array() => {
            let mut body = Map::new();
            for field in schema["required"].as_array().into_iter().flatten() {
                let field = field.as_str().unwrap();
                let value = match given.get(field) {
                    Some(value) => value.clone(),
                    None => required_only(contract, &schema["properties"][field], given),
                };
                body.insert(field.to_string(), value);
            }
            Value::Object(body)
        }
        Some("array") => {
            let least = schema["minItems"].as_u64().unwrap_or(0);
            Value::Array((0..least).map(|_| required_only(contract, &schema["items"], given)).collect())
        }
        Some("string") => match schema["format"].as_str() {
            // The center's day (+09:00), not the machine's: they differ around midnight.
            Some("date") => json!(
                chrono::Utc::now()
                    .with_timezone(&chrono::FixedOffset::east_opt(borasen::clock::JST_SECONDS).unwrap())
                    .date_naive()
                    .to_string()
            ),
            Some("date-time") => json!(chrono::Local::now().to_rfc3339()),
            _ => json!("テスト"),
        },
        Some("integer" | "number") => schema["minimum"].as_i64().map_or(json!(1), |least| json!(least.max(1))),
        Some("boolean") => json!(true),
        _ => json!({}),
    }
}

/// Sends the body of the required fields alone to `method path` (with `given`
/// filling the references) and returns the status and the answer.
async fn write(session: &Session, method: &str, template: &str, path: &str, given: Value) -> (u16, Value) {
    let contract = contract(session.base()).await;
    let operation = &contract.doc["paths"][template][method.to_lowercase()];
    let schema = &operation["requestBody"]["content"]["application/json"]["schema"];
    let given = given.as_object().cloned().unwrap_or_default();
    let body = if schema.is_null() { json!({}) } else { required_only(contract, schema, &given) };
    let response = match method {
        "POST" => session.post(path, &body).await,
        "PATCH" => session.patch(path, &body).await,
        "PUT" => session.put(path, &body).await,
        _ => unreachable!("{method}"),
    };
    let status = response.status().as_u16();
    let answer = response.json().await.unwrap_or(Value::Null);
    assert!(
        (200..300).contains(&status),
        "{method} {path} refused the required fields alone {body}: {status} {answer}"
    );
    (status, answer)
}

/// The writes of a live center, in an order that makes what each refers to.
/// The bodies that are files (GeoJSON zones, address CSV) are not JSON
/// objects and have no required fields: they are left out.
const LIVE_WRITES: &[&str] = &[
    "POST /api/session",
    "POST /api/users",
    "POST /api/users/{id}/password",
    "POST /api/users/{id}/disable",
    "POST /api/users/{id}/enable",
    "POST /api/board/notices",
    "PUT /api/capacity/{day}",
    "POST /api/public/registrations",
    "POST /api/volunteers",
    "POST /api/checkins",
    "POST /api/volunteers/{id}/insurance",
    "POST /api/items",
    "PATCH /api/items/{id}",
    "POST /api/items/{id}/receive",
    "POST /api/items/{id}/writeoff",
    "POST /api/items/{id}/adjust",
    "POST /api/needs",
    "PATCH /api/needs/{id}",
    "POST /api/teams",
    "POST /api/teams/{id}/return",
    "POST /api/teams/{id}/headcount/resolve",
    "PUT /api/reports/daily/remarks",
    "POST /api/center/suspend",
    "POST /api/center/resume",
    "POST /api/checkouts",
    "POST /api/checkins/cancel",
    "PUT /api/settings",
    "PUT /api/hub/link",
    "POST /api/hub/sync",
    "POST /api/closing",
    "POST /api/safety/wbgt",
    "POST /api/safety/alerts",
    "POST /api/safety/alerts/{id}/decision",
];

const FILE_BODIES: &[&str] = &["POST /api/zones/import", "POST /api/addresses/import"];

const DRILL_WRITES: &[&str] = &[
    "POST /api/drill/start",
    "POST /api/drill/speed",
    "POST /api/drill/pause",
    "POST /api/drill/resume",
    "POST /api/drill/injects/{id}/fire",
    "POST /api/drill/injects/{id}/skip",
    "POST /api/drill/observations",
    "POST /api/drill/ratings",
    "POST /api/drill/plan",
    "POST /api/drill/stop",
    "POST /api/drill/new",
    "POST /api/drill/expects/{id}/mark",
    "POST /api/drill/findings",
    "POST /api/drill/injects/{id}/unskip",
    "POST /api/drill/injects/{id}/refire",
    "POST /api/drill/adhoc",
    "POST /api/drill/inquiries/{id}/answer",
];

#[tokio::test]
async fn every_write_is_listed_here_so_none_escapes_the_required_fields_check() {
    let app = spawn_app_with(|_| {}).await;
    let doc = served(&app).await;
    let mut writes = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys().filter(|m| ["post", "put", "patch"].contains(&m.as_str())) {
            writes.push(format!("{} {path}", method.to_uppercase()));
        }
    }
    let listed: Vec<&str> = LIVE_WRITES.iter().chain(FILE_BODIES).chain(DRILL_WRITES).copied().collect();
    let unlisted: Vec<&String> = writes.iter().filter(|w| !listed.contains(&w.as_str())).collect();
    assert!(unlisted.is_empty(), "writes the required-fields test does not send: {unlisted:?}");
    assert_eq!(writes.len(), listed.len(), "every listed write exists");
}

#[tokio::test]
async fn a_live_center_accepts_every_write_made_of_the_required_fields_alone() {
    let app = spawn_app_with(|c| {
        c.demo = true;
        c.demo_password = Some("demo-pass-2026".into());
    })
    .await;
    let admin = app.admin().await;
    let today = app.state.clock.activity_day().to_string();
    let mut done = Vec::new();
    let mut send = async |method: &str, template: &str, path: &str, given: Value| {
        done.push(format!("{method} {template}"));
        write(&admin, method, template, path, given).await.1
    };

    send(
        "POST",
        "/api/session",
        "/api/session",
        json!({ "username": "admin", "password": crate::helpers::ADMIN_PASSWORD }),
    )
    .await;
    let user = send("POST", "/api/users", "/api/users", json!({})).await;
    let path = format!("/api/users/{}", user["id"]);
    send("POST", "/api/users/{id}/password", &format!("{path}/password"), json!({})).await;
    send("POST", "/api/users/{id}/disable", &format!("{path}/disable"), json!({})).await;
    send("POST", "/api/users/{id}/enable", &format!("{path}/enable"), json!({})).await;
    let notice = send("POST", "/api/board/notices", "/api/board/notices", json!({})).await;
    send("PUT", "/api/capacity/{day}", &format!("/api/capacity/{today}"), json!({})).await;
    let receipt = send("POST", "/api/public/registrations", "/api/public/registrations", json!({})).await;
    // The public form's name and phone again: the desk must say it is somebody else.
    let walk_in = send("POST", "/api/volunteers", "/api/volunteers", json!({ "phone": "080-1111-2222" })).await;
    let volunteer = walk_in["id"].clone();
    send("POST", "/api/checkins", "/api/checkins", json!({ "volunteer_id": volunteer })).await;
    send("POST", "/api/volunteers/{id}/insurance", &format!("/api/volunteers/{volunteer}/insurance"), json!({})).await;

    let item = send("POST", "/api/items", "/api/items", json!({})).await;
    let path = format!("/api/items/{}", item["id"]);
    send("PATCH", "/api/items/{id}", &path, json!({ "version": item["version"] })).await;
    send("POST", "/api/items/{id}/receive", &format!("{path}/receive"), json!({})).await;
    send("POST", "/api/items/{id}/writeoff", &format!("{path}/writeoff"), json!({})).await;
    send("POST", "/api/items/{id}/adjust", &format!("{path}/adjust"), json!({})).await;

    let need = send("POST", "/api/needs", "/api/needs", json!({})).await;
    let path = format!("/api/needs/{}", need["id"]);
    let need = send("PATCH", "/api/needs/{id}", &path, json!({ "version": need["version"] })).await;

    let team =
        send("POST", "/api/teams", "/api/teams", json!({ "need_id": need["id"], "member_ids": [volunteer] })).await;
    let path = format!("/api/teams/{}/return", team["id"]);
    send("POST", "/api/teams/{id}/return", &path, json!({ "version": team["version"] })).await;
    // A second team back short of its one member: the alert to resolve.
    let other = send("POST", "/api/needs", "/api/needs", json!({ "address": "金沢市香林坊2-9" })).await;
    let short =
        send("POST", "/api/teams", "/api/teams", json!({ "need_id": other["id"], "member_ids": [volunteer] })).await;
    let back = json!({ "version": short["version"], "outcome": "done", "back": 0 });
    assert_eq!(admin.post(&format!("/api/teams/{}/return", short["id"]), &back).await.status(), 200);
    let path = format!("/api/teams/{}/headcount/resolve", short["id"]);
    send("POST", "/api/teams/{id}/headcount/resolve", &path, json!({})).await;
    let remarks = json!({ "date": today, "version": 0 });
    send("PUT", "/api/reports/daily/remarks", "/api/reports/daily/remarks", remarks).await;
    send("POST", "/api/center/suspend", "/api/center/suspend", json!({})).await;
    send("POST", "/api/center/resume", "/api/center/resume", json!({})).await;
    send("POST", "/api/checkouts", "/api/checkouts", json!({ "volunteer_id": volunteer })).await;

    let second = send("POST", "/api/volunteers", "/api/volunteers", json!({ "phone": "080-3333-4444" })).await;
    let second = json!({ "volunteer_id": second["id"] });
    send("POST", "/api/checkins", "/api/checkins", second.clone()).await;
    send("POST", "/api/checkins/cancel", "/api/checkins/cancel", second).await;
    send("PUT", "/api/settings", "/api/settings", json!({ "version": 0 })).await;
    // A hub nobody answers at (the sync runs in the background and fails there), then the link off again.
    // The key is not required: a held one is kept.
    let hub = json!({ "url": "http://127.0.0.1:9", "key": "ab".repeat(32) });
    assert_eq!(admin.put("/api/hub/link", &hub).await.status(), 200);
    send("PUT", "/api/hub/link", "/api/hub/link", json!({ "url": "http://127.0.0.1:9" })).await;
    send("POST", "/api/hub/sync", "/api/hub/sync", json!({})).await;
    send("PUT", "/api/hub/link", "/api/hub/link", json!({ "url": "" })).await;
    send("POST", "/api/closing", "/api/closing", json!({})).await;
    send("POST", "/api/safety/wbgt", "/api/safety/wbgt", json!({})).await;
    let alert = send("POST", "/api/safety/alerts", "/api/safety/alerts", json!({ "kind": "heavy_rain" })).await;
    let path = format!("/api/safety/alerts/{}/decision", alert["id"]);
    send("POST", "/api/safety/alerts/{id}/decision", &path, json!({ "decision": "suspend" })).await;

    for write in LIVE_WRITES {
        assert!(done.iter().any(|d| d == write), "{write} was sent");
    }

    // The reads no other test makes through a checked session: their answers too.
    for path in [
        format!("/api/board/notices/{}", notice["id"]),
        format!("/api/board/chart.svg?date={today}"),
        "/api/capacity".to_string(),
        "/api/public/days".to_string(),
        format!("/api/public/registrations/{}/badge.pdf", receipt["qr_token"].as_str().unwrap()),
        format!("/api/volunteers/{volunteer}"),
        "/api/items/out".to_string(),
        "/api/lobby".to_string(),
        "/api/safety".to_string(),
    ] {
        let response = admin.get(&path).await;
        assert_eq!(response.status(), 200, "GET {path}");
    }
}

#[tokio::test]
async fn a_drill_server_accepts_every_write_made_of_the_required_fields_alone() {
    let drill = drill_in(None).await;
    let trainer = &drill.trainer;
    let mut done = Vec::new();
    let mut send = async |template: &str, path: &str, given: Value| {
        done.push(format!("POST {template}"));
        write(trainer, "POST", template, path, given).await.1
    };
    send("/api/drill/start", "/api/drill/start", json!({})).await;
    send("/api/drill/speed", "/api/drill/speed", json!({})).await;
    send("/api/drill/pause", "/api/drill/pause", json!({})).await;
    let view = send("/api/drill/resume", "/api/drill/resume", json!({})).await;
    let injects: Vec<&Value> =
        view["injects"].as_array().unwrap().iter().filter(|i| i["status"] == "pending").collect();
    send("/api/drill/injects/{id}/fire", &format!("/api/drill/injects/{}/fire", injects[0]["id"]), json!({})).await;
    send("/api/drill/injects/{id}/skip", &format!("/api/drill/injects/{}/skip", injects[1]["id"]), json!({})).await;
    send("/api/drill/observations", "/api/drill/observations", json!({})).await;
    let objective = view["objectives"][0]["id"].clone();
    send("/api/drill/ratings", "/api/drill/ratings", json!({ "objective": objective })).await;
    send("/api/drill/plan", "/api/drill/plan", json!({})).await;
    send("/api/drill/stop", "/api/drill/stop", json!({})).await;
    for path in ["/api/drill/aar.json", "/api/drill/aar.pdf", "/api/drill/inbox?since=0"] {
        assert_eq!(trainer.get(path).await.status(), 200, "GET {path}");
    }
    let scenarios: Value = trainer.get("/api/drill/scenarios").await.json().await.unwrap();
    send("/api/drill/new", "/api/drill/new", json!({ "file": scenarios[0]["file"] })).await;

    // The evaluator's, the controller's and a player's writes, on a drill with what they need.
    let other = crate::drill_evaluator::eval_drill().await;
    assert_eq!(other.trainer.post("/api/drill/start", &json!({})).await.status(), 200);
    other.advance(16).await;
    assert_eq!(other.trainer.post("/api/drill/injects/4/skip", &json!({})).await.status(), 200);
    for (who, template, path, given) in [
        (&other.evaluator, "/api/drill/expects/{id}/mark", "/api/drill/expects/3/mark", json!({})),
        (&other.evaluator, "/api/drill/findings", "/api/drill/findings", json!({ "objective": "O1" })),
        (&other.trainer, "/api/drill/injects/{id}/unskip", "/api/drill/injects/4/unskip", json!({})),
        (&other.trainer, "/api/drill/injects/{id}/refire", "/api/drill/injects/3/refire", json!({})),
        (&other.trainer, "/api/drill/adhoc", "/api/drill/adhoc", json!({})),
        (&other.reception, "/api/drill/inquiries/{id}/answer", "/api/drill/inquiries/2/answer", json!({})),
    ] {
        done.push(format!("POST {template}"));
        write(who, "POST", template, path, given).await;
    }

    for write in DRILL_WRITES {
        assert!(done.iter().any(|d| d == write), "{write} was sent");
    }
}
