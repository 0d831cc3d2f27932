//! `borasen drill check`: everything wrong with a scenario file, each with its
//! line and field, before anything runs.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::payload::Payload;
use super::scenario::{Inject, InjectKind, Scenario};
use crate::i18n::Text;

/// One problem: the 1-based line, the field, and what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub line: usize,
    pub field: String,
    pub message: Text,
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// Where `key` is written in the inject that starts at `start` (its lines run
/// to the next table header); the inject's own line when it is not found.
fn key_offset(text: &str, start: usize, key: &str) -> usize {
    let mut offset = start.min(text.len());
    // `payload = {…}` inline, or a `[injects.payload]` table of its own.
    let table = format!("[injects.{key}]");
    for (n, line) in text[offset..].split_inclusive('\n').enumerate() {
        let trimmed = line.trim_start();
        if n > 0 && trimmed.starts_with(table.as_str()) {
            return offset + (line.len() - trimmed.len());
        }
        if n > 0 && trimmed.starts_with("[[") {
            break;
        }
        if let Some(rest) = trimmed.strip_prefix(key)
            && rest.trim_start().starts_with(['=', '.'])
        {
            return offset + (line.len() - trimmed.len());
        }
        offset += line.len();
    }
    start
}

/// The field a serde message names in backticks (`unknown field \`cuont\``).
fn named_field(message: &str) -> Option<&str> {
    let (_, rest) = message.split_once('`')?;
    rest.split_once('`').map(|(field, _)| field).filter(|f| !f.is_empty())
}

/// `+HH:MM` (or `HH:MM`) → minutes after the start.
pub fn offset_minutes(text: &str) -> Option<i64> {
    let (h, m) = text.trim().trim_start_matches('+').split_once(':')?;
    let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
    (h >= 0 && (0..60).contains(&m)).then_some(h * 60 + m)
}

/// `10m`, `1h`, `1h30m` → minutes.
pub fn duration_minutes(text: &str) -> Option<i64> {
    let text = text.trim();
    let (hours, rest) = match text.split_once('h') {
        Some((h, rest)) => (h.parse::<i64>().ok()?, rest),
        None => (0, text),
    };
    let minutes = match rest.strip_suffix('m') {
        Some(m) => m.parse::<i64>().ok()?,
        None if rest.is_empty() => 0,
        None => return None,
    };
    let total = hours * 60 + minutes;
    (hours >= 0 && minutes >= 0 && total > 0).then_some(total)
}

