//! 活動指示書: the dispatch sheet PDF the team leader carries — where to go and for whom,
//! who is in the team, what was lent, when to be back, how to stay safe, a map excerpt, and
//! the report form (活動報告) that comes back filled in by hand.
//!
//! Pure: the caller reads the team, its need, loans and zones and fills [`DispatchSheet`].
//! Pages flow: long addresses and notes wrap, and member and equipment lists continue on the
//! next page under a running head; the report form always starts on a page of its own (the
//! back of the sheet when printed on both sides).

use chrono::{Datelike, NaiveDate, NaiveTime};
use geo::MultiPolygon;

use crate::i18n::{Lang, date_in, word, word_with};
use crate::needs::{Category, Damage, Parking, Survey};
use crate::pdf::flow::{Flow, Frame};
use crate::pdf::{self, Page, Weight, fitting_size, line_height_mm, text_width_mm, wrap_lines};

/// Everything printed on a dispatch sheet.
#[derive(Clone, Debug)]
pub struct DispatchSheet {
    /// 金沢市災害ボランティアセンター
    pub center_name: String,
    /// The number the team calls when something goes wrong (本部).
    pub center_phone: String,
    /// `T-003`
    pub team_no: String,
    /// The activity day.
    pub day: NaiveDate,
    /// What the team is sent to do: one need, or a zone (地区派遣).
    pub assignment: Assignment,
    /// In any order; leaders are listed first.
    pub members: Vec<Member>,
    /// 車両 (e.g. 「軽トラ 金沢480あ12-34」); empty when the team walks or rides the shuttle.
    pub vehicle: String,
    /// 貸出資機材
    pub loans: Vec<Loan>,
    /// 出発時刻; `None` prints a blank to fill in by hand.
    pub departure: Option<NaiveTime>,
    /// 帰着期限
    pub return_deadline: NaiveTime,
    /// The WBGT band in force when the team left: its rest cycle is printed. `None`: no reading.
    pub heat: Option<RestCycle>,
    /// `None` when the zone is unknown: the sheet says so instead of drawing a map.
    pub map: Option<MapExcerpt>,
}

/// 休憩サイクル from the WBGT reading (暑さ指数) in force at departure.
#[derive(Clone, Debug, PartialEq)]
pub struct RestCycle {
    pub wbgt: f64,
    /// 警戒, 厳重警戒, 危険; empty below the lowest band (no cycle then).
    pub band: String,
    pub work_minutes: u32,
    pub rest_minutes: u32,
}

/// What the team is sent to do.
#[derive(Clone, Debug)]
pub enum Assignment {
    /// Boxed: the need is much larger than a zone dispatch.
    Need(Box<NeedPart>),
    /// 地区派遣: a team sent to a zone rather than to one household.
    Zone(ZonePart),
}

/// The need as the leader needs it. Personal data (requester, phone, address): the sheet is
/// marked 取扱注意 and goes to the leader only.
#[derive(Clone, Debug)]
pub struct NeedPart {
    /// `N-0045`
    pub need_no: String,
    /// `None`: zone unknown.
    pub zone: Option<String>,
    pub address: String,
    pub requester_name: String,
    pub phone: String,
    pub categories: Vec<Category>,
    pub people_needed: i64,
    pub damage: Vec<Damage>,
    /// 高齢者のみ世帯
    pub elderly_only: bool,
    /// 要配慮者: highlighted.
    pub needs_care: bool,
    pub household_notes: String,
    pub survey: Option<Survey>,
    pub parking: Parking,
    /// Free notes on the need card.
    pub notes: String,
}

/// 地区派遣
#[derive(Clone, Debug)]
pub struct ZonePart {
    pub zone: String,
    /// 依頼人数: how many people the zone asked for.
    pub people_requested: i64,
    /// What to do there (e.g. 戸別訪問でニーズの聞き取り); may be empty.
    pub notes: String,
}

#[derive(Clone, Debug)]
pub struct Member {
    /// `V-0012`
    pub volunteer_no: String,
    pub name: String,
    /// リーダー (red tape in the field).
    pub is_leader: bool,
    /// People this row stands for: 1, or a group's head count when a group registered as one.
    pub people: u32,
}

#[derive(Clone, Debug)]
pub struct Loan {
    /// 剣スコップ
    pub item: String,
    pub quantity: i64,
    /// 本, 台, 枚 …
    pub unit: String,
}

/// The map excerpt: the team's zone, optionally its neighbours, and the need's pin.
#[derive(Clone, Debug)]
pub struct MapExcerpt {
    pub zone: MapZone,
    /// Drawn in grey and cut at the frame; they do not widen it.
    pub neighbours: Vec<MapZone>,
    /// (longitude, latitude) of the need; `None` for a zone dispatch or a need without a pin.
    pub pin: Option<(f64, f64)>,
}

#[derive(Clone, Debug)]
pub struct MapZone {
    pub name: String,
    /// Rings of (longitude, latitude): outer rings and holes alike (filled even-odd).
    pub rings: Vec<Vec<(f64, f64)>>,
}

impl MapZone {
    /// From a stored zone's shape (`zones::file::Zone::shape`).
    pub fn from_shape(name: &str, shape: &MultiPolygon<f64>) -> MapZone {
        let rings = shape
            .0
            .iter()
            .flat_map(|polygon| std::iter::once(polygon.exterior()).chain(polygon.interiors()))
            .map(|ring| ring.coords().map(|c| (c.x, c.y)).collect())
            .collect();
        MapZone { name: name.to_string(), rings }
    }
}

const LEFT: f32 = 12.0;
const RIGHT: f32 = 198.0;
const WIDTH: f32 = RIGHT - LEFT;
const TOP: f32 = 12.0;
/// Content stops here; the page number sits below.
const BOTTOM: f32 = 283.0;

const GREY: (f32, f32, f32) = (0.9, 0.9, 0.9);
const CAUTION: (f32, f32, f32) = (1.0, 0.85, 0.85);
const HAZARD: (f32, f32, f32) = (1.0, 0.95, 0.7);
const DEADLINE: (f32, f32, f32) = (1.0, 0.9, 0.7);
/// The leader's row, like the red tape they wear.
const LEADER: (f32, f32, f32) = (1.0, 0.8, 0.8);

/// Renders the sheet: the instructions, then the report form on a page of its own.
/// The sheet is one of the council's official papers: printed in Japanese.
pub fn render(sheet: &DispatchSheet, drill: bool) -> Vec<u8> {
    render_in(Lang::Ja, sheet, drill)
}

