//! チーム編成の提案: the suggestion panel of the matching desk proposes a team for
//! each waiting need; one tap accepts a suggestion (the accepting command lives
//! with team forming, not here).
//!
//! Pure domain code: no SQL, no HTTP, no clock. The caller fills [`WaitingNeed`]
//! and [`WaitingVolunteer`] from the database; [`suggest_teams`] answers the same
//! suggestions for the same input, in the order the needs should be served. It
//! runs every time the waiting pool changes, so it is a greedy pass over indexes
//! built once (by wanted skill, by vehicle, by group), not a search.
//!
//! The rules, in the order they apply:
//! - **Who may go.** A volunteer with `dispatchable == false` (no insurance, not
//!   allowed) is never suggested. A group is never split: all the waiting rows
//!   of one `group_id` go together or not at all, so a group with one
//!   non-dispatchable member waits as a whole until the desk sorts it out.
//! - **Which need first.** Priority (1 urgent first), then the oldest
//!   `received_at`, then the lower id.
//! - **Who first.** Among equals, the earlier check-in (fairness). A group
//!   counts as arrived when its first member checked in.
//! - **Skills.** For each skill the need asks for, the earliest waiting unit
//!   with someone whose registered skills contain it (`重機` matches
//!   `重機（3t）`) joins first; `reasons` says 「重機の資格」, or 「重機の資格者なし」
//!   when nobody waiting has it.
//! - **災害ごみ運搬.** A Debris need takes a unit with a vehicle next, a 軽トラ
//!   before any other vehicle: 「軽トラあり」, 「車両あり（ワゴン）」 or 「車両なし」.
//! - **Filling.** Then the earliest units that fit the people still needed,
//!   counting `headcount` (a representative standing for a group of 5 counts 5).
//!   Volunteers with no skill or vehicle that some waiting need asks for go
//!   first; the holders of such skills and vehicles are kept for those needs and
//!   used for plain filling only when nobody else is left.
//! - **Adults.** A unit without an adult (a minor alone) only joins a team that
//!   already has an adult, so every team has an adult leader.
//! - **Groups too large.** A group larger than what a need still lacks is not
//!   put on it in the first pass. After all needs are served, each need that got
//!   nobody, in serving order, is offered the best remaining group that could not
//!   be placed (wanted skills, then a vehicle for Debris, then the smallest,
//!   then the earliest): more hands than asked is better than none, and the
//!   group is not split. `reasons` says 「必要人数より3人多い」.
//! - **Partial teams.** A need that cannot be filled gets a suggestion with
//!   `missing > 0` (「2人不足」) as long as at least one person can go; a need
//!   nobody can go to gets no suggestion at all.
//! - **Leader.** The representative of the team's largest group (the group
//!   came with its own leader), if that representative is waiting and an adult;
//!   otherwise the most experienced adult (`experience_count`, then the earliest
//!   check-in, then the lower id). The leader is first in `member_ids`.
//!
//! `zone` is carried for the panel only: volunteers have no zone, so it does not
//! change a team.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::i18n::{Lang, Phrase};
use crate::needs::Category;

/// A need in 待機 (waiting for a team), as the suggestion sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitingNeed {
    pub id: i64,
    /// `N-0001`
    pub need_no: String,
    /// 1 urgent – 3 normal.
    pub priority: i64,
    /// RFC 3339 with the center's offset, so it sorts as text.
    pub received_at: String,
    /// Counted in heads; below 1 is taken as 1.
    pub people_needed: i64,
    pub categories: Vec<Category>,
    pub zone: Option<String>,
    /// 重機, チェーンソー, 看護師 …
    #[serde(default)]
    pub skills_wanted: Vec<String>,
}

