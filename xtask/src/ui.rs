//! Progress output: every slow step prints what it is doing and how long it took.

use std::io::Write;
use std::time::Instant;

/// Runs `work` as a named step: "▸ name …" then "done (1.2 s)" or "failed".
pub fn step<T>(name: &str, work: impl FnOnce() -> anyhow::Result<T>) -> anyhow::Result<T> {
    println!("▸ {name} …");
    let _ = std::io::stdout().flush();
    let started = Instant::now();
    let result = work();
    let seconds = started.elapsed().as_secs_f64();
    match &result {
        Ok(_) => println!("  done ({seconds:.1} s)"),
        Err(_) => println!("  failed after {seconds:.1} s"),
    }
    result
}

pub fn info(message: &str) {
    println!("  {message}");
}

pub fn failure(message: &str) {
    eprintln!("✗ {message}");
}