fn render_in(lang: Lang, sheet: &DispatchSheet, drill: bool) -> Vec<u8> {
    let team = [("team", sheet.team_no.as_str())];
    let frame = Frame { left: LEFT, right: RIGHT, top: TOP, bottom: BOTTOM, head: (9.0, Weight::Bold) };
    let mut flow = Flow::new(frame, word_with(lang, "papers.sheet.continued", &team));
    header(lang, &mut flow, sheet);
    times(lang, &mut flow, sheet);
    assignment(lang, &mut flow, sheet);
    members(lang, &mut flow, sheet);
    loans(lang, &mut flow, sheet);
    flow.running_head = word_with(lang, "papers.sheet.report.running_head", &team);
    flow.new_page();
    report_form(lang, &mut flow, sheet);
    pdf::render(&word_with(lang, "papers.sheet.document", &team), flow.finish(), drill)
}

fn hm(time: NaiveTime) -> String {
    time.format("%-H:%M").to_string()
}

/// `people` people: 「6名」.
fn people(lang: Lang, count: impl ToString) -> String {
    word_with(lang, "papers.sheet.need.people", &[("count", &count.to_string())])
}

fn header(lang: Lang, flow: &mut Flow, sheet: &DispatchSheet) {
    let page = flow.page();
    let mark = word(lang, "papers.sheet.confidential");
    let mark: &str = &mark;
    let mark_w = text_width_mm(8.0, Weight::Bold, mark) + 4.0;
    page.fill_rect(RIGHT - mark_w, 5.0, mark_w, 5.5, CAUTION);
    page.rect(RIGHT - mark_w, 5.0, mark_w, 5.5, 0.4, false);
    page.text(RIGHT - mark_w + 2.0, 5.6, 8.0, Weight::Bold, mark);

    page.text(LEFT, TOP + 1.0, 22.0, Weight::Bold, &word(lang, "papers.sheet.title"));
    page.text(LEFT, TOP + 13.5, 9.0, Weight::Regular, &sheet.center_name);
    let date = word_with(
        lang,
        "papers.date.full",
        &[("year", &sheet.day.year().to_string()), ("date", &date_in(lang, sheet.day))],
    );
    let day = word_with(lang, "papers.sheet.day", &[("date", &date)]);
    page.text(LEFT, TOP + 19.0, 12.0, Weight::Bold, &day);

    let (bx, bw) = (128.0, RIGHT - 128.0);
    page.rect(bx, TOP + 1.0, bw, 26.0, 1.2, false);
    page.text(bx + 2.5, TOP + 1.8, 9.0, Weight::Regular, &word(lang, "papers.sheet.team_no"));
    let size = fitting_size(&sheet.team_no, Weight::Bold, bw - 20.0, 40.0, 14.0);
    page.text_centered(
        bx + bw / 2.0 + 6.0,
        TOP + 14.0 - line_height_mm(size) / 2.0,
        size,
        Weight::Bold,
        &sheet.team_no,
    );
    flow.y = TOP + 31.0;
}

fn times(lang: Lang, flow: &mut Flow, sheet: &DispatchSheet) {
    let y = flow.y;
    let page = flow.page();
    let h = 22.0;
    page.rect(LEFT, y, 58.0, h, 0.8, false);
    page.text(LEFT + 2.5, y + 1.5, 9.0, Weight::Regular, &word(lang, "papers.sheet.times.departure"));
    match sheet.departure {
        Some(time) => page.text_centered(LEFT + 29.0, y + 7.0, 24.0, Weight::Bold, &hm(time)),
        None => {
            let blank = word(lang, "papers.sheet.times.departure_blank");
            page.text_centered(LEFT + 29.0, y + 9.0, 16.0, Weight::Regular, &blank)
        }
    }

    let x = LEFT + 62.0;
    let w = RIGHT - x;
    page.fill_rect(x, y, w, h, DEADLINE);
    page.rect(x, y, w, h, 1.8, false);
    page.text(x + 2.5, y + 1.5, 9.0, Weight::Bold, &word(lang, "papers.sheet.times.return_by"));
    let deadline = word_with(lang, "papers.sheet.times.deadline", &[("time", &hm(sheet.return_deadline))]);
    page.text(x + 8.0, y + 5.0, 32.0, Weight::Bold, &deadline);
    flow.y = y + h + 4.0;
    if let Some(heat) = &sheet.heat {
        rest_cycle(lang, flow, heat);
    }
}

/// 休憩サイクル: one band under the times, as the board shows it.
fn rest_cycle(lang: Lang, flow: &mut Flow, heat: &RestCycle) {
    let y = flow.y;
    let page = flow.page();
    let wbgt = format!("{:.1}", heat.wbgt);
    let text = if heat.work_minutes > 0 && heat.rest_minutes > 0 {
        let (work, rest) = (heat.work_minutes.to_string(), heat.rest_minutes.to_string());
        let values = [("wbgt", wbgt.as_str()), ("band", heat.band.as_str()), ("work", &work), ("rest", &rest)];
        word_with(lang, "papers.sheet.rest.cycle", &values)
    } else {
        word_with(lang, "papers.sheet.rest.no_cycle", &[("wbgt", wbgt.as_str())])
    };
    page.fill_rect(LEFT, y, WIDTH, 8.0, HAZARD);
    page.rect(LEFT, y, WIDTH, 8.0, 0.6, false);
    let size = fitting_size(&text, Weight::Bold, WIDTH - 4.0, 12.0, 8.0);
    page.text(LEFT + 2.0, y + (8.0 - line_height_mm(size)) / 2.0, size, Weight::Bold, &text);
    flow.y = y + 8.0 + 4.0;
}

/// A section heading on a grey band; keeps `keep` mm below it on the same page.
fn heading(flow: &mut Flow, title: &str, keep: f32) {
    flow.room(9.0 + keep);
    let y = flow.y;
    let page = flow.page();
    page.fill_rect(LEFT, y, WIDTH, 7.0, GREY);
    page.text(LEFT + 2.0, y + 0.4, 11.0, Weight::Bold, title);
    flow.y += 9.0;
}

/// A label and its wrapped value in a column; each line may turn the page.
struct Fields {
    x: f32,
    label_w: f32,
    value_w: f32,
}

impl Fields {
    fn row(&self, flow: &mut Flow, label: &str, value: &str, weight: Weight, fill: Option<(f32, f32, f32)>) {
        let size = 10.0;
        let pitch = line_height_mm(size);
        let lines = wrap_lines(value, self.value_w, size, weight);
        for (i, line) in lines.iter().enumerate() {
            flow.room(pitch);
            let y = flow.y;
            let page = flow.page();
            if let Some(rgb) = fill {
                page.fill_rect(self.x + self.label_w - 1.0, y, self.value_w + 2.0, pitch, rgb);
            }
            if i == 0 {
                page.text(self.x, y, 9.0, Weight::Bold, label);
            }
            page.text(self.x + self.label_w, y, size, weight, line);
            flow.y += pitch;
        }
        flow.y += 0.8;
    }
}

