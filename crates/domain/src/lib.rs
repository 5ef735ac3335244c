//! The product's own vocabulary and rules, free of I/O.
//!
//! What lives here: entities and their ids, roles and the authorization policy, state machines (application
//! status, schedule draft/published), scheduling rules, validation, and the *ports* — the traits the service
//! layer calls and the storage crates implement. Nothing in this crate talks to a network, a disk or a
//! framework; that keeps every rule testable with plain unit and property tests.

pub mod accounts;
pub mod calendar;
pub mod cash;
pub mod dashboard;
pub mod documents;
pub mod erasure;
pub mod exports;
pub mod health;
pub mod hiring;
pub mod knowledge;
pub mod mails;
pub mod notifications;
pub mod policy;
pub mod ports;
pub mod retention;
pub mod richtext;
pub mod roles;
pub mod scheduling;
pub mod validation;

pub use roles::{Role, UserStatus};
