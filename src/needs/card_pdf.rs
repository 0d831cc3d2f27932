//! ニーズ票: the need card on paper, A4, as the coordinators keep it in the binder — the
//! need's number as a QR code (scanned at the matching desk, it picks the need), everything
//! the intake wrote down, and ruled rows for the visits and teams written in by hand.
//!
//! Personal data (requester, phone, address): marked 取扱注意, for coordinators only.
//! Pure: the caller reads the need. Printed in Japanese, like the council's other papers.

use chrono::{DateTime, Datelike, FixedOffset};

use super::model::Need;
use crate::i18n::{Lang, date_in, word, word_with};
use crate::pdf::flow::{Flow, Frame};
use crate::pdf::{self, Weight, fitting_size, line_height_mm, text_width_mm, wrap_lines};

const LEFT: f32 = 15.0;
const RIGHT: f32 = 195.0;
const TOP: f32 = 14.0;
const BOTTOM: f32 = 282.0;
const LABEL_W: f32 = 30.0;
/// The QR code's square at the top right; the number is printed under it.
const QR: f32 = 38.0;

const GREY: (f32, f32, f32) = (0.92, 0.92, 0.92);
const CAUTION: (f32, f32, f32) = (1.0, 0.85, 0.85);
const HAZARD: (f32, f32, f32) = (1.0, 0.95, 0.7);

/// The card of `need`, printed at `printed_at` for the center `center_name`.
pub fn render(need: &Need, center_name: &str, printed_at: DateTime<FixedOffset>, drill: bool) -> Vec<u8> {
    render_in(Lang::Ja, need, center_name, printed_at, drill)
}

fn render_in(lang: Lang, need: &Need, center_name: &str, printed_at: DateTime<FixedOffset>, drill: bool) -> Vec<u8> {
    let no = [("no", need.need_no.as_str())];
    let frame = Frame { left: LEFT, right: RIGHT, top: TOP, bottom: BOTTOM, head: (9.0, Weight::Bold) };
    let mut flow = Flow::new(frame, word_with(lang, "papers.need_card.continued", &no));
    header(lang, &mut flow, need, center_name, printed_at);
    rows(lang, &mut flow, need);
    record(lang, &mut flow);
    pdf::render(&word_with(lang, "papers.need_card.document", &no), flow.finish(), drill)
}

fn header(lang: Lang, flow: &mut Flow, need: &Need, center_name: &str, printed_at: DateTime<FixedOffset>) {
    let page = flow.page();
    let mark = word(lang, "papers.need_card.confidential");
    let mark_w = text_width_mm(8.0, Weight::Bold, &mark) + 4.0;
    page.fill_rect(LEFT, 6.0, mark_w, 5.5, CAUTION);
    page.rect(LEFT, 6.0, mark_w, 5.5, 0.4, false);
    page.text(LEFT + 2.0, 6.6, 8.0, Weight::Bold, &mark);

    page.text(LEFT, TOP, 24.0, Weight::Bold, &word(lang, "papers.need_card.title"));
    let size = fitting_size(center_name, Weight::Regular, RIGHT - QR - 10.0 - LEFT, 10.0, 7.0);
    page.text(LEFT, TOP + 13.0, size, Weight::Regular, center_name);
    let date = word_with(
        lang,
        "papers.date.full",
        &[("year", &printed_at.year().to_string()), ("date", &date_in(lang, printed_at.date_naive()))],
    );
    let printed = word_with(
        lang,
        "papers.need_card.printed",
        &[("date", &date), ("time", &printed_at.format("%-H:%M").to_string())],
    );
    page.text(LEFT, TOP + 19.0, 8.0, Weight::Regular, &printed);

    // The number, large, for eyes; the QR code beside it for the desk's scanner.
    let qr_x = RIGHT - QR;
    page.qr(qr_x, TOP - 4.0, QR, &need.need_no);
    let number_w = qr_x - 4.0 - 100.0;
    page.rect(100.0, TOP, number_w, 26.0, 1.2, false);
    page.text(102.0, TOP + 0.8, 8.0, Weight::Regular, &word(lang, "papers.need_card.need_no"));
    let size = fitting_size(&need.need_no, Weight::Bold, number_w - 6.0, 30.0, 14.0);
    page.text_centered(
        100.0 + number_w / 2.0,
        TOP + 13.0 - line_height_mm(size) / 2.0 + 2.0,
        size,
        Weight::Bold,
        &need.need_no,
    );
    let scan = word(lang, "papers.need_card.scan_hint");
    let size = fitting_size(&scan, Weight::Regular, QR + number_w + 4.0, 7.0, 5.0);
    page.text(100.0, TOP + QR - 4.0, size, Weight::Regular, &scan);
    flow.y = TOP + QR + 2.0;
}

