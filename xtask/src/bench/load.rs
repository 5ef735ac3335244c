//! The load client of `cargo xtask bench` and `cargo xtask soak`: workers on one tokio runtime, each looping
//! one operation until a deadline and recording its latency and outcome. The same loop drives our server (a
//! keep-alive HTTP/1.1 connection per worker, hyper's client) and the raw baselines (the drivers the server
//! uses), so a ratio of the two differs only by what one operation does.

use std::collections::BTreeMap;
use std::future::Future;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use bytes::Bytes;
use http_body_util::{BodyExt as _, Full};
use hyper::client::conn::http1::SendRequest;
use hyper::header::{HeaderMap, HeaderValue};
use hyper::{Method, Request, StatusCode};
use hyper_util::rt::TokioIo;

/// The runtime of every load run: two worker threads, like `wrk -t2` and `pgbench -j 2`.
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?)
}

/// One worker of a load run.
pub trait Worker: Send + 'static {
    /// One operation: the HTTP status it got (a raw operation that succeeded says 200).
    fn call(&mut self) -> impl Future<Output = anyhow::Result<u16>> + Send;
}

/// What a group of workers did in one run.
#[derive(Debug, Default, Clone)]
pub struct Sample {
    /// Latencies of the successful (2xx) operations, in microseconds.
    pub latencies_us: Vec<u32>,
    /// Answers by status (2xx included).
    pub statuses: BTreeMap<u16, u64>,
    /// Operations that got no answer (connection errors).
    pub failures: u64,
    pub elapsed: Duration,
}

/// The figures of one run.
#[derive(Debug, Default, Clone, Copy, serde::Serialize)]
pub struct Figures {
    /// Successful (2xx) operations per second.
    pub per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub ok: u64,
    /// 503 answers (`busy`, `service_unavailable`): counted apart, not as errors.
    pub unavailable: u64,
    /// Other non-2xx answers and operations without an answer.
    pub errors: u64,
}

impl Sample {
    pub fn merge(&mut self, other: Sample) {
        self.latencies_us.extend(other.latencies_us);
        for (status, count) in other.statuses {
            *self.statuses.entry(status).or_default() += count;
        }
        self.failures += other.failures;
        self.elapsed = self.elapsed.max(other.elapsed);
    }

    pub fn figures(&self) -> Figures {
        let mut sorted = self.latencies_us.clone();
        sorted.sort_unstable();
        let ok = sorted.len() as u64;
        let unavailable = self.statuses.get(&503).copied().unwrap_or(0);
        let errors = self
            .statuses
            .iter()
            .filter(|(s, _)| !(200..300).contains(*s) && **s != 503)
            .map(|(_, c)| c)
            .sum::<u64>()
            + self.failures;
        Figures {
            per_second: ok as f64 / self.elapsed.as_secs_f64().max(1e-9),
            p50_ms: percentile_ms(&sorted, 0.50),
            p99_ms: percentile_ms(&sorted, 0.99),
            ok,
            unavailable,
            errors,
        }
    }

    /// `200×1234 401×2` — for messages.
    pub fn statuses_text(&self) -> String {
        let mut parts: Vec<String> = self
            .statuses
            .iter()
            .map(|(s, c)| format!("{s}×{c}"))
            .collect();
        if self.failures > 0 {
            parts.push(format!("no answer×{}", self.failures));
        }
        parts.join(" ")
    }
}

/// The `q`-quantile of sorted microseconds, in milliseconds (nearest rank).
pub fn percentile_ms(sorted_us: &[u32], q: f64) -> f64 {
    if sorted_us.is_empty() {
        return 0.0;
    }
    let rank = ((q * sorted_us.len() as f64).ceil() as usize).clamp(1, sorted_us.len());
    f64::from(sorted_us[rank - 1]) / 1000.0
}

/// Runs every worker in its own task until `duration` has passed, each one operation after the other (a
/// closed loop: as fast as the server answers); returns what they did together.
pub async fn run_group<W: Worker>(workers: Vec<W>, duration: Duration) -> anyhow::Result<Sample> {
    run(workers, duration, None).await
}

/// Like [`run_group`], but the workers together start `per_second` operations a second, evenly spread (an
/// open loop, as real users are: a slow answer does not slow the next one's arrival, unless it is still
/// outstanding). Latency counts from an operation's start.
pub async fn run_paced<W: Worker>(
    workers: Vec<W>,
    duration: Duration,
    per_second: f64,
) -> anyhow::Result<Sample> {
    anyhow::ensure!(per_second > 0.0, "a paced run needs a positive rate");
    let every = Duration::from_secs_f64(workers.len() as f64 / per_second);
    run(workers, duration, Some(every)).await
}

