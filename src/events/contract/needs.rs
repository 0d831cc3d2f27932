//! Need cards (ニーズ票). The number, status, zone, categories and counts;
//! field *names* of an edit, never their values, and no free-text reason.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Where a need stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NeedStatus {
    /// 受付
    #[default]
    Received,
    /// 調査中
    Surveying,
    /// 待機
    Waiting,
    /// 活動中
    Active,
    /// 継続
    Continuing,
    /// 完了
    Done,
    /// 取消
    Cancelled,
    /// A status this reader does not know (a newer writer's).
    #[serde(other)]
    Other,
}

impl NeedStatus {
    /// Done or cancelled: nothing more will happen to it unless reopened.
    pub fn is_closed(self) -> bool {
        matches!(self, NeedStatus::Done | NeedStatus::Cancelled)
    }
}

/// What every need event carries: the card as it is after the change.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct NeedFacts {
    pub need_id: i64,
    pub need_no: String,
    pub status: NeedStatus,
    pub version: i64,
    pub zone: Option<String>,
    pub priority: i64,
    /// `mud`, `belongings`, `cleaning`…
    pub categories: Vec<String>,
    pub people_needed: i64,
    pub needs_care: bool,
    /// `phone`, `visit`, `counter`…
    pub received_via: String,
    /// The need number this one duplicates.
    pub duplicate_of: Option<String>,
    /// The card has a map pin (the pin itself is personal data and stays out).
    pub has_pin: bool,
}

event! {
    /// A need card was received (subject the need number).
    #[kind = "need.received"]
    pub struct NeedReceived {
        #[serde(flatten)]
        pub need: NeedFacts,
    }
}

event! {
    /// A need's status moved: by hand (an edit), or as its team left or came back.
    #[kind = "need.status_changed"]
    pub struct NeedStatusChanged {
        #[serde(flatten)]
        pub need: NeedFacts,
        pub from: NeedStatus,
        /// The names of the fields that changed.
        pub changed: Vec<String>,
        /// By hand: a survey was attached too.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub surveyed: Option<bool>,
        /// By hand: a reason was given (the reason stays on the card).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub reason_given: Option<bool>,
        /// By a team: its number.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub team_no: Option<String>,
    }
}

/// The kinds of an edit that did not move the status by the lifecycle.
macro_rules! edit_kind {
    ($(#[doc = $doc:literal])* $name:ident, $kind:literal) => {
        event! {
            $(#[doc = $doc])*
            #[kind = $kind]
            pub struct $name {
                #[serde(flatten)]
                pub need: NeedFacts,
                pub from: NeedStatus,
                /// The names of the fields that changed.
                pub changed: Vec<String>,
                pub surveyed: bool,
                pub reason_given: bool,
            }
        }
    };
}

edit_kind!(
    /// Fields of a need card were edited.
    NeedUpdated,
    "need.updated"
);
edit_kind!(
    /// A survey (現地調査) was attached, nothing else changed.
    NeedSurveyed,
    "need.surveyed"
);
edit_kind!(
    /// A closed need was opened again (with a reason, kept on the card).
    NeedReopened,
    "need.reopened"
);

/// Reads any need event's facts: the number and status after it.
pub trait NeedEvent {
    fn need(&self) -> &NeedFacts;
}

macro_rules! need_event {
    ($($name:ident),*) => {$(
        impl NeedEvent for $name {
            fn need(&self) -> &NeedFacts {
                &self.need
            }
        }
    )*};
}

need_event!(NeedReceived, NeedStatusChanged, NeedUpdated, NeedSurveyed, NeedReopened);
