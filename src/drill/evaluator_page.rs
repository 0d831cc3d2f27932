//! The evaluator's page (`/evaluation`, evaluators and trainers): each
//! expected action with its detected result and a form to mark it met / late
//! / missed with a note (the reason, when it overrides a detected result);
//! each objective, by capability, with observations, strengths and areas for
//! improvement to add. Drawn on the server from the same view as `GET
//! /api/drill/evaluation`; `evaluator.js` posts each form and reloads.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;

use super::evaluate::InjectStatus;
use super::evaluator_http::{EvaluationView, ExpectMarkView, ObjectiveFindings, evaluation_view};
use crate::auth::extract::DrillController;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::web::page::{Page, PageResult};
use crate::web::pages::{PageContext, message_page, render};

pub fn router() -> Router<AppState> {
    Router::new().route("/evaluation", get(evaluation_page))
}

/// One capability's objectives on the page.
pub struct Group<'a> {
    pub capability: Option<&'a str>,
    pub objectives: Vec<&'a ObjectiveFindings>,
}

#[derive(Template)]
#[template(path = "drill/evaluate.html")]
pub(super) struct EvaluationPage<'a> {
    page: PageContext,
    view: &'a EvaluationView,
    groups: Vec<Group<'a>>,
}

impl ExpectMarkView {
    pub fn status_words(&self, lang: Lang) -> String {
        super::aar::result_words(lang, self.status, self.status == InjectStatus::Fired && !self.detect)
    }
    pub fn detected_words(&self, lang: Lang) -> String {
        self.detected_status.map(|s| super::aar::result_words(lang, s, false)).unwrap_or_default()
    }
    pub fn status_class(&self) -> &'static str {
        super::aar::status_class(self.status)
    }
    pub fn fired(&self) -> bool {
        self.fired_at.is_some()
    }
    pub fn hm(&self, at: &Option<String>) -> String {
        at.as_deref().and_then(|t| t.get(11..16)).unwrap_or("—").to_string()
    }
}

fn groups(view: &EvaluationView) -> Vec<Group<'_>> {
    let mut groups: Vec<Group> = Vec::new();
    let named = view.objectives.iter().filter(|o| o.capability.is_some());
    for o in named.chain(view.objectives.iter().filter(|o| o.capability.is_none())) {
        match groups.iter_mut().find(|g| g.capability == o.capability.as_deref()) {
            Some(group) => group.objectives.push(o),
            None => groups.push(Group { capability: o.capability.as_deref(), objectives: vec![o] }),
        }
    }
    groups
}

pub(super) fn view<'a>(page: PageContext, view: &'a EvaluationView) -> EvaluationPage<'a> {
    EvaluationPage { page, view, groups: groups(view) }
}

async fn evaluation_page(State(state): State<AppState>, Page { page, .. }: Page<DrillController>) -> PageResult {
    let Some(run) = &state.drill else {
        // The menu shows the page on a live server too: it says where drills run.
        let (heading, text) = (page.t.get("drill.evaluator.page.title"), page.t.get("drill.not_running"));
        return Ok(message_page(page, StatusCode::OK, &heading, &text));
    };
    let evaluation = run.evaluation().await?;
    let events = run.events().await?;
    let data = evaluation_view(run, &evaluation, &events);
    Ok(render(StatusCode::OK, &view(page, &data)))
}
