//! What one piece of work committed: [`watch`] runs it with a list that
//! [`super::WriteTx::commit`] fills with its events, so a caller (a drill's
//! late entry) names exactly the events a request made, whoever else writes
//! meanwhile.

use std::sync::{Arc, Mutex};

use super::Event;

/// An event the watched work committed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Made {
    pub seq: i64,
    pub kind: String,
    pub subject: Option<String>,
}

tokio::task_local! {
    static MADE: Arc<Mutex<Vec<Made>>>;
}

/// Runs `work` and returns its output with the events it committed, in order.
pub async fn watch<F: Future>(work: F) -> (F::Output, Vec<Made>) {
    let made = Arc::new(Mutex::new(Vec::new()));
    let output = MADE.scope(made.clone(), work).await;
    let events = std::mem::take(&mut *made.lock().expect("made events"));
    (output, events)
}

/// Called by every commit: notes its events for the work being watched, if any.
pub(super) fn note(events: &[Event]) {
    let _ = MADE.try_with(|made| {
        made.lock().expect("made events").extend(events.iter().map(|e| Made {
            seq: e.seq,
            kind: e.kind.clone(),
            subject: e.subject.clone(),
        }))
    });
}
