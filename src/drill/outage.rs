//! `ict_outage`: the drill drops the live boards' connections for real, so
//! trainees see a board go offline and come back resynced from its `seq`.

/// Whether a published event is an `ict_outage` inject firing.
pub fn drops_boards(json: &[u8]) -> bool {
    contains(json, br#""kind":"drill.inject_fired""#) && contains(json, br#""kind":"ict_outage""#)
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
