//! Cross-cutting middleware: one root span per request (request id, method, route pattern), one log line
//! when the response leaves (status and latency), the metrics, CSRF defence, security and cache headers,
//! and turning session-store failures into 503.
//!
//! Only the route *pattern* is recorded, never the raw path or query string: paths carry ids and some carry
//! tokens (password-reset links, calendar feeds), and bodies are never logged at all.

use std::time::Instant;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::Method;
use actix_web::middleware::{DefaultHeaders, Next};
use actix_web::{web, Error, HttpMessage, ResponseError};
use tracing::Span;
use tracing_actix_web::{RequestId, RootSpanBuilder};

use crate::error::ApiError;
use crate::state::AppState;

/// The header the front end sends on every state-changing request.
pub const CSRF_HEADER: &str = "x-crewplots-csrf";

/// Builds the per-request root span with only non-sensitive fields.
#[derive(Debug)]
pub struct RequestSpan;

impl RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        // The fields are only formatted when the span is enabled (not at `RUST_LOG=warn`).
        let request_id = request.extensions().get::<RequestId>().copied();
        tracing::info_span!(
            "request",
            request_id = %request_id.map(|id| *id).unwrap_or_default(),
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
    let method = request.method().clone();
    let route = route_of(&request);
    let request_id = request.extensions().get::<RequestId>().copied();
    let state = request.app_data::<web::Data<AppState>>().cloned();

    // Counted as being served, so that the password hashing threads step aside meanwhile (see
    // `crewplots_crypto::password::foreground`).
    let outcome = match &state {
        Some(state) => {
            state
                .security
                .hasher
                .foreground()
                .serve(next.call(request))
                .await
        }
        None => next.call(request).await,
    };
    let seconds = started.elapsed().as_secs_f64();
    let mut response = match outcome {
        Ok(response) => response,
        Err(error) => {
            let status = error.as_response_error().status_code().as_u16();
            if let Some(state) = &state {
                state
                    .metrics
                    .observe_request(method.as_str(), &route, status, seconds);
            }
            tracing::warn!(
                status,
                latency_ms = seconds * 1000.0,
                "request failed in middleware"
            );
            return Err(error);
        }
    };

    let status = response.status().as_u16();
    if let Some(state) = &state {
        state
            .metrics
            .observe_request(method.as_str(), &route, status, seconds);
        if state.security.hsts {
            response.headers_mut().insert(
                header::STRICT_TRANSPORT_SECURITY,
                HeaderValue::from_static("max-age=63072000; includeSubDomains"),
            );
        }
    }
    if let Some(id) = request_id.and_then(|id| {
        let mut text = [0u8; uuid::fmt::Hyphenated::LENGTH];
        HeaderValue::from_str(id.hyphenated().encode_lower(&mut text)).ok()
    }) {
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

/// State-changing requests must come from an allowed origin: with an `Origin` header it must be on the
/// allow-list; without one (same-origin fetches from older browsers, API clients) the custom header that
/// cross-site forms cannot set must be present.
pub(crate) async fn csrf(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe {
        let allowed = request
            .app_data::<web::Data<AppState>>()
            .map(|s| s.security.allowed_origins.clone())
            .unwrap_or_default();
        let origin = request
            .headers()
            .get(header::ORIGIN)
            .and_then(|o| o.to_str().ok());
        let accepted = match origin {
            Some(origin) => allowed.iter().any(|a| a == origin),
            None => request.headers().contains_key(CSRF_HEADER),
        };
        if !accepted {
            tracing::warn!(
                origin = origin.unwrap_or("-"),
                "cross-site request rejected"
            );
            let response = ApiError::CsrfRejected.error_response();
            return Ok(request.into_response(response).map_into_right_body());
        }
    }
    Ok(next.call(request).await?.map_into_left_body())
}

/// Sits just outside the session middleware: when loading or saving session state fails (Redis down or
/// stalled), answer 503 `service_unavailable` instead of actix-session's empty 500.
///
/// The error is handed on as an error (the server renders it as the JSON 503): building a response here
/// would need a copy of the request, and actix's router needs the only one.
pub(crate) async fn session_failures(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    next.call(request).await.map_err(|error| {
        tracing::warn!(%error, "session store failed");
        ApiError::ServiceUnavailable.into()
    })
}

/// Hashed front-end assets never change: let browsers keep them for a year.
pub(crate) async fn cache_headers(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let immutable = request.path().starts_with("/assets/");
    let mut response = next.call(request).await?;
    if immutable && response.status().is_success() {
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        );
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
