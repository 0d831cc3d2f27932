//! A drill server never syncs with a hub, even started with `--hub`: its data
//! is made up. The same flags on a live server do reach the "hub" (here a bare
//! listener that counts connections), so the test can tell the two apart.

use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::json;

use crate::binary::login_cookie;
use crate::durability::start_server_with;
use crate::helpers::ADMIN_PASSWORD;

/// A listener standing in for a hub: it only counts who connects.
fn counting_listener() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            seen.fetch_add(1, Ordering::SeqCst);
            drop(stream);
        }
    });
    (url, count)
}

#[tokio::test]
async fn a_drill_server_never_syncs_with_a_hub_and_a_live_one_does() {
    let key = "ab".repeat(32);
    let drills = concat!(env!("CARGO_MANIFEST_DIR"), "/drills/rain-day3.toml");
    let http = reqwest::Client::new();

    let (url, drill_seen) = counting_listener();
    let data = tempfile::tempdir().unwrap();
    let mut drill = start_server_with(data.path(), &["--drill", drills, "--hub", &url, "--hub-key", &key]);
    let cookie = login_cookie(&http, &drill.base, "admin", ADMIN_PASSWORD).await;
    let status: serde_json::Value = http
        .get(format!("{}/api/hub/status", drill.base))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(status["drill"], true, "{status}");
    let pressed = http
        .post(format!("{}/api/hub/sync", drill.base))
        .header("cookie", &cookie)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(pressed.status(), 409);
    assert_eq!(pressed.json::<serde_json::Value>().await.unwrap()["error"]["code"], "drill_no_sync");
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(drill_seen.load(Ordering::SeqCst), 0, "a drill server reached for the hub");
    drill.child.kill().unwrap();
    let _ = drill.child.wait();

    let (url, live_seen) = counting_listener();
    let data = tempfile::tempdir().unwrap();
    let mut live = start_server_with(data.path(), &["--hub", &url, "--hub-key", &key]);
    for _ in 0..100 {
        if live_seen.load(Ordering::SeqCst) > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(live_seen.load(Ordering::SeqCst) > 0, "a live server with --hub syncs at start");
    live.child.kill().unwrap();
    let _ = live.child.wait();
}
