//! The AAR as a page (`/drill/aar`): the same sections as the PDF, the timeline
//! as inline SVG, and the improvement plan as a form the trainer fills in
//! (it posts each row to `POST /api/drill/plan`).

use askama::Template;

use super::aar::{Aar, MetricLine};
use super::aar_pdf::{participants, tally};
use super::log::PlanItem;
use super::timeline;
use crate::web::pages::PageContext;

#[derive(Template)]
#[template(path = "drill/aar.html")]
pub(super) struct AarPage<'a> {
    page: PageContext,
    aar: &'a Aar,
    /// Inline SVG, drawn by us (no user text in it but labels of our own).
    chart: String,
    metric_lines: Vec<MetricLine>,
    participants: String,
    tally: String,
    /// The rows the trainer wrote, then blank ones for new rows.
    plan: &'a [PlanItem],
    blank_rows: usize,
}

/// The page's view of the report; `drill::pages` renders it.
pub(super) fn view(page: PageContext, aar: &Aar) -> AarPage<'_> {
    AarPage {
        aar,
        chart: timeline::svg(aar, page.lang),
        metric_lines: aar.metric_lines(page.lang),
        participants: participants(aar, page.lang),
        tally: tally(aar, page.lang),
        plan: &aar.plan,
        blank_rows: aar.plan_rows().len() - aar.plan.len(),
        page,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drill::aar::tests::{SECTIONS, built};
    use crate::i18n::Lang;

    #[test]
    fn the_aar_page_shows_every_section_and_the_plan_form() {
        let aar = built();
        let ctx = PageContext {
            lang: Lang::Ja,
            t: crate::i18n::Words::new(Lang::Ja),
            drill: true,
            drill_clock: None,
            user: None,
        };
        let html = view(ctx, &aar).render().expect("renders");
        for expected in ["事後検証報告書（AAR）"].into_iter().chain(SECTIONS).chain([
            "受付開始から30分以内に全員を受け付ける",
            "<svg",
            "/api/drill/aar.pdf",
            "/api/drill/aar.json",
            "/assets/aar.js",
            "drill-banner",
        ]) {
            assert!(html.contains(expected), "missing {expected}");
        }
        assert_eq!(html.matches(r#"class="plan-row""#).count(), 5, "two written rows and three blank");
        assert!(html.contains(r#"data-row="2""#) && html.contains(r#"data-row="""#));
        assert!(html.contains("b2"), "the latest text of row 2");
    }
}
