//! The 日報's own words: 特記事項, the day's remarks.

event! {
    /// The 特記事項 of an activity day were written (subject `day:<YYYY-MM-DD>`);
    /// the latest for a day is the one the 日報 prints.
    #[kind = "report.remarks_written"]
    pub struct RemarksWritten {
        /// Activity day, `YYYY-MM-DD`.
        pub day: String,
        /// The whole text (empty: cleared).
        pub text: String,
        /// How many times the day's remarks were written, this one included.
        pub version: i64,
    }
}
