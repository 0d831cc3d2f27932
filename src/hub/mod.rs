//! The hub (`borasen hub`): volunteers register and book a day at a center
//! from home; hub staff publish openings; mail goes out through an outbox.
//! It runs on PostgreSQL with any number of stateless hub processes in front;
//! the center (`serve`) knows nothing of it.
//!
//! Front door: [`HubApp`] (build, serve), [`HubConfig`], and for the areas:
//! - [`events`]: [`HubTx`] — every change is a transaction that appends typed
//!   events ([`contract`]); [`events::follow`] reads the log in a stable order;
//! - [`notify`]: LISTEN/NOTIFY between processes;
//! - [`sessions`] + [`roles`]: sessions in the database, `Signed<R>` for handlers;
//!   [`throttle`]: failed logins counted in the database, by address and client;
//! - [`mail`]: [`mail::enqueue`] in the change's transaction; the worker sends;
//! - [`accounts`]: staff and volunteer accounts;
//! - [`centers`]: the registered centers and their sync keys;
//! - [`booking`]: openings, bookings, the waitlist and lotteries;
//! - [`sync`]: the centers' sync by their keys: pulling their bookings,
//!   reporting their days (the wire contract is `crate::sync`);
//! - [`overview`]: the figures across centers (bookings and the centers'
//!   reports) per center and day, for hub staff;
//! - [`volunteer_pages`]: the volunteer's pages (log in, openings, my bookings,
//!   profile, deletion) over the accounts and booking areas' functions.
//!
//! Layout and how to add a route, a table, an event or a test: see
//! `ARCHITECTURE.md` ("The hub").

pub mod accounts;
pub mod app;
pub mod booking;
pub mod centers;
pub mod cli;
pub mod config;
pub mod contract;
pub mod db;
pub mod events;
pub mod mail;
pub mod notify;
pub mod openapi;
pub mod overview;
pub mod roles;
mod serve;
pub mod sessions;
mod sessions_http;
pub mod state;
pub mod sync;
pub mod throttle;
pub mod volunteer_pages;

pub use config::HubConfig;
pub use db::HubDb;
pub use events::{HubActor, HubTx};
pub use serve::{HubApp, LISTENING};
pub use state::HubState;

/// `borasen hub`: builds the process from its flags and serves until Ctrl-C or SIGTERM.
pub async fn run(args: cli::HubArgs) -> Result<(), String> {
    let app = HubApp::build(args.config()?).await?;
    println!("{LISTENING}{}", app.url());
    app.run_until(crate::startup::shutdown_signal()).await
}
