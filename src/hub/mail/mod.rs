//! Mail from the hub. A change that causes a message queues it with
//! [`outbox::enqueue`] in its own transaction, so the message exists exactly
//! when the change does. A [`worker`] in every hub process sends what is due
//! (rows claimed `FOR UPDATE SKIP LOCKED`, so two processes never take the
//! same one), with retries and backoff, through SMTP or into `--mail-dir`
//! ([`transport`]).

pub mod outbox;
pub mod transport;
pub mod worker;

pub use outbox::{InlinePart, Mail, enqueue};
