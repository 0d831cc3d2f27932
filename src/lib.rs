//! borasen (ボラセン): field operations of a disaster volunteer center, in one binary.
//!
//! The shape: every change of state is a domain command that runs in one write
//! transaction, updates its tables and appends one row to the event log
//! ([`events`]); after the commit the event is published to live boards
//! ([`board`]). See `ARCHITECTURE.md` for the map and the invariants.

pub mod app;
pub mod auth;
pub mod backup;
pub mod bar_chart;
pub mod board;
pub mod cli;
pub mod clock;
pub mod config;
mod csv_cells;
pub mod dates;
pub mod db;
mod db_text;
pub mod demo;
pub mod dispatch;
pub mod drill;
pub mod error;
pub mod events;
pub mod fields;
pub mod hex;
#[cfg(test)]
mod house_rules;
pub mod hub;
pub mod hub_link;
pub mod i18n;
pub mod idempotency;
pub mod inventory;
pub mod lobby;
pub mod map;
pub mod needs;
pub mod net;
pub mod openapi;
pub mod pdf;
pub mod private_files;
pub mod rate_limit;
pub mod reception;
pub mod reports;
pub mod settings;
pub mod setup;
pub mod startup;
pub mod state;
pub mod sync;
pub mod tls;
pub mod web;
pub mod zones;
