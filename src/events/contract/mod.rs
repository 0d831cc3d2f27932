//! The event contract: what each kind of event carries in its `data`, typed.
//!
//! One struct per kind, each with its kind name ([`EventPayload::KIND`]);
//! [`WriteTx::append`](super::WriteTx::append) takes only these, and readers
//! decode rows back into them ([`Event::decode`](super::Event::decode),
//! [`Payload::decode`]). The kinds are listed once, in [`KINDS`].
//!
//! The contract is also what one machine sends another (center ↔ hub), so it
//! stands alone: plain types and its own small enums, no domain module. Values
//! from an open set (categories, sources, roles…) are strings, so a newer
//! writer's new value never makes an older reader drop the event.
//!
//! **Additive only.** Old rows are never rewritten, so a change must keep them
//! reading: add fields with `#[serde(default)]` (or `Option`), never rename or
//! retype one, never drop a kind; a change that cannot be additive is a new
//! kind. `schemas/events.schema.json` is generated from these types and a test
//! fails when it differs (`BLESS=1 cargo test --lib events::contract` writes it).

/// Writes one kind's payload type: the derives every contract type has and its
/// [`EventPayload`] impl, so a kind is named once, next to its fields. Doc
/// comments (the struct's and its fields') go through to the JSON Schema; a
/// `#[derive(…)]` after `#[kind]` adds to the derives.
///
/// ```ignore
/// event! {
///     /// A team left (subject the team number).
///     #[kind = "team.dispatched"]
///     pub struct TeamDispatched {
///         pub team_id: i64,
///     }
/// }
/// ```
macro_rules! event {
    (
        $(#[doc = $doc:literal])*
        #[kind = $kind:literal]
        $(#[derive($($derive:path),* $(,)?)])?
        pub struct $name:ident { $($fields:tt)* }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Default, PartialEq, ::serde::Serialize, ::serde::Deserialize, ::schemars::JsonSchema)]
        $(#[derive($($derive),*)])?
        pub struct $name { $($fields)* }

        impl $crate::events::contract::EventPayload for $name {
            const KIND: &'static str = $kind;
        }
    };
}

pub mod auth;
pub mod board;
pub mod dispatch;
pub mod drill;
pub mod hub_link;
pub mod inventory;
pub mod needs;
pub mod reception;
pub mod reports;
pub mod safety;
pub mod settings;
pub mod zones;

use schemars::JsonSchema;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// The `data` of one kind of event.
pub trait EventPayload: Serialize + DeserializeOwned + JsonSchema {
    /// The `kind` column: `domain.what_happened`.
    const KIND: &'static str;
}

/// One kind of event, as listed in [`KINDS`].
#[derive(Clone, Copy)]
pub struct Kind {
    pub kind: &'static str,
    /// The Rust type of its `data`, and the name of its schema definition.
    pub type_name: &'static str,
    /// The board's feed names it (the catalogue has its line `js.board.kind.<kind>`, `.` as `_`).
    pub board: bool,
    schema: fn(&mut schemars::SchemaGenerator) -> schemars::Schema,
    blank: fn() -> Value,
}

impl Kind {
    /// Its `data` with every field at its default: a template for tests and docs.
    pub fn blank(&self) -> Value {
        (self.blank)()
    }
}

impl std::fmt::Debug for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Kind").field("kind", &self.kind).field("board", &self.board).finish()
    }
}

