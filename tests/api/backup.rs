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

/// A center with a local CA: the backup holds the CA beside the database, byte
/// for byte and private, so a restored laptop keeps its tablets' trust.
#[tokio::test]
async fn a_backup_holds_the_local_ca_beside_the_database() {
    let app = spawn_app().await;
    app.admin().await;
    let tls = app.state.config.tls_dir();
    borasen::tls::ca::LocalCa::load_or_create(&tls, "テストセンター").unwrap();
    let target = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_borasen"))
        .args(["backup", "--data"])
        .arg(app.dir.path())
        .arg("--to")
        .arg(target.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let database = std::path::PathBuf::from(String::from_utf8(output.stdout).unwrap().trim());
    let copied = database.with_extension("tls");
    for name in [borasen::tls::ca::CA_FILE, borasen::tls::ca::CA_KEY_FILE] {
        let (live, copy) = (std::fs::read(tls.join(name)).unwrap(), std::fs::read(copied.join(name)));
        assert_eq!(copy.unwrap_or_else(|e| panic!("{name} in {}: {e}", copied.display())), live, "{name}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(copied.join(name)).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{name} is private in the backup");
        }
    }
    // Restored into a new data folder, the same CA is loaded, not a new one made.
    let restored = tempfile::tempdir().unwrap();
    let restored_tls = restored.path().join("tls");
    std::fs::create_dir(&restored_tls).unwrap();
    for entry in std::fs::read_dir(&copied).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, restored_tls.join(path.file_name().unwrap())).unwrap();
    }
    let again = borasen::tls::ca::LocalCa::load_or_create(&restored_tls, "テストセンター").unwrap();
    let original = borasen::tls::ca::LocalCa::load_or_create(&tls, "テストセンター").unwrap();
    assert_eq!(again.fingerprint, original.fingerprint);
}

/// Without `--tls` there is no CA, and the backup is the database alone.
#[tokio::test]
async fn a_center_without_a_ca_backs_up_its_database_alone() {
    let app = spawn_app().await;
    app.admin().await;
    let target = tempfile::tempdir().unwrap();
    let sources =
        borasen::backup::Sources { database: app.state.config.database_path(), tls: app.state.config.tls_dir() };
    let path = borasen::backup::write_center(&sources, target.path(), &app.state.clock).await.unwrap();
    let names: Vec<String> =
        std::fs::read_dir(target.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into()).collect();
    assert_eq!(names, vec![path.file_name().unwrap().to_string_lossy().to_string()]);
}
