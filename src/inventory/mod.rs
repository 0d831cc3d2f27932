//! Equipment (資機材): the catalogue, and the ledger every movement of stock
//! is written to — received, lent to a team, returned, lost, damaged,
//! consumed, adjusted by a stocktake. Stock on hand is never stored: it is the
//! sum of the ledger, and never goes below zero. An item falling below its
//! low-stock threshold appends `item.low_stock`.
//!
//! | file | what |
//! |---|---|
//! | `model` | items, ledger rows, loans, return lines |
//! | `catalogue` | add and edit items (`version`) |
//! | `ledger` | receive, stocktake, write-off; the low-stock alert |
//! | `loans` | lend to a team, settle its return, what is out |
//! | `codes` | the item a scanned code names (folded as a scanner types), the labels to print |
//! | `labels_pdf`, `labels_http` | the label sheet (code as QR, name), the scan lookup |
//! | `store` | all SQL of `items` and `item_ledger` |
//! | `http`, `pages` | the API and the equipment page |

pub mod catalogue;
pub mod codes;
pub mod http;
pub mod labels_http;
pub mod labels_pdf;
pub mod ledger;
pub mod loans;
pub(crate) mod model;
pub mod pages;
pub(crate) mod store;

pub use catalogue::{ItemForm, add, create, edit};
pub use codes::item_by_code;
pub use loans::{lend, low_stock, outstanding, settle, stock};
pub use model::{Item, ItemKind, LedgerRow, Loan, LowItem, Movement, OutLine, ReturnLine, Source, TeamOut};
pub use store::{count, items, losses_on};
