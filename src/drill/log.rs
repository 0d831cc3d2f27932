//! What a drill writes into its event log, typed: the runner, the trainer's
//! commands and the autopilot append these; the evaluator and the AAR read
//! them back (with the domain's own events) — the log is the only evidence.
//! They are part of the event contract ([`crate::events::contract::drill`]).

pub use crate::events::contract::drill::*;
