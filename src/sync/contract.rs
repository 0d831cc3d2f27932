//! The sync messages, typed. The hub's OpenAPI document shows them too
//! (`utoipa::ToSchema`, as `Sync…`); this file and `schemas/sync.schema.json`
//! are the contract. Rules: every struct refuses unknown fields (a
//! newer peer's message is refused whole, not half-read); a change that an
//! older peer could misread raises [`VERSION`]; no walk-in's personal data ever
//! crosses (walk-ins are counts); a volunteer's profile crosses only with a
//! booking in state `booked`, toward its own center.

use chrono::{DateTime, FixedOffset, NaiveDate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// The protocol's version. Each message carries it; a peer refuses a newer one.
pub const VERSION: u32 = 1;

/// The request header that carries [`VERSION`] on a pull (a GET has no body).
pub const VERSION_HEADER: &str = "Borasen-Sync-Version";

/// One page of booking changes for a center (`GET /api/sync/bookings`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = SyncBookingsPage)]
pub struct BookingsPage {
    pub version: u32,
    /// The center the key belongs to.
    pub center_id: i64,
    /// Where the next pull starts: give it back as `cursor`. Opaque.
    pub cursor: String,
    /// More changes wait beyond this page: pull again at once.
    pub more: bool,
    pub bookings: Vec<BookingChange>,
}

/// A booking as it stands now. The same booking may come again in a later
/// page (changed): the later one wins.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = SyncBookingChange)]
pub struct BookingChange {
    pub booking_id: i64,
    /// `H-00012`: the booking's number in the volunteer's mail.
    pub number: String,
    pub day: NaiveDate,
    pub state: BookingState,
    /// Places the booking holds (a group's head count).
    pub seats: i64,
    /// The token in the mailed QR code, in the center's own format (32 hex
    /// digits), so the desk's scanner reads it as any badge. Only when booked.
    pub qr_token: Option<String>,
    /// Where and when to come. Only when booked.
    pub meeting: Option<Meeting>,
    /// What the desk needs of the person. Only when booked.
    pub volunteer: Option<BookedVolunteer>,
}

/// What the center does with a booking: expect the person, or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = SyncBookingState)]
pub enum BookingState {
    /// A seat is held: the desk expects them.
    Booked,
    /// Not (or no longer) expected: cancelled by the volunteer or the hub,
    /// still waitlisted or in a lottery, or the day was called off (中止).
    Released,
}

/// The opening's meeting details, as the booking mail gave them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = SyncMeeting)]
pub struct Meeting {
    pub title: String,
    pub meeting_point: String,
    /// `HH:MM`, the center's local time.
    pub meeting_time: String,
    pub bring: String,
}

/// The registration profile of a booked volunteer: the center's own form's
/// fields, checked again by the center's own rules when applied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = SyncBookedVolunteer)]
pub struct BookedVolunteer {
    pub name: String,
    pub furigana: String,
    pub birth_date: NaiveDate,
    /// `female`, `male`, `other` or none.
    pub gender: Option<String>,
    pub phone: String,
    pub email: Option<String>,
    pub address: String,
    pub emergency_name: String,
    pub emergency_phone: String,
    /// `individual` or `group`.
    pub kind: String,
    pub group_name: Option<String>,
    pub group_size: Option<i64>,
    pub skills: Vec<String>,
    pub vehicle: Option<String>,
    /// `enrolled` or `none`.
    pub insurance: String,
    pub experience_count: i64,
    pub guardian_consent: bool,
    pub guardian_name: Option<String>,
}

/// One activity day at a center, as it stands when sent (`POST /api/sync/days`).
/// A whole day each time, so a lost or repeated report cannot skew a count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = SyncDayReport)]
pub struct DayReport {
    pub version: u32,
    /// Made once by the center and kept until the hub has it: the hub applies
    /// a batch id once, however often it is sent.
    pub batch_id: String,
    /// The center's order of its reports; the hub keeps the highest per day.
    pub batch_seq: i64,
    pub day: NaiveDate,
    /// When the center made the report.
    pub made_at: DateTime<FixedOffset>,
    /// The day's bookings whose person checked in, every one each time.
    pub arrivals: Vec<Arrival>,
    pub figures: DayFigures,
}

/// A booked volunteer who checked in on the booking's day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = SyncArrival)]
pub struct Arrival {
    pub booking_id: i64,
    pub checked_in_at: DateTime<FixedOffset>,
    /// People who came under the booking (a group's arrivals).
    pub people: i64,
}

/// The day's counts: no names, no numbers of people's records.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = SyncDayFigures)]
pub struct DayFigures {
    /// People checked in (受付人数), booked and walk-in.
    pub checked_in: i64,
    /// Of them, under a hub booking for this day.
    pub booked_came: i64,
    /// Of them, without one (当日受付, or booked for another day).
    pub walk_ins: i64,
    pub new_volunteers: i64,
    pub repeat_volunteers: i64,
    pub checked_out: i64,
    /// Activity hours, one decimal.
    pub hours: f64,
    pub teams_sent: i64,
    pub team_people: i64,
    pub needs_received: i64,
    pub needs_done: i64,
    pub needs_continuing: i64,
    pub needs_cancelled: i64,
}

/// The hub's answer to a [`DayReport`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = SyncDayReportAnswer)]
pub struct DayReportAnswer {
    pub version: u32,
    pub batch_id: String,
    /// `false`: this batch id was applied before (a resend); nothing changed.
    pub applied: bool,
    /// `false`: a report with a higher `batch_seq` for the day is already in.
    pub current: bool,
}

/// Whether a peer's `version` can be read here.
pub fn version_ok(version: u32) -> bool {
    version == VERSION
}

/// The JSON Schema of every sync message (`schemas/sync.schema.json`).
pub fn schema_document() -> Value {
    let mut generator = schemars::generate::SchemaSettings::draft2020_12().into_generator();
    let messages = [
        ("BookingsPage", generator.subschema_for::<BookingsPage>()),
        ("DayReport", generator.subschema_for::<DayReport>()),
        ("DayReportAnswer", generator.subschema_for::<DayReportAnswer>()),
    ];
    let branches: Vec<Value> =
        messages.iter().map(|(title, schema)| json!({ "title": title, "allOf": [schema] })).collect();
    let definitions = generator.take_definitions(true);
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://borasen.invalid/schemas/sync.schema.json",
        "title": "borasen center–hub sync message",
        "description": format!("Version {VERSION}. Generated from src/sync/contract.rs (BLESS=1 cargo test --lib sync::); do not edit. Unknown fields are refused; a change an older peer could misread raises the version."),
        "oneOf": branches,
        "$defs": definitions,
    })
}

