//! The need card (ニーズ受付票) as sent, and its validation into a
//! [`NeedCard`]. Every fault is a 422 naming its field.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use super::model::{Category, Damage, Need, Parking, ReceivedVia};
use crate::error::AppError;
use crate::fields::{clean_line, invalid, optional, optional_text, phone_number, required};
use crate::reception::normalize::{is_katakana, katakana};
use crate::zones::address;

/// ニーズ受付票 / a need card. `required` lists what the server needs; a
/// missing field is refused like an empty one, 422 naming it (so the type
/// gives every field a default).
#[derive(Debug, Default, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NeedForm {
    /// 受付方法: `phone` 電話, `counter` 窓口, `visit` 訪問, `posting` ポスティング
    #[schema(required = true, value_type = ReceivedVia)]
    pub received_via: Option<ReceivedVia>,
    /// When the household asked (RFC 3339), for cards written on paper first; default now.
    pub received_at: Option<String>,
    /// 依頼者氏名
    #[schema(required = true, example = "佐藤 一郎")]
    pub requester_name: String,
    /// フリガナ (katakana; hiragana is accepted and converted)
    pub requester_furigana: String,
    /// 電話番号 (required for requests by phone)
    pub phone: String,
    /// 住所, free text as told
    #[schema(required = true, example = "宮城県石巻市中央1-2-3")]
    pub address: String,
    /// 町丁目
    pub town: String,
    /// Map pin (both or neither).
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// A zone chosen by name; otherwise found from the pin or the address.
    pub zone: Option<String>,
    /// 高齢者のみ世帯
    pub elderly_only: bool,
    /// 要配慮者
    pub needs_care: bool,
    /// 世帯の状況
    pub household_notes: String,
    /// 被害状況
    pub damage: Vec<Damage>,
    /// 作業内容, at least one
    #[schema(required = true, min_items = 1)]
    pub categories: Vec<Category>,
    /// 必要人数
    #[schema(required = true, value_type = i64, minimum = 1, maximum = 200, example = 3)]
    pub people_needed: Option<i64>,
    /// 見込み日数 (default 1)
    pub days_estimated: Option<i64>,
    /// 希望資機材
    pub equipment: Vec<String>,
    /// 駐車場: `yes`, `no`, `unknown` (default)
    pub parking: Option<Parking>,
    /// 写真撮影の可否
    pub photos_allowed: bool,
    /// 優先度 1 (urgent) – 3 (normal, default)
    pub priority: Option<i64>,
    /// 備考
    pub notes: String,
    /// Intake only: save although likely duplicates were shown.
    #[serde(skip_serializing_if = "crate::openapi::never")]
    #[schema(write_only)]
    pub force_new: bool,
    /// Intake only: this call repeats that need (`N-0012`): saved as 取消, linked to it.
    #[serde(skip_serializing_if = "crate::openapi::never")]
    #[schema(write_only)]
    pub duplicate_of: Option<String>,
    /// Drills only: the call slip (inject number) this card was written from.
    #[serde(skip_serializing_if = "crate::openapi::never")]
    #[schema(write_only)]
    pub drill_call: Option<u32>,
}

/// A checked need card, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NeedCard {
    pub received_via: ReceivedVia,
    pub received_at: DateTime<FixedOffset>,
    pub requester_name: String,
    pub requester_furigana: String,
    pub phone: String,
    pub phone_key: String,
    pub address: String,
    pub address_key: String,
    pub town: String,
    pub pin: Option<(f64, f64)>,
    pub zone: Option<String>,
    pub elderly_only: bool,
    pub needs_care: bool,
    pub household_notes: String,
    pub damage: Vec<Damage>,
    pub categories: Vec<Category>,
    pub people_needed: i64,
    pub days_estimated: i64,
    pub equipment: Vec<String>,
    pub parking: Parking,
    pub photos_allowed: bool,
    pub priority: i64,
    pub notes: String,
}

impl NeedCard {
    /// (lat, lon)
    pub fn lat(&self) -> Option<f64> {
        self.pin.map(|p| p.0)
    }

    pub fn lon(&self) -> Option<f64> {
        self.pin.map(|p| p.1)
    }
}

