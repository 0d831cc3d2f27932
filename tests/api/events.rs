//! The event log: committed changes are published once with the next `seq`;
//! rolled-back ones are neither stored nor published.

use borasen::events::contract::board::NoticePosted;
use borasen::events::{Actor, CommitError, WriteTx};
use serde_json::json;
use tokio::sync::broadcast::error::TryRecvError;

use crate::events_contract::Probe;
use crate::helpers::spawn_app;

/// Writes a notice row by hand in `tx`, past the domain command and its event.
async fn insert_notice(tx: &mut WriteTx, text: &str) {
    sqlx::query("INSERT INTO board_notices (text, posted_at, posted_by) VALUES (?, 'x', 'test')")
        .bind(text)
        .execute(tx.conn())
        .await
        .unwrap();
}

async fn notice_rows(app: &crate::helpers::TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM board_notices").fetch_one(&app.state.db.read).await.unwrap()
}

#[tokio::test]
async fn a_committed_change_is_published_once_with_the_next_seq() {
    let app = spawn_app().await;
    let mut bus = app.state.db.bus().subscribe();
    let before = app.last_seq().await;

    let admin = app.admin().await; // logging in is itself an event
    let login = bus.recv().await.unwrap();
    assert_eq!(login.seq, before + 1);
    let response = admin.post("/api/board/notices", &json!({ "text": "13時 休憩" })).await;
    assert_eq!(response.status(), 201);

    let published = bus.recv().await.unwrap();
    assert_eq!(published.seq, before + 2);
    let event: serde_json::Value = serde_json::from_slice(&published.json).unwrap();
    assert_eq!(event["kind"], "board.notice_posted");
    assert_eq!(event["actor"], "admin");
    assert_eq!(event["data"]["text"], "13時 休憩");
    assert_eq!(event["drill"], false);
    assert!(event["at"].as_str().unwrap().ends_with("+09:00"));
    assert!(matches!(bus.try_recv(), Err(TryRecvError::Empty)), "published exactly once");

    // The stored row is the published one.
    let stored = borasen::events::since(&app.state.db.read, before + 1, 10).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].to_json(), published.json);
}

#[tokio::test]
async fn a_rolled_back_change_publishes_nothing_and_leaves_nothing() {
    let app = spawn_app().await;
    let mut bus = app.state.db.bus().subscribe();
    let before = app.last_seq().await;

    let mut tx = app.state.db.begin_write().await.unwrap();
    insert_notice(&mut tx, "消える").await;
    tx.append(&app.state.clock, &Actor::system(), None, &NoticePosted::default()).await.unwrap();
    drop(tx); // rolled back

    assert!(matches!(bus.try_recv(), Err(TryRecvError::Empty)));
    assert_eq!(app.last_seq().await, before);
    assert_eq!(notice_rows(&app).await, 0);

    // The writer is free again and the next event takes the next seq.
    app.post_notices(1, "次").await;
    assert_eq!(bus.recv().await.unwrap().seq, before + 1);
}

#[tokio::test]
async fn a_write_without_an_event_is_refused_and_rolled_back() {
    let app = spawn_app().await;
    let before = app.last_seq().await;
    let mut tx = app.state.db.begin_write().await.unwrap();
    insert_notice(&mut tx, "記録なし").await;
    assert!(matches!(tx.commit().await, Err(CommitError::NoEvent)));
    assert_eq!(notice_rows(&app).await, 0);
    assert_eq!(app.last_seq().await, before);
}

#[tokio::test]
async fn the_read_pool_cannot_write() {
    let app = spawn_app().await;
    let result = sqlx::query("INSERT INTO board_notices (text, posted_at, posted_by) VALUES ('裏口', 'x', 'admin')")
        .execute(&app.state.db.read)
        .await;
    let error = result.expect_err("the read pool is read-only, so no write can bypass the event log");
    assert!(error.to_string().contains("readonly"), "{error}");
}

#[tokio::test]
async fn both_pools_run_wal_with_full_sync_and_foreign_keys() {
    let app = spawn_app().await;
    let read = &app.state.db.read;
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(read).await.unwrap();
    assert_eq!(mode, "wal");
    let synchronous: i64 = sqlx::query_scalar("PRAGMA synchronous").fetch_one(read).await.unwrap();
    assert_eq!(synchronous, 2, "FULL");
    let mut tx = app.state.db.begin_write().await.unwrap();
    let synchronous: i64 = sqlx::query_scalar("PRAGMA synchronous").fetch_one(tx.conn()).await.unwrap();
    let foreign_keys: i64 = sqlx::query_scalar("PRAGMA foreign_keys").fetch_one(tx.conn()).await.unwrap();
    let busy_timeout: i64 = sqlx::query_scalar("PRAGMA busy_timeout").fetch_one(tx.conn()).await.unwrap();
    assert_eq!((synchronous, foreign_keys), (2, 1));
    assert!(busy_timeout >= 1000);
}

