//! The drill's timeline: every 10 drill minutes, the volunteers waiting, the
//! teams out and the open needs, replayed from the log, with a marker where
//! each inject fired. One layout serves both drawings: SVG for the page, and
//! vector lines in the PDF.

use std::collections::{HashMap, HashSet};
use std::fmt::Write;

use chrono::Duration;
use serde::Serialize;

use super::aar::{Aar, InjectRow};
use super::evaluate::{InjectStatus, Log, Time, minutes};
use crate::events::contract::needs::NeedStatus;
use crate::events::{Event, Payload};
use crate::i18n::{Lang, word};

/// Drill minutes between two points.
pub const STEP_MINUTES: i64 = 10;

#[derive(Debug, Clone, Serialize)]
pub struct Timeline {
    pub start: Time,
    pub end: Time,
    pub step_minutes: i64,
    pub points: Vec<TimelinePoint>,
    pub markers: Vec<Marker>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimelinePoint {
    /// Drill minutes from the start.
    pub minute: i64,
    pub at: Time,
    /// Checked in, not out on a team, not checked out (people: groups count their members).
    pub waiting: i64,
    pub teams_out: i64,
    /// Received and neither done nor cancelled.
    pub open_needs: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Marker {
    pub minute: i64,
    pub inject: u32,
    pub label: &'static str,
    pub status: InjectStatus,
}

/// The state of the center as the log tells it, one event at a time.
#[derive(Default)]
struct Center {
    /// Volunteer number → head count, while checked in.
    checked_in: HashMap<String, i64>,
    checked_out: HashSet<String>,
    /// Volunteer numbers on a team that is out.
    out: HashSet<String>,
    /// Team id → its members, while out.
    teams: HashMap<i64, Vec<String>>,
    needs: HashMap<String, NeedStatus>,
}

impl Center {
    fn apply(&mut self, payload: &Payload) {
        match payload {
            Payload::VolunteerCheckedIn(c) => {
                self.checked_out.remove(&c.volunteer_no);
                self.checked_in.insert(c.volunteer_no.clone(), c.headcount);
            }
            Payload::VolunteerCheckedOut(c) => {
                self.checked_out.insert(c.volunteer_no.clone());
            }
            Payload::VolunteerCheckInCancelled(c) => {
                self.checked_in.remove(&c.volunteer_no);
                self.checked_out.remove(&c.volunteer_no);
            }
            Payload::TeamDispatched(d) => {
                self.out.extend(d.members.iter().cloned());
                self.teams.insert(d.team_id, d.members.clone());
            }
            Payload::TeamReturned(r) => {
                for no in self.teams.remove(&r.team_id).unwrap_or_default() {
                    self.out.remove(&no);
                }
            }
            other => {
                if let Some(need) = other.need() {
                    self.needs.insert(need.need_no.clone(), need.status);
                }
            }
        }
    }

    fn point(&self, minute: i64, at: Time) -> TimelinePoint {
        let waiting = self
            .checked_in
            .iter()
            .filter(|(no, _)| !self.out.contains(*no) && !self.checked_out.contains(*no))
            .map(|(_, heads)| heads)
            .sum();
        TimelinePoint {
            minute,
            at,
            waiting,
            teams_out: self.teams.len() as i64,
            open_needs: self.needs.values().filter(|s| !s.is_closed()).count() as i64,
        }
    }
}

/// Replays `events` and samples every [`STEP_MINUTES`] from `start` to `end`
/// (and at `end`); events before `start` (the seed) count from the first point.
pub fn series(events: &[Event], start: Time, end: Time, injects: &[InjectRow]) -> Timeline {
    let log = Log::new(events);
    let mut center = Center::default();
    let mut next = 0;
    let total = minutes(start, end).max(0);
    let mut samples: Vec<i64> = (0..=total).step_by(STEP_MINUTES as usize).collect();
    if samples.last() != Some(&total) {
        samples.push(total);
    }
    let points = samples
        .into_iter()
        .map(|minute| {
            let at = start + Duration::minutes(minute);
            while let Some((_, _, payload)) = log.entries.get(next).filter(|(t, _, _)| *t <= at) {
                center.apply(payload);
                next += 1;
            }
            center.point(minute, at)
        })
        .collect();
    let markers = injects
        .iter()
        .filter_map(|i| {
            let minute = minutes(start, i.fired_at?);
            Some(Marker { minute, inject: i.id, label: i.kind_label, status: i.status })
        })
        .collect();
    Timeline { start, end, step_minutes: STEP_MINUTES, points, markers }
}

/// The three series: the catalogue key of the label, SVG colour, RGB for the PDF, and the value of a point.
pub const SERIES: [(&str, &str, (f32, f32, f32)); 3] = [
    ("drill.aar.series.waiting", "#1c7ed6", (0.11, 0.49, 0.84)),
    ("drill.aar.series.teams_out", "#f76707", (0.97, 0.40, 0.03)),
    ("drill.aar.series.open_needs", "#c2255c", (0.76, 0.15, 0.36)),
];

fn values(p: &TimelinePoint) -> [i64; 3] {
    [p.waiting, p.teams_out, p.open_needs]
}

/// A round top of scale for `max`: 1, 2, 5 × 10ⁿ.
fn scale_top(max: i64) -> i64 {
    let mut power = 1i64;
    loop {
        for step in [1, 2, 5] {
            if step * power >= max {
                return step * power;
            }
        }
        power *= 10;
    }
}

/// How inject labels are measured in the drawing's units: their width, and
/// the height of a row of them.
pub struct LabelMetrics<'a> {
    pub width: &'a dyn Fn(&str) -> f32,
    pub row_height: f32,
    /// Room kept between two labels on one row.
    pub gap: f32,
}

/// A fired inject placed on the chart, its label in a row where it meets no other.
#[derive(Debug, Clone, PartialEq)]
pub struct MarkerAt {
    pub x: f32,
    pub inject: u32,
    /// The label's row above the panels, 0 nearest them.
    pub row: usize,
    /// `#12`
    pub label: String,
    /// The label's left and right edges (it is centred on `x`).
    pub left: f32,
    pub right: f32,
    pub marker: Marker,
}

/// One series on its own scale (small multiples: a wave of 400 volunteers
/// waiting no longer flattens 12 teams out).
#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    pub top: f32,
    pub bottom: f32,
    pub line: Vec<(f32, f32)>,
    /// Scale labels on the left: y and value (0 and the panel's top).
    pub y_ticks: Vec<(f32, i64)>,
}

