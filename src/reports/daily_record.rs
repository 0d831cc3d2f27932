//! The 日報's record of the day, beside its figures: けが・事故 (counts and the
//! list, without names), 活動中止・再開 (times and reasons) and the day's
//! 特記事項. All of it read from the event log in one read transaction.
//!
//! Kept apart from `DailyReport` so the figures' JSON stays what it was
//! (old centers' 日報 are compared field for field). A further section of the
//! day (WBGT readings, weather alerts) is one more field of [`DayRecord`], one
//! more reader here, and one more entry in [`DayRecord::sections`]: the PDF and
//! the CSV print every section that list gives, in its order.

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::SqliteConnection;

use super::daily::{Line, paper};
use crate::events::contract::dispatch::{CenterResumed, CenterSuspended, IncidentReported};
use crate::events::contract::reports::RemarksWritten;
use crate::events::{Event, EventPayload, decoded};
use crate::i18n::{Lang, word_with};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DayRecord {
    /// The activity day.
    pub day: NaiveDate,
    pub incidents: Incidents,
    /// 活動中止 that were in force on the day, in order.
    pub suspensions: Vec<Suspension>,
    /// 特記事項.
    pub remarks: Remarks,
}

/// けが・事故 reported by returning teams.
#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Incidents {
    pub today: IncidentCounts,
    /// From the center's first activity day up to and including the day.
    pub cumulative: IncidentCounts,
    /// The day's reports, oldest first: no names, no description.
    pub list: Vec<Incident>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct IncidentCounts {
    /// Reports.
    pub reported: i64,
    /// People hurt, where the report said.
    pub injured: i64,
    pub first_aid: i64,
    pub clinic: i64,
    pub ambulance: i64,
    /// Accidents where nobody was hurt.
    pub no_injury: i64,
}

