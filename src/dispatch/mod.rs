//! マッチング・送り出し: forming a team for a need (or a zone), dispatching it
//! with its loans, its return with the leader's report, the center-wide
//! suspension, the suggestion of teams, and the dispatch sheet.

pub mod sheet;
pub mod suggest;
