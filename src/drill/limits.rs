//! The bounds of a scenario (訓練シナリオの上限): every count, duration and
//! offset a file can give, with a bound a real center could reach, and the
//! characters a scenario's strings may not hold. `drill check` refuses what
//! lies outside them, so nothing a file says can make a run allocate without
//! limit, overflow the clock's arithmetic or hide text from the trainer.
//! `drills/README.md` lists the same bounds for scenario writers.

use std::ops::RangeInclusive;

use chrono::{DateTime, Duration, FixedOffset};

/// A scenario file is at most 1 MiB (the shipped ones are under 60 KB).
pub const MAX_FILE_BYTES: usize = 1024 * 1024;

/// A drill lasts 1 minute to 24 hours (one activity day, night shift included).
pub const DRILL_MINUTES: RangeInclusive<i64> = 1..=24 * 60;
/// `expect.within`: 1 minute to 24 hours.
pub const WITHIN_MINUTES: RangeInclusive<i64> = 1..=24 * 60;
/// `after.delay`: 0 minutes (at once) to 24 hours, and within the drill.
pub const DELAY_MINUTES: RangeInclusive<i64> = 0..=24 * 60;
/// The drill clock's speed, as the console offers it.
pub const SPEED: RangeInclusive<u32> = 1..=120;
/// `sim_start` lies in these years (the clock's and the forms' dates stay sane).
pub const SIM_START_YEARS: RangeInclusive<i32> = 2000..=2099;

/// Injects in one scenario (the shipped ones have about 100).
pub const MAX_INJECTS: usize = 1_000;
/// Objectives in one scenario.
pub const MAX_OBJECTIVES: usize = 50;
/// Kinds of equipment in `seed.items` (the demo list has 16).
pub const MAX_SEED_ITEMS: usize = 200;
/// Needs left open from earlier days in `seed.needs`.
pub const MAX_SEED_NEEDS: usize = 500;
/// Starting stock of one item (土のう袋 by the ten thousand).
pub const SEED_STOCK: RangeInclusive<i64> = 0..=100_000;

/// People in one `volunteer_arrival`: the busiest single centers have seen a
/// few thousand volunteers on a holiday; 5,000 is one whole day's wave.
pub const ARRIVAL_COUNT: RangeInclusive<i64> = 1..=5_000;
/// People arriving over the whole scenario.
pub const MAX_ARRIVALS_TOTAL: i64 = 20_000;
/// Groups (会社・学校・団体・ボランティアバス) in one arrival.
pub const ARRIVAL_GROUPS: RangeInclusive<i64> = 0..=500;
/// People per group (a large bus tour is under 100).
pub const GROUP_SIZE: RangeInclusive<i64> = 2..=100;
/// `uninsured`, `minors`, `experienced` and each skill or vehicle count: at
/// most the arrival's individuals, and never more than this.
pub const ARRIVAL_TRAIT: RangeInclusive<i64> = 0..=5_000;
/// Kinds of skills, and kinds of vehicles, in one arrival.
pub const MAX_TRAIT_KINDS: usize = 20;

/// People needed on a need card, as intake allows (`household_request`,
/// `survey_result`, `need_update`).
pub const NEED_PEOPLE: RangeInclusive<i64> = 1..=200;
/// Priority 1 (urgent) to 3 (normal), as intake allows.
pub const NEED_PRIORITY: RangeInclusive<i64> = 1..=3;
/// Items found broken or coming back in one `equipment_shortage` or
/// `equipment_return`.
pub const ITEM_QTY: RangeInclusive<i64> = 1..=10_000;
/// `ict_outage.minutes`: 0 (not said) to 24 hours.
pub const OUTAGE_MINUTES: RangeInclusive<i64> = 0..=24 * 60;

/// Characters in a multi-line text (`message`, `narrative`, `hint`, …).
pub const MAX_TEXT_CHARS: usize = 4_000;
/// Characters in any other string (ids, titles, names, items…) and in a key.
pub const MAX_LINE_CHARS: usize = 200;

/// The string fields that may run over several lines (newline and tab allowed).
pub const MULTI_LINE: [&str; 13] = [
    "narrative",
    "message",
    "text",
    "hint",
    "target",
    "findings",
    "hazards",
    "notes",
    "household",
    "report",
    "injury",
    "question",
    "reason",
];

/// `5000` → `5,000`.
pub fn grouped(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// `field` outside `range`: (Japanese, English), naming the bound.
pub fn out_of(field: &str, value: i64, range: &RangeInclusive<i64>, unit_ja: &str) -> Option<(String, String)> {
    (!range.contains(&value)).then(|| {
        let (min, max) = (grouped(*range.start()), grouped(*range.end()));
        (
            format!("{field} は {min}〜{max}{unit_ja}です（上限 {max}）。{}{unit_ja}は範囲外です", grouped(value)),
            format!("{field} is {min}–{max} (at most {max}); {} is out of range", grouped(value)),
        )
    })
}

/// A number of minutes as 2h30m.
pub fn span(minutes: i64) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m}m"),
        (h, 0) => format!("{h}h"),
        (h, m) => format!("{h}h{m}m"),
    }
}

