//! The home menu, from the role table: each section's page and who may open
//! it, so nobody sees a link they cannot open. Every page handler takes
//! `Page<R>` with the same `R` as its line here (tested both ways: every link
//! shown answers 200, every link hidden answers 403).

use std::borrow::Cow;

use crate::auth::Role;
use crate::auth::extract::{Admin, Allowed, Coordinator, DrillController, Reception, Trainer};
use crate::i18n::{Section, Words};

/// A section's path and the roles its page admits.
const WHO_OPENS: [(&str, &[Role]); 10] = [
    ("/reception", Reception::ROLES),
    ("/needs", Coordinator::ROLES),
    ("/matching", Coordinator::ROLES),
    ("/inventory", Coordinator::ROLES),
    ("/board", Coordinator::ROLES),
    ("/drill", Trainer::ROLES),
    ("/evaluation", DrillController::ROLES),
    ("/closing", Admin::ROLES),
    ("/users", Admin::ROLES),
    ("/settings", Admin::ROLES),
];

fn opens(path: &str, role: Role, drill: bool) -> bool {
    if path == "/drill" && drill {
        return opens_drill_console(drill, role);
    }
    WHO_OPENS.iter().any(|(p, roles)| *p == path && roles.contains(&role))
}

/// The drill console and AAR pages: on a drill server its controllers only (the
/// trainer and the evaluator; the admin plays the exercise); on a live server,
/// which has no drill, trainers and admins (it says how to start one).
pub fn opens_drill_console(drill: bool, role: Role) -> bool {
    if drill { DrillController::admits(role) } else { Trainer::admits(role) }
}

/// The sections a role may open, in the menu's order (`drill`: on a drill server).
pub fn sections_for(t: &Words, role: Role, drill: bool) -> Vec<Section> {
    t.sections().into_iter().filter(|s| opens(&s.path, role, drill)).collect()
}

/// A page's heading for a message about it: its section's label, else the app's name.
pub fn heading(t: &Words, path: &str) -> Cow<'static, str> {
    let top = path.split('/').nth(1).unwrap_or_default();
    t.sections()
        .into_iter()
        .find(|s| s.path.trim_start_matches('/') == top)
        .map_or_else(|| t.get("app.name"), |s| s.label)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn every_section_of_the_menu_has_a_line_in_the_role_table() {
        for lang in [Lang::Ja, Lang::En] {
            for section in Words::new(lang).sections() {
                assert!(WHO_OPENS.iter().any(|(p, _)| *p == section.path), "{}", section.path);
            }
        }
    }

    #[test]
    fn reception_sees_only_the_desk_and_admin_sees_everything() {
        let t = Words::new(Lang::Ja);
        let paths = |role| sections_for(&t, role, false).into_iter().map(|s| s.path).collect::<Vec<_>>();
        assert_eq!(paths(Role::Reception), ["/reception"]);
        assert_eq!(paths(Role::Trainer), ["/drill", "/evaluation"]);
        assert_eq!(paths(Role::Evaluator), ["/evaluation"], "the evaluator's page, not the console");
        assert_eq!(paths(Role::Admin).len(), 9);
    }

    #[test]
    fn on_a_drill_server_the_console_is_the_controllers_and_the_admin_plays() {
        let t = Words::new(Lang::Ja);
        let paths = |role| sections_for(&t, role, true).into_iter().map(|s| s.path).collect::<Vec<_>>();
        assert_eq!(paths(Role::Trainer), ["/drill", "/evaluation"]);
        assert_eq!(paths(Role::Evaluator), ["/drill", "/evaluation"]);
        assert!(!paths(Role::Admin).contains(&"/drill".to_string()));
        assert_eq!(paths(Role::Admin).len(), 8, "everything else stays the admin's");
    }

    #[test]
    fn a_page_is_headed_by_its_section() {
        let t = Words::new(Lang::Ja);
        assert_eq!(heading(&t, "/drill/aar"), "訓練");
        assert_eq!(heading(&t, "/map"), t.get("app.name"));
    }
}
