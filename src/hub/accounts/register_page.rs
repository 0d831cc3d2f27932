//! `/register`: the registration form as a page (no script), Japanese or
//! English. It sends the same body as `POST /api/accounts` through the same
//! command, so the page and the API refuse the same things with the same words.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use serde_json::{Map, Value, json};
use std::collections::HashMap;

use super::privacy::PRIVACY_VERSION;
use super::register::{self, RegistrationBody};
use crate::hub::state::HubState;
use crate::i18n::{Lang, word};

struct Field {
    name: &'static str,
    label: String,
    /// `text`, `email`, `password`, `date`, `number`, `select`, `checkbox`
    kind: &'static str,
    options: Vec<(&'static str, String)>,
}

#[derive(Template)]
#[template(path = "hub/register.html")]
struct RegisterPage {
    lang: &'static str,
    other_lang: &'static str,
    other_lang_label: String,
    title: String,
    error: String,
    fields: Vec<Field>,
    privacy_link: String,
    submit: String,
}

const TEXT: [(&str, &str); 16] = [
    ("email", "email"),
    ("password", "password"),
    ("name", "text"),
    ("furigana", "text"),
    ("birth_date", "date"),
    ("phone", "text"),
    ("address", "text"),
    ("residence", "select"),
    ("emergency_name", "text"),
    ("emergency_phone", "text"),
    ("kind", "select"),
    ("group_name", "text"),
    ("group_size", "number"),
    ("skills", "text"),
    ("vehicle", "text"),
    ("insurance", "select"),
];

/// The choices of a select field: value and label in `lang`.
pub(crate) fn options(lang: Lang, name: &str) -> Vec<(&'static str, String)> {
    let values: &[&'static str] = match name {
        "gender" => &["female", "male", "other"],
        "residence" => &["in", "out"],
        "kind" => &["individual", "group"],
        "insurance" => &["enrolled", "none"],
        "insurance_plan" => &["basic", "natural_disaster"],
        _ => &[],
    };
    values.iter().map(|v| (*v, word(lang, &format!("hub.register.choice.{name}.{v}")).into_owned())).collect()
}

fn page(lang: Lang, error: String) -> RegisterPage {
    let field = |name: &'static str, kind: &'static str| Field {
        name,
        label: word(lang, &format!("hub.register.field.{name}")).into_owned(),
        kind,
        options: options(lang, name),
    };
    let mut fields: Vec<Field> = TEXT.iter().map(|(name, kind)| field(name, kind)).collect();
    fields.push(field("insurance_plan", "select"));
    fields.push(field("guardian_consent", "checkbox"));
    fields.push(field("guardian_name", "text"));
    fields.push(field("privacy", "checkbox"));
    let other = if lang == Lang::Ja { Lang::En } else { Lang::Ja };
    RegisterPage {
        lang: lang.code(),
        other_lang: other.code(),
        other_lang_label: word(lang, "hub.page.other_language").into_owned(),
        title: word(lang, "hub.register.title").into_owned(),
        error,
        fields,
        privacy_link: word(lang, "hub.register.privacy_link").into_owned(),
        submit: word(lang, "hub.register.submit").into_owned(),
    }
}

fn html(status: StatusCode, rendered: askama::Result<String>) -> Response {
    match rendered {
        Ok(body) => (status, Html(body)).into_response(),
        Err(error) => {
            tracing::error!(%error, "hub page did not render");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

fn lang_of(query: &HashMap<String, String>, headers: &HeaderMap) -> Lang {
    match query.get("lang").map(String::as_str) {
        Some("en") => Lang::En,
        Some("ja") => Lang::Ja,
        _ => Lang::for_page(headers),
    }
}

pub async fn form_page(Query(query): Query<HashMap<String, String>>, headers: HeaderMap) -> Response {
    html(StatusCode::OK, page(lang_of(&query, &headers), String::new()).render())
}

/// The profile part of a form (registration or the profile page) as the API
/// takes it (`profile` of `POST /api/accounts`, the body of `PUT /api/profile`):
/// empty fields left out, skills split at commas, numbers parsed (a number
/// that is not one becomes 0, which the checks refuse naming the field).
pub(crate) fn profile_json(form: &HashMap<String, String>) -> Map<String, Value> {
    let text = |name: &str| form.get(name).map(|v| v.trim()).filter(|v| !v.is_empty());
    let mut profile = Map::new();
    for name in [
        "name",
        "furigana",
        "birth_date",
        "gender",
        "phone",
        "address",
        "residence",
        "emergency_name",
        "emergency_phone",
        "kind",
        "group_name",
        "vehicle",
        "insurance",
        "insurance_plan",
        "guardian_name",
    ] {
        if let Some(value) = text(name) {
            profile.insert(name.into(), json!(value));
        }
    }
    for name in ["group_size", "experience_count"] {
        if let Some(number) = text(name) {
            profile.insert(name.into(), number.parse::<i64>().map_or(json!(0), |n| json!(n)));
        }
    }
    let skills: Vec<&str> =
        text("skills").unwrap_or_default().split([',', '、', '，']).map(str::trim).filter(|s| !s.is_empty()).collect();
    profile.insert("skills".into(), json!(skills));
    profile.insert("guardian_consent".into(), json!(text("guardian_consent").is_some()));
    profile
}

/// The form's fields as `POST /api/accounts` takes them.
fn body_of(form: &HashMap<String, String>) -> Value {
    let text = |name: &str| form.get(name).map(|v| v.trim()).filter(|v| !v.is_empty());
    json!({
        "email": text("email").unwrap_or_default(),
        "password": form.get("password").cloned().unwrap_or_default(),
        "lang": text("lang"),
        "privacy_version": if text("privacy").is_some() { PRIVACY_VERSION } else { "" },
        "profile": profile_json(form),
    })
}

pub async fn submit(
    State(state): State<HubState>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let lang = lang_of(&query, &headers);
    let body: RegistrationBody = match serde_json::from_value(body_of(&form)) {
        Ok(body) => body,
        Err(_) => {
            return html(
                StatusCode::UNPROCESSABLE_ENTITY,
                page(lang, word(lang, "hub.register.unreadable").into_owned()).render(),
            );
        }
    };
    match register::register(&state, body).await {
        Ok(_) => {
            let done = super::pages::message(
                lang,
                word(lang, "hub.register.done.title").into_owned(),
                word(lang, "hub.register.done.body").into_owned(),
                "/register",
            );
            html(StatusCode::CREATED, done)
        }
        Err(error) => {
            let message = match &error.field {
                Some(field) => format!("{} ({field})", error.message.get(lang)),
                None => error.message.get(lang).to_string(),
            };
            html(error.status.http_status(), page(lang, message).render())
        }
    }
}
