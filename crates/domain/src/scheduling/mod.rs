//! Scheduling (SCHEDULING.md): the model, the one rule engine with its reason codes, local time and ISO
//! weeks, building weeks from templates and copies, and what publishing a week tells each person.

pub mod model;
pub mod plan;
pub mod ports;
pub mod publish;
pub mod rules;
pub mod time;
