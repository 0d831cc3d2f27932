//! The page layer: who may open a page, and what a page answers when it fails.
//!
//! A page handler takes [`Page<R>`] with `R` from the role table
//! ([`crate::auth::extract::Allowed`]): no session redirects to the login page,
//! a role outside `R` gets the 403 message page, and the handler cannot forget
//! the check. Public pages take a bare [`PageContext`]. A handler returns
//! `Result<Response, PageError>`: `?` on a domain error renders the message
//! page in the caller's language ([`render_failures`]), never a JSON body.

use std::marker::PhantomData;

use axum::extract::{FromRequestParts, Request, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

use super::menu;
use super::pages::{PageContext, message_page};
use crate::auth::User;
use crate::auth::extract::{Allowed, CurrentUser};
use crate::error::AppError;
use crate::state::AppState;

/// A page for a logged-in user whose role `R` admits.
pub struct Page<R: Allowed> {
    pub user: User,
    /// The layout's context, with the user in it.
    pub page: PageContext,
    role: PhantomData<R>,
}

impl<R: Allowed> FromRequestParts<AppState> for Page<R> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let Ok(CurrentUser(user)) = CurrentUser::from_request_parts(parts, state).await else {
            return Err(Redirect::to("/login").into_response());
        };
        let page = PageContext::new(state, &parts.headers, Some(user.clone()));
        if !R::admits(user.role) {
            let heading = menu::heading(&page.t, parts.uri.path());
            let message = page.t.get("message.forbidden");
            return Err(message_page(page, StatusCode::FORBIDDEN, &heading, &message));
        }
        Ok(Page { user, page, role: PhantomData })
    }
}

/// A public page: the layout's context without a user.
impl FromRequestParts<AppState> for PageContext {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(PageContext::new(state, &parts.headers, None))
    }
}

/// What a page handler answers.
pub type PageResult = Result<Response, PageError>;

/// A page that could not be made: the domain's error, shown as a message page.
#[derive(Debug)]
pub struct PageError(AppError);

impl<E: Into<AppError>> From<E> for PageError {
    fn from(error: E) -> PageError {
        PageError(error.into())
    }
}

/// The failure a [`PageError`] leaves on its response for [`render_failures`].
#[derive(Clone)]
struct PageFailure(AppError);

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let mut response = self.0.status.http_status().into_response();
        response.extensions_mut().insert(PageFailure(self.0));
        response
    }
}

/// Middleware: renders a [`PageError`] as the message page, in the language
/// and drill state of the request (which the error itself does not know).
pub async fn render_failures(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let headers = request.headers().clone();
    let response = next.run(request).await;
    let Some(PageFailure(error)) = response.extensions().get::<PageFailure>().cloned() else {
        return response;
    };
    let page = PageContext::new(&state, &headers, None);
    let heading = page.t.get("app.name");
    let message = error.message.get(page.lang).to_string();
    message_page(page, error.status.http_status(), &heading, &message)
}
