//! Every setting checked before it is stored, each refusal naming its field.

use chrono::NaiveTime;

use super::model::time_of_day;
use crate::error::AppError;
use crate::events::contract::settings::{CenterSettings, HeatBand};
use crate::fields::{invalid, optional, phone_number, required};

/// Known need categories (their API names), for `heavy_work`.
const CATEGORIES: [&str; 6] = ["mud", "belongings", "debris", "cleaning", "under_floor", "other"];
const MAX_HEAT_BANDS: usize = 6;

/// The document cleaned (text normalised, categories in a stable order), or
/// the first thing wrong with it.
pub fn validate(doc: CenterSettings) -> Result<CenterSettings, AppError> {
    let center_phone = match doc.center_phone.trim() {
        "" => String::new(),
        phone => phone_number("center_phone", phone, "センターの電話番号")?.0,
    };
    let (center_lat, center_lon) = location(doc.center_lat, doc.center_lon)?;
    let reception_opens = time("reception_opens", &doc.reception_opens, "受付開始")?;
    let reception_closes = time("reception_closes", &doc.reception_closes, "受付終了")?;
    if reception_closes <= reception_opens {
        return Err(invalid(
            "reception_closes",
            "受付終了は受付開始より後の時刻にしてください。",
            "reception_closes must be later than reception_opens.",
        ));
    }
    let last_dispatch = time("last_dispatch", &doc.last_dispatch, "最終送り出し")?;
    if last_dispatch <= reception_opens {
        return Err(invalid(
            "last_dispatch",
            "最終送り出しは受付開始より後の時刻にしてください。",
            "last_dispatch must be later than reception_opens.",
        ));
    }
    let return_by = match doc.return_by.trim() {
        "" => String::new(),
        text => hhmm(time("return_by", text, "帰着時刻")?),
    };
    let last_return = match doc.last_return.trim() {
        "" => String::new(),
        text => hhmm(time("last_return", text, "最終帰着時刻")?),
    };
    Ok(CenterSettings {
        center_name: required("center_name", &doc.center_name, "センター名", 60)?,
        center_phone,
        center_address: optional("center_address", Some(&doc.center_address), "センターの住所", 200)?
            .unwrap_or_default(),
        center_lat,
        center_lon,
        issuer: required("issuer", &doc.issuer, "証明書の発行者", 60)?,
        representative: optional("representative", Some(&doc.representative), "代表者", 60)?.unwrap_or_default(),
        reception_opens: hhmm(reception_opens),
        reception_closes: hhmm(reception_closes),
        last_dispatch: hhmm(last_dispatch),
        return_within_minutes: minutes("return_within_minutes", doc.return_within_minutes, "帰着までの時間", 30, 720)?,
        return_by,
        return_by_grace_minutes: minutes(
            "return_by_grace_minutes",
            doc.return_by_grace_minutes,
            "帰着時刻の猶予",
            0,
            180,
        )?,
        last_return,
        end_before_sunset: doc.end_before_sunset,
        booked_other_day_walk_in: doc.booked_other_day_walk_in,
        sunset_margin_minutes: minutes("sunset_margin_minutes", doc.sunset_margin_minutes, "日没前の余裕", 0, 180)?,
        min_working_minutes: minutes("min_working_minutes", doc.min_working_minutes, "最低活動時間", 0, 240)?,
        rest_after_return_minutes: minutes(
            "rest_after_return_minutes",
            doc.rest_after_return_minutes,
            "帰着後の休憩",
            0,
            240,
        )?,
        heat_bands: heat_bands(doc.heat_bands)?,
        minimum_age: number("minimum_age", doc.minimum_age, "登録できる最低年齢", 0, 20, "歳")?,
        heavy_work: heavy_work(doc.heavy_work)?,
    })
}

fn hhmm(time: NaiveTime) -> String {
    time.format("%H:%M").to_string()
}

fn time(field: &str, text: &str, label_ja: &str) -> Result<NaiveTime, AppError> {
    time_of_day(text).ok_or_else(|| {
        invalid(
            field,
            format!("{label_ja}は 15:00 のように「時:分」で入力してください。"),
            format!("{field} is a time of day such as 15:00."),
        )
    })
}

fn minutes(field: &str, value: u32, label_ja: &str, min: u32, max: u32) -> Result<u32, AppError> {
    number(field, value, label_ja, min, max, "分")
}

fn number(field: &str, value: u32, label_ja: &str, min: u32, max: u32, unit_ja: &str) -> Result<u32, AppError> {
    if (min..=max).contains(&value) {
        return Ok(value);
    }
    Err(invalid(
        field,
        format!("{label_ja}は{min}〜{max}{unit_ja}で入力してください。"),
        format!("{field} is between {min} and {max}."),
    ))
}