pub fn schema_text() -> String {
    serde_json::to_string_pretty(&schema_document()).expect("the schema serialises") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHEMA_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/schemas/sync.schema.json");

    #[test]
    fn the_committed_sync_schema_is_up_to_date() {
        let text = schema_text();
        if std::env::var_os("BLESS").is_some() {
            std::fs::write(SCHEMA_PATH, &text).unwrap();
        }
        let committed = std::fs::read_to_string(SCHEMA_PATH).unwrap_or_default();
        assert!(committed == text, "schemas/sync.schema.json is stale: BLESS=1 cargo test --lib sync::");
    }

    fn report() -> Value {
        json!({
            "version": 1, "batch_id": "b1", "batch_seq": 1, "day": "2026-12-01",
            "made_at": "2026-12-01T10:42:00+09:00",
            "arrivals": [{ "booking_id": 7, "checked_in_at": "2026-12-01T08:30:00+09:00", "people": 1 }],
            "figures": DayFigures::default(),
        })
    }

    #[test]
    fn a_report_reads_back_and_an_unknown_field_anywhere_refuses_it_whole() {
        let read: DayReport = serde_json::from_value(report()).unwrap();
        assert_eq!(read.arrivals[0].booking_id, 7);
        let mut top = report();
        top["extra"] = json!(1);
        assert!(serde_json::from_value::<DayReport>(top).unwrap_err().to_string().contains("extra"));
        let mut inner = report();
        inner["arrivals"][0]["name"] = json!("山田");
        assert!(serde_json::from_value::<DayReport>(inner).unwrap_err().to_string().contains("name"));
        let mut figures = report();
        figures["figures"]["checked_in_names"] = json!([]);
        assert!(serde_json::from_value::<DayReport>(figures).is_err());
    }

    #[test]
    fn an_unknown_booking_state_is_refused_and_only_this_version_is_read() {
        let change = json!({ "booking_id": 1, "number": "H-00001", "day": "2026-12-01", "state": "maybe",
            "seats": 1, "qr_token": null, "meeting": null, "volunteer": null });
        assert!(serde_json::from_value::<BookingChange>(change).is_err());
        assert!(version_ok(VERSION));
        assert!(!version_ok(VERSION + 1));
    }
}
