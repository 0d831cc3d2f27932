//! `needs.csv`: every need card for the council's records and Excel. UTF-8
//! with a BOM; the first column and the file name say it holds personal data.

use super::model::Need;
use chrono::{DateTime, FixedOffset};

use crate::csv_cells::{personal_file_name, personal_header, personal_row};

const HEADER: [&str; 30] = [
    "番号",
    "状態",
    "受付方法",
    "受付日時",
    "依頼者氏名",
    "フリガナ",
    "電話番号",
    "住所",
    "町丁目",
    "緯度",
    "経度",
    "地区",
    "高齢者のみ",
    "要配慮者",
    "世帯の状況",
    "被害状況",
    "作業内容",
    "必要人数",
    "見込み日数",
    "希望資機材",
    "駐車場",
    "写真撮影",
    "優先度",
    "備考",
    "調査者",
    "調査結果",
    "危険箇所",
    "重複先",
    "状態の理由",
    "更新日時",
];

/// `個人情報_ニーズ票_20261130-1002.csv`
pub fn file_name(exported_at: DateTime<FixedOffset>) -> String {
    personal_file_name(&format!("ニーズ票_{}", exported_at.format("%Y%m%d-%H%M")))
}

pub fn csv(needs: &[Need]) -> Vec<u8> {
    let mut out = Vec::from("\u{FEFF}".as_bytes());
    {
        let mut csv = csv::Writer::from_writer(&mut out);
        csv.write_record(personal_header(&HEADER)).expect("in-memory write");
        let yes_no = |b: bool| if b { "○" } else { "" }.to_string();
        for n in needs {
            let survey = n.survey.clone().unwrap_or_default();
            let record = [
                n.need_no.clone(),
                n.status.label_ja().to_string(),
                n.received_via.label_ja().to_string(),
                n.received_at.clone(),
                n.requester_name.clone(),
                n.requester_furigana.clone(),
                n.phone.clone(),
                n.address.clone(),
                n.town.clone(),
                n.lat.map(|v| format!("{v:.6}")).unwrap_or_default(),
                n.lon.map(|v| format!("{v:.6}")).unwrap_or_default(),
                n.zone.clone().unwrap_or_else(|| "地区不明".into()),
                yes_no(n.elderly_only),
                yes_no(n.needs_care),
                n.household_notes.clone(),
                n.damage.iter().map(|d| d.label_ja()).collect::<Vec<_>>().join("、"),
                n.categories.iter().map(|c| c.label_ja()).collect::<Vec<_>>().join("、"),
                n.people_needed.to_string(),
                n.days_estimated.to_string(),
                n.equipment.join("、"),
                n.parking.label_ja().to_string(),
                if n.photos_allowed { "可" } else { "不可" }.to_string(),
                n.priority.to_string(),
                n.notes.clone(),
                survey.surveyor,
                survey.findings,
                survey.hazards,
                n.duplicate_of.clone().unwrap_or_default(),
                n.status_reason.clone(),
                n.updated_at.clone(),
            ];
            csv.write_record(personal_row(&record)).expect("in-memory write");
        }
        csv.flush().expect("in-memory write");
    }
    out
}