/// A number of minutes as 2時間30分.
pub fn span_ja(minutes: i64) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m}分"),
        (h, 0) => format!("{h}時間"),
        (h, m) => format!("{h}時間{m}分"),
    }
}

/// A number of minutes as `+HH:MM`.
pub fn offset(minutes: i64) -> String {
    format!("+{:02}:{:02}", minutes / 60, minutes % 60)
}

/// A duration in minutes outside `range`, named for `field`: (Japanese, English).
pub fn duration_out_of(field: &str, minutes: i64, range: &RangeInclusive<i64>) -> Option<(String, String)> {
    (!range.contains(&minutes)).then(|| {
        let (min_ja, max_ja) = (span_ja(*range.start()), span_ja(*range.end()));
        let (min, max) = (span(*range.start()), span(*range.end()));
        let (given_ja, given) = match minutes {
            i64::MAX => ("とても長い時間".to_string(), "far too long".to_string()),
            m => (span_ja(m), span(m)),
        };
        (
            format!("{field} は {min_ja}〜{max_ja} です（上限 {max_ja}）。{given_ja}は範囲外です"),
            format!("{field} is {min} to {max} (at most {max}); {given} is out of range"),
        )
    })
}

/// `t` plus `minutes`, or `None` when the clock's arithmetic would overflow.
pub fn add_minutes(t: DateTime<FixedOffset>, minutes: i64) -> Option<DateTime<FixedOffset>> {
    t.checked_add_signed(Duration::try_minutes(minutes)?)
}

/// A number written in a duration or offset: digits only; too many digits
/// saturate (so the bound names them rather than a parse error).
pub fn number(text: &str) -> Option<i64> {
    (!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())).then(|| text.parse().unwrap_or(i64::MAX))
}

/// What is wrong with a character in a scenario string: (Japanese, English).
/// Newline and tab are allowed in multi-line texts (and CR before a newline).
pub fn bad_char(c: char, next: Option<char>, multi_line: bool) -> Option<(&'static str, &'static str)> {
    match c {
        '\n' | '\t' if multi_line => None,
        '\r' if multi_line && next == Some('\n') => None,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => Some(("制御文字", "a control character")),
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {
            Some(("文字の向きを変える制御文字", "a bidirectional override"))
        }
        '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' => Some(("ゼロ幅文字", "a zero-width character")),
        _ => None,
    }
}

/// The first forbidden character of `value`, with its position in chars.
pub fn first_bad_char(value: &str, multi_line: bool) -> Option<(usize, char, &'static str, &'static str)> {
    let chars: Vec<char> = value.chars().collect();
    chars
        .iter()
        .enumerate()
        .find_map(|(i, &c)| bad_char(c, chars.get(i + 1).copied(), multi_line).map(|(ja, en)| (i, c, ja, en)))
}

/// One problem of a string: byte offset in the file, field, Japanese, English.
pub type TextProblem = (usize, String, String, String);

/// Every string (and key) of the document with a forbidden character or too
/// long, by its place in the file. A document that does not parse gives
/// nothing here (the parser's own error is reported).
pub fn text_problems(text: &str) -> Vec<TextProblem> {
    let Ok(document) = toml::de::DeTable::parse(text) else { return Vec::new() };
    let mut found = Vec::new();
    walk_table(text, document.get_ref(), "", &mut found);
    found
}

fn walk_table(text: &str, table: &toml::de::DeTable<'_>, path: &str, found: &mut Vec<TextProblem>) {
    for (key, value) in table {
        let name = key.get_ref().as_ref();
        let field = if path.is_empty() { name.to_string() } else { format!("{path}.{name}") };
        check_string(text, name, key.span(), &field, false, MAX_LINE_CHARS, found);
        walk_value(text, value, name, &field, found);
    }
}

fn walk_value(
    text: &str,
    value: &toml::Spanned<toml::de::DeValue<'_>>,
    key: &str,
    field: &str,
    found: &mut Vec<TextProblem>,
) {
    use toml::de::DeValue;
    match value.get_ref() {
        DeValue::String(s) => {
            let multi = MULTI_LINE.contains(&key);
            let max = if multi { MAX_TEXT_CHARS } else { MAX_LINE_CHARS };
            check_string(text, s, value.span(), field, multi, max, found);
        }
        DeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let label = match item.get_ref() {
                    DeValue::Table(t) => t
                        .iter()
                        .find(|(k, _)| k.get_ref() == "id")
                        .and_then(|(_, v)| match v.get_ref() {
                            DeValue::Integer(n) => Some(n.as_str().to_string()),
                            _ => None,
                        })
                        .map_or_else(|| format!("{field}[{i}]"), |id| format!("{field}[id={id}]")),
                    _ => format!("{field}[{i}]"),
                };
                walk_value(text, item, key, &label, found);
            }
        }
        DeValue::Table(table) => walk_table(text, table, field, found),
        _ => {}
    }
}

