//! Zones (地区) and the offline address tables.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::EventPayload;

/// The zone set was replaced.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ZonesImported {
    /// The file it came from, as given.
    pub source: String,
    pub count: usize,
    pub names: Vec<String>,
    /// Zones the import removed.
    pub dropped: Vec<String>,
}

impl EventPayload for ZonesImported {
    const KIND: &'static str = "zones.imported";
}

/// An address table was replaced.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AddressesImported {
    /// `points` (位置参照情報) or `towns` (town → zone).
    pub kind: String,
    pub source: String,
    pub count: usize,
    pub skipped: usize,
    /// The first few skipped rows' line numbers.
    pub skipped_lines: Vec<usize>,
}

impl EventPayload for AddressesImported {
    const KIND: &'static str = "addresses.imported";
}
