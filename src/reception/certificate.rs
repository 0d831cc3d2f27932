//! 活動証明書: the activity certificate PDF.