/// An event's `data` could not be read as its kind's type.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("event kind {found} is not {expected}")]
    WrongKind { expected: &'static str, found: String },
    #[error("event kind {0} is not in the contract")]
    UnknownKind(String),
    #[error("the data of a {kind} event does not fit its type: {error}")]
    Data { kind: &'static str, error: serde_json::Error },
}

/// `data` read as `P`, `kind` already checked.
pub(crate) fn decode_data<P: EventPayload>(data: &Value) -> Result<P, DecodeError> {
    P::deserialize(data).map_err(|error| DecodeError::Data { kind: P::KIND, error })
}

/// The JSON string a domain enum is written as (its serde name): the contract
/// keeps open value sets as strings, so a domain's value is taken as it serialises.
pub fn wire(value: &impl Serialize) -> String {
    match serde_json::to_value(value) {
        Ok(Value::String(text)) => text,
        other => panic!("a value written into an event as a string serialises to one: {other:?}"),
    }
}

macro_rules! kinds {
    ($($module:ident :: $name:ident, board: $board:expr;)*) => {
        /// Any event's `data`, decoded by its kind.
        #[derive(Debug, Clone, PartialEq)]
        pub enum Payload {
            $($name($module::$name),)*
        }

        impl Payload {
            /// Decodes `data` as the type of `kind`.
            pub fn decode(kind: &str, data: &Value) -> Result<Payload, DecodeError> {
                $(
                    if kind == <$module::$name as EventPayload>::KIND {
                        return decode_data::<$module::$name>(data).map(Payload::$name);
                    }
                )*
                Err(DecodeError::UnknownKind(kind.to_string()))
            }

            /// The data, when it is of `P`'s kind.
            pub fn get<P: EventPayload + 'static>(&self) -> Option<&P> {
                match self {
                    $(Payload::$name(inner) => (inner as &dyn std::any::Any).downcast_ref::<P>(),)*
                }
            }

            /// The data as stored (`serde_json::Value`, keys in the same order as every row).
            pub fn to_data(&self) -> Value {
                match self {
                    $(Payload::$name(inner) => serde_json::to_value(inner),)*
                }
                .expect("a payload serialises")
            }

            pub fn kind(&self) -> &'static str {
                match self {
                    $(Payload::$name(_) => <$module::$name as EventPayload>::KIND,)*
                }
            }
        }

        /// Every kind of event, each once.
        pub const KINDS: &[Kind] = &[
            $(Kind {
                kind: <$module::$name as EventPayload>::KIND,
                type_name: stringify!($name),
                board: $board,
                schema: |generator| generator.subschema_for::<$module::$name>(),
                blank: || serde_json::to_value($module::$name::default()).expect("a payload serialises"),
            },)*
        ];
    };
}

kinds! {
    auth::AuthLogin, board: true;
    auth::AuthLogout, board: true;
    auth::AuthLockedOut, board: true;
    auth::UserCreated, board: true;
    auth::UserPasswordReset, board: true;
    auth::UserDisabled, board: true;
    auth::UserEnabled, board: true;
    auth::UsersCarriedOver, board: true;
    reception::VolunteerRegistered, board: true;
    reception::VolunteerBookingSynced, board: false;
    reception::VolunteerCheckedIn, board: true;
    reception::VolunteerCheckedOut, board: true;
    reception::VolunteerCheckInCancelled, board: true;
    reception::VolunteerInsuranceChanged, board: true;
    reception::CapacitySet, board: true;
    board::NoticePosted, board: true;
    needs::NeedReceived, board: true;
    needs::NeedUpdated, board: true;
    needs::NeedSurveyed, board: true;
    needs::NeedReopened, board: true;
    needs::NeedStatusChanged, board: true;
    dispatch::TeamDispatched, board: true;
    dispatch::TeamReturned, board: true;
    dispatch::TeamOverdue, board: true;
    dispatch::IncidentReported, board: true;
    dispatch::HeadcountShort, board: true;
    dispatch::HeadcountResolved, board: true;
    reports::RemarksWritten, board: true;
    dispatch::CenterSuspended, board: true;
    dispatch::CenterResumed, board: true;
    settings::SettingsChanged, board: true;
    safety::WbgtRecorded, board: true;
    safety::AlertRaised, board: true;
    safety::AlertDecided, board: true;
    inventory::ItemAdded, board: true;
    inventory::ItemUpdated, board: true;
    inventory::ItemReceived, board: true;
    inventory::ItemAdjusted, board: true;
    inventory::ItemWrittenOff, board: true;
    inventory::ItemLowStock, board: true;
    inventory::ItemsLent, board: true;
    inventory::ItemsReturned, board: true;
    zones::ZonesImported, board: true;
    zones::AddressesImported, board: true;
    hub_link::HubLinkConfigured, board: false;
    hub_link::HubLinkPulled, board: false;
    hub_link::HubLinkReportMade, board: false;
    hub_link::HubLinkReportSent, board: false;
    drill::Started, board: false;
    drill::ClockChanged, board: false;
    drill::Fired, board: false;
    drill::Skipped, board: false;
    drill::CallTaken, board: false;
    drill::Missed, board: false;
    drill::Observation, board: false;
    drill::Rated, board: false;
    drill::PlanItem, board: false;
    drill::Stopped, board: false;
    drill::LateEntry, board: false;
    drill::ExpectMarked, board: false;
    drill::Finding, board: false;
    drill::Unskipped, board: false;
    drill::InquiryAnswered, board: false;
}

impl Payload {
    /// The need facts of any `need.*` event.
    pub fn need(&self) -> Option<&needs::NeedFacts> {
        use needs::NeedEvent;
        match self {
            Payload::NeedReceived(e) => Some(e.need()),
            Payload::NeedUpdated(e) => Some(e.need()),
            Payload::NeedSurveyed(e) => Some(e.need()),
            Payload::NeedReopened(e) => Some(e.need()),
            Payload::NeedStatusChanged(e) => Some(e.need()),
            _ => None,
        }
    }
}

