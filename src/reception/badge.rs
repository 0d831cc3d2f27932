//! 名札: the name badge, an A4 sheet with one badge to cut out and slip into a
//! holder — big name, furigana, number, QR code, group, insurance, and the day.

use chrono::NaiveDate;

use super::model::{Insurance, Volunteer, VolunteerKind};
use crate::i18n::date_ja;
use crate::pdf::{self, Page, Weight, fitting_size, text_width_mm};

/// The badge on the sheet: 100 × 140 mm from the top-left margin.
const X: f32 = 20.0;
const Y: f32 = 20.0;
const W: f32 = 100.0;
const H: f32 = 140.0;
const PAD: f32 = 6.0;

/// `token` is the volunteer's QR token; `day` the activity day printed on it.
/// Returns the volunteer's number (for the file name) and the PDF.
pub fn render(volunteer: &Volunteer, token: &str, day: NaiveDate, drill: bool) -> (String, Vec<u8>) {
    let mut page = Page::a4();
    let inner = W - 2.0 * PAD;
    let center = X + W / 2.0;

    page.rect(X, Y, W, H, 0.8, true);
    page.fill_rect(X, Y, W, 14.0, (0.85, 0.91, 0.97));
    page.text(X + PAD, Y + 2.5, 11.0, Weight::Bold, "災害ボランティア");
    let day_text = date_ja(day);
    page.text(X + W - PAD - text_width_mm(11.0, Weight::Regular, &day_text), Y + 2.5, 11.0, Weight::Regular, &day_text);

    page.text_centered(center, Y + 18.0, 12.0, Weight::Regular, &volunteer.furigana);
    let name_size = fitting_size(&volunteer.name, Weight::Bold, inner, 30.0, 12.0);
    page.text_centered(center, Y + 25.0, name_size, Weight::Bold, &volunteer.name);
    page.text_centered(center, Y + 42.0, 20.0, Weight::Bold, &volunteer.volunteer_no);

    page.qr(center - 22.0, Y + 53.0, 44.0, token);

    let mut line_y = Y + 100.0;
    if volunteer.kind == VolunteerKind::Group {
        let group = format!(
            "団体：{}（{}名）",
            volunteer.group_name.as_deref().unwrap_or(""),
            volunteer.group_size.unwrap_or(1)
        );
        let size = fitting_size(&group, Weight::Regular, inner, 12.0, 8.0);
        page.text_centered(center, line_y, size, Weight::Regular, &group);
        line_y += 8.0;
    }
    let insured = volunteer.insurance == Insurance::Enrolled
        || volunteer.today.as_ref().is_some_and(|c| c.insurance != super::model::DayInsurance::None);
    let insurance = if insured {
        "ボランティア活動保険：加入済".to_string()
    } else {
        "ボランティア活動保険：未加入（受付で加入してください）".to_string()
    };
    if !insured {
        page.fill_rect(X + PAD, line_y - 1.0, inner, 8.0, (1.0, 0.86, 0.86));
    }
    let size = fitting_size(&insurance, Weight::Bold, inner - 2.0, 11.0, 7.0);
    page.text_centered(center, line_y, size, Weight::Bold, &insurance);
    line_y += 9.0;
    if !volunteer.skills.is_empty() {
        let skills = format!("資格・特技：{}", volunteer.skills.join("、"));
        page.text_wrapped(X + PAD, line_y, inner, 9.0, Weight::Regular, &skills);
    }

    let note_x = X + W + 10.0;
    let note_w = 210.0 - note_x - 15.0;
    let mut note_y = Y;
    for note in [
        "点線で切り取り、名札ケースに入れて、見えるところに付けてください。",
        "受付でこのQRコードを見せてください。番号でも受付できます。",
        "活動中は班のリーダーの指示に従い、こまめに休憩と水分補給をしてください。",
    ] {
        note_y += page.text_wrapped(note_x, note_y, note_w, 10.0, Weight::Regular, note) + 4.0;
    }
    (volunteer.volunteer_no.clone(), pdf::render(&format!("名札 {}", volunteer.volunteer_no), vec![page], drill))
}
