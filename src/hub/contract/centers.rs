//! Centers: registered by a hub admin, each with a sync key. Never the key
//! or its hash.

hub_event! {
    /// A hub admin registered a center (subject `center:<id>`); its first sync
    /// key was issued.
    #[kind = "center.registered"]
    pub struct CenterRegistered {
        pub center_id: i64,
        /// The center's name (a place, not a person).
        pub name: String,
    }
}

hub_event! {
    /// A hub admin issued a center a new sync key (subject `center:<id>`); the
    /// old one stopped working.
    #[kind = "center.key_rotated"]
    pub struct CenterKeyRotated {
        pub center_id: i64,
    }
}
