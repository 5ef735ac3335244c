//! `/health` (the process answers), `/health/ready` (every dependency answers) and `/metrics`.

use std::collections::BTreeMap;
use std::time::Instant;

use actix_web::http::header;
use actix_web::{get, web, HttpRequest, HttpResponse};
use futures_util::future::join_all;
use secrecy::ExposeSecret;
use serde::Serialize;
use subtle::ConstantTimeEq;

use crate::error::ApiError;
use crate::state::{AppState, MetricsAccess};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Alive {
    status: &'static str,
    version: &'static str,
}

/// The process is up and serving HTTP. Says nothing about the databases (that is `/health/ready`).
#[utoipa::path(tag = "health", responses((status = 200, description = "The process is alive")))]
#[get("/health")]
pub(crate) async fn alive() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(Alive {
            status: "ok",
            version: env!("CARGO_PKG_VERSION"),
        })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Readiness {
    status: &'static str,
    checks: BTreeMap<&'static str, Check>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Check {
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    latency_ms: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

/// Pings every dependency concurrently, each under the readiness timeout, and reports each one.
async fn check_all(state: &AppState) -> BTreeMap<&'static str, Check> {
    let timeout = state.readiness_timeout;
    let results = join_all(state.probes.iter().map(|probe| async move {
        let started = Instant::now();
        let outcome = tokio::time::timeout(timeout, probe.ping()).await;
        let latency_ms = Some((started.elapsed().as_secs_f64() * 1000.0 * 100.0).round() / 100.0);
        let check = match outcome {
            Ok(Ok(())) => Check {
                status: "ok",
                latency_ms,
                error: None,
            },
            Ok(Err(failure)) => Check {
                status: "down",
                latency_ms,
                error: Some(failure.0),
            },
            Err(_) => Check {
                status: "down",
                latency_ms,
                error: Some(format!("no answer within {} ms", timeout.as_millis())),
            },
        };
        state
            .metrics
            .set_dependency_up(probe.name(), check.status == "ok");
        if let Some(usage) = probe.pool_usage() {
            state.metrics.set_pool(probe.name(), usage);
        }
        (probe.name(), check)
    }))
    .await;
    let mut checks: BTreeMap<_, _> = results.into_iter().collect();
    checks.insert(
        "schema",
        Check {
            status: if state.bootstrap.is_done() {
                "ok"
            } else {
                "pending"
            },
            latency_ms: None,
            error: None,
        },
    );
    checks
}

/// 200 when PostgreSQL, MongoDB and Redis all answer and the schema is migrated; 503 naming what is not.
#[utoipa::path(tag = "health", responses(
    (status = 200, description = "Every dependency answers"),
    (status = 503, description = "At least one dependency is down; the body names it"),
))]
#[get("/health/ready")]
pub(crate) async fn ready(state: web::Data<AppState>) -> HttpResponse {
    let checks = check_all(&state).await;
    let all_ok = checks.values().all(|c| c.status == "ok");
    for (name, check) in checks.iter().filter(|(_, c)| c.status != "ok") {
        tracing::warn!(dependency = name, status = check.status, error = ?check.error, "dependency not ready");
    }
    let mut response = if all_ok {
        HttpResponse::Ok()
    } else {
        HttpResponse::ServiceUnavailable()
    };
    response
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(Readiness {
            status: if all_ok { "ok" } else { "unavailable" },
            checks,
        })
}

/// Prometheus text format, behind a bearer token; 404 when no token is configured.
#[utoipa::path(tag = "health", responses(
    (status = 200, description = "Prometheus text format"),
    (status = 401, description = "Missing or wrong bearer token"),
    (status = 404, description = "Metrics are not enabled"),
))]
#[get("/metrics")]
pub(crate) async fn metrics(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let MetricsAccess::Token(token) = &state.metrics_access else {
        return Err(ApiError::NotFound);
    };
    let presented = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let allowed =
        presented.is_some_and(|p| bool::from(p.as_bytes().ct_eq(token.expose_secret().as_bytes())));
    if !allowed {
        return Err(ApiError::Unauthorized);
    }
    // Refresh dependency gauges so a scrape sees the current state, not the last readiness call's.
    check_all(&state).await;
    let text = state.metrics.render().map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(text))
}