/// The chart laid out in a box whose top-left is (x, y), y growing downwards
/// (as in SVG and in our PDF pages): the inject labels' rows, then one panel
/// per entry of [`SERIES`], stacked, sharing the time axis.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub panels: Vec<Panel>,
    /// Each fired inject, left to right.
    pub markers: Vec<MarkerAt>,
    /// Hour labels along the bottom: x and `HH:MM`.
    pub x_ticks: Vec<(f32, String)>,
    /// The panels' top (below the label rows) and bottom.
    pub plot_top: f32,
    pub plot_bottom: f32,
}

/// `panels_height` is the height of the three panels together; the label rows
/// come above them, as many as the labels need (see [`Layout::plot_top`]).
pub fn layout(timeline: &Timeline, x: f32, y: f32, w: f32, panels_height: f32, labels: &LabelMetrics) -> Layout {
    let span = timeline.points.last().map_or(0, |p| p.minute).max(STEP_MINUTES) as f32;
    let px = |minute: i64| x + w * minute as f32 / span;
    let markers = place_markers(timeline, px, labels);
    let rows = markers.iter().map(|m| m.row + 1).max().unwrap_or(0);
    let plot_top = y + labels.row_height * rows as f32;
    let gap = panels_height * 0.06;
    let each = (panels_height - gap * (SERIES.len() - 1) as f32) / SERIES.len() as f32;
    let panels = (0..SERIES.len())
        .map(|k| {
            let top = plot_top + (each + gap) * k as f32;
            let bottom = top + each;
            let scale = scale_top(timeline.points.iter().map(|p| values(p)[k]).max().unwrap_or(0).max(1));
            let py = |value: i64| bottom - each * value as f32 / scale as f32;
            Panel {
                top,
                bottom,
                line: timeline.points.iter().map(|p| (px(p.minute), py(values(p)[k]))).collect(),
                y_ticks: vec![(py(0), 0), (py(scale), scale)],
            }
        })
        .collect();
    // An hour label each hour (each half hour in a short drill), on the clock's whole hours.
    let every = if span <= 120.0 { 30 } else { 60 };
    let offset = (every - (timeline.start.timestamp() / 60).rem_euclid(every)) % every;
    let x_ticks = (0..)
        .map(|k| offset + k * every)
        .take_while(|m| *m as f32 <= span)
        .map(|m| (px(m), (timeline.start + Duration::minutes(m)).format("%H:%M").to_string()))
        .collect();
    Layout { panels, markers, x_ticks, plot_top, plot_bottom: plot_top + panels_height }
}