/// A checked-in volunteer waiting at the matching desk.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitingVolunteer {
    pub id: i64,
    /// `V-0001`
    pub volunteer_no: String,
    /// 1, or the group's count when the representative stands for the group.
    pub headcount: i64,
    /// Shared by the members of one group: the representative's own id.
    pub group_id: Option<i64>,
    /// As registered: 看護師, 重機, 大型免許, チェーンソー, 外国語 …
    pub skills: Vec<String>,
    /// 軽トラ etc.
    pub vehicle: Option<String>,
    /// False when uninsured or not allowed: never suggested.
    pub dispatchable: bool,
    pub minor: bool,
    /// RFC 3339, sorts as text.
    pub checked_in_at: String,
    pub experience_count: i64,
}

/// One proposed team.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = TeamSuggestion)]
pub struct Suggestion {
    pub need_id: i64,
    /// The leader first, then the others in the order they were chosen.
    pub member_ids: Vec<i64>,
    pub leader_id: i64,
    /// Heads, counting a representative's group count.
    pub headcount: i64,
    /// People still short; 0 when the team is full (or larger than asked).
    pub missing: i64,
    /// Short Japanese phrases for the coordinator: 「軽トラあり」「重機の資格」「団体（5人）」.
    pub reasons: Vec<String>,
    /// The same reasons as catalogue phrases, for a reader in any language.
    pub why: Vec<Phrase>,
}

/// Volunteers that must go together: one person, or every waiting row of a group.
struct Unit {
    /// Indexes into the volunteers slice.
    rows: Vec<usize>,
    headcount: i64,
    /// Earliest check-in among the rows.
    arrival: usize,
    first_id: i64,
    adult: bool,
    group: bool,
    /// The representative's row, when it is waiting.
    representative: Option<usize>,
    kei_truck: bool,
    vehicle: bool,
    blocked: bool,
}

/// An index list walked in arrival order; `start` skips the used units at its front.
#[derive(Default)]
struct Queue {
    units: Vec<usize>,
    start: usize,
}

/// A team being formed.
#[derive(Default)]
struct Team {
    units: Vec<usize>,
    headcount: i64,
    adult: bool,
}

struct Pool<'a> {
    volunteers: &'a [WaitingVolunteer],
    units: Vec<Unit>,
    used: Vec<bool>,
}

impl Pool<'_> {
    fn fits(&self, u: usize, room: i64, team: &Team) -> bool {
        let unit = &self.units[u];
        !self.used[u] && unit.headcount <= room && (unit.adult || team.adult)
    }

    /// The first unit of `queue` that fits in `room`.
    fn first_fitting(&self, queue: &mut Queue, room: i64, team: &Team) -> Option<usize> {
        while queue.start < queue.units.len() && self.used[queue.units[queue.start]] {
            queue.start += 1;
        }
        queue.units[queue.start..].iter().copied().find(|&u| self.fits(u, room, team))
    }

    fn take(&mut self, u: usize, team: &mut Team) {
        self.used[u] = true;
        team.units.push(u);
        team.headcount += self.units[u].headcount;
        team.adult |= self.units[u].adult;
    }

    /// Takes fitting units of `queue`, earliest first, until the team is full.
    /// Answers whether a unit without an adult was passed over for want of one.
    fn fill_from(&mut self, queue: &mut Queue, needed: i64, team: &mut Team) -> bool {
        while queue.start < queue.units.len() && self.used[queue.units[queue.start]] {
            queue.start += 1;
        }
        let mut passed_minor = false;
        for &u in &queue.units[queue.start..] {
            let room = needed - team.headcount;
            if room <= 0 {
                break;
            }
            if self.fits(u, room, team) {
                self.take(u, team);
            } else if !self.used[u] && !team.adult && self.units[u].headcount <= room {
                passed_minor = true;
            }
        }
        passed_minor
    }

    fn has_skill(&self, u: usize, skill: &str) -> bool {
        self.units[u].rows.iter().any(|&r| self.volunteers[r].skills.iter().any(|s| s.contains(skill)))
    }
}