/// A label and its value, wrapped; rows separated by thin rules, each line may turn the page.
fn row(flow: &mut Flow, label: &str, value: &str, weight: Weight, fill: Option<(f32, f32, f32)>) {
    let size = 10.5;
    let pitch = line_height_mm(size);
    let value_x = LEFT + LABEL_W + 3.0;
    let lines = wrap_lines(value, RIGHT - value_x - 1.0, size, weight);
    let lines = if lines.is_empty() { vec![String::new()] } else { lines };
    for (i, line) in lines.iter().enumerate() {
        flow.room(pitch + 1.0);
        let y = flow.y;
        let page = flow.page();
        page.fill_rect(LEFT, y, LABEL_W, pitch + 1.0, GREY);
        if let Some(rgb) = fill {
            page.fill_rect(value_x - 1.0, y, RIGHT - value_x + 1.0, pitch + 1.0, rgb);
        }
        if i == 0 {
            page.text(LEFT + 1.5, y + 0.5, 9.0, Weight::Bold, label);
        }
        page.text(value_x, y + 0.5, size, weight, line);
        flow.y += pitch;
    }
    flow.y += 1.0;
    let y = flow.y;
    flow.page().line(LEFT, y, RIGHT, y, 0.3);
}

fn rows(lang: Lang, flow: &mut Flow, need: &Need) {
    let label = |key: &str| word(lang, key);
    let separator = word(lang, "papers.need_card.list_separator");
    let join = |parts: Vec<String>| parts.join(&separator);
    let y = flow.y;
    flow.page().line(LEFT, y, RIGHT, y, 0.8);

    let priority = word(
        lang,
        match need.priority {
            1 => "papers.need_card.priority_1",
            2 => "papers.need_card.priority_2",
            _ => "papers.need_card.priority_3",
        },
    );
    let state =
        word_with(lang, "papers.need_card.state", &[("status", need.status.label_ja()), ("priority", &priority)]);
    row(flow, &label("papers.need_card.status"), &state, Weight::Bold, (need.priority == 1).then_some(CAUTION));
    let received = word_with(
        lang,
        "papers.need_card.received_line",
        &[("via", &need.received_via.label_ja()), ("at", &short_time(&need.received_at))],
    );
    row(flow, &label("papers.need_card.received"), &received, Weight::Regular, None);
    let mut requester = word_with(lang, "papers.need_card.requester_name", &[("name", &need.requester_name)]);
    if !need.requester_furigana.trim().is_empty() {
        requester = word_with(
            lang,
            "papers.need_card.with_reading",
            &[("name", &requester), ("reading", need.requester_furigana.trim())],
        );
    }
    row(flow, &label("papers.need_card.requester"), &requester, Weight::Bold, None);
    row(flow, &label("papers.need_card.phone"), &need.phone, Weight::Bold, None);
    row(flow, &label("papers.need_card.address"), &need.address, Weight::Bold, None);
    let unset = word(lang, "papers.need_card.unset");
    let place = word_with(
        lang,
        "papers.need_card.place",
        &[
            ("town", if need.town.trim().is_empty() { &unset } else { need.town.trim() }),
            ("zone", need.zone.as_deref().unwrap_or(&unset)),
        ],
    );
    row(flow, &label("papers.need_card.town_zone"), &place, Weight::Regular, None);
    let work = join(need.categories.iter().map(|c| c.label_ja().to_string()).collect());
    row(flow, &label("papers.need_card.work"), &work, Weight::Bold, None);
    let size = word_with(
        lang,
        "papers.need_card.size_line",
        &[("people", &need.people_needed.to_string()), ("days", &need.days_estimated.to_string())],
    );
    row(flow, &label("papers.need_card.size"), &size, Weight::Regular, None);
    let damage = join(need.damage.iter().map(|d| d.label_ja().to_string()).collect());
    row(flow, &label("papers.need_card.damage"), &damage, Weight::Regular, None);
    let mut household = Vec::new();
    if need.needs_care {
        household.push(label("papers.need_card.needs_care").into_owned());
    }
    if need.elderly_only {
        household.push(label("papers.need_card.elderly_only").into_owned());
    }
    if !need.household_notes.trim().is_empty() {
        household.push(need.household_notes.trim().to_string());
    }
    row(
        flow,
        &label("papers.need_card.household"),
        &join(household),
        Weight::Regular,
        need.needs_care.then_some(CAUTION),
    );
    row(flow, &label("papers.need_card.equipment"), &join(need.equipment.clone()), Weight::Regular, None);
    let parking = need.parking.label_ja();
    let photos = label(if need.photos_allowed { "papers.need_card.photos_yes" } else { "papers.need_card.photos_no" });
    let site = word_with(lang, "papers.need_card.site_line", &[("parking", &parking), ("photos", &photos)]);
    row(flow, &label("papers.need_card.site"), &site, Weight::Regular, None);
    if let Some(survey) = &need.survey {
        let findings = word_with(
            lang,
            "papers.need_card.survey_line",
            &[("by", survey.surveyor.trim()), ("findings", survey.findings.trim())],
        );
        row(flow, &label("papers.need_card.survey"), &findings, Weight::Regular, None);
        if !survey.hazards.trim().is_empty() {
            row(flow, &label("papers.need_card.hazards"), survey.hazards.trim(), Weight::Bold, Some(HAZARD));
        }
    }
    if let Some(original) = &need.duplicate_of {
        row(flow, &label("papers.need_card.duplicate_of"), original, Weight::Regular, None);
    }
    row(flow, &label("papers.need_card.notes"), need.notes.trim(), Weight::Regular, None);
}

