//! Scheduling (SCHEDULING.md): the model, the one rule engine with its reason codes, local time and ISO
//! weeks, building weeks from templates and copies, what publishing a week tells each person, and the
//! crew's self-service (availability, time off, the calendar feed), and the hours arithmetic of exports.

pub mod autofill;
pub mod availability;
pub mod feed;
pub mod hours;
pub mod model;
pub mod plan;
pub mod ports;
pub mod publish;
pub mod requests;
pub mod rules;
pub mod time;
pub mod time_off;
