//! The users page (利用者管理, admins): the staff accounts, with add, new
//! password and disable, and the disabled ones with enable; the script calls
//! `/api/users…`.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;

use super::extract::Admin;
use super::{Role, User, users};
use crate::state::AppState;
use crate::web::page::{Page, PageResult};
use crate::web::pages::{PageContext, render};

pub fn router() -> Router<AppState> {
    Router::new().route("/users", get(users_page))
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    page: PageContext,
    users: Vec<Row>,
    /// Disabled accounts, with their role's words.
    disabled: Vec<(User, String)>,
    /// Each role's API name and its words.
    roles: Vec<(&'static str, String)>,
}

struct Row {
    user: User,
    role: String,
    /// The admin's own account: no disable button.
    me: bool,
}

async fn users_page(State(state): State<AppState>, Page { page, user, .. }: Page<Admin>) -> PageResult {
    let label = |role: Role| page.t.get(&format!("users.role.{}", role.as_str())).to_string();
    let roles = Role::ALL.into_iter().map(|r| (r.as_str(), label(r))).collect();
    let users = users::list(&state.db.read)
        .await?
        .into_iter()
        .map(|u| Row { role: label(u.role), me: u.id == user.id, user: u })
        .collect();
    let disabled =
        users::list_disabled(&state.db.read).await?.into_iter().map(|u| (u.clone(), label(u.role))).collect();
    Ok(render(StatusCode::OK, &UsersPage { page, users, disabled, roles }))
}
