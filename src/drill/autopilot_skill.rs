//! How well the autopilot plays: `--autopilot-skill good|average|poor`. A
//! skill is a pace (how fast the desks work and react) and an error rate (how
//! often a message is forgotten or a repeated call is saved as a new need).
//! Every slip is drawn from the scenario's id, the inject and what is being
//! decided, never from the wall clock or the order of events, so the same
//! scenario at the same skill gives the same run and the same AAR.

use chrono::Duration;

use super::autopilot::Pace;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Skill {
    /// A practised center: the pace the shipped scenarios' targets are set by, no slips.
    #[default]
    Good,
    /// A center on its first real day: slower, now and then a message left lying.
    Average,
    /// Untrained staff: slow desks, late reactions, messages forgotten, repeated calls not recognised.
    Poor,
}

impl Skill {
    pub const ALL: [Skill; 3] = [Skill::Good, Skill::Average, Skill::Poor];

    pub fn name(self) -> &'static str {
        match self {
            Skill::Good => "good",
            Skill::Average => "average",
            Skill::Poor => "poor",
        }
    }

    pub fn parse(text: &str) -> Option<Skill> {
        Skill::ALL.into_iter().find(|s| s.name() == text)
    }

    /// As the AAR names who played.
    pub fn label_ja(self) -> &'static str {
        match self {
            Skill::Good => "熟練",
            Skill::Average => "標準",
            Skill::Poor => "不慣れ",
        }
    }

    pub fn profile(self) -> Profile {
        let pace = |desks, check_in_seconds, intake, reaction, matching_every| Pace {
            desks,
            check_in_seconds,
            intake: Duration::minutes(intake),
            reaction: Duration::minutes(reaction),
            matching_every: Duration::minutes(matching_every),
            ..Pace::default()
        };
        match self {
            Skill::Good => Profile { skill: self, pace: Pace::default(), slips: Slips::NONE },
            Skill::Average => Profile {
                skill: self,
                pace: pace(3, 60, 10, 15, 10),
                slips: Slips { forgets: 0.1, misses_duplicate: 0.3, lag: 0.5 },
            },
            Skill::Poor => Profile {
                skill: self,
                pace: pace(2, 90, 20, 30, 15),
                slips: Slips { forgets: 0.3, misses_duplicate: 0.7, lag: 1.0 },
            },
        }
    }
}

/// A skill's pace and slips. The pace may be changed after (`--reaction-minutes`, `--desks`).
#[derive(Debug, Clone)]
pub struct Profile {
    pub skill: Skill,
    pub pace: Pace,
    pub slips: Slips,
}

impl Default for Profile {
    fn default() -> Profile {
        Skill::Good.profile()
    }
}

/// How often things go wrong, each a chance from 0 to 1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Slips {
    /// A message (a survey, a change, a cancellation, a warning, a team's call) is never acted on.
    pub forgets: f64,
    /// A repeated call is saved as a new need instead of being linked to the first.
    pub misses_duplicate: f64,
    /// Each reaction takes up to this much longer again (0.5: up to half as long again).
    pub lag: f64,
}

impl Slips {
    pub const NONE: Slips = Slips { forgets: 0.0, misses_duplicate: 0.0, lag: 0.0 };
}

/// What a decision is about, so two decisions on one inject draw apart.
#[derive(Debug, Clone, Copy)]
pub enum Decision {
    Forget,
    Duplicate,
    Lag,
}

/// Draws for one run: a number in [0, 1) for each (decision, inject), the
/// same every time for the same scenario.
#[derive(Debug, Clone)]
pub struct Dice {
    seed: u64,
}

impl Dice {
    /// The scenario's id is its seed: a trainer re-running a file gets the same run.
    pub fn for_scenario(scenario_id: &str) -> Dice {
        // FNV-1a: stable across builds and platforms, unlike the std hasher.
        let seed = scenario_id
            .bytes()
            .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
        Dice { seed }
    }

    pub fn draw(&self, decision: Decision, inject: u32) -> f64 {
        let key = self.seed ^ (u64::from(inject) << 8) ^ decision as u64;
        (splitmix64(key) >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Whether a slip with this chance happens on this decision.
    pub fn slips(&self, chance: f64, decision: Decision, inject: u32) -> bool {
        chance > 0.0 && self.draw(decision, inject) < chance
    }

    /// `base`, lengthened by up to `lag` of itself.
    pub fn lagged(&self, base: Duration, lag: f64, inject: u32) -> Duration {
        if lag <= 0.0 {
            return base;
        }
        let extra = base.num_seconds() as f64 * lag * self.draw(Decision::Lag, inject);
        base + Duration::seconds(extra.round() as i64)
    }
}

fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_scenario_draws_the_same_and_another_draws_otherwise() {
        let (a, b) = (Dice::for_scenario("rain-day3"), Dice::for_scenario("quake-day1"));
        let draws = |d: &Dice| (1..50).map(|i| d.draw(Decision::Forget, i)).collect::<Vec<_>>();
        assert_eq!(draws(&a), draws(&Dice::for_scenario("rain-day3")));
        assert_ne!(draws(&a), draws(&b));
        assert!(draws(&a).iter().all(|x| (0.0..1.0).contains(x)));
        assert_ne!(a.draw(Decision::Forget, 7), a.draw(Decision::Duplicate, 7), "decisions draw apart");
    }

    #[test]
    fn slips_come_about_as_often_as_the_skill_says() {
        let dice = Dice::for_scenario("typhoon-day2");
        let count = |chance| (0..1000).filter(|&i| dice.slips(chance, Decision::Forget, i)).count();
        assert_eq!(count(0.0), 0, "a good center forgets nothing");
        assert!((250..350).contains(&count(0.3)), "{}", count(0.3));
        assert_eq!(count(1.0), 1000);
    }

    #[test]
    fn poorer_play_is_slower_and_slips_more() {
        let [good, average, poor] = Skill::ALL.map(Skill::profile);
        assert!(good.pace.reaction < average.pace.reaction && average.pace.reaction < poor.pace.reaction);
        assert!(good.pace.intake < average.pace.intake && average.pace.intake < poor.pace.intake);
        assert!(good.slips.forgets < average.slips.forgets && average.slips.forgets < poor.slips.forgets);
        assert_eq!(Skill::parse("poor"), Some(Skill::Poor));
        assert_eq!(Skill::parse("expert"), None);
        let dice = Dice::for_scenario("x");
        let base = Duration::minutes(10);
        assert_eq!(dice.lagged(base, 0.0, 1), base);
        assert!((0..100).all(|i| (base..=base * 2).contains(&dice.lagged(base, 1.0, i))));
    }
}