/// Proposes a team for each waiting need, in the order the needs should be
/// served. Every volunteer appears in at most one suggestion; needs nobody can
/// go to are left out. See the module documentation for the rules.
pub fn suggest_teams(needs: &[WaitingNeed], volunteers: &[WaitingVolunteer]) -> Vec<Suggestion> {
    // Needs in serving order.
    let mut order: Vec<usize> = (0..needs.len()).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&needs[a], &needs[b]);
        (a.priority, &a.received_at, a.id).cmp(&(b.priority, &b.received_at, b.id))
    });

    // What waiting needs ask for: the skills, and whether any needs a vehicle.
    let mut wanted: Vec<&str> = Vec::new();
    for need in needs {
        for skill in need.skills_wanted.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
            if !wanted.contains(&skill) {
                wanted.push(skill);
            }
        }
    }
    let debris_waiting = needs.iter().any(|n| n.categories.contains(&Category::Debris));

    let mut pool = Pool { volunteers, units: build_units(volunteers), used: Vec::new() };
    pool.used = pool.units.iter().map(|u| u.blocked).collect();
    let mut arrival: Vec<usize> = (0..pool.units.len()).filter(|&u| !pool.units[u].blocked).collect();
    arrival.sort_by(|&a, &b| {
        let (a, b) = (&pool.units[a], &pool.units[b]);
        (&volunteers[a.arrival].checked_in_at, a.first_id).cmp(&(&volunteers[b.arrival].checked_in_at, b.first_id))
    });

    // Indexes, each in arrival order.
    let mut by_skill: Vec<Queue> = wanted.iter().map(|_| Queue::default()).collect();
    let (mut kei, mut other_vehicle, mut plain, mut special) =
        (Queue::default(), Queue::default(), Queue::default(), Queue::default());
    for &u in &arrival {
        let mut in_demand = false;
        for (k, skill) in wanted.iter().enumerate() {
            if pool.has_skill(u, skill) {
                by_skill[k].units.push(u);
                in_demand = true;
            }
        }
        let unit = &pool.units[u];
        if unit.kei_truck {
            kei.units.push(u);
        } else if unit.vehicle {
            other_vehicle.units.push(u);
        }
        in_demand |= unit.vehicle && debris_waiting;
        if in_demand { special.units.push(u) } else { plain.units.push(u) }
    }

    // First pass: every need in order, with units that fit.
    let mut teams: Vec<Team> = Vec::with_capacity(order.len());
    for &n in &order {
        let need = &needs[n];
        let needed = need.people_needed.max(1);
        let mut team = Team::default();
        for skill in need.skills_wanted.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
            if team.units.iter().any(|&u| pool.has_skill(u, skill)) {
                continue;
            }
            let k = wanted.iter().position(|w| *w == skill).expect("every wanted skill is indexed");
            if let Some(u) = pool.first_fitting(&mut by_skill[k], needed - team.headcount, &team) {
                pool.take(u, &mut team);
            }
        }
        if need.categories.contains(&Category::Debris) && !team.units.iter().any(|&u| pool.units[u].vehicle) {
            let room = needed - team.headcount;
            let found = pool
                .first_fitting(&mut kei, room, &team)
                .or_else(|| pool.first_fitting(&mut other_vehicle, room, &team));
            if let Some(u) = found {
                pool.take(u, &mut team);
            }
        }
        let mut passed_minor = pool.fill_from(&mut plain, needed, &mut team);
        passed_minor |= pool.fill_from(&mut special, needed, &mut team);
        if passed_minor && team.adult && team.headcount < needed {
            // An adult joined after a minor was passed over: the minor may come now.
            pool.fill_from(&mut plain, needed, &mut team);
            pool.fill_from(&mut special, needed, &mut team);
        }
        teams.push(team);
    }

    // Second pass: a need that got nobody takes the best group too large to place.
    let mut leftover_groups: Vec<usize> =
        arrival.iter().copied().filter(|&u| !pool.used[u] && pool.units[u].group && pool.units[u].adult).collect();
    for (i, &n) in order.iter().enumerate() {
        if leftover_groups.is_empty() {
            break;
        }
        if !teams[i].units.is_empty() {
            continue;
        }
        let need = &needs[n];
        let debris = need.categories.contains(&Category::Debris);
        let score = |u: usize| {
            let skills =
                need.skills_wanted.iter().map(|s| s.trim()).filter(|s| !s.is_empty() && pool.has_skill(u, s)).count();
            let unit = &pool.units[u];
            (std::cmp::Reverse(skills), !(debris && unit.vehicle), unit.headcount)
        };
        // `leftover_groups` is in arrival order, so `min_by_key` keeps the earliest of equals.
        let (at, &u) = leftover_groups.iter().enumerate().min_by_key(|&(_, &u)| score(u)).expect("not empty");
        leftover_groups.remove(at);
        pool.take(u, &mut teams[i]);
    }

    order
        .iter()
        .zip(&teams)
        .filter(|(_, team)| !team.units.is_empty())
        .map(|(&n, team)| describe(&needs[n], team, &pool))
        .collect()
}

