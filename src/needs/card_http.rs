//! The need card on paper (ニーズ票), for the roles that see the need's personal fields.

use axum::extract::{Path, State};
use axum::response::Response;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{card_pdf, store};
use crate::auth::extract::CoordinatorUser;
use crate::error::{AppError, ErrorBody};
use crate::i18n::Text;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(need_card))
}

/// ニーズ票: the need card, A4, with its number as a QR code for the matching desk's
/// scanner (personal data: coordinators and admins only).
#[utoipa::path(get, path = "/api/needs/{id}/card.pdf", tag = "needs", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/pdf"), (status = 404, body = ErrorBody)))]
async fn need_card(
    State(state): State<AppState>,
    _who: CoordinatorUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let need = store::need(&state.db.read, id)
        .await?
        .ok_or_else(|| AppError::not_found(Text::new("該当するニーズが見つかりません。", "No such need.")))?;
    let center = crate::settings::current(&mut *state.db.read.acquire().await?).await?.values.center_name;
    let (now, drill) = (state.clock.now(), state.db.is_drill());
    let name = format!("need-card-{}.pdf", need.need_no);
    crate::web::drawn_pdf(&name, move || card_pdf::render(&need, &center, now, drill)).await
}
