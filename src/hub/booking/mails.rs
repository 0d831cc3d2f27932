//! The booking mails, queued in the transaction of the change that causes them
//! (`hub::mail::enqueue`), one message key per booking and kind, so a retried
//! command or a second hub process never queues one twice.

use chrono::{DateTime, FixedOffset, Utc};

use super::openings::Opening;
use super::profiles::Recipient;
use crate::hub::events::HubTx;
use crate::hub::mail::outbox::domain_of;
use crate::hub::mail::{InlinePart, Mail, enqueue};
use crate::i18n::{Lang, word, word_with};

/// The booking number said aloud and written on paper: `H-00012`.
pub fn booking_no(id: i64) -> String {
    format!("H-{id:05}")
}

/// What a mail is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum About {
    Booked,
    Waitlisted,
    Applied,
    Promoted,
    Cancelled,
    DayCancelled,
    Reminder,
}

impl About {
    fn kind(self) -> &'static str {
        match self {
            About::Booked => "booked",
            About::Waitlisted => "waitlisted",
            About::Applied => "applied",
            About::Promoted => "promoted",
            About::Cancelled => "cancelled",
            About::DayCancelled => "day_cancelled",
            About::Reminder => "reminder",
        }
    }

    /// Mails that carry the QR: whoever holds a seat.
    fn with_qr(self) -> bool {
        matches!(self, About::Booked | About::Promoted | About::Reminder)
    }
}

/// The booking a mail is about.
pub struct MailBooking<'a> {
    pub id: i64,
    pub qr_token: &'a str,
    pub opening: &'a Opening,
    /// A ready QR PNG (made before taking the lock), else made here when needed.
    pub qr_png: Option<&'a [u8]>,
}

/// Queues one mail; `false` when this booking already had it queued.
pub async fn queue(
    tx: &mut HubTx,
    from: &str,
    about: About,
    booking: &MailBooking<'_>,
    to: &Recipient,
) -> Result<bool, sqlx::Error> {
    let Some(address) = &to.email else { return Ok(false) };
    let (subject, text) = compose(to.lang, about, booking);
    let inline = if about.with_qr() {
        let png = match booking.qr_png {
            Some(png) => png.to_vec(),
            None => super::qr::png(booking.qr_token),
        };
        vec![InlinePart::png("qr", &png)]
    } else {
        Vec::new()
    };
    let mail = Mail {
        message_key: format!("{}-{}", about.kind().replace('_', "-"), booking.id),
        kind: about.kind(),
        account_id: Some(to.account_id),
        to: address.clone(),
        subject,
        text,
        inline,
    };
    Ok(enqueue(tx, &mail, &domain_of(from)).await?.is_some())
}

/// Subject and plain text in the recipient's language.
pub fn compose(lang: Lang, about: About, booking: &MailBooking<'_>) -> (String, String) {
    let o = booking.opening;
    let number = booking_no(booking.id);
    let values = [
        ("title", o.title.clone()),
        ("day", o.day.format("%Y-%m-%d").to_string()),
        ("time", o.meeting_time.format("%H:%M").to_string()),
        ("place", o.meeting_point.clone()),
        ("bring", if o.bring.is_empty() { "-".to_string() } else { o.bring.clone() }),
        ("number", number),
        ("token", booking.qr_token.to_string()),
        ("cancel_until", jst(cancel_until(o)).format("%Y-%m-%d %H:%M").to_string()),
    ];
    let values: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let key = about.kind();
    let subject = word_with(lang, &format!("hub_booking.mail.{key}.subject"), &values);
    let mut text = word_with(lang, &format!("hub_booking.mail.{key}.body"), &values);
    if about.with_qr() {
        text.push_str("\n\n");
        text.push_str(&word_with(lang, "hub_booking.mail.qr_block", &values));
    }
    text.push_str("\n\n");
    text.push_str(&word(lang, "hub_booking.mail.footer"));
    (subject, text)
}

/// The last moment a booking on `opening` may be cancelled.
pub fn cancel_until(opening: &Opening) -> DateTime<Utc> {
    let meeting = opening.day.and_time(opening.meeting_time);
    let meeting = meeting.and_local_timezone(japan()).single().expect("JST has no gaps").with_timezone(&Utc);
    meeting - chrono::Duration::hours(i64::from(opening.cancel_hours_before))
}

fn japan() -> FixedOffset {
    FixedOffset::east_opt(crate::clock::JST_SECONDS).expect("valid offset")
}

/// A moment in Japan's time (how pages and mail show it).
pub fn jst(at: DateTime<Utc>) -> DateTime<FixedOffset> {
    at.with_timezone(&japan())
}
