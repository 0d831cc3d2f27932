//! `ict_outage`: the drill drops the live boards' connections for real, so
//! trainees see a board go offline and come back resynced from its `seq`.

use std::sync::LazyLock;

use crate::events::EventPayload;
use crate::events::contract::drill::{Fired, InjectKind};
use crate::events::contract::wire;

/// What a published `ict_outage` firing contains: its kind, and the inject kind in its data.
static OUTAGE: LazyLock<[Vec<u8>; 2]> = LazyLock::new(|| {
    let needle = |value: &str| format!(r#""kind":"{value}""#).into_bytes();
    [needle(Fired::KIND), needle(&wire(&InjectKind::IctOutage))]
});

/// Whether a published event is an `ict_outage` inject firing. Looked for in
/// the bytes every board is sent, so nothing is parsed for the other events.
pub fn drops_boards(json: &[u8]) -> bool {
    OUTAGE.iter().all(|needle| contains(json, needle))
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_outage_firing_drops_the_boards() {
        let outage = br#"{"seq":9,"kind":"drill.inject_fired","data":{"inject":5,"kind":"ict_outage"},"drill":true}"#;
        let other = br#"{"seq":9,"kind":"drill.inject_fired","data":{"inject":5,"kind":"inquiry"},"drill":true}"#;
        assert!(drops_boards(outage));
        assert!(!drops_boards(other));
        assert!(!drops_boards(br#"{"kind":"need.updated","data":{"notes":"ict_outage"}}"#));
    }
}
