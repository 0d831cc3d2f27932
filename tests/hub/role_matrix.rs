//! The role matrix: every route in the hub's OpenAPI document is listed here
//! with who may call it, and every caller is tried on every route. A new route
//! fails `every_documented_route_is_in_the_matrix` until it gets its line.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::database_or_skip;
use crate::process::{ADMIN_EMAIL, ADMIN_PASSWORD, Hub, MailTo, client, logged_in};
use crate::volunteers;

/// Who may call a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Who {
    /// Anybody, no session (its answer may still be 401 for bad credentials).
    Public,
    AnyAccount,
    /// A volunteer, verified or not.
    Volunteer,
    /// A volunteer whose address is verified.
    VerifiedVolunteer,
    /// Center staff or a hub admin.
    Staff,
    HubAdmin,
    /// A center's sync key (`Authorization: Bearer`), never a session: every
    /// caller of the matrix (sessions only) gets 401.
    CenterKey,
}

/// `(method, path as documented, who)`; one line per operation.
pub const MATRIX: &[(&str, &str, Who)] = &[
    ("GET", "/api/openapi.json", Who::Public),
    ("POST", "/api/session", Who::Public),
    ("GET", "/api/session", Who::AnyAccount),
    ("DELETE", "/api/session", Who::AnyAccount),
    ("POST", "/api/staff", Who::HubAdmin),
    ("POST", "/api/accounts", Who::Public),
    ("POST", "/api/accounts/verify", Who::Public),
    ("POST", "/api/accounts/verification", Who::Volunteer),
    ("POST", "/api/password-reset", Who::Public),
    ("POST", "/api/password-reset/confirm", Who::Public),
    ("GET", "/api/profile", Who::Volunteer),
    ("PUT", "/api/profile", Who::Volunteer),
    ("POST", "/api/account/delete", Who::Volunteer),
    ("POST", "/api/openings", Who::Staff),
    ("GET", "/api/openings", Who::AnyAccount),
    ("GET", "/api/openings/{id}", Who::AnyAccount),
    ("POST", "/api/openings/{id}/publish", Who::Staff),
    ("POST", "/api/openings/{id}/close", Who::Staff),
    ("POST", "/api/openings/{id}/cancel", Who::Staff),
    ("POST", "/api/openings/{id}/draw", Who::Staff),
    ("GET", "/api/openings/{id}/draw", Who::AnyAccount),
    ("GET", "/api/openings/{id}/counts", Who::Staff),
    ("GET", "/api/openings/{id}/bookings.csv", Who::Staff),
    ("POST", "/api/openings/{id}/bookings", Who::VerifiedVolunteer),
    ("GET", "/api/bookings", Who::Volunteer),
    ("GET", "/api/bookings/{id}", Who::Volunteer),
    ("DELETE", "/api/bookings/{id}", Who::Volunteer),
    ("POST", "/api/centers", Who::HubAdmin),
    ("GET", "/api/centers", Who::HubAdmin),
    ("POST", "/api/centers/{id}/key", Who::HubAdmin),
    ("GET", "/api/sync/bookings", Who::CenterKey),
    ("POST", "/api/sync/days", Who::CenterKey),
    ("GET", "/api/overview", Who::Staff),
    ("GET", "/api/overview.csv", Who::Staff),
    ("GET", "/api/overview/no-shows", Who::HubAdmin),
];

/// A caller of the matrix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Caller {
    Anonymous,
    UnverifiedVolunteer,
    Volunteer,
    CenterStaff,
    HubAdmin,
}

#[derive(Debug, PartialEq, Eq)]
enum Expect {
    Unauthenticated,
    Forbidden,
    Allowed,
}

