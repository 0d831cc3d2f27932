//! 名札: the name badge, an A4 sheet with one badge to cut out and slip into a
//! holder — big name, furigana, number, QR code, group, insurance, and the day.
//! Japanese first (the council's paper); the heading, insurance and notes also
//! in English, for volunteers who do not read Japanese. Words from the catalogue.

use chrono::NaiveDate;

use super::model::{ADULT_AGE, Insurance, Volunteer, VolunteerKind, age_on};
use crate::i18n::{Lang, date_ja, word, word_with};
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
    page.text(X + PAD, Y + 2.5, 11.0, Weight::Bold, &word(Lang::Ja, "badge.heading"));
    page.text(X + PAD, Y + 8.5, 7.0, Weight::Regular, &word(Lang::En, "badge.heading"));
    let day_text = date_ja(day);
    page.text(X + W - PAD - text_width_mm(11.0, Weight::Regular, &day_text), Y + 2.5, 11.0, Weight::Regular, &day_text);

    page.text_centered(center, Y + 18.0, 12.0, Weight::Regular, &volunteer.furigana);
    let name_size = fitting_size(&volunteer.name, Weight::Bold, inner, 30.0, 12.0);
    page.text_centered(center, Y + 25.0, name_size, Weight::Bold, &volunteer.name);
    page.text_centered(center, Y + 42.0, 20.0, Weight::Bold, &volunteer.volunteer_no);

    page.qr(center - 22.0, Y + 53.0, 44.0, token);

    let mut line_y = Y + 100.0;
    if volunteer.kind == VolunteerKind::Group {
        let size = volunteer.group_size.unwrap_or(1).to_string();
        let group = word_with(
            Lang::Ja,
            "badge.group",
            &[("name", volunteer.group_name.as_deref().unwrap_or("")), ("size", &size)],
        );
        let size = fitting_size(&group, Weight::Regular, inner, 12.0, 8.0);
        page.text_centered(center, line_y, size, Weight::Regular, &group);
        line_y += 8.0;
    }
    let insured = volunteer.insurance == Insurance::Enrolled
        || volunteer.today.as_ref().is_some_and(|c| c.insurance != super::model::DayInsurance::None);
    let insurance_key = if insured { "badge.insured" } else { "badge.uninsured" };
    let insurance = word(Lang::Ja, insurance_key);
    let insurance_en = word(Lang::En, insurance_key);
    if !insured {
        page.fill_rect(X + PAD, line_y - 1.0, inner, 12.0, (1.0, 0.86, 0.86));
    }
    let size = fitting_size(&insurance, Weight::Bold, inner - 2.0, 11.0, 7.0);
    page.text_centered(center, line_y, size, Weight::Bold, &insurance);
    let size = fitting_size(&insurance_en, Weight::Regular, inner - 2.0, 8.0, 6.0);
    page.text_centered(center, line_y + 6.5, size, Weight::Regular, &insurance_en);
    line_y += 13.0;
    if !volunteer.skills.is_empty() {
        let joined = volunteer.skills.join(&word(Lang::Ja, "badge.skill_separator"));
        let skills = word_with(Lang::Ja, "badge.skills", &[("skills", &joined)]);
        page.text_wrapped(X + PAD, line_y, inner, 9.0, Weight::Regular, &skills);
    }
    if minor_on(volunteer, day) {
        minor_band(&mut page);
    }

    let note_x = X + W + 10.0;
    let note_w = 210.0 - note_x - 15.0;
    let mut note_y = Y;
    for note in ["badge.note_cut", "badge.note_show_qr", "badge.note_leader"] {
        note_y += page.text_wrapped(note_x, note_y, note_w, 10.0, Weight::Regular, &word(Lang::Ja, note)) + 1.5;
        note_y += page.text_wrapped(note_x, note_y, note_w, 8.0, Weight::Regular, &word(Lang::En, note)) + 4.0;
    }
    let title = word_with(Lang::Ja, "badge.title", &[("no", &volunteer.volunteer_no)]);
    (volunteer.volunteer_no.clone(), pdf::render(&title, vec![page], drill))
}

/// Under 18 on the day printed: the age counts on that day, not on the day printed out.
fn minor_on(volunteer: &Volunteer, day: NaiveDate) -> bool {
    NaiveDate::parse_from_str(&volunteer.birth_date, "%Y-%m-%d").is_ok_and(|born| age_on(born, day) < ADULT_AGE)
}

/// 「18歳未満」: an orange band across the badge's foot, seen from across the
/// room by a leader or a coordinator (no heavy work, an adult with them).
fn minor_band(page: &mut Page) {
    let top = Y + H - 13.0;
    page.fill_rect(X, top, W, 13.0, (1.0, 0.62, 0.2));
    let center = X + W / 2.0;
    page.text_centered(center, top + 1.5, 13.0, Weight::Bold, &word(Lang::Ja, "badge.minor_band"));
    page.text_centered(center, top + 8.0, 7.0, Weight::Regular, &word(Lang::En, "badge.minor_band"));
}
