//! The words of the pages, in Japanese and English.

use crate::i18n::Lang;

pub struct Section {
    pub path: &'static str,
    pub label: &'static str,
    pub description: &'static str,
}

pub struct Strings {
    pub app_name: &'static str,
    pub tagline: &'static str,
    pub login_title: &'static str,
    pub username: &'static str,
    pub password: &'static str,
    pub login_button: &'static str,
    pub logout: &'static str,
    pub home_title: &'static str,
    pub other_lang_label: &'static str,
    pub other_lang_code: &'static str,
    pub drill_banner: &'static str,
    pub coming_soon: &'static str,
    pub back_home: &'static str,
    pub not_found: &'static str,
    pub forbidden: &'static str,
    pub board_title: &'static str,
    pub live: &'static str,
    pub reconnecting: &'static str,
    pub latest_events: &'static str,
    pub notices: &'static str,
    pub pre_register_link: &'static str,
    pub notice_placeholder: &'static str,
    pub post_notice: &'static str,
    pub teams_out: &'static str,
    pub suspended: &'static str,
    pub overdue: &'static str,
    pub sections: [Section; 6],
}

pub fn strings(lang: Lang) -> &'static Strings {
    match lang {
        Lang::Ja => &JA,
        Lang::En => &EN,
    }
}

static JA: Strings = Strings {
    app_name: "ボラセン",
    tagline: "災害ボランティアセンター運営システム",
    login_title: "ログイン",
    username: "ユーザー名",
    password: "パスワード",
    login_button: "ログインする",
    logout: "ログアウト",
    home_title: "メニュー",
    other_lang_label: "English",
    other_lang_code: "en",
    drill_banner: "訓練 — この画面は訓練用です",
    coming_soon: "この画面は準備中です。",
    back_home: "メニューに戻る",
    not_found: "ページが見つかりません。",
    forbidden: "この画面を開く権限がありません。",
    board_title: "ボード",
    live: "接続中",
    reconnecting: "再接続中…",
    latest_events: "最新の出来事",
    notices: "本部からのお知らせ",
    pre_register_link: "ボランティアとして参加される方の事前登録はこちら",
    notice_placeholder: "例：12時から昼休憩。水分補給を忘れずに",
    post_notice: "掲示する",
    teams_out: "活動中の班",
    suspended: "活動中止中",
    overdue: "期限超過",
    sections: [
        Section {
            path: "/reception", label: "受付", description: "ボランティアの受付・事前登録・名札"
        },
        Section { path: "/needs", label: "ニーズ", description: "被災世帯からの依頼の受付と地図" },
        Section {
            path: "/matching", label: "マッチング", description: "班の編成と送り出し・活動報告"
        },
        Section { path: "/inventory", label: "資機材", description: "貸出・返却・在庫" },
        Section {
            path: "/board", label: "ボード", description: "センター全体の状況（リアルタイム）"
        },
        Section { path: "/drill", label: "訓練", description: "設置運営訓練のシナリオと振り返り" },
    ],
};

static EN: Strings = Strings {
    app_name: "borasen",
    tagline: "Disaster volunteer center operations",
    login_title: "Log in",
    username: "Username",
    password: "Password",
    login_button: "Log in",
    logout: "Log out",
    home_title: "Menu",
    other_lang_label: "日本語",
    other_lang_code: "ja",
    drill_banner: "DRILL — this screen is a training exercise",
    coming_soon: "This screen is not ready yet.",
    back_home: "Back to the menu",
    not_found: "Page not found.",
    forbidden: "Your role may not open this screen.",
    board_title: "Board",
    live: "Live",
    reconnecting: "Reconnecting…",
    latest_events: "Latest events",
    notices: "Notices from headquarters",
    pre_register_link: "Volunteers: pre-register here",
    notice_placeholder: "e.g. Lunch break at 12:00 — drink water",
    post_notice: "Post",
    teams_out: "Teams out",
    suspended: "Activities suspended",
    overdue: "overdue",
    sections: [
        Section { path: "/reception", label: "Reception", description: "Volunteer check-in, pre-registration, badges" },
        Section { path: "/needs", label: "Needs", description: "Household requests and the map" },
        Section { path: "/matching", label: "Matching", description: "Forming and dispatching teams, reports" },
        Section { path: "/inventory", label: "Equipment", description: "Lending, returns, stock" },
        Section { path: "/board", label: "Board", description: "The whole center, live" },
        Section { path: "/drill", label: "Drill", description: "Set-up-and-operation drills and reviews" },
    ],
};
