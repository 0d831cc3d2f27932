//! Household needs (ニーズ受付): the need card, its lifecycle, duplicates,
//! lists and privacy. Requester name, phone and address stay in the `needs`
//! table and reach coordinators and admins only; events carry numbers, zone,
//! categories and status.

pub mod edit;
pub mod export;
pub mod filter;
pub mod form;
pub mod http;
pub mod intake;
pub mod lifecycle;
pub(crate) mod model;
pub mod pages;
pub mod progress;
pub mod stats;
pub(crate) mod store;

pub use model::{Category, Damage, MapState, Need, Parking, ReceivedVia, Status, Survey, need_no, parse_need_no};
pub use store::{Filter, MapPin, id_by_number, list, map_pins, need, open_by_zone};

use serde_json::{Value, json};
use sqlx::SqliteConnection;

use crate::error::AppError;
use crate::i18n::Text;
use crate::zones::ZoneIndex;
use form::NeedCard;
use model::ZoneSource;

/// What every need event carries: numbers, place and kind of work, never the
/// requester's name, phone or address (boards and reception follow the log).
fn event_data(need: &Need, extra: Value) -> Value {
    let mut data = json!({
        "need_id": need.id,
        "need_no": need.need_no,
        "status": need.status,
        "version": need.version,
        "zone": need.zone,
        "priority": need.priority,
        "categories": need.categories,
        "people_needed": need.people_needed,
        "needs_care": need.needs_care,
        "received_via": need.received_via,
        "duplicate_of": need.duplicate_of,
        "has_pin": need.lat.is_some(),
    });
    if let (Value::Object(data), Value::Object(extra)) = (&mut data, extra) {
        data.extend(extra);
    }
    data
}

/// Sets the card's zone: the one chosen (it must exist), else the zone the pin
/// is in, else the zone of the address's 町丁目; none of these is "zone unknown".
async fn zone_of(
    conn: &mut SqliteConnection,
    zones: &ZoneIndex,
    card: &mut NeedCard,
    chosen: bool,
) -> Result<Option<ZoneSource>, AppError> {
    if chosen && let Some(name) = &card.zone {
        if zones.zones().iter().any(|z| &z.name == name) {
            return Ok(Some(ZoneSource::Chosen));
        }
        return Err(AppError::validation(
            "zone",
            Text::new(format!("地区「{name}」はありません。"), format!("There is no zone named {name}.")),
        ));
    }
    if let Some((lat, lon)) = card.pin
        && let Some(zone) = zones.locate(lon, lat)
    {
        card.zone = Some(zone.name.clone());
        return Ok(Some(ZoneSource::Pin));
    }
    for text in [&card.address, &card.town] {
        if !text.is_empty()
            && let Some(zone) = crate::zones::zone_for_address(&mut *conn, text).await?
        {
            card.zone = Some(zone);
            return Ok(Some(ZoneSource::Address));
        }
    }
    card.zone = None;
    Ok(None)
}
