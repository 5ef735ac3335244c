//! Knowledge-base routes (SPEC §4.10, issue 15), one file per use case: categories ([`categories`]),
//! articles with their versions and publication ([`articles`]), reading and must-read confirmations
//! ([`reading`]), search ([`search`]) and images ([`images`]). Guards and loaders shared by them live in
//! [`guard`].
//!
//! Handlers parse, ask `crewplots_domain::knowledge::access`, call the store and map to DTOs.

pub(crate) mod articles;
pub(crate) mod categories;
mod guard;
pub(crate) mod images;
pub(crate) mod reading;
pub(crate) mod search;
