//! The ニーズ受付票 as the system holds it, and the words it is written in.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::db_text::db_text;
use crate::i18n::{Lang, catalogue::word};

/// Where a need is in its life. The allowed moves are in [`super::lifecycle`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 受付: written down, not yet looked at.
    Received,
    /// 調査中: somebody goes to look (現地調査).
    Surveying,
    /// 待機: ready, waiting for a team.
    Waiting,
    /// 活動中: a team is on site.
    Active,
    /// 継続: a team came back and more days are needed; back in the queue.
    Continuing,
    /// 完了: done.
    Done,
    /// 取消: cancelled (withdrawn, or a duplicate of another need).
    Cancelled,
}

db_text!(Status {
    Received => "received",
    Surveying => "surveying",
    Waiting => "waiting",
    Active => "active",
    Continuing => "continuing",
    Done => "done",
    Cancelled => "cancelled",
});

/// How the map colours a need, after field practice: 未対応 pink, 対応中 orange, 完了 blue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MapState {
    /// 未対応
    Pending,
    /// 対応中
    InProgress,
    /// 完了
    Done,
}

impl Status {
    pub const ALL: [Status; 7] = [
        Status::Received,
        Status::Surveying,
        Status::Waiting,
        Status::Active,
        Status::Continuing,
        Status::Done,
        Status::Cancelled,
    ];

    /// Still needs somebody: everything but 完了 and 取消.
    pub fn is_open(self) -> bool {
        !matches!(self, Status::Done | Status::Cancelled)
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            Status::Received => "受付",
            Status::Surveying => "調査中",
            Status::Waiting => "待機",
            Status::Active => "活動中",
            Status::Continuing => "継続",
            Status::Done => "完了",
            Status::Cancelled => "取消",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Status::Received => "received",
            Status::Surveying => "surveying",
            Status::Waiting => "waiting",
            Status::Active => "team on site",
            Status::Continuing => "continuing",
            Status::Done => "done",
            Status::Cancelled => "cancelled",
        }
    }

    /// None for 取消: a cancelled need is not on the map.
    pub fn map_state(self) -> Option<MapState> {
        match self {
            Status::Received | Status::Surveying | Status::Waiting | Status::Continuing => Some(MapState::Pending),
            Status::Active => Some(MapState::InProgress),
            Status::Done => Some(MapState::Done),
            Status::Cancelled => None,
        }
    }
}

impl MapState {
    /// The pin colour (CSS).
    pub fn colour(self) -> &'static str {
        match self {
            MapState::Pending => "#e64980",
            MapState::InProgress => "#f76707",
            MapState::Done => "#1c7ed6",
        }
    }
}

/// 受付方法
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(example = "counter")]
#[serde(rename_all = "snake_case")]
pub enum ReceivedVia {
    /// 電話
    #[serde(alias = "電話")]
    Phone,
    /// 窓口
    #[serde(alias = "窓口")]
    Counter,
    /// 訪問 (door-to-door outreach)
    #[serde(alias = "訪問")]
    Visit,
    /// ポスティング (a leaflet sent back)
    #[serde(alias = "ポスティング")]
    Posting,
}

db_text!(ReceivedVia { Phone => "phone", Counter => "counter", Visit => "visit", Posting => "posting" });

impl ReceivedVia {
    pub fn label_key(self) -> &'static str {
        match self {
            ReceivedVia::Phone => "label.need_received_via.phone",
            ReceivedVia::Counter => "label.need_received_via.counter",
            ReceivedVia::Visit => "label.need_received_via.visit",
            ReceivedVia::Posting => "label.need_received_via.posting",
        }
    }

    /// Its label in `lang`, from the catalogue (`label.need_received_via.*`).
    pub fn label(self, lang: Lang) -> Cow<'static, str> {
        word(lang, self.label_key())
    }

    /// The Japanese label: the official papers, the CSV export.
    pub fn label_ja(self) -> Cow<'static, str> {
        self.label(Lang::Ja)
    }
}

/// 作業内容
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// 泥出し
    #[serde(alias = "泥出し")]
    Mud,
    /// 家財搬出
    #[serde(alias = "家財搬出")]
    Belongings,
    /// 災害ごみ運搬
    #[serde(alias = "災害ごみ運搬")]
    Debris,
    /// 清掃
    #[serde(alias = "清掃")]
    Cleaning,
    /// 床下 (under-floor work)
    #[serde(alias = "床下")]
    UnderFloor,
    /// その他
    #[serde(alias = "その他")]
    Other,
}

db_text!(Category {
    Mud => "mud",
    Belongings => "belongings",
    Debris => "debris",
    Cleaning => "cleaning",
    UnderFloor => "under_floor",
    Other => "other",
});

