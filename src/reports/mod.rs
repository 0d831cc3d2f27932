//! Documents read back from the event log: the activity certificate (and,
//! with the boards issue, the daily report).

pub mod certificate;
pub mod http;
