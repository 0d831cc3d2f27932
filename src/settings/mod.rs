//! The center's settings (設定): name, phone and place, the certificate's
//! issuer, reception hours, the return-deadline and daylight rules, the heat
//! (WBGT) bands, the minimum age and what counts as heavy work. One versioned
//! document; every change is a `settings.changed` event carrying all of it.
//! Any domain reads them with [`current`] (inside its own transaction when it
//! decides by them); only an admin changes them.

mod change;
mod flags;
pub mod http;
mod model;
mod page;
mod store;
mod validate;

pub use crate::events::contract::settings::{CenterSettings, HeatBand};
pub use change::{SettingsPatch, change, current, first_start};
pub use flags::FirstSettingsArgs;
pub use model::{Settings, time_of_day};
pub use page::router as pages;