impl Category {
    pub const ALL: [Category; 6] = [
        Category::Mud,
        Category::Belongings,
        Category::Debris,
        Category::Cleaning,
        Category::UnderFloor,
        Category::Other,
    ];

    pub fn label_key(self) -> &'static str {
        match self {
            Category::Mud => "label.need_category.mud",
            Category::Belongings => "label.need_category.belongings",
            Category::Debris => "label.need_category.debris",
            Category::Cleaning => "label.need_category.cleaning",
            Category::UnderFloor => "label.need_category.under_floor",
            Category::Other => "label.need_category.other",
        }
    }

    /// Its label in `lang`, from the catalogue (`label.need_category.*`).
    pub fn label(self, lang: Lang) -> Cow<'static, str> {
        word(lang, self.label_key())
    }

    /// The Japanese label: the official papers, the CSV export.
    pub fn label_ja(self) -> Cow<'static, str> {
        self.label(Lang::Ja)
    }
}

/// 被害状況
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Damage {
    /// 床上浸水
    #[serde(alias = "床上浸水")]
    AboveFloor,
    /// 床下浸水
    #[serde(alias = "床下浸水")]
    BelowFloor,
    /// 土砂流入
    #[serde(alias = "土砂流入")]
    Sediment,
    /// 一部破損
    #[serde(alias = "一部破損")]
    PartlyBroken,
    /// その他
    #[serde(alias = "その他")]
    Other,
}

impl Damage {
    pub fn label_key(self) -> &'static str {
        match self {
            Damage::AboveFloor => "label.need_damage.above_floor",
            Damage::BelowFloor => "label.need_damage.below_floor",
            Damage::Sediment => "label.need_damage.sediment",
            Damage::PartlyBroken => "label.need_damage.partly_broken",
            Damage::Other => "label.need_damage.other",
        }
    }

    /// Its label in `lang`, from the catalogue (`label.need_damage.*`).
    pub fn label(self, lang: Lang) -> Cow<'static, str> {
        word(lang, self.label_key())
    }

    /// The Japanese label: the official papers, the CSV export.
    pub fn label_ja(self) -> Cow<'static, str> {
        self.label(Lang::Ja)
    }
}

/// 駐車場
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Parking {
    Yes,
    No,
    Unknown,
}

db_text!(Parking { Yes => "yes", No => "no", Unknown => "unknown" });

impl Parking {
    pub fn label_key(self) -> &'static str {
        match self {
            Parking::Yes => "label.need_parking.yes",
            Parking::No => "label.need_parking.no",
            Parking::Unknown => "label.need_parking.unknown",
        }
    }

    /// Its label in `lang`, from the catalogue (`label.need_parking.*`).
    pub fn label(self, lang: Lang) -> Cow<'static, str> {
        word(lang, self.label_key())
    }

    /// The Japanese label: the official papers, the CSV export.
    pub fn label_ja(self) -> Cow<'static, str> {
        self.label(Lang::Ja)
    }
}

/// How the zone was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ZoneSource {
    /// The map pin is inside the zone.
    Pin,
    /// The 町丁目 is in the town→zone table.
    Address,
    /// The coordinator chose it.
    Chosen,
}

db_text!(ZoneSource { Pin => "pin", Address => "address", Chosen => "chosen" });

/// 現地調査: what the person who went to look found.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Survey {
    /// 調査者
    pub surveyor: String,
    /// RFC 3339; the server's time when not given.
    #[serde(default)]
    pub surveyed_at: String,
    /// 調査結果: the work as seen on site.
    pub findings: String,
    /// 危険箇所 (broken floor, live wires, asbestos …)
    #[serde(default)]
    pub hazards: String,
}

/// `N-0045`
pub fn need_no(number: i64) -> String {
    format!("N-{number:04}")
}

/// `N-0045`, `n45`, `45` → 45.
pub fn parse_need_no(text: &str) -> Option<i64> {
    let folded = crate::fields::scan_code(text);
    let digits = folded.strip_prefix('N').map(|d| d.trim_start_matches('-')).unwrap_or(&folded);
    digits.parse().ok().filter(|n| *n > 0)
}