/// Checks every field; `now` is the center's time.
pub fn validate(form: NeedForm, now: DateTime<FixedOffset>) -> Result<NeedCard, AppError> {
    let received_via = form.received_via.ok_or_else(|| {
        invalid(
            "received_via",
            "受付方法を選んでください。",
            "received_via is required: phone, counter, visit or posting.",
        )
    })?;
    let received_at = match form.received_at.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        None => now,
        Some(text) => DateTime::parse_from_rfc3339(text)
            .ok()
            .filter(|t| *t <= now + chrono::Duration::minutes(5))
            .map(|t| t.with_timezone(&now.timezone()))
            .ok_or_else(|| {
                invalid(
                    "received_at",
                    "受付日時は 2026-07-12T09:30:00+09:00 の形で、未来でない日時を入力してください。",
                    "received_at is an RFC 3339 time, not in the future.",
                )
            })?,
    };
    let requester_name = required("requester_name", &form.requester_name, "依頼者の氏名", 50)?;
    let requester_furigana = katakana(&clean_line("requester_furigana", "フリガナ", &form.requester_furigana)?);
    if !requester_furigana.is_empty() && !is_katakana(&requester_furigana) {
        return Err(invalid(
            "requester_furigana",
            "フリガナはカタカナで入力してください。",
            "requester_furigana must be katakana.",
        ));
    }
    if requester_furigana.chars().count() > 50 {
        return Err(invalid(
            "requester_furigana",
            "フリガナは50文字以内で入力してください。",
            "requester_furigana has at most 50 characters.",
        ));
    }
    let (phone, phone_key) = if form.phone.trim().is_empty() && received_via != ReceivedVia::Phone {
        (String::new(), String::new())
    } else {
        phone_number("phone", &form.phone, "電話番号")?
    };
    let address = required("address", &form.address, "住所", 200)?;
    let town = optional("town", Some(&form.town), "町丁目", 50)?.unwrap_or_default();
    let pin = match (form.lat, form.lon) {
        (None, None) => None,
        (Some(lat), Some(lon)) if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) => Some((lat, lon)),
        (Some(_), Some(_)) => {
            return Err(invalid("lat", "地図上の位置が範囲外です。", "lat/lon are out of range."));
        }
        (Some(_), None) => return Err(invalid("lon", "経度がありません。", "lon is missing (lat was given).")),
        (None, Some(_)) => return Err(invalid("lat", "緯度がありません。", "lat is missing (lon was given).")),
    };
    let zone = optional("zone", form.zone.as_deref(), "地区", 100)?;
    let household_notes =
        optional_text("household_notes", Some(&form.household_notes), "世帯の状況", 500)?.unwrap_or_default();
    let mut damage = Vec::new();
    for d in form.damage {
        if !damage.contains(&d) {
            damage.push(d);
        }
    }
    let mut categories = Vec::new();
    for c in form.categories {
        if !categories.contains(&c) {
            categories.push(c);
        }
    }
    if categories.is_empty() {
        return Err(invalid("categories", "作業内容を1つ以上選んでください。", "Choose at least one work category."));
    }
    let people_needed = form
        .people_needed
        .ok_or_else(|| invalid("people_needed", "必要人数を入力してください。", "people_needed is required."))?;
    if !(1..=200).contains(&people_needed) {
        return Err(invalid("people_needed", "必要人数は1〜200人です。", "people_needed is 1–200."));
    }
    let days_estimated = form.days_estimated.unwrap_or(1);
    if !(1..=60).contains(&days_estimated) {
        return Err(invalid("days_estimated", "見込み日数は1〜60日です。", "days_estimated is 1–60."));
    }
    let equipment = form
        .equipment
        .iter()
        .map(|e| clean_line("equipment", "希望資機材", e))
        .filter(|e| e.as_ref().is_ok_and(|e| !e.is_empty()) || e.is_err())
        .collect::<Result<Vec<String>, _>>()?;
    if equipment.len() > 30 || equipment.iter().any(|e| e.chars().count() > 50) {
        return Err(invalid(
            "equipment",
            "希望資機材は50文字以内で30件までです。",
            "At most 30 items of 50 characters.",
        ));
    }
    let priority = form.priority.unwrap_or(3);
    if !(1..=3).contains(&priority) {
        return Err(invalid("priority", "優先度は1（緊急）〜3（通常）です。", "priority is 1 (urgent) to 3 (normal)."));
    }
    let notes = optional_text("notes", Some(&form.notes), "備考", 2000)?.unwrap_or_default();
    Ok(NeedCard {
        received_via,
        received_at,
        requester_name,
        requester_furigana,
        phone,
        phone_key,
        address_key: address::normalize(&address),
        address,
        town,
        pin,
        zone,
        elderly_only: form.elderly_only,
        needs_care: form.needs_care,
        household_notes,
        damage,
        categories,
        people_needed,
        days_estimated,
        equipment,
        parking: form.parking.unwrap_or(Parking::Unknown),
        photos_allowed: form.photos_allowed,
        priority,
        notes,
    })
}

