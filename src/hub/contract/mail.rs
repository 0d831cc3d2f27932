//! The outbox's fate of a message: sent, or given up. The message id and its
//! kind, never the address.

hub_event! {
    /// A message left (subject `mail:<outbox id>`): handed to the SMTP server,
    /// or written to the mail folder.
    #[kind = "mail.sent"]
    pub struct MailSent {
        pub outbox_id: i64,
        /// The Message-ID, without angle brackets.
        pub message_id: String,
        /// `verification`, `booked`, `waitlisted`…
        pub message_kind: String,
        /// Tries it took, this one included.
        pub attempts: i32,
    }
}

hub_event! {
    /// A message was given up (subject `mail:<outbox id>`): the server refused
    /// it for good, or it failed too many times.
    #[kind = "mail.failed"]
    pub struct MailFailed {
        pub outbox_id: i64,
        pub message_id: String,
        pub message_kind: String,
        pub attempts: i32,
        /// The last error, as the SMTP server said it (no address).
        pub error: String,
    }
}

hub_event! {
    /// A message did not leave this time and will be tried again (subject `mail:<outbox id>`).
    #[kind = "mail.deferred"]
    pub struct MailDeferred {
        pub outbox_id: i64,
        pub message_id: String,
        pub message_kind: String,
        pub attempts: i32,
        pub retry_in_seconds: u64,
        pub error: String,
    }
}
