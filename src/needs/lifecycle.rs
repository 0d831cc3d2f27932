//! Which moves a need may make: 受付 → 調査中 → 待機 → 活動中 → 継続 → 完了 | 取消.
//! A closed need (完了, 取消) moves again only by an explicit reopen with a reason.

use super::model::Status;
use crate::i18n::Text;

/// The ordinary moves from `from` (not counting staying where it is).
pub fn next(from: Status) -> &'static [Status] {
    use Status::*;
    match from {
        Received => &[Surveying, Waiting, Cancelled],
        Surveying => &[Received, Waiting, Cancelled],
        Waiting => &[Surveying, Active, Cancelled],
        // A team on site comes back with 完了 or 継続, or is recalled (back to 待機).
        Active => &[Waiting, Continuing, Done],
        Continuing => &[Waiting, Active, Done, Cancelled],
        Done | Cancelled => &[],
    }
}

/// Where a reopened need may go.
pub fn reopen_targets(from: Status) -> &'static [Status] {
    use Status::*;
    match from {
        Done => &[Waiting, Continuing, Surveying],
        Cancelled => &[Received, Surveying, Waiting],
        _ => &[],
    }
}

/// A move that is not allowed, and why, in words for the coordinator.
#[derive(Debug, Clone, PartialEq)]
pub struct Refused(pub Text);

/// Checks one move. `reopen` asks to move a closed need; a reason is needed to
/// reopen and to cancel.
pub fn check(from: Status, to: Status, reopen: bool, reason: &str) -> Result<(), Refused> {
    let (f, t) = (from.label_ja(), to.label_ja());
    if reopen {
        if from.is_open() {
            return Err(Refused(Text::new(
                format!("{f}のニーズは再開できません（完了・取消のみ再開できます）。"),
                format!("A need that is {} is not closed: only done or cancelled needs are reopened.", from.label_en()),
            )));
        }
        if !reopen_targets(from).contains(&to) {
            return Err(Refused(Text::new(
                format!("{f}のニーズは{t}として再開できません。"),
                format!("A {} need cannot be reopened as {}.", from.label_en(), to.label_en()),
            )));
        }
    } else if !next(from).contains(&to) {
        return Err(Refused(if from.is_open() {
            Text::new(
                format!("{f}から{t}には変更できません。"),
                format!("A need cannot go from {} to {}.", from.label_en(), to.label_en()),
            )
        } else {
            Text::new(
                format!("{f}のニーズを{t}に戻すには、理由を添えて再開してください。"),
                format!(
                    "A {} need goes back to {} only by reopening it with a reason.",
                    from.label_en(),
                    to.label_en()
                ),
            )
        }));
    }
    if (reopen || to == Status::Cancelled) && reason.trim().is_empty() {
        return Err(Refused(Text::new(
            if reopen {
                "再開の理由を入力してください。"
            } else {
                "取消の理由を入力してください。"
            },
            if reopen { "Give the reason for reopening." } else { "Give the reason for cancelling." },
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::Status::*;
    use super::*;

    #[test]
    fn the_ordinary_path_is_allowed() {
        for (from, to) in [
            (Received, Surveying),
            (Surveying, Waiting),
            (Waiting, Active),
            (Active, Continuing),
            (Continuing, Active),
            (Active, Done),
            (Received, Waiting),
            (Active, Waiting),
        ] {
            assert_eq!(check(from, to, false, ""), Ok(()), "{from:?} → {to:?}");
        }
    }

    #[test]
    fn shortcuts_and_closed_needs_are_refused() {
        for (from, to) in [(Received, Active), (Received, Done), (Waiting, Done), (Done, Active), (Cancelled, Waiting)]
        {
            assert!(check(from, to, false, "理由").is_err(), "{from:?} → {to:?}");
        }
        let refused = check(Done, Active, false, "").unwrap_err();
        assert!(refused.0.ja.contains("再開"), "says how: {}", refused.0.ja);
    }

    #[test]
    fn reopening_needs_a_closed_need_and_a_reason() {
        assert_eq!(check(Done, Waiting, true, "泥が再流入"), Ok(()));
        assert_eq!(check(Cancelled, Received, true, "取消の誤り"), Ok(()));
        assert!(check(Done, Waiting, true, " ").is_err());
        assert!(check(Done, Active, true, "理由").is_err(), "a reopened need waits for a team first");
        assert!(check(Waiting, Received, true, "理由").is_err());
    }

    #[test]
    fn cancelling_needs_a_reason() {
        assert!(check(Waiting, Cancelled, false, "").is_err());
        assert_eq!(check(Waiting, Cancelled, false, "業者に依頼済み"), Ok(()));
        assert!(check(Active, Cancelled, false, "理由").is_err(), "a team is on site: recall it first");
    }
}
