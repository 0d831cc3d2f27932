//! What crosses the link between a center (`serve`, `crate::hub_link`) and the
//! hub (`borasen hub`, `crate::hub::sync`): the wire contract, and nothing else.
//! Both ends compile the same types, so they cannot drift; the JSON Schema is
//! `schemas/sync.schema.json` (`BLESS=1 cargo test --lib sync::`), beside the
//! event contracts.
//!
//! - **Pull** (center ← hub): `GET /api/sync/bookings?cursor=C&limit=N` with
//!   `Authorization: Bearer <center key>` and `Borasen-Sync-Version: 1`; the
//!   answer is a [`contract::BookingsPage`]. Each booking of the key's center
//!   comes in its latest state, in an order that never changes once read, after
//!   the cursor; the same page twice changes nothing (idempotent by booking id).
//! - **Push** (center → hub): `POST /api/sync/days` with a [`contract::DayReport`]:
//!   one activity day as the center sees it now (the bookings that came, walk-in
//!   counts, teams, needs, the 日報 figures). Its `batch_id` is applied once;
//!   a report older than one applied for the day (`batch_seq`) is recorded and
//!   changes nothing.
//! - **Refusals**: an unknown field, a missing one, a newer `version` or a value
//!   out of place refuses the whole message (422 `sync_refused` naming the field;
//!   426 `sync_version`), never half-applied.

pub mod contract;

pub use contract::{
    Arrival, BookedVolunteer, BookingChange, BookingState, BookingsPage, DayFigures, DayReport, DayReportAnswer,
    Meeting, VERSION, VERSION_HEADER,
};
