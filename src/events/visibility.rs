//! Who sees which event. A drill's log holds the controller's material (HSEEP
//! keeps it apart from the players'): the scenario file in `drill.started`,
//! hidden injects, missed expectations with their hints, ratings,
//! observations, the improvement plan. Players (admin, coordinator, reception
//! on a drill server) get only what they would meet in reality: the messages
//! addressed to them, once they fire.
//!
//! The rule is decided once per event, at the source: [`EventBus`](super::EventBus)
//! publishes each event's player form beside its full form, and a reader of
//! the table (a board catching up) asks [`for_players`] per row.
//! Every `drill.*` kind is withheld from players unless it is named below with
//! its player form, so a kind added later stays with the controller until
//! someone decides otherwise.

use std::borrow::Cow;

use bytes::Bytes;

use super::contract::EventPayload;
use super::contract::drill::{CallTaken, ClockChanged, Fired, Started, Stopped};
use super::{Event, Published};

/// The namespace of the drill's own events (every `contract::drill` kind; tested).
const DRILL_NAMESPACE: &str = "drill.";

/// Who is reading.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    /// The trainer and the evaluator: every event as it is.
    Controller,
    /// Everyone else: [`for_players`].
    Player,
}

impl Audience {
    /// `event` as this audience sees it, or `None` when it is not theirs.
    pub fn sees<'e>(self, event: &'e Event) -> Option<Cow<'e, Event>> {
        match self {
            Audience::Controller => Some(Cow::Borrowed(event)),
            Audience::Player => for_players(event),
        }
    }

    /// The bytes this audience gets of `event`, whose full form is `logged`
    /// (shared when they see it whole), if any.
    pub fn json_for(self, event: &Event, logged: &Bytes) -> Option<Bytes> {
        self.sees(event).map(|seen| match seen {
            Cow::Borrowed(_) => logged.clone(),
            Cow::Owned(redacted) => redacted.to_json(),
        })
    }

    /// The bytes of a published event this audience gets, if any (made once, at publishing).
    pub fn json_of(self, published: &Published) -> Option<Bytes> {
        match self {
            Audience::Controller => Some(published.json.clone()),
            Audience::Player => published.player_json.clone(),
        }
    }
}

/// What a player may see of `event`: the event itself (every event outside a
/// drill's own), a copy keeping only the player's part, or nothing.
pub fn for_players(event: &Event) -> Option<Cow<'_, Event>> {
    if !event.kind.starts_with(DRILL_NAMESPACE) {
        return Some(Cow::Borrowed(event));
    }
    match event.kind.as_str() {
        // The clock, the end, a call slip written up: nothing of the script in them.
        ClockChanged::KIND | Stopped::KIND | CallTaken::KIND => Some(Cow::Borrowed(event)),
        Started::KIND => redacted(event, |started: Started| Some(player_start(started))),
        Fired::KIND => redacted(event, player_message),
        // Skipped injects, missed expectations and their hints, observations,
        // ratings, the plan, and any drill kind not named here.
        _ => None,
    }
}

/// The run began: its name and clock, without the scenario file that holds every inject to come.
fn player_start(started: Started) -> Started {
    let Started { scenario_id, title, sim_start, speed, .. } = started;
    Started { scenario_id, title, sim_start, speed, ..Started::default() }
}

/// A fired inject as its addressees meet it: the message and what it brought
/// into the center. A hidden inject is for the controller only. How it came to
/// fire (on schedule, by hand, because something was missed), when it was
/// planned and what the system could not do are the controller's. An
/// outage's desks and end are the players': their desks answer with them.
fn player_message(fired: Fired) -> Option<Fired> {
    if fired.hidden {
        return None;
    }
    let Fired {
        inject,
        kind,
        to,
        message,
        queued,
        volunteer_ids,
        headcount,
        need_id,
        need_no,
        team_id,
        team_no,
        item_id,
        item,
        outage,
        ..
    } = fired;
    Some(Fired {
        inject,
        kind,
        to,
        message,
        queued,
        volunteer_ids,
        headcount,
        need_id,
        need_no,
        team_id,
        team_no,
        item_id,
        item,
        outage,
        ..Fired::default()
    })
}

