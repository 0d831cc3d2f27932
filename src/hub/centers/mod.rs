//! Centers (`hub_centers`): a hub admin registers each center by its number
//! and name; the center gets a sync key, shown once (only its SHA-256 is
//! stored), which a hub admin may rotate. Openings and center staff name a
//! registered center only ([`require_registered`]). Part 2's sync finds the
//! calling center with [`authenticate`].
//!
//! - [`registry`]: the table, the keys, the events (`center.registered`,
//!   `center.key_rotated`);
//! - [`http`]: `/api/centers…`, hub admins only.

pub mod http;
pub mod registry;

pub use registry::{Center, IssuedKey, NewCenter, authenticate, list, register, require_registered, rotate_key};