const MAP_W: f32 = 66.0;
const MAP_H: f32 = 64.0;
/// The right-hand column beside the assignment: map, caption, safety notes.
const SIDEBAR_H: f32 = MAP_H + 9.0 + SAFETY_H;

fn assignment(lang: Lang, flow: &mut Flow, sheet: &DispatchSheet) {
    let map_x = RIGHT - MAP_W;
    let fields = Fields { x: LEFT + 1.0, label_w: 21.0, value_w: map_x - 5.0 - LEFT - 22.0 };
    let title = match &sheet.assignment {
        Assignment::Need(need) => word_with(lang, "papers.sheet.need.heading", &[("no", &need.need_no)]),
        Assignment::Zone(zone) => word_with(lang, "papers.sheet.zone.heading", &[("zone", &zone.zone)]),
    };
    // The sidebar stays on the page of the heading, which has room for it.
    heading(flow, &title, SIDEBAR_H);
    let top = flow.y;
    let first_page = flow.page_count();
    map_block(lang, flow.page(), map_x, top, sheet.map.as_ref());
    safety(lang, flow.page(), map_x, top + MAP_H + 9.0, sheet);

    match &sheet.assignment {
        Assignment::Need(need) => need_fields(lang, flow, &fields, need),
        Assignment::Zone(zone) => {
            flow.room(10.0);
            let y = flow.y;
            let text = word_with(lang, "papers.sheet.zone.dispatch", &[("zone", &zone.zone)]);
            let size = fitting_size(&text, Weight::Bold, fields.label_w + fields.value_w, 16.0, 10.0);
            flow.page().text(fields.x, y, size, Weight::Bold, &text);
            flow.y += line_height_mm(size) + 1.5;
            let label = word(lang, "papers.sheet.zone.people_requested");
            fields.row(flow, &label, &people(lang, zone.people_requested), Weight::Bold, None);
            if !zone.notes.trim().is_empty() {
                let label = word(lang, "papers.sheet.zone.instructions");
                fields.row(flow, &label, zone.notes.trim(), Weight::Regular, None);
            }
        }
    }
    if !sheet.vehicle.trim().is_empty() {
        fields.row(flow, &word(lang, "papers.sheet.need.vehicle"), sheet.vehicle.trim(), Weight::Regular, None);
    }
    // Below the map when the text was shorter and stayed on its page.
    if flow.page_count() == first_page {
        flow.y = flow.y.max(top + SIDEBAR_H);
    }
    flow.y += 3.0;
}

/// The need's rows of the assignment: where, for whom, what, and what to watch for.
fn need_fields(lang: Lang, flow: &mut Flow, fields: &Fields, need: &NeedPart) {
    let separator = word(lang, "papers.sheet.list_separator");
    let label = |key: &str| word(lang, key);
    fields.row(flow, &label("papers.sheet.need.need_no"), &need.need_no, Weight::Bold, None);
    let zone_unset = word(lang, "papers.sheet.need.zone_unset");
    let zone = need.zone.as_deref().unwrap_or(&zone_unset);
    fields.row(flow, &label("papers.sheet.need.zone"), zone, Weight::Regular, None);
    fields.row(flow, &label("papers.sheet.need.address"), &need.address, Weight::Bold, None);
    let requester = word_with(lang, "papers.sheet.need.requester_name", &[("name", &need.requester_name)]);
    fields.row(flow, &label("papers.sheet.need.requester"), &requester, Weight::Regular, None);
    fields.row(flow, &label("papers.sheet.need.phone"), &need.phone, Weight::Regular, None);
    let categories = if need.categories.is_empty() {
        word(lang, "papers.sheet.need.no_categories").into_owned()
    } else {
        need.categories.iter().map(|c| c.label(lang)).collect::<Vec<_>>().join(&separator)
    };
    fields.row(flow, &label("papers.sheet.need.work"), &categories, Weight::Bold, None);
    let needed = people(lang, need.people_needed);
    fields.row(flow, &label("papers.sheet.need.people_needed"), &needed, Weight::Regular, None);
    if !need.damage.is_empty() {
        let damage = need.damage.iter().map(|d| d.label(lang)).collect::<Vec<_>>().join(&separator);
        fields.row(flow, &label("papers.sheet.need.damage"), &damage, Weight::Regular, None);
    }
    let mut household = Vec::new();
    if need.needs_care {
        household.push(word(lang, "papers.sheet.need.needs_care"));
    }
    if need.elderly_only {
        household.push(word(lang, "papers.sheet.need.elderly_only"));
    }
    if !household.is_empty() {
        let fill = need.needs_care.then_some(CAUTION);
        fields.row(flow, &label("papers.sheet.need.household"), &household.join(&separator), Weight::Bold, fill);
    }
    if !need.household_notes.trim().is_empty() {
        let notes = need.household_notes.trim();
        fields.row(flow, &label("papers.sheet.need.household_notes"), notes, Weight::Regular, None);
    }
    if let Some(survey) = &need.survey {
        if !survey.findings.trim().is_empty() {
            let findings = survey.findings.trim();
            fields.row(flow, &label("papers.sheet.need.survey"), findings, Weight::Regular, None);
        }
        if !survey.hazards.trim().is_empty() {
            let hazards = survey.hazards.trim();
            fields.row(flow, &label("papers.sheet.need.hazards"), hazards, Weight::Bold, Some(HAZARD));
        }
    }
    fields.row(flow, &label("papers.sheet.need.parking"), &need.parking.label(lang), Weight::Regular, None);
    if !need.notes.trim().is_empty() {
        fields.row(flow, &label("papers.sheet.need.notes"), need.notes.trim(), Weight::Regular, None);
    }
}

