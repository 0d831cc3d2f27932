//! Drill mode (訓練モード): scenario files checked by line, typed inject
//! payloads, a run on the drill's own database and virtual clock, injects
//! acting through the domain commands, the trainer's console and API, the
//! autopilot for unattended runs, the evaluator and the after-action report.

pub mod aar;
pub mod aar_evaluator;
pub mod aar_page;
pub mod aar_pdf;
pub mod arrival_groups;
pub mod autopilot;
mod autopilot_calls;
mod autopilot_cancel;
mod autopilot_paper;
mod autopilot_rest;
pub mod autopilot_skill;
pub mod calls;
pub mod check;
pub mod check_warnings;
pub mod controller;
pub mod credit;
pub mod desks;
pub mod detect_inquiry;
pub mod detect_needs;
pub mod detect_outage;
pub mod effects;
pub mod env;
pub mod evaluate;
pub mod evaluator;
pub mod evaluator_http;
pub mod evaluator_page;
pub mod headcount;
pub mod http;
pub mod inbox;
pub mod inject;
pub mod late_entry;
pub mod limits;
pub mod links;
pub mod log;
pub mod marks;
pub mod next;
pub mod order;
pub mod outage;
pub mod outage_layer;
pub mod pages;
pub mod payload;
pub mod people;
pub mod run;
pub mod scenario;
pub mod schedule;
pub mod setup;
pub mod slip;
pub mod status;
pub mod ticker;
pub mod timeline;
pub mod times;
#[cfg(test)]
mod truth_tests;
pub mod unattended;
pub mod visibility;