fn check_string(
    text: &str,
    value: &str,
    span: std::ops::Range<usize>,
    field: &str,
    multi_line: bool,
    max_chars: usize,
    found: &mut Vec<TextProblem>,
) {
    let raw = text.get(span.clone()).unwrap_or("");
    if let Some((_, c, ja, en)) = first_bad_char(value, multi_line) {
        let code = format!("U+{:04X}", u32::from(c));
        // The line of the character itself when it is written raw or as an
        // escape; else the string's first line.
        let escapes = [format!("\\u{:04X}", u32::from(c)), format!("\\U{:08X}", u32::from(c))];
        let at = raw
            .find(c)
            .or_else(|| {
                let upper = raw.to_ascii_uppercase();
                escapes.iter().find_map(|e| upper.find(&e.to_ascii_uppercase()))
            })
            .map_or(span.start, |i| span.start + i);
        found.push((
            at,
            field.to_string(),
            format!("{ja}（{code}）は使えません"),
            format!("{en} ({code}) is not allowed"),
        ));
    }
    let chars = value.chars().count();
    if chars > max_chars {
        found.push((
            span.start,
            field.to_string(),
            format!(
                "{}文字以内です（上限 {}文字、{}文字あります）",
                grouped(max_chars as i64),
                grouped(max_chars as i64),
                grouped(chars as i64)
            ),
            format!("at most {} characters ({} given)", grouped(max_chars as i64), grouped(chars as i64)),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_and_bounds_named() {
        assert_eq!(grouped(5000), "5,000");
        assert_eq!(grouped(99_999_999), "99,999,999");
        assert_eq!(grouped(12), "12");
        assert!(out_of("count", 5_000, &ARRIVAL_COUNT, "人").is_none());
        let (ja, en) = out_of("count", 5_001, &ARRIVAL_COUNT, "人").unwrap();
        assert!(ja.contains("5,000") && en.contains("at most 5,000"), "{ja} / {en}");
        assert!(duration_out_of("duration", 24 * 60, &DRILL_MINUTES).is_none());
        assert!(duration_out_of("duration", 24 * 60 + 1, &DRILL_MINUTES).unwrap().1.contains("at most 24h"));
    }

    #[test]
    fn clock_arithmetic_never_overflows() {
        let t = DateTime::parse_from_rfc3339("2026-07-12T08:00:00+09:00").unwrap();
        assert!(add_minutes(t, i64::MAX).is_none());
        assert!(add_minutes(t, 99_999_999_999_999 * 60).is_none());
        assert_eq!(add_minutes(t, 90).unwrap().to_rfc3339(), "2026-07-12T09:30:00+09:00");
        assert_eq!(number("99999999999999999999999"), Some(i64::MAX));
        assert_eq!(number("12a"), None);
        assert_eq!(number(""), None);
    }

    #[test]
    fn control_bidi_and_zero_width_characters_are_named() {
        assert!(first_bad_char("山田\u{0}花子", false).is_some());
        assert!(first_bad_char("山田\u{85}花子", false).is_some(), "C1");
        assert!(first_bad_char("abc\u{202e}def", true).is_some());
        assert!(first_bad_char("a\u{2067}b", true).is_some());
        assert!(first_bad_char("a\u{200b}b", true).is_some());
        assert!(first_bad_char("a\u{feff}b", true).is_some());
        assert!(first_bad_char("一行目\n二行目\t三", true).is_none());
        assert!(first_bad_char("一行目\r\n二行目", true).is_none());
        assert!(first_bad_char("一行目\n二行目", false).is_some(), "a name is one line");
        assert!(first_bad_char("a\rb", true).is_some(), "a lone CR");
        assert!(first_bad_char("佐藤 花子（さとう）", false).is_none());
    }

    #[test]
    fn strings_are_found_by_their_field_and_line() {
        let text = "id = \"t\"\n[[injects]]\nid = 7\nmessage = \"\"\"\nよし\n悪い\u{202e}\"\"\"\n[injects.payload]\nname = \"a\\u0000b\"\n";
        let found = text_problems(text);
        let fields: Vec<(usize, &str)> =
            found.iter().map(|(at, f, _, _)| (text[..*at].matches('\n').count() + 1, f.as_str())).collect();
        assert_eq!(fields, vec![(6, "injects[id=7].message"), (8, "injects[id=7].payload.name")]);
    }
}
