//! An offline base map: raster tiles from an MBTiles file the council prepared
//! before the disaster (it is just SQLite). Served as `/tiles/{z}/{x}/{y}.png`
//! in the usual XYZ scheme; MBTiles stores rows in TMS order, bottom up.

use std::path::Path;

use axum::extract::{Path as UrlPath, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};

use crate::state::AppState;

/// Opens an MBTiles file read-only.
pub async fn open(path: &Path) -> Result<SqlitePool, sqlx::Error> {
    let options = SqliteConnectOptions::new().filename(path).read_only(true);
    SqlitePoolOptions::new().max_connections(4).connect_with(options).await
}

/// XYZ row → TMS row.
pub fn tms_row(zoom: u32, y: u32) -> Option<u32> {
    let rows = 1u32.checked_shl(zoom)?;
    (y < rows).then(|| rows - 1 - y)
}

/// `GET /tiles/{z}/{x}/{y}.png`: 404 without a tile file or for a tile it lacks.
pub async fn tile(State(state): State<AppState>, UrlPath((z, x, y)): UrlPath<(u32, u32, String)>) -> Response {
    let Some(pool) = &state.tiles else { return StatusCode::NOT_FOUND.into_response() };
    let Some(row) = y.strip_suffix(".png").and_then(|y| y.parse().ok()).and_then(|y| tms_row(z, y)) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let found: Result<Option<Vec<u8>>, _> =
        sqlx::query_scalar("SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?")
            .bind(z)
            .bind(x)
            .bind(row)
            .fetch_optional(pool)
            .await;
    match found {
        Ok(Some(png)) => {
            ([(header::CONTENT_TYPE, "image/png"), (header::CACHE_CONTROL, "max-age=86400")], png).into_response()
        }
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(%error, "tile read failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn rows_flip_between_xyz_and_tms() {
        assert_eq!(super::tms_row(0, 0), Some(0));
        assert_eq!(super::tms_row(2, 1), Some(2));
        assert_eq!(super::tms_row(2, 3), Some(0));
        assert_eq!(super::tms_row(2, 4), None);
        assert_eq!(super::tms_row(40, 0), None);
    }
}
