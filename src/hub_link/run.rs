//! When sync runs: every `BORASEN_HUB_SYNC_SECONDS` (120) in the background,
//! and at once on a button; one at a time. The outcome is kept for the board
//! and the desk (「ハブ同期 10:42（3分前）」); nothing waits on it.

use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use tokio::sync::Notify;
use tokio::task::JoinHandle;

use super::client::{HubClient, LinkError};
use super::{pull, push, store};
use crate::clock::Clock;
use crate::db::Db;
use crate::error::{AppError, Class};
use crate::i18n::{Lang, Text};

/// The link as the running server holds it.
pub struct Link {
    /// A drill server never syncs: its data is made up.
    drill: bool,
    wake: Notify,
    /// One sync at a time (the loop and a test's direct call).
    running: tokio::sync::Mutex<()>,
    last: Mutex<Outcome>,
}

#[derive(Debug, Clone, Default)]
struct Outcome {
    ok_at: Option<DateTime<FixedOffset>>,
    attempt_at: Option<DateTime<FixedOffset>>,
    error: Option<Text>,
}

/// What one sync did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Synced {
    /// Bookings the desk now expects, changed or released.
    pub new: i64,
    pub changed: i64,
    pub released: i64,
    /// Reports made, and sent.
    pub reports_made: i64,
    pub reports_sent: i64,
}

/// The link for the board and the desk.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LinkStatus {
    /// A hub and key are set.
    pub configured: bool,
    /// A drill server: no sync.
    pub drill: bool,
    /// The last sync that reached the hub and finished.
    pub last_ok_at: Option<String>,
    pub last_attempt_at: Option<String>,
    /// The last attempt failed: why, in the reader's language.
    pub error: Option<String>,
    /// Reports made and not yet acknowledged by the hub.
    pub pending_reports: i64,
    /// The center's time now, so a page says 「3分前」 by the center's clock.
    pub now: String,
}

impl Link {
    pub fn live() -> Link {
        Link { drill: false, wake: Notify::new(), running: Default::default(), last: Default::default() }
    }

    pub fn in_drill() -> Link {
        Link { drill: true, ..Link::live() }
    }

    /// The button: the loop syncs now (it returns at once).
    pub async fn request(&self, db: &Db) -> Result<(), AppError> {
        if self.drill {
            return Err(AppError::new(
                Class::Conflict,
                "drill_no_sync",
                Text::new("訓練中はハブと同期しません。", "A drill never syncs with the hub."),
            ));
        }
        let stored = store::read(&db.read).await?;
        if stored.url.is_none() || stored.key.is_none() {
            return Err(AppError::new(
                Class::Conflict,
                "hub_not_configured",
                Text::new(
                    "ハブとの連携が設定されていません（設定 → ハブ連携）。",
                    "No hub is set (Settings → Hub link).",
                ),
            ));
        }
        self.wake.notify_one();
        Ok(())
    }

    pub async fn status(&self, db: &Db, clock: &Clock, lang: Lang) -> Result<LinkStatus, sqlx::Error> {
        let stored = store::read(&db.read).await?;
        let pending_reports = store::pending_count(&db.read).await?;
        let last = self.last.lock().expect("link status lock").clone();
        Ok(LinkStatus {
            configured: stored.url.is_some() && stored.key.is_some(),
            drill: self.drill,
            last_ok_at: last.ok_at.map(|t| t.to_rfc3339()),
            last_attempt_at: last.attempt_at.map(|t| t.to_rfc3339()),
            error: last.error.map(|e| e.get(lang).to_string()),
            pending_reports,
            now: clock.now().to_rfc3339(),
        })
    }

    fn note(&self, at: DateTime<FixedOffset>, result: &Result<Synced, LinkError>) {
        let mut last = self.last.lock().expect("link status lock");
        last.attempt_at = Some(at);
        match result {
            Ok(_) => {
                last.ok_at = Some(at);
                last.error = None;
            }
            Err(error) => last.error = Some(error.text()),
        }
    }
}

/// The background loop; none on a drill server.
pub fn start(db: Db, clock: Clock, link: std::sync::Arc<Link>) -> Option<JoinHandle<()>> {
    if link.drill {
        return None;
    }
    let every = std::env::var("BORASEN_HUB_SYNC_SECONDS")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .filter(|s| *s > 0)
        .map_or(Duration::from_secs(120), Duration::from_secs);
    Some(tokio::spawn(async move {
        loop {
            match sync_once(&db, &clock, &link).await {
                Ok(Some(synced)) if synced != Synced::default() => tracing::info!(?synced, "hub sync"),
                Ok(_) => {}
                Err(error) => tracing::warn!(error = error.text().get(Lang::En), detail = ?error, "hub sync"),
            }
            tokio::select! {
                _ = tokio::time::sleep(every) => {}
                _ = link.wake.notified() => {}
            }
        }
    }))
}

/// One sync: reports are made (even with no link), then pull, then the
/// reports are sent. `None`: no hub is set, or a drill.
pub async fn sync_once(db: &Db, clock: &Clock, link: &Link) -> Result<Option<Synced>, LinkError> {
    if link.drill {
        return Ok(None);
    }
    let _one = link.running.lock().await;
    let stored = store::read(&db.read).await?;
    let (Some(url), Some(key)) = (stored.url, stored.key) else { return Ok(None) };
    let result = async {
        let mut synced = Synced { reports_made: push::make_reports(db, clock).await? as i64, ..Synced::default() };
        let client = HubClient::new(&url, &key)?;
        let pulled = pull::pull_all(db, clock, &client).await?;
        synced.new = pulled.new;
        synced.changed = pulled.changed;
        synced.released = pulled.released;
        // What the pull brought may change a day's figures (a booking released after it came).
        synced.reports_made += push::make_reports(db, clock).await? as i64;
        synced.reports_sent = push::send_pending(db, clock, &client).await? as i64;
        Ok(synced)
    }
    .await;
    link.note(clock.now(), &result);
    result.map(Some)
}
