//! マッチング・送り出し: forming a team for a need (or a zone), dispatching it
//! with its loans, its return with the leader's report, the center-wide
//! suspension, the suggestion of teams, and the dispatch sheet.

pub mod center;
pub mod daylight;
pub mod deadline;
pub mod http;
pub(crate) mod model;
pub mod overdue;
pub mod pages;
pub mod papers;
pub mod report;
pub mod safety;
pub mod safety_http;
pub(crate) mod safety_store;
pub mod send_out;
pub mod sheet;
pub(crate) mod store;
pub mod suggest;
pub mod suggestions;

pub use model::{Outcome, Team, TeamStatus, team_no};
pub use store::{CenterState, TeamsOut, center_state, list, out_by_zone, team, teams_on, teams_out};
