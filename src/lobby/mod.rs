//! The lobby board: a public projection for the screen in the waiting area.

pub mod http;
