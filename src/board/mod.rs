//! Live boards: snapshots of the center's state stamped with the last event
//! `seq`, and the websocket that follows the event log from there.

pub mod chart;
pub mod http;
pub mod notices;
pub mod snapshot;
pub mod ws;