/// 「11/30 9:05」 from an RFC 3339 stamp; the stamp as it is if it cannot be read.
fn short_time(stamp: &str) -> String {
    DateTime::parse_from_rfc3339(stamp).map(|t| t.format("%-m/%-d %-H:%M").to_string()).unwrap_or(stamp.to_string())
}

/// 対応記録: ruled rows to write the visits, calls and teams in by hand.
fn record(lang: Lang, flow: &mut Flow) {
    let pitch = 9.0;
    let columns = [
        (LEFT, 24.0, "papers.need_card.record_date"),
        (LEFT + 24.0, 22.0, "papers.need_card.record_team"),
        (LEFT + 46.0, 104.0, "papers.need_card.record_what"),
        (LEFT + 150.0, RIGHT - LEFT - 150.0, "papers.need_card.record_by"),
    ];
    flow.room(8.0 + 4.0 * pitch);
    flow.y += 4.0;
    let y = flow.y;
    flow.page().text(LEFT, y, 11.0, Weight::Bold, &word(lang, "papers.need_card.record"));
    flow.y += line_height_mm(11.0) + 1.0;
    let top = flow.y;
    let page = flow.page();
    page.fill_rect(LEFT, top, RIGHT - LEFT, 6.0, GREY);
    for (x, w, key) in columns {
        page.text_centered(x + w / 2.0, top + 0.4, 9.0, Weight::Bold, &word(lang, key));
    }
    // As many rows as the page has room for, at least four.
    let rows = (((BOTTOM - top - 6.0) / pitch).floor() as usize).max(4);
    let bottom = top + 6.0 + rows as f32 * pitch;
    for i in 0..=rows {
        let y = top + 6.0 + i as f32 * pitch;
        page.line(LEFT, y, RIGHT, y, 0.3);
    }
    page.rect(LEFT, top, RIGHT - LEFT, bottom - top, 0.8, false);
    for (x, _, _) in &columns[1..] {
        page.line(*x, top, *x, bottom, 0.3);
    }
    flow.y = bottom;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::needs::model::{Category, Damage, Parking, ReceivedVia, Status, Survey};
    use crate::pdf::testing::{compact, extract, save_artefact};

    fn need() -> Need {
        Need {
            id: 45,
            need_no: "N-0045".into(),
            status: Status::Waiting,
            version: 3,
            received_via: ReceivedVia::Phone,
            received_at: "2026-11-30T09:05:00+09:00".into(),
            requester_name: "金沢 花子".into(),
            requester_furigana: "かなざわ はなこ".into(),
            phone: "090-1234-5678".into(),
            address: "石川県金沢市広坂1丁目1-1".into(),
            town: "広坂1丁目".into(),
            lat: None,
            lon: None,
            zone: Some("中央地区".into()),
            zone_source: None,
            elderly_only: true,
            needs_care: true,
            household_notes: "車椅子".into(),
            damage: vec![Damage::AboveFloor],
            categories: vec![Category::Mud, Category::Belongings],
            people_needed: 6,
            days_estimated: 2,
            equipment: vec!["剣スコップ".into(), "一輪車".into()],
            parking: Parking::No,
            photos_allowed: false,
            priority: 1,
            notes: "午前中希望".into(),
            survey: Some(Survey {
                surveyor: "山本".into(),
                surveyed_at: String::new(),
                findings: "床下に泥20cm".into(),
                hazards: "床板の踏み抜き".into(),
            }),
            duplicate_of: None,
            status_reason: String::new(),
            updated_at: String::new(),
            moves: vec![],
            reopen_to: vec![],
        }
    }

    fn printed() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2026-11-30T13:40:00+09:00").unwrap()
    }

    #[test]
    fn the_card_holds_what_the_intake_wrote_and_room_for_the_visits() {
        let bytes = render(&need(), "金沢市災害ボランティアセンター", printed(), false);
        save_artefact("need-card.pdf", &bytes);
        let text = extract(&bytes);
        let flat = compact(&text);
        for expected in [
            "ニーズ票",
            "取扱注意（個人情報）",
            "N-0045",
            "金沢市災害ボランティアセンター",
            "2026年11月30日（月）13:40",
            "待機優先度1（緊急）",
            "電話11/309:05",
            "金沢花子様（かなざわはなこ）",
            "090-1234-5678",
            "石川県金沢市広坂1丁目1-1",
            "広坂1丁目／中央地区",
            "泥出し・家財搬出",
            "6名・2日",
            "床上浸水",
            "要配慮者あり・高齢者のみ世帯・車椅子",
            "剣スコップ・一輪車",
            "駐車場なし・写真不可",
            "山本：床下に泥20cm",
            "床板の踏み抜き",
            "午前中希望",
            "対応記録",
        ] {
            assert!(flat.contains(expected), "{expected:?} not in {text}");
        }
        assert!(!flat.contains("訓練"));
        assert_eq!(pdf_extract::extract_text_from_mem_by_pages(&bytes).unwrap().len(), 1, "one page");
    }

    #[test]
    fn a_long_card_turns_the_page_under_a_running_head_and_a_drill_card_is_marked() {
        let mut long = need();
        long.notes = "床下の泥出しと家財の搬出。".repeat(150);
        let bytes = render(&long, "センター", printed(), true);
        save_artefact("need-card-long.pdf", &bytes);
        let pages = pdf_extract::extract_text_from_mem_by_pages(&bytes).unwrap();
        assert!(pages.len() >= 2, "{} pages", pages.len());
        assert!(compact(&pages[1]).contains("ニーズ票N-0045（続き）"), "{}", pages[1]);
        assert!(compact(&pages[0]).contains("訓練"));
    }

    #[test]
    fn every_word_is_there_in_english_too() {
        let text = compact(&extract(&render_in(Lang::En, &need(), "Center", printed(), false)));
        assert!(text.contains("Needcard"), "{text}");
    }
}
