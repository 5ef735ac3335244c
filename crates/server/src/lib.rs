//! The Crew Plots server: configuration, wiring of the concrete stores into the HTTP layer, start-up and
//! graceful shutdown. The binary in `main.rs` is a thin command-line front on this library; integration
//! tests build the same [`startup::Application`] in-process.

pub mod accounts;
pub mod gc;
pub mod healthcheck;
pub mod mailer;
pub mod retention;
pub mod rotation;
pub mod seed;
pub mod settings;
pub mod startup;
pub mod telemetry;