/// The markers left to right, each label in the lowest row where it keeps
/// `gap` from every label already there: however busy, no two labels meet.
fn place_markers(timeline: &Timeline, px: impl Fn(i64) -> f32, labels: &LabelMetrics) -> Vec<MarkerAt> {
    let mut fired: Vec<&Marker> = timeline.markers.iter().filter(|m| m.minute >= 0).collect();
    fired.sort_by_key(|m| (m.minute, m.inject));
    // The right edge of the last label on each row.
    let mut row_ends: Vec<f32> = Vec::new();
    let mut placed: Vec<MarkerAt> = Vec::with_capacity(fired.len());
    for m in fired {
        let x = px(m.minute);
        let label = format!("#{}", m.inject);
        let half = (labels.width)(&label) / 2.0;
        let (left, right) = (x - half, x + half);
        let row = match row_ends.iter().position(|end| left >= end + labels.gap) {
            Some(row) => row,
            None => {
                row_ends.push(f32::NEG_INFINITY);
                row_ends.len() - 1
            }
        };
        row_ends[row] = right;
        placed.push(MarkerAt { x, inject: m.inject, row, label, left, right, marker: m.clone() });
    }
    placed
}

/// The SVG's label font size, and a width for its labels that no sans-serif
/// face exceeds for `#` and digits (0.6 em).
const SVG_LABEL_SIZE: f32 = 9.0;

pub fn svg_label_width(label: &str) -> f32 {
    label.chars().count() as f32 * SVG_LABEL_SIZE * 0.6
}

