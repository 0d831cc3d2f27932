//! ボランティア受付: pre-registration, walk-in registration, search, check-in
//! and check-out, the insurance gate, groups, badges and the day's export.
//!
//! Commands (each one write transaction and one event): [`register::register`],
//! [`check_in::check_in`], [`check_in::check_out`], [`check_in::change_insurance`],
//! [`capacity::set`]. The dispatch desk relies on [`check_in::can_dispatch`].

pub mod badge;
pub mod booked;
pub mod capacity;
pub mod check_in;
pub mod export;
pub mod form;
pub mod http;
pub mod minimum_age;
pub(crate) mod model;
pub mod normalize;
pub mod pages;
pub mod register;
pub mod search;
pub mod stats;
pub mod still_here;
pub(crate) mod store;

pub use booked::DayBooking;
pub use check_in::{DispatchBlock, can_dispatch, dispatch_block};
pub use model::{ADULT_AGE, DayInsurance, Insurance, VolunteerKind, age_on, parse_volunteer_no, volunteer_no};
pub use still_here::{StillHere, still_here};
pub use store::{Key, volunteer, volunteer_by};
