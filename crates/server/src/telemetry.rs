//! Structured logs: JSON lines on stdout, one object per event, with the fields of the enclosing request
//! span (request id, method, route). `RUST_LOG` filters (default `info`); `LOG_FORMAT=pretty` gives
//! human-readable lines for local work.

use tracing_subscriber::EnvFilter;

/// Installs the global subscriber. Safe to call more than once (later calls are ignored), which lets
/// several in-process servers share one test binary.
pub fn init() {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,actix_server=warn"));
    let pretty = std::env::var("LOG_FORMAT").is_ok_and(|v| v.eq_ignore_ascii_case("pretty"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false);
    let _ = if pretty {
        builder.try_init()
    } else {
        builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .try_init()
    };
}
