//! The settings page (admins): every setting in one form that sends the
//! changes with the version read (`PUT /api/settings`), and the link to the
//! hub in a form of its own (`PUT /api/hub/link`, `hub_link.js`).

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;

use super::{HeatBand, Settings};
use crate::auth::extract::Admin;
use crate::state::AppState;
use crate::web::page::{Page, PageResult};
use crate::web::pages::{PageContext, render};

/// Need categories as the settings name them, in the cards' order.
const CATEGORIES: [&str; 6] = ["mud", "belongings", "debris", "cleaning", "under_floor", "other"];

pub fn router() -> Router<AppState> {
    Router::new().route("/settings", get(settings_page))
}

pub struct Choice {
    pub value: &'static str,
    pub label: std::borrow::Cow<'static, str>,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "settings/index.html")]
struct SettingsPage {
    page: PageContext,
    settings: Settings,
    /// Three rows more than the bands set, for adding one.
    bands: Vec<HeatBand>,
    heavy_work: Vec<Choice>,
    /// ハブ連携: where the hub is, and whether a key is held (never the key).
    link: crate::hub_link::LinkSettings,
}

impl SettingsPage {
    fn lat(&self) -> String {
        self.settings.values.center_lat.map(|v| v.to_string()).unwrap_or_default()
    }

    fn lon(&self) -> String {
        self.settings.values.center_lon.map(|v| v.to_string()).unwrap_or_default()
    }
}

async fn settings_page(State(state): State<AppState>, Page { page, .. }: Page<Admin>) -> PageResult {
    let mut conn = state.db.read.acquire().await?;
    let settings = super::current(&mut conn).await?;
    let heavy_work = CATEGORIES
        .iter()
        .map(|&value| Choice {
            value,
            label: page.t.get(&format!("label.need_category.{value}")),
            checked: settings.is_heavy_work(value),
        })
        .collect();
    let mut bands = settings.values.heat_bands.clone();
    bands.resize(bands.len().max(6), HeatBand::default());
    let link = crate::hub_link::settings(&state.db).await?;
    Ok(render(StatusCode::OK, &SettingsPage { page, bands, heavy_work, settings, link }))
}
