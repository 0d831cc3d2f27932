//! A center pulls its bookings: each booking of its openings after the cursor,
//! in its latest state. A booking holding a seat comes with its QR token, the
//! meeting details and the person's profile; any other comes `released`, with
//! none of them (no personal data for a seat not held).

use std::collections::HashMap;

use crate::error::AppError;
use crate::fields::invalid;
use crate::hub::accounts::profile::{self, DeskProfile};
use crate::hub::booking::for_centers::{self, CenterBooking};
use crate::hub::booking::mails::booking_no;
use crate::hub::contract::sync::SyncPulled;
use crate::hub::db::HubDb;
use crate::hub::events::{Cursor, HubActor, HubTx};
use crate::sync::{BookedVolunteer, BookingChange, BookingState, BookingsPage, Meeting, VERSION};

pub const DEFAULT_LIMIT: i64 = 500;
pub const MAX_LIMIT: i64 = 1000;

/// The cursor as the center holds it: `"<tx>:<seq>"`, empty at the start.
pub fn cursor_text(cursor: Cursor) -> String {
    if cursor == Cursor::default() { String::new() } else { format!("{}:{}", cursor.tx, cursor.seq) }
}

/// Reads a cursor given back by a center (422 `cursor` when it is not one).
pub fn parse_cursor(text: &str) -> Result<Cursor, AppError> {
    if text.is_empty() {
        return Ok(Cursor::default());
    }
    let parsed = text.split_once(':').and_then(|(tx, seq)| {
        let number = |part: &str| part.bytes().all(|b| b.is_ascii_digit()).then(|| part.parse::<i64>().ok()).flatten();
        Some(Cursor { tx: number(tx)?, seq: number(seq)? })
    });
    parsed.ok_or_else(|| {
        invalid(
            "cursor",
            "cursor は前回の応答の cursor をそのまま渡してください（空なら最初から）。",
            "cursor must be a cursor from an earlier answer, as given (empty: from the start).",
        )
    })
}

/// Reads `limit` (default [`DEFAULT_LIMIT`], 1 to [`MAX_LIMIT`]; else 422 `limit`).
pub fn parse_limit(text: Option<&str>) -> Result<i64, AppError> {
    match text.map(str::trim) {
        None | Some("") => Ok(DEFAULT_LIMIT),
        Some(text) => match text.parse::<i64>() {
            Ok(limit) if (1..=MAX_LIMIT).contains(&limit) => Ok(limit),
            _ => Err(invalid(
                "limit",
                format!("limit は1から{MAX_LIMIT}までの整数です。"),
                format!("limit is a whole number from 1 to {MAX_LIMIT}."),
            )),
        },
    }
}

/// One page for `center_id` after `cursor`, logged (`sync.pulled`, counts
/// only, an empty page too: the log shows when each center last reached the hub).
pub async fn page(db: &HubDb, center_id: i64, cursor: Cursor, limit: i64) -> Result<BookingsPage, AppError> {
    let mut conn = db.pool.acquire().await?;
    let mut rows = for_centers::changes_after(&mut conn, center_id, cursor, limit + 1).await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let booked_accounts: Vec<i64> = rows.iter().filter(|r| r.status == "booked").map(|r| r.account_id).collect();
    let profiles: HashMap<i64, DeskProfile> = if booked_accounts.is_empty() {
        HashMap::new()
    } else {
        profile::for_desks(&mut conn, &booked_accounts).await?.into_iter().map(|p| (p.account_id, p)).collect()
    };
    drop(conn);
    let last = rows.last().map_or(cursor, CenterBooking::cursor);
    let bookings: Vec<BookingChange> = rows.into_iter().map(|row| change(row, &profiles)).collect();
    let booked = bookings.iter().filter(|b| b.state == BookingState::Booked).count() as i64;
    let event =
        SyncPulled { center_id, changes: bookings.len() as i64, booked, released: bookings.len() as i64 - booked };
    let mut tx = HubTx::begin(db).await?;
    tx.append(&HubActor::center(center_id), Some(format!("center:{center_id}")), &event).await?;
    tx.commit().await?;
    Ok(BookingsPage { version: VERSION, center_id, cursor: cursor_text(last), more, bookings })
}

/// A row as the center receives it. A seat held by an account without a
/// profile (erased: its bookings are withdrawn in the same transaction, so
/// only in a race) goes as released: the desk cannot expect nobody.
fn change(row: CenterBooking, profiles: &HashMap<i64, DeskProfile>) -> BookingChange {
    let held = if row.status == "booked" { profiles.get(&row.account_id) } else { None };
    let mut change = BookingChange {
        booking_id: row.booking_id,
        number: booking_no(row.booking_id),
        day: row.day,
        state: BookingState::Released,
        seats: i64::from(row.seats),
        qr_token: None,
        meeting: None,
        volunteer: None,
    };
    if let Some(person) = held {
        change.state = BookingState::Booked;
        change.meeting = Some(Meeting {
            title: row.title,
            meeting_point: row.meeting_point,
            meeting_time: row.meeting_time.format("%H:%M").to_string(),
            bring: row.bring,
        });
        change.qr_token = Some(row.qr_token);
        change.volunteer = Some(volunteer(person.clone()));
    }
    change
}

fn volunteer(p: DeskProfile) -> BookedVolunteer {
    BookedVolunteer {
        name: p.name,
        furigana: p.furigana,
        birth_date: p.birth_date,
        gender: p.gender,
        phone: p.phone,
        email: p.email,
        address: p.address,
        emergency_name: p.emergency_name,
        emergency_phone: p.emergency_phone,
        kind: p.kind,
        group_name: p.group_name,
        group_size: p.group_size.map(i64::from),
        skills: p.skills,
        vehicle: p.vehicle,
        insurance: p.insurance,
        experience_count: i64::from(p.experience_count),
        guardian_consent: p.guardian_consent,
        guardian_name: p.guardian_name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back_and_anything_else_is_refused_naming_it() {
        assert_eq!(parse_cursor("").unwrap(), Cursor::default());
        let cursor = Cursor { tx: 812, seq: 40 };
        assert_eq!(parse_cursor(&cursor_text(cursor)).unwrap(), cursor);
        assert_eq!(cursor_text(Cursor::default()), "");
        for bad in ["812", "812:", ":4", "a:1", "-1:2", "1:2:3", " 1:2", "99999999999999999999:1"] {
            assert_eq!(parse_cursor(bad).unwrap_err().field.as_deref(), Some("cursor"), "{bad}");
        }
    }

    #[test]
    fn limit_defaults_to_500_and_stays_within_1_to_1000() {
        assert_eq!(parse_limit(None).unwrap(), 500);
        assert_eq!(parse_limit(Some("1000")).unwrap(), 1000);
        for bad in ["0", "1001", "-5", "ten"] {
            assert_eq!(parse_limit(Some(bad)).unwrap_err().field.as_deref(), Some("limit"), "{bad}");
        }
    }
}