/// The map excerpt in a `MAP_W` × `MAP_H` frame with its caption below.
fn map_block(lang: Lang, page: &mut Page, x: f32, y: f32, map: Option<&MapExcerpt>) {
    page.rect(x, y, MAP_W, MAP_H, 0.6, false);
    let Some(map) = map else {
        let no_zone = word(lang, "papers.sheet.map.no_zone");
        page.text_centered(x + MAP_W / 2.0, y + MAP_H / 2.0 - 3.0, 10.0, Weight::Regular, &no_zone);
        return;
    };
    match Projection::fit(map, x, y, MAP_W, MAP_H) {
        Some(projection) => {
            page.clipped(x, y, MAP_W, MAP_H, |page| draw_map(page, map, &projection, x, y));
            north_arrow(page, x + MAP_W - 8.0, y + 2.0);
            scale_bar(page, &projection, x + 2.0, y + MAP_H - 6.0);
        }
        None => {
            let no_data = word(lang, "papers.sheet.map.no_data");
            page.text_centered(x + MAP_W / 2.0, y + MAP_H / 2.0 - 3.0, 10.0, Weight::Regular, &no_data);
        }
    }
    let caption_y = y + MAP_H + 1.0;
    let caption = word_with(lang, "papers.sheet.map.caption", &[("zone", &map.zone.name)]);
    let size = fitting_size(&caption, Weight::Bold, MAP_W - 26.0, 9.0, 6.0);
    page.text(x, caption_y, size, Weight::Bold, &caption);
    if map.pin.is_some() {
        let lx = x + MAP_W - 20.0;
        pin(page, lx + 1.8, caption_y + 2.4, 1.5);
        page.text(lx + 4.5, caption_y + 0.3, 8.0, Weight::Regular, &word(lang, "papers.sheet.map.pin"));
    }
}

/// Equirectangular: longitude shrunk by cos(latitude) around the frame's middle, which is
/// true enough over the few kilometres of a zone.
struct Projection {
    lon0: f64,
    lat0: f64,
    k: f64,
    /// mm per degree of latitude.
    scale: f64,
    cx: f32,
    cy: f32,
}

impl Projection {
    /// Fits the zone and the pin (not the neighbours) with a margin; `None` without points.
    fn fit(map: &MapExcerpt, x: f32, y: f32, w: f32, h: f32) -> Option<Projection> {
        let points = map
            .zone
            .rings
            .iter()
            .flatten()
            .chain(map.pin.iter())
            .filter(|(lon, lat)| lon.is_finite() && lat.is_finite());
        let (mut west, mut east, mut south, mut north) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for &(lon, lat) in points {
            west = west.min(lon);
            east = east.max(lon);
            south = south.min(lat);
            north = north.max(lat);
        }
        if west > east {
            return None;
        }
        let lat0 = (south + north) / 2.0;
        let lon0 = (west + east) / 2.0;
        let k = lat0.to_radians().cos().max(0.01);
        // At least ~300 m across, so a lone pin or a tiny zone is not blown up.
        let span_x = ((east - west) * k).max(0.003);
        let span_y = (north - south).max(0.003);
        let scale = (f64::from(w) * 0.8 / span_x).min(f64::from(h) * 0.8 / span_y);
        Some(Projection { lon0, lat0, k, scale, cx: x + w / 2.0, cy: y + h / 2.0 })
    }

    fn project(&self, (lon, lat): (f64, f64)) -> (f32, f32) {
        let dx = (lon - self.lon0) * self.k * self.scale;
        let dy = (lat - self.lat0) * self.scale;
        (self.cx + dx as f32, self.cy - dy as f32)
    }

    fn ring(&self, ring: &[(f64, f64)]) -> Vec<(f32, f32)> {
        let mut out: Vec<(f32, f32)> = Vec::with_capacity(ring.len());
        for &point in ring {
            let p = self.project(point);
            // Points closer than 0.2 mm add nothing on paper but bytes.
            if out.last().is_none_or(|&(x, y)| (x - p.0).hypot(y - p.1) >= 0.2) {
                out.push(p);
            }
        }
        out
    }

    /// mm on paper per metre on the ground.
    fn mm_per_metre(&self) -> f64 {
        self.scale / 111_320.0
    }
}

fn draw_map(page: &mut Page, map: &MapExcerpt, projection: &Projection, x: f32, y: f32) {
    let rings: Vec<Vec<(f32, f32)>> = map.zone.rings.iter().map(|r| projection.ring(r)).collect();
    page.fill_polygon(&rings, (1.0, 0.9, 0.93));
    let pin_at = map.pin.map(|p| projection.project(p));
    for neighbour in &map.neighbours {
        let mut count = 0.0;
        let (mut sx, mut sy) = (0.0, 0.0);
        for ring in &neighbour.rings {
            let ring = projection.ring(ring);
            page.polyline(&ring, true, 0.5, (0.55, 0.55, 0.55));
            for (px, py) in ring {
                sx += px;
                sy += py;
                count += 1.0;
            }
        }
        // The name where the outline's points average, if that is well inside the frame and
        // clear of the pin.
        if count > 0.0 {
            let (lx, ly) = (sx / count, sy / count);
            let inside = lx > x + 8.0 && lx < x + MAP_W - 8.0 && ly > y + 4.0 && ly < y + MAP_H - 8.0;
            let clear = pin_at.is_none_or(|(px, py)| (px - lx).hypot(py - ly) > 8.0);
            if inside && clear {
                page.text_centered(lx, ly - 1.5, 6.5, Weight::Regular, &neighbour.name);
            }
        }
    }
    for ring in &rings {
        page.polyline(ring, true, 1.4, (0.75, 0.1, 0.3));
    }
    if let Some((px, py)) = pin_at {
        pin(page, px, py, 2.2);
    }
}

/// A red dot with a black rim.
fn pin(page: &mut Page, x: f32, y: f32, r: f32) {
    let circle: Vec<(f32, f32)> = (0..24)
        .map(|i| {
            let a = i as f32 / 24.0 * std::f32::consts::TAU;
            (x + r * a.cos(), y + r * a.sin())
        })
        .collect();
    page.fill_polygon(std::slice::from_ref(&circle), (0.9, 0.0, 0.0));
    page.polyline(&circle, true, 0.6, (0.0, 0.0, 0.0));
}

/// 「N」 over an arrow pointing up, on a white square 6 mm wide at (x, y).
fn north_arrow(page: &mut Page, x: f32, y: f32) {
    page.fill_rect(x, y, 6.0, 10.0, (1.0, 1.0, 1.0));
    page.text_centered(x + 3.0, y, 8.0, Weight::Bold, "N");
    let arrow = vec![(x + 3.0, y + 4.5), (x + 5.2, y + 9.5), (x + 3.0, y + 8.3), (x + 0.8, y + 9.5)];
    page.fill_polygon(std::slice::from_ref(&arrow), (0.0, 0.0, 0.0));
}

