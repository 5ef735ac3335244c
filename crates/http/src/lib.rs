//! The HTTP face of Crew Plots: actix-web routes and handlers, extractors, the single API error type, the
//! security headers, request observation (structured logs and Prometheus metrics), OpenAPI and the
//! front-end files.
//!
//! Handlers call domain services and ports; they never import a database driver. Every error leaves as JSON
//! `{"error": {"code", "message", "fields"?}}` through [`ApiError`].

mod error;
mod metrics;
mod observe;
mod routes;
mod state;

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::{middleware, web, App, HttpServer};

pub use error::ApiError;
pub use metrics::Metrics;
pub use state::{AppState, Bootstrap, MetricsAccess};

/// Options for the HTTP server itself.
#[derive(Debug, Clone)]
pub struct ServerOptions {
    pub workers: usize,
    /// How long in-flight requests may take to finish after SIGTERM/SIGINT.
    pub shutdown_timeout_secs: u64,
}

/// Builds the HTTP server on an already bound listener. The returned [`Server`] is a future that runs until
/// the process receives SIGTERM or SIGINT (actix-web's signal handling), then stops accepting connections
/// and lets in-flight requests finish within the shutdown timeout.
pub fn serve(
    listener: TcpListener,
    state: AppState,
    options: &ServerOptions,
) -> std::io::Result<Server> {
    let state = web::Data::new(state);
    let server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .app_data(error::json_config())
            .app_data(error::query_config())
            .app_data(error::path_config())
            .wrap(observe::security_headers())
            .wrap(middleware::from_fn(observe::observe))
            .wrap(tracing_actix_web::TracingLogger::<observe::RequestSpan>::new())
            .configure(routes::configure)
            .default_service(web::to(routes::not_found))
    })
    .workers(options.workers.max(1))
    .shutdown_timeout(options.shutdown_timeout_secs)
    .listen(listener)?
    .run();
    Ok(server)
}
