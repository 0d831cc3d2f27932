//! The command-line edge of the settings: `serve --center-name …` or
//! `BORASEN_CENTER_NAME=…` give a new center its first settings. Once the
//! settings are stored (the first start, or a change on the page) the stored
//! ones win and these are ignored. The WBGT bands are set on the page.

use clap::Args;

use super::CenterSettings;

#[derive(Args, Clone, Debug, Default)]
pub struct FirstSettingsArgs {
    /// センター名（初回起動時の設定）/ the center's name (first start)
    #[arg(long, env = "BORASEN_CENTER_NAME")]
    center_name: Option<String>,
    /// 本部の電話番号 / the headquarters' phone, printed on dispatch sheets
    #[arg(long, env = "BORASEN_CENTER_PHONE")]
    center_phone: Option<String>,
    /// センターの住所 / the center's address
    #[arg(long, env = "BORASEN_CENTER_ADDRESS")]
    center_address: Option<String>,
    /// センターの緯度（日没の計算）/ the center's latitude, for sunset
    #[arg(long, env = "BORASEN_CENTER_LAT", allow_negative_numbers = true)]
    center_lat: Option<f64>,
    /// センターの経度 / the center's longitude
    #[arg(long, env = "BORASEN_CENTER_LON", allow_negative_numbers = true)]
    center_lon: Option<f64>,
    /// 活動証明書の発行者 / who issues activity certificates
    #[arg(long, env = "BORASEN_ISSUER")]
    issuer: Option<String>,
    /// 発行者の代表者 / the issuer's representative
    #[arg(long, env = "BORASEN_REPRESENTATIVE")]
    representative: Option<String>,
    /// 受付開始（HH:MM）/ reception opens
    #[arg(long, env = "BORASEN_RECEPTION_OPENS")]
    reception_opens: Option<String>,
    /// 受付終了（HH:MM）/ reception closes
    #[arg(long, env = "BORASEN_RECEPTION_CLOSES")]
    reception_closes: Option<String>,
    /// 最終送り出し（HH:MM）/ last dispatch of the day
    #[arg(long, env = "BORASEN_LAST_DISPATCH")]
    last_dispatch: Option<String>,
    /// 帰着期限：出発から何分以内 / teams are back within this many minutes
    #[arg(long, env = "BORASEN_RETURN_WITHIN_MINUTES")]
    return_within_minutes: Option<u32>,
    /// 帰着期限：この時刻まで（HH:MM、空で無効）/ and by this time of day (empty: none)
    #[arg(long, env = "BORASEN_RETURN_BY")]
    return_by: Option<String>,
    /// 最終帰着（HH:MM）/ no deadline later than this
    #[arg(long, env = "BORASEN_LAST_RETURN")]
    last_return: Option<String>,
    /// 帰着時刻までの最低時間（分）/ least minutes the fixed time must leave
    #[arg(long, env = "BORASEN_RETURN_BY_GRACE_MINUTES")]
    return_by_grace_minutes: Option<u32>,
    /// 日没前の余裕（分）/ minutes before sunset that deadlines end
    #[arg(long, env = "BORASEN_SUNSET_MARGIN_MINUTES")]
    sunset_margin_minutes: Option<u32>,
    /// 最低活動時間（分）/ minimum working time before an override is needed
    #[arg(long, env = "BORASEN_MIN_WORKING_MINUTES")]
    min_working_minutes: Option<u32>,
    /// 登録できる最低年齢 / minimum age to register
    #[arg(long, env = "BORASEN_MINIMUM_AGE")]
    minimum_age: Option<u32>,
    /// 重作業とする作業（カンマ区切り：under_floor,belongings,debris）/ heavy-work categories
    #[arg(long, env = "BORASEN_HEAVY_WORK", value_delimiter = ',')]
    heavy_work: Option<Vec<String>>,
}

impl FirstSettingsArgs {
    /// The defaults with what was given laid over them; checked at start.
    pub fn settings(self) -> CenterSettings {
        let mut s = CenterSettings::default();
        macro_rules! given {
            ($($field:ident),*) => { $(if let Some(value) = self.$field { s.$field = value; })* };
        }
        given!(
            center_name,
            center_phone,
            center_address,
            issuer,
            representative,
            reception_opens,
            reception_closes,
            last_dispatch,
            return_within_minutes,
            return_by,
            last_return,
            return_by_grace_minutes,
            sunset_margin_minutes,
            min_working_minutes,
            minimum_age,
            heavy_work
        );
        s.center_lat = self.center_lat.or(s.center_lat);
        s.center_lon = self.center_lon.or(s.center_lon);
        s
    }
}