/// A bar of a round length about a quarter of the frame wide.
fn scale_bar(page: &mut Page, projection: &Projection, x: f32, y: f32) {
    let mm_per_m = projection.mm_per_metre();
    let target_m = f64::from(MAP_W) / 4.0 / mm_per_m;
    let metres = [20.0, 50.0, 100.0, 200.0, 250.0, 500.0, 1000.0, 2000.0, 5000.0, 10_000.0]
        .into_iter()
        .rev()
        .find(|&m| m <= target_m)
        .unwrap_or(20.0);
    let len = (metres * mm_per_m) as f32;
    let label = if metres >= 1000.0 { format!("{} km", metres / 1000.0) } else { format!("{metres} m") };
    let label_w = text_width_mm(7.0, Weight::Regular, &label);
    page.fill_rect(x - 1.0, y - 0.5, len.max(label_w) + 2.0, 5.5, (1.0, 1.0, 1.0));
    page.text(x, y - 0.3, 7.0, Weight::Regular, &label);
    page.line(x, y + 4.2, x + len, y + 4.2, 1.2);
    page.line(x, y + 3.2, x, y + 4.6, 0.6);
    page.line(x + len, y + 3.2, x + len, y + 4.6, 0.6);
}

/// A table of cells laid out two records to a row (left half, right half), header repeated
/// on every page it reaches.
struct TwoUp<'a> {
    /// Column titles and widths (per half).
    columns: &'a [(&'a str, f32)],
    row_h: f32,
}

impl TwoUp<'_> {
    const HALF: f32 = WIDTH / 2.0;

    fn header(&self, flow: &mut Flow, halves: usize) {
        let y = flow.y;
        let page = flow.page();
        for half in 0..halves {
            let mut x = LEFT + half as f32 * Self::HALF;
            page.fill_rect(x, y, Self::HALF - 2.0, 5.5, GREY);
            for (title, w) in self.columns {
                page.text(x + 1.0, y + 0.5, 8.0, Weight::Bold, title);
                x += w;
            }
        }
        flow.y += 6.0;
    }

    /// `cells(i)`: the texts of record i, its weight per cell, and an optional row fill.
    fn draw(
        &self,
        flow: &mut Flow,
        count: usize,
        cells: impl Fn(usize) -> (Vec<(String, Weight)>, Option<(f32, f32, f32)>),
    ) {
        let halves = count.clamp(1, 2);
        self.header(flow, halves);
        for row in 0..count.div_ceil(2) {
            if flow.room(self.row_h) {
                self.header(flow, halves);
            }
            let y = flow.y;
            let page = flow.page();
            for half in 0..2 {
                let i = row * 2 + half;
                if i >= count {
                    break;
                }
                let (texts, fill) = cells(i);
                let mut x = LEFT + half as f32 * Self::HALF;
                if let Some(rgb) = fill {
                    page.fill_rect(x, y, Self::HALF - 2.0, self.row_h, rgb);
                }
                for ((text, weight), (_, w)) in texts.iter().zip(self.columns) {
                    let size = fitting_size(text, *weight, w - 2.0, 10.0, 6.0);
                    let dy = (self.row_h - line_height_mm(size)) / 2.0;
                    page.text(x + 1.0, y + dy, size, *weight, text);
                    x += w;
                }
                page.line(x - self.columns.iter().map(|(_, w)| w).sum::<f32>(), y + self.row_h, x, y + self.row_h, 0.3);
            }
            flow.y += self.row_h;
        }
        flow.y += 4.0;
    }
}

fn headcount(sheet: &DispatchSheet) -> u32 {
    sheet.members.iter().map(|m| m.people.max(1)).sum()
}

fn members(lang: Lang, flow: &mut Flow, sheet: &DispatchSheet) {
    let mut members: Vec<&Member> = sheet.members.iter().collect();
    members.sort_by_key(|m| !m.is_leader);
    let count = headcount(sheet).to_string();
    heading(flow, &word_with(lang, "papers.sheet.members.heading", &[("count", &count)]), 12.0);
    let titles = [
        word(lang, "papers.sheet.members.column_no"),
        word(lang, "papers.sheet.members.column_volunteer_no"),
        word(lang, "papers.sheet.members.column_name"),
        word(lang, "papers.sheet.members.column_role"),
    ];
    let columns = [(&*titles[0], 9.0), (&*titles[1], 22.0), (&*titles[2], 42.0), (&*titles[3], 18.0)];
    let table = TwoUp { columns: &columns, row_h: 6.5 };
    let leader = word(lang, "papers.sheet.members.leader");
    table.draw(flow, members.len(), |i| {
        let m = members[i];
        let name = if m.people > 1 {
            word_with(lang, "papers.sheet.members.group", &[("name", &m.name), ("count", &m.people.to_string())])
        } else {
            m.name.clone()
        };
        let role = if m.is_leader { &*leader } else { "" };
        let texts = vec![
            (format!("{}", i + 1), Weight::Regular),
            (m.volunteer_no.clone(), Weight::Regular),
            (name, if m.is_leader { Weight::Bold } else { Weight::Regular }),
            (role.to_string(), Weight::Bold),
        ];
        (texts, m.is_leader.then_some(LEADER))
    });
}

fn loans(lang: Lang, flow: &mut Flow, sheet: &DispatchSheet) {
    heading(flow, &word(lang, "papers.sheet.loans.heading"), 12.0);
    if sheet.loans.is_empty() {
        let y = flow.y;
        flow.page().text(LEFT + 2.0, y, 10.0, Weight::Regular, &word(lang, "papers.sheet.loans.none"));
        flow.y += line_height_mm(10.0) + 4.0;
        return;
    }
    let titles = [
        word(lang, "papers.sheet.loans.column_no"),
        word(lang, "papers.sheet.loans.column_item"),
        word(lang, "papers.sheet.loans.column_quantity"),
    ];
    let columns = [(&*titles[0], 9.0), (&*titles[1], 57.0), (&*titles[2], 25.0)];
    let table = TwoUp { columns: &columns, row_h: 6.5 };
    table.draw(flow, sheet.loans.len(), |i| {
        let loan = &sheet.loans[i];
        let texts = vec![
            (format!("{}", i + 1), Weight::Regular),
            (loan.item.clone(), Weight::Regular),
            (format!("{} {}", loan.quantity, loan.unit), Weight::Bold),
        ];
        (texts, None)
    });
}

/// Height of the safety notes in the sidebar.
const SAFETY_H: f32 = 48.0;

