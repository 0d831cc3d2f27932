//! The map (`/api/map.svg`, `/map`): the zones with their open needs and,
//! for coordinators, the needs' pins. It composes two domains, so it lives in
//! neither: zones knows no needs, needs draws no map.

pub mod http;
pub mod svg;
