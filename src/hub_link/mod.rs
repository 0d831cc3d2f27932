//! ハブ連携: the center's side of the link to a hub (`borasen hub`). With a
//! hub's address and this center's key (`serve --hub URL --hub-key KEY`, or the
//! settings page), the center pulls the bookings made for its days and reports
//! each day back: who came, walk-in counts, teams, needs, the 日報 figures.
//! The link comes and goes; the desk never waits on it: sync runs in the
//! background every two minutes and on a button, each pulled page is taken in
//! by short write transactions, and reports wait in the database until the hub
//! has them. A drill server never syncs.
//!
//! What crosses is `crate::sync`'s contract. Tables: `hub_link` (where, the
//! key, the pull's cursor) and `hub_reports` (`store`); the bookings
//! themselves are reception's (`reception::booked`).

mod client;
mod config;
mod figures;
pub mod http;
mod pull;
mod push;
mod run;
mod store;

pub use config::{LinkInput, LinkSettings, configure, settings};
pub use run::{Link, LinkStatus, Synced, start, sync_once};
