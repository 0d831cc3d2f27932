//! `/me/profile`: my profile, prefilled, saved through `accounts::update`
//! (the checks of registration and of `PUT /api/profile`); a refusal is shown
//! at the field it names, with what was typed kept.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use super::{Chrome, OrPage, Visit, field_of, html, see_other};
use crate::hub::accounts::profile::{self, ProfileForm, ProfileView};
use crate::hub::accounts::register_page::{options, profile_json};
use crate::hub::accounts::update;
use crate::hub::state::HubState;
use crate::i18n::{Lang, word};

pub(super) struct Field {
    name: &'static str,
    label: String,
    /// `text`, `date`, `number`, `select`, `checkbox`
    kind: &'static str,
    value: String,
    options: Vec<(&'static str, String)>,
    /// This field's error, when the last save was refused for it.
    error: String,
}

#[derive(Template)]
#[template(path = "hub_volunteer/profile.html")]
struct ProfilePage {
    c: Chrome,
    notice: String,
    error: String,
    fields: Vec<Field>,
}

/// The form's fields, in order, with their kind.
const FIELDS: [(&str, &str); 19] = [
    ("name", "text"),
    ("furigana", "text"),
    ("birth_date", "date"),
    ("gender", "select"),
    ("phone", "tel"),
    ("address", "text"),
    ("residence", "select"),
    ("emergency_name", "text"),
    ("emergency_phone", "tel"),
    ("kind", "select"),
    ("group_name", "text"),
    ("group_size", "number"),
    ("skills", "text"),
    ("vehicle", "text"),
    ("insurance", "select"),
    ("insurance_plan", "select"),
    ("experience_count", "number"),
    ("guardian_consent", "checkbox"),
    ("guardian_name", "text"),
];

fn label(lang: Lang, name: &str) -> String {
    match name {
        "gender" | "experience_count" => word(lang, &format!("hub_volunteer.profile.field.{name}")).into_owned(),
        _ => word(lang, &format!("hub.register.field.{name}")).into_owned(),
    }
}

/// The stored profile as the form's values.
fn values_of(view: &ProfileView) -> HashMap<String, String> {
    let some = |v: &Option<String>| v.clone().unwrap_or_default();
    HashMap::from([
        ("name".into(), view.name.clone()),
        ("furigana".into(), view.furigana.clone()),
        ("birth_date".into(), view.birth_date.format("%Y-%m-%d").to_string()),
        ("gender".into(), some(&view.gender)),
        ("phone".into(), view.phone.clone()),
        ("address".into(), view.address.clone()),
        ("residence".into(), view.residence.clone()),
        ("emergency_name".into(), view.emergency_name.clone()),
        ("emergency_phone".into(), view.emergency_phone.clone()),
        ("kind".into(), view.kind.clone()),
        ("group_name".into(), some(&view.group_name)),
        ("group_size".into(), view.group_size.map(|n| n.to_string()).unwrap_or_default()),
        ("skills".into(), view.skills.join("、")),
        ("vehicle".into(), some(&view.vehicle)),
        ("insurance".into(), view.insurance.clone()),
        ("insurance_plan".into(), some(&view.insurance_plan)),
        ("experience_count".into(), view.experience_count.to_string()),
        ("guardian_consent".into(), if view.guardian_consent { "yes".into() } else { String::new() }),
        ("guardian_name".into(), some(&view.guardian_name)),
    ])
}

fn page(lang: Lang, values: &HashMap<String, String>, notice: String, error: String, error_field: &str) -> ProfilePage {
    let fields = FIELDS
        .iter()
        .map(|(name, kind)| Field {
            name,
            label: label(lang, name),
            kind,
            value: values.get(*name).cloned().unwrap_or_default(),
            options: options(lang, name),
            error: if *name == error_field { error.clone() } else { String::new() },
        })
        .collect();
    ProfilePage {
        c: Chrome::new(lang, "/me/profile", word(lang, "hub_volunteer.profile.title").into_owned(), true),
        notice,
        error,
        fields,
    }
}

pub async fn form(State(state): State<HubState>, Visit { account, lang, query }: Visit) -> Response {
    let stored = match profile::read(&state.db, account.id).await.or_page(lang) {
        Ok(stored) => stored,
        Err(answer) => return answer,
    };
    let values = stored.as_ref().map(values_of).unwrap_or_default();
    let notice = match query.done.as_deref() {
        Some("saved") => word(lang, "hub_volunteer.profile.saved").into_owned(),
        _ => String::new(),
    };
    html(StatusCode::OK, page(lang, &values, notice, String::new(), "").render())
}

pub async fn submit(
    State(state): State<HubState>,
    Visit { account, lang, .. }: Visit,
    Form(typed): Form<HashMap<String, String>>,
) -> Response {
    let form: ProfileForm = match serde_json::from_value(serde_json::Value::Object(profile_json(&typed))) {
        Ok(form) => form,
        Err(_) => {
            let unreadable = word(lang, "hub.register.unreadable").into_owned();
            return html(StatusCode::UNPROCESSABLE_ENTITY, page(lang, &typed, String::new(), unreadable, "").render());
        }
    };
    match update::update(&state, account.id, form).await {
        Ok(()) => see_other("/me/profile?done=saved", lang),
        Err(error) => {
            let message = error.message.get(lang).to_string();
            let rendered = page(lang, &typed, String::new(), message, field_of(&error)).render();
            html(error.status.http_status(), rendered)
        }
    }
}
