//! Drill mode (訓練モード): scenario files checked by line, typed inject
//! payloads, a run on the drill's own database and virtual clock, injects
//! acting through the domain commands, the trainer's console and API, the
//! autopilot for unattended runs, the evaluator and the after-action report.

pub mod aar;
pub mod aar_page;
pub mod aar_pdf;
pub mod autopilot;
pub mod calls;
pub mod check;
pub mod env;
pub mod evaluate;
pub mod http;
pub mod inbox;
pub mod inject;
pub mod limits;
pub mod links;
pub mod log;
pub mod next;
pub mod outage;
pub mod pages;
pub mod payload;
pub mod people;
pub mod run;
pub mod scenario;
pub mod schedule;
pub mod setup;
pub mod status;
pub mod ticker;
pub mod timeline;
pub mod unattended;
pub mod visibility;
