//! Integration tests: the real server on an ephemeral port, a real SQLite file
//! in a temp dir, real HTTP and websocket clients. One binary keeps link time down.

mod addresses;
mod auth;
mod backup;
mod board_page;
mod board_ws;
mod browser;
mod camera;
mod cli;
mod connections;
mod demo;
mod dispatch;
mod drill;
mod drill_browser;
mod drill_limits;
mod drill_run;
mod durability;
mod errors;
mod events;
mod hardening;
mod helpers;
mod idempotency;
mod inventory;
mod lobby;
mod map;
mod menu;
mod needs;
mod offline;
mod openapi;
mod reception;
mod reports;
mod schemathesis;
mod tablet;
mod tls;
mod web;
mod zones;
