//! Household needs (ニーズ受付): the need card, its lifecycle, duplicates,
//! lists and privacy. Requester name, phone and address stay in the `needs`
//! table and reach coordinators and admins only.

pub mod http;
pub mod model;
pub mod pages;
pub mod store;