#[tokio::test]
async fn a_commit_whose_caller_gives_up_still_publishes_what_it_committed() {
    let app = spawn_app().await;
    let mut bus = app.state.db.bus().subscribe();
    let before = app.last_seq().await;
    for i in 0..100 {
        let mut tx = app.state.db.begin_write().await.unwrap();
        tx.append(&app.state.clock, &Actor::system(), Some(format!("n:{i}")), &Probe {}).await.unwrap();
        // The caller is cancelled right after the commit starts (a client hung up).
        let _ = tokio::time::timeout(std::time::Duration::from_nanos(1), tx.commit()).await;
    }
    // Let any commit still running finish: the next writer waits for it.
    app.post_notices(1, "後").await;
    let committed = app.last_seq().await - before;
    let mut published = 0;
    while let Ok(event) = bus.try_recv() {
        published += 1;
        assert_eq!(event.seq, before + published, "in order");
    }
    assert_eq!(published, committed, "every committed event was published");
}

#[tokio::test]
async fn concurrent_writers_publish_in_seq_order() {
    let app = spawn_app().await;
    let mut bus = app.state.db.bus().subscribe();
    let before = app.last_seq().await;
    let writers: Vec<_> = (0..8)
        .map(|w| {
            let state = app.state.clone();
            tokio::spawn(async move {
                for i in 0..25 {
                    let new = borasen::board::notices::NewNotice { text: format!("writer {w} #{i}") };
                    borasen::board::notices::post(&state.db, &state.clock, &Actor::system(), new).await.unwrap();
                }
            })
        })
        .collect();
    for writer in writers {
        writer.await.unwrap();
    }
    for expected in before + 1..=before + 200 {
        assert_eq!(bus.recv().await.unwrap().seq, expected);
    }
}

#[tokio::test]
async fn in_a_busy_batch_a_failed_command_rolls_back_alone() {
    let app = spawn_app().await;
    let mut bus = app.state.db.bus().subscribe();
    let before = app.last_seq().await;
    let writers: Vec<_> = (0..12)
        .map(|w| {
            let state = app.state.clone();
            tokio::spawn(async move {
                let mut kept = Vec::new();
                for i in 0..10 {
                    let text = format!("w{w}-{i}");
                    let mut tx = state.db.begin_write().await.unwrap();
                    insert_notice(&mut tx, &text).await;
                    tx.append(&state.clock, &Actor::system(), Some(text.clone()), &Probe {}).await.unwrap();
                    if (w + i) % 3 == 0 {
                        drop(tx); // this one fails; its neighbours in the batch must not
                    } else {
                        tx.commit().await.unwrap();
                        kept.push(text);
                    }
                }
                kept
            })
        })
        .collect();
    let mut kept = Vec::new();
    for writer in writers {
        kept.extend(writer.await.unwrap());
    }
    app.post_notices(1, "last").await; // after every rollback task has run
    let stored: Vec<String> = sqlx::query_scalar("SELECT text FROM board_notices WHERE posted_by = 'test' ORDER BY id")
        .fetch_all(&app.state.db.read)
        .await
        .unwrap();
    let mut expected = kept.clone();
    expected.sort();
    let mut got = stored.clone();
    got.sort();
    assert_eq!(got, expected, "exactly the committed commands are stored");
    let events = borasen::events::since(&app.state.db.read, before, 1000).await.unwrap();
    let seqs: Vec<i64> = events.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (before + 1..=before + kept.len() as i64 + 1).collect::<Vec<_>>(), "contiguous");
    for event in &events {
        assert_eq!(bus.recv().await.unwrap().seq, event.seq, "published once each, in order");
    }
}

#[tokio::test]
async fn a_caller_cancelled_while_waiting_for_the_write_lock_leaves_the_writer_usable() {
    let app = spawn_app().await;
    // Another process holds the database's write lock for a moment.
    let options = borasen::db::connect_options(&app.state.config.database_path()).unwrap();
    let mut other = <sqlx::SqliteConnection as sqlx::Connection>::connect_with(&options).await.unwrap();
    sqlx::query("BEGIN IMMEDIATE").execute(&mut other).await.unwrap();
    let cancelled = tokio::time::timeout(std::time::Duration::from_millis(200), app.state.db.begin_write()).await;
    assert!(cancelled.is_err(), "the begin was still waiting, and is dropped");
    sqlx::query("ROLLBACK").execute(&mut other).await.unwrap();

    app.post_notices(1, "その後").await;
    let stored: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM board_notices").fetch_one(&app.state.db.read).await.unwrap();
    assert_eq!(stored, 1);
    // And the writer is idle again: another process can take the lock.
    sqlx::query("BEGIN IMMEDIATE").execute(&mut other).await.expect("no transaction left open on the writer");
    sqlx::query("ROLLBACK").execute(&mut other).await.unwrap();
}

#[tokio::test]
async fn a_write_dropped_outside_the_runtime_is_still_rolled_back() {
    let app = spawn_app().await;
    let before = app.last_seq().await;
    let mut tx = app.state.db.begin_write().await.unwrap();
    insert_notice(&mut tx, "捨てる").await;
    tx.append(&app.state.clock, &Actor::system(), None, &Probe {}).await.unwrap();
    std::thread::spawn(move || drop(tx)).join().expect("dropping outside a runtime does not panic");

    app.post_notices(1, "残る").await;
    let texts: Vec<String> =
        sqlx::query_scalar("SELECT text FROM board_notices ORDER BY id").fetch_all(&app.state.db.read).await.unwrap();
    assert_eq!(texts, ["残る 0"]);
    let kinds: Vec<String> = sqlx::query_scalar("SELECT kind FROM events WHERE seq > ? ORDER BY seq")
        .bind(before)
        .fetch_all(&app.state.db.read)
        .await
        .unwrap();
    assert_eq!(kinds, ["board.notice_posted"]);
}
