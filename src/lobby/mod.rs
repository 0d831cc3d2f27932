//! The lobby board: a public projection for the screen in the waiting area.
//! It carries no personal data: [`view::LobbyView`] is built from row types
//! that select only public columns (see ARCHITECTURE.md, invariant 8).

pub mod http;
pub mod live;
pub mod view;