async fn run<W: Worker>(
    workers: Vec<W>,
    duration: Duration,
    every: Option<Duration>,
) -> anyhow::Result<Sample> {
    let started = Instant::now();
    let deadline = started + duration;
    let count = workers.len().max(1) as u32;
    let tasks: Vec<_> = workers
        .into_iter()
        .enumerate()
        .map(|(index, mut worker)| {
            // Paced workers start staggered over one period, so their operations do not come in bursts.
            let mut ticks = every.map(|every| {
                let first = started + every * u32::try_from(index).unwrap_or(0) / count;
                let mut ticks = tokio::time::interval_at(first.into(), every);
                ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                ticks
            });
            tokio::spawn(async move {
                let mut sample = Sample::default();
                while Instant::now() < deadline {
                    if let Some(ticks) = ticks.as_mut() {
                        ticks.tick().await;
                        if Instant::now() >= deadline {
                            break;
                        }
                    }
                    let begun = Instant::now();
                    match worker.call().await {
                        Ok(status) => {
                            if (200..300).contains(&status) {
                                let us = begun.elapsed().as_micros();
                                sample
                                    .latencies_us
                                    .push(u32::try_from(us).unwrap_or(u32::MAX));
                            }
                            *sample.statuses.entry(status).or_default() += 1;
                        }
                        Err(_) => {
                            sample.failures += 1;
                            // A broken connection is made again by the next call; do not spin meanwhile.
                            tokio::time::sleep(Duration::from_millis(10)).await;
                        }
                    }
                }
                sample
            })
        })
        .collect();
    let mut total = Sample::default();
    for task in tasks {
        total.merge(task.await?);
    }
    total.elapsed = started.elapsed();
    Ok(total)
}

/// The server's address, from `http://127.0.0.1:PORT`.
pub fn address(base: &str) -> anyhow::Result<SocketAddr> {
    base.trim_start_matches("http://")
        .trim_end_matches('/')
        .parse()
        .with_context(|| format!("not an http://IP:PORT address: {base}"))
}

/// An answer read whole (or only counted, see [`Conn::send`]).
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
    /// Bytes of the body received (also when it was not kept).
    pub length: u64,
}

impl Answer {
    pub fn json(&self) -> anyhow::Result<serde_json::Value> {
        serde_json::from_slice(&self.body).with_context(|| {
            format!(
                "answer {} is not JSON: {}",
                self.status,
                String::from_utf8_lossy(&self.body[..self.body.len().min(200)])
            )
        })
    }

    /// The `name=value` of the session cookie set by this answer, if any.
    pub fn session_cookie(&self) -> Option<String> {
        self.headers
            .get_all(hyper::header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| v.split(';').next())
            .find(|v| v.contains('=') && !v.ends_with('='))
            .map(str::to_string)
    }

    /// The error code of a JSON error answer (`{"error": {"code": …}}`).
    pub fn error_code(&self) -> Option<String> {
        serde_json::from_slice::<serde_json::Value>(&self.body)
            .ok()?
            .pointer("/error/code")?
            .as_str()
            .map(str::to_string)
    }
}

/// One keep-alive HTTP/1.1 connection to the server, made again when it breaks.
pub struct Conn {
    address: SocketAddr,
    host: HeaderValue,
    sender: Option<SendRequest<Full<Bytes>>>,
}

impl Conn {
    pub fn new(address: SocketAddr) -> anyhow::Result<Self> {
        Ok(Self {
            address,
            host: HeaderValue::from_str(&address.to_string())?,
            sender: None,
        })
    }

    async fn sender(&mut self) -> anyhow::Result<&mut SendRequest<Full<Bytes>>> {
        if self.sender.as_ref().is_none_or(SendRequest::is_closed) {
            let stream = tokio::net::TcpStream::connect(self.address).await?;
            stream.set_nodelay(true)?;
            let (sender, connection) =
                hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
            tokio::spawn(async move {
                let _ = connection.await;
            });
            self.sender = Some(sender);
        }
        let sender = self.sender.as_mut().context("no connection")?;
        sender.ready().await?;
        Ok(sender)
    }

    /// Sends one request; `keep_body: false` only counts the body's bytes (downloads).
    pub async fn send(
        &mut self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Bytes,
        keep_body: bool,
    ) -> anyhow::Result<Answer> {
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header(hyper::header::HOST, self.host.clone());
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let request = request.body(Full::new(body))?;
        let result = async {
            let response = self.sender().await?.send_request(request).await?;
            let (parts, mut incoming) = response.into_parts();
            let mut kept = Vec::new();
            let mut length = 0u64;
            while let Some(frame) = incoming.frame().await {
                if let Some(data) = frame?.data_ref() {
                    length += data.len() as u64;
                    if keep_body {
                        kept.extend_from_slice(data);
                    }
                }
            }
            anyhow::Ok(Answer {
                status: parts.status,
                headers: parts.headers,
                body: Bytes::from(kept),
                length,
            })
        }
        .await;
        if result.is_err() {
            self.sender = None;
        }
        result
    }

