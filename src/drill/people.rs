//! Made-up volunteers for a `volunteer_arrival` inject: plausible Japanese
//! names, ages, phones, skills and vehicles, the same for the same inject every
//! run (so two runs of a scenario can be compared).

use chrono::{Datelike, NaiveDate};

use super::limits;
use super::payload::Arrival;
use crate::reception::form::RegistrationForm;
use crate::reception::{Insurance, VolunteerKind};

const FAMILY: [(&str, &str); 24] = [
    ("佐藤", "サトウ"),
    ("鈴木", "スズキ"),
    ("高橋", "タカハシ"),
    ("田中", "タナカ"),
    ("伊藤", "イトウ"),
    ("渡辺", "ワタナベ"),
    ("山本", "ヤマモト"),
    ("中村", "ナカムラ"),
    ("小林", "コバヤシ"),
    ("加藤", "カトウ"),
    ("吉田", "ヨシダ"),
    ("山田", "ヤマダ"),
    ("佐々木", "ササキ"),
    ("松本", "マツモト"),
    ("井上", "イノウエ"),
    ("木村", "キムラ"),
    ("林", "ハヤシ"),
    ("清水", "シミズ"),
    ("森", "モリ"),
    ("池田", "イケダ"),
    ("橋本", "ハシモト"),
    ("北村", "キタムラ"),
    ("前田", "マエダ"),
    ("藤井", "フジイ"),
];

const GIVEN: [(&str, &str); 24] = [
    ("翔太", "ショウタ"),
    ("美咲", "ミサキ"),
    ("健一", "ケンイチ"),
    ("由美", "ユミ"),
    ("大輔", "ダイスケ"),
    ("彩", "アヤ"),
    ("拓也", "タクヤ"),
    ("恵", "メグミ"),
    ("誠", "マコト"),
    ("陽子", "ヨウコ"),
    ("隆", "タカシ"),
    ("真由美", "マユミ"),
    ("悠斗", "ユウト"),
    ("花子", "ハナコ"),
    ("浩二", "コウジ"),
    ("さくら", "サクラ"),
    ("和也", "カズヤ"),
    ("直子", "ナオコ"),
    ("亮", "リョウ"),
    ("千尋", "チヒロ"),
    ("修", "オサム"),
    ("結衣", "ユイ"),
    ("剛", "ツヨシ"),
    ("久美子", "クミコ"),
];

const GROUPS: [&str; 8] = [
    "北陸電機ボランティア部",
    "金沢学院大学ボランティアサークル",
    "石川県生協有志",
    "加賀建設労組",
    "野々市ライオンズクラブ",
    "白山青年会議所",
    "小松市社協ボランティア連絡会",
    "能美高校OB会",
];

const HOMES: [&str; 6] =
    ["石川県金沢市", "石川県野々市市", "石川県白山市", "富山県高岡市", "福井県福井市", "石川県小松市"];

