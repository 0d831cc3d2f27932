//! Documents read back from the event log and the domain tables: the activity
//! certificate, the daily report (日報) and the council's summary.

pub mod certificate;
pub mod certificate_pdf;
pub mod daily;
mod daily_pdf;
pub mod daily_record;
pub mod daily_safety;
pub mod http;
mod record_http;
pub mod remarks;