impl IncidentCounts {
    fn add(&mut self, incident: &IncidentReported) {
        self.reported += 1;
        self.injured += incident.injured.unwrap_or(0);
        match incident.severity.as_deref() {
            Some("first_aid") => self.first_aid += 1,
            Some("clinic") => self.clinic += 1,
            Some("ambulance") => self.ambulance += 1,
            Some("no_injury") => self.no_injury += 1,
            _ => {}
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = DailyIncident)]
pub struct Incident {
    /// When the team reported it (RFC 3339).
    pub at: String,
    pub team_no: String,
    pub need_no: Option<String>,
    pub zone: Option<String>,
    pub injured: Option<i64>,
    /// `first_aid`, `clinic`, `ambulance`, `no_injury`; none when not said.
    pub severity: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Suspension {
    /// 活動中止 (RFC 3339).
    pub from: String,
    /// 活動再開 (RFC 3339); none while still suspended.
    pub until: Option<String>,
    pub reason: String,
    /// The teams out and recalled when it began.
    pub recalled: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Remarks {
    /// 特記事項 as last written; empty when none.
    pub text: String,
    /// Times the day's remarks were written: send it back to write them again.
    pub version: i64,
    pub written_at: Option<String>,
    pub written_by: Option<String>,
}

/// Subject of the day's `report.remarks_written` events.
pub fn remarks_subject(day: NaiveDate) -> String {
    format!("day:{day}")
}

/// Events of `P`'s kind up to the end of the activity day `to` (every one with `None`).
async fn events_of<P: EventPayload>(
    conn: &mut SqliteConnection,
    to: Option<NaiveDate>,
) -> Result<Vec<(Event, P)>, sqlx::Error> {
    let rows: Vec<Event> = sqlx::query_as(
        "SELECT seq, at, actor, kind, subject, data, drill, cause FROM events
         WHERE kind = ? AND (? IS NULL OR substr(at, 1, 10) <= ?) ORDER BY seq",
    )
    .bind(P::KIND)
    .bind(to.map(|d| d.to_string()))
    .bind(to.map(|d| d.to_string()))
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().filter_map(|e| decoded::<P>(&e).map(|p| (e, p))).collect())
}

fn day_of(at: &str) -> &str {
    at.get(..10).unwrap_or(at)
}

/// The remarks of `day` as last written.
pub async fn remarks(conn: &mut SqliteConnection, day: NaiveDate) -> Result<Remarks, sqlx::Error> {
    let rows: Vec<Event> = sqlx::query_as(
        "SELECT seq, at, actor, kind, subject, data, drill, cause FROM events WHERE kind = ? AND subject = ? ORDER BY seq",
    )
    .bind(RemarksWritten::KIND)
    .bind(remarks_subject(day))
    .fetch_all(&mut *conn)
    .await?;
    let version = rows.len() as i64;
    Ok(rows
        .last()
        .and_then(|e| decoded::<RemarksWritten>(e).map(|p| (e, p)))
        .map(|(e, p)| Remarks {
            text: p.text,
            version,
            written_at: Some(e.at.clone()),
            written_by: Some(e.actor.clone()),
        })
        .unwrap_or(Remarks { version, ..Remarks::default() }))
}

/// The record of `day`; the cumulative counts start at `first_day`.
pub async fn read(conn: &mut SqliteConnection, first_day: NaiveDate, day: NaiveDate) -> Result<DayRecord, sqlx::Error> {
    let (first, today) = (first_day.to_string(), day.to_string());
    let mut incidents = Incidents::default();
    for (event, incident) in events_of::<IncidentReported>(conn, Some(day)).await? {
        let on = day_of(&event.at);
        if on < first.as_str() {
            continue;
        }
        incidents.cumulative.add(&incident);
        if on == today {
            incidents.today.add(&incident);
            incidents.list.push(Incident {
                at: event.at.clone(),
                team_no: incident.team_no,
                need_no: incident.need_no,
                zone: incident.zone,
                injured: incident.injured,
                severity: incident.severity,
            });
        }
    }

    // Suspensions and resumptions in log order; those in force at any time of the day.
    let mut moves: Vec<(i64, String, Option<CenterSuspended>)> = Vec::new();
    for (event, suspended) in events_of::<CenterSuspended>(conn, Some(day)).await? {
        moves.push((event.seq, event.at, Some(suspended)));
    }
    for (event, _) in events_of::<CenterResumed>(conn, None).await? {
        moves.push((event.seq, event.at, None));
    }
    moves.sort_by_key(|(seq, _, _)| *seq);
    let mut suspensions = Vec::new();
    let mut open: Option<Suspension> = None;
    for (_, at, suspended) in moves {
        match suspended {
            Some(s) if open.is_none() => {
                open = Some(Suspension { from: at, until: None, reason: s.reason, recalled: s.recall })
            }
            Some(_) => {}
            None => {
                if let Some(mut s) = open.take() {
                    s.until = Some(at);
                    suspensions.push(s);
                }
            }
        }
    }
    suspensions.extend(open);
    suspensions.retain(|s| {
        day_of(&s.from) <= today.as_str() && s.until.as_deref().is_none_or(|until| day_of(until) >= today.as_str())
    });

    let remarks = remarks(conn, day).await?;
    Ok(DayRecord { day, incidents, suspensions, remarks })
}

/// A section of the record as the paper prints it: a table of figures (the
/// day and 累計, as the 日報's other tables), or entries (a time and what).
pub enum Section {
    Figures(Vec<Line>),
    Entries { title: String, entries: Vec<Entry> },
}

/// One entry of a list section: when, and what.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub when: String,
    pub what: String,
}

/// `HH:MM` of a stamp on the day, `M/D HH:MM` on another.
fn clock_time(at: &str, day: NaiveDate) -> String {
    let time = at.get(11..16).unwrap_or("");
    if day_of(at) == day.to_string() {
        time.to_string()
    } else {
        let date: Option<NaiveDate> = day_of(at).parse().ok();
        date.map_or_else(|| at.to_string(), |d| format!("{} {time}", d.format("%-m/%-d")))
    }
}

fn severity_word(severity: Option<&str>) -> String {
    match severity {
        Some("first_aid") => paper("papers.daily.incident.first_aid"),
        Some("clinic") => paper("papers.daily.incident.clinic"),
        Some("ambulance") => paper("papers.daily.incident.ambulance"),
        Some("no_injury") => paper("papers.daily.incident.no_injury"),
        _ => paper("papers.daily.incident.severity_unknown"),
    }
}

impl DayRecord {
    /// The record's sections in the paper's order. A further section of the
    /// day (WBGT, weather alerts) goes in this list, before 特記事項, which closes the day.
    pub fn sections(&self) -> Vec<Section> {
        let mut sections = Vec::new();
        let (d, c) = (&self.incidents.today, &self.incidents.cumulative);
        let section = paper("papers.daily.section.incidents");
        let figures = [
            ("papers.daily.incident.reported", d.reported, c.reported),
            ("papers.daily.incident.injured", d.injured, c.injured),
            ("papers.daily.incident.first_aid", d.first_aid, c.first_aid),
            ("papers.daily.incident.clinic", d.clinic, c.clinic),
            ("papers.daily.incident.ambulance", d.ambulance, c.ambulance),
            ("papers.daily.incident.no_injury", d.no_injury, c.no_injury),
        ];
        sections.push(Section::Figures(
            figures
                .into_iter()
                .map(|(item, day, total)| Line {
                    section: section.clone(),
                    item: paper(item),
                    day: day.to_string(),
                    total: total.to_string(),
                })
                .collect(),
        ));
        let incidents = self
            .incidents
            .list
            .iter()
            .map(|i| {
                let mut what = vec![i.team_no.clone()];
                what.extend(i.need_no.clone());
                what.push(i.zone.clone().unwrap_or_else(|| paper("papers.daily.incident.zone_unknown")));
                what.push(severity_word(i.severity.as_deref()));
                if let Some(n) = i.injured {
                    what.push(word_with(Lang::Ja, "papers.daily.incident.people", &[("n", &n.to_string())]));
                }
                Entry { when: clock_time(&i.at, self.day), what: what.join(&paper("papers.daily.incident.separator")) }
            })
            .collect();
        sections.push(Section::Entries { title: paper("papers.daily.section.incident_list"), entries: incidents });
        let suspensions = self
            .suspensions
            .iter()
            .map(|s| {
                let until = s
                    .until
                    .as_deref()
                    .map_or_else(|| paper("papers.daily.suspension.ongoing"), |u| clock_time(u, self.day));
                let from = clock_time(&s.from, self.day);
                let when = word_with(Lang::Ja, "papers.daily.suspension.range", &[("from", &from), ("until", &until)]);
                let mut what = s.reason.clone();
                if !s.recalled.is_empty() {
                    let teams = s.recalled.join(&paper("papers.daily.suspension.separator"));
                    what.push_str(&word_with(Lang::Ja, "papers.daily.suspension.recalled", &[("teams", &teams)]));
                }
                Entry { when, what }
            })
            .collect();
        sections.push(Section::Entries { title: paper("papers.daily.section.suspensions"), entries: suspensions });
        // ← WBGT and weather alerts of the day (issue 15 §2) go here.
        let remarks = if self.remarks.text.is_empty() {
            Vec::new()
        } else {
            vec![Entry { when: String::new(), what: self.remarks.text.clone() }]
        };
        sections.push(Section::Entries { title: paper("papers.daily.section.remarks"), entries: remarks });
        sections
    }
}
