//! The trainees' inbox: what the fired injects say to each section, and the
//! household calls waiting to be written up as need cards.

use serde::Serialize;

use super::inject::default_message;
use super::links;
use super::log::Fired;
use super::payload::Payload;
use super::run::DrillRun;
use super::scenario::{InjectKind, Section};
use crate::error::AppError;
use crate::events::{self, EventPayload};
use crate::i18n::Phrase;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Inbox {
    /// The newest event's `seq`: ask again with `since` set to it.
    pub seq: i64,
    pub messages: Vec<Message>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Message {
    pub seq: i64,
    /// Drill time.
    pub at: String,
    pub inject: u32,
    pub kind: InjectKind,
    pub kind_label: &'static str,
    pub to: Section,
    pub to_label: &'static str,
    /// As recorded when it fired (Japanese when the drill made it up).
    pub message: String,
    /// The message as a phrase the page says in its language, when the drill
    /// made it up (the scenario gave none); a message the trainer wrote is data.
    pub message_phrase: Option<Phrase>,
    /// A household call still to be written up (coordinators and admins only):
    /// the need card as the caller gives it — with `slip = "caller"` only the
    /// caller's words, the rest left for the trainee. Send it back with `drill_call`.
    pub call: Option<super::slip::CallSlip>,
}

const PAGE: i64 = 200;

pub async fn read(run: &DrillRun, since: Option<i64>, personal: bool) -> Result<Inbox, AppError> {
    let pool = &run.env.db.read;
    let seq = events::last_seq(pool).await?;
    let fired =
        events::of_kind_since(pool, Fired::KIND, since.unwrap_or(0), if since.is_some() { PAGE } else { i64::MAX })
            .await?;
    // A full page means more to come: the next ask starts after this page.
    let seq = match fired.last() {
        Some(last) if since.is_some() && fired.len() as i64 == PAGE => last.seq,
        _ => seq,
    };
    let mut messages = Vec::new();
    for event in fired {
        let Some(fired) = crate::events::decoded::<Fired>(&event) else { continue };
        if fired.hidden {
            continue;
        }
        let call = match run.payload(fired.inject) {
            Some(Payload::HouseholdRequest(call)) if fired.queued && personal => {
                (!links::call_taken(pool, fired.inject).await?).then(|| super::slip::slip(call))
            }
            _ => None,
        };
        // Without `since`: only the calls still waiting (a page just opened).
        if since.is_none() && call.is_none() {
            continue;
        }
        messages.push(Message {
            seq: event.seq,
            at: event.at,
            inject: fired.inject,
            kind: fired.kind,
            kind_label: fired.kind.label_ja(),
            to: fired.to,
            to_label: fired.to.label_ja(),
            message: fired.message,
            message_phrase: made_up_message(run, fired.inject),
            call,
        });
    }
    Ok(Inbox { seq, messages })
}

/// What the drill told trainees in its own words: the payload's summary, when
/// the scenario's inject has no message.
fn made_up_message(run: &DrillRun, inject: u32) -> Option<Phrase> {
    let written = run.inject(inject).is_some_and(|i| !i.message.is_empty());
    if written { None } else { run.payload(inject).map(default_message) }
}