fn expect(who: Who, caller: Caller) -> Expect {
    use Caller as C;
    if who == Who::Public {
        return Expect::Allowed;
    }
    if caller == C::Anonymous || who == Who::CenterKey {
        return Expect::Unauthenticated;
    }
    let allowed = match who {
        Who::Public | Who::AnyAccount => true,
        Who::Volunteer => matches!(caller, C::Volunteer | C::UnverifiedVolunteer),
        Who::VerifiedVolunteer => caller == C::Volunteer,
        Who::Staff => matches!(caller, C::CenterStaff | C::HubAdmin),
        Who::HubAdmin => caller == C::HubAdmin,
        Who::CenterKey => false,
    };
    if allowed { Expect::Allowed } else { Expect::Forbidden }
}

/// The documented operations, `(METHOD, path)`.
fn documented(doc: &Value) -> BTreeSet<(String, String)> {
    let mut operations = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in ["get", "put", "post", "delete", "patch"] {
            if item.get(method).is_some() {
                operations.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    operations
}

#[tokio::test]
async fn every_documented_route_is_in_the_matrix_and_every_caller_gets_its_answer() {
    let (_cluster, url) = database_or_skip!("hub");
    let mail = tempfile::tempdir().unwrap();
    let hub = Hub::start(&url, &MailTo::Dir(mail.path().to_path_buf()));
    let doc: Value = client().get(hub.url("/api/openapi.json")).send().await.unwrap().json().await.unwrap();
    let documented = documented(&doc);
    let listed: BTreeSet<(String, String)> = MATRIX.iter().map(|(m, p, _)| (m.to_string(), p.to_string())).collect();
    assert_eq!(documented, listed, "the matrix and the hub's OpenAPI document list the same operations");

    let admin = logged_in(&hub, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let staff = json!({ "email": "matrix-staff@hub.example.jp", "password": "matrix-staff-1", "role": "center_staff", "center_id": 1 });
    crate::process::register_center(&admin, &hub, 1).await;
    assert_eq!(admin.post(hub.url("/api/staff")).json(&staff).send().await.unwrap().status(), 201);

    assert_eq!(volunteers::register(&hub, "matrix-unverified@example.jp", volunteers::profile()).await.status(), 201);
    assert_eq!(volunteers::register(&hub, "matrix-verified@example.jp", volunteers::profile()).await.status(), 201);
    volunteers::verify_from_dir(&hub, mail.path(), "matrix-verified@example.jp").await;
    let callers = [
        (Caller::Anonymous, None),
        (Caller::UnverifiedVolunteer, Some(("matrix-unverified@example.jp", volunteers::PASSWORD))),
        (Caller::Volunteer, Some(("matrix-verified@example.jp", volunteers::PASSWORD))),
        (Caller::CenterStaff, Some(("matrix-staff@hub.example.jp", "matrix-staff-1"))),
        (Caller::HubAdmin, Some((ADMIN_EMAIL, ADMIN_PASSWORD))),
    ];

    // Logging out goes last, so the caller's session lives through the rest.
    let mut order: Vec<&(&str, &str, Who)> = MATRIX.iter().collect();
    order.sort_by_key(|(method, path, _)| {
        let ends_session = (*method == "DELETE" && *path == "/api/session") || *path == "/api/account/delete";
        (ends_session, *path, *method)
    });
    for (caller, credentials) in callers {
        let http = match credentials {
            Some((email, password)) => logged_in(&hub, email, password).await,
            None => client(),
        };
        for (method, path, who) in &order {
            let concrete = path.replace("{id}", "1");
            let request = http.request(method.parse().unwrap(), hub.url(&concrete));
            let request = if *method == "GET" { request } else { request.json(&json!({})) };
            let status = request.send().await.unwrap().status().as_u16();
            assert!(status < 500, "{caller:?} {method} {path}: {status}");
            let got = match status {
                401 => Expect::Unauthenticated,
                403 => Expect::Forbidden,
                _ => Expect::Allowed,
            };
            let wanted = expect(*who, caller);
            if *who == Who::Public {
                assert_ne!(got, Expect::Forbidden, "{caller:?} {method} {path}: {status}");
            } else {
                assert_eq!(got, wanted, "{caller:?} {method} {path}: {status}");
            }
        }
    }
}
