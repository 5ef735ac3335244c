//! The HTTP face of Crew Plots: actix-web routes and handlers, extractors, the single API error type, the
//! security headers, CSRF defence, request observation (structured logs and Prometheus metrics), the
//! OpenAPI document and the front-end files.
//!
//! Handlers call domain ports and the domain policy; they never import a database driver. Every error
//! leaves as JSON `{"error": {"code", "message", "fields"?}}` through [`ApiError`].

mod access;
mod auth;
mod csv_export;
mod dto;
mod error;
mod metrics;
mod observe;
mod poster;
mod query;
mod routes;
mod state;
mod upload;
mod whole_numbers;

use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::OnceLock;

use actix_web::dev::Server;
use actix_web::{middleware, web, App, HttpServer};
use crewplots_session::{BoundedRedisStore, CookiePolicy};
use secrecy::{ExposeSecret, SecretString};
use utoipa::OpenApi;
use utoipa_actix_web::AppExt;

pub use error::ApiError;
pub use metrics::Metrics;
pub use observe::CSRF_HEADER;
pub use state::{AppState, Bootstrap, MetricsAccess, SecurityPolicy};

/// Options for the HTTP server itself.
#[derive(Clone)]
pub struct ServerOptions {
    pub workers: usize,
    /// How long in-flight requests may take to finish after SIGTERM/SIGINT.
    pub shutdown_timeout_secs: u64,
    pub session_secret: SecretString,
    pub cookie: CookiePolicy,
    /// The built front end; `None` when it has not been built.
    pub static_dir: Option<PathBuf>,
}

impl std::fmt::Debug for ServerOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerOptions")
            .field("workers", &self.workers)
            .field("cookie", &self.cookie)
            .field("static_dir", &self.static_dir)
            .finish_non_exhaustive()
    }
}

/// Where the front-end files are.
#[derive(Debug, Clone)]
pub(crate) struct StaticFiles {
    pub root: Option<PathBuf>,
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Crew Plots API",
        description = "Hiring and scheduling for hospitality groups."
    ),
    components(schemas(dto::ErrorBody, dto::Permission))
)]
struct ApiDoc;

/// The OpenAPI document of every route, as JSON.
pub fn openapi_json() -> &'static str {
    static DOCUMENT: OnceLock<String> = OnceLock::new();
    DOCUMENT.get_or_init(|| {
        let (_, mut document) = App::new()
            .into_utoipa_app()
            .openapi(ApiDoc::openapi())
            .configure(routes::configure)
            .split_for_parts();
        unique_operation_ids(&mut document);
        describe_responses(&mut document);
        document
            .to_pretty_json()
            .unwrap_or_else(|_| "{}".to_string())
    })
}

/// OpenAPI requires operation ids to be unique; utoipa takes them from the handlers' function names, and
/// several rooms have a `list` or a `create`. A shared id becomes `<method>_<path>` (e.g.
/// `get_api_me_notifications`); ids that are unique already stay as they are.
fn unique_operation_ids(document: &mut utoipa::openapi::OpenApi) {
    use std::collections::HashMap;
    fn each(
        item: &mut utoipa::openapi::PathItem,
    ) -> impl Iterator<Item = (&'static str, &mut utoipa::openapi::path::Operation)> {
        [
            ("get", item.get.as_mut()),
            ("put", item.put.as_mut()),
            ("post", item.post.as_mut()),
            ("delete", item.delete.as_mut()),
            ("patch", item.patch.as_mut()),
        ]
        .into_iter()
        .filter_map(|(method, op)| op.map(|op| (method, op)))
    }
    let mut uses: HashMap<String, usize> = HashMap::new();
    for item in document.paths.paths.values_mut() {
        for (_, op) in each(item) {
            if let Some(id) = &op.operation_id {
                *uses.entry(id.clone()).or_default() += 1;
            }
        }
    }
    for (path, item) in document.paths.paths.iter_mut() {
        for (method, op) in each(item) {
            if op.operation_id.as_ref().is_some_and(|id| uses[id] > 1) {
                let slug: String = path
                    .chars()
                    .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                    .collect();
                let slug = slug
                    .split('_')
                    .filter(|part| !part.is_empty())
                    .collect::<Vec<_>>()
                    .join("_");
                op.operation_id = Some(format!("{method}_{slug}"));
            }
        }
    }
}

/// OpenAPI requires every response object to have a description. A route's own words (`description = …` in
/// its `#[utoipa::path]`) stay; a response without one gets the meaning its status has everywhere in this API,
/// written once here instead of on every route (`403` is always the policy's "visible but not allowed").
fn describe_responses(document: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::RefOr;
    for item in document.paths.paths.values_mut() {
        for op in [
            item.get.as_mut(),
            item.put.as_mut(),
            item.post.as_mut(),
            item.delete.as_mut(),
            item.patch.as_mut(),
        ]
        .into_iter()
        .flatten()
        {
            for (status, response) in op.responses.responses.iter_mut() {
                if let RefOr::T(response) = response {
                    if response.description.trim().is_empty() {
                        response.description = standard_description(status).to_string();
                    }
                }
            }
        }
    }
}