/// A kind as `GET /api/events/kinds` lists it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct KindSummary {
    /// `domain.what_happened`
    pub kind: &'static str,
    /// The board's feed names it.
    pub board: bool,
}

/// Every kind, for the browser: what the board must have words for.
pub fn summaries() -> Vec<KindSummary> {
    KINDS.iter().map(|k| KindSummary { kind: k.kind, board: k.board }).collect()
}

/// The kind named `kind`, if the contract has it.
pub fn kind(kind: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|k| k.kind == kind)
}

/// The JSON Schema document of every event (`schemas/events.schema.json`):
/// one definition per kind's `data`, and the row as stored and sent to
/// boards, `{seq, at, actor, kind, subject, data, drill, cause}`, one branch per kind.
pub fn schema_document() -> Value {
    let mut generator = schemars::generate::SchemaSettings::draft2020_12().for_deserialize().into_generator();
    let branches: Vec<Value> = KINDS
        .iter()
        .map(|kind| {
            let data = (kind.schema)(&mut generator);
            json!({
                "title": kind.kind,
                "type": "object",
                "properties": { "kind": { "const": kind.kind }, "data": data },
                "x-board": kind.board,
            })
        })
        .collect();
    let definitions = generator.take_definitions(true);
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://borasen.invalid/schemas/events.schema.json",
        "title": "borasen event",
        "description": "One row of the event log, as stored and as sent on /ws/board. Generated from src/events/contract (BLESS=1 cargo test --lib events::contract); do not edit. Changes are additive only.",
        "type": "object",
        "required": ["seq", "at", "actor", "kind", "data", "drill"],
        "properties": {
            "seq": { "type": "integer", "minimum": 1 },
            "at": { "type": "string", "format": "date-time", "description": "RFC 3339 with the center's offset" },
            "actor": { "type": "string", "description": "a username, or system, public, cli, drill, autopilot" },
            "kind": { "type": "string", "enum": KINDS.iter().map(|k| k.kind).collect::<Vec<_>>() },
            "subject": { "type": ["string", "null"] },
            "data": { "type": "object" },
            "drill": { "type": "boolean" },
            "cause": {
                "type": "string",
                "enum": ["player", "inject", "autopilot", "trainer", "system"],
                "description": "who caused it: a person at a desk (a player in a drill), a drill's inject, its autopilot, its trainer or evaluator, or the server; rows stored before it was recorded are read from their actor"
            },
        },
        "oneOf": branches,
        "$defs": definitions,
    })
}

/// [`schema_document`] as the committed file holds it.
pub fn schema_text() -> String {
    serde_json::to_string_pretty(&schema_document()).expect("the schema serialises") + "\n"
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn every_kind_is_listed_once_and_named_domain_dot_what() {
        let mut seen = HashSet::new();
        for kind in KINDS {
            assert!(seen.insert(kind.kind), "{} twice", kind.kind);
            let (domain, what) = kind.kind.split_once('.').expect("domain.what");
            assert!(!domain.is_empty() && !what.is_empty() && !what.contains('.'), "{}", kind.kind);
        }
    }

    #[test]
    fn every_blank_payload_decodes_as_its_kind() {
        for kind in KINDS {
            let decoded = Payload::decode(kind.kind, &kind.blank()).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(decoded.kind(), kind.kind);
        }
        assert!(matches!(Payload::decode("no.such", &json!({})), Err(DecodeError::UnknownKind(_))));
    }

    /// The committed schema is what the code generates.
    #[test]
    fn the_committed_schema_is_up_to_date() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/events.schema.json");
        let generated = schema_text();
        if std::env::var_os("BLESS").is_some() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &generated).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == generated,
            "schemas/events.schema.json differs from the event contract; regenerate it with\n  \
             BLESS=1 cargo test --lib events::contract::tests::the_committed_schema_is_up_to_date\n\
             and commit it (changes must be additive: see src/events/contract/mod.rs)"
        );
    }

    #[test]
    fn the_schema_has_a_branch_and_a_definition_for_every_kind() {
        let document = schema_document();
        let branches = document["oneOf"].as_array().unwrap();
        assert_eq!(branches.len(), KINDS.len());
        for kind in KINDS {
            assert!(document["$defs"].get(kind.type_name).is_some(), "no definition for {}", kind.kind);
        }
    }
}
