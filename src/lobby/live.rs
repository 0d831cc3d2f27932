//! `/ws/lobby`: one shared projection per server, recomputed once per burst
//! of committed events and handed to every screen.
//!
//! A single task (the *hub*) follows the event bus. An event only marks the
//! view dirty; the view is read again at most every [`DEBOUNCE`], and
//! published only when what a screen shows changed. Each socket just waits on
//! a `watch` channel, so 200 screens cost one query per change, and a slow
//! screen skips straight to the newest view. Raw events never reach a socket.

use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use axum::extract::ws::{Message, Utf8Bytes, WebSocket};
use bytes::Bytes;
use futures_util::{SinkExt, StreamExt};
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::watch;
use tokio::time::{Instant, MissedTickBehavior, sleep_until, timeout};

use super::view::{self, LobbyView};
use crate::state::AppState;

/// Bursts of events (a rush of check-ins) give at most one new view per this.
pub const DEBOUNCE: Duration = Duration::from_millis(250);
/// The view is also read on this tick: the clock moves (a called team leaves
/// the screen, 15:00 closes reception) and another process may have written.
pub const REFRESH: Duration = Duration::from_secs(15);
const CLOSE_TIMEOUT: Duration = Duration::from_secs(2);

/// The shared projection: the newest view, serialised once.
struct Hub {
    view: watch::Receiver<Bytes>,
}

/// Where a server keeps its hub (in `AppState`), while a screen holds it.
#[derive(Default)]
pub struct HubSlot(Mutex<Weak<Hub>>);

fn serialise(view: &LobbyView) -> Bytes {
    Bytes::from(serde_json::to_vec(view).expect("the lobby view serialises"))
}

/// The running hub of this server, or a new one.
async fn hub(state: &AppState) -> Result<Arc<Hub>, sqlx::Error> {
    if let Some(hub) = state.lobby.0.lock().expect("lobby hub lock").upgrade() {
        return Ok(hub);
    }
    // Subscribe before reading, so no event falls between.
    let live = state.db.bus().subscribe();
    let first = view::read(&state.db.read, &state.clock, state.db.is_drill()).await?;
    let mut slot = state.lobby.0.lock().expect("lobby hub lock");
    // Another socket may have started one while this one read.
    if let Some(hub) = slot.upgrade() {
        return Ok(hub);
    }
    let (sender, receiver) = watch::channel(serialise(&first));
    let hub = Arc::new(Hub { view: receiver });
    *slot = Arc::downgrade(&hub);
    drop(slot);
    tokio::spawn(run(state.clone(), live, sender, first));
    Ok(hub)
}

/// The hub's task: until the last screen leaves or the server shuts down.
async fn run(
    state: AppState,
    mut live: tokio::sync::broadcast::Receiver<Arc<crate::events::Published>>,
    sender: watch::Sender<Bytes>,
    mut shown: LobbyView,
) {
    let mut shutdown = state.shutdown.clone();
    let mut refresh = tokio::time::interval_at(Instant::now() + REFRESH, REFRESH);
    refresh.set_missed_tick_behavior(MissedTickBehavior::Delay);
    // When the view may have changed and not been read since.
    let mut dirty_since: Option<Instant> = None;
    let mut last_read = Instant::now();
    loop {
        let due = dirty_since.map(|_| last_read + DEBOUNCE);
        let read_now = tokio::select! {
            received = live.recv() => match received {
                Ok(_) | Err(RecvError::Lagged(_)) => {
                    dirty_since.get_or_insert_with(Instant::now);
                    false
                }
                Err(RecvError::Closed) => return,
            },
            () = sleep_until(due.unwrap_or_else(Instant::now)), if due.is_some() => true,
            _ = refresh.tick() => true,
            () = sender.closed() => return,
            _ = shutdown.changed() => return,
        };
        if !read_now {
            continue;
        }
        last_read = Instant::now();
        dirty_since = None;
        match view::read(&state.db.read, &state.clock, state.db.is_drill()).await {
            Ok(view) => {
                if !view.same_screen(&shown) {
                    sender.send_replace(serialise(&view));
                }
                shown = view;
            }
            Err(error) => tracing::warn!(%error, "lobby view could not be read; will retry"),
        }
    }
}

/// Sends the current view, then every new one, until the screen leaves,
/// stops answering pings, or the server shuts down.
pub async fn follow(socket: WebSocket, state: AppState) {
    let hub = match hub(&state).await {
        Ok(hub) => hub,
        Err(error) => return tracing::error!(%error, "lobby websocket could not read the view"),
    };
    let mut view = hub.view.clone();
    let mut shutdown = state.shutdown.clone();
    let (mut sink, mut incoming) = socket.split();
    let within = state.config.ws_write_timeout;
    let ping_every = state.config.ws_ping_interval;
    let mut ping = tokio::time::interval_at(Instant::now() + ping_every, ping_every);
    ping.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut last_heard = Instant::now();
    let mut send_now = true;
    loop {
        if send_now {
            let json = view.borrow_and_update().clone();
            let text = Utf8Bytes::try_from(json).expect("serde_json writes UTF-8");
            if !matches!(timeout(within, sink.send(Message::Text(text))).await, Ok(Ok(()))) {
                return;
            }
            send_now = false;
        }
        tokio::select! {
            changed = view.changed() => match changed {
                Ok(()) => send_now = true,
                // The hub stopped: the server is shutting down.
                Err(_) => break,
            },
            message = incoming.next() => match message {
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => return,
                Some(Ok(_)) => last_heard = Instant::now(),
            },
            _ = ping.tick() => {
                // Nothing heard for three pings: the screen was switched off or the network dropped.
                if last_heard.elapsed() > ping_every * 3 {
                    return;
                }
                let ping = Message::Ping(Bytes::from_static(b"borasen"));
                if !matches!(timeout(within, sink.send(ping)).await, Ok(Ok(()))) {
                    return;
                }
            }
            _ = shutdown.changed() => break,
        }
    }
    let _ = timeout(CLOSE_TIMEOUT, sink.send(Message::Close(None))).await;
}