/// What a status means in this API when a route says nothing more (the codes are [`error::ApiError`]'s).
fn standard_description(status: &str) -> &'static str {
    match status {
        "200" => "Success",
        "201" => "Created",
        "202" => "Accepted",
        "204" => "Done; no content",
        "304" => "Not modified since the version the client has",
        "400" => "The request is malformed (the code says how)",
        "401" => "Not logged in (`unauthorized`)",
        "403" => "Visible but not allowed for the caller's role or locations (`forbidden`, or `csrf_rejected` for a foreign origin)",
        "404" => "Not found, or not visible to the caller (`not_found`)",
        "409" => "Conflicts with the current state (the code says which conflict)",
        "413" => "The upload is larger than allowed (`too_large`)",
        "415" => "The content type is not accepted (`unsupported_type`)",
        "422" => "Validation failed (`validation_failed` or a rule's code), with `fields`",
        "429" => "Too many requests (`too_many_requests`); `Retry-After` says when to try again",
        "500" => "Internal error (`internal_error`); details are in the server log only",
        "503" => "A store is unavailable (`store_unavailable` or `service_unavailable`); try again later",
        _ => "See the operation's description",
    }
}

/// What one HTTP worker thread serves with: the application state and the session store, both on store
/// connections of that worker's own (see [`serve`]).
#[derive(Clone)]
pub struct WorkerState {
    pub app: AppState,
    pub sessions: BoundedRedisStore,
}

impl std::fmt::Debug for WorkerState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorkerState")
            .field("app", &self.app)
            .finish_non_exhaustive()
    }
}

/// Builds the HTTP server on an already bound listener. The returned [`Server`] is a future that runs until
/// the process receives SIGTERM or SIGINT (actix-web's signal handling), then stops accepting connections
/// and lets in-flight requests finish within the shutdown timeout.
///
/// `worker` is called once on each worker thread, so a worker can hold store connections of its own: a
/// connection's I/O task runs on the thread that opened it, and a request served by another thread would
/// pay two cross-thread wake-ups per query or Redis round trip.
pub fn serve<F>(listener: TcpListener, worker: F, options: ServerOptions) -> std::io::Result<Server>
where
    F: Fn() -> WorkerState + Send + Clone + 'static,
{
    let files = web::Data::new(StaticFiles {
        root: options
            .static_dir
            .clone()
            .filter(|dir| dir.join("index.html").is_file()),
    });
    if files.root.is_none() {
        tracing::warn!(dir = ?options.static_dir, "no built front end found; only the API is served");
    }
    let workers = options.workers.max(1);
    let shutdown = options.shutdown_timeout_secs;
    let server = HttpServer::new(move || {
        let WorkerState { app, sessions } = worker();
        let state = web::Data::new(app);
        let session = crewplots_session::middleware(
            &sessions,
            options.session_secret.expose_secret().as_bytes(),
            &options.cookie,
        );
        App::new()
            .into_utoipa_app()
            .app_data(state)
            .app_data(files.clone())
            .app_data(error::json_config())
            .app_data(error::query_config())
            .app_data(error::path_config())
            .configure(routes::configure)
            .default_service(web::to(routes::fallback))
            .into_app()
            .wrap(middleware::from_fn(whole_numbers::middleware))
            .wrap(session)
            .wrap(middleware::from_fn(observe::session_failures))
            .wrap(middleware::from_fn(observe::csrf))
            .wrap(middleware::from_fn(observe::cache_headers))
            .wrap(observe::security_headers())
            .wrap(middleware::from_fn(observe::observe))
            .wrap(tracing_actix_web::TracingLogger::<observe::RequestSpan>::new())
    })
    .workers(workers)
    .shutdown_timeout(shutdown)
    .listen(listener)?
    .run();
    Ok(server)
}

#[cfg(test)]
mod tests {
    /// The front end's TypeScript types are generated from a committed copy of the document; a change to the
    /// API must come with a regenerated copy (`cargo xtask openapi`).
    #[test]
    fn the_front_ends_copy_of_the_openapi_document_is_current() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../frontend/src/api/openapi.json"
        );
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            committed.trim() == super::openapi_json().trim(),
            "frontend/src/api/openapi.json is out of date: run `cargo xtask openapi`"
        );
    }

    /// Generated clients key operations by id: two operations with one id lose one of them.
    #[test]
    fn operation_ids_are_unique() {
        let document: serde_json::Value =
            serde_json::from_str(super::openapi_json()).unwrap_or_default();
        let mut ids = Vec::new();
        for item in document["paths"].as_object().into_iter().flatten() {
            for op in item.1.as_object().into_iter().flatten() {
                if let Some(id) = op.1["operationId"].as_str() {
                    ids.push(id.to_string());
                }
            }
        }
        let count = ids.len();
        ids.sort();
        ids.dedup();
        assert!(count > 100, "{count} operations");
        assert_eq!(ids.len(), count, "an operation id is used twice");
    }

    /// OpenAPI 3.1 requires a description on every response; stricter generators refuse documents without.
    #[test]
    fn every_response_has_a_description() {
        let document: serde_json::Value =
            serde_json::from_str(super::openapi_json()).unwrap_or_default();
        let mut missing = Vec::new();
        for (path, item) in document["paths"].as_object().into_iter().flatten() {
            for (method, op) in item.as_object().into_iter().flatten() {
                for (status, response) in op["responses"].as_object().into_iter().flatten() {
                    if response["description"]
                        .as_str()
                        .is_none_or(|d| d.trim().is_empty())
                    {
                        missing.push(format!("{method} {path} {status}"));
                    }
                }
            }
        }
        assert!(
            missing.is_empty(),
            "responses without a description: {missing:?}"
        );
    }
}
