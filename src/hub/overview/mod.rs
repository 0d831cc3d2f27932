//! The hub's view across centers (issue 18 §4): per center and day, what the
//! bookings say (booked, waitlisted) and what the centers' reports add (came,
//! no-shows, walk-ins, teams, needs), with the sums per day for the
//! prefecture. Read only: it owns no table; the bookings are read through
//! `booking::attendance`, the centers' names through `centers::list`, and the
//! reports (`hub_center_days`, written by the center's `POST /api/sync/days`)
//! by its own one query.
//!
//! - [`figures`]: the definitions (in one place), `per_center_day`,
//!   `prefecture`, the range and who sees what, no-shows per account;
//! - [`csv`], [`chart`] (the SVG per day, on [`crate::bar_chart`]);
//! - [`http`] (`/api/overview`, `/api/overview.csv`, `/api/overview/no-shows`),
//!   [`pages`] (`/hub/staff/overview`).

pub mod chart;
pub mod csv;
pub mod figures;
pub mod http;
pub mod pages;

pub use figures::{AccountNoShows, CenterDay, DayTotal, Overview, no_shows, per_center_day, prefecture};
