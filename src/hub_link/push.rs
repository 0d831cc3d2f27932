//! Push: each day's report is made here and kept until the hub has it. A
//! report is made only when the day says something new (its digest differs
//! from the last one's), whether the hub is reachable or not; a newer report
//! replaces an older unsent one of its day. Sending goes in `batch_seq` order;
//! a report cut off mid-send goes again with the same batch id, which the hub
//! applies once.

use chrono::{Duration, NaiveDate};
use rand::RngCore;
use sha2::{Digest, Sha256};

use super::client::{HubClient, LinkError};
use super::{figures, store};
use crate::clock::{Clock, stamp};
use crate::db::Db;
use crate::events::Actor;
use crate::events::contract::hub_link::{HubLinkReportMade, HubLinkReportSent};
use crate::sync::contract::{DayReport, VERSION};

/// The days a report is made for: today and yesterday (a late check-out, a 日報 corrected).
pub fn days(today: NaiveDate) -> [NaiveDate; 2] {
    [today - Duration::days(1), today]
}

/// Makes the reports that say something new; how many.
pub async fn make_reports(db: &Db, clock: &Clock) -> Result<usize, LinkError> {
    let mut made = 0;
    for day in days(clock.activity_day()) {
        let (arrivals, counts) = figures::of_day(db, day).await?;
        let said = serde_json::json!({ "day": day, "arrivals": arrivals, "figures": counts });
        let digest = crate::hex::encode(&Sha256::digest(said.to_string().as_bytes()));
        let day_text = day.to_string();
        let last = store::last_digest(&db.read, &day_text).await?;
        if last.as_deref() == Some(digest.as_str()) {
            continue;
        }
        // A day nobody came to and nothing happened on, never reported: nothing to say.
        if counts == Default::default() && arrivals.is_empty() && last.is_none() {
            continue;
        }
        let mut tx = db.begin_write().await?;
        let batch_seq = store::next_seq(tx.conn()).await?;
        let report = DayReport {
            version: VERSION,
            batch_id: batch_id(),
            batch_seq,
            day,
            made_at: clock.now(),
            arrivals,
            figures: counts,
        };
        let body = serde_json::to_string(&report).expect("a report serialises");
        let new = store::NewReport {
            batch_seq,
            batch_id: &report.batch_id,
            day: &day_text,
            body: &body,
            digest: &digest,
            made_at: &stamp(clock.now()),
        };
        store::insert(tx.conn(), &new).await?;
        let made_event = HubLinkReportMade {
            day,
            batch_seq,
            arrivals: report.arrivals.len() as i64,
            checked_in: report.figures.checked_in,
        };
        tx.append(clock, &Actor::system(), None, &made_event).await?;
        tx.commit().await.map_err(|e| LinkError::Local(e.to_string()))?;
        made += 1;
    }
    Ok(made)
}

/// Sends every report the hub does not have yet, oldest first; how many.
pub async fn send_pending(db: &Db, clock: &Clock, client: &HubClient) -> Result<usize, LinkError> {
    let mut sent = 0;
    for pending in store::pending(&db.read).await? {
        let answer = client.report(&pending.body).await?;
        let report: DayReport =
            serde_json::from_str(&pending.body).map_err(|e| LinkError::Local(format!("a kept report: {e}")))?;
        let mut tx = db.begin_write().await?;
        store::mark_sent(tx.conn(), pending.batch_seq, &stamp(clock.now())).await?;
        let sent_event = HubLinkReportSent {
            day: report.day,
            batch_seq: pending.batch_seq,
            applied: answer.applied,
            current: answer.current,
        };
        tx.append(clock, &Actor::system(), None, &sent_event).await?;
        tx.commit().await.map_err(|e| LinkError::Local(e.to_string()))?;
        sent += 1;
    }
    Ok(sent)
}

/// 128 random bits, hex: unique without coordination.
fn batch_id() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    crate::hex::encode(&bytes)
}
