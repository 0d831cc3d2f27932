//! Pull: the hub's booking changes after our cursor, page by page. A page is
//! checked whole first (never half-taken), then taken in by short write
//! transactions, so a desk's check-in never waits long behind it; the cursor
//! moves with the page's last one. Taking in is idempotent by booking id, so a
//! page cut off midway and pulled again changes nothing twice.

use super::client::{HubClient, LinkError};
use super::store;
use crate::clock::Clock;
use crate::db::Db;
use crate::events::Actor;
use crate::events::contract::hub_link::HubLinkPulled;
use crate::reception::booked::{self, Applied};

/// Bookings per request.
pub const PAGE: u32 = 500;
/// Bookings per write transaction: the desk waits at most one of these.
const CHUNK: usize = 25;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pulled {
    pub seen: i64,
    pub new: i64,
    pub changed: i64,
    pub released: i64,
}

pub async fn pull_all(db: &Db, clock: &Clock, client: &HubClient) -> Result<Pulled, LinkError> {
    let mut total = Pulled::default();
    loop {
        let cursor = store::read(&db.read).await?.cursor;
        let page = client.pull(&cursor, PAGE).await?;
        if page.bookings.is_empty() {
            return Ok(total);
        }
        let today = clock.activity_day();
        for (i, change) in page.bookings.iter().enumerate() {
            booked::check(change, today, &format!("bookings[{i}]"))?;
        }
        let chunks: Vec<_> = page.bookings.chunks(CHUNK).collect();
        let offset = |c: usize| c * CHUNK;
        for (c, chunk) in chunks.iter().enumerate() {
            let mut counts = Pulled::default();
            let mut tx = db.begin_write().await?;
            for (i, change) in chunk.iter().enumerate() {
                let at = format!("bookings[{}]", offset(c) + i);
                match booked::apply_in(&mut tx, clock, &Actor::system(), change, &at).await? {
                    Applied::New => counts.new += 1,
                    Applied::Changed => counts.changed += 1,
                    Applied::Released => counts.released += 1,
                    Applied::Unchanged | Applied::Ignored => {}
                }
                counts.seen += 1;
            }
            let last = c + 1 == chunks.len();
            if last {
                store::set_cursor(tx.conn(), &page.cursor).await?;
            }
            let pulled = HubLinkPulled {
                seen: counts.seen,
                new: counts.new,
                changed: counts.changed,
                released: counts.released,
                page_done: last,
            };
            tx.append(clock, &Actor::system(), None, &pulled).await?;
            tx.commit().await.map_err(|e| LinkError::Local(e.to_string()))?;
            total.seen += counts.seen;
            total.new += counts.new;
            total.changed += counts.changed;
            total.released += counts.released;
        }
        if !page.more {
            return Ok(total);
        }
    }
}
