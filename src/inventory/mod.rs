//! Equipment (資機材): the catalogue, and the ledger every movement of stock
//! is written to. Stock on hand is always the sum of the ledger.

pub mod catalogue;
pub mod http;

pub use catalogue::{ItemKind, NewItem, Source, add_item, count};
