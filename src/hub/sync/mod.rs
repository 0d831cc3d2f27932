//! The hub's end of the center↔hub sync (`crate::sync` is the wire contract;
//! the center's end is `crate::hub_link`). A center calls with its sync key
//! (`Authorization: Bearer`, [`key::CenterKey`]) and reaches its own center's
//! bookings only.
//!
//! - [`pull`]: `GET /api/sync/bookings`: the center's bookings after a cursor,
//!   in the order of `hub::booking::for_centers::changes_after` (by the last
//!   changing transaction, only of transactions older than every one still
//!   running, as `hub::events::follow`), each in its latest state; a profile
//!   travels only with a booking that holds a seat;
//! - [`report`]: `POST /api/sync/days`: one whole activity day as the center
//!   sees it. A batch id is applied once (`hub_sync_batches`); the day keeps
//!   the report with the highest `batch_seq` (`hub_center_days`), under an
//!   advisory lock per (center, day), so two processes applying two reports
//!   of a day end with the newer one;
//! - [`key`]: the key, the version header, and the rate limit per center
//!   (`--sync-per-minute`, counted in each process apart);
//! - [`http`]: the routes.
//!
//! Every pull with changes and every report is an event (`sync.pulled`,
//! `sync.reported`): counts, never personal data.

pub mod http;
pub mod key;
pub mod pull;
pub mod report;
