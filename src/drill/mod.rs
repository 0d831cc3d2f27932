//! Drill mode (訓練モード): scenario files and `borasen drill check`, typed
//! inject payloads, the schedule, the drill's own log entries, the evaluator;
//! running a drill, the trainer console and the AAR are being built.

pub mod aar;
pub mod aar_page;
pub mod aar_pdf;
pub mod check;
pub mod evaluate;
pub mod http;
pub mod log;
pub mod pages;
pub mod payload;
pub mod scenario;
pub mod schedule;
pub mod timeline;
