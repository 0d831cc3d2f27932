//! The evaluator's commands (訓練評価者, and the trainer too): mark an expected
//! action met / late / missed with a note (on a machine-checked action the
//! note is the reason for the override), note a strength or an area for improvement of an objective;
//! and the players' answer to an `inquiry` inject, which `inquiry_answered`
//! detects. Each is one event of the drill's log.

use super::log::{Aspect, ExpectMarked, Finding, Fired, InjectKind, InquiryAnswered, Verdict};
use super::run::{DrillRun, RunState, conflict};
use crate::error::AppError;
use crate::events::Actor;
use crate::i18n::Text;

/// The longest note, finding or answer.
pub const MAX_TEXT: usize = 2000;

fn fired(events: &[crate::events::Event], id: u32) -> Option<Fired> {
    events.iter().filter_map(crate::events::decoded::<Fired>).find(|f| f.inject == id)
}

impl DrillRun {
    /// Marks expected action `id`; the latest mark counts.
    pub async fn mark(&self, actor: &Actor, id: u32, verdict: Verdict, note: &str) -> Result<(), AppError> {
        let inject = self.inject(id).ok_or_else(|| {
            AppError::not_found(Text::new(format!("インジェクト {id} はありません。"), format!("No inject {id}.")))
        })?;
        let Some(expect) = &inject.expect else {
            return Err(AppError::validation(
                "inject",
                Text::new(
                    format!("インジェクト {id} には期待される行動がありません。"),
                    format!("Inject {id} has no expected action."),
                ),
            ));
        };
        // The reason is the point of an override; a plain mark says what was seen.
        let label = if expect.detect.is_some() { "判定を変える理由" } else { "判定のメモ" };
        let note = crate::fields::required_text("note", note, label, MAX_TEXT)?;
        let mut cache = self.turn.lock().await;
        self.top_up(&mut cache).await?;
        if fired(&cache, id).is_none() {
            return Err(conflict(
                &format!("インジェクト {id} はまだ発動していません。"),
                &format!("Inject {id} has not fired yet."),
            ));
        }
        self.append(actor, &ExpectMarked { inject: id, verdict, note }).await?;
        self.top_up(&mut cache).await
    }

    /// A strength or an area for improvement of `objective`.
    pub async fn find(&self, actor: &Actor, objective: &str, aspect: Aspect, text: &str) -> Result<(), AppError> {
        self.objective_exists(objective)?;
        let text = crate::fields::required_text("text", text, "所見", MAX_TEXT)?;
        let mut cache = self.turn.lock().await;
        self.append(actor, &Finding { objective: objective.to_string(), aspect, text }).await?;
        self.top_up(&mut cache).await
    }

    /// A player's answer to an inquiry that reached them (not a hidden one).
    pub async fn answer(&self, actor: &Actor, id: u32, answer: &str) -> Result<(), AppError> {
        let no_inquiry = || {
            AppError::not_found(Text::new(
                format!("問い合わせ {id} は届いていません。"),
                format!("No inquiry {id} has come."),
            ))
        };
        let answer = crate::fields::required_text("answer", answer, "回答", MAX_TEXT)?;
        let mut cache = self.turn.lock().await;
        if !matches!(self.state(), RunState::Running | RunState::Paused) {
            return Err(conflict("訓練が進行中のときだけ回答できます。", "Answers only while the drill is under way."));
        }
        self.top_up(&mut cache).await?;
        match fired(&cache, id) {
            Some(f) if f.kind == InjectKind::Inquiry && !f.hidden && id != super::controller::AD_HOC_INJECT => {}
            _ => return Err(no_inquiry()),
        }
        self.append(actor, &InquiryAnswered { inject: id, answer }).await?;
        self.top_up(&mut cache).await
    }
}
