//! The dispatch sheet's content, gathered for one team: the team, its need
//! card, the zone's outline with the pin, and what was lent.

use chrono::{DateTime, NaiveDate, NaiveTime};
use geo::BoundingRect;

use super::model::Team;
use super::safety::reading_in_force;
use super::sheet::{Assignment, DispatchSheet, Loan, MapExcerpt, MapZone, Member, NeedPart, RestCycle, ZonePart};
use super::store;
use crate::db::Db;
use crate::error::AppError;
use crate::i18n::Text;
use crate::zones::ZoneIndex;

pub async fn sheet_for(
    db: &Db,
    zones: &ZoneIndex,
    team_id: i64,
    now: DateTime<chrono::FixedOffset>,
) -> Result<DispatchSheet, AppError> {
    let mut conn = db.read.acquire().await?;
    let team = store::team(&mut conn, team_id, now)
        .await?
        .ok_or_else(|| AppError::not_found(Text::new("該当する班が見つかりません。", "No such team.")))?;
    let settings = crate::settings::current(&mut conn).await?;
    let heat = match DateTime::parse_from_rfc3339(&team.departed_at) {
        Ok(departed) => reading_in_force(&mut conn, &settings, &team.day, departed).await?,
        Err(_) => None,
    };
    let need = match team.need_id {
        Some(id) => crate::needs::need(&mut *conn, id).await?,
        None => None,
    };
    let loans = crate::inventory::outstanding(&mut *conn, team.id)
        .await?
        .into_iter()
        .map(|line| Loan { item: line.name, quantity: line.qty, unit: line.unit })
        .collect();
    let pin = need.as_ref().and_then(|n| Some((n.lon?, n.lat?)));
    let assignment = match need {
        Some(n) => Assignment::Need(Box::new(NeedPart {
            need_no: n.need_no,
            zone: n.zone,
            address: n.address,
            requester_name: n.requester_name,
            phone: n.phone,
            categories: n.categories,
            people_needed: n.people_needed,
            damage: n.damage,
            elderly_only: n.elderly_only,
            needs_care: n.needs_care,
            household_notes: n.household_notes,
            survey: n.survey,
            parking: n.parking,
            notes: n.notes,
        })),
        None => Assignment::Zone(ZonePart {
            zone: team.zone.clone().unwrap_or_default(),
            people_requested: team.requested_headcount.unwrap_or(team.headcount),
            notes: String::new(),
        }),
    };
    Ok(DispatchSheet {
        center_name: settings.values.center_name.clone(),
        center_phone: settings.values.center_phone.clone(),
        team_no: team.team_no.clone(),
        day: NaiveDate::parse_from_str(&team.day, "%Y-%m-%d").unwrap_or(now.date_naive()),
        assignment,
        members: team
            .members
            .iter()
            .map(|m| Member {
                volunteer_no: m.volunteer_no.clone(),
                name: m.name.clone(),
                is_leader: m.leader,
                people: u32::try_from(m.headcount).unwrap_or(1),
            })
            .collect(),
        vehicle: team.vehicle.clone(),
        loans,
        departure: time_of(&team.departed_at),
        return_deadline: time_of(&team.return_by).unwrap_or_default(),
        heat: heat.map(|reading| RestCycle {
            wbgt: reading.wbgt,
            band: reading.band.as_ref().map(|b| b.name.clone()).unwrap_or_default(),
            work_minutes: reading.band.as_ref().map_or(0, |b| b.work_minutes),
            rest_minutes: reading.band.as_ref().map_or(0, |b| b.rest_minutes),
        }),
        map: map_excerpt(zones, &team, pin),
    })
}

fn time_of(stamp: &str) -> Option<NaiveTime> {
    DateTime::parse_from_rfc3339(stamp).ok().map(|t| t.time())
}

/// The team's zone with the zones around it (those whose box touches a box
/// half again as large as the zone's).
fn map_excerpt(zones: &ZoneIndex, team: &Team, pin: Option<(f64, f64)>) -> Option<MapExcerpt> {
    let name = team.zone.as_deref()?;
    let zone = zones.zones().iter().find(|z| z.name == name)?;
    let frame = zone.shape.bounding_rect()?;
    let (w, h) = (frame.width() * 0.5, frame.height() * 0.5);
    let near = |other: &geo::Rect<f64>| {
        other.min().x <= frame.max().x + w
            && other.max().x >= frame.min().x - w
            && other.min().y <= frame.max().y + h
            && other.max().y >= frame.min().y - h
    };
    let neighbours = zones
        .zones()
        .iter()
        .filter(|z| z.name != name && z.shape.bounding_rect().is_some_and(|r| near(&r)))
        .map(|z| MapZone::from_shape(&z.name, &z.shape))
        .collect();
    Some(MapExcerpt { zone: MapZone::from_shape(name, &zone.shape), neighbours, pin })
}
