//! `borasen backup` writes a consistent copy that opens and holds the same rows.

use std::process::Command;

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, SqliteConnection};

use crate::helpers::spawn_app;

async fn table_dump(conn: &mut SqliteConnection) -> Vec<(i64, String, String, String)> {
    sqlx::query_as("SELECT seq, at, kind, data FROM events ORDER BY seq").fetch_all(&mut *conn).await.unwrap()
}

#[tokio::test]
async fn backup_while_serving_gives_a_file_with_the_same_rows() {
    let app = spawn_app().await;
    app.admin().await;
    app.post_notices(25, "バックアップ対象").await;
    let target = tempfile::tempdir().unwrap();

    let output = Command::new(env!("CARGO_BIN_EXE_borasen"))
        .args(["backup", "--data"])
        .arg(app.dir.path())
        .arg("--to")
        .arg(target.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let printed = String::from_utf8(output.stdout).unwrap();
    let path = std::path::PathBuf::from(printed.trim());
    assert!(path.starts_with(target.path()));
    let name = path.file_name().unwrap().to_str().unwrap();
    assert!(name.starts_with("borasen-") && name.ends_with(".sqlite"), "timestamped: {name}");

    let mut copy =
        SqliteConnection::connect_with(&SqliteConnectOptions::new().filename(&path).read_only(true)).await.unwrap();
    let mut live = SqliteConnection::connect_with(
        &SqliteConnectOptions::new().filename(app.state.config.database_path()).read_only(true),
    )
    .await
    .unwrap();
    let copied = table_dump(&mut copy).await;
    assert_eq!(copied.len() as i64, app.last_seq().await);
    assert_eq!(copied, table_dump(&mut live).await);
    let notices: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM board_notices").fetch_one(&mut copy).await.unwrap();
    assert_eq!(notices, 25);
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&mut copy).await.unwrap();
    assert_eq!(integrity, "ok");

    // Two backups in the same second get their own names: VACUUM INTO never overwrites.
    let fixed =
        borasen::clock::Clock::manual(chrono::DateTime::parse_from_rfc3339("2026-07-12T09:30:00+09:00").unwrap());
    let database = app.state.config.database_path();
    let first = borasen::backup::write(&database, target.path(), &fixed).await.unwrap();
    let second = borasen::backup::write(&database, target.path(), &fixed).await.unwrap();
    assert_eq!(first.file_name().unwrap(), "borasen-20260712-093000.sqlite");
    assert_eq!(second.file_name().unwrap(), "borasen-20260712-093000-2.sqlite");
}

#[tokio::test]
async fn backup_of_a_missing_database_says_so() {
    let empty = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_borasen"))
        .args(["backup", "--data"])
        .arg(empty.path().join("none"))
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("データベースがありません"));
}
