//! Between processes: an event appended by one hub process wakes a follower in
//! another (the hub's own `notify::Notices`), and `events::follow` then reads
//! it, in an order that never changes: an older transaction still running
//! holds back what committed after it.

use std::time::Duration;

use borasen::hub::contract::accounts::AccountLoggedOut;
use borasen::hub::events::{Cursor, follow};
use borasen::hub::notify::{Notice, Notices};
use borasen::hub::{HubActor, HubDb, HubTx};

use crate::database_or_skip;
use crate::process::{ADMIN_EMAIL, ADMIN_PASSWORD, Hub, MailTo, logged_in};

/// Waits for a notice of an event of `kind`.
async fn heard(notices: &mut tokio::sync::broadcast::Receiver<Notice>, kind: &str) -> i64 {
    let wait = async {
        loop {
            if let Notice::Event { seq, kind: heard } = notices.recv().await.unwrap()
                && heard == kind
            {
                return seq;
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(10), wait).await.unwrap_or_else(|_| panic!("no notice of {kind}"))
}

#[tokio::test]
async fn an_event_appended_by_one_process_reaches_a_follower_in_another() {
    let (_cluster, url) = database_or_skip!("hub");
    let mail = tempfile::tempdir().unwrap();
    // Process A: a real hub process. Process B: this one, with the hub's own listener and follower.
    let a = Hub::start(&url, &MailTo::Dir(mail.path().to_path_buf()));
    let db = HubDb::open(&url, 4).await.unwrap();
    let notices = Notices::default();
    let listening = notices.listen(&db);
    let mut subscribed = notices.subscribe();
    // The listener is up once a notice of our own comes back through it.
    for _ in 0..100 {
        sqlx::query("SELECT pg_notify('hub_events', '0 test.ready')").execute(&db.pool).await.unwrap();
        if let Ok(Ok(Notice::Event { kind, .. })) =
            tokio::time::timeout(Duration::from_millis(100), subscribed.recv()).await
            && kind == "test.ready"
        {
            break;
        }
    }
    let mut cursor = Cursor::default();
    while let Some((last, _)) = follow(&db, cursor, 1000).await.unwrap().pop() {
        cursor = last;
    }

    // B begins a change (its transaction id taken now)…
    let mut early = HubTx::begin(&db).await.unwrap();
    sqlx::query("SELECT pg_current_xact_id()").execute(early.conn()).await.unwrap();
    // …A logs somebody in and commits…
    let _admin = logged_in(&a, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let seq = heard(&mut subscribed, "account.logged_in").await;
    // …and B appends after, so its seq is the later one.
    let early_seq = early.append(&HubActor::system(), None, &AccountLoggedOut { account_id: 424242 }).await.unwrap();
    assert!(early_seq > seq);

    // B's follower is woken, but A's event waits behind B's older transaction still running.
    let held: Vec<String> = follow(&db, cursor, 1000).await.unwrap().into_iter().map(|(_, e)| e.kind).collect();
    assert!(!held.contains(&"account.logged_in".to_string()), "held back behind an older transaction: {held:?}");
    early.commit().await.unwrap();
    let read = follow(&db, cursor, 1000).await.unwrap();
    let kinds: Vec<(&str, i64)> = read.iter().map(|(_, e)| (e.kind.as_str(), e.seq)).collect();
    // By transaction, not seq: a follower that had read A's event by seq would now skip B's.
    assert_eq!(kinds, [("account.logged_out", early_seq), ("account.logged_in", seq)]);
    assert_eq!(
        read[0].1.payload().unwrap(),
        borasen::hub::contract::HubPayload::AccountLoggedOut(AccountLoggedOut { account_id: 424242 })
    );
    // Read once: nothing after the last cursor.
    assert!(follow(&db, read[1].0, 1000).await.unwrap().is_empty());
    listening.abort();
}