/// A need card, everything on it: for coordinators and admins only.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Need {
    pub id: i64,
    /// `N-0001`
    pub need_no: String,
    pub status: Status,
    pub version: i64,
    pub received_via: ReceivedVia,
    pub received_at: String,
    /// 依頼者氏名 (personal data)
    pub requester_name: String,
    /// フリガナ (personal data)
    pub requester_furigana: String,
    /// 電話番号 (personal data)
    pub phone: String,
    /// 住所 (personal data)
    pub address: String,
    /// 町丁目
    pub town: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// None: zone unknown.
    pub zone: Option<String>,
    pub zone_source: Option<ZoneSource>,
    /// 高齢者のみ世帯
    pub elderly_only: bool,
    /// 要配慮者
    pub needs_care: bool,
    pub household_notes: String,
    pub damage: Vec<Damage>,
    pub categories: Vec<Category>,
    pub people_needed: i64,
    pub days_estimated: i64,
    /// 希望資機材
    pub equipment: Vec<String>,
    pub parking: Parking,
    pub photos_allowed: bool,
    /// 1 urgent – 3 normal
    pub priority: i64,
    pub notes: String,
    pub survey: Option<Survey>,
    /// Set when it was cancelled as a duplicate: the need it repeats.
    pub duplicate_of: Option<String>,
    /// Why it was last cancelled or reopened.
    pub status_reason: String,
    pub updated_at: String,
    /// Where it may move next (ordinary moves).
    pub moves: Vec<Status>,
    /// Where it may go if reopened (closed needs only).
    pub reopen_to: Vec<Status>,
}

/// A need without anything personal: what reception, trainers and boards see.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct NeedSummary {
    pub id: i64,
    pub need_no: String,
    pub status: Status,
    pub version: i64,
    pub received_at: String,
    pub zone: Option<String>,
    pub categories: Vec<Category>,
    pub people_needed: i64,
    pub days_estimated: i64,
    pub priority: i64,
    pub needs_care: bool,
}

impl From<&Need> for NeedSummary {
    fn from(n: &Need) -> NeedSummary {
        NeedSummary {
            id: n.id,
            need_no: n.need_no.clone(),
            status: n.status,
            version: n.version,
            received_at: n.received_at.clone(),
            zone: n.zone.clone(),
            categories: n.categories.clone(),
            people_needed: n.people_needed,
            days_estimated: n.days_estimated,
            priority: n.priority,
            needs_care: n.needs_care,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn need_numbers_are_read_the_ways_people_write_them() {
        assert_eq!(need_no(45), "N-0045");
        for written in ["N-0045", "n45", "45", "Ｎ－００４５"] {
            assert_eq!(parse_need_no(written), Some(45), "{written}");
        }
        assert_eq!(parse_need_no("V-0045"), None);
        assert_eq!(parse_need_no("N-0"), None);
    }

    /// The papers print these labels: the catalogue's Japanese is, byte for
    /// byte, what the code held before the labels moved there.
    #[test]
    fn the_catalogue_gives_the_papers_labels_unchanged_and_english_for_each() {
        fn printed<const N: usize>(labels: [Cow<'static, str>; N], before: [&str; N]) {
            assert_eq!(labels.map(Cow::into_owned), before.map(str::to_string));
        }
        let categories = Category::ALL;
        printed(categories.map(Category::label_ja), ["泥出し", "家財搬出", "災害ごみ運搬", "清掃", "床下", "その他"]);
        let damage = [Damage::AboveFloor, Damage::BelowFloor, Damage::Sediment, Damage::PartlyBroken, Damage::Other];
        printed(damage.map(Damage::label_ja), ["床上浸水", "床下浸水", "土砂流入", "一部破損", "その他"]);
        let parking = [Parking::Yes, Parking::No, Parking::Unknown];
        printed(parking.map(Parking::label_ja), ["あり", "なし", "未確認"]);
        let via = [ReceivedVia::Phone, ReceivedVia::Counter, ReceivedVia::Visit, ReceivedVia::Posting];
        printed(via.map(ReceivedVia::label_ja), ["電話", "窓口", "訪問", "ポスティング"]);

        // Every key is in the catalogue, and English says something of its own.
        let keys = categories
            .map(Category::label_key)
            .into_iter()
            .chain(damage.map(Damage::label_key))
            .chain(parking.map(Parking::label_key))
            .chain(via.map(ReceivedVia::label_key));
        for key in keys {
            let english = word(Lang::En, key);
            assert!(english != key && !english.is_empty(), "{key} has English");
            assert!(english.is_ascii(), "{key}: {english}");
        }
    }

    #[test]
    fn only_cancelled_needs_leave_the_map() {
        assert_eq!(Status::Waiting.map_state(), Some(MapState::Pending));
        assert_eq!(Status::Active.map_state(), Some(MapState::InProgress));
        assert_eq!(Status::Done.map_state(), Some(MapState::Done));
        assert_eq!(Status::Cancelled.map_state(), None);
        assert_eq!(Status::ALL.iter().filter(|s| s.is_open()).count(), 5);
    }
}
