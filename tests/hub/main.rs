//! The hub's integration tests: real `borasen hub` processes on a throwaway
//! PostgreSQL cluster (`postgres`), mail to a real SMTP listener on loopback
//! (`smtp`) or a mail folder. Without PostgreSQL each test is skipped with a
//! loud notice, except under CI.
//!
//! Run: `cargo test --test hub` (one module: `cargo test --test hub foundation::`).

mod accounts;
mod bench;
mod booking;
mod booking_bench;
mod bulk;
mod center;
mod centers;
#[path = "../common/devtools.rs"]
mod devtools;
mod erasure;
mod follow;
mod foundation;
mod link;
mod link_bench;
mod mail;
mod overview;
mod postgres;
mod proxy;
mod reset;
mod retention;
// Helpers for tests still to come (mail, bookings) are not all used yet.
#[allow(dead_code)]
mod process;
#[allow(dead_code)]
mod role_matrix;
#[allow(dead_code)]
mod smtp;
mod sync;
mod throttle;
mod volunteer_pages;
mod volunteers;

/// The cluster and one database on it, or return from the test (skipped).
#[macro_export]
macro_rules! database_or_skip {
    ($name:expr) => {
        match $crate::postgres::Cluster::start() {
            Some(cluster) => {
                let url = cluster.database($name);
                (cluster, url)
            }
            None => return,
        }
    };
}
