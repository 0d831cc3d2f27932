//! The one error type of the HTTP edge: `{"error":{"code","message","field"}}`
//! with the right status, the message in the caller's language.
//!
//! Handlers return [`AppError`]; its response carries both languages and the
//! [`localize`] middleware picks one from `Accept-Language`. Database errors are
//! logged and become a bare 500.

use axum::extract::{FromRequest, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::events::CommitError;
use crate::i18n::{Lang, Text};

#[derive(Clone, Debug)]
pub struct AppError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: Text,
    pub field: Option<String>,
    /// Seconds, for 429.
    pub retry_after: Option<u64>,
    /// Structured help for the caller, e.g. the existing record on a duplicate.
    pub details: Option<Box<serde_json::Value>>,
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
    pub fn new(status: StatusCode, code: &'static str, message: Text) -> AppError {
        AppError { status, code, message, field: None, retry_after: None, details: None }
    }

    /// Replaces the code, for a more specific one (`duplicate` rather than `conflict`).
    pub fn coded(mut self, code: &'static str) -> AppError {
        self.code = code;
        self
    }

    pub fn with_details(mut self, details: serde_json::Value) -> AppError {
        self.details = Some(Box::new(details));
        self
    }

    pub fn with_field(mut self, field: impl Into<String>) -> AppError {
        self.field = Some(field.into());
        self
    }

    pub fn unauthenticated() -> AppError {
        AppError::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            Text::new("ログインしてください。", "Please log in."),
        )
    }

    pub fn forbidden() -> AppError {
        AppError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            Text::new("この操作を行う権限がありません。", "Your role may not do this."),
        )
    }

    pub fn not_found(what: Text) -> AppError {
        AppError::new(StatusCode::NOT_FOUND, "not_found", what)
    }

    pub fn conflict(message: Text) -> AppError {
        AppError::new(StatusCode::CONFLICT, "conflict", message)
    }

    /// 422: the request was well-formed but a field's value is not acceptable.
    pub fn validation(field: &str, message: Text) -> AppError {
        AppError::new(StatusCode::UNPROCESSABLE_ENTITY, "validation", message).with_field(field)
    }

    pub fn internal() -> AppError {
        AppError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            Text::new(
                "サーバー内部でエラーが発生しました。もう一度お試しください。",
                "Something went wrong on the server. Please try again.",
            ),
        )
    }

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
        let mut response = (self.status, axum::Json(self.body(lang))).into_response();
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

impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> AppError {
        // A constraint the domain should have checked first: still a conflict, never a 500.
        if let sqlx::Error::Database(db) = &error
            && db.is_unique_violation()
        {
            tracing::warn!(%error, "unique constraint reached the edge");
            return AppError::conflict(Text::new(
                "同時に別の操作が行われたため保存できませんでした。読み込み直してください。",
                "Another change got there first. Reload and try again.",
            ));
        }
        tracing::error!(%error, "database error");
        AppError::internal()
    }
}

impl From<CommitError> for AppError {
    fn from(error: CommitError) -> AppError {
        tracing::error!(%error, "commit failed");
        AppError::internal()
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
    AppError::from_status(status, &detail).render(lang)
}

impl AppError {
    /// A generic error for a status, with the original text as detail.
    pub fn from_status(status: StatusCode, detail: &str) -> AppError {
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
        let mut error = AppError::new(status, code, Text::new(ja, en));
        error.status = status;
        error
    }
}

/// For `CatchPanicLayer`: a panicking handler answers a plain 500, not a dropped connection.
pub fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a handler panicked");
    AppError::internal().into_response()
}

/// Maps a unique-constraint violation to a chosen error, instead of a
/// check-then-insert race.
pub trait OnUnique<T> {
    fn on_unique(self, error: impl FnOnce() -> AppError) -> Result<T, AppError>;
}

impl<T> OnUnique<T> for Result<T, sqlx::Error> {
    fn on_unique(self, error: impl FnOnce() -> AppError) -> Result<T, AppError> {
        match self {
            Err(sqlx::Error::Database(db)) if db.is_unique_violation() => Err(error()),
            other => Ok(other?),
        }
    }
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
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
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
        let deserializer = &mut serde_json::Deserializer::from_slice(&bytes);
        let value = serde_path_to_error::deserialize(&mut *deserializer).map_err(|error| {
            let mut path = error.path().to_string();
            let inner = error.into_inner();
            // Well-formed JSON with a wrong value is 422, like any other invalid field;
            // broken JSON is 400.
            let (status, code) = match inner.classify() {
                serde_json::error::Category::Data => (StatusCode::UNPROCESSABLE_ENTITY, "validation"),
                _ => (StatusCode::BAD_REQUEST, "invalid_json"),
            };
            let detail = inner.to_string();
            // serde names a missing field only in its message.
            if let Some(name) = detail.strip_prefix("missing field `").and_then(|rest| rest.split('`').next()) {
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
                StatusCode::BAD_REQUEST,
                "invalid_json",
                Text::new(
                    format!("JSON の後に余計なデータがあります（{error}）。"),
                    format!("There is data after the JSON value: {error}."),
                ),
            )
        })?;
        Ok(ApiJson(value))
    }
}
