//! Who caused an event, as a closed set: the evaluator credits players only
//! for what players did, so the log says it once, where the write happens
//! ([`super::Actor`] carries it into [`super::WriteTx::append`]).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Who caused an event.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    /// A person using borasen: staff at a desk (in a drill, a player), or
    /// somebody on the public registration form.
    #[default]
    Player,
    /// A drill's inject acting through the domain commands (a scripted effect).
    Inject,
    /// A drill's autopilot playing the trainees (`drill run --autopilot`).
    Autopilot,
    /// A drill's controller: a trainer or evaluator at the console.
    Trainer,
    /// The server itself or its terminal: scheduled jobs, seeding, `borasen users add`.
    System,
}

impl Cause {
    /// As stored in `events.cause`.
    pub fn as_str(self) -> &'static str {
        match self {
            Cause::Player => "player",
            Cause::Inject => "inject",
            Cause::Autopilot => "autopilot",
            Cause::Trainer => "trainer",
            Cause::System => "system",
        }
    }

    /// The stored cause, or for a row written before causes were recorded
    /// (migration 0020; `cause` is NULL) what its actor and kind said then.
    /// The one place a cause is read from an actor's name.
    pub fn of_row(stored: Option<&str>, actor: &str, kind: &str) -> Cause {
        match stored {
            Some("player") => Cause::Player,
            Some("inject") => Cause::Inject,
            Some("autopilot") => Cause::Autopilot,
            Some("trainer") => Cause::Trainer,
            Some("system") => Cause::System,
            _ => Cause::before_causes(actor, kind),
        }
    }

    /// The fixed actors of old rows: `drill` (injects), `autopilot`,
    /// `system`/`cli`; a username writing a `drill.*` event was the trainer.
    fn before_causes(actor: &str, kind: &str) -> Cause {
        match actor {
            "drill" => Cause::Inject,
            "autopilot" => Cause::Autopilot,
            "system" | "cli" => Cause::System,
            _ if kind.starts_with("drill.") => Cause::Trainer,
            _ => Cause::Player,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_cause_wins_and_old_rows_read_their_actor() {
        assert_eq!(Cause::of_row(Some("trainer"), "autopilot", "need.received"), Cause::Trainer);
        assert_eq!(Cause::of_row(None, "drill", "team.returned"), Cause::Inject);
        assert_eq!(Cause::of_row(None, "autopilot", "team.returned"), Cause::Autopilot);
        assert_eq!(Cause::of_row(None, "cli", "user.created"), Cause::System);
        assert_eq!(Cause::of_row(None, "yamada", "drill.rated"), Cause::Trainer);
        assert_eq!(Cause::of_row(None, "yamada", "team.returned"), Cause::Player);
        for cause in [Cause::Player, Cause::Inject, Cause::Autopilot, Cause::Trainer, Cause::System] {
            assert_eq!(Cause::of_row(Some(cause.as_str()), "x", "y"), cause);
            assert_eq!(serde_json::to_value(cause).unwrap(), cause.as_str());
        }
    }
}