/// `event` with its data replaced by `keep`'s answer; withheld when its data
/// does not decode (a row nobody can vouch for is not shown to players).
fn redacted<P: EventPayload + serde::Serialize>(
    event: &Event,
    keep: impl FnOnce(P) -> Option<P>,
) -> Option<Cow<'_, Event>> {
    let payload = super::decoded::<P>(event)?;
    let data = serde_json::to_value(keep(payload)?).ok()?;
    Some(Cow::Owned(Event { data, ..event.clone() }))
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::events::contract::drill::{InjectKind, Missed, Observation, Rated, Section, Skipped};

    fn event<P: EventPayload + serde::Serialize>(payload: &P) -> Event {
        Event {
            seq: 7,
            at: "2026-07-12T08:30:00+09:00".into(),
            actor: "drill".into(),
            kind: P::KIND.into(),
            subject: None,
            data: serde_json::to_value(payload).unwrap(),
            drill: true,
            cause: crate::events::Cause::Inject,
            cause_recorded: true,
        }
    }

    fn player_data(event: &Event) -> Option<Value> {
        for_players(event).map(|e| e.data.clone())
    }

    #[test]
    fn every_drill_kind_is_in_the_drill_namespace() {
        use crate::events::contract::drill::PlanItem;
        for kind in [
            Started::KIND,
            ClockChanged::KIND,
            Fired::KIND,
            Skipped::KIND,
            CallTaken::KIND,
            Missed::KIND,
            Observation::KIND,
            Rated::KIND,
            PlanItem::KIND,
            Stopped::KIND,
        ] {
            assert!(kind.starts_with(DRILL_NAMESPACE), "{kind}");
        }
    }

    #[test]
    fn the_scenario_file_never_reaches_a_player() {
        let started = event(&Started {
            scenario_id: "rain".into(),
            title: "大雨".into(),
            file: "drills/rain.toml".into(),
            sim_start: "2026-07-12T08:00:00+09:00".into(),
            speed: 4,
            scenario: "hidden = true\nmessage = \"統制官メモ\"".into(),
        });
        let data = player_data(&started).unwrap();
        assert_eq!(data["scenario"], "");
        assert_eq!(data["file"], "");
        assert_eq!((data["title"].as_str(), data["speed"].as_u64()), (Some("大雨"), Some(4)));
        assert_eq!(Audience::Controller.sees(&started).unwrap().data, started.data);
    }

    #[test]
    fn a_hidden_inject_is_withheld_and_a_fired_message_keeps_only_the_players_part() {
        let fired = Fired {
            inject: 3,
            kind: InjectKind::Inquiry,
            to: Section::All,
            message: "報道から取材の申し込み".into(),
            hidden: false,
            scheduled: Some("2026-07-12T08:20:00+09:00".into()),
            by: crate::events::contract::drill::FiredBy::Contingency,
            queued: true,
            need_no: Some("N-0001".into()),
            note: Some("このニーズはまだ受け付けられていません。".into()),
            ..Fired::default()
        };
        let data = player_data(&event(&fired)).unwrap();
        assert_eq!(data["message"], "報道から取材の申し込み");
        assert_eq!(data["need_no"], "N-0001");
        assert_eq!((&data["scheduled"], &data["note"], &data["by"]), (&Value::Null, &Value::Null, &json!("schedule")));
        let hidden = Fired { hidden: true, ..fired };
        assert!(for_players(&event(&hidden)).is_none());
        assert!(Audience::Controller.sees(&event(&hidden)).is_some());
    }

    #[test]
    fn hints_ratings_observations_and_unknown_drill_kinds_are_the_controllers() {
        let missed = Missed { inject: 1, hint: Some("声をかけて".into()), contingency: Some(901) };
        assert!(for_players(&event(&missed)).is_none());
        assert!(for_players(&event(&Skipped { inject: 2 })).is_none());
        assert!(for_players(&event(&Observation { objective: None, text: "列が長い".into() })).is_none());
        let rated = Rated { objective: "O1".into(), rating: crate::events::contract::drill::Rating::M };
        assert!(for_players(&event(&rated)).is_none());
        let mut later = event(&Skipped { inject: 2 });
        later.kind = "drill.something_new".into();
        assert!(for_players(&later).is_none(), "a drill kind nobody decided on stays with the controller");
        later.kind = "need.received".into();
        assert!(for_players(&later).is_some(), "the center's own events are everyone's");
    }
}
