//! Every response the tests get through [`crate::helpers::Session`] (and the
//! login helper) is checked against the OpenAPI document the server serves:
//! the operation found by method and path template, the status listed (or
//! `default`), the content type, and a JSON body against its schema. A body
//! the document does not describe fails the test that received it.
//!
//! Paths the document does not list (pages, assets, an unknown `/api` path)
//! are not checked. Set `OPENAPI_COVERAGE_LOG=FILE` to append one line per
//! checked response (`METHOD TEMPLATE STATUS`), to count what a run covered.

use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Mutex};

use jsonschema::Validator;
use serde_json::{Value, json};
use tokio::sync::OnceCell;

use crate::helpers::TestApp;

/// The served document, read once per test binary (every server serves the same one).
static CONTRACT: OnceCell<Contract> = OnceCell::const_new();

pub struct Contract {
    pub doc: Value,
    operations: Vec<Operation>,
    validators: Mutex<HashMap<String, Arc<Validator>>>,
}

struct Operation {
    method: String,
    template: String,
    segments: Vec<String>,
}

/// The document, fetched from the server at `base` the first time.
pub async fn contract(base: &str) -> &'static Contract {
    CONTRACT
        .get_or_init(|| async {
            let doc: Value = reqwest::get(format!("{base}/api/openapi.json"))
                .await
                .expect("the OpenAPI document is served")
                .json()
                .await
                .expect("the OpenAPI document is JSON");
            Contract::new(doc)
        })
        .await
}

impl Contract {
    pub fn new(doc: Value) -> Contract {
        let mut operations = Vec::new();
        for (template, item) in doc["paths"].as_object().expect("paths") {
            for method in item.as_object().expect("a path item").keys() {
                let segments = template.split('/').map(str::to_string).collect();
                operations.push(Operation { method: method.to_uppercase(), template: template.clone(), segments });
            }
        }
        Contract { doc, operations, validators: Mutex::new(HashMap::new()) }
    }

    /// The path template of the operation that serves `method path`: literal
    /// segments win over parameters (`/api/teams/suggestions` over `/api/teams/{id}`).
    pub fn template(&self, method: &str, path: &str) -> Option<&str> {
        let path = path.split('?').next().unwrap_or(path);
        let segments: Vec<&str> = path.split('/').collect();
        self.operations
            .iter()
            .filter(|op| op.method == method && op.segments.len() == segments.len())
            .filter(|op| {
                op.segments
                    .iter()
                    .zip(&segments)
                    .all(|(want, got)| is_parameter(want) && !got.is_empty() || want == got)
            })
            .max_by_key(|op| op.segments.iter().filter(|s| !is_parameter(s)).count())
            .map(|op| op.template.as_str())
    }

    /// Checks one response; `Err` says what the document and the answer disagree on.
    pub fn check(
        &self,
        method: &str,
        template: &str,
        status: u16,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Result<(), String> {
        let operation = &self.doc["paths"][template][method.to_lowercase()];
        let responses = &operation["responses"];
        let (key, response) = match responses.get(status.to_string()) {
            Some(response) => (status.to_string(), response),
            None => match responses.get("default") {
                Some(response) => ("default".to_string(), response),
                None => return Err(format!("status {status} is not documented")),
            },
        };
        let response = self.resolve(response);
        let Some(content) = response["content"].as_object().filter(|c| !c.is_empty()) else {
            return if body.is_empty() { Ok(()) } else { Err(format!("a {status} body is not documented")) };
        };
        let essence = content_type.map(|c| c.split(';').next().unwrap_or(c).trim().to_ascii_lowercase());
        let Some(essence) = essence else {
            return if body.is_empty() { Ok(()) } else { Err("a body without a content type".into()) };
        };
        let Some(media) = content.get(&essence) else {
            let documented: Vec<&String> = content.keys().collect();
            return Err(format!("content type {essence} is not documented (documented: {documented:?})"));
        };
        if !is_json(&essence) {
            return Ok(());
        }
        let Some(schema) = media.get("schema") else { return Ok(()) };
        let instance: Value =
            serde_json::from_slice(body).map_err(|e| format!("the {essence} body is not JSON: {e}"))?;
        let validator = self.validator(&format!("{method} {template} {key} {essence}"), schema)?;
        let errors: Vec<String> =
            validator.iter_errors(&instance).map(|e| format!("{} at {}", e, e.instance_path())).collect();
        if errors.is_empty() { Ok(()) } else { Err(errors.join("; ")) }
    }

    /// A validator for `schema`, its `$ref`s resolved in the document's components.
    pub fn validator(&self, key: &str, schema: &Value) -> Result<Arc<Validator>, String> {
        if let Some(validator) = self.validators.lock().unwrap().get(key) {
            return Ok(validator.clone());
        }
        let root = json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "components": self.doc["components"],
            "allOf": [schema],
        });
        let validator = jsonschema::options()
            .should_validate_formats(true)
            .build(&root)
            .map_err(|e| format!("the schema of {key} does not compile: {e}"))?;
        let validator = Arc::new(validator);
        self.validators.lock().unwrap().insert(key.to_string(), validator.clone());
        Ok(validator)
    }

    /// A response or schema given by `$ref`, looked up in the document.
    pub fn resolve<'a>(&'a self, value: &'a Value) -> &'a Value {
        match value["$ref"].as_str().and_then(|r| r.strip_prefix('#')) {
            Some(pointer) => self.doc.pointer(pointer).unwrap_or(value),
            None => value,
        }
    }
}

fn is_parameter(segment: &str) -> bool {
    segment.starts_with('{') && segment.ends_with('}')
}

fn is_json(essence: &str) -> bool {
    essence == "application/json" || essence.ends_with("+json")
}

/// Reads the whole response, checks it against the document, and hands back
/// an equal response for the test to read.
pub async fn checked(base: &str, method: &str, path: &str, response: reqwest::Response) -> reqwest::Response {
    let http: http::Response<reqwest::Body> = response.into();
    let (parts, body) = http.into_parts();
    let bytes = http_body_util::BodyExt::collect(body).await.expect("the response body").to_bytes();
    let contract = contract(base).await;
    if let Some(template) = contract.template(method, path) {
        let content_type = parts.headers.get(http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
        let status = parts.status.as_u16();
        if let Err(problem) = contract.check(method, template, status, content_type, &bytes) {
            let excerpt: String = String::from_utf8_lossy(&bytes).chars().take(600).collect();
            panic!(
                "{method} {path} answered {status}, which the OpenAPI document ({template}) does not describe: {problem}\nbody: {excerpt}"
            );
        }
        log_coverage(method, template, status);
    }
    reqwest::Response::from(http::Response::from_parts(parts, bytes))
}

/// The same check for a test that sends with a client of its own:
/// `….send().await.unwrap().checked("POST", path, &app).await`.
pub trait Checked {
    fn checked(self, method: &str, path: &str, app: &TestApp) -> impl Future<Output = reqwest::Response>;
}

impl Checked for reqwest::Response {
    async fn checked(self, method: &str, path: &str, app: &TestApp) -> reqwest::Response {
        checked(&app.url(""), method, path, self).await
    }
}

fn log_coverage(method: &str, template: &str, status: u16) {
    let Some(path) = std::env::var_os("OPENAPI_COVERAGE_LOG") else { return };
    let mut file = std::fs::OpenOptions::new().create(true).append(true).open(path).expect("the coverage log opens");
    writeln!(file, "{method} {template} {status}").expect("the coverage log is written");
}
