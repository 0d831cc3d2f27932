//! The one error type from the domain to the edge: a stable code, a message
//! in both languages, the field at fault, and the [`Class`] of failure.
//!
//! Domain code names the class, never an HTTP status; [`http`] is the edge
//! that answers `{"error":{"code","message","field"}}` with the status of the
//! class, in the caller's language. Database errors are logged and become a
//! bare `Internal`.

mod http;

pub use http::{ApiJson, ErrorBody, ErrorDetail, json_from_slice, localize, panic_response};

use crate::events::CommitError;
use crate::i18n::Text;

/// What kind of failure, for the edge to answer with its status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    /// The request itself is broken (a bad header, broken JSON).
    BadRequest,
    /// No live session.
    Unauthenticated,
    /// The caller's role (or origin) may not do this.
    Refused,
    NotFound,
    /// The method is not served at this path.
    NotAllowed,
    /// The state of the center says no (taken, duplicate, stale version, not allowed now).
    Conflict,
    TooLarge,
    UnsupportedMedia,
    /// Well-formed, but a value is not acceptable.
    Invalid,
    /// Too many requests from this caller; try again after `retry_after`.
    TooMany,
    /// The server is full for this kind of caller; try again later.
    Unavailable,
    /// The caller speaks a protocol version this server does not (the hub's sync).
    UpgradeRequired,
    Internal,
}

#[derive(Clone, Debug)]
pub struct AppError {
    /// The class of failure; the edge answers its status.
    pub status: Class,
    pub code: &'static str,
    pub message: Text,
    pub field: Option<String>,
    /// Seconds, for 429.
    pub retry_after: Option<u64>,
    /// Structured help for the caller, e.g. the existing record on a duplicate.
    pub details: Option<Box<serde_json::Value>>,
}

impl AppError {
    pub fn new(class: Class, code: &'static str, message: Text) -> AppError {
        AppError { status: class, code, message, field: None, retry_after: None, details: None }
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
        AppError::new(Class::Unauthenticated, "unauthenticated", Text::new("ログインしてください。", "Please log in."))
    }

    pub fn forbidden() -> AppError {
        AppError::new(
            Class::Refused,
            "forbidden",
            Text::new("この操作を行う権限がありません。", "Your role may not do this."),
        )
    }

    pub fn not_found(what: Text) -> AppError {
        AppError::new(Class::NotFound, "not_found", what)
    }

    pub fn conflict(message: Text) -> AppError {
        AppError::new(Class::Conflict, "conflict", message)
    }

    /// `Invalid`: the request was well-formed but a field's value is not acceptable.
    pub fn validation(field: &str, message: Text) -> AppError {
        AppError::new(Class::Invalid, "validation", message).with_field(field)
    }

    pub fn internal() -> AppError {
        AppError::new(
            Class::Internal,
            "internal",
            Text::new(
                "サーバー内部でエラーが発生しました。もう一度お試しください。",
                "Something went wrong on the server. Please try again.",
            ),
        )
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
