//! Who the autopilot's matching desk keeps in: everyone of a team back from
//! work until their rest is over (the setting, or the WBGT band's rest when
//! longer), and for the rest of the day everyone of a team that came back
//! with an injury. The report says a member was hurt, not which one, so the
//! whole team stays in: a coordinator who cannot tell does not guess.

use std::collections::HashSet;

use chrono::{DateTime, Duration, FixedOffset};

use super::env::Env;
use crate::dispatch::{Team, TeamStatus};
use crate::error::AppError;

/// The volunteers not to send out now.
pub async fn kept_in(env: &Env) -> Result<HashSet<i64>, AppError> {
    let now = env.clock.now();
    let band = crate::dispatch::safety::now(&env.db, &env.clock).await?.wbgt.and_then(|reading| reading.band);
    let mut conn = env.db.read.acquire().await?;
    let settings = crate::settings::current(&mut conn).await?;
    let back =
        crate::dispatch::list(&mut conn, Some(TeamStatus::Returned), Some(env.clock.activity_day()), now).await?;
    let back: Vec<Back> = back.iter().map(Back::of).collect();
    Ok(held(&back, settings.rest_after_return(band.as_ref()), now))
}

/// A team back today, as the rest rule sees it.
pub struct Back {
    pub members: Vec<i64>,
    pub at: Option<DateTime<FixedOffset>>,
    pub hurt: bool,
}

impl Back {
    fn of(team: &Team) -> Back {
        Back {
            members: team.members.iter().map(|m| m.volunteer_id).collect(),
            at: team.returned_at.as_deref().and_then(|at| DateTime::parse_from_rfc3339(at).ok()),
            hurt: !team.injury.trim().is_empty(),
        }
    }
}

/// Pure: the members of teams back today still resting at `now`, or hurt.
pub fn held(teams: &[Back], rest: Duration, now: DateTime<FixedOffset>) -> HashSet<i64> {
    teams
        .iter()
        .filter(|team| team.hurt || team.at.is_some_and(|back| now < back + rest))
        .flat_map(|team| team.members.iter().copied())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_team_rests_after_coming_back_and_a_hurt_team_stays_in_all_day() {
        let at = |t: &str| Some(DateTime::parse_from_rfc3339(t).unwrap());
        let teams = [
            Back { members: vec![10, 11], at: at("2026-07-12T11:00:00+09:00"), hurt: false },
            Back { members: vec![20, 21, 22], at: at("2026-07-12T10:00:00+09:00"), hurt: true },
        ];
        let rest = Duration::minutes(30);
        let when = |t| at(t).unwrap();
        assert_eq!(held(&teams, rest, when("2026-07-12T11:10:00+09:00")), HashSet::from([10, 11, 20, 21, 22]));
        assert_eq!(held(&teams, rest, when("2026-07-12T11:30:00+09:00")), HashSet::from([20, 21, 22]), "rested");
        assert_eq!(held(&teams, rest, when("2026-07-12T17:00:00+09:00")), HashSet::from([20, 21, 22]));
    }
}