fn location(lat: Option<f64>, lon: Option<f64>) -> Result<(Option<f64>, Option<f64>), AppError> {
    match (lat, lon) {
        (None, None) => Ok((None, None)),
        (Some(lat), Some(lon)) if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) => {
            Ok((Some(lat), Some(lon)))
        }
        (Some(_), Some(_)) => Err(invalid(
            "center_lat",
            "緯度は -90〜90、経度は -180〜180 の数で入力してください（例：36.56, 136.65）。",
            "center_lat is within -90..90 and center_lon within -180..180 (e.g. 36.56, 136.65).",
        )),
        (None, Some(_)) | (Some(_), None) => Err(invalid(
            if lat.is_none() { "center_lat" } else { "center_lon" },
            "センターの位置は緯度と経度の両方を入力してください（日没の計算に使います）。",
            "Give both center_lat and center_lon (sunset is computed from them), or neither.",
        )),
    }
}

fn heat_bands(bands: Vec<HeatBand>) -> Result<Vec<HeatBand>, AppError> {
    if bands.len() > MAX_HEAT_BANDS {
        return Err(invalid(
            "heat_bands",
            format!("暑さ指数の区分は{MAX_HEAT_BANDS}つまでです。"),
            format!("heat_bands has at most {MAX_HEAT_BANDS} bands."),
        ));
    }
    let mut cleaned: Vec<HeatBand> = Vec::with_capacity(bands.len());
    for (i, band) in bands.into_iter().enumerate() {
        let field = |name: &str| format!("heat_bands[{i}].{name}");
        if !(10.0..=40.0).contains(&band.from) || cleaned.last().is_some_and(|last| band.from <= last.from) {
            return Err(invalid(
                &field("from"),
                format!("暑さ指数の区分{}の下限は 10〜40 で、前の区分より高くしてください。", i + 1),
                format!("heat_bands[{i}].from is within 10..40 and above the band before it."),
            ));
        }
        cleaned.push(HeatBand {
            from: band.from,
            name: required(&field("name"), &band.name, "区分の名前", 20)?,
            work_minutes: minutes(&field("work_minutes"), band.work_minutes, "作業時間", 5, 120)?,
            rest_minutes: minutes(&field("rest_minutes"), band.rest_minutes, "休憩時間", 0, 60)?,
            max_out_minutes: minutes(&field("max_out_minutes"), band.max_out_minutes, "最長の活動時間", 15, 720)?,
            suspend_prompt: band.suspend_prompt,
        });
    }
    Ok(cleaned)
}

fn heavy_work(categories: Vec<String>) -> Result<Vec<String>, AppError> {
    for (i, category) in categories.iter().enumerate() {
        if !CATEGORIES.contains(&category.as_str()) {
            return Err(invalid(
                &format!("heavy_work[{i}]"),
                format!("「{category}」という作業の種類はありません（{}）。", CATEGORIES.join(", ")),
                format!("heavy_work[{i}]: no category {category:?} (one of {}).", CATEGORIES.join(", ")),
            ));
        }
    }
    Ok(CATEGORIES.iter().filter(|known| categories.iter().any(|c| c == *known)).map(|c| c.to_string()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_valid_settings() {
        assert_eq!(validate(CenterSettings::default()).unwrap(), CenterSettings::default());
    }

    #[test]
    fn the_rest_after_returning_is_up_to_four_hours() {
        let rest =
            |minutes| validate(CenterSettings { rest_after_return_minutes: minutes, ..CenterSettings::default() });
        assert_eq!(rest(0).unwrap().rest_after_return_minutes, 0, "a center may choose no rest");
        assert_eq!(rest(240).unwrap().rest_after_return_minutes, 240);
        let refused = rest(241).unwrap_err();
        assert_eq!(refused.field.as_deref(), Some("rest_after_return_minutes"));
        assert!(refused.message.ja.contains("帰着後の休憩"), "{}", refused.message.ja);
    }

    #[test]
    fn each_refusal_names_its_field() {
        let field = |doc: CenterSettings| validate(doc).unwrap_err().field;
        let with = |change: fn(&mut CenterSettings)| {
            let mut doc = CenterSettings::default();
            change(&mut doc);
            doc
        };
        assert_eq!(field(with(|d| d.reception_closes = "8:00".into())), Some("reception_closes".into()));
        assert_eq!(field(with(|d| d.reception_closes = "08:00".into())), Some("reception_closes".into()));
        assert_eq!(field(with(|d| d.center_lat = Some(36.5))), Some("center_lon".into()));
        assert_eq!(field(with(|d| d.heat_bands[1].from = 24.0)), Some("heat_bands[1].from".into()));
        assert_eq!(field(with(|d| d.heavy_work = vec!["mud".into(), "digging".into()])), Some("heavy_work[1]".into()));
        assert_eq!(field(with(|d| d.minimum_age = 40)), Some("minimum_age".into()));
        assert_eq!(field(with(|d| d.center_phone = "12".into())), Some("center_phone".into()));
        assert_eq!(field(with(|d| d.center_name = " ".into())), Some("center_name".into()));
    }
}
