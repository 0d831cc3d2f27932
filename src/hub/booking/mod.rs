//! Openings (募集) and bookings on the hub: hub staff publish a center's day;
//! verified volunteers book it, join its waitlist, or apply to its lottery;
//! every seat change runs under the opening's row lock (no overbooking across
//! any number of hub processes); mail goes through the outbox in the same
//! transaction. Tables: `hub_openings`, `hub_bookings`, `hub_lottery_draws`
//! (migrations/hub/0005_openings.sql).
//!
//! - [`openings`]: the opening, its validation, who may manage it;
//! - [`book`]: booking, cancelling, the waitlist's promotion, state changes (中止);
//! - [`lottery`]: the draw (`sha256-rank-v1`, seed recorded; `sha256-rank-noshow-v1`
//!   with `--lottery-weigh-no-shows`, the no-show counts recorded too);
//! - [`attendance`]: booked, waitlisted, came and no-shows per center and day,
//!   no-shows per account (read by `hub::overview` and the lottery);
//! - [`jobs`]: due draws and the day-before reminders, safe with many processes;
//! - [`mails`], [`qr`]: the messages and the booking's QR as PNG;
//! - [`profiles`]: the one place booking reads the accounts area's profile;
//! - [`http`] (the API), [`pages`] (staff pages), [`roster`], [`counts`];
//! - [`for_centers`]: what the centers' sync (`hub::sync`) reads and writes of
//!   bookings (the pull order, the arrivals reported).

pub mod attendance;
pub mod book;
pub mod counts;
pub mod for_centers;
pub mod http;
pub mod jobs;
pub mod lottery;
pub mod mails;
pub mod openings;
pub mod pages;
pub mod profiles;
pub mod qr;
pub mod roster;
