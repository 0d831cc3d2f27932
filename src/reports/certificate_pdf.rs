//! 活動証明書: the activity certificate a volunteer asks for (for an employer's volunteer
//! leave, a school, a scholarship): one volunteer, one day, formal A4.
//!
//! Pure: the caller reads the check-in and the teams of the day and fills [`Certificate`].
//! Activities name the team, zone and kinds of work only, never a household or an address.

use chrono::{Datelike, NaiveDate, NaiveTime};

use crate::i18n::{Lang, date_in, word, word_with};
use crate::needs::Category;
use crate::pdf::{self, Page, Weight, fitting_size, line_height_mm, wrap_lines};

/// Everything printed on a certificate.
#[derive(Clone, Debug)]
pub struct Certificate {
    /// 金沢市災害ボランティアセンター
    pub center_name: String,
    /// 社会福祉法人 金沢市社会福祉協議会
    pub issuer: String,
    /// 会長 山田 一郎; empty to leave it out.
    pub representative: String,
    pub issued_on: NaiveDate,
    /// The volunteer's name as registered.
    pub name: String,
    /// `V-0012`
    pub volunteer_no: String,
    /// The activity day.
    pub day: NaiveDate,
    pub checked_in: NaiveTime,
    pub checked_out: NaiveTime,
    /// The teams of the day, in order.
    pub activities: Vec<Activity>,
}

/// One team the volunteer went out with.
#[derive(Clone, Debug)]
pub struct Activity {
    /// `T-003`
    pub team_no: String,
    /// `None`: zone unknown.
    pub zone: Option<String>,
    pub categories: Vec<Category>,
}

impl Certificate {
    /// Minutes from check-in to check-out (a check-out after midnight counts on).
    pub fn minutes(&self) -> i64 {
        let minutes = (self.checked_out - self.checked_in).num_minutes();
        if minutes < 0 { minutes + 24 * 60 } else { minutes }
    }
}

/// 「2025年7月12日（土）」: the year as well, on a formal paper.
fn full_date(lang: Lang, day: NaiveDate) -> String {
    word_with(lang, "papers.date.full", &[("year", &day.year().to_string()), ("date", &date_in(lang, day))])
}

/// 「2025年7月13日」
fn plain_date(lang: Lang, day: NaiveDate) -> String {
    let (year, month, date) = (day.year().to_string(), day.month().to_string(), day.day().to_string());
    let month_name = day.format("%B").to_string();
    word_with(
        lang,
        "papers.date.plain",
        &[("year", &year), ("month", &month), ("month_name", &month_name), ("day", &date)],
    )
}

/// 「6時間15分」, 「6時間」
fn duration(lang: Lang, minutes: i64) -> String {
    let (hours, rest) = ((minutes / 60).to_string(), (minutes % 60).to_string());
    match (minutes / 60, minutes % 60) {
        (_, 0) => word_with(lang, "papers.certificate.hours", &[("hours", &hours)]),
        (0, _) => word_with(lang, "papers.certificate.minutes", &[("minutes", &rest)]),
        _ => word_with(lang, "papers.certificate.hours_minutes", &[("hours", &hours), ("minutes", &rest)]),
    }
}

fn activity_line(lang: Lang, activity: &Activity) -> String {
    let mut parts = vec![word_with(lang, "papers.certificate.team", &[("no", &activity.team_no)])];
    parts.push(activity.zone.clone().unwrap_or_else(|| word(lang, "papers.certificate.zone_unset").into_owned()));
    if !activity.categories.is_empty() {
        let separator = word(lang, "papers.certificate.list_separator");
        parts.push(activity.categories.iter().map(|c| c.label(lang)).collect::<Vec<_>>().join(&separator));
    }
    parts.join(&word(lang, "papers.certificate.part_separator"))
}

const LEFT: f32 = 25.0;
const RIGHT: f32 = 185.0;
const LABEL_W: f32 = 36.0;