/// 安全上の注意, in the sidebar under the map: one line each, then the number to call.
fn safety(lang: Lang, page: &mut Page, x: f32, y: f32, sheet: &DispatchSheet) {
    let center_phone = sheet.center_phone.as_str();
    // The band's cycle when a reading was in force, else the usual 20/10.
    let heat_note = match &sheet.heat {
        Some(heat) if heat.work_minutes > 0 && heat.rest_minutes > 0 => {
            let (work, rest) = (heat.work_minutes.to_string(), heat.rest_minutes.to_string());
            std::borrow::Cow::Owned(word_with(lang, "papers.sheet.rest.note", &[("work", &work), ("rest", &rest)]))
        }
        _ => word(lang, "papers.sheet.safety.heat_note"),
    };
    let notes = [
        (word(lang, "papers.sheet.safety.heat"), heat_note),
        (word(lang, "papers.sheet.safety.tetanus"), word(lang, "papers.sheet.safety.tetanus_note")),
        (word(lang, "papers.sheet.safety.dust"), word(lang, "papers.sheet.safety.dust_note")),
        (word(lang, "papers.sheet.safety.no_overdoing"), word(lang, "papers.sheet.safety.no_overdoing_note")),
    ];
    page.fill_rect(x, y, MAP_W, 6.0, GREY);
    page.text(x + 1.5, y + 0.2, 10.0, Weight::Bold, &word(lang, "papers.sheet.safety.heading"));
    let size = 9.0;
    let pitch = line_height_mm(size) + 0.3;
    let mut ly = y + 7.0;
    for (label, text) in notes {
        page.text(x + 1.0, ly, size, Weight::Bold, &label);
        let tx = x + 1.0 + text_width_mm(size, Weight::Bold, &label) + 2.0;
        let fit = fitting_size(&text, Weight::Regular, x + MAP_W - tx, size, 6.5);
        page.text(tx, ly + (line_height_mm(size) - line_height_mm(fit)) / 2.0, fit, Weight::Regular, &text);
        ly += pitch;
    }
    ly += 1.0;
    let call_h = SAFETY_H - (ly - y);
    page.fill_rect(x, ly, MAP_W, call_h, CAUTION);
    page.text(x + 1.5, ly + 0.8, 9.0, Weight::Bold, &word(lang, "papers.sheet.safety.call"));
    let size = fitting_size(center_phone, Weight::Bold, MAP_W - 3.0, 18.0, 9.0);
    page.text_centered(x + MAP_W / 2.0, ly + 6.0, size, Weight::Bold, center_phone);
}

/// A 4 mm check box and its label on a line box of `size`; returns the x after the label.
fn checkbox(page: &mut Page, x: f32, y: f32, size: f32, label: &str) -> f32 {
    let side = 4.0;
    page.rect(x, y + (line_height_mm(size) - side) / 2.0, side, side, 0.6, false);
    page.text(x + side + 1.5, y, size, Weight::Regular, label);
    x + side + 1.5 + text_width_mm(size, Weight::Regular, label) + 6.0
}

/// A labelled box to write in, with faint ruled lines.
fn write_box(flow: &mut Flow, label: &str, lines: usize) {
    let pitch = 8.0;
    let h = lines as f32 * pitch;
    flow.room(h + 7.0);
    let y = flow.y;
    let page = flow.page();
    page.text(LEFT, y, 10.0, Weight::Bold, label);
    let top = y + 6.0;
    page.rect(LEFT, top, WIDTH, h, 0.6, false);
    for i in 1..lines {
        let ly = top + i as f32 * pitch;
        page.line(LEFT + 2.0, ly, RIGHT - 2.0, ly, 0.2);
    }
    flow.y = top + h + 4.0;
}

