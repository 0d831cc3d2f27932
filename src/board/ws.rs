//! Following the event log over a websocket, without ever missing an event.
//!
//! The stream subscribes to the bus *before* it reads the table, replays every
//! event after the client's `since` from the table, then forwards live events
//! with `seq` above the last one sent. Whenever the live side cannot vouch for
//! continuity — the receiver lagged, or a `seq` skipped ahead — it goes back to
//! the table from the last `seq` sent. So a client sees every event exactly
//! once, in order.

use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket};
use bytes::Bytes;
use futures_util::stream::SplitSink;
use futures_util::{SinkExt, StreamExt};
use tokio::sync::broadcast::error::RecvError;
use tokio::time::{Instant, MissedTickBehavior, timeout};

use crate::auth::sessions;
use crate::events;
use crate::events::visibility::Audience;
use crate::state::AppState;

/// Events read from the table per query while catching up.
const REPLAY_PAGE: i64 = 500;
/// Closing politely never waits longer than this.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(2);

/// The socket's sending half, with how long a write may take before the client counts as gone.
struct Sink {
    half: SplitSink<WebSocket, Message>,
    within: Duration,
    /// The page following the feed, for a drill's outage of its desk.
    page: Option<String>,
}

#[derive(Debug)]
struct Gone;

/// Close code: the client's `since` is ahead of this log (a restored backup,
/// another database). Reload the snapshot, then follow again.
pub const CLOSE_RESYNC: u16 = 4000;
/// Close code: the session behind the socket ended (logout, expiry).
pub const CLOSE_SESSION_ENDED: u16 = 4001;
/// Close code: a drill's `ict_outage` took this page's desk offline; reconnecting
/// is refused until it is back, then the page resyncs.
pub const CLOSE_DRILL_OUTAGE: u16 = 4002;

/// What a drill server registers (`AppState::cuts_boards`): whether an event
/// takes the desk of the page following the feed (`?page=`) offline now. Asked
/// of the events caught up too: an outage already over cuts nothing.
pub trait CutsBoards: Send + Sync {
    fn cuts(&self, event_json: &[u8], page: Option<&str>) -> bool;
}

/// Streams the log after `since` (or from now, without it) until the client
/// leaves, stops answering pings, its session ends, or the server shuts down.
/// `audience`: a player gets each event's player form and nothing of the drill's
/// controller material (`events::visibility`); `last` still moves past what is withheld.
/// `page`: the page following the feed, for a drill's outage of its desk.
pub async fn follow(
    socket: WebSocket,
    state: AppState,
    since: Option<i64>,
    session_token: String,
    audience: Audience,
    page: Option<String>,
) {
    let mut live = state.db.bus().subscribe();
    let mut shutdown = state.shutdown.clone();
    let (half, mut incoming) = socket.split();
    let mut sink = Sink { half, within: state.config.ws_write_timeout, page };
    let newest = match events::last_seq(&state.db.read).await {
        Ok(seq) => seq,
        Err(error) => return tracing::error!(%error, "websocket could not read the log"),
    };
    let mut last = since.unwrap_or(newest);
    if last > newest {
        return close(&mut sink, CLOSE_RESYNC, "resync").await;
    }
    if catch_up(&mut sink, &state, audience, &mut last).await.is_err() {
        return;
    }
    let ping_every = state.config.ws_ping_interval;
    let mut ping = tokio::time::interval_at(Instant::now() + ping_every, ping_every);
    ping.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut last_heard = Instant::now();

    loop {
        let step = tokio::select! {
            received = live.recv() => match received {
                Ok(event) if event.seq <= last => Ok(()),
                Ok(event) if event.seq == last + 1 => {
                    last = event.seq;
                    send_checked(&mut sink, &state, &event.json, audience.json_of(&event)).await
                }
                // Skipped ahead: the table is the truth.
                Ok(_) => catch_up(&mut sink, &state, audience, &mut last).await.map(|()| last_heard = Instant::now()),
                // Fell behind and the bus dropped some: resume from the table.
                Err(RecvError::Lagged(_)) => {
                    state.stats.ws_lag_recoveries.fetch_add(1, Ordering::Relaxed);
                    // While replaying we read nothing from the client; that silence is ours.
                    catch_up(&mut sink, &state, audience, &mut last).await.map(|()| last_heard = Instant::now())
                }
                Err(RecvError::Closed) => Err(Gone),
            },
            message = incoming.next() => match message {
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => Err(Gone),
                Some(Ok(_)) => {
                    last_heard = Instant::now();
                    Ok(())
                }
            },
            _ = ping.tick() => {
                // Nothing heard for three pings: the tablet slept or the network dropped.
                if last_heard.elapsed() > ping_every * 3 {
                    Err(Gone)
                } else if !session_alive(&state, &session_token).await {
                    close(&mut sink, CLOSE_SESSION_ENDED, "session ended").await;
                    Err(Gone)
                } else {
                    // Also picks up events written by another process (`borasen users add`),
                    // which never reach this process's bus.
                    match catch_up(&mut sink, &state, audience, &mut last).await {
                        Ok(()) => send(&mut sink, Message::Ping(Bytes::from_static(b"borasen"))).await,
                        Err(gone) => Err(gone),
                    }
                }
            }
            _ = shutdown.changed() => {
                let _ = timeout(CLOSE_TIMEOUT, sink.half.send(Message::Close(None))).await;
                Err(Gone)
            }
        };
        if step.is_err() {
            break;
        }
    }
}

