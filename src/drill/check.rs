//! `borasen drill check`: everything wrong with a scenario file, each with its
//! line and field, before anything runs.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::limits;
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

pub(super) fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

/// Where `key` is written in the inject that starts at `start` (its lines run
/// to the next table header); the inject's own line when it is not found.
pub(super) fn key_offset(text: &str, start: usize, key: &str) -> usize {
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

/// `+HH:MM` → minutes after the start (a clock time `HH:MM` needs the start:
/// [`super::times::resolve`]). Too many hours saturate at `i64::MAX` (the
/// bounds refuse them); nothing overflows.
pub fn offset_minutes(text: &str) -> Option<i64> {
    match super::times::parse(text) {
        Ok(super::times::At::Offset(minutes)) => Some(minutes),
        _ => None,
    }
}

/// `10m`, `1h`, `1h30m` → minutes (more than 0). Too large saturates at
/// `i64::MAX` (the bounds refuse it); nothing overflows.
pub fn duration_minutes(text: &str) -> Option<i64> {
    minutes_of(text).filter(|m| *m > 0)
}

/// `0m`, `10m`, `1h`, `1h30m` → minutes, 0 included.
pub fn minutes_of(text: &str) -> Option<i64> {
    let text = text.trim();
    let (hours, rest) = match text.split_once('h') {
        Some((h, rest)) => (limits::number(h)?, rest),
        None => (0, text),
    };
    let minutes = match rest.strip_suffix('m') {
        Some(m) => limits::number(m)?,
        None if rest.is_empty() && text.ends_with('h') => 0,
        None => return None,
    };
    Some(hours.saturating_mul(60).saturating_add(minutes))
}

/// The text without a leading byte order mark (editors on Windows write one).
pub fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// Reads and checks a scenario. `base` is where relative seed paths are looked
/// for (the current folder, then the scenario's folder and its parent).
pub fn check(text: &str, file: &Path) -> Result<Scenario, Vec<Problem>> {
    let text = strip_bom(text);
    if text.len() > limits::MAX_FILE_BYTES {
        let max = limits::grouped(limits::MAX_FILE_BYTES as i64);
        return Err(vec![Problem {
            line: 1,
            field: String::new(),
            message: Text::new(
                format!("シナリオファイルは {max} バイトまでです（上限 {max}）"),
                format!("a scenario file is at most {max} bytes (at most {max})"),
            ),
        }]);
    }
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

    for (at, field, ja, en) in limits::text_problems(text) {
        problem(at, &field, ja, en);
    }
    match chrono::DateTime::parse_from_rfc3339(scenario.sim_start.get_ref()) {
        Err(_) => problem(
            scenario.sim_start.span().start,
            "sim_start",
            "開始日時は 2026-07-12T08:00:00+09:00 の形で書いてください".into(),
            "sim_start is an RFC 3339 time such as 2026-07-12T08:00:00+09:00".into(),
        ),
        Ok(start) if !limits::SIM_START_YEARS.contains(&chrono::Datelike::year(&start)) => {
            let (min, max) = (limits::SIM_START_YEARS.start(), limits::SIM_START_YEARS.end());
            problem(
                scenario.sim_start.span().start,
                "sim_start",
                format!("開始日時は {min}年〜{max}年です（上限 {max}年）"),
                format!("sim_start lies in the years {min}–{max} (at most {max})"),
            )
        }
        Ok(_) => {}
    }
    let drill_minutes = match duration_minutes(scenario.duration.get_ref()) {
        None => {
            problem(
                scenario.duration.span().start,
                "duration",
                "時間は 6h・90m・1h30m の形です".into(),
                "duration looks like 6h, 90m or 1h30m".into(),
            );
            None
        }
        Some(m) => match limits::duration_out_of("duration", m, &limits::DRILL_MINUTES) {
            Some((ja, en)) => {
                problem(scenario.duration.span().start, "duration", ja, en);
                None
            }
            None => Some(m),
        },
    };
    // Offsets are judged against the drill's end (or the longest drill when
    // the duration itself is wrong).
    let end = drill_minutes.unwrap_or(*limits::DRILL_MINUTES.end());
    // Clock times are read on the drill day (midnight UTC when sim_start is itself wrong).
    let start = chrono::DateTime::parse_from_rfc3339(scenario.sim_start.get_ref())
        .unwrap_or_else(|_| chrono::DateTime::UNIX_EPOCH.fixed_offset());
    if !limits::SPEED.contains(scenario.speed.get_ref()) {
        let (min, max) = (limits::SPEED.start(), limits::SPEED.end());
        problem(
            scenario.speed.span().start,
            "speed",
            format!("速度は{min}〜{max}倍です（上限 {max}）"),
            format!("speed is {min}–{max} (at most {max})"),
        );
    }
    let too_many = [
        ("injects", scenario.injects.get(limits::MAX_INJECTS).map(|i| i.span().start), limits::MAX_INJECTS, "件"),
        (
            "objectives",
            scenario.objectives.get(limits::MAX_OBJECTIVES).map(|o| o.span().start),
            limits::MAX_OBJECTIVES,
            "件",
        ),
        (
            "seed.items",
            scenario.seed.items.get(limits::MAX_SEED_ITEMS).map(|i| i.span().start),
            limits::MAX_SEED_ITEMS,
            "種類",
        ),
        (
            "seed.needs",
            scenario.seed.needs.get(limits::MAX_SEED_NEEDS).map(|n| n.span().start),
            limits::MAX_SEED_NEEDS,
            "件",
        ),
    ];
    for (field, first_over, max, unit) in too_many {
        if let Some(at) = first_over {
            let max = limits::grouped(max as i64);
            problem(
                at,
                field,
                format!("{field} は {max}{unit}までです（上限 {max}）"),
                format!("{field} has at most {max} entries (at most {max})"),
            );
        }
    }
    for (n, item) in scenario.seed.items.iter().enumerate() {
        if let Some((ja, en)) = limits::out_of("stock", item.get_ref().stock, &limits::SEED_STOCK, "点") {
            problem(item.span().start, &format!("seed.items[{n}].stock"), ja, en);
        }
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
        scenario.seed.items.iter().map(|i| i.get_ref().name.as_str()).collect()
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
        if i.id == super::controller::AD_HOC_INJECT {
            problem(
                at,
                "id",
                "インジェクト番号 0 は訓練中に統制官が書くインジェクト用です（1以上にしてください）".to_string(),
                "inject id 0 is kept for the controller's ad-hoc injects (use 1 or more)".to_string(),
            );
        }
        if by_id.insert(i.id, (i, at)).is_some() {
            problem(
                at,
                "id",
                format!("インジェクト番号 {} が重複しています", i.id),
                format!("inject id {} is used twice", i.id),
            );
        }
    }
    let mut arrivals_total: i64 = 0;
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
            (Some(offset), None) => {
                if let Err(at_problem) = super::times::resolve(offset, start, end) {
                    let (ja, en) = super::times::words(&at_problem, i.id, offset, start, end);
                    problem(key("at"), &format!("{name}.at"), ja, en);
                }
            }
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
                let range = 0..=(*limits::DELAY_MINUTES.end()).min(end);
                let form = ("10m・1h", "10m or 1h");
                let within_the_drill = ("（訓練の長さまで）", " (within the drill)");
                if let Some((ja, en)) = duration_problem(i.id, "delay", &after.delay, form, &range, within_the_drill) {
                    problem(key("after"), &format!("{name}.after.delay"), ja, en);
                }
            }
        }
        if let Some(expect) = &i.expect {
            if let Some(within) = &expect.within
                && let Some((ja, en)) =
                    duration_problem(i.id, "within", within, ("15m", "15m"), &limits::WITHIN_MINUTES, ("", ""))
            {
                problem(key("expect"), &format!("{name}.expect.within"), ja, en);
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
                // Each arrival within its own bound counts towards the drill's.
                if let Payload::VolunteerArrival(arrival) = &payload
                    && limits::ARRIVAL_COUNT.contains(&i64::from(arrival.count))
                {
                    let before = arrivals_total;
                    arrivals_total = arrivals_total.saturating_add(i64::from(arrival.count));
                    if before <= limits::MAX_ARRIVALS_TOTAL && arrivals_total > limits::MAX_ARRIVALS_TOTAL {
                        let max = limits::grouped(limits::MAX_ARRIVALS_TOTAL);
                        problem(
                            payload_field(text, key("payload"), "count"),
                            &format!("{name}.payload.count"),
                            format!(
                                "インジェクト {}: 訓練全体の到着は {max}人までです（上限 {max}、ここで超えます）",
                                i.id
                            ),
                            format!("inject {}: arrivals over the whole drill are at most {max} (exceeded here)", i.id),
                        );
                    }
                }
                for (field, ja, en) in payload_problems(&payload, &by_id, &items, zones.as_ref()) {
                    problem(
                        payload_field(text, key("payload"), field),
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
    // An `after` chain that starts from an `at` must fire within the drill.
    for inject in &scenario.injects {
        let i = inject.get_ref();
        let Some(after) = &i.after else { continue };
        let (Some(parent), Some(delay)) = (fires_at(&by_id, after.inject, start, end), minutes_of(&after.delay)) else {
            continue;
        };
        let at = parent.saturating_add(delay);
        if parent <= end && delay <= end && at > end {
            problem(
                key_offset(text, inject.span().start, "after"),
                &format!("injects[id={}].after.delay", i.id),
                format!(
                    "インジェクト {} は {} に発動します（インジェクト {} の {} 後）。訓練の終わり（{}）より後です",
                    i.id,
                    limits::offset(at),
                    after.inject,
                    limits::span(delay),
                    limits::offset(end)
                ),
                format!(
                    "inject {} would fire at {} ({} after inject {}), after the end of the drill ({})",
                    i.id,
                    limits::offset(at),
                    limits::span(delay),
                    after.inject,
                    limits::offset(end)
                ),
            );
        }
    }
    problems.sort_by_key(|p| p.line);
    if problems.is_empty() { Ok(scenario) } else { Err(problems) }
}

/// What is wrong with inject `id`'s duration `field` written as `text`: not
/// in the `form` (Japanese, English), or outside `range` (then `note` follows).
fn duration_problem(
    id: u32,
    field: &str,
    text: &str,
    form: (&str, &str),
    range: &std::ops::RangeInclusive<i64>,
    note: (&str, &str),
) -> Option<(String, String)> {
    match minutes_of(text) {
        None => Some((
            format!("インジェクト {id} の {field} は {} の形です", form.0),
            format!("inject {id}: {field} looks like {}", form.1),
        )),
        Some(m) => limits::duration_out_of(field, m, range)
            .map(|(ja, en)| (format!("インジェクト {id}: {ja}{}", note.0), format!("inject {id}: {en}{}", note.1))),
    }
}

/// When inject `id` fires, in minutes from the start, following its `after`
/// chain to an `at`; `None` for a contingency, a cycle or a malformed time.
fn fires_at(
    injects: &HashMap<u32, (&Inject, usize)>,
    id: u32,
    start: chrono::DateTime<chrono::FixedOffset>,
    end: i64,
) -> Option<i64> {
    let mut total: i64 = 0;
    let mut current = id;
    for _ in 0..=injects.len() {
        let (inject, _) = injects.get(&current)?;
        match (&inject.at, &inject.after) {
            (Some(at), None) => return super::times::resolve(at, start, end).ok().map(|m| m.saturating_add(total)),
            (None, Some(after)) => {
                total = total.saturating_add(minutes_of(&after.delay)?);
                current = after.inject;
            }
            _ => return None,
        }
    }
    None
}

/// Where a payload's `field` is written: its own line in a `[injects.payload]`
/// table, the `payload = {…}` line when the payload is inline.
fn payload_field(text: &str, payload: usize, field: &str) -> usize {
    let inline = text.get(payload..).is_some_and(|rest| rest.starts_with("payload"));
    if inline { payload } else { key_offset(text, payload, field) }
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
    found.extend(payload.bound_problems());
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
    use crate::i18n::Lang;

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

    /// Inject 1 at +05:00, and inject 2 `delay` after it.
    fn chain_of(delay: &str) -> String {
        format!(
            "\n[[injects]]\nid = 1\nat = \"+05:00\"\nkind = \"inquiry\"\n\n[[injects]]\nid = 2\nafter = {{ inject = 1, delay = \"{delay}\" }}\nkind = \"inquiry\"\n"
        )
    }

    /// Inject 1 at +00:10, expecting an action within `w`.
    fn within_of(w: &str) -> String {
        format!(
            "\n[[injects]]\nid = 1\nat = \"+00:10\"\nkind = \"inquiry\"\nexpect = {{ text = \"x\", within = \"{w}\" }}\n"
        )
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

    fn problems_of(text: &str) -> Vec<(usize, String)> {
        match check(text, Path::new("drills/t.toml")) {
            Ok(_) => Vec::new(),
            Err(problems) => problems.into_iter().map(|p| (p.line, p.field)).collect(),
        }
    }

    fn arrival(count: u32) -> String {
        format!(
            "\n[[injects]]\nid = 1\nat = \"+00:05\"\nkind = \"volunteer_arrival\"\npayload = {{ count = {count} }}\n"
        )
    }

    /// The three files of issue 13: `drill check` passed them, then the run
    /// aborted on a 37 GB allocation or panicked on chrono's overflow.
    #[test]
    fn the_files_that_crashed_a_run_are_refused_with_line_and_field() {
        let header = HEADER.lines().count();
        assert_eq!(problems(&arrival(99_999_999)), vec![(header + 6, "injects[id=1].payload.count".to_string())]);
        let table = "\n[[injects]]\nid = 1\nat = \"+00:05\"\nkind = \"volunteer_arrival\"\n[injects.payload]\ngroups = 1\ncount = 99999999\n";
        assert_eq!(
            problems(table),
            vec![(header + 8, "injects[id=1].payload.count".to_string())],
            "the count's own line"
        );

        let long = HEADER.replace("duration = \"6h\"", "duration = \"99999999999999h\"");
        assert_eq!(problems_of(&long), vec![(5, "duration".to_string())]);

        let late = "\n[[injects]]\nid = 1\nat = \"+99999:00\"\nkind = \"inquiry\"\n";
        assert_eq!(problems(late), vec![(header + 4, "injects[id=1].at".to_string())]);
        let message = check(&format!("{HEADER}{late}"), Path::new("t.toml")).unwrap_err().remove(0).message;
        assert!(message.ja.contains("+06:00") && message.en.contains("after the end of the drill"), "{message:?}");
    }

    #[test]
    fn a_nul_or_hidden_character_in_a_string_is_refused_at_its_line() {
        let header = HEADER.lines().count();
        let nul = "\n[[injects]]\nid = 3\nat = \"+00:10\"\nkind = \"household_request\"\n[injects.payload]\nname = \"山田\\u0000花子\"\naddress = \"金沢市片町1-1\"\nphone = \"076-222-3333\"\ncategories = [\"泥出し\"]\n";
        // The character scan names the field; the intake rules (the same normaliser) refuse the card too.
        assert_eq!(
            problems(nul),
            vec![
                (header + 6, "injects[id=3].payload.card".to_string()),
                (header + 7, "injects[id=3].payload.name".to_string())
            ]
        );
        let bidi = "\n[[injects]]\nid = 4\nat = \"+00:10\"\nkind = \"inquiry\"\nmessage = \"\"\"\n一行目\n二行目\u{202e}逆\"\"\"\n";
        assert_eq!(problems(bidi), vec![(header + 8, "injects[id=4].message".to_string())]);
        let zero_width = HEADER.replace("title = \"テスト\"", "title = \"テ\u{200b}スト\"");
        assert_eq!(problems_of(&zero_width), vec![(2, "title".to_string())]);
        let c1 = HEADER.replace("id = \"O1\"", "id = \"O\u{85}1\"");
        assert_eq!(problems_of(&c1), vec![(HEADER.lines().count() - 1, "objectives[0].id".to_string())]);
        let multi_line = "\n[[injects]]\nid = 5\nat = \"+00:10\"\nkind = \"inquiry\"\nmessage = \"\"\"\n一行目\r\n\t二行目\n\"\"\"\n";
        assert_eq!(problems(multi_line), Vec::<(usize, String)>::new(), "newline and tab in a message");
        let one_line = HEADER.replace("title = \"テスト\"", "title = \"テ\\tスト\"");
        assert_eq!(problems_of(&one_line), vec![(2, "title".to_string())], "a tab in a title");
        let bom = format!("\u{feff}{HEADER}");
        assert_eq!(problems_of(&bom), Vec::<(usize, String)>::new(), "a leading BOM is stripped");
        let inner_bom = HEADER.replace("hazard = \"大雨\"", "hazard = \"大\u{feff}雨\"");
        assert_eq!(problems_of(&inner_bom), vec![(3, "hazard".to_string())]);
    }

    #[test]
    fn bounds_hold_exactly_at_their_edges() {
        let header = HEADER.lines().count();
        assert_eq!(problems(&arrival(5_000)), Vec::<(usize, String)>::new());
        assert_eq!(problems(&arrival(5_001)), vec![(header + 6, "injects[id=1].payload.count".to_string())]);
        assert_eq!(problems(&arrival(0)), vec![(header + 6, "injects[id=1].payload.count".to_string())]);

        let duration = |d: &str| problems_of(&HEADER.replace("duration = \"6h\"", &format!("duration = \"{d}\"")));
        assert_eq!(duration("1m"), Vec::<(usize, String)>::new());
        assert_eq!(duration("24h"), Vec::<(usize, String)>::new());
        assert_eq!(duration("23h60m"), Vec::<(usize, String)>::new());
        assert_eq!(duration("0m"), vec![(5, "duration".to_string())]);
        assert_eq!(duration("24h1m"), vec![(5, "duration".to_string())]);

        let at = |offset: &str| problems(&format!("\n[[injects]]\nid = 1\nat = \"{offset}\"\nkind = \"inquiry\"\n"));
        assert_eq!(at("+06:00"), Vec::<(usize, String)>::new(), "at = duration");
        assert_eq!(at("+06:01"), vec![(header + 4, "injects[id=1].at".to_string())]);

        let within = |w: &str| problems(&within_of(w));
        assert_eq!(within("1m"), Vec::<(usize, String)>::new());
        assert_eq!(within("24h"), Vec::<(usize, String)>::new());
        assert_eq!(within("0m"), vec![(header + 6, "injects[id=1].expect.within".to_string())]);
        assert_eq!(within("24h1m"), vec![(header + 6, "injects[id=1].expect.within".to_string())]);

        // An `after` chain must fire within the drill; its delay is 0m–24h.
        let chain = |delay: &str| problems(&chain_of(delay));
        assert_eq!(chain("0m"), Vec::<(usize, String)>::new());
        assert_eq!(chain("1h"), Vec::<(usize, String)>::new(), "+06:00, the end");
        assert_eq!(chain("1h1m"), vec![(header + 9, "injects[id=2].after.delay".to_string())]);
        assert_eq!(chain("99999999999999h"), vec![(header + 9, "injects[id=2].after.delay".to_string())]);

        let speed = |n: u32| problems_of(&HEADER.replace("speed = 4", &format!("speed = {n}")));
        assert_eq!(speed(120), Vec::<(usize, String)>::new());
        assert_eq!(speed(121), vec![(6, "speed".to_string())]);
    }

    #[test]
    fn a_duration_is_told_its_form_or_its_range_in_both_languages() {
        let messages = |injects: &str| -> Vec<(String, String)> {
            let text = format!("{HEADER}{injects}");
            let problems = check(&text, Path::new("drills/t.toml")).err().unwrap_or_default();
            problems
                .into_iter()
                .map(|p| (p.message.get(Lang::Ja).to_string(), p.message.get(Lang::En).to_string()))
                .collect()
        };
        let chain = |delay: &str| messages(&chain_of(delay));
        let within = |w: &str| messages(&within_of(w));
        let pair = |ja: &str, en: &str| vec![(ja.to_string(), en.to_string())];
        assert_eq!(
            chain("soon"),
            pair("インジェクト 2 の delay は 10m・1h の形です", "inject 2: delay looks like 10m or 1h")
        );
        assert_eq!(within("soon"), pair("インジェクト 1 の within は 15m の形です", "inject 1: within looks like 15m"));
        let [(ja, en)] = &chain("99999999999999h")[..] else { panic!("one problem") };
        assert!(ja.starts_with("インジェクト 2: delay は ") && ja.ends_with("は範囲外です（訓練の長さまで）"), "{ja}");
        assert!(en.starts_with("inject 2: delay is ") && en.ends_with("is out of range (within the drill)"), "{en}");
        let [(ja, en)] = &within("24h1m")[..] else { panic!("one problem") };
        assert!(ja.starts_with("インジェクト 1: within は ") && ja.ends_with("は範囲外です"), "{ja}");
        assert!(en.starts_with("inject 1: within is ") && en.ends_with("is out of range"), "{en}");
    }

    #[test]
    fn every_count_of_every_kind_has_its_bound() {
        let header = HEADER.lines().count();
        let one = |kind: &str, payload: &str| {
            problems(&format!(
                "\n[[injects]]\nid = 1\nat = \"+00:05\"\nkind = \"volunteer_arrival\"\npayload = {{ count = 10 }}\n\n[[injects]]\nid = 2\nat = \"+00:05\"\nkind = \"household_request\"\npayload = {{ name = \"山田\", address = \"金沢市片町1-1\", phone = \"076-222-3333\", categories = [\"泥出し\"] }}\n\n[[injects]]\nid = 3\nat = \"+00:10\"\nkind = \"{kind}\"\npayload = {{ {payload} }}\n"
            ))
            .into_iter()
            .map(|(line, field)| {
                assert_eq!(line, header + 18, "{field}");
                field
            })
            .collect::<Vec<_>>()
        };
        let field = |f: &str| vec![format!("injects[id=3].payload.{f}")];
        let arrival = "volunteer_arrival";
        assert_eq!(one(arrival, "count = 5000, groups = 500, group_size = 10"), Vec::<String>::new());
        assert_eq!(one(arrival, "count = 5000, groups = 501, group_size = 2"), field("groups"));
        assert_eq!(one(arrival, "count = 500, groups = 2, group_size = 101"), field("group_size"));
        assert_eq!(one(arrival, "count = 20, uninsured = 21"), field("uninsured"));
        assert_eq!(one(arrival, "count = 20, minors = 5001"), field("minors"));
        assert_eq!(one(arrival, "count = 20, experienced = 4294967295"), field("experienced"));
        assert_eq!(one(arrival, "count = 20, vehicles = { \"軽トラ\" = 21 }"), field("vehicles"));
        let kinds: Vec<String> = (0..21).map(|k| format!("\"技能{k}\" = 1")).collect();
        assert_eq!(one(arrival, &format!("count = 100, skills = {{ {} }}", kinds.join(", "))), field("skills"));
        assert_eq!(one("survey_result", "request = 2, findings = \"x\", people = 201"), field("people"));
        assert_eq!(one("need_update", "request = 2, people = 0"), field("people"));
        assert_eq!(one("need_update", "request = 2, priority = 4"), field("priority"));
        assert_eq!(one("equipment_shortage", "item = \"一輪車\", qty = 10000"), Vec::<String>::new());
        assert_eq!(one("equipment_shortage", "item = \"一輪車\", qty = 10001"), field("qty"));
        assert_eq!(one("equipment_shortage", "item = \"一輪車\", qty = -1"), field("qty"));
        assert_eq!(one("equipment_return", "item = \"一輪車\", qty = 99999999999"), field("qty"));
        assert_eq!(one("ict_outage", "minutes = 1440"), Vec::<String>::new());
        assert_eq!(one("ict_outage", "minutes = 1441"), field("minutes"));
        assert_eq!(
            one(
                "household_request",
                "name = \"山田\", address = \"金沢市\", phone = \"076-222-3333\", categories = [\"泥出し\"], people = 201"
            ),
            field("card")
        );

        let stock = HEADER.replace("speed = 4", "speed = 4\n[seed]\nitems = [{ name = \"一輪車\", stock = 100001 }]");
        assert_eq!(problems_of(&stock), vec![(8, "seed.items[0].stock".to_string())]);
        let waves: String = (1..=5).map(|id| format!("\n[[injects]]\nid = {id}\nat = \"+00:05\"\nkind = \"volunteer_arrival\"\npayload = {{ count = 5000 }}\n")).collect();
        let found = problems(&waves);
        assert_eq!(found, vec![(header + 30, "injects[id=5].payload.count".to_string())], "20,000 in all");
    }

    #[test]
    fn offsets_and_durations_read_as_minutes() {
        assert_eq!(duration_minutes("99999999999999h"), Some(99_999_999_999_999 * 60));
        assert_eq!(duration_minutes("999999999999999999999h"), Some(i64::MAX), "saturates, never overflows");
        assert_eq!(offset_minutes("+999999999999999999:00"), Some(i64::MAX));
        assert_eq!(minutes_of("0m"), Some(0));
        assert_eq!(duration_minutes("0m"), None);
        assert_eq!(duration_minutes("-5m"), None);
        assert_eq!(offset_minutes("+01:30"), Some(90));
        assert_eq!(offset_minutes("+1:75"), None);
        assert_eq!(duration_minutes("1h30m"), Some(90));
        assert_eq!(duration_minutes("6h"), Some(360));
        assert_eq!(duration_minutes("15m"), Some(15));
        assert_eq!(duration_minutes("soon"), None);
    }
}
