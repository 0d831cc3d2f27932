//! Household needs (ニーズ受付): the need card, its lifecycle, duplicates,
//! lists and privacy. Requester name, phone and address stay in the `needs`
//! table and reach coordinators and admins only; events carry numbers, zone,
//! categories and status.

pub mod card_http;
pub mod card_pdf;
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

pub use model::{
    Category, Damage, MapState, Need, NeedSummary, Parking, ReceivedVia, Status, Survey, need_no, parse_need_no,
};
pub use store::{Filter, MapPin, id_by_number, list, map_pins, need, open_by_zone};

use sqlx::SqliteConnection;

use crate::error::AppError;
use crate::events::contract::needs::{NeedFacts, NeedStatus};
use crate::events::contract::wire;
use crate::i18n::Text;
use crate::zones::ZoneIndex;
use form::NeedCard;
use model::ZoneSource;

/// What every need event carries: numbers, place and kind of work, never the
/// requester's name, phone or address (boards and reception follow the log).
fn need_facts(need: &Need) -> NeedFacts {
    NeedFacts {
        need_id: need.id,
        need_no: need.need_no.clone(),
        status: need_status(need.status),
        version: need.version,
        zone: need.zone.clone(),
        priority: need.priority,
        categories: need.categories.iter().map(wire).collect(),
        people_needed: need.people_needed,
        needs_care: need.needs_care,
        received_via: wire(&need.received_via),
        duplicate_of: need.duplicate_of.clone(),
        has_pin: need.lat.is_some(),
    }
}

/// A status as the event contract writes it.
fn need_status(status: model::Status) -> NeedStatus {
    use model::Status;
    match status {
        Status::Received => NeedStatus::Received,
        Status::Surveying => NeedStatus::Surveying,
        Status::Waiting => NeedStatus::Waiting,
        Status::Active => NeedStatus::Active,
        Status::Continuing => NeedStatus::Continuing,
        Status::Done => NeedStatus::Done,
        Status::Cancelled => NeedStatus::Cancelled,
    }
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
