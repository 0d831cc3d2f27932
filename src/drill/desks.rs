//! The desks (screens) an `ict_outage` can take offline, and which pages and
//! API routes each one is. A desk is a tablet or screen of the center: while
//! it is cut off, its pages, its API calls and its websocket are refused, and
//! the section works on paper.

use serde::{Deserialize, Serialize};

use super::scenario::Section;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Desk {
    /// 受付: volunteers, check-in and -out.
    Reception,
    /// ニーズ: need cards, the map, addresses.
    Needs,
    /// マッチング・送り出し: teams, the waiting pool, dispatch and returns.
    #[serde(alias = "dispatch")]
    Matching,
    /// 資機材: the equipment ledger.
    Equipment,
    /// 掲示板: the board screen and its live feed.
    Board,
}

/// Each desk's pages and API route prefixes. A prefix covers itself, what lies
/// under it (`/api/needs/12`) and its files (`/api/needs.csv`).
const ROUTES: &[(Desk, &[&str])] = &[
    (
        Desk::Reception,
        &["/reception", "/api/volunteers", "/api/checkins", "/api/checkouts", "/api/reception", "/api/capacity"],
    ),
    (Desk::Needs, &["/needs", "/api/needs", "/map", "/api/map.svg", "/api/addresses", "/api/zones/locate"]),
    (Desk::Matching, &["/matching", "/api/teams", "/api/waiting", "/api/matching"]),
    (Desk::Equipment, &["/inventory", "/api/items"]),
    (Desk::Board, &["/board"]),
];

/// The board's snapshot and live feed serve every page that follows the log;
/// the page says which with `?page=` (its own path), else it is the board's.
const FOLLOWED: &[&str] = &["/api/board", "/ws/board"];

impl Desk {
    pub const ALL: [Desk; 5] = [Desk::Reception, Desk::Needs, Desk::Matching, Desk::Equipment, Desk::Board];

    /// The desk a request is for: by its path, and for the board's feed by
    /// the page that follows it (its `?page=`).
    pub fn of_request(path: &str, page: Option<&str>) -> Option<Desk> {
        if FOLLOWED.iter().any(|prefix| covers(prefix, path)) {
            return Some(page.and_then(Desk::of_page).unwrap_or(Desk::Board));
        }
        Desk::of_page(path)
    }

    /// The desk of a page or API path, if it is one.
    pub fn of_page(path: &str) -> Option<Desk> {
        ROUTES.iter().find(|(_, prefixes)| prefixes.iter().any(|p| covers(p, path))).map(|(desk, _)| *desk)
    }

    /// The desks a section works at (`all`: every desk).
    pub fn of_section(section: Section) -> Vec<Desk> {
        match section {
            Section::Reception => vec![Desk::Reception],
            Section::Needs => vec![Desk::Needs],
            Section::Matching | Section::Dispatch => vec![Desk::Matching],
            Section::Equipment => vec![Desk::Equipment],
            Section::All => Desk::ALL.to_vec(),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Desk::Reception => "reception",
            Desk::Needs => "needs",
            Desk::Matching => "matching",
            Desk::Equipment => "equipment",
            Desk::Board => "board",
        }
    }

    pub fn from_name(name: &str) -> Option<Desk> {
        Desk::ALL.into_iter().find(|d| d.name() == name).or((name == "dispatch").then_some(Desk::Matching))
    }

    /// Its name on the center's signs, for the refusal.
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            Desk::Reception => ("受付", "reception"),
            Desk::Needs => ("ニーズ受付", "needs"),
            Desk::Matching => ("マッチング・送り出し", "matching and dispatch"),
            Desk::Equipment => ("資機材", "equipment"),
            Desk::Board => ("掲示板", "the board"),
        }
    }
}

fn covers(prefix: &str, path: &str) -> bool {
    path.strip_prefix(prefix).is_some_and(|rest| rest.is_empty() || rest.starts_with('/') || rest.starts_with('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_desk_is_its_pages_and_routes() {
        assert_eq!(Desk::of_request("/reception", None), Some(Desk::Reception));
        assert_eq!(Desk::of_request("/api/checkins", None), Some(Desk::Reception));
        assert_eq!(Desk::of_request("/api/volunteers/12/badge.pdf", None), Some(Desk::Reception));
        assert_eq!(Desk::of_request("/api/needs.csv", None), Some(Desk::Needs));
        assert_eq!(Desk::of_request("/api/teams/3/return", None), Some(Desk::Matching));
        assert_eq!(Desk::of_request("/api/items/7/ledger", None), Some(Desk::Equipment));
        assert_eq!(Desk::of_request("/board", None), Some(Desk::Board));
        assert_eq!(Desk::of_request("/api/needsx", None), None, "a prefix ends at a boundary");
        assert_eq!(Desk::of_request("/api/drill/inbox", None), None, "the controller's messages still arrive");
        assert_eq!(Desk::of_request("/api/session", None), None);
    }

    #[test]
    fn the_board_feed_belongs_to_the_page_that_follows_it() {
        assert_eq!(Desk::of_request("/ws/board", None), Some(Desk::Board));
        assert_eq!(Desk::of_request("/ws/board", Some("/matching")), Some(Desk::Matching));
        assert_eq!(Desk::of_request("/api/board", Some("/map")), Some(Desk::Needs));
        assert_eq!(Desk::of_request("/ws/board", Some("/nowhere")), Some(Desk::Board));
        assert_eq!(Desk::of_request("/needs", Some("/board")), Some(Desk::Needs), "only the feed asks the page");
    }

    #[test]
    fn names_read_back_and_dispatch_is_the_matching_desk() {
        for desk in Desk::ALL {
            assert_eq!(Desk::from_name(desk.name()), Some(desk));
        }
        assert_eq!(Desk::from_name("dispatch"), Some(Desk::Matching));
        let read: Vec<Desk> = serde_json::from_str(r#"["dispatch","board"]"#).unwrap();
        assert_eq!(read, vec![Desk::Matching, Desk::Board]);
        assert_eq!(Desk::of_section(Section::All).len(), 5);
    }
}
