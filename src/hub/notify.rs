//! Between hub processes: PostgreSQL's LISTEN/NOTIFY. Triggers NOTIFY at
//! commit (`hub_events` for every event, `hub_outbox` for every queued mail);
//! one listening connection per process hands them to in-process subscribers.
//! A notice only says "look again": the tables are the truth, and whoever
//! waits on notices also looks on a timer, since a notice sent while the
//! listener was reconnecting is gone ([`Notice::Reconnected`] says so).

use std::time::Duration;

use sqlx::postgres::PgListener;
use tokio::sync::broadcast;

use super::db::HubDb;

pub const EVENTS: &str = "hub_events";
pub const OUTBOX: &str = "hub_outbox";

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// An event committed: its `seq` and kind.
    Event { seq: i64, kind: String },
    /// A mail was queued (its outbox id).
    Mail { outbox_id: i64 },
    /// The listener lost its connection and is back: notices may have been missed.
    Reconnected,
}

/// This process's subscription point. Cloning shares it.
#[derive(Clone)]
pub struct Notices {
    sender: broadcast::Sender<Notice>,
}

impl Default for Notices {
    fn default() -> Self {
        Notices { sender: broadcast::channel(1024).0 }
    }
}

impl Notices {
    pub fn subscribe(&self) -> broadcast::Receiver<Notice> {
        self.sender.subscribe()
    }

    /// Listens until the task is aborted, reconnecting after a lost connection.
    pub fn listen(&self, db: &HubDb) -> tokio::task::JoinHandle<()> {
        let (sender, pool) = (self.sender.clone(), db.pool.clone());
        tokio::spawn(async move {
            let mut first = true;
            loop {
                match listen_once(&pool, &sender, &mut first).await {
                    Ok(()) => return,
                    Err(error) => {
                        tracing::warn!(%error, "LISTEN connection lost; reconnecting");
                        tokio::time::sleep(Duration::from_secs(1)).await;
                    }
                }
            }
        })
    }
}

async fn listen_once(
    pool: &sqlx::PgPool,
    sender: &broadcast::Sender<Notice>,
    first: &mut bool,
) -> Result<(), sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen_all([EVENTS, OUTBOX]).await?;
    if !std::mem::take(first) {
        let _ = sender.send(Notice::Reconnected);
    }
    loop {
        let Some(notification) = listener.try_recv().await? else {
            // The connection was lost; `try_recv` reconnects on the next call.
            let _ = sender.send(Notice::Reconnected);
            continue;
        };
        if let Some(notice) = parse(notification.channel(), notification.payload()) {
            // No subscriber is not an error.
            let _ = sender.send(notice);
        }
    }
}

fn parse(channel: &str, payload: &str) -> Option<Notice> {
    match channel {
        EVENTS => {
            let (seq, kind) = payload.split_once(' ')?;
            Some(Notice::Event { seq: seq.parse().ok()?, kind: kind.to_string() })
        }
        OUTBOX => Some(Notice::Mail { outbox_id: payload.parse().ok()? }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_are_read_from_their_channels_and_odd_payloads_dropped() {
        assert_eq!(
            parse(EVENTS, "12 account.created"),
            Some(Notice::Event { seq: 12, kind: "account.created".into() })
        );
        assert_eq!(parse(OUTBOX, "7"), Some(Notice::Mail { outbox_id: 7 }));
        assert_eq!(parse(OUTBOX, "x"), None);
        assert_eq!(parse("elsewhere", "1"), None);
    }
}