/// The certificate is one of the council's official papers: printed in Japanese.
pub fn render(certificate: &Certificate, drill: bool) -> Vec<u8> {
    render_in(Lang::Ja, certificate, drill)
}

fn render_in(lang: Lang, certificate: &Certificate, drill: bool) -> Vec<u8> {
    let mut page = Page::a4();
    let issued = plain_date(lang, certificate.issued_on);

    page.text_centered(105.0, 38.0, 30.0, Weight::Bold, &word(lang, "papers.certificate.title"));

    let name = word_with(lang, "papers.certificate.name", &[("name", &certificate.name)]);
    let name_size = fitting_size(&name, Weight::Bold, RIGHT - LEFT - 10.0, 22.0, 12.0);
    page.text(LEFT + 5.0, 68.0, name_size, Weight::Bold, &name);
    let name_bottom = 68.0 + line_height_mm(name_size);
    page.line(LEFT, name_bottom, LEFT + 120.0, name_bottom, 0.8);
    page.text(
        LEFT + 5.0,
        name_bottom + 3.0,
        11.0,
        Weight::Regular,
        &word_with(lang, "papers.certificate.volunteer_no", &[("no", &certificate.volunteer_no)]),
    );

    // The table: label column on grey, values beside, rows as tall as their text.
    let size = 12.0;
    let pitch = line_height_mm(size);
    let value_x = LEFT + LABEL_W + 4.0;
    let value_w = RIGHT - value_x - 3.0;
    let time = word_with(
        lang,
        "papers.certificate.time",
        &[
            ("from", &certificate.checked_in.format("%-H:%M").to_string()),
            ("to", &certificate.checked_out.format("%-H:%M").to_string()),
            ("duration", &duration(lang, certificate.minutes())),
        ],
    );
    let activities: Vec<String> = if certificate.activities.is_empty() {
        vec![word(lang, "papers.certificate.default_activity").into_owned()]
    } else {
        certificate.activities.iter().map(|a| activity_line(lang, a)).collect()
    };
    let and_more = word(lang, "papers.certificate.and_more");
    let activity_lines = activities.iter().flat_map(|a| wrap_lines(a, value_w, size, Weight::Regular)).collect();
    let rows = vec![
        (word(lang, "papers.certificate.row_day"), vec![full_date(lang, certificate.day)]),
        (word(lang, "papers.certificate.row_time"), vec![time]),
        (word(lang, "papers.certificate.row_activities"), activity_lines),
    ];
    let mut y = 110.0;
    let table_top = y;
    // Room for the rest of the page: many teams in one day are rare; more than fit are cut
    // with a note rather than overflowing into the certifying sentence.
    let max_lines = 12;
    for (label, lines) in rows {
        let shown = lines.len().min(max_lines);
        let h = shown as f32 * pitch + 5.0;
        page.fill_rect(LEFT, y, LABEL_W, h, (0.92, 0.92, 0.92));
        page.text_centered(LEFT + LABEL_W / 2.0, y + (h - pitch) / 2.0, size, Weight::Bold, &label);
        for (i, line) in lines.iter().take(shown).enumerate() {
            let line = if i + 1 == shown && lines.len() > shown { &*and_more } else { line.as_str() };
            page.text(value_x, y + 2.5 + i as f32 * pitch, size, Weight::Regular, line);
        }
        y += h;
        page.line(LEFT, y, RIGHT, y, 0.5);
    }
    page.rect(LEFT, table_top, RIGHT - LEFT, y - table_top, 1.0, false);
    page.line(LEFT + LABEL_W, table_top, LEFT + LABEL_W, y, 0.5);

    let y = y.max(165.0) + 14.0;
    page.text_centered(105.0, y, 13.0, Weight::Regular, &word(lang, "papers.certificate.statement"));

    let mut y = y + 28.0;
    page.text(LEFT + 70.0, y, 11.0, Weight::Regular, &issued);
    y += 10.0;
    for (line, size, weight) in [
        (certificate.center_name.as_str(), 12.0, Weight::Regular),
        (certificate.issuer.as_str(), 13.0, Weight::Bold),
        (certificate.representative.as_str(), 12.0, Weight::Regular),
    ] {
        if line.trim().is_empty() {
            continue;
        }
        let size = fitting_size(line, weight, RIGHT - LEFT - 70.0 - 20.0, size, 8.0);
        page.text(LEFT + 70.0, y, size, weight, line);
        y += line_height_mm(size) + 1.5;
    }
    // Where the seal goes.
    let seal = 18.0;
    page.rect(RIGHT - seal, y - 22.0, seal, seal, 0.5, true);
    let seal_mark = word(lang, "papers.certificate.seal");
    page.text_centered(
        RIGHT - seal / 2.0,
        y - 22.0 + (seal - line_height_mm(10.0)) / 2.0,
        10.0,
        Weight::Regular,
        &seal_mark,
    );

    let document = word_with(lang, "papers.certificate.document", &[("no", &certificate.volunteer_no)]);
    pdf::render(&document, vec![page], drill)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::pdf::testing::{compact, extract, save_artefact};

    fn certificate() -> Certificate {
        Certificate {
            center_name: "金沢市災害ボランティアセンター".into(),
            issuer: "社会福祉法人 金沢市社会福祉協議会".into(),
            representative: "会長　山本 一郎".into(),
            issued_on: NaiveDate::from_ymd_opt(2025, 7, 13).unwrap(),
            name: "山田 太郎".into(),
            volunteer_no: "V-0012".into(),
            day: NaiveDate::from_ymd_opt(2025, 7, 12).unwrap(),
            checked_in: NaiveTime::from_hms_opt(8, 50, 0).unwrap(),
            checked_out: NaiveTime::from_hms_opt(15, 5, 0).unwrap(),
            activities: vec![
                Activity {
                    team_no: "T-003".into(),
                    zone: Some("中央地区".into()),
                    categories: vec![Category::Mud, Category::Belongings],
                },
                Activity { team_no: "T-011".into(), zone: None, categories: vec![Category::Cleaning] },
            ],
        }
    }

    #[test]
    fn certificate_states_who_when_how_long_and_what() {
        let bytes = render(&certificate(), false);
        save_artefact("certificate.pdf", &bytes);
        let text = extract(&bytes);
        let flat = compact(&text);
        for expected in [
            "活動証明書",
            "山田太郎様",
            "V-0012",
            "2025年7月12日（土）",
            "8:50～15:05（6時間15分）",
            "班T-003中央地区泥出し・家財搬出",
            "班T-011地区未設定清掃",
            "上記の者は、災害ボランティアとして活動したことを証明します。",
            "2025年7月13日",
            "金沢市災害ボランティアセンター",
            "社会福祉法人金沢市社会福祉協議会",
            "会長山本一郎",
        ] {
            assert!(flat.contains(expected), "{expected:?} not in {text}");
        }
        assert!(!flat.contains("訓練"));
    }

    #[test]
    fn drill_certificate_is_marked() {
        let bytes = render(&certificate(), true);
        save_artefact("certificate-drill.pdf", &bytes);
        let flat = compact(&extract(&bytes));
        assert!(flat.contains("訓練"));
        assert!(flat.contains("山田太郎様"));
    }

    #[test]
    fn hours_are_written_in_japanese() {
        assert_eq!(duration(Lang::Ja, 360), "6時間");
        assert_eq!(duration(Lang::Ja, 375), "6時間15分");
        assert_eq!(duration(Lang::Ja, 45), "45分");
        let mut late = certificate();
        late.checked_in = NaiveTime::from_hms_opt(22, 0, 0).unwrap();
        late.checked_out = NaiveTime::from_hms_opt(1, 30, 0).unwrap();
        assert_eq!(late.minutes(), 210);
    }
}
