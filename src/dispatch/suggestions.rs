//! Fills the suggestion function from the database: the needs a team may go
//! to and today's waiting pool. The skills a need asks for are read from its
//! card: a known skill named in its equipment wished, notes or survey
//! (「重機」「チェーンソー」…).

use std::collections::HashSet;

use sqlx::SqliteConnection;

use super::store;
use super::suggest::{Suggestion, WaitingNeed, WaitingVolunteer, suggest_teams};
use crate::needs::Filter;
use crate::needs::Need;
use crate::needs::progress::DISPATCHABLE;

/// Skills a need card may ask for by naming them.
const KNOWN_SKILLS: [&str; 6] = ["重機", "チェーンソー", "看護師", "大型免許", "外国語", "電気工事"];

/// How many waiting needs the desk is given suggestions for at once.
const NEEDS_CONSIDERED: i64 = 500;

pub async fn for_today(conn: &mut SqliteConnection, day: chrono::NaiveDate) -> Result<Vec<Suggestion>, sqlx::Error> {
    for_today_leaving_out(conn, day, &HashSet::new(), &HashSet::new()).await
}

/// The same, without the volunteers the coordinator keeps in (resting, hurt)
/// and the needs they will not send to (a cancellation being taken).
pub async fn for_today_leaving_out(
    conn: &mut SqliteConnection,
    day: chrono::NaiveDate,
    kept_in: &HashSet<i64>,
    needs_held: &HashSet<i64>,
) -> Result<Vec<Suggestion>, sqlx::Error> {
    let filter = Filter { statuses: DISPATCHABLE.to_vec(), limit: NEEDS_CONSIDERED, ..Filter::default() };
    let (needs, _) = crate::needs::list(conn, &filter).await?;
    let pool = store::waiting(&mut *conn, day).await?;
    let needs: Vec<WaitingNeed> = needs.iter().filter(|n| !needs_held.contains(&n.id)).map(waiting_need).collect();
    let volunteers: Vec<WaitingVolunteer> = pool
        .into_iter()
        .filter(|w| !kept_in.contains(&w.volunteer_id))
        .map(|w| WaitingVolunteer {
            id: w.volunteer_id,
            volunteer_no: w.volunteer_no,
            headcount: w.headcount,
            group_id: w.group_id,
            skills: w.skills,
            vehicle: w.vehicle,
            dispatchable: w.dispatchable,
            minor: !w.adult,
            checked_in_at: w.checked_in_at,
            experience_count: w.experience_count,
        })
        .collect();
    Ok(suggest_teams(&needs, &volunteers))
}

fn waiting_need(n: &Need) -> WaitingNeed {
    let mut text = n.equipment.join(" ");
    text.push(' ');
    text.push_str(&n.notes);
    if let Some(survey) = &n.survey {
        text.push(' ');
        text.push_str(&survey.findings);
    }
    WaitingNeed {
        id: n.id,
        need_no: n.need_no.clone(),
        priority: n.priority,
        received_at: n.received_at.clone(),
        people_needed: n.people_needed,
        categories: n.categories.clone(),
        zone: n.zone.clone(),
        skills_wanted: KNOWN_SKILLS.iter().filter(|s| text.contains(*s)).map(|s| s.to_string()).collect(),
    }
}
