//! Zones (地区) and the offline address tables.

event! {
    /// The zone set was replaced.
    #[kind = "zones.imported"]
    pub struct ZonesImported {
        /// The file it came from, as given.
        pub source: String,
        pub count: usize,
        pub names: Vec<String>,
        /// Zones the import removed.
        pub dropped: Vec<String>,
    }
}

event! {
    /// An address table was replaced.
    #[kind = "addresses.imported"]
    pub struct AddressesImported {
        /// `points` (位置参照情報) or `towns` (town → zone).
        pub kind: String,
        pub source: String,
        pub count: usize,
        pub skipped: usize,
        /// The first few skipped rows' line numbers.
        pub skipped_lines: Vec<usize>,
    }
}
