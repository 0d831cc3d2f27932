//! The router that joins the domains' own routers.

use axum::Router;
use axum::middleware;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;
use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

use crate::{
    auth, board, dispatch, drill, error, idempotency, inventory, lobby, map, needs, openapi, reception, reports,
    settings, setup, web, zones,
};

/// Every `/api` route is registered here through a domain's `OpenApiRouter`,
/// so the OpenAPI document cannot miss one.
pub fn router(state: AppState) -> Router {
    let once = idempotency::Once::new(state.db.clone());
    let (api, doc) = OpenApiRouter::with_openapi(openapi::base())
        .merge(auth::http::router())
        .merge(board::http::router())
        .merge(reception::http::router())
        .merge(zones::http::router())
        .merge(zones::address_http::router())
        .merge(map::http::router())
        .merge(needs::http::router())
        .merge(inventory::http::router())
        .merge(dispatch::http::router())
        .merge(lobby::http::router())
        .merge(reports::http::router())
        .merge(drill::http::router())
        .merge(settings::http::router())
        .merge(crate::hub_link::http::router())
        .merge(openapi::router())
        .split_for_parts();
    let rendered = openapi::render(doc);
    let _ = state.openapi_json.set(rendered);

    let pages = [
        board::http::ws_router(),
        web::router(),
        reception::pages::router(),
        map::http::pages(),
        needs::pages::router(),
        inventory::http::pages(),
        dispatch::pages::router(),
        dispatch::closing_http::pages(),
        auth::users_page::router(),
        lobby::http::pages(),
        drill::pages::router(),
        setup::router(),
        settings::pages(),
    ];
    pages
        .into_iter()
        .fold(Router::new().merge(api), Router::merge)
        .route("/tiles/{z}/{x}/{y}", axum::routing::get(zones::tiles::tile))
        .fallback(web::not_found)
        .layer(middleware::from_fn_with_state(state.clone(), web::page::render_failures))
        .layer(middleware::from_fn_with_state(
            drill::outage_layer::Offline::new(&state),
            drill::outage_layer::desks_offline,
        ))
        .layer(middleware::from_fn_with_state(once, idempotency::apply_once))
        .layer(middleware::from_fn(auth::csrf::same_origin_only))
        .layer(middleware::from_fn(web::headers::secure))
        .layer(CatchPanicLayer::custom(error::panic_response))
        .layer(middleware::from_fn(error::localize))
        // Outside `localize`, which reads the bodies it re-renders.
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