/// The registration forms of one arrival, groups first (one form each, the
/// representative standing for the group), then individuals. `drill check`
/// bounds an arrival ([`limits::ARRIVAL_COUNT`]); the counts are capped here
/// too, so no file can make this allocate without limit.
pub fn forms(inject: u32, arrival: &Arrival, today: NaiveDate) -> Vec<RegistrationForm> {
    let cap = |n: i64| usize::try_from(n.clamp(0, *limits::ARRIVAL_COUNT.end())).unwrap_or(0);
    let mut forms = Vec::new();
    let mut n = 0usize;
    let mut next = |kind: VolunteerKind| {
        n += 1;
        person(inject, n, kind, today)
    };
    for g in 0..cap(i64::from(arrival.groups)) {
        let mut form = next(VolunteerKind::Group);
        form.group_name = Some(GROUPS[(inject as usize).wrapping_add(g) % GROUPS.len()].to_string());
        form.group_size = Some(i64::from(arrival.group_size));
        form.experience_count = Some(3);
        super::arrival_groups::dress(&mut form, g, arrival);
        forms.push(form);
    }
    let individuals = cap(arrival.individuals());
    let mut people: Vec<RegistrationForm> = (0..individuals).map(|_| next(VolunteerKind::Individual)).collect();
    // Spread the special ones through the queue rather than at its head.
    let spread = move |k: usize, count: u32| {
        let count = if individuals == 0 { 0 } else { cap(i64::from(count)) };
        (0..count).map(move |i| (i * 7 + k * 3) % individuals.max(1))
    };
    for i in spread(0, arrival.uninsured) {
        people[i].insurance = Some(Insurance::None);
    }
    for i in spread(1, arrival.minors) {
        let minor = &mut people[i];
        let birth = NaiveDate::from_ymd_opt(today.year() - 16, 5, 1).unwrap_or(today);
        minor.birth_date = birth.to_string();
        minor.guardian_consent = true;
        minor.guardian_name = Some(format!("{} 保護者", minor.name));
    }
    for i in spread(2, arrival.experienced) {
        people[i].experience_count = Some(5);
    }
    for (k, (skill, count)) in arrival.skills.iter().enumerate() {
        for i in spread(3 + k, *count) {
            people[i].skills.push(skill.clone());
        }
    }
    for (k, (vehicle, count)) in arrival.vehicles.iter().enumerate() {
        for i in spread(5 + k, *count) {
            people[i].vehicle = Some(vehicle.clone());
        }
    }
    forms.extend(people);
    forms
}

pub(super) fn person(inject: u32, n: usize, kind: VolunteerKind, today: NaiveDate) -> RegistrationForm {
    let seed = (inject as usize).wrapping_mul(7919).wrapping_add(n.wrapping_mul(104_729));
    let (family, family_kana) = FAMILY[seed % FAMILY.len()];
    let (given, given_kana) = GIVEN[(seed / FAMILY.len()) % GIVEN.len()];
    let age = 19 + (seed % 50) as i32;
    // Month 1–12 and day 1–28 always exist; `today` is within the checked years.
    let birth =
        NaiveDate::from_ymd_opt(today.year() - age, 1 + (seed % 12) as u32, 1 + (seed % 28) as u32).unwrap_or(today);
    RegistrationForm {
        name: format!("{family} {given}"),
        furigana: format!("{family_kana} {given_kana}"),
        birth_date: birth.to_string(),
        // 090-IIII-NNNN: unique per inject and person, so no two are twins.
        phone: format!("090-{:04}-{:04}", inject % 10_000, n % 10_000),
        address: HOMES[seed % HOMES.len()].to_string(),
        emergency_name: format!("{family} 家族"),
        emergency_phone: format!("080-{:04}-{:04}", inject % 10_000, n % 10_000),
        kind: Some(kind),
        insurance: Some(Insurance::Enrolled),
        experience_count: Some(0),
        preferred_dates: vec![today.to_string()],
        ..RegistrationForm::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_arrival_becomes_its_groups_and_individuals_with_their_traits() {
        let arrival: Arrival = toml::from_str(
            "count = 30\ngroups = 2\ngroup_size = 6\nuninsured = 3\nminors = 1\nvehicles = { \"軽トラ\" = 2 }",
        )
        .unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 7, 12).unwrap();
        let forms = forms(4, &arrival, today);
        assert_eq!(forms.len(), 2 + 18);
        assert_eq!(forms.iter().filter(|f| f.kind == Some(VolunteerKind::Group)).count(), 2);
        assert_eq!(forms.iter().filter(|f| f.insurance == Some(Insurance::None)).count(), 3);
        assert_eq!(forms.iter().filter(|f| f.vehicle.as_deref() == Some("軽トラ")).count(), 2);
        assert_eq!(forms.iter().filter(|f| f.guardian_consent).count(), 1);
        let phones: std::collections::HashSet<&str> = forms.iter().map(|f| f.phone.as_str()).collect();
        assert_eq!(phones.len(), forms.len(), "no twins");
        assert_eq!(forms[5].name, super::forms(4, &arrival, today)[5].name, "the same every run");
    }
}
