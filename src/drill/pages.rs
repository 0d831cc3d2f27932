//! The trainer console page (`/drill`: its controllers on a drill server,
//! trainers and admins on a live one, `web::menu::opens_drill_console`): the scenario,
//! the drill clock and its controls, the injects with their expected actions,
//! the objectives with ratings and observations, the improvement plan and the
//! links to the after-action report. The page draws itself from `GET
//! /api/drill` and posts the trainer's commands to the JSON API.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;

use crate::auth::extract::Anyone;
use crate::state::AppState;
use crate::web::menu::opens_drill_console;
use crate::web::page::{Page, PageResult};
use crate::web::pages::{PageContext, message_page, render};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/drill", get(console_page))
        .route("/drill/aar", get(aar_page))
        .merge(super::evaluator_page::router())
}

/// The speeds offered at one tap; any whole number 1–120 can be typed.
pub const SPEEDS: [u32; 8] = [1, 2, 4, 8, 15, 30, 60, 120];

#[derive(Template)]
#[template(path = "drill/console.html")]
struct ConsolePage {
    page: PageContext,
    speeds: &'static [u32],
}

async fn console_page(Page { page, user, .. }: Page<Anyone>) -> Response {
    if !opens_drill_console(page.drill, user.role) {
        return forbidden(page);
    }
    render(StatusCode::OK, &ConsolePage { page, speeds: &SPEEDS })
}

/// The 403 page for someone the console's door does not admit.
fn forbidden(page: PageContext) -> Response {
    let heading = crate::web::menu::heading(&page.t, "/drill");
    let message = page.t.get("message.forbidden");
    message_page(page, StatusCode::FORBIDDEN, &heading, &message)
}

/// The after-action report as a page, with the improvement plan to fill in.
async fn aar_page(State(state): State<AppState>, Page { page, user, .. }: Page<Anyone>) -> PageResult {
    if !opens_drill_console(page.drill, user.role) {
        return Ok(forbidden(page));
    }
    let Some(run) = &state.drill else {
        let (heading, text) = (page.t.get("drill.aar_title"), page.t.get("drill.not_running"));
        return Ok(message_page(page, StatusCode::NOT_FOUND, &heading, &text));
    };
    let report = super::http::report(run).await?;
    Ok(render(StatusCode::OK, &super::aar_page::view(page, &report)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn page(drill: bool) -> String {
        let page =
            PageContext { lang: Lang::Ja, t: crate::i18n::Words::new(Lang::Ja), drill, drill_clock: None, user: None };
        ConsolePage { page, speeds: &SPEEDS }.render().expect("the console renders")
    }

    #[test]
    fn the_console_renders_in_a_drill() {
        let html = page(true);
        assert!(html.contains("drill-banner"), "the 訓練 banner");
        for id in [
            "id=\"drill-console\"",
            "id=\"drill-on\"",
            "id=\"drill-clock\"",
            "id=\"drill-start\"",
            "id=\"drill-pause\"",
            "id=\"drill-resume\"",
            "id=\"drill-stop\"",
            "id=\"speed-select\"",
            "id=\"inject-list\"",
            "id=\"objectives\"",
            "id=\"general-observation-form\"",
            "id=\"plan-form\"",
            "href=\"/drill/aar\"",
            "href=\"/api/drill/aar.pdf\"",
            "/assets/drill.js",
            "/assets/drill.css",
        ] {
            assert!(html.contains(id), "{id}");
        }
        for speed in SPEEDS {
            assert!(html.contains(&format!("<option value=\"{speed}\">")), "speed {speed}");
        }
        // In a drill the explanation for the live server starts hidden.
        assert!(html.contains("id=\"drill-off\" hidden"));
    }

    #[test]
    fn on_a_live_server_the_console_explains_how_to_start_a_drill() {
        let html = page(false);
        assert!(!html.contains("class=\"drill-banner\""));
        assert!(html.contains("borasen serve --drill drills/rain-day3.toml"));
        assert!(html.contains("borasen drill run"));
        assert!(!html.contains("id=\"drill-off\" hidden"));
    }
}
