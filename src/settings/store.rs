//! All SQL of `center_settings`.

use sqlx::SqliteConnection;

use crate::events::contract::settings::CenterSettings;

/// The stored document and its version; `None` before the first change.
pub(crate) async fn read(conn: &mut SqliteConnection) -> Result<Option<(i64, CenterSettings)>, sqlx::Error> {
    let row: Option<(i64, String)> =
        sqlx::query_as("SELECT version, body FROM center_settings WHERE id = 1").fetch_optional(conn).await?;
    row.map(|(version, body)| {
        serde_json::from_str(&body).map(|doc| (version, doc)).map_err(|e| sqlx::Error::Decode(Box::new(e)))
    })
    .transpose()
}

pub(crate) async fn write(
    conn: &mut SqliteConnection,
    version: i64,
    settings: &CenterSettings,
) -> Result<(), sqlx::Error> {
    let body = serde_json::to_string(settings).expect("settings serialise");
    sqlx::query(
        "INSERT INTO center_settings (id, version, body) VALUES (1, ?1, ?2)
         ON CONFLICT (id) DO UPDATE SET version = excluded.version, body = excluded.body",
    )
    .bind(version)
    .bind(body)
    .execute(conn)
    .await?;
    Ok(())
}