/// Reads and checks a scenario. `base` is where relative seed paths are looked
/// for (the current folder, then the scenario's folder and its parent).
pub fn check(text: &str, file: &Path) -> Result<Scenario, Vec<Problem>> {
    let scenario: Scenario = match toml::from_str(text) {
        Ok(s) => s,
        Err(e) => {
            let line = e.span().map_or(1, |s| line_of(text, s.start));
            let message = e.message().to_string();
            return Err(vec![Problem {
                line,
                field: String::new(),
                message: Text::new(format!("書式の誤り: {message}"), format!("not a valid scenario: {message}")),
            }]);
        }
    };
    let mut problems = Vec::new();
    let mut problem = |offset: usize, field: &str, ja: String, en: String| {
        problems.push(Problem { line: line_of(text, offset), field: field.to_string(), message: Text::new(ja, en) });
    };

    if chrono::DateTime::parse_from_rfc3339(scenario.sim_start.get_ref()).is_err() {
        problem(
            scenario.sim_start.span().start,
            "sim_start",
            "開始日時は 2026-07-12T08:00:00+09:00 の形で書いてください".into(),
            "sim_start is an RFC 3339 time such as 2026-07-12T08:00:00+09:00".into(),
        );
    }
    if duration_minutes(scenario.duration.get_ref()).is_none() {
        problem(
            scenario.duration.span().start,
            "duration",
            "時間は 6h・90m・1h30m の形です".into(),
            "duration looks like 6h, 90m or 1h30m".into(),
        );
    }
    if !(1..=120).contains(scenario.speed.get_ref()) {
        problem(scenario.speed.span().start, "speed", "速度は1〜120倍です".into(), "speed is 1–120".into());
    }
    let mut zones: Option<HashSet<String>> = None;
    if let Some(seed_zones) = &scenario.seed.zones {
        match find_seed_file(seed_zones.get_ref(), file) {
            None => problem(
                seed_zones.span().start,
                "seed.zones",
                format!("地区ファイル {} が見つかりません", seed_zones.get_ref()),
                format!("zone file {} not found", seed_zones.get_ref()),
            ),
            Some(path) => match std::fs::read_to_string(&path).map(|t| crate::zones::parse(&t)) {
                Ok(Ok(parsed)) => zones = Some(parsed.iter().map(|z| z.name.clone()).collect()),
                Ok(Err(e)) => problem(
                    seed_zones.span().start,
                    "seed.zones",
                    format!("地区ファイルに問題があります: {}", e.text().ja),
                    format!("the zone file has problems: {}", e.text().en),
                ),
                Err(e) => problem(
                    seed_zones.span().start,
                    "seed.zones",
                    format!("読めません: {e}"),
                    format!("unreadable: {e}"),
                ),
            },
        }
    }

    let items: HashSet<&str> = if scenario.seed.items.is_empty() {
        crate::demo::item_names().collect()
    } else {
        scenario.seed.items.iter().map(|i| i.name.as_str()).collect()
    };
    for (n, need) in scenario.seed.needs.iter().enumerate() {
        let call = need.get_ref();
        let payload = Payload::HouseholdRequest(Box::new(call.clone()));
        for (field, ja, en) in payload_problems(&payload, &HashMap::new(), &items, zones.as_ref()) {
            problem(
                need.span().start,
                &format!("seed.needs[{n}].{field}"),
                format!("seed.needs の {} 件目: {ja}", n + 1),
                format!("seed.needs #{}: {en}", n + 1),
            );
        }
    }
    let objectives: HashSet<&str> = scenario.objectives.iter().map(|o| o.get_ref().id.as_str()).collect();
    let mut by_id: HashMap<u32, (&Inject, usize)> = HashMap::new();
    for inject in &scenario.injects {
        let (i, at) = (inject.get_ref(), inject.span().start);
        if by_id.insert(i.id, (i, at)).is_some() {
            problem(
                at,
                "id",
                format!("インジェクト番号 {} が重複しています", i.id),
                format!("inject id {} is used twice", i.id),
            );
        }
    }
    let contingency_ids: HashSet<u32> =
        scenario.injects.iter().filter_map(|i| i.get_ref().on_miss.as_ref().and_then(|m| m.inject)).collect();
    for inject in &scenario.injects {
        let i = inject.get_ref();
        let at = inject.span().start;
        let key = |k: &str| key_offset(text, at, k);
        let name = format!("injects[id={}]", i.id);
        match (&i.at, &i.after) {
            // A contingency fires only when another inject's expected action is missed.
            (None, None) if contingency_ids.contains(&i.id) => {}
            (Some(_), Some(_)) | (None, None) => problem(
                key("at").min(key("after")),
                &format!("{name}.at"),
                format!("インジェクト {} には at か after のどちらか一方を書いてください", i.id),
                format!("inject {} needs exactly one of at and after", i.id),
            ),
            (Some(offset), None) if offset_minutes(offset).is_none() => problem(
                key("at"),
                &format!("{name}.at"),
                format!("インジェクト {} の at は +01:30 の形です", i.id),
                format!("inject {}: at looks like +01:30", i.id),
            ),
            (None, Some(after)) => {
                if !by_id.contains_key(&after.inject) {
                    problem(
                        key("after"),
                        &format!("{name}.after.inject"),
                        format!(
                            "インジェクト {} の after が存在しないインジェクト {} を指しています",
                            i.id, after.inject
                        ),
                        format!("inject {}: after points at inject {}, which does not exist", i.id, after.inject),
                    );
                }
                if duration_minutes(&after.delay).is_none() && after.delay.trim() != "0m" {
                    problem(
                        key("after"),
                        &format!("{name}.after.delay"),
                        format!("インジェクト {} の delay は 10m・1h の形です", i.id),
                        format!("inject {}: delay looks like 10m or 1h", i.id),
                    );
                }
            }
            _ => {}
        }
        if let Some(expect) = &i.expect {
            if let Some(within) = &expect.within
                && duration_minutes(within).is_none()
            {
                problem(
                    key("expect"),
                    &format!("{name}.expect.within"),
                    format!("インジェクト {} の within は 15m の形です", i.id),
                    format!("inject {}: within looks like 15m", i.id),
                );
            }
            if let Some(objective) = &expect.objective
                && !objectives.contains(objective.as_str())
            {
                problem(
                    key("expect"),
                    &format!("{name}.expect.objective"),
                    format!("インジェクト {} の目標 {objective} がありません", i.id),
                    format!("inject {}: objective {objective} does not exist", i.id),
                );
            }
            if let Some((target, kind)) = expect.detect.as_ref().and_then(|d| d.target()) {
                match by_id.get(&target) {
                    None => problem(
                        key("expect"),
                        &format!("{name}.expect.detect"),
                        format!("インジェクト {} の detect が存在しないインジェクト {target} を指しています", i.id),
                        format!("inject {}: detect refers to inject {target}, which does not exist", i.id),
                    ),
                    Some((other, _)) if other.kind != kind => problem(
                        key("expect"),
                        &format!("{name}.expect.detect"),
                        format!(
                            "インジェクト {} の detect はインジェクト {target} の種類（{:?}）には使えません",
                            i.id, other.kind
                        ),
                        format!("inject {}: this detect does not fit inject {target} ({:?})", i.id, other.kind),
                    ),
                    Some(_) => {}
                }
            }
        }
        match i.typed_payload() {
            Err(message) => problem(
                named_field(&message).map_or(key("payload"), |field| key_offset(text, key("payload"), field)),
                &format!("{name}.payload"),
                format!("インジェクト {} の payload に誤りがあります: {message}", i.id),
                format!("inject {}: payload: {message}", i.id),
            ),
            Ok(payload) => {
                for (field, ja, en) in payload_problems(&payload, &by_id, &items, zones.as_ref()) {
                    problem(
                        key("payload"),
                        &format!("{name}.payload.{field}"),
                        format!("インジェクト {} の payload.{field}: {ja}", i.id),
                        format!("inject {}: payload.{field}: {en}", i.id),
                    );
                }
            }
        }
        if let Some(contingency) = i.on_miss.as_ref().and_then(|m| m.inject)
            && !by_id.contains_key(&contingency)
        {
            problem(
                key("on_miss"),
                &format!("{name}.on_miss.inject"),
                format!("インジェクト {} の on_miss が存在しないインジェクト {contingency} を指しています", i.id),
                format!("inject {}: on_miss points at inject {contingency}, which does not exist", i.id),
            );
        }
    }
    // `after` chains must end at an inject with a time.
    for inject in &scenario.injects {
        let start = inject.get_ref().id;
        let mut seen = HashSet::from([start]);
        let mut current = start;
        while let Some(next) = by_id.get(&current).and_then(|(i, _)| i.after.as_ref()).map(|a| a.inject) {
            if !seen.insert(next) {
                problem(
                    inject.span().start,
                    &format!("injects[id={start}].after"),
                    format!("インジェクト {start} の after が循環しています"),
                    format!("inject {start}: its after chain forms a cycle"),
                );
                break;
            }
            current = next;
        }
    }
    problems.sort_by_key(|p| p.line);
    if problems.is_empty() { Ok(scenario) } else { Err(problems) }
}

