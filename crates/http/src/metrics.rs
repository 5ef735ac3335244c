//! Prometheus metrics: request counts and latency by route and status, pool usage and dependency health.
//!
//! Each [`AppState`](crate::AppState) owns its registry (no global recorder), so several servers in one test
//! process never mix their numbers. Routes are labelled by their pattern (`/api/people/{id}`), never by the
//! raw path, which keeps label cardinality bounded and keeps ids and tokens out of the metrics.

use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGaugeVec, Opts, Registry, TextEncoder,
};

pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    dependency_up: IntGaugeVec,
    pool_connections: IntGaugeVec,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

impl Metrics {
    /// Registers every metric. Fails only on a programming error (a duplicate or malformed name).
    pub fn new() -> Result<Self, prometheus::Error> {
        let registry = Registry::new_custom(Some("crewplots".into()), None)?;
        let requests = IntCounterVec::new(
            Opts::new(
                "http_requests_total",
                "HTTP requests answered, by method, route and status.",
            ),
            &["method", "route", "status"],
        )?;
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "http_request_duration_seconds",
                "Time from receiving a request to sending its response head.",
            )
            .buckets(vec![
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
            ]),
            &["method", "route", "status"],
        )?;
        let dependency_up = IntGaugeVec::new(
            Opts::new(
                "dependency_up",
                "1 when the dependency answered its last check, else 0.",
            ),
            &["dependency"],
        )?;
        let pool_connections = IntGaugeVec::new(
            Opts::new(
                "pool_connections",
                "Connections of our pools, by dependency and state.",
            ),
            &["dependency", "state"],
        )?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(latency.clone()))?;
        registry.register(Box::new(dependency_up.clone()))?;
        registry.register(Box::new(pool_connections.clone()))?;
        Ok(Self {
            registry,
            requests,
            latency,
            dependency_up,
            pool_connections,
        })
    }

    pub(crate) fn observe_request(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let status = status.to_string();
        let labels = [method, route, status.as_str()];
        self.requests.with_label_values(&labels).inc();
        self.latency.with_label_values(&labels).observe(seconds);
    }

    pub(crate) fn set_dependency_up(&self, dependency: &str, up: bool) {
        self.dependency_up
            .with_label_values(&[dependency])
            .set(i64::from(up));
    }

    pub(crate) fn set_pool(&self, dependency: &str, usage: crewplots_domain::health::PoolUsage) {
        let in_use = usage.size.saturating_sub(usage.available);
        for (state, value) in [
            ("in_use", in_use),
            ("idle", usage.available),
            ("max", usage.max_size),
        ] {
            self.pool_connections
                .with_label_values(&[dependency, state])
                .set(i64::try_from(value).unwrap_or(i64::MAX));
        }
    }

    /// The text exposition format.
    pub(crate) fn render(&self) -> Result<String, prometheus::Error> {
        let mut buffer = Vec::new();
        TextEncoder::new().encode(&self.registry.gather(), &mut buffer)?;
        String::from_utf8(buffer).map_err(|e| prometheus::Error::Msg(e.to_string()))
    }
}