/// Gathers the volunteers into units: each person alone, each group whole.
fn build_units(volunteers: &[WaitingVolunteer]) -> Vec<Unit> {
    let mut units: Vec<Unit> = Vec::with_capacity(volunteers.len());
    let mut group_unit: HashMap<i64, usize> = HashMap::new();
    for (r, v) in volunteers.iter().enumerate() {
        let u = match v.group_id {
            Some(g) => *group_unit.entry(g).or_insert_with(|| {
                units.push(Unit::empty(r, v.id));
                units.len() - 1
            }),
            None => {
                units.push(Unit::empty(r, v.id));
                units.len() - 1
            }
        };
        let unit = &mut units[u];
        unit.rows.push(r);
        unit.headcount += v.headcount.max(1);
        if v.checked_in_at < volunteers[unit.arrival].checked_in_at {
            unit.arrival = r;
        }
        unit.first_id = unit.first_id.min(v.id);
        unit.adult |= !v.minor;
        if v.group_id == Some(v.id) {
            unit.representative = Some(r);
        }
        let vehicle = v.vehicle.as_deref().map(str::trim).filter(|s| !s.is_empty());
        unit.vehicle |= vehicle.is_some();
        unit.kei_truck |= vehicle.is_some_and(|s| s.contains("軽トラ"));
        unit.blocked |= !v.dispatchable;
    }
    for unit in &mut units {
        unit.group = unit.headcount > 1;
    }
    units
}

impl Unit {
    fn empty(row: usize, id: i64) -> Unit {
        Unit {
            rows: Vec::new(),
            headcount: 0,
            arrival: row,
            first_id: id,
            adult: false,
            group: false,
            representative: None,
            kei_truck: false,
            vehicle: false,
            blocked: false,
        }
    }
}

