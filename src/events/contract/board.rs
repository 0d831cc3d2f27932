//! The board's notices (本部からのお知らせ).

event! {
    /// A notice was posted (subject `notice:<id>`).
    #[kind = "board.notice_posted"]
    pub struct NoticePosted {
        pub id: i64,
        pub text: String,
        /// Shown on the public lobby screen too.
        pub lobby: bool,
    }
}