    /// GET with a session cookie (empty: none).
    pub async fn get(&mut self, path: &str, cookie: &str) -> anyhow::Result<Answer> {
        let headers: &[(&str, &str)] = if cookie.is_empty() {
            &[]
        } else {
            &[("cookie", cookie)]
        };
        self.send(Method::GET, path, headers, Bytes::new(), true)
            .await
    }

    /// A state-changing request with a JSON body (the CSRF header set).
    pub async fn json(
        &mut self,
        method: Method,
        path: &str,
        cookie: &str,
        body: &serde_json::Value,
    ) -> anyhow::Result<Answer> {
        let mut headers = vec![
            ("content-type", "application/json"),
            ("x-crewplots-csrf", "1"),
        ];
        if !cookie.is_empty() {
            headers.push(("cookie", cookie));
        }
        self.send(method, path, &headers, Bytes::from(body.to_string()), true)
            .await
    }
}

/// A worker that sends the same GET again and again.
pub struct GetWorker {
    pub conn: Conn,
    pub path: String,
    pub cookie: String,
}

impl Worker for GetWorker {
    async fn call(&mut self) -> anyhow::Result<u16> {
        Ok(self
            .conn
            .get(&self.path, &self.cookie)
            .await?
            .status
            .as_u16())
    }
}

/// A worker that logs in again and again (no cookie kept: each login is a fresh browser). As HTTP asks of a
/// client (RFC 9110, `Retry-After`), it waits as long as a 503 says (at most 2 s) before it tries again;
/// without that, 20 clients would measure a flood of instant refusals rather than a login storm.
pub struct LoginWorker {
    pub conn: Conn,
    pub body: serde_json::Value,
}

impl Worker for LoginWorker {
    async fn call(&mut self) -> anyhow::Result<u16> {
        let answer = self
            .conn
            .json(Method::POST, "/api/auth/login", "", &self.body)
            .await?;
        if answer.status == StatusCode::SERVICE_UNAVAILABLE {
            let wait = answer
                .headers
                .get(hyper::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok()?.trim().parse::<f64>().ok())
                .unwrap_or(1.0)
                .clamp(0.0, 2.0);
            tokio::time::sleep(Duration::from_secs_f64(wait)).await;
        }
        Ok(answer.status.as_u16())
    }
}

/// `VmRSS` or `VmHWM` of a process, in KiB (Linux).
pub fn memory_kib(pid: u32, field: &str) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
        .with_context(|| format!("no {field} in /proc/{pid}/status"))
}

/// Samples `VmRSS` every 20 ms until dropped; [`RssWatch::peak_kib`] is the highest seen.
pub struct RssWatch {
    peak: std::sync::Arc<std::sync::atomic::AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

impl RssWatch {
    pub fn start(pid: u32) -> Self {
        let peak = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        let seen = peak.clone();
        let task = tokio::spawn(async move {
            loop {
                if let Ok(kib) = memory_kib(pid, "VmRSS") {
                    seen.fetch_max(kib, std::sync::atomic::Ordering::Relaxed);
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        });
        Self { peak, task }
    }

    pub fn peak_kib(&self) -> u64 {
        self.peak.load(std::sync::atomic::Ordering::Relaxed)
    }
}

impl Drop for RssWatch {
    fn drop(&mut self) {
        self.task.abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let values: Vec<u32> = (1..=100).map(|v| v * 1000).collect();
        assert!((percentile_ms(&values, 0.50) - 50.0).abs() < 1e-9);
        assert!((percentile_ms(&values, 0.99) - 99.0).abs() < 1e-9);
        assert!((percentile_ms(&[7000], 0.99) - 7.0).abs() < 1e-9);
        assert!(percentile_ms(&[], 0.5).abs() < 1e-9);
    }

    #[test]
    fn figures_count_503_apart_from_errors() {
        let mut sample = Sample {
            latencies_us: vec![1000, 2000],
            elapsed: Duration::from_secs(2),
            ..Sample::default()
        };
        sample.statuses.insert(200, 2);
        sample.statuses.insert(503, 3);
        sample.statuses.insert(500, 1);
        sample.failures = 1;
        let figures = sample.figures();
        assert_eq!(figures.ok, 2);
        assert_eq!(figures.unavailable, 3);
        assert_eq!(figures.errors, 2);
        assert!((figures.per_second - 1.0).abs() < 1e-9);
    }
}
