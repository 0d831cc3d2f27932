//! What the accounts area needs from booking, which sits above it (booking
//! reads the profile): registered in `HubState::bookings` at start
//! (`booking::book::BookingsForAccounts`), so accounts never calls booking.

use std::collections::HashMap;

use chrono::NaiveDate;
use futures_util::future::BoxFuture;
use sqlx::PgConnection;

use crate::error::AppError;
use crate::hub::events::{HubActor, HubTx};
use crate::hub::state::HubState;

pub trait AccountBookings: Send + Sync {
    /// The account is being erased (`delete::erase_in`), in its transaction,
    /// before its data goes: booking withdraws its bookings from today on.
    fn erasing<'a>(
        &'a self,
        tx: &'a mut HubTx,
        state: &'a HubState,
        account_id: i64,
        actor: &'a HubActor,
    ) -> BoxFuture<'a, Result<(), AppError>>;

    /// The last day each of `account_ids` booked (a booking that stands or
    /// stood: not cancelled), for the retention sweeper; absent when none.
    fn last_days<'a>(
        &'a self,
        conn: &'a mut PgConnection,
        account_ids: &'a [i64],
    ) -> BoxFuture<'a, Result<HashMap<i64, NaiveDate>, sqlx::Error>>;
}
