//! The edge of [`AppError`]: its status and JSON body, the [`localize`]
//! middleware that picks the caller's language, and [`ApiJson`].
//!
//! Handlers return [`AppError`]; its response carries both languages and
//! [`localize`] re-renders it from `Accept-Language`.

use axum::extract::{FromRequest, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{AppError, Class};
use crate::i18n::{Lang, Text};

impl Class {
    /// The one place a class becomes an HTTP status.
    pub fn http_status(self) -> StatusCode {
        match self {
            Class::BadRequest => StatusCode::BAD_REQUEST,
            Class::Unauthenticated => StatusCode::UNAUTHORIZED,
            Class::Refused => StatusCode::FORBIDDEN,
            Class::NotFound => StatusCode::NOT_FOUND,
            Class::NotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Class::Conflict => StatusCode::CONFLICT,
            Class::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Class::UnsupportedMedia => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Class::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
            Class::TooMany => StatusCode::TOO_MANY_REQUESTS,
            Class::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Class::UpgradeRequired => StatusCode::UPGRADE_REQUIRED,
            Class::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn as_u16(self) -> u16 {
        self.http_status().as_u16()
    }
}

/// The nearest class of a status the router or an extractor answered.
fn class_of(status: StatusCode) -> Class {
    match status {
        StatusCode::UNAUTHORIZED => Class::Unauthenticated,
        StatusCode::FORBIDDEN => Class::Refused,
        StatusCode::NOT_FOUND => Class::NotFound,
        StatusCode::METHOD_NOT_ALLOWED => Class::NotAllowed,
        StatusCode::CONFLICT => Class::Conflict,
        StatusCode::PAYLOAD_TOO_LARGE => Class::TooLarge,
        StatusCode::UNSUPPORTED_MEDIA_TYPE => Class::UnsupportedMedia,
        StatusCode::UNPROCESSABLE_ENTITY => Class::Invalid,
        StatusCode::TOO_MANY_REQUESTS => Class::TooMany,
        StatusCode::SERVICE_UNAVAILABLE => Class::Unavailable,
        StatusCode::UPGRADE_REQUIRED => Class::UpgradeRequired,
        s if s.is_server_error() => Class::Internal,
        _ => Class::BadRequest,
    }
}

/// The body of every 4xx/5xx answer of the API.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable, for programs: e.g. `unauthenticated`, `validation`, `conflict`.
    code: String,
    /// For people, in Japanese or English.
    message: String,
    /// The input field at fault, when there is one.
    field: Option<String>,
    /// More for programs, e.g. `{"existing": {…}}` on a duplicate registration.
    #[serde(skip_serializing_if = "Option::is_none")]
    details: Option<serde_json::Value>,
}

impl AppError {
    pub fn body(&self, lang: Lang) -> ErrorBody {
        ErrorBody {
            error: ErrorDetail {
                code: self.code.to_string(),
                message: self.message.get(lang).to_string(),
                field: self.field.clone(),
                details: self.details.as_deref().cloned(),
            },
        }
    }

    fn render(&self, lang: Lang) -> Response {
        let mut response = (self.status.http_status(), axum::Json(self.body(lang))).into_response();
        if let Some(seconds) = self.retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        // English until `localize` knows the caller's language.
        let mut response = self.render(Lang::En);
        response.extensions_mut().insert(self);
        response
    }
}

/// Middleware: re-renders an [`AppError`] response in the caller's language,
/// and turns any other `/api` failure (an extractor's or the router's own
/// plain-text rejection) into the same JSON format.
pub async fn localize(request: Request, next: Next) -> Response {
    let lang = Lang::for_api(request.headers());
    let is_api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    if let Some(error) = response.extensions().get::<AppError>() {
        return if lang == Lang::Ja { error.render(Lang::Ja) } else { response };
    }
    let status = response.status();
    if !is_api || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let detail = axum::body::to_bytes(response.into_body(), 2048)
        .await
        .map(|bytes| String::from_utf8_lossy(&bytes).trim().to_string())
        .unwrap_or_default();
    // The class is the nearest one; the status stays the router's own.
    let mut answer = AppError::from_status(status, &detail).render(lang);
    *answer.status_mut() = status;
    answer
}

impl AppError {
    /// A generic error for a status, with the original text as detail.
    pub(crate) fn from_status(status: StatusCode, detail: &str) -> AppError {
        let (code, ja, en) = match status {
            StatusCode::BAD_REQUEST => ("bad_request", "リクエストが正しくありません。", "The request is not valid."),
            StatusCode::NOT_FOUND => ("not_found", "見つかりません。", "Not found."),
            StatusCode::METHOD_NOT_ALLOWED => {
                ("method_not_allowed", "この操作はこのURLでは使えません。", "This method is not allowed here.")
            }
            StatusCode::PAYLOAD_TOO_LARGE => {
                ("payload_too_large", "送信データが大きすぎます。", "The request body is too large.")
            }
            s if s.is_server_error() => return AppError::internal(),
            _ => ("request_failed", "リクエストを処理できませんでした。", "The request could not be processed."),
        };
        let (ja, en) = if detail.is_empty() {
            (ja.to_string(), en.to_string())
        } else {
            (format!("{ja}（{detail}）"), format!("{en} ({detail})"))
        };
        AppError::new(class_of(status), code, Text::new(ja, en))
    }
}

/// For `CatchPanicLayer`: a panicking handler answers a plain 500, not a dropped connection.
pub fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a handler panicked");
    AppError::internal().into_response()
}

/// A JSON body whose faults are answered in our error format, naming the field.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        let is_json = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if !is_json {
            return Err(AppError::new(
                Class::UnsupportedMedia,
                "unsupported_media_type",
                Text::new(
                    "Content-Type: application/json で送信してください。",
                    "Send the body as Content-Type: application/json.",
                ),
            ));
        }
        let bytes = axum::body::Bytes::from_request(request, state)
            .await
            .map_err(|rejection| AppError::from_status(rejection.status(), ""))?;
        json_from_slice(&bytes).map(ApiJson)
    }
}

