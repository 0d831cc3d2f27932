//! Who may see the drill's controller material: the scenario, every inject
//! with its expected action and hint, ratings, observations, the plan, the AAR.
//!
//! On a drill server the trainer and the evaluator control the exercise
//! (`DrillController`); everyone else plays it, the admin included: the
//! admin runs the center in the exercise as the coordinator and reception
//! work its desks, so they see only what the center would see. On a live
//! server there is no drill and nothing to hide, and the console page
//! keeps its old door (trainers and admins) to explain how to start one.
//! The events themselves are filtered where they leave the server
//! (`events::visibility`).

use std::sync::Arc;

use super::http::running;
use super::run::DrillRun;
use crate::auth::Role;
use crate::auth::extract::{Allowed, DrillController};
use crate::error::{AppError, Class};
use crate::i18n::Text;
use crate::state::AppState;

/// Whether `role` sees the controller's material.
pub fn controls(role: Role) -> bool {
    DrillController::admits(role)
}

/// The run, for its controller: 404 `no_drill` on a live server (as before),
/// 403 `controller_only` for a player.
pub fn for_controller(state: &AppState, role: Role) -> Result<&Arc<DrillRun>, AppError> {
    let run = running(state)?;
    if controls(role) { Ok(run) } else { Err(controller_only()) }
}

fn controller_only() -> AppError {
    AppError::new(
        Class::Refused,
        "controller_only",
        Text::new(
            "訓練の統制資料（シナリオ・インジェクト・評価）は統制官と評価者だけが見られます。",
            "A drill's controller material (scenario, injects, evaluation) is for the trainer and the evaluator only.",
        ),
    )
}
