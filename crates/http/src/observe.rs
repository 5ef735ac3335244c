//! Request observation: one root span per request (request id, method, route pattern), one log line when
//! the response leaves (status and latency), the metrics, and the security headers.
//!
//! Only the route *pattern* is recorded, never the raw path or query string: paths carry ids and some carry
//! tokens (password-reset links, calendar feeds), and bodies are never logged at all.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::{DefaultHeaders, Next};
use actix_web::{web, Error, HttpMessage};
use tracing::Span;
use tracing_actix_web::{RequestId, RootSpanBuilder};

use crate::state::AppState;

/// Builds the per-request root span with only non-sensitive fields.
#[derive(Debug)]
pub struct RequestSpan;

impl RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let request_id = request
            .extensions()
            .get::<RequestId>()
            .map(ToString::to_string)
            .unwrap_or_default();
        tracing::info_span!(
            "request",
            request_id = %request_id,
            method = %request.method(),
            route = %route_of(request),
        )
    }

    fn on_request_end<B: MessageBody>(_span: Span, _outcome: &Result<ServiceResponse<B>, Error>) {}
}

fn route_of(request: &ServiceRequest) -> String {
    request
        .match_pattern()
        .unwrap_or_else(|| "unmatched".to_string())
}

/// Logs the outcome of each request and records it in the metrics; adds `X-Request-Id` to the response.
pub(crate) async fn observe(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let started = Instant::now();
    let method = request.method().to_string();
    let route = route_of(&request);
    let request_id = request
        .extensions()
        .get::<RequestId>()
        .map(ToString::to_string);
    let metrics = request
        .app_data::<web::Data<AppState>>()
        .map(|s| s.metrics.clone());

    let mut response = next.call(request).await?;

    let status = response.status().as_u16();
    let seconds = started.elapsed().as_secs_f64();
    if let Some(metrics) = metrics {
        metrics.observe_request(&method, &route, status, seconds);
    }
    if let Some(id) = request_id.and_then(|id| HeaderValue::from_str(&id).ok()) {
        response
            .headers_mut()
            .insert(HeaderName::from_static("x-request-id"), id);
    }
    let latency_ms = seconds * 1000.0;
    if status >= 500 {
        tracing::warn!(status, latency_ms, "request finished");
    } else {
        tracing::info!(status, latency_ms, "request finished");
    }
    Ok(response)
}

/// Headers every response carries. Document downloads tighten the CSP further on their own response.
pub(crate) fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("Referrer-Policy", "strict-origin-when-cross-origin"))
        .add(("X-Frame-Options", "DENY"))
        .add((
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; \
             object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
        ))
        .add(("Cross-Origin-Opener-Policy", "same-origin"))
}
