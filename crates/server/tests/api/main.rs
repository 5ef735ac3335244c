//! Integration tests: the real server, in-process, against the real PostgreSQL, Redis and
//! MongoDB-compatible server of `cargo xtask test`. One test binary (faster to link); every test gets its
//! own databases and key prefix, so they run in parallel.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed expectation is a failed test

mod access_copy;
mod accounts;
mod audit;
mod autofill;
mod cash;
mod dashboard;
mod documents;
mod exports;
mod faults;
mod health;
mod hiring;
mod instances;
mod knowledge;
mod mail;
mod matrix;
mod outage;
mod requests;
mod retention;
mod rotation;
mod scheduling;
mod seed;
mod self_service;
mod stores;
mod support;
mod web;