/// The suggestion for a formed team: leader, members, counts and reasons.
fn describe(need: &WaitingNeed, team: &Team, pool: &Pool) -> Suggestion {
    let vs = pool.volunteers;
    let needed = need.people_needed.max(1);

    // The representative of the largest group (earliest of equals), when waiting and adult.
    let representative = team
        .units
        .iter()
        .map(|&u| &pool.units[u])
        .filter(|unit| unit.group)
        .filter_map(|unit| unit.representative.filter(|&r| !vs[r].minor).map(|r| (unit.headcount, r)))
        .fold(None::<(i64, usize)>, |best, (heads, r)| match best {
            Some((h, _)) if h >= heads => best,
            _ => Some((heads, r)),
        })
        .map(|(_, r)| r);
    let rows = team.units.iter().flat_map(|&u| pool.units[u].rows.iter().copied());
    let leader = representative.unwrap_or_else(|| {
        rows.clone()
            .min_by(|&a, &b| {
                let (a, b) = (&vs[a], &vs[b]);
                (a.minor, std::cmp::Reverse(a.experience_count), &a.checked_in_at, a.id).cmp(&(
                    b.minor,
                    std::cmp::Reverse(b.experience_count),
                    &b.checked_in_at,
                    b.id,
                ))
            })
            .expect("a team has a member")
    });
    let mut member_ids = vec![vs[leader].id];
    member_ids.extend(rows.filter(|&r| r != leader).map(|r| vs[r].id));

    let mut why = Vec::new();
    if need.priority <= 1 {
        why.push(Phrase::new("js.matching.reason.urgent", []));
    }
    for skill in need.skills_wanted.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        let key = if team.units.iter().any(|&u| pool.has_skill(u, skill)) {
            "js.matching.reason.skilled"
        } else {
            "js.matching.reason.no_one_skilled"
        };
        why.push(Phrase::new(key, [("skill", skill.to_string())]));
    }
    if need.categories.contains(&Category::Debris) {
        let vehicles = team
            .units
            .iter()
            .flat_map(|&u| &pool.units[u].rows)
            .filter_map(|&r| vs[r].vehicle.as_deref().map(str::trim).filter(|s| !s.is_empty()));
        let mut best: Option<&str> = None;
        for v in vehicles {
            if best.is_none() || (v.contains("軽トラ") && !best.is_some_and(|b| b.contains("軽トラ"))) {
                best = Some(v);
            }
        }
        why.push(match best {
            Some(v) if v.contains("軽トラ") => Phrase::new("js.matching.reason.kei_truck", []),
            Some(v) => Phrase::new("js.matching.reason.vehicle", [("vehicle", v.to_string())]),
            None => Phrase::new("js.matching.reason.no_vehicle", []),
        });
    }
    for &u in &team.units {
        if pool.units[u].group {
            why.push(Phrase::new("js.matching.reason.group", [("n", pool.units[u].headcount.to_string())]));
        }
    }
    let missing = (needed - team.headcount).max(0);
    if missing > 0 {
        why.push(Phrase::new("js.matching.reason.short", [("n", missing.to_string())]));
    } else if team.headcount > needed {
        why.push(Phrase::new("js.matching.reason.over", [("n", (team.headcount - needed).to_string())]));
    }
    let reasons = why.iter().map(|p| p.say(Lang::Ja)).collect();

    Suggestion {
        need_id: need.id,
        member_ids,
        leader_id: vs[leader].id,
        headcount: team.headcount,
        missing,
        reasons,
        why,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn need(id: i64, priority: i64, received_at: &str, people: i64, categories: &[Category]) -> WaitingNeed {
        WaitingNeed {
            id,
            need_no: format!("N-{id:04}"),
            priority,
            received_at: received_at.to_string(),
            people_needed: people,
            categories: categories.to_vec(),
            zone: None,
            skills_wanted: Vec::new(),
        }
    }

    fn person(id: i64, checked_in_at: &str) -> WaitingVolunteer {
        WaitingVolunteer {
            id,
            volunteer_no: format!("V-{id:04}"),
            headcount: 1,
            group_id: None,
            skills: Vec::new(),
            vehicle: None,
            dispatchable: true,
            minor: false,
            checked_in_at: checked_in_at.to_string(),
            experience_count: 0,
        }
    }

    /// Check-in times a minute apart from 08:00, in id order.
    fn people(ids: std::ops::RangeInclusive<i64>) -> Vec<WaitingVolunteer> {
        ids.map(|id| person(id, &format!("2024-07-01T08:{:02}:00+09:00", id % 60))).collect()
    }

    const T: &str = "2024-07-01T07:00:00+09:00";

    fn all_ids(suggestions: &[Suggestion]) -> Vec<i64> {
        let mut ids: Vec<i64> = suggestions.iter().flat_map(|s| s.member_ids.iter().copied()).collect();
        ids.sort();
        ids
    }

    #[test]
    fn a_wanted_skill_is_matched_and_its_absence_is_said() {
        let mut n = need(1, 2, T, 2, &[Category::Mud]);
        n.skills_wanted = vec!["重機".into(), "看護師".into()];
        let mut vs = people(1..=5);
        vs[3].skills = vec!["大型免許".into(), "重機（3t）".into()];
        let out = suggest_teams(&[n], &vs);
        assert_eq!(out.len(), 1);
        assert!(out[0].member_ids.contains(&4), "{out:?}");
        assert!(out[0].reasons.contains(&"重機の資格".to_string()));
        assert!(out[0].reasons.contains(&"看護師の資格者なし".to_string()));
        assert_eq!(out[0].headcount, 2);
    }

    #[test]
    fn skilled_volunteers_are_kept_for_the_needs_that_ask_for_them() {
        let first = need(1, 1, T, 1, &[Category::Mud]);
        let mut second = need(2, 3, T, 1, &[Category::Mud]);
        second.skills_wanted = vec!["チェーンソー".into()];
        let mut vs = people(1..=2);
        vs[0].skills = vec!["チェーンソー".into()];
        let out = suggest_teams(&[first, second], &vs);
        assert_eq!(out[0].member_ids, vec![2]);
        assert_eq!(out[1].member_ids, vec![1]);
    }

    #[test]
    fn a_group_is_kept_together() {
        let mut vs = people(1..=6);
        for v in &mut vs[1..4] {
            v.group_id = Some(2);
        }
        // Room for 2: the group of 3 does not fit, so two single people go.
        let out = suggest_teams(&[need(1, 2, T, 2, &[Category::Mud]), need(2, 2, T, 3, &[Category::Mud])], &vs);
        assert_eq!(out[0].member_ids, vec![1, 5]);
        let mut second = out[1].member_ids.clone();
        second.sort();
        assert_eq!(second, vec![2, 3, 4]);
        assert!(out[1].reasons.contains(&"団体（3人）".to_string()));
    }

    #[test]
    fn a_group_too_large_for_every_need_goes_whole_to_a_need_that_got_nobody() {
        let mut vs = people(1..=4);
        for v in &mut vs {
            v.group_id = Some(1);
        }
        let out = suggest_teams(&[need(1, 2, T, 2, &[Category::Mud])], &vs);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].member_ids.len(), 4);
        assert_eq!((out[0].headcount, out[0].missing), (4, 0));
        assert!(out[0].reasons.contains(&"必要人数より2人多い".to_string()), "{out:?}");
    }

    #[test]
    fn a_group_with_an_uninsured_member_waits_whole() {
        let mut vs = people(1..=3);
        for v in &mut vs {
            v.group_id = Some(1);
        }
        vs[2].dispatchable = false;
        assert!(suggest_teams(&[need(1, 2, T, 5, &[Category::Mud])], &vs).is_empty());
    }

    #[test]
    fn needs_are_served_by_priority_then_age() {
        let needs = [
            need(1, 3, "2024-06-30T09:00:00+09:00", 1, &[Category::Mud]),
            need(2, 1, "2024-07-01T09:00:00+09:00", 1, &[Category::Mud]),
            need(3, 2, "2024-07-01T08:00:00+09:00", 1, &[Category::Mud]),
            need(4, 1, "2024-07-01T07:00:00+09:00", 1, &[Category::Mud]),
        ];
        let out = suggest_teams(&needs, &people(1..=3));
        let order: Vec<i64> = out.iter().map(|s| s.need_id).collect();
        assert_eq!(order, vec![4, 2, 3], "the last need has nobody left");
        // Earlier check-ins go first.
        assert_eq!(out[0].member_ids, vec![1]);
        assert_eq!(out[2].member_ids, vec![3]);
        assert_eq!(out[0].reasons, vec!["緊急".to_string()]);
    }

    #[test]
    fn an_uninsured_volunteer_is_never_suggested() {
        let mut vs = people(1..=3);
        vs[0].dispatchable = false;
        vs[0].experience_count = 50;
        vs[0].vehicle = Some("軽トラ".into());
        let out = suggest_teams(&[need(1, 1, T, 5, &[Category::Debris])], &vs);
        assert!(!all_ids(&out).contains(&1));
        assert_eq!((out[0].headcount, out[0].missing), (2, 3));
        assert!(out[0].reasons.contains(&"3人不足".to_string()));
        assert!(out[0].reasons.contains(&"車両なし".to_string()));
    }

    #[test]
    fn a_volunteer_is_never_in_two_suggestions() {
        let needs: Vec<WaitingNeed> = (1..=10).map(|i| need(i, 1 + i % 3, T, 1 + i % 4, &[Category::Mud])).collect();
        let mut vs = people(1..=20);
        vs[4].group_id = Some(5);
        vs[5].group_id = Some(5);
        vs[6].headcount = 4;
        vs[6].group_id = Some(7);
        let out = suggest_teams(&needs, &vs);
        let ids = all_ids(&out);
        let mut unique = ids.clone();
        unique.dedup();
        assert_eq!(ids, unique);
        assert_eq!(ids.len(), 20, "25 people asked for, 23 heads waiting: everyone goes");
    }

    #[test]
    fn debris_transport_gets_a_vehicle_a_kei_truck_first() {
        let mut vs = people(1..=4);
        vs[1].vehicle = Some("ワゴン".into());
        vs[3].vehicle = Some("軽トラ".into());
        let out = suggest_teams(&[need(1, 2, T, 2, &[Category::Debris])], &vs);
        assert_eq!(out[0].member_ids, vec![1, 4], "the earlier arrival leads");
        assert!(out[0].reasons.contains(&"軽トラあり".to_string()));

        vs[3].vehicle = None;
        let out = suggest_teams(&[need(1, 2, T, 2, &[Category::Debris, Category::Mud])], &vs);
        assert!(out[0].member_ids.contains(&2));
        assert!(out[0].reasons.contains(&"車両あり（ワゴン）".to_string()));
    }

    #[test]
    fn the_leader_is_the_most_experienced_adult_or_the_group_representative() {
        let mut vs = people(1..=4);
        vs[0].experience_count = 2;
        vs[1].experience_count = 9;
        vs[1].minor = true;
        vs[2].experience_count = 5;
        vs[3].experience_count = 5;
        let out = suggest_teams(&[need(1, 2, T, 4, &[Category::Mud])], &vs);
        assert_eq!(out[0].leader_id, 3, "most experienced adult, earlier of equals");
        assert_eq!(out[0].member_ids[0], 3);

        for v in &mut vs[..2] {
            v.group_id = Some(1);
        }
        let out = suggest_teams(&[need(1, 2, T, 4, &[Category::Mud])], &vs);
        assert_eq!(out[0].leader_id, 1, "the representative leads");
    }

    #[test]
    fn a_minor_only_joins_a_team_with_an_adult() {
        let mut vs = people(1..=2);
        vs[0].minor = true;
        let out = suggest_teams(&[need(1, 2, T, 2, &[Category::Mud])], &vs);
        assert_eq!(out[0].member_ids, vec![2, 1]);
        vs[1].dispatchable = false;
        assert!(suggest_teams(&[need(1, 2, T, 2, &[Category::Mud])], &vs).is_empty());
    }

    #[test]
    fn the_headcount_of_a_group_representative_counts() {
        let mut vs = people(1..=3);
        vs[1].headcount = 5;
        vs[1].group_id = Some(2);
        let out = suggest_teams(&[need(1, 2, T, 6, &[Category::Mud])], &vs);
        assert_eq!(out[0].member_ids, vec![2, 1]);
        assert_eq!((out[0].headcount, out[0].missing, out[0].leader_id), (6, 0, 2));
        assert!(out[0].reasons.contains(&"団体（5人）".to_string()));
    }

    #[test]
    fn empty_inputs_give_no_suggestions() {
        assert!(suggest_teams(&[], &[]).is_empty());
        assert!(suggest_teams(&[need(1, 1, T, 3, &[Category::Mud])], &[]).is_empty());
        assert!(suggest_teams(&[], &people(1..=3)).is_empty());
    }

    #[test]
    fn the_same_input_gives_the_same_suggestions() {
        let needs: Vec<WaitingNeed> = (1..=6).map(|i| need(i, 1 + i % 2, T, 2, &[Category::Debris])).collect();
        let mut vs = people(1..=9);
        vs[8].vehicle = Some("軽トラ".into());
        assert_eq!(suggest_teams(&needs, &vs), suggest_teams(&needs, &vs));
    }
}
