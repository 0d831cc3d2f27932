//! Whose actions meet an expected action. Players' do; in an autopilot run the
//! autopilot's do (it plays the trainees, and the AAR marks them as its own);
//! an inject's scripted effects, the trainer's and the server's never do.
//! Every event says who caused it ([`Cause`]), written once with the row.

use crate::events::{Cause, Event};

use super::log::Started;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credit {
    /// A drill played by people.
    Players,
    /// A drill the autopilot started (`drill run --autopilot`): it plays the trainees.
    PlayersAndAutopilot,
    /// Whoever did it: to tell an action nobody gets credit for (an inject's own
    /// effect), and for a drill file written before causes were recorded, which
    /// is judged as it was then (its AAR stays the same).
    Anyone,
}

impl Credit {
    /// The credit of the run whose log this is: the autopilot's when it started the drill.
    pub fn of_run(events: &[Event]) -> Credit {
        match events.iter().find(|e| e.is::<Started>()) {
            Some(started) if !started.cause_recorded => Credit::Anyone,
            Some(started) if started.cause == Cause::Autopilot => Credit::PlayersAndAutopilot,
            _ => Credit::Players,
        }
    }

    /// Whether an action caused by `cause` counts.
    pub fn counts(self, cause: Cause) -> bool {
        match self {
            Credit::Players => cause == Cause::Player,
            Credit::PlayersAndAutopilot => matches!(cause, Cause::Player | Cause::Autopilot),
            Credit::Anyone => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_players_and_an_autopilot_run_s_autopilot_earn_credit() {
        for cause in [Cause::Inject, Cause::Trainer, Cause::System] {
            assert!(!Credit::Players.counts(cause) && !Credit::PlayersAndAutopilot.counts(cause), "{cause:?}");
        }
        assert!(Credit::Players.counts(Cause::Player));
        assert!(!Credit::Players.counts(Cause::Autopilot), "an autopilot in a people's drill earns nothing");
        assert!(Credit::PlayersAndAutopilot.counts(Cause::Autopilot));
    }
}
