//! The board's notices (本部からのお知らせ).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::EventPayload;

/// A notice was posted (subject `notice:<id>`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct NoticePosted {
    pub id: i64,
    pub text: String,
    /// Shown on the public lobby screen too.
    pub lobby: bool,
}

impl EventPayload for NoticePosted {
    const KIND: &'static str = "board.notice_posted";
}