impl NeedForm {
    /// The form a stored need would have been sent as: what an edit starts from.
    pub fn from_need(need: &Need) -> NeedForm {
        NeedForm {
            received_via: Some(need.received_via),
            received_at: Some(need.received_at.clone()),
            requester_name: need.requester_name.clone(),
            requester_furigana: need.requester_furigana.clone(),
            phone: need.phone.clone(),
            address: need.address.clone(),
            town: need.town.clone(),
            lat: need.lat,
            lon: need.lon,
            zone: need.zone.clone(),
            elderly_only: need.elderly_only,
            needs_care: need.needs_care,
            household_notes: need.household_notes.clone(),
            damage: need.damage.clone(),
            categories: need.categories.clone(),
            people_needed: Some(need.people_needed),
            days_estimated: Some(need.days_estimated),
            equipment: need.equipment.clone(),
            parking: Some(need.parking),
            photos_allowed: need.photos_allowed,
            priority: Some(need.priority),
            notes: need.notes.clone(),
            force_new: false,
            duplicate_of: None,
            drill_call: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2026-07-12T10:00:00+09:00").unwrap()
    }

    fn good() -> NeedForm {
        NeedForm {
            received_via: Some(ReceivedVia::Phone),
            requester_name: "山田 花子".into(),
            requester_furigana: "やまだ はなこ".into(),
            phone: "０７６−２２０−２１１１".into(),
            address: "金沢市広坂１丁目２番３号".into(),
            categories: vec![Category::Mud, Category::Mud, Category::Belongings],
            people_needed: Some(5),
            ..NeedForm::default()
        }
    }

    fn field_of(form: NeedForm) -> String {
        validate(form, now()).unwrap_err().field.unwrap_or_default()
    }

    #[test]
    fn a_good_card_is_normalised() {
        let card = validate(good(), now()).unwrap();
        assert_eq!(card.requester_furigana, "ヤマダ ハナコ");
        assert_eq!(card.phone_key, "0762202111");
        assert_eq!(card.address_key, "金沢市広坂1-2-3");
        assert_eq!(card.categories, [Category::Mud, Category::Belongings]);
        assert_eq!((card.priority, card.days_estimated, card.parking), (3, 1, Parking::Unknown));
        assert_eq!(card.received_at, now());
    }

    #[test]
    fn each_fault_names_its_field() {
        assert_eq!(field_of(NeedForm { received_via: None, ..good() }), "received_via");
        assert_eq!(field_of(NeedForm { requester_name: " ".into(), ..good() }), "requester_name");
        assert_eq!(field_of(NeedForm { requester_furigana: "Yamada".into(), ..good() }), "requester_furigana");
        assert_eq!(field_of(NeedForm { phone: "".into(), ..good() }), "phone");
        assert_eq!(field_of(NeedForm { phone: "12".into(), ..good() }), "phone");
        assert_eq!(field_of(NeedForm { address: "".into(), ..good() }), "address");
        assert_eq!(field_of(NeedForm { lat: Some(36.5), ..good() }), "lon");
        assert_eq!(field_of(NeedForm { lat: Some(136.5), lon: Some(36.5), ..good() }), "lat");
        assert_eq!(field_of(NeedForm { categories: vec![], ..good() }), "categories");
        assert_eq!(field_of(NeedForm { people_needed: None, ..good() }), "people_needed");
        assert_eq!(field_of(NeedForm { people_needed: Some(0), ..good() }), "people_needed");
        assert_eq!(field_of(NeedForm { days_estimated: Some(0), ..good() }), "days_estimated");
        assert_eq!(field_of(NeedForm { priority: Some(4), ..good() }), "priority");
        assert_eq!(field_of(NeedForm { received_at: Some("昨日".into()), ..good() }), "received_at");
        assert_eq!(
            field_of(NeedForm { received_at: Some("2026-07-13T10:00:00+09:00".into()), ..good() }),
            "received_at"
        );
    }

    #[test]
    fn a_visit_may_have_no_phone() {
        let card =
            validate(NeedForm { received_via: Some(ReceivedVia::Visit), phone: "".into(), ..good() }, now()).unwrap();
        assert_eq!(card.phone_key, "");
    }
}
