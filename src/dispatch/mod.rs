//! マッチング・送り出し: forming a team for a need (or a zone), dispatching it
//! with its loans, its return with the leader's report, the center-wide
//! suspension, the suggestion of teams, and the dispatch sheet.

pub mod center;
pub mod closing;
pub mod closing_http;
pub mod daylight;
pub mod deadline;
pub mod headcount;
pub mod headcount_http;
pub mod http;
pub mod injury;
pub mod minors;
pub(crate) mod model;
pub mod overdue;
pub mod pages;
pub mod papers;
pub mod report;
pub mod safety;
pub mod safety_http;
pub(crate) mod safety_store;
pub mod scan;
pub mod scan_http;
pub mod send_out;
pub mod sheet;
pub(crate) mod store;
pub mod suggest;
pub mod suggestions;

pub use headcount::{HeadcountAlert, open_alerts as open_headcount_alerts};
pub use model::{Outcome, Team, TeamStatus, team_no};
pub use store::{CenterState, TeamsOut, center_state, list, out_by_zone, team, teams_on, teams_out};
