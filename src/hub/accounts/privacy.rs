//! The privacy notice (個人情報の取り扱い) a volunteer agrees to before
//! registering: purpose, who sees what, how long it is kept, and deletion.
//! Its words are in `locales/hub/`; a change of wording that changes what is
//! agreed to takes a new version, and registration asks for the current one.

/// The version registration must name (`privacy_version`).
pub const PRIVACY_VERSION: &str = "2026-11-30";

/// The notice's sections, in order: catalogue keys `hub.privacy.<section>.{title,body}`.
pub const SECTIONS: [&str; 6] = ["purpose", "collected", "who_sees", "kept", "deletion", "contact"];
