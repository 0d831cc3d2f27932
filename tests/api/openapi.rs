//! The OpenAPI document lists every `/api` route the router has, and every
//! route it lists is really routed.

use serde_json::Value;

use crate::helpers::spawn_app;

fn documented(doc: &Value) -> Vec<(String, String)> {
    let mut operations = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            if ["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                operations.push((method.to_uppercase(), path.clone()));
            }
        }
    }
    operations.sort();
    operations
}

#[tokio::test]
async fn every_documented_operation_is_routed_and_the_known_ones_are_documented() {
    let app = spawn_app().await;
    let doc: Value = reqwest::get(app.url("/api/openapi.json")).await.unwrap().json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let operations = documented(&doc);

    for (method, path) in [
        ("POST", "/api/session"),
        ("GET", "/api/session"),
        ("DELETE", "/api/session"),
        ("GET", "/api/users"),
        ("POST", "/api/users"),
        ("GET", "/api/board"),
        ("POST", "/api/board/notices"),
        ("GET", "/api/board/notices/{id}"),
        ("GET", "/api/openapi.json"),
    ] {
        assert!(operations.contains(&(method.to_string(), path.to_string())), "{method} {path} documented");
    }

    let client = reqwest::Client::new();
    for (method, path) in &operations {
        let url = app.url(&path.replace("{id}", "1"));
        let response = client
            .request(method.parse().unwrap(), url)
            .header("content-type", "application/json")
            .body("{}")
            .send()
            .await
            .unwrap();
        assert_ne!(response.status(), 405, "{method} {path} is routed for its method");
        if response.status() == 404 {
            let body: Value = response.json().await.unwrap();
            assert_ne!(body["error"]["code"], "no_route", "{method} {path} is routed");
        }
    }
}

/// The router cannot be listed at run time, so the other direction is held by
/// construction: `/api` routes are added only through `utoipa_axum::routes!`,
/// which documents what it routes. This guards that rule.
#[test]
fn no_api_route_is_added_around_the_openapi_router() {
    let mut offenders = Vec::new();
    let mut stack = vec![std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/src"))];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for line in text.lines() {
                    let adds_routes =
                        [".route(", ".nest(", ".route_service(", ".nest_service("].iter().any(|m| line.contains(m));
                    if adds_routes && line.contains("/api") {
                        offenders.push(format!("{}: {}", path.display(), line.trim()));
                    }
                }
            }
        }
    }
    assert!(offenders.is_empty(), "plain axum /api routes bypass the OpenAPI document: {offenders:?}");
}

#[tokio::test]
async fn an_unknown_api_path_is_a_json_404() {
    let app = spawn_app().await;
    let response = reqwest::get(app.url("/api/no-such-thing")).await.unwrap();
    assert_eq!(response.status(), 404);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "no_route");
}

/// The path parameters each operation declares are exactly the `{name}`s of its
/// path: a client generated from the document (or schemathesis) cannot call an
/// operation whose path it cannot fill, nor send a query parameter as a path one.
#[tokio::test]
async fn path_parameters_match_the_path_template() {
    let app = spawn_app().await;
    let doc: Value = reqwest::get(app.url("/api/openapi.json")).await.unwrap().json().await.unwrap();
    let mut wrong = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        let mut template: Vec<&str> =
            path.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name)).collect();
        template.sort();
        for (method, operation) in item.as_object().unwrap() {
            let mut declared: Vec<&str> = operation["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|p| p["in"] == "path")
                .filter_map(|p| p["name"].as_str())
                .collect();
            declared.sort();
            let operation = format!("{method} {path}");
            if declared != template {
                wrong.push(format!("{operation}: declares {declared:?}"));
            }
        }
    }
    assert!(wrong.is_empty(), "path parameters that do not match their path: {wrong:?}");
}
