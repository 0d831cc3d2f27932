//! The hub's event contract: what each kind of hub event carries in `data`,
//! typed, as the center's (`crate::events::contract`) and under the same rules:
//! one struct per kind, named once ([`HubEventPayload::KIND`]); additive only
//! (new fields `#[serde(default)]` or `Option`; never rename, retype or drop);
//! no personal data (account ids and categories, never an address or a name).
//! The hub's log is its own table in PostgreSQL, so its kinds are listed apart
//! ([`HUB_KINDS`]) and [`crate::hub::events::HubTx::append`] takes only these;
//! the JSON Schema is `schemas/hub-events.schema.json`
//! (`BLESS=1 cargo test --lib hub::contract` writes it).
//!
//! **Adding a kind**: the struct in its area's file here (`hub_event!`), one
//! line in `hub_kinds!` below, append it from the command, regenerate the schema.

/// One kind's payload type: the derives every contract type has, and its
/// [`HubEventPayload`] impl.
macro_rules! hub_event {
    (
        $(#[doc = $doc:literal])*
        #[kind = $kind:literal]
        pub struct $name:ident { $($fields:tt)* }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Default, PartialEq, ::serde::Serialize, ::serde::Deserialize, ::schemars::JsonSchema)]
        pub struct $name { $($fields)* }

        impl $crate::hub::contract::HubEventPayload for $name {
            const KIND: &'static str = $kind;
        }
    };
}

pub mod accounts;
pub mod booking;
pub mod centers;
pub mod mail;
pub mod sync;
pub mod volunteers;

use schemars::JsonSchema;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// The `data` of one kind of hub event.
pub trait HubEventPayload: Serialize + DeserializeOwned + JsonSchema {
    /// The `kind` column: `area.what_happened`.
    const KIND: &'static str;
}

/// One kind, as listed in [`HUB_KINDS`].
#[derive(Clone, Copy)]
pub struct HubKind {
    pub kind: &'static str,
    pub type_name: &'static str,
    schema: fn(&mut schemars::SchemaGenerator) -> schemars::Schema,
    blank: fn() -> Value,
}

impl HubKind {
    /// Its `data` with every field at its default.
    pub fn blank(&self) -> Value {
        (self.blank)()
    }
}

impl std::fmt::Debug for HubKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HubKind").field("kind", &self.kind).finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum HubDecodeError {
    #[error("hub event kind {0} is not in the contract")]
    UnknownKind(String),
    #[error("the data of a {kind} event does not fit its type: {error}")]
    Data { kind: &'static str, error: serde_json::Error },
}

macro_rules! hub_kinds {
    ($($module:ident :: $name:ident;)*) => {
        /// Any hub event's `data`, decoded by its kind.
        #[derive(Debug, Clone, PartialEq)]
        pub enum HubPayload {
            $($name($module::$name),)*
        }

        impl HubPayload {
            pub fn decode(kind: &str, data: &Value) -> Result<HubPayload, HubDecodeError> {
                $(
                    if kind == <$module::$name as HubEventPayload>::KIND {
                        return $module::$name::deserialize(data)
                            .map(HubPayload::$name)
                            .map_err(|error| HubDecodeError::Data { kind: <$module::$name as HubEventPayload>::KIND, error });
                    }
                )*
                Err(HubDecodeError::UnknownKind(kind.to_string()))
            }

            pub fn kind(&self) -> &'static str {
                match self {
                    $(HubPayload::$name(_) => <$module::$name as HubEventPayload>::KIND,)*
                }
            }
        }

        /// Every kind of hub event, each once.
        pub const HUB_KINDS: &[HubKind] = &[
            $(HubKind {
                kind: <$module::$name as HubEventPayload>::KIND,
                type_name: stringify!($name),
                schema: |generator| generator.subschema_for::<$module::$name>(),
                blank: || serde_json::to_value($module::$name::default()).expect("a payload serialises"),
            },)*
        ];
    };
}

use serde::Deserialize as _;

hub_kinds! {
    accounts::AccountCreated;
    accounts::AccountLoggedIn;
    accounts::AccountLoggedOut;
    accounts::AccountLoginLocked;
    accounts::AccountPasswordResetSent;
    accounts::AccountPasswordReset;
    volunteers::HubVolunteerRegistered;
    volunteers::AccountVerificationSent;
    volunteers::AccountVerified;
    volunteers::AccountDeleted;
    volunteers::AccountProfileChanged;
    volunteers::AccountRetentionNoticed;
    mail::MailSent;
    mail::MailDeferred;
    mail::MailFailed;
    booking::OpeningCreated;
    booking::OpeningStateChanged;
    booking::BookingMade;
    booking::BookingCancelled;
    booking::BookingPromoted;
    booking::LotteryDrawn;
    booking::RemindersQueued;
    centers::CenterRegistered;
    centers::CenterKeyRotated;
    sync::SyncPulled;
    sync::SyncReported;
}

/// The JSON Schema of every hub event (`schemas/hub-events.schema.json`).
pub fn schema_document() -> Value {
    let mut generator = schemars::generate::SchemaSettings::draft2020_12().for_deserialize().into_generator();
    let branches: Vec<Value> = HUB_KINDS
        .iter()
        .map(|kind| {
            let data = (kind.schema)(&mut generator);
            json!({
                "title": kind.kind,
                "type": "object",
                "properties": { "kind": { "const": kind.kind }, "data": data },
            })
        })
        .collect();
    let definitions = generator.take_definitions(true);
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://borasen.invalid/schemas/hub-events.schema.json",
        "title": "borasen hub event",
        "description": "One row of the hub's event log (PostgreSQL table hub_events). Generated from src/hub/contract (BLESS=1 cargo test --lib hub::contract); do not edit. Changes are additive only.",
        "type": "object",
        "required": ["seq", "at", "actor", "kind", "data"],
        "properties": {
            "seq": { "type": "integer", "minimum": 1 },
            "at": { "type": "string", "format": "date-time" },
            "actor": { "type": "string", "description": "account:<id>, public, system, mail, center:<id>" },
            "kind": { "type": "string", "enum": HUB_KINDS.iter().map(|k| k.kind).collect::<Vec<_>>() },
            "subject": { "type": ["string", "null"] },
            "data": { "type": "object" },
        },
        "oneOf": branches,
        "$defs": definitions,
    })
}

pub fn schema_text() -> String {
    serde_json::to_string_pretty(&schema_document()).expect("the schema serialises") + "\n"
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn every_hub_kind_is_listed_once_named_area_dot_what_and_decodes_blank() {
        let mut seen = HashSet::new();
        for kind in HUB_KINDS {
            assert!(seen.insert(kind.kind), "{} twice", kind.kind);
            let (area, what) = kind.kind.split_once('.').expect("area.what");
            assert!(!area.is_empty() && !what.is_empty() && !what.contains('.'), "{}", kind.kind);
            assert_eq!(HubPayload::decode(kind.kind, &kind.blank()).unwrap().kind(), kind.kind);
            assert!(crate::events::contract::kind(kind.kind).is_none(), "{} is also a center kind", kind.kind);
        }
    }

    #[test]
    fn the_committed_hub_schema_is_up_to_date() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/hub-events.schema.json");
        let generated = schema_text();
        if std::env::var_os("BLESS").is_some() {
            std::fs::write(&path, &generated).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == generated,
            "schemas/hub-events.schema.json differs from the hub's contract; regenerate it with\n  \
             BLESS=1 cargo test --lib hub::contract::tests::the_committed_hub_schema_is_up_to_date"
        );
    }
}