/// A JSON body read from bytes, its faults answered in our error format naming
/// the field: well-formed JSON with a wrong, missing or unknown field is 422
/// `validation` (its path in `field`); broken JSON, or data after the value, 400.
pub fn json_from_slice<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let deserializer = &mut serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut *deserializer).map_err(|error| {
        let mut path = error.path().to_string();
        let inner = error.into_inner();
        // Well-formed JSON with a wrong value is 422, like any other invalid field;
        // broken JSON is 400.
        let (status, code) = match inner.classify() {
            serde_json::error::Category::Data => (Class::Invalid, "validation"),
            _ => (Class::BadRequest, "invalid_json"),
        };
        let detail = inner.to_string();
        // serde names a missing or unknown field only in its message.
        if let Some(name) = ["missing field `", "unknown field `"]
            .iter()
            .find_map(|prefix| detail.strip_prefix(prefix))
            .and_then(|rest| rest.split('`').next())
            && !path.ends_with(&format!(".{name}"))
            && path != name
        {
            path = if path == "." { name.to_string() } else { format!("{path}.{name}") };
        }
        let mut error = AppError::new(
            status,
            code,
            Text::new(
                format!("リクエストの形式が正しくありません（{detail}）。"),
                format!("The request body is not valid: {detail}."),
            ),
        );
        if path != "." {
            error = error.with_field(path);
        }
        error
    })?;
    // Anything but whitespace after the value (`{…}xyz`, a second `}`, NULs)
    // is a broken body, never a valid one with noise.
    deserializer.end().map_err(|error| {
        AppError::new(
            Class::BadRequest,
            "invalid_json",
            Text::new(
                format!("JSON の後に余計なデータがあります（{error}）。"),
                format!("There is data after the JSON value: {error}."),
            ),
        )
    })?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        id: i64,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        version: u32,
        items: Vec<Inner>,
    }

    fn field_of(json: &str) -> (Class, Option<String>) {
        let error = json_from_slice::<Outer>(json.as_bytes()).unwrap_err();
        (error.status, error.field)
    }

    #[test]
    fn a_fault_names_its_field_whether_wrong_missing_or_unknown() {
        let invalid = |field: &str| (Class::Invalid, Some(field.to_string()));
        assert_eq!(field_of(r#"{"version":1,"items":[],"extra":1}"#), invalid("extra"));
        assert_eq!(field_of(r#"{"version":1,"items":[{"id":1,"name":"x"}]}"#), invalid("items[0].name"));
        assert_eq!(field_of(r#"{"version":1,"items":[{}]}"#), invalid("items[0].id"));
        assert_eq!(field_of(r#"{"items":[]}"#), invalid("version"));
        assert_eq!(field_of(r#"{"version":"1","items":[]}"#), invalid("version"));
        assert_eq!(field_of(r#"{"version":1,"items":[]}}"#).0, Class::BadRequest);
        assert_eq!(field_of(r#"{"version":1,"#).0, Class::BadRequest);
    }
}