fn report_form(lang: Lang, flow: &mut Flow, sheet: &DispatchSheet) {
    let w = |key: &str| word(lang, key);
    let y = flow.y + 2.0;
    let page = flow.page();
    page.text(LEFT, y, 20.0, Weight::Bold, &w("papers.sheet.report.title"));
    page.text(LEFT + 40.0, y + 3.5, 10.0, Weight::Regular, &w("papers.sheet.report.filled_by"));
    let target = match &sheet.assignment {
        Assignment::Need(need) => need.need_no.clone(),
        Assignment::Zone(zone) => word_with(lang, "papers.sheet.zone.dispatch", &[("zone", &zone.zone)]),
    };
    let right = word_with(lang, "papers.sheet.report.target", &[("team", &sheet.team_no), ("target", &target)]);
    let size = fitting_size(&right, Weight::Bold, 60.0, 14.0, 8.0);
    page.text(RIGHT - text_width_mm(size, Weight::Bold, &right), y + 2.0, size, Weight::Bold, &right);
    flow.y = y + 14.0;

    let size = 11.0;
    let pitch = line_height_mm(size) + 3.0;
    let row = |flow: &mut Flow, label: &str, draw: &dyn Fn(&mut Page, f32, f32)| {
        flow.room(pitch);
        let y = flow.y;
        let page = flow.page();
        page.text(LEFT, y, size, Weight::Bold, label);
        draw(page, LEFT + 34.0, y);
        flow.y += pitch;
    };
    row(flow, &w("papers.sheet.report.result"), &|page, x, y| {
        let x = checkbox(page, x, y, size, &w("papers.sheet.report.done"));
        let x = checkbox(page, x, y, size, &w("papers.sheet.report.continuing"));
        checkbox(page, x, y, size, &w("papers.sheet.report.stopped"));
    });
    row(flow, &w("papers.sheet.report.work_time"), &|page, x, y| {
        page.text(x, y, size, Weight::Regular, &w("papers.sheet.report.work_time_blank"));
    });
    let count = headcount(sheet).to_string();
    let headcount_line = word_with(lang, "papers.sheet.report.headcount_line", &[("count", &count)]);
    row(flow, &w("papers.sheet.report.headcount"), &move |page, x, y| {
        page.text(x, y, size, Weight::Regular, &headcount_line);
    });
    flow.y += 2.0;
    write_box(flow, &w("papers.sheet.report.work_done"), 4);
    row(flow, &w("papers.sheet.report.new_needs"), &|page, x, y| {
        let x = checkbox(page, x, y, size, &w("papers.sheet.report.no"));
        checkbox(page, x, y, size, &w("papers.sheet.report.new_needs_yes"));
    });
    write_box(flow, "", 2);
    row(flow, &w("papers.sheet.report.injuries"), &|page, x, y| {
        let x = checkbox(page, x + 6.0, y, size, &w("papers.sheet.report.no"));
        checkbox(page, x, y, size, &w("papers.sheet.report.injuries_yes"));
    });
    write_box(flow, "", 2);

    let row_h = 7.5;
    let cols = [
        (w("papers.sheet.report.column_item"), 80.0),
        (w("papers.sheet.report.column_lent"), 26.0),
        (w("papers.sheet.report.column_returned"), 40.0),
        (w("papers.sheet.report.column_lost"), 40.0),
    ];
    let table_header = |flow: &mut Flow| {
        let y = flow.y;
        let page = flow.page();
        page.fill_rect(LEFT, y, WIDTH, 6.0, GREY);
        let mut x = LEFT;
        for (title, width) in &cols {
            page.text(x + 1.5, y + 0.7, 9.0, Weight::Bold, title);
            x += width;
        }
        flow.y += 6.5;
    };
    flow.room(8.0 + 6.5 + row_h);
    let y = flow.y;
    flow.page().text(LEFT, y, size, Weight::Bold, &w("papers.sheet.report.returns"));
    flow.y += 8.0;
    table_header(flow);
    if sheet.loans.is_empty() {
        let y = flow.y;
        flow.page().text(LEFT + 1.5, y, 10.0, Weight::Regular, &w("papers.sheet.report.no_loans"));
        flow.y += row_h;
    }
    for loan in &sheet.loans {
        if flow.room(row_h) {
            table_header(flow);
        }
        let y = flow.y;
        let page = flow.page();
        let item_size = fitting_size(&loan.item, Weight::Regular, cols[0].1 - 3.0, 10.0, 6.0);
        page.text(LEFT + 1.5, y + (row_h - line_height_mm(item_size)) / 2.0, item_size, Weight::Regular, &loan.item);
        let lent = format!("{} {}", loan.quantity, loan.unit);
        page.text(LEFT + cols[0].1 + 1.5, y + 1.0, 10.0, Weight::Bold, &lent);
        let mut x = LEFT + cols[0].1 + cols[1].1;
        for (_, width) in &cols[2..] {
            page.rect(x + 1.5, y + 0.8, 18.0, row_h - 1.6, 0.6, false);
            page.text(x + 21.0, y + 1.0, 10.0, Weight::Regular, &loan.unit);
            x += width;
        }
        page.line(LEFT, y + row_h, RIGHT, y + row_h, 0.2);
        flow.y += row_h;
    }
    flow.y += 4.0;

    write_box(flow, &w("papers.sheet.report.to_center"), 2);
    flow.room(16.0);
    let y = flow.y + 6.0;
    let page = flow.page();
    page.text(LEFT, y, size, Weight::Bold, &w("papers.sheet.report.leader_signature"));
    page.line(LEFT + 30.0, y + line_height_mm(size), LEFT + 95.0, y + line_height_mm(size), 0.6);
    page.text(LEFT + 105.0, y, size, Weight::Bold, &w("papers.sheet.report.received"));
    page.line(LEFT + 126.0, y + line_height_mm(size), RIGHT, y + line_height_mm(size), 0.6);
    flow.y = y + 10.0;
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::pdf::testing::{compact, extract, save_artefact};

    fn square(lon: f64, lat: f64, d: f64) -> Vec<(f64, f64)> {
        vec![(lon, lat), (lon + d, lat), (lon + d, lat + d * 0.8), (lon, lat + d * 0.8), (lon, lat)]
    }

    fn map() -> MapExcerpt {
        let zone = vec![
            (136.650, 36.560),
            (136.662, 36.558),
            (136.668, 36.566),
            (136.660, 36.574),
            (136.648, 36.570),
            (136.650, 36.560),
        ];
        MapExcerpt {
            zone: MapZone { name: "中央地区".into(), rings: vec![zone] },
            neighbours: vec![
                MapZone { name: "東地区".into(), rings: vec![square(136.668, 36.556, 0.016)] },
                MapZone { name: "西地区".into(), rings: vec![square(136.632, 36.558, 0.016)] },
            ],
            pin: Some((136.657, 36.566)),
        }
    }

    fn member(n: usize, name: &str, leader: bool) -> Member {
        Member { volunteer_no: format!("V-{n:04}"), name: name.into(), is_leader: leader, people: 1 }
    }

    fn sheet() -> DispatchSheet {
        DispatchSheet {
            center_name: "金沢市災害ボランティアセンター".into(),
            center_phone: "076-222-0000".into(),
            team_no: "T-003".into(),
            day: NaiveDate::from_ymd_opt(2025, 7, 12).unwrap(),
            assignment: Assignment::Need(Box::new(NeedPart {
                need_no: "N-0045".into(),
                zone: Some("中央地区".into()),
                address: "石川県金沢市本町二丁目15番1号 ポルテ金沢南棟の裏手、赤い屋根の二階建て（電柱「本町12」の向かい）".into(),
                requester_name: "北村 ハル".into(),
                phone: "090-1234-5678".into(),
                categories: vec![Category::Mud, Category::Belongings, Category::Debris],
                people_needed: 6,
                damage: vec![Damage::AboveFloor, Damage::Sediment],
                elderly_only: true,
                needs_care: true,
                household_notes: "ご本人は車いす。作業中は隣の長男宅に避難しているので、到着したら長男（090-8765-4321）へ電話してから入ること。".into(),
                survey: Some(Survey {
                    surveyor: "調査班 田中".into(),
                    surveyed_at: "2025-07-11T10:00:00+09:00".into(),
                    findings: "1階の和室2間に泥が約10cm堆積。畳6枚と家具（たんす2棹）を搬出。".into(),
                    hazards: "台所の床が一部抜けている。ブレーカーは落としてあるが通電確認まで電気器具に触らない。".into(),
                }),
                parking: Parking::No,
                notes: "災害ごみは町内の仮置場（本町公園）へ。分別表を持参。".into(),
            })),
            members: vec![
                member(12, "山田 太郎", false),
                member(7, "佐藤 花子", true),
                member(31, "鈴木 一郎", false),
                member(44, "高橋 美咲", false),
                Member { volunteer_no: "V-0050".into(), name: "金沢工大ボランティア部".into(), is_leader: false, people: 3 },
            ],
            vehicle: "軽トラ（センター所有 1号車）".into(),
            loans: vec![
                Loan { item: "剣スコップ".into(), quantity: 4, unit: "本".into() },
                Loan { item: "一輪車".into(), quantity: 2, unit: "台".into() },
                Loan { item: "土のう袋".into(), quantity: 50, unit: "枚".into() },
                Loan { item: "デッキブラシ".into(), quantity: 3, unit: "本".into() },
                Loan { item: "バール".into(), quantity: 1, unit: "本".into() },
            ],
            departure: NaiveTime::from_hms_opt(9, 30, 0),
            return_deadline: NaiveTime::from_hms_opt(14, 0, 0).unwrap(),
            heat: None,
            map: Some(map()),
        }
    }

    #[test]
    fn sheet_carries_need_team_deadline_and_report_form() {
        let bytes = render(&sheet(), false);
        save_artefact("dispatch-sheet.pdf", &bytes);
        let text = extract(&bytes);
        let flat = compact(&text);
        for expected in [
            "活動指示書",
            "T-003",
            "N-0045",
            "中央地区",
            "北村ハル様",
            "090-1234-5678",
            "泥出し・家財搬出・災害ごみ運搬",
            "要配慮者あり",
            "台所の床が一部抜けている",
            "山田太郎",
            "佐藤花子",
            "金沢工大ボランティア部（3名）",
            "リーダー",
            "計7名",
            "帰着期限14:00",
            "9:30",
            "剣スコップ",
            "50枚",
            "熱中症",
            "076-222-0000",
            "取扱注意（個人情報）",
            "活動報告",
            "資機材返却数",
            "リーダー署名",
            "出発7名",
        ] {
            assert!(flat.contains(expected), "{expected:?} not in {text}");
        }
        // The address wraps but is all there.
        assert!(flat.contains(&compact("石川県金沢市本町二丁目15番1号 ポルテ金沢南棟の裏手、赤い屋根の二階建て")));
        assert!(!flat.contains("訓練"));
        // Instructions on the front, the report form on the back.
        assert_eq!(text.matches("1 / 2").count() + text.matches("2 / 2").count(), 2, "{text}");
        // Leaders come first in the members table.
        assert!(flat.find("佐藤花子").unwrap() < flat.find("山田太郎").unwrap());
    }

    #[test]
    fn zone_dispatch_has_no_need_part() {
        let mut sheet = sheet();
        sheet.assignment = Assignment::Zone(ZonePart {
            zone: "東地区".into(),
            people_requested: 10,
            notes: "東地区の全戸を訪問し、困りごとを聞き取ってニーズ票に記入する。".into(),
        });
        let base = map();
        let zone = MapZone { name: "東地区".into(), rings: base.neighbours[0].rings.clone() };
        sheet.map = Some(MapExcerpt { zone, neighbours: vec![base.zone], pin: None });
        sheet.departure = None;
        let bytes = render(&sheet, true);
        save_artefact("dispatch-sheet-zone-drill.pdf", &bytes);
        let flat = compact(&extract(&bytes));
        for expected in
            ["地区派遣:東地区", "10名", "T-003", "帰着期限14:00", "本部へ電話076-222-0000", "活動報告", "訓練"]
        {
            assert!(flat.contains(expected), "{expected:?} not in {flat}");
        }
        for absent in ["N-0045", "北村", "依頼者"] {
            assert!(!flat.contains(absent), "{absent:?} in a zone dispatch: {flat}");
        }
    }

    #[test]
    fn long_lists_continue_over_pages() {
        let mut sheet = sheet();
        let family = ["山田", "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "中村", "小林", "加藤"];
        let given = ["太郎", "花子", "次郎", "美咲", "健一", "陽菜", "大輔"];
        sheet.members =
            (0..40).map(|i| member(100 + i, &format!("{} {}{}", family[i % 10], given[i % 7], i), i == 17)).collect();
        sheet.loans = (0..30)
            .map(|i| Loan {
                item: format!("資機材{i}番（ブルーシート 3.6m×5.4m）"),
                quantity: i as i64 + 1,
                unit: "枚".into(),
            })
            .collect();
        if let Assignment::Need(need) = &mut sheet.assignment {
            need.notes = "長い備考。".repeat(120);
        }
        let bytes = render(&sheet, false);
        save_artefact("dispatch-sheet-long.pdf", &bytes);
        let text = extract(&bytes);
        let flat = compact(&text);
        for m in &sheet.members {
            assert!(flat.contains(&compact(&m.name)), "{} lost in {text}", m.name);
            assert!(flat.contains(&m.volunteer_no), "{} lost", m.volunteer_no);
        }
        for loan in &sheet.loans {
            // On the sheet and again in the report form.
            assert!(flat.matches(&compact(&loan.item)).count() >= 2, "{} lost", loan.item);
        }
        assert!(flat.contains("活動指示書T-003（続き）"), "a continued page has the running head");
        // Without the running heads and page numbers between the pages, the note is whole.
        let mut body = flat.replace("活動指示書T-003（続き）", "");
        for page in 1..=5 {
            body = body.replace(&format!("{page}/5"), "");
        }
        assert!(body.contains(&"長い備考。".repeat(120)), "the long note is all there");
        assert!(text.contains("/ 4") || text.contains("/ 5"), "several pages: {text}");
    }

    #[test]
    fn map_zone_takes_outer_rings_and_holes_from_a_shape() {
        use geo::{LineString, MultiPolygon, Polygon};
        let outer = LineString::from(square(136.6, 36.5, 0.1));
        let hole = LineString::from(square(136.62, 36.52, 0.02));
        let other = LineString::from(square(136.8, 36.5, 0.05));
        let shape = MultiPolygon(vec![Polygon::new(outer, vec![hole]), Polygon::new(other, vec![])]);
        let zone = MapZone::from_shape("中央地区", &shape);
        assert_eq!(zone.name, "中央地区");
        assert_eq!(zone.rings.len(), 3);
        assert_eq!(zone.rings[1][0], (136.62, 36.52));
    }

    #[test]
    fn map_projection_keeps_zone_and_pin_in_frame() {
        let map = map();
        let p = Projection::fit(&map, 0.0, 0.0, MAP_W, MAP_H).unwrap();
        for &point in map.zone.rings.iter().flatten().chain(map.pin.iter()) {
            let (x, y) = p.project(point);
            assert!((0.0..=MAP_W).contains(&x) && (0.0..=MAP_H).contains(&y), "{point:?} → {x},{y}");
        }
        // North is up, east is right.
        let (_, y_south) = p.project((136.65, 36.56));
        let (_, y_north) = p.project((136.65, 36.57));
        assert!(y_north < y_south);
        let (x_west, _) = p.project((136.65, 36.56));
        let (x_east, _) = p.project((136.66, 36.56));
        assert!(x_east > x_west);
        // A degree of longitude is shorter than one of latitude at 36.5°N.
        assert!(((x_east - x_west) / (y_south - y_north) - 36.565f32.to_radians().cos()).abs() < 0.01);
        let empty = MapExcerpt { zone: MapZone { name: "空".into(), rings: vec![] }, neighbours: vec![], pin: None };
        assert!(Projection::fit(&empty, 0.0, 0.0, 10.0, 10.0).is_none());
        // A sheet without a map still renders.
        let mut no_map = sheet();
        no_map.map = None;
        assert!(compact(&extract(&render(&no_map, false))).contains("地区未設定（地図なし）"));
    }
}