async fn close(sink: &mut Sink, code: u16, reason: &'static str) {
    let frame = CloseFrame { code, reason: Utf8Bytes::from_static(reason) };
    let _ = timeout(CLOSE_TIMEOUT, sink.half.send(Message::Close(Some(frame)))).await;
}

async fn session_alive(state: &AppState, token: &str) -> bool {
    // A database hiccup is not a logout.
    !matches!(sessions::user_for_token(&state.db.read, token).await, Ok(None))
}

/// Sends an event's form for this socket (`seen`; `None`: not this audience's); a
/// drill's `ict_outage` of this page's desk, still on (`AppState::cuts_boards`,
/// judged on the event as logged), then drops the connection: the page comes
/// back once its desk does and replays from its `seq`.
async fn send_checked(sink: &mut Sink, state: &AppState, logged: &[u8], seen: Option<Bytes>) -> Result<(), Gone> {
    let outage = state.cuts_boards.as_ref().is_some_and(|cuts| cuts.cuts(logged, sink.page.as_deref()));
    if let Some(json) = seen {
        send(sink, text(json)).await?;
    }
    if outage {
        close(sink, CLOSE_DRILL_OUTAGE, "drill: network dropped").await;
        return Err(Gone);
    }
    Ok(())
}

/// Sends every event after `last` from the table, page by page, advancing `last`.
async fn catch_up(sink: &mut Sink, state: &AppState, audience: Audience, last: &mut i64) -> Result<(), Gone> {
    loop {
        let page = events::since(&state.db.read, *last, REPLAY_PAGE).await.map_err(|error| {
            tracing::error!(%error, "websocket replay failed");
            Gone
        })?;
        for event in &page {
            let logged = event.to_json();
            let seen = audience.json_for(event, &logged);
            send_checked(sink, state, &logged, seen).await?;
            *last = event.seq;
        }
        if (page.len() as i64) < REPLAY_PAGE {
            return Ok(());
        }
    }
}

async fn send(sink: &mut Sink, message: Message) -> Result<(), Gone> {
    match timeout(sink.within, sink.half.send(message)).await {
        Ok(Ok(())) => Ok(()),
        _ => Err(Gone),
    }
}

fn text(json: Bytes) -> Message {
    Message::Text(Utf8Bytes::try_from(json).expect("serde_json writes UTF-8"))
}
