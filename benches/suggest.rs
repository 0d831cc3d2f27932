//! Team suggestions for 2,000 waiting volunteers and 500 waiting needs, as the
//! matching desk asks on every change of the waiting pool (goal: < 100 ms).
//! `cargo bench --bench suggest`.

use std::hint::black_box;
use std::time::Instant;

use borasen::dispatch::suggest::{WaitingNeed, WaitingVolunteer, suggest_teams};
use borasen::needs::Category;

/// xorshift64: a fixed pseudo-random sequence, the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    /// True with the given percent chance.
    fn percent(&mut self, p: u64) -> bool {
        self.next() % 100 < p
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const SKILLS: [&str; 6] = ["看護師", "重機", "大型免許", "チェーンソー", "外国語", "電気工事士"];
const VEHICLES: [&str; 3] = ["ワゴン", "2tトラック", "乗用車"];

fn volunteers(rng: &mut Rng, count: usize) -> Vec<WaitingVolunteer> {
    let mut out: Vec<WaitingVolunteer> = Vec::with_capacity(count);
    while out.len() < count {
        let id = out.len() as i64 + 1;
        let minute = out.len() as u64 * 150 / count as u64; // check-ins spread over 08:00–10:30
        let mut v = WaitingVolunteer {
            id,
            volunteer_no: format!("V-{id:04}"),
            headcount: 1,
            group_id: None,
            skills: Vec::new(),
            vehicle: None,
            dispatchable: !rng.percent(3),
            minor: rng.percent(5),
            checked_in_at: format!("2024-07-01T{:02}:{:02}:{:02}+09:00", 8 + minute / 60, minute % 60, rng.below(60)),
            experience_count: rng.below(12) as i64,
        };
        if rng.percent(15) {
            v.skills.push(SKILLS[rng.below(SKILLS.len() as u64) as usize].to_string());
        }
        if rng.percent(10) {
            v.vehicle = Some(if rng.percent(60) { "軽トラ" } else { VEHICLES[rng.below(3) as usize] }.to_string());
        }
        // About 10% of the rows belong to groups: half stand for their group with a
        // headcount, half come with their members registered one by one.
        if rng.percent(4) {
            let group = Some(id);
            v.group_id = group;
            v.minor = false;
            if rng.percent(50) {
                v.headcount = 3 + rng.below(8) as i64;
                out.push(v);
            } else {
                let members = 2 + rng.below(4) as usize;
                let arrived = v.checked_in_at.clone();
                out.push(v);
                for _ in 0..members {
                    let id = out.len() as i64 + 1;
                    out.push(WaitingVolunteer {
                        id,
                        volunteer_no: format!("V-{id:04}"),
                        headcount: 1,
                        group_id: group,
                        skills: Vec::new(),
                        vehicle: None,
                        dispatchable: !rng.percent(3),
                        minor: rng.percent(20),
                        checked_in_at: arrived.clone(),
                        experience_count: rng.below(5) as i64,
                    });
                }
            }
        } else {
            out.push(v);
        }
    }
    out.truncate(count);
    out
}

fn needs(rng: &mut Rng, count: usize) -> Vec<WaitingNeed> {
    (0..count)
        .map(|i| {
            let id = i as i64 + 1;
            let mut categories = vec![Category::ALL[rng.below(6) as usize]];
            if rng.percent(30) && !categories.contains(&Category::Debris) {
                categories.push(Category::Debris);
            }
            let skills_wanted =
                if rng.percent(10) { vec![SKILLS[rng.below(4) as usize].to_string()] } else { Vec::new() };
            WaitingNeed {
                id,
                need_no: format!("N-{id:04}"),
                priority: 1 + rng.below(3) as i64,
                received_at: format!(
                    "2024-06-{:02}T{:02}:{:02}:00+09:00",
                    25 + rng.below(6),
                    8 + rng.below(10),
                    rng.below(60)
                ),
                people_needed: 1 + rng.below(8) as i64,
                categories,
                zone: Some(format!("Z{}", rng.below(20))),
                skills_wanted,
            }
        })
        .collect()
}

fn main() {
    let mut rng = Rng(0x2545F4914F6CDD1D);
    let volunteers = volunteers(&mut rng, 2_000);
    let needs = needs(&mut rng, 500);

    let runs = 50;
    let mut times = Vec::with_capacity(runs);
    let mut last = Vec::new();
    for _ in 0..runs {
        let started = Instant::now();
        last = black_box(suggest_teams(black_box(&needs), black_box(&volunteers)));
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    let median = times[runs / 2];
    let max = times[runs - 1];

    let heads: i64 = volunteers.iter().filter(|v| v.dispatchable).map(|v| v.headcount).sum();
    let placed: i64 = last.iter().map(|s| s.headcount).sum();
    let full = last.iter().filter(|s| s.missing == 0).count();
    println!(
        "volunteers: {} rows ({heads} dispatchable heads, {} groups)  needs: {} ({} people asked for)",
        volunteers.len(),
        volunteers.iter().filter(|v| v.group_id == Some(v.id)).count(),
        needs.len(),
        needs.iter().map(|n| n.people_needed).sum::<i64>(),
    );
    println!("suggestions: {} ({full} full, {} partial), {placed} heads placed", last.len(), last.len() - full);
    println!(
        "suggest_teams × {runs}: median {median:.2} ms, max {max:.2} ms  (goal < 100 ms: {})",
        if max < 100.0 { "met" } else { "MISSED" }
    );
}