/// What a well-formed payload gets wrong against the rest of the scenario:
/// (field, Japanese, English).
fn payload_problems(
    payload: &Payload,
    injects: &HashMap<u32, (&Inject, usize)>,
    items: &HashSet<&str>,
    zones: Option<&HashSet<String>>,
) -> Vec<(&'static str, String, String)> {
    let mut found = Vec::new();
    if let Payload::VolunteerArrival(arrival) = payload
        && let Some(message) = arrival.problem()
    {
        found.push(("count", message.clone(), message));
    }
    if let Payload::HouseholdRequest(call) = payload {
        if let (Some(zone), Some(zones)) = (&call.zone, zones)
            && !zones.contains(zone)
        {
            found.push((
                "zone",
                format!("地区「{zone}」は地区ファイルにありません"),
                format!("zone {zone} is not in the zone file"),
            ));
        }
        if let Err(e) = crate::needs::form::validate(call.to_form(), chrono::Utc::now().fixed_offset()) {
            let field = e.field.clone().unwrap_or_default();
            found.push(("card", format!("{field}: {}", e.message.ja), format!("{field}: {}", e.message.en)));
        }
    }
    if let Some(request) = payload.request() {
        match injects.get(&request) {
            Some((target, _)) if target.kind == InjectKind::HouseholdRequest => {}
            Some(_) => found.push((
                "request",
                format!("インジェクト {request} は household_request ではありません"),
                format!("inject {request} is not a household_request"),
            )),
            None => found.push((
                "request",
                format!("インジェクト {request} がありません"),
                format!("inject {request} does not exist"),
            )),
        }
    }
    if let Some(item) = payload.item()
        && !items.contains(item)
    {
        found.push((
            "item",
            format!("資機材「{item}」は seed.items にありません"),
            format!("item {item} is not in seed.items"),
        ));
    }
    found
}

