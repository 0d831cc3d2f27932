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

/// A fired inject placed on the chart.
#[derive(Debug, Clone, PartialEq)]
pub struct MarkerAt {
    pub x: f32,
    pub inject: u32,
    /// 0 or 1: the label's row, so that labels of injects close together do not overlap.
    pub row: u8,
    pub marker: Marker,
}

/// The chart laid out in a box whose top-left is (x, y), y growing downwards
/// (as in SVG and in our PDF pages).
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// One polyline per entry of [`SERIES`].
    pub lines: Vec<Vec<(f32, f32)>>,
    /// Each fired inject, left to right.
    pub markers: Vec<MarkerAt>,
    /// Hour labels along the bottom: x and `HH:MM`.
    pub x_ticks: Vec<(f32, String)>,
    /// Scale labels on the left: y and value.
    pub y_ticks: Vec<(f32, i64)>,
}

pub fn layout(timeline: &Timeline, x: f32, y: f32, w: f32, h: f32) -> Layout {
    let span = timeline.points.last().map_or(0, |p| p.minute).max(STEP_MINUTES) as f32;
    let top = scale_top(timeline.points.iter().flat_map(values).max().unwrap_or(0).max(1));
    let px = |minute: i64| x + w * minute as f32 / span;
    let py = |value: i64| y + h - h * value as f32 / top as f32;
    let lines =
        (0..SERIES.len()).map(|k| timeline.points.iter().map(|p| (px(p.minute), py(values(p)[k]))).collect()).collect();
    let markers = place_markers(timeline, px, w * 0.035);
    // An hour label each hour (each half hour in a short drill), on the clock's whole hours.
    let every = if span <= 120.0 { 30 } else { 60 };
    let offset = (every - (timeline.start.timestamp() / 60).rem_euclid(every)) % every;
    let x_ticks = (0..)
        .map(|k| offset + k * every)
        .take_while(|m| *m as f32 <= span)
        .map(|m| (px(m), (timeline.start + Duration::minutes(m)).format("%H:%M").to_string()))
        .collect();
    let mut scale = vec![0, top / 2, top];
    scale.dedup();
    let y_ticks = scale.into_iter().map(|v| (py(v), v)).collect();
    Layout { lines, markers, x_ticks, y_ticks }
}

/// The markers left to right; a label closer than `gap` to the one before goes up a row.
fn place_markers(timeline: &Timeline, px: impl Fn(i64) -> f32, gap: f32) -> Vec<MarkerAt> {
    let mut fired: Vec<&Marker> = timeline.markers.iter().filter(|m| m.minute >= 0).collect();
    fired.sort_by_key(|m| (m.minute, m.inject));
    let mut placed: Vec<MarkerAt> = Vec::with_capacity(fired.len());
    for m in fired {
        let x = px(m.minute);
        let row = match placed.last() {
            Some(before) if x - before.x < gap => 1 - before.row,
            _ => 0,
        };
        placed.push(MarkerAt { x, inject: m.inject, row, marker: m.clone() });
    }
    placed
}

/// The chart as inline SVG for the AAR page, in the page's language.
pub fn svg(aar: &Aar, lang: Lang) -> String {
    let (left, top, w, h) = (40.0_f32, 40.0_f32, 640.0_f32, 200.0_f32);
    let chart = layout(&aar.timeline, left, top, w, h);
    let mut out = String::new();
    let _ = write!(
        out,
        r##"<svg xmlns="http://www.w3.org/2000/svg" class="timeline" viewBox="0 0 {} {}" role="img" aria-label="{}" font-family="sans-serif" font-size="11">"##,
        left + w + 12.0,
        top + h + 28.0,
        word(lang, "drill.aar.chart_label")
    );
    for (k, (label, colour, _)) in SERIES.iter().enumerate() {
        let x = left + 190.0 * k as f32;
        let label = word(lang, label);
        let _ = write!(
            out,
            r##"<rect x="{x}" y="6" width="12" height="4" fill="{colour}"/><text x="{}" y="12">{label}</text>"##,
            x + 16.0
        );
    }
    for (y, value) in &chart.y_ticks {
        let _ = write!(
            out,
            r##"<line x1="{left}" y1="{y}" x2="{}" y2="{y}" stroke="#ddd"/><text x="{}" y="{}" text-anchor="end">{value}</text>"##,
            left + w,
            left - 4.0,
            y + 4.0
        );
    }
    for (x, label) in &chart.x_ticks {
        let _ = write!(
            out,
            r##"<line x1="{x}" y1="{}" x2="{x}" y2="{}" stroke="#888"/><text x="{x}" y="{}" text-anchor="middle">{label}</text>"##,
            top + h,
            top + h + 4.0,
            top + h + 16.0
        );
    }
    for MarkerAt { x, inject, row, marker } in &chart.markers {
        let _ = write!(
            out,
            r##"<g class="marker {}"><line x1="{x}" y1="{}" x2="{x}" y2="{}" stroke="#999" stroke-dasharray="3 3"/><text x="{x}" y="{}" text-anchor="middle" font-size="9">#{inject}</text><title>#{inject} {}</title></g>"##,
            super::aar::status_class(marker.status),
            top,
            top + h,
            top - 3.0 - 10.0 * f32::from(*row),
            aar.injects
                .iter()
                .find(|i| i.id == *inject)
                .map_or_else(|| marker.label.to_string(), |i| i.kind_words(lang))
        );
    }
    for (line, (label, colour, _)) in chart.lines.iter().zip(SERIES) {
        let label = word(lang, label);
        let points: Vec<String> = line.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
        let _ = write!(
            out,
            r##"<polyline class="series" fill="none" stroke="{colour}" stroke-width="2" points="{}"><title>{label}</title></polyline>"##,
            points.join(" ")
        );
    }
    let _ = write!(
        out,
        r##"<line x1="{left}" y1="{top}" x2="{left}" y2="{}" stroke="#444"/><line x1="{left}" y1="{}" x2="{}" y2="{}" stroke="#444"/></svg>"##,
        top + h,
        top + h,
        left + w,
        top + h
    );
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
    fn labels_of_injects_fired_close_together_alternate_rows() {
        let mut timeline = built().timeline;
        timeline.markers.iter_mut().find(|m| m.inject == 7).unwrap().minute = 2;
        timeline.markers.iter_mut().find(|m| m.inject == 9).unwrap().minute = 31;
        let chart = layout(&timeline, 0.0, 0.0, 150.0, 50.0);
        let rows: Vec<(u32, u8)> = chart.markers.iter().map(|m| (m.inject, m.row)).collect();
        assert_eq!(rows, [(1, 0), (7, 1), (2, 0), (9, 1), (3, 0), (6, 0)], "in time order");
    }

    #[test]
    fn scale_tops_are_round() {
        assert_eq!(scale_top(1), 1);
        assert_eq!(scale_top(3), 5);
        assert_eq!(scale_top(120), 200);
    }
}
