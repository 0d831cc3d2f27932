//! `volunteers.csv`: the day's volunteers for the council's records and Excel.
//! UTF-8 with a BOM (Excel reads Japanese correctly only then); the first
//! column and the file name say it holds personal data.

use chrono::NaiveDate;
use sqlx::SqlitePool;

use super::model::{DayInsurance, Gender, VolunteerKind};
use super::store::{SELECT_VOLUNTEER, VolunteerRow};
use crate::csv_cells::{personal_file_name, personal_header, personal_row};

const HEADER: [&str; 24] = [
    "番号",
    "氏名",
    "フリガナ",
    "生年月日",
    "年齢",
    "性別",
    "電話番号",
    "メール",
    "住所",
    "緊急連絡先氏名",
    "緊急連絡先電話",
    "区分",
    "団体名",
    "人数",
    "資格・特技",
    "車両",
    "保険",
    "保険プラン",
    "保険料（円）",
    "受付時刻",
    "退所時刻",
    "活動時間（分）",
    "活動回数",
    "登録経路",
];

/// `個人情報_ボランティア_2026-11-30.csv`
pub fn file_name(day: NaiveDate) -> String {
    personal_file_name(&format!("ボランティア_{day}"))
}

/// The volunteers checked in on `day`, in check-in order.
pub async fn day_csv(pool: &SqlitePool, day: NaiveDate) -> Result<Vec<u8>, sqlx::Error> {
    let sql = format!("{SELECT_VOLUNTEER} WHERE c.id IS NOT NULL ORDER BY c.checked_in_at, v.number");
    let rows: Vec<VolunteerRow> =
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(day.to_string()).fetch_all(pool).await?;
    let mut out = Vec::from("\u{FEFF}".as_bytes());
    {
        let mut csv = csv::Writer::from_writer(&mut out);
        csv.write_record(personal_header(&HEADER)).expect("in-memory write");
        for row in rows {
            let v = row.into_volunteer(day);
            let c = v.today.as_ref().expect("filtered to checked-in");
            let record = [
                v.volunteer_no.clone(),
                v.name.clone(),
                v.furigana.clone(),
                v.birth_date.clone(),
                v.age.to_string(),
                v.gender
                    .map_or("", |g| match g {
                        Gender::Female => "女性",
                        Gender::Male => "男性",
                        Gender::Other => "その他",
                    })
                    .to_string(),
                v.phone.clone(),
                v.email.clone().unwrap_or_default(),
                v.address.clone(),
                v.emergency_name.clone(),
                v.emergency_phone.clone(),
                match v.kind {
                    VolunteerKind::Individual => "個人",
                    VolunteerKind::Group => "団体",
                }
                .to_string(),
                v.group_name.clone().unwrap_or_default(),
                c.headcount.to_string(),
                v.skills.join("、"),
                v.vehicle.clone().unwrap_or_default(),
                DayInsurance::label_ja(c.insurance).to_string(),
                c.insurance_plan.clone().unwrap_or_default(),
                c.insurance_fee_yen.map(|f| f.to_string()).unwrap_or_default(),
                time_of(&c.checked_in_at),
                c.checked_out_at.as_deref().map(time_of).unwrap_or_default(),
                c.minutes.map(|m| m.to_string()).unwrap_or_default(),
                v.experience_count.to_string(),
                match v.source {
                    super::model::Source::PreRegistration => "事前登録",
                    super::model::Source::WalkIn => "当日受付",
                }
                .to_string(),
            ];
            csv.write_record(personal_row(&record)).expect("in-memory write");
        }
        csv.flush().expect("in-memory write");
    }
    Ok(out)
}

fn time_of(stamp: &str) -> String {
    stamp.get(11..16).unwrap_or(stamp).to_string()
}