pub fn find_seed_file(given: &str, scenario: &Path) -> Option<std::path::PathBuf> {
    let dir = scenario.parent().unwrap_or(Path::new("."));
    [Path::new(given).to_path_buf(), dir.join(given), dir.join("..").join(given)].into_iter().find(|p| p.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = r#"id = "t"
title = "テスト"
hazard = "大雨"
sim_start = "2026-07-12T08:00:00+09:00"
duration = "6h"
speed = 4

[[objectives]]
id = "O1"
text = "30分以内に最初の班を送り出す"
"#;

    fn problems(injects: &str) -> Vec<(usize, String)> {
        let text = format!("{HEADER}{injects}");
        match check(&text, Path::new("drills/t.toml")) {
            Ok(_) => Vec::new(),
            Err(problems) => problems.into_iter().map(|p| (p.line, p.field)).collect(),
        }
    }

    #[test]
    fn a_good_scenario_passes() {
        let good = r#"
[[injects]]
id = 1
at = "+00:00"
kind = "volunteer_arrival"
to = "reception"
payload = { count = 120, groups = 3, uninsured = 6 }
expect = { text = "全員の受付完了", within = "45m", objective = "O1", detect = { all_checked_in = { inject = 1 } } }

[[injects]]
id = 2
after = { inject = 1, delay = "10m" }
kind = "weather_warning"
message = "大雨警報"
expect = { text = "活動中止", within = "15m", detect = { suspension_started = {} } }
on_miss = { hint = "本部長に判断を仰ぐ" }
"#;
        assert_eq!(problems(good), Vec::<(usize, String)>::new());
    }

    #[test]
    fn each_broken_inject_is_named_with_its_line_and_field() {
        let broken = r#"
[[injects]]
id = 1
at = "朝"
kind = "volunteer_arrival"

[[injects]]
id = 2
after = { inject = 9, delay = "10m" }
kind = "inquiry"

[[injects]]
id = 3
after = { inject = 4, delay = "5m" }
kind = "inquiry"

[[injects]]
id = 4
after = { inject = 3, delay = "5m" }
kind = "inquiry"
expect = { text = "x", objective = "O9", detect = { need_dispatched = { inject = 1 } } }
"#;
        let found = problems(broken);
        let lines: Vec<usize> = found.iter().map(|p| p.0).collect();
        let fields: Vec<&str> = found.iter().map(|p| p.1.as_str()).collect();
        assert!(fields.contains(&"injects[id=1].at"), "{found:?}");
        assert!(fields.contains(&"injects[id=2].after.inject"), "{found:?}");
        assert!(fields.contains(&"injects[id=3].after"), "a cycle: {found:?}");
        assert!(fields.contains(&"injects[id=4].expect.objective"), "{found:?}");
        assert!(fields.contains(&"injects[id=4].expect.detect"), "detect of the wrong kind: {found:?}");
        let header_lines = HEADER.lines().count();
        assert_eq!(
            found.iter().find(|p| p.1 == "injects[id=1].at").unwrap().0,
            header_lines + 4,
            "the line of `at`: {lines:?}"
        );
        assert_eq!(
            found.iter().find(|p| p.1 == "injects[id=2].after.inject").unwrap().0,
            header_lines + 9,
            "{lines:?}"
        );
    }

    #[test]
    fn an_unknown_kind_or_field_is_reported_at_its_line() {
        let unknown = "\n[[injects]]\nid = 1\nat = \"+00:10\"\nkind = \"earthquake_party\"\n";
        let found = problems(unknown);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, HEADER.lines().count() + 5, "{found:?}");
        let typo = "\n[[injects]]\nid = 1\nat = \"+00:10\"\nkind = \"inquiry\"\nmesage = \"typo\"\n";
        assert_eq!(problems(typo)[0].0, HEADER.lines().count() + 6);
    }

    #[test]
    fn a_payload_table_is_reported_at_its_field_and_seed_needs_are_checked() {
        let table = "\n[[injects]]\nid = 1\nat = \"+00:10\"\nkind = \"inquiry\"\n[injects.payload]\ncaller = \"報道\"\nquestoin = \"x\"\n";
        let found = problems(table);
        assert_eq!(
            found,
            vec![(HEADER.lines().count() + 8, "injects[id=1].payload".to_string())],
            "the misspelt key's line"
        );
        let seed = "\n[[seed.needs]]\nname = \"山田\"\nfurigana = \"やまだ\"\naddress = \"金沢市\"\ncategories = []\n";
        let found = problems(seed);
        assert!(found.iter().any(|(_, f)| f.starts_with("seed.needs[0].")), "{found:?}");
    }

    #[test]
    fn offsets_and_durations_read_as_minutes() {
        assert_eq!(offset_minutes("+01:30"), Some(90));
        assert_eq!(offset_minutes("+1:75"), None);
        assert_eq!(duration_minutes("1h30m"), Some(90));
        assert_eq!(duration_minutes("6h"), Some(360));
        assert_eq!(duration_minutes("15m"), Some(15));
        assert_eq!(duration_minutes("soon"), None);
    }
}
