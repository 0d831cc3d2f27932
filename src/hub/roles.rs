//! Who may call what. Every account has one role; a handler states the roles it
//! takes in its signature, `Signed<R>` (401 without a session, 403 for another
//! role), so it cannot forget the check. The role matrix test
//! (`tests/hub/role_matrix.rs`) walks every documented route with every role.

use std::marker::PhantomData;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::{Deserialize, Serialize};

use super::sessions::{self, SessionAccount};
use super::state::HubState;
use crate::error::{AppError, Class};
use crate::i18n::Text;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = HubRole)]
pub enum HubRole {
    /// ボランティア
    Volunteer,
    /// センター職員: one center's openings and lists.
    CenterStaff,
    /// ハブ管理者（県・市の社協）: every center.
    HubAdmin,
}

impl HubRole {
    pub fn as_str(self) -> &'static str {
        match self {
            HubRole::Volunteer => "volunteer",
            HubRole::CenterStaff => "center_staff",
            HubRole::HubAdmin => "hub_admin",
        }
    }

    pub fn parse(text: &str) -> Option<HubRole> {
        match text {
            "volunteer" => Some(HubRole::Volunteer),
            "center_staff" => Some(HubRole::CenterStaff),
            "hub_admin" => Some(HubRole::HubAdmin),
            _ => None,
        }
    }
}

/// A set of accounts a handler takes.
pub trait Allowed: Send + Sync + 'static {
    fn allows(account: &SessionAccount) -> Result<(), AppError>;
}

fn role_in(account: &SessionAccount, roles: &[HubRole]) -> Result<(), AppError> {
    if roles.contains(&account.role) { Ok(()) } else { Err(AppError::forbidden()) }
}

/// Anybody logged in.
pub struct AnyAccount;
/// A volunteer, verified or not (their own profile, deleting it).
pub struct Volunteer;
/// A volunteer whose address is verified: booking.
pub struct VerifiedVolunteer;
/// Center staff or a hub admin (what a center's staff may see, a hub admin sees for every center).
pub struct Staff;
/// A hub admin only.
pub struct HubAdmin;

impl Allowed for AnyAccount {
    fn allows(_: &SessionAccount) -> Result<(), AppError> {
        Ok(())
    }
}

impl Allowed for Volunteer {
    fn allows(account: &SessionAccount) -> Result<(), AppError> {
        role_in(account, &[HubRole::Volunteer])
    }
}

impl Allowed for VerifiedVolunteer {
    fn allows(account: &SessionAccount) -> Result<(), AppError> {
        role_in(account, &[HubRole::Volunteer])?;
        if account.verified {
            return Ok(());
        }
        Err(AppError::new(
            Class::Refused,
            "email_not_verified",
            Text::new(
                "メールアドレスの確認が済んでいません。届いたメールのリンクを開いてください。",
                "Your mail address is not verified yet. Open the link in the mail we sent.",
            ),
        ))
    }
}

impl Allowed for Staff {
    fn allows(account: &SessionAccount) -> Result<(), AppError> {
        role_in(account, &[HubRole::CenterStaff, HubRole::HubAdmin])
    }
}

impl Allowed for HubAdmin {
    fn allows(account: &SessionAccount) -> Result<(), AppError> {
        role_in(account, &[HubRole::HubAdmin])
    }
}

/// The caller's account, checked against `R`, with the state.
pub struct Signed<R: Allowed> {
    pub account: SessionAccount,
    pub state: HubState,
    _role: PhantomData<R>,
}

impl<R: Allowed> FromRequestParts<HubState> for Signed<R> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &HubState) -> Result<Self, AppError> {
        let token = sessions::token_from(&parts.headers).ok_or_else(AppError::unauthenticated)?;
        let account = sessions::account_for(&state.db, &token).await?.ok_or_else(AppError::unauthenticated)?;
        R::allows(&account)?;
        Ok(Signed { account, state: state.clone(), _role: PhantomData })
    }
}

impl<R: Allowed> Signed<R> {
    /// What this caller's writes carry as their actor.
    pub fn actor(&self) -> super::events::HubActor {
        super::events::HubActor::account(self.account.id)
    }
}