/// The chart as inline SVG for the AAR page, in the page's language.
pub fn svg(aar: &Aar, lang: Lang) -> String {
    let (left, top, w, h) = (40.0_f32, 8.0_f32, 640.0_f32, 300.0_f32);
    let metrics = LabelMetrics { width: &svg_label_width, row_height: 11.0, gap: 3.0 };
    let chart = layout(&aar.timeline, left, top, w, h, &metrics);
    let bottom = chart.plot_bottom;
    let mut out = String::new();
    let _ = write!(
        out,
        r##"<svg xmlns="http://www.w3.org/2000/svg" class="timeline" viewBox="0 0 {} {}" role="img" aria-label="{}" font-family="sans-serif" font-size="11">"##,
        left + w + 12.0,
        bottom + 28.0,
        word(lang, "drill.aar.chart_label")
    );
    for MarkerAt { x, inject, row, label, marker, .. } in &chart.markers {
        let _ = write!(
            out,
            r##"<g class="marker {}"><line x1="{x}" y1="{}" x2="{x}" y2="{bottom}" stroke="#999" stroke-dasharray="3 3"/><text class="marker-label" x="{x}" y="{}" text-anchor="middle" font-size="{SVG_LABEL_SIZE}">{label}</text><title>#{inject} {}</title></g>"##,
            super::aar::status_class(marker.status),
            chart.plot_top,
            chart.plot_top - 2.0 - metrics.row_height * *row as f32,
            aar.injects
                .iter()
                .find(|i| i.id == *inject)
                .map_or_else(|| marker.label.to_string(), |i| i.kind_words(lang))
        );
    }
    for (panel, (label, colour, _)) in chart.panels.iter().zip(SERIES) {
        let label = word(lang, label);
        for (y, value) in &panel.y_ticks {
            // The top value hangs below its line, clear of the inject labels above the panel.
            let baseline = if *value == 0 { y + 4.0 } else { y + 10.0 };
            let _ = write!(
                out,
                r##"<line x1="{left}" y1="{y}" x2="{}" y2="{y}" stroke="#ddd"/><text x="{}" y="{baseline}" text-anchor="end">{value}</text>"##,
                left + w,
                left - 4.0,
            );
        }
        let points: Vec<String> = panel.line.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
        let _ = write!(
            out,
            r##"<text class="panel-title" x="{}" y="{}" fill="{colour}">{label}</text><polyline class="series" fill="none" stroke="{colour}" stroke-width="2" points="{}"><title>{label}</title></polyline><line x1="{left}" y1="{}" x2="{left}" y2="{}" stroke="#444"/>"##,
            left + 4.0,
            panel.top + 11.0,
            points.join(" "),
            panel.top,
            panel.bottom
        );
    }
    for (x, label) in &chart.x_ticks {
        let _ = write!(
            out,
            r##"<line x1="{x}" y1="{bottom}" x2="{x}" y2="{}" stroke="#888"/><text x="{x}" y="{}" text-anchor="middle">{label}</text>"##,
            bottom + 4.0,
            bottom + 16.0
        );
    }
    let _ = write!(out, r##"<line x1="{left}" y1="{bottom}" x2="{}" y2="{bottom}" stroke="#444"/></svg>"##, left + w);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drill::aar::tests::built;

    #[test]
    fn the_series_replays_check_ins_teams_and_needs() {
        let aar = built();
        let at = |minute: i64| aar.timeline.points.iter().find(|p| p.minute == minute).unwrap().clone();
        assert_eq!((at(0).waiting, at(10).waiting, at(20).waiting), (0, 1, 2));
        assert_eq!(at(60).open_needs, 2, "N-0001 and N-0002; N-0003 cancelled");
        assert_eq!((at(80).waiting, at(80).teams_out), (1, 1), "V-0101 went out with T-001");
        let fired: Vec<u32> = aar.timeline.markers.iter().map(|m| m.inject).collect();
        assert_eq!(fired, [1, 2, 3, 6, 7, 9]);
    }

    #[test]
    fn the_svg_is_well_formed_with_three_series_and_a_marker_per_inject() {
        let drawn = svg(&built(), crate::i18n::Lang::Ja);
        let doc = roxmltree::Document::parse(&drawn).expect("well-formed");
        let count = |class: &str| {
            doc.descendants().filter(|n| n.attribute("class").is_some_and(|c| c.split(' ').any(|c| c == class))).count()
        };
        assert_eq!(count("series"), 3);
        assert_eq!(count("marker"), 6);
        assert!(drawn.contains(">08:00<") && drawn.contains(">10:00<"), "hour labels");
    }

    #[test]
    fn labels_of_injects_fired_close_together_take_other_rows() {
        let mut timeline = built().timeline;
        timeline.markers.iter_mut().find(|m| m.inject == 7).unwrap().minute = 2;
        timeline.markers.iter_mut().find(|m| m.inject == 9).unwrap().minute = 31;
        let width = |label: &str| label.len() as f32 * 2.0;
        let chart =
            layout(&timeline, 0.0, 0.0, 150.0, 50.0, &LabelMetrics { width: &width, row_height: 3.0, gap: 1.0 });
        let rows: Vec<(u32, usize)> = chart.markers.iter().map(|m| (m.inject, m.row)).collect();
        assert_eq!(rows, [(1, 0), (7, 1), (2, 0), (9, 1), (3, 0), (6, 0)], "in time order");
        assert_eq!(chart.plot_top, 6.0, "two rows of labels above the panels");
    }

    /// Each series on its own scale: 400 waiting do not flatten 12 teams out.
    #[test]
    fn each_series_has_its_own_panel_and_scale() {
        let mut timeline = built().timeline;
        for (k, p) in timeline.points.iter_mut().enumerate() {
            (p.waiting, p.teams_out, p.open_needs) = (400, (k % 13) as i64, 30);
        }
        let width = |_: &str| 1.0;
        let chart =
            layout(&timeline, 0.0, 0.0, 100.0, 90.0, &LabelMetrics { width: &width, row_height: 0.0, gap: 0.0 });
        let tops: Vec<i64> = chart.panels.iter().map(|p| p.y_ticks[1].1).collect();
        assert_eq!(tops, [500, 20, 50]);
        let teams = &chart.panels[1];
        let (low, high) = teams.line.iter().fold((f32::MAX, f32::MIN), |(lo, hi), (_, y)| (lo.min(*y), hi.max(*y)));
        assert!(high - low > (teams.bottom - teams.top) * 0.5, "teams out spans its panel: {low}..{high}");
        assert!(chart.panels.windows(2).all(|w| w[0].bottom < w[1].top), "stacked, apart");
    }

    /// A busy scenario: 60 injects in two hours, several in the same minute.
    /// No two label boxes drawn in the SVG overlap.
    #[test]
    fn no_two_inject_labels_overlap_in_a_busy_svg() {
        let mut aar = built();
        let template = aar.timeline.markers[0].clone();
        aar.timeline.markers = (0..60u32)
            .map(|k| Marker { minute: i64::from(k * 2 % 120), inject: 100 + k * 7, ..template.clone() })
            .collect();
        let drawn = svg(&aar, crate::i18n::Lang::Ja);
        let doc = roxmltree::Document::parse(&drawn).expect("well-formed");
        let boxes: Vec<(f32, f32, f32, f32, String)> = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("marker-label"))
            .map(|n| {
                let number = |a: &str| n.attribute(a).unwrap().parse::<f32>().unwrap();
                let (x, y, size) = (number("x"), number("y"), number("font-size"));
                let text = n.text().unwrap().to_string();
                // A generous box: 0.6 em a character, the full em tall, centred on x.
                let half = text.chars().count() as f32 * size * 0.6 / 2.0;
                (x - half, y - size, x + half, y, text)
            })
            .collect();
        assert_eq!(boxes.len(), 60, "a label per fired inject");
        for (i, a) in boxes.iter().enumerate() {
            for b in &boxes[i + 1..] {
                let apart = a.2 <= b.0 || b.2 <= a.0 || a.3 <= b.1 || b.3 <= a.1;
                assert!(apart, "{} and {} overlap: {a:?} {b:?}", a.4, b.4);
            }
        }
    }

    #[test]
    fn scale_tops_are_round() {
        assert_eq!(scale_top(1), 1);
        assert_eq!(scale_top(3), 5);
        assert_eq!(scale_top(120), 200);
    }
}
