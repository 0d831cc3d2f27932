//! 事後検証報告書（AAR） as an A4 Japanese PDF: overview, per-objective
//! analysis, the inject log (scheduled vs actual), the metrics, the timeline
//! chart in vector lines, and the improvement plan to fill in.

use super::aar::{self, Aar, span_in};
use super::evaluate::InjectStatus;
use super::timeline;
use crate::i18n::{Lang, word, word_with};
use crate::pdf::flow::{Flow, Frame};
use crate::pdf::{self, Weight, line_height_mm, text_width_mm, wrap_lines};

const LEFT: f32 = 18.0;
const RIGHT: f32 = 192.0;
const TOP: f32 = 16.0;
const BOTTOM: f32 = 280.0;
const BODY: f32 = 9.0;
const SMALL: f32 = 8.0;
const HEADING: f32 = 12.0;
const PAD: f32 = 1.0;
const HEADER_FILL: (f32, f32, f32) = (0.9, 0.9, 0.9);

pub const TITLE: &str = "事後検証報告書（AAR）";

/// The council's paper is Japanese; the page shares its words in either language.
const JA: Lang = Lang::Ja;

pub fn render(aar: &Aar, drill: bool) -> Vec<u8> {
    let frame = Frame { left: LEFT, right: RIGHT, top: TOP, bottom: BOTTOM, head: (SMALL, Weight::Regular) };
    let mut flow = Flow::new(frame, format!("{TITLE}　{}", aar.overview.title));
    title(&mut flow, aar);
    overview(&mut flow, aar);
    objectives(&mut flow, aar);
    inject_log(&mut flow, aar);
    metrics(&mut flow, aar);
    chart(&mut flow, aar);
    plan(&mut flow, aar);
    pdf::render(&format!("{TITLE} {}", aar.overview.scenario_id), flow.finish(), drill)
}

/// The AAR's blocks on top of the shared page flow.
trait Blocks {
    fn heading(&mut self, text: &str, keep: f32);
    fn para(&mut self, x: f32, size: f32, weight: Weight, text: &str);
}

impl Blocks for Flow {
    /// A section heading, kept with at least `keep` mm of what follows.
    fn heading(&mut self, text: &str, keep: f32) {
        self.y += 3.0;
        self.room(line_height_mm(HEADING) + 2.0 + keep);
        let y = self.y;
        let page = self.page();
        page.fill_rect(LEFT, y + 0.8, 1.6, line_height_mm(HEADING) - 1.6, (0.2, 0.35, 0.6));
        page.text(LEFT + 3.0, y, HEADING, Weight::Bold, text);
        page.line(LEFT, y + line_height_mm(HEADING), RIGHT, y + line_height_mm(HEADING), 0.6);
        self.y += line_height_mm(HEADING) + 2.0;
    }

    /// A wrapped paragraph at `x`, turning pages between lines if need be.
    fn para(&mut self, x: f32, size: f32, weight: Weight, text: &str) {
        for line in wrap_lines(text, RIGHT - x, size, weight) {
            self.room(line_height_mm(size));
            let y = self.y;
            self.page().text(x, y, size, weight, &line);
            self.y += line_height_mm(size);
        }
    }
}

