//! Drill mode (訓練モード): scenario files and `borasen drill check`, typed
//! inject payloads, the schedule, the drill's own log entries, the evaluator;
//! running a drill, the trainer console and the AAR are being built.

pub mod autopilot;
pub mod calls;
pub mod check;
pub mod env;
pub mod evaluate;
pub mod http;
pub mod inbox;
pub mod inject;
pub mod links;
pub mod log;
pub mod pages;
pub mod payload;
pub mod people;
pub mod run;
pub mod scenario;
pub mod schedule;
pub mod setup;
pub mod status;
pub mod ticker;
