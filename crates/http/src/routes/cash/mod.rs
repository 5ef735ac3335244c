//! Cash counts (issue 15): counting the till, deciding counts, the day/week overview and its export, the
//! till receipt and the location's settings. The rules live in `crewplots_domain::cash`; these handlers
//! parse, authorize, call and map.

pub(crate) mod counts;
pub(crate) mod decisions;
mod guard;
mod parse;
pub(crate) mod receipts;
pub(crate) mod settings;
pub(crate) mod summary;