/// A table column: header and width in mm.
type Column = (&'static str, f32);

/// A shaded header row.
fn table_header(flow: &mut Flow, columns: &[Column]) {
    let height = line_height_mm(SMALL) + 2.0 * PAD;
    let y = flow.y;
    let page = flow.page();
    page.fill_rect(LEFT, y, RIGHT - LEFT, height, HEADER_FILL);
    let mut x = LEFT;
    for (name, width) in columns {
        page.text(x + PAD, y + PAD, SMALL, Weight::Bold, name);
        x += width;
    }
    page.line(LEFT, y + height, RIGHT, y + height, 0.5);
    flow.y += height;
}

/// One table row of wrapped cells, on a new page (with the header again) when
/// it does not fit; `fill` shades one cell, e.g. the result.
fn table_row(flow: &mut Flow, columns: &[Column], cells: &[String], fill: Option<(usize, (f32, f32, f32))>) {
    let wrapped: Vec<Vec<String>> = columns
        .iter()
        .zip(cells)
        .map(|((_, w), text)| wrap_lines(text, w - 2.0 * PAD, SMALL, Weight::Regular))
        .collect();
    let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
    let height = lines as f32 * line_height_mm(SMALL) + 2.0 * PAD;
    if flow.room(height) {
        table_header(flow, columns);
    }
    let y = flow.y;
    let page = flow.page();
    let mut x = LEFT;
    for (k, ((_, width), cell)) in columns.iter().zip(&wrapped).enumerate() {
        if let Some((_, colour)) = fill.filter(|(at, _)| *at == k) {
            page.fill_rect(x, y, *width, height, colour);
        }
        for (i, line) in cell.iter().enumerate() {
            page.text(x + PAD, y + PAD + i as f32 * line_height_mm(SMALL), SMALL, Weight::Regular, line);
        }
        if k > 0 {
            page.line(x, y, x, y + height, 0.2);
        }
        x += width;
    }
    page.line(LEFT, y + height, RIGHT, y + height, 0.2);
    flow.y += height;
}

fn title(flow: &mut Flow, aar: &Aar) {
    let page = flow.page();
    page.text(LEFT, TOP - 4.0, 18.0, Weight::Bold, TITLE);
    let made = format!("作成 {}（訓練時刻）", aar::date_hm(JA, aar.generated_at));
    page.text(RIGHT - text_width_mm(SMALL, Weight::Regular, &made), TOP, SMALL, Weight::Regular, &made);
    flow.y = TOP - 4.0 + line_height_mm(18.0);
    flow.para(LEFT, 11.0, Weight::Bold, &aar.overview.title);
    let y = flow.y + 1.0;
    flow.page().line(LEFT, y, RIGHT, y, 1.0);
    flow.y += 2.0;
}

/// Label on the left, wrapped value on the right.
fn field(flow: &mut Flow, label: &str, value: &str) {
    const LABEL_W: f32 = 30.0;
    let lines = wrap_lines(value, RIGHT - LEFT - LABEL_W, BODY, Weight::Regular);
    let height = lines.len().max(1) as f32 * line_height_mm(BODY);
    flow.room(height.min(4.0 * line_height_mm(BODY)));
    let y = flow.y;
    flow.page().text(LEFT, y, BODY, Weight::Bold, label);
    flow.para(LEFT + LABEL_W, BODY, Weight::Regular, value);
    if lines.is_empty() {
        flow.y += line_height_mm(BODY);
    }
}

fn overview(flow: &mut Flow, aar: &Aar) {
    let o = &aar.overview;
    flow.heading("概要", 20.0);
    field(flow, "シナリオ", &format!("{}（{}）", o.title, o.scenario_id));
    field(flow, "災害・想定", &o.hazard_text(JA));
    field(flow, "想定時間", &o.window_text(JA));
    field(flow, "実施", &o.run_text(JA));
    field(flow, "参加者", &participants(aar, JA));
    if !o.narrative.is_empty() {
        field(flow, "状況", &o.narrative);
    }
    let objectives: Vec<String> = o
        .objectives
        .iter()
        .map(|obj| match &obj.target {
            Some(target) => format!("{} {}（目標値：{target}）", obj.id, obj.text),
            None => format!("{} {}", obj.id, obj.text),
        })
        .collect();
    field(flow, "目標", &objectives.join("\n"));
    field(flow, "期待行動の結果", &tally(aar, JA));
}

/// 「受付3人、コーディネーター2人（計5人）」
pub fn participants(aar: &Aar, lang: Lang) -> String {
    let people = &aar.overview.participants;
    if people.is_empty() {
        return word(lang, "drill.aar.no_record").into_owned();
    }
    let each: Vec<String> = people
        .iter()
        .map(|p| word_with(lang, "drill.aar.role_count", &[("role", &p.role_words(lang)), ("n", &p.count.to_string())]))
        .collect();
    let total = people.iter().map(|p| p.count).sum::<usize>().to_string();
    let each = each.join(&word(lang, "drill.aar.list_separator"));
    word_with(lang, "drill.aar.participants_total", &[("each", &each), ("total", &total)])
}

/// 「達成 3・遅延 1・未達 1・評価者判断 2」 over the injects with an expected action.
pub fn tally(aar: &Aar, lang: Lang) -> String {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for row in aar.injects.iter().filter(|i| i.expect.is_some()) {
        let label = row.result_words(lang);
        match counts.iter_mut().find(|(l, _)| *l == label) {
            Some((_, n)) => *n += 1,
            None => counts.push((label, 1)),
        }
    }
    if counts.is_empty() {
        return word(lang, "drill.aar.no_expected_actions").into_owned();
    }
    let counts: Vec<String> = counts.iter().map(|(label, n)| format!("{label} {n}")).collect();
    counts.join(&word(lang, "drill.aar.tally_separator"))
}

fn objectives(flow: &mut Flow, aar: &Aar) {
    flow.heading("目標ごとの分析", 20.0);
    if aar.objectives.is_empty() {
        flow.para(LEFT, BODY, Weight::Regular, "目標は設定されていません。");
    }
    for group in aar.objective_groups() {
        if aar.has_capabilities() {
            flow.room(5.0 * line_height_mm(BODY));
            flow.para(LEFT, 11.0, Weight::Bold, &format!("■ {}", group.heading(JA)));
        }
        for o in group.objectives {
            objective(flow, o);
        }
    }
    if !aar.general_observations.is_empty() {
        flow.para(LEFT, 10.0, Weight::Bold, "全体の所見");
        for n in &aar.general_observations {
            flow.para(LEFT + 4.0, BODY, Weight::Regular, &format!("{}　{}", n.at_hm(), n.text));
        }
    }
}

fn objective(flow: &mut Flow, o: &super::aar::ObjectiveAnalysis) {
    flow.room(4.0 * line_height_mm(BODY));
    flow.para(LEFT, 10.0, Weight::Bold, &format!("{}　{}", o.id, o.text));
    if let Some(target) = &o.target {
        flow.para(LEFT + 4.0, BODY, Weight::Regular, &format!("目標値：{target}"));
    }
    flow.para(LEFT + 4.0, BODY, Weight::Regular, &format!("評価：{}", o.rating_words(JA)));
    flow.para(LEFT + 4.0, BODY, Weight::Bold, "期待される行動");
    if o.expects.is_empty() {
        flow.para(LEFT + 8.0, BODY, Weight::Regular, "なし");
    }
    for e in &o.expects {
        let line = format!(
            "#{} {}（{}以内）— {}（{}）",
            e.inject,
            e.text,
            e.within_text(JA),
            e.result_words(JA) + &e.credit_words(JA),
            e.measured(JA)
        );
        flow.para(LEFT + 8.0, BODY, Weight::Regular, &line);
        let judgement = e.judgement(JA);
        if !judgement.is_empty() {
            flow.para(LEFT + 12.0, BODY, Weight::Regular, &judgement);
        }
    }
    flow.para(LEFT + 4.0, BODY, Weight::Bold, "評価者の所見");
    if o.observations.is_empty() {
        flow.para(LEFT + 8.0, BODY, Weight::Regular, "なし");
    }
    for n in &o.observations {
        flow.para(LEFT + 8.0, BODY, Weight::Regular, &format!("{}　{}", n.at_hm(), n.text));
    }
    for (key, notes) in
        [("drill.evaluator.aar.strengths", &o.strengths), ("drill.evaluator.aar.improvements", &o.improvements)]
    {
        if notes.is_empty() {
            continue;
        }
        flow.para(LEFT + 4.0, BODY, Weight::Bold, &crate::i18n::word(JA, key));
        for n in notes {
            flow.para(LEFT + 8.0, BODY, Weight::Regular, &format!("{}　{}", n.at_hm(), n.text));
        }
    }
    flow.y += 2.0;
}

/// A light fill for a result cell.
fn status_fill(status: InjectStatus) -> Option<(f32, f32, f32)> {
    match status {
        InjectStatus::Met => Some((0.86, 0.95, 0.86)),
        InjectStatus::Late => Some((1.0, 0.93, 0.8)),
        InjectStatus::Missed => Some((1.0, 0.85, 0.85)),
        _ => None,
    }
}

const INJECT_COLUMNS: [Column; 7] = [
    ("No", 10.0),
    ("種別・宛先", 36.0),
    ("予定", 14.0),
    ("実際", 14.0),
    ("期待される行動", 64.0),
    ("結果", 20.0),
    ("所要", 16.0),
];

fn inject_log(flow: &mut Flow, aar: &Aar) {
    flow.heading("インジェクト記録", 20.0);
    flow.para(
        LEFT,
        SMALL,
        Weight::Regular,
        "予定は計画上の時刻、実際は発出した時刻（訓練時刻）。所要は発出から行動の確認まで。",
    );
    flow.y += 1.0;
    table_header(flow, &INJECT_COLUMNS);
    for row in &aar.injects {
        let cells = [
            format!("#{}", row.id),
            format!("{}／{}", row.kind_words(JA), row.section_words(JA)),
            row.scheduled_hm(),
            row.fired_hm(),
            row.expect_text(JA),
            row.result_words(JA) + &row.credit_words(JA),
            row.measured(JA),
        ];
        table_row(flow, &INJECT_COLUMNS, &cells, status_fill(row.status).map(|c| (5, c)));
    }
    let marked: Vec<String> =
        aar.injects.iter().filter(|r| r.mark.is_some()).map(|r| format!("#{}　{}", r.id, r.judgement(JA))).collect();
    if !marked.is_empty() {
        flow.y += 2.0;
        flow.para(LEFT, BODY, Weight::Bold, "評価者の判定");
        for line in marked {
            flow.para(LEFT + 4.0, BODY, Weight::Regular, &line);
        }
    }
    flow.y += 2.0;
    flow.para(LEFT, BODY, Weight::Bold, &crate::i18n::word(JA, "drill.evaluator.aar.controller"));
    if aar.controller.is_empty() {
        flow.para(LEFT + 4.0, BODY, Weight::Regular, &crate::i18n::word(JA, "drill.evaluator.aar.no_controller"));
    }
    for action in &aar.controller {
        flow.para(LEFT + 4.0, BODY, Weight::Regular, &format!("{}　{}", action.at_hm(), action.words(JA)));
    }
    effects(flow, aar);
}

/// What the injects could not do, and the injuries recorded (only when there are any).
fn effects(flow: &mut Flow, aar: &Aar) {
    if aar.shortfalls.is_empty() && aar.incidents.is_empty() {
        return;
    }
    flow.heading(&word(JA, "drill.aar.effects.title"), 20.0);
    flow.para(LEFT, SMALL, Weight::Regular, &word(JA, "drill.aar.effects.intro"));
    let none = [word(JA, "drill.aar.effects.none").into_owned()];
    let shortfalls: Vec<String> = aar.shortfalls.iter().map(|s| s.words(JA)).collect();
    let incidents: Vec<String> = aar.incidents.iter().map(|i| i.words(JA)).collect();
    for (title, lines) in [("drill.aar.effects.shortfalls", shortfalls), ("drill.aar.effects.incidents", incidents)] {
        flow.para(LEFT, BODY, Weight::Bold, &word(JA, title));
        for line in if lines.is_empty() { &none[..] } else { &lines[..] } {
            flow.para(LEFT + 4.0, BODY, Weight::Regular, line);
        }
    }
}

const METRIC_COLUMNS: [Column; 5] = [("指標", 56.0), ("件数", 18.0), ("中央値", 18.0), ("最大", 18.0), ("備考", 64.0)];

fn metrics(flow: &mut Flow, aar: &Aar) {
    flow.heading("指標", 30.0);
    table_header(flow, &METRIC_COLUMNS);
    for line in aar.metric_lines(JA) {
        let cells = [line.label, line.count, line.median, line.max, line.note];
        table_row(flow, &METRIC_COLUMNS, &cells, None);
    }
    if !aar.metrics.needs.is_empty() {
        flow.y += 2.0;
        flow.para(LEFT, BODY, Weight::Bold, "ニーズ別　受付→送り出し");
        let each: Vec<String> = aar
            .metrics
            .needs
            .iter()
            .map(|n| match n.minutes {
                Some(m) => format!("{} {}", n.need_no, span_in(JA, m)),
                None => format!("{} 未送出", n.need_no),
            })
            .collect();
        flow.para(LEFT + 4.0, SMALL, Weight::Regular, &each.join("、"));
    }
}

fn chart(flow: &mut Flow, aar: &Aar) {
    const HEIGHT: f32 = 78.0;
    const LABEL: f32 = 6.0;
    let width = |label: &str| text_width_mm(LABEL, Weight::Regular, label);
    let labels = timeline::LabelMetrics { width: &width, row_height: 2.6, gap: 0.8 };
    let (x0, w) = (LEFT + 10.0, RIGHT - LEFT - 12.0);
    // Laid out once to learn how many label rows it needs, then where the page puts it.
    let rows = timeline::layout(&aar.timeline, x0, 0.0, w, HEIGHT, &labels).plot_top;
    flow.heading("時系列", HEIGHT + rows + 14.0);
    let y0 = flow.y + 2.0;
    let layout = timeline::layout(&aar.timeline, x0, y0, w, HEIGHT, &labels);
    let page = flow.page();
    let bottom = layout.plot_bottom;
    for m in &layout.markers {
        page.polyline(&[(m.x, layout.plot_top), (m.x, bottom)], false, 0.3, (0.6, 0.6, 0.6));
        let y = layout.plot_top - 2.6 * (m.row as f32 + 1.0);
        page.text(m.left, y, LABEL, Weight::Regular, &m.label);
    }
    for (panel, (label, _, rgb)) in layout.panels.iter().zip(timeline::SERIES) {
        for (y, value) in &panel.y_ticks {
            page.polyline(&[(x0, *y), (x0 + w, *y)], false, 0.3, (0.8, 0.8, 0.8));
            let label = value.to_string();
            // The top value hangs below its line, clear of the inject labels above the panel.
            let top = if *value == 0 { y - 1.8 } else { y + 0.3 };
            page.text(x0 - 1.5 - text_width_mm(7.0, Weight::Regular, &label), top, 7.0, Weight::Regular, &label);
        }
        page.text(x0 + 1.5, panel.top + 0.3, SMALL, Weight::Regular, &word(JA, label));
        page.polyline(&panel.line, false, 1.2, rgb);
        page.line(x0, panel.top, x0, panel.bottom, 0.5);
    }
    page.line(x0, bottom, x0 + w, bottom, 0.5);
    for (x, label) in &layout.x_ticks {
        page.line(*x, bottom, *x, bottom + 1.2, 0.4);
        page.text(x - text_width_mm(7.0, Weight::Regular, label) / 2.0, bottom + 1.2, 7.0, Weight::Regular, label);
    }
    flow.y = bottom + 7.0;
    let note = format!(
        "{}分ごと。系列ごとに目盛りが異なります。縦の点線はインジェクトの発出（#番号）。待機中は受付済みで班に出ておらず退所していない人数。",
        aar.timeline.step_minutes
    );
    flow.para(LEFT, SMALL, Weight::Regular, &note);
}

const PLAN_COLUMNS: [Column; 5] = [("No", 10.0), ("課題", 52.0), ("改善策", 56.0), ("担当", 26.0), ("期限", 30.0)];

fn plan(flow: &mut Flow, aar: &Aar) {
    flow.heading("改善計画", 40.0);
    table_header(flow, &PLAN_COLUMNS);
    for item in aar.plan_rows() {
        let blank = item.issue.is_empty() && item.action.is_empty();
        // Blank rows are tall enough to write in by hand.
        let cells =
            [item.row.to_string(), item.issue, if blank { "\n\n".into() } else { item.action }, item.owner, item.due];
        table_row(flow, &PLAN_COLUMNS, &cells, None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drill::aar::tests::{SECTIONS, built};
    use crate::pdf::testing::{compact, extract, save_artefact};

    #[test]
    fn the_aar_pdf_has_every_section_and_the_results() {
        let bytes = render(&built(), true);
        save_artefact("aar.pdf", &bytes);
        let flat = compact(&extract(&bytes));
        for expected in [TITLE].into_iter().chain(SECTIONS).chain([
            "受付開始から30分以内に全員を受け付ける",
            "P支障なく実施",
            "受付の列が玄関の外まで伸びた",
            "達成",
            "遅延",
            "未達",
            "省略",
            "受付待ち時間",
            "N-0002",
            "剣スコップ",
            "課題",
            "改善策",
            "受付3人、コーディネーター2人（計5人）",
        ]) {
            assert!(flat.contains(&compact(expected)), "missing {expected}");
        }
    }

    #[test]
    fn a_long_inject_list_runs_onto_more_pages() {
        let mut aar = built();
        let row = aar.injects[1].clone();
        aar.injects = (1..=120).map(|id| super::super::aar::InjectRow { id, ..row.clone() }).collect();
        let bytes = render(&aar, false);
        let text = extract(&bytes);
        assert!(text.contains("#120"), "the last inject is printed");
        let headers = compact(&text).matches("種別・宛先").count();
        assert!(headers >= 3, "the table header again on each page ({headers})");
    }
}
