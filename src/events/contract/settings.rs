//! The center's settings (設定). The whole document travels in each change, so
//! the log alone tells what the center ran with at any time. Settings hold no
//! personal data: the phone and address are the center's own.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Every setting of the center. Times of day are `HH:MM` (the center's time
/// zone); the settings domain checks every field before it is stored. Fields
/// are added with a default, so an older document still reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, utoipa::ToSchema)]
#[serde(default)]
pub struct CenterSettings {
    /// The center's name, on sheets, certificates and the lobby.
    pub center_name: String,
    /// The headquarters' phone, printed on dispatch sheets (異変時は本部へ電話).
    pub center_phone: String,
    /// The center's address.
    pub center_address: String,
    /// Where the center is, for sunset (both or neither).
    pub center_lat: Option<f64>,
    pub center_lon: Option<f64>,
    /// Who certifies activity (活動証明書): the council.
    pub issuer: String,
    /// The issuer's representative (会長 …); empty: left out.
    pub representative: String,
    /// 受付開始: reception opens.
    pub reception_opens: String,
    /// 受付終了: the lobby says so from then; the desk warns and still checks in.
    pub reception_closes: String,
    /// No team is sent after this time of day.
    pub last_dispatch: String,
    /// A team is due back within this many minutes of leaving…
    pub return_within_minutes: u32,
    /// …and by this time of day when that comes first (empty: no fixed time).
    pub return_by: String,
    /// …unless that leaves less than this many minutes (a late team keeps `return_within`).
    pub return_by_grace_minutes: u32,
    /// No deadline passes this time of day (最終帰着; empty: sunset alone decides).
    pub last_return: String,
    /// Deadlines end before sunset (less the margin). Off only where all work is
    /// under lights (indoor work at a shelter, a test bench).
    pub end_before_sunset: bool,
    /// Deadlines end this many minutes before sunset.
    pub sunset_margin_minutes: u32,
    /// A dispatch whose deadline leaves less than this needs a coordinator's override.
    pub min_working_minutes: u32,
    /// A team back from work rests this many minutes before it is sent again
    /// (longer where the WBGT band in force rests longer).
    pub rest_after_return_minutes: u32,
    /// 暑さ指数 (WBGT) bands, lowest first: each from its `from` reading up to the next.
    pub heat_bands: Vec<HeatBand>,
    /// Registration is refused under this age (中学生以上: 13).
    pub minimum_age: u32,
    /// Need categories that are heavy work: a minor on such a team is warned about.
    pub heavy_work: Vec<String>,
    /// A volunteer who booked another day at the hub (or whose booking was
    /// cancelled) may still be checked in today as a walk-in (当日受付).
    pub booked_other_day_walk_in: bool,
}

/// One WBGT band (環境省の暑さ指数の目安).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, utoipa::ToSchema)]
#[serde(default)]
pub struct HeatBand {
    /// The band starts at this reading (°C, WBGT).
    pub from: f64,
    /// Its name: 警戒, 厳重警戒, 危険.
    pub name: String,
    /// The rest cycle: minutes of work…
    pub work_minutes: u32,
    /// …then minutes of rest.
    pub rest_minutes: u32,
    /// The longest a team may be out in this band.
    pub max_out_minutes: u32,
    /// At this band the coordinator is asked to suspend activities (活動中止).
    pub suspend_prompt: bool,
}

impl Default for HeatBand {
    fn default() -> HeatBand {
        HeatBand {
            from: 0.0,
            name: String::new(),
            work_minutes: 0,
            rest_minutes: 0,
            max_out_minutes: 0,
            suspend_prompt: false,
        }
    }
}

impl Default for CenterSettings {
    /// A center that has not been set up: the defaults a 社協 would start from.
    fn default() -> CenterSettings {
        let band = |from, name: &str, work, rest, max_out, suspend_prompt| HeatBand {
            from,
            name: name.to_string(),
            work_minutes: work,
            rest_minutes: rest,
            max_out_minutes: max_out,
            suspend_prompt,
        };
        CenterSettings {
            center_name: "災害ボランティアセンター".into(),
            center_phone: String::new(),
            center_address: String::new(),
            center_lat: None,
            center_lon: None,
            issuer: "社会福祉協議会".into(),
            representative: String::new(),
            reception_opens: "09:00".into(),
            reception_closes: "15:00".into(),
            last_dispatch: "14:00".into(),
            return_within_minutes: 180,
            return_by: "15:00".into(),
            return_by_grace_minutes: 30,
            last_return: "18:00".into(),
            end_before_sunset: true,
            sunset_margin_minutes: 30,
            min_working_minutes: 60,
            rest_after_return_minutes: 30,
            heat_bands: vec![
                band(25.0, "警戒", 30, 10, 180, false),
                band(28.0, "厳重警戒", 20, 10, 120, false),
                band(31.0, "危険", 15, 15, 60, true),
            ],
            minimum_age: 13,
            heavy_work: vec!["belongings".into(), "debris".into(), "under_floor".into()],
            booked_other_day_walk_in: true,
        }
    }
}

event! {
    /// The settings changed (subject `settings`): which fields, and the whole
    /// document as it now stands.
    #[kind = "settings.changed"]
    pub struct SettingsChanged {
        /// The settings' version after the change (1 for the first).
        pub version: i64,
        /// The fields that changed.
        pub changed: Vec<String>,
        pub settings: CenterSettings,
    }
}
