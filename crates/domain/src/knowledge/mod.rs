//! The knowledge base (SPEC §4.10, issue 15): categories and articles per location or group-wide, a full
//! snapshot per saved version, images, full-text search and "must read" confirmations.
//!
//! What lives here: the entities ([`model`]), who may read and edit what ([`access`]), the input rules
//! (titles, bodies, search queries: [`input`]) and the storage ports ([`ports`]). Articles are not personal
//! data and live in PostgreSQL.
//!
//! Invariants:
//! - Every stored body has passed [`crate::richtext::sanitize_article`]; the only images it may show are
//!   `/api/knowledge/images/{uuid}`.
//! - A group-wide article or category (`location: None`) is read at every location and edited by
//!   administrators only.
//! - Must-read: the audience of a published must-read article is every active crew member and floor manager
//!   of its location (group-wide: of any location). A person counts as having read it when they confirmed a
//!   version at or after `confirm_from_version`, which publication sets the first time and whenever a
//!   publication or a save asks for re-confirmation (a material change); other saves keep earlier
//!   confirmations valid.

pub mod access;
pub mod input;
pub mod model;
pub mod ports;

pub use model::*;
