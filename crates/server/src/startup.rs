//! Builds the pools and the HTTP server, and runs the start-up work that needs the databases.
//!
//! The pools connect lazily and the HTTP server starts at once, so `/health` answers even while a database
//! is down. Migrations and MongoDB index creation run in a background task that retries with backoff,
//! logging which dependency it waits for; `/health/ready` reports `schema: pending` until it succeeds.

use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::Server;
use anyhow::Context as _;
use crewplots_crypto::PasswordHasher;
use crewplots_domain::health::DependencyProbe;
use crewplots_http::{
    AppState, Bootstrap, Metrics, MetricsAccess, SecurityPolicy, ServerOptions, WorkerState,
};
use crewplots_session::{
    BoundedRedisStore, CookiePolicy, KeyValue, LoginThrottle, RateLimit, RedisProbe, SessionIndex,
    ThrottlePolicy,
};
use crewplots_storage_mongo::{
    GridFsDocumentVault, MongoBodyVault, MongoProbe, MongoProfileVault, MongoStore,
};
use crewplots_storage_postgres::{Deadlines, PgProbe, PgStore, PoolOptions};
use secrecy::ExposeSecret;

use crate::mailer::Mailer;
use crate::retention::RetentionJob;
use crate::settings::{AppEnv, Settings};

/// The longest pause between two start-up attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// A built server, bound to its port, not yet running.
pub struct Application {
    port: u16,
    server: Server,
    bootstrap: Arc<Bootstrap>,
}

impl std::fmt::Debug for Application {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Application")
            .field("port", &self.port)
            .finish_non_exhaustive()
    }
}

impl Application {
    /// Validates URLs, builds pools and binds the listener. Fails only on configuration errors or an
    /// occupied port; unreachable databases are not an error here.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        for warning in &settings.warnings {
            tracing::warn!(warning = %warning, "configuration accepted for development only");
        }
        let workers = if settings.workers == 0 {
            std::thread::available_parallelism().map_or(2, |n| n.get())
        } else {
            settings.workers
        };
        let pools = postgres_pools(&settings, workers)?;
        let pg_pool = pools.shared.clone();
        let mongo = MongoStore::connect(
            settings.mongodb_url.expose_secret(),
            &settings.mongodb_db_name,
            settings.mongodb_timeout,
        )
        .await?;
        let redis_pools = redis_pools(&settings, workers)?;
        let redis_pool = redis_pools.shared.clone();

        let keyring = settings.keyring.clone();
        let pg = Arc::new(PgStore::new(pg_pool.clone()));
        let kv = KeyValue::new(
            redis_pool.clone(),
            settings.redis_key_prefix.clone(),
            settings.redis_timeout,
        );
        let throttle = ThrottlePolicy {
            window: Duration::from_secs(3600),
            max_failures_per_account: settings.throttle.max_failures_per_account,
            max_failures_per_ip: settings.throttle.max_failures_per_ip,
            free_failures: settings.throttle.free_failures,
            delay_base: Duration::from_millis(settings.throttle.delay_base_ms),
            delay_max: Duration::from_millis(settings.throttle.delay_max_ms),
        };
        // Unknown usernames are checked against this hash so that login takes equally long either way.
        let cost = settings.bcrypt_cost;
        let (dummy_hash, one_hash) = tokio::task::spawn_blocking(move || {
            let started = std::time::Instant::now();
            let hash =
                crewplots_crypto::password::hash("dummy password for unknown accounts", cost);
            (hash, started.elapsed())
        })
        .await?;
        let dummy_hash = dummy_hash?;
        let hash_queue = settings.hash_queue.unwrap_or_else(|| {
            crewplots_crypto::password::queue_for(settings.hash_threads, one_hash)
        });
        let mailer = Mailer::new(
            pg.clone(),
            settings.smtp_url.as_ref(),
            &settings.mail_from,
            settings.mail_poll_interval,
        )?;

        let listener = TcpListener::bind(settings.bind_address())
            .with_context(|| format!("cannot listen on {} (HOST/PORT)", settings.bind_address()))?;
        let port = listener.local_addr()?.port();

        let bootstrap = Arc::new(Bootstrap::pending());
        let probes: Vec<Arc<dyn DependencyProbe>> = vec![
            Arc::new(PgProbe(pg_pool.clone())),
            Arc::new(MongoProbe(mongo.clone())),
            Arc::new(RedisProbe(redis_pool.clone())),
        ];
        let retention = RetentionJob::new(
            PgStore::new(pg_pool.clone()),
            &mongo,
            &settings,
            Some(SessionIndex::new(kv.clone())),
        );
        let state = AppState {
            probes,
            readiness_timeout: settings.readiness_timeout,
            bootstrap: bootstrap.clone(),
            metrics: Arc::new(Metrics::new()?),
            metrics_access: settings
                .metrics_token
                .clone()
                .map(MetricsAccess::Token)
                .unwrap_or_default(),
            accounts: pg.clone(),
            locations: pg.clone(),
            audit: pg.clone(),
            outbox: pg.clone(),
            profiles: Arc::new(MongoProfileVault::new(mongo.clone(), keyring.clone())),
            bodies: Arc::new(MongoBodyVault::new(mongo.clone(), keyring.clone())),
            documents: pg.clone(),
            hiring: pg.clone(),
            notes: pg.clone(),
            vault: Arc::new(GridFsDocumentVault::new(mongo.clone(), keyring.clone())),
            crew: pg.clone(),
            templates: pg.clone(),
            schedule: pg.clone(),
            self_service: pg.clone(),
            requests: pg.clone(),
            fill: pg.clone(),
            dashboard: pg.clone(),
            retention: pg.clone(),
            retention_policy: crewplots_domain::retention::RetentionPolicy {
                days: settings.retention_days,
            },
            exports: pg.clone(),
            cash: pg.clone(),
            knowledge: pg.clone(),
            mail_from: mail_address(&settings.mail_from),
            document_max_bytes: settings.document_max_bytes,
            sessions: SessionIndex::new(kv.clone()),
            feed_rate: feed_rate(kv.clone(), settings.feed_requests_per_minute),
            throttle: LoginThrottle::new(kv, throttle),
            security: SecurityPolicy {
                public_url: settings.public_url.clone(),
                allowed_origins: settings.allowed_origins(),
                trust_forwarded_for: settings.trust_forwarded_for,
                hsts: settings.public_url.starts_with("https://"),
                bcrypt_cost: settings.bcrypt_cost,
                hasher: PasswordHasher::start(
                    settings.hash_threads,
                    hash_queue,
                    settings.bcrypt_cost,
                )?,
                dummy_hash: Arc::new(dummy_hash),
                session_absolute_timeout: settings.session_absolute_timeout,
            },
        };
        let worker_pools: Vec<_> = pools
            .per_worker
            .into_iter()
            .zip(redis_pools.per_worker)
            .collect();
        let next_worker = Arc::new(AtomicUsize::new(0));
        let (key_prefix, redis_timeout) =
            (settings.redis_key_prefix.clone(), settings.redis_timeout);
        let (idle_timeout, feed_per_minute) = (
            settings.session_idle_timeout,
            settings.feed_requests_per_minute,
        );
        let state_of_worker = move || {
            let index = next_worker.fetch_add(1, Ordering::Relaxed) % worker_pools.len();
            let (pg_pool, redis_pool) = &worker_pools[index];
            let kv = KeyValue::new(redis_pool.clone(), key_prefix.clone(), redis_timeout);
            let mut app = with_postgres(
                state.clone(),
                &Arc::new(PgStore::for_requests(pg_pool.clone())),
            );
            app.sessions = SessionIndex::new(kv.clone());
            app.feed_rate = feed_rate(kv.clone(), feed_per_minute);
            app.throttle = LoginThrottle::new(kv.clone(), throttle);
            WorkerState {
                app,
                sessions: BoundedRedisStore::new(&kv, idle_timeout),
            }
        };
        let server = crewplots_http::serve(
            listener,
            state_of_worker,
            ServerOptions {
                workers,
                shutdown_timeout_secs: settings.shutdown_timeout.as_secs(),
                session_secret: settings.session_secret.clone(),
                cookie: CookiePolicy::for_environment(
                    settings.env == AppEnv::Production,
                    settings.session_idle_timeout,
                ),
                static_dir: Some(settings.static_dir.clone()),
            },
        )?;

        let sweeper = Sweeper {
            pg: PgStore::new(pg_pool.clone()),
            documents: GridFsDocumentVault::new(mongo.clone(), keyring.clone()),
            profiles: MongoProfileVault::new(mongo.clone(), keyring.clone()),
            bodies: MongoBodyVault::new(mongo.clone(), keyring.clone()),
        };
        tokio::spawn(prepare_stores(
            settings.database_url.expose_secret().to_string(),
            mongo,
            bootstrap.clone(),
            mailer,
            sweeper,
            (retention, settings.retention_interval),
        ));
        tracing::info!(address = %settings.bind_address(), port, env = ?settings.env, "listening");
        Ok(Self {
            port,
            server,
            bootstrap,
        })
    }

    /// The port actually bound (useful when the configured port was 0).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Whether migrations and indexes are in place.
    pub fn is_bootstrapped(&self) -> bool {
        self.bootstrap.is_done()
    }

    /// Serves until SIGTERM/SIGINT, then lets in-flight requests finish.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// The pools of one store in one process. Each HTTP worker thread has pools of its own, so the connections
/// its requests use are driven by that same thread: a PostgreSQL connection's I/O task, and a multiplexed
/// Redis connection's, runs where it was opened; with one shared pool, about half the round trips of a
/// two-worker server woke a second thread twice. Background work (start-up, the sweep, the mailer,
/// retention, readiness) has a small pool of its own.
struct Pools<P> {
    shared: P,
    per_worker: Vec<P>,
}

impl<P> Pools<P> {
    /// `budget` connections for requests, split evenly over the workers (at least one each) plus `reserved`
    /// for each worker, and a shared pool of [`BACKGROUND_CONNECTIONS`].
    fn split<E>(
        budget: usize,
        reserved: usize,
        workers: usize,
        pool: impl Fn(usize) -> Result<P, E>,
    ) -> Result<Self, E> {
        let each = budget.div_ceil(workers.max(1)).max(1) + reserved;
        Ok(Self {
            shared: pool(BACKGROUND_CONNECTIONS)?,
            per_worker: (0..workers.max(1))
                .map(|_| pool(each))
                .collect::<Result<_, _>>()?,
        })
    }
}

/// `CREWPLOTS__DATABASE__POOL_SIZE` is the process's budget of PostgreSQL connections for requests; each
/// worker has one more, which its per-request user reads share ([`PgStore::for_requests`]).
fn postgres_pools(
    settings: &Settings,
    workers: usize,
) -> anyhow::Result<Pools<deadpool_postgres::Pool>> {
    Ok(Pools::split(
        settings.database_pool_size,
        1,
        workers,
        |max_size| {
            crewplots_storage_postgres::build_pool_with(
                settings.database_url.expose_secret(),
                PoolOptions {
                    max_size,
                    timeout: settings.database_timeout,
                },
                Deadlines {
                    connect: settings.database_connect_timeout,
                    statement: settings.database_statement_timeout,
                    ..Deadlines::default()
                },
            )
        },
    )?)
}

/// `CREWPLOTS__REDIS__POOL_SIZE` is the process's budget of Redis connections for requests.
fn redis_pools(
    settings: &Settings,
    workers: usize,
) -> anyhow::Result<Pools<crewplots_session::deadpool_redis::Pool>> {
    Ok(Pools::split(
        settings.redis_pool_size,
        0,
        workers,
        |max_size| {
            crewplots_session::build_pool(
                settings.redis_url.expose_secret(),
                max_size,
                settings.redis_timeout,
            )
        },
    )?)
}

/// The limit on calendar-feed requests per token.
fn feed_rate(kv: KeyValue, per_minute: u64) -> RateLimit {
    RateLimit::new(kv, "calendar-feed", per_minute, Duration::from_secs(60))
}

/// Connections of the background pool: the mailer, the sweep (which holds its lock on one), retention and
/// readiness.
const BACKGROUND_CONNECTIONS: usize = 4;

/// The state of one worker: the shared parts of `state`, its PostgreSQL stores on the worker's own pool
/// (the caller sets the Redis parts on the worker's Redis pool).
/// Every PostgreSQL-backed store of [`AppState`] is set here.
fn with_postgres(mut state: AppState, pg: &Arc<PgStore>) -> AppState {
    state.accounts = pg.clone();
    state.locations = pg.clone();
    state.audit = pg.clone();
    state.outbox = pg.clone();
    state.documents = pg.clone();
    state.hiring = pg.clone();
    state.notes = pg.clone();
    state.crew = pg.clone();
    state.templates = pg.clone();
    state.schedule = pg.clone();
    state.self_service = pg.clone();
    state.requests = pg.clone();
    state.fill = pg.clone();
    state.dashboard = pg.clone();
    state.retention = pg.clone();
    state.exports = pg.clone();
    state.cash = pg.clone();
    state.knowledge = pg.clone();
    state
}

/// The stores the start-up sweep needs.
struct Sweeper {
    pg: PgStore,
    documents: GridFsDocumentVault,
    profiles: MongoProfileVault,
    bodies: MongoBodyVault,
}

/// How old orphaned content must be before a sweep removes it.
const SWEEP_GRACE: Duration = Duration::from_secs(3600);

/// One sweep with the configured stores (`crewplots-server gc`).
pub async fn sweep_once(
    settings: &Settings,
    grace: Duration,
) -> anyhow::Result<crate::gc::SweepReport> {
    let pool = crewplots_storage_postgres::build_pool(
        settings.database_url.expose_secret(),
        PoolOptions::default(),
    )?;
    let mongo = MongoStore::connect(
        settings.mongodb_url.expose_secret(),
        &settings.mongodb_db_name,
        Duration::from_secs(10),
    )
    .await?;
    crate::gc::sweep(
        &PgStore::new(pool),
        &GridFsDocumentVault::new(mongo.clone(), settings.keyring.clone()),
        &MongoProfileVault::new(mongo.clone(), settings.keyring.clone()),
        &MongoBodyVault::new(mongo, settings.keyring.clone()),
        grace,
    )
    .await
}

/// Migrations, then MongoDB indexes; each retried with exponential backoff until it succeeds. Then one
/// orphan sweep, and the retention job and the outbox sender start.
async fn prepare_stores(
    database_url: String,
    mongo: MongoStore,
    bootstrap: Arc<Bootstrap>,
    mailer: Mailer,
    sweeper: Sweeper,
    (retention, retention_interval): (RetentionJob, Duration),
) {
    retry("postgres", "applying migrations", || async {
        let applied = crewplots_storage_postgres::migrate(&database_url).await?;
        for migration in &applied {
            tracing::info!(version = migration.version, name = %migration.name, "migration applied");
        }
        Ok::<_, crewplots_storage_postgres::MigrateError>(())
    })
    .await;
    retry("mongodb", "creating indexes", || mongo.ensure_indexes()).await;
    bootstrap.mark_done();
    tracing::info!("stores ready");
    // Another instance sweeping right now does this work anyway: skip rather than wait (up to
    // `gc::LOCK_WAIT`) with the retention job and the outbox sender not yet started.
    match crate::gc::sweep_unless_running(
        &sweeper.pg,
        &sweeper.documents,
        &sweeper.profiles,
        &sweeper.bodies,
        SWEEP_GRACE,
    )
    .await
    {
        Ok(report) if report.skipped_locked => {
            tracing::info!(
                reason = "another instance is sweeping",
                "orphan sweep skipped"
            )
        }
        Ok(report) => tracing::info!(
            documents_removed = report.documents_removed,
            profiles_removed = report.profiles_removed,
            bodies_removed = report.bodies_removed,
            "orphan sweep done"
        ),
        Err(error) => {
            tracing::warn!(%error, "orphan sweep failed; `crewplots-server gc` runs it by hand")
        }
    }
    tokio::spawn(retention.run(retention_interval));
    mailer.run().await;
}

async fn retry<F, Fut, E>(dependency: &'static str, what: &'static str, mut attempt: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<(), E>>,
    E: std::fmt::Display,
{
    let mut delay = Duration::from_millis(500);
    loop {
        match attempt().await {
            Ok(()) => return,
            Err(error) => {
                tracing::warn!(dependency, %error, retry_in_ms = delay.as_millis() as u64, "{what} failed; retrying");
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(MAX_BACKOFF);
            }
        }
    }
}

/// The address part of `Name <address>` (or the whole text when there is no display name).
fn mail_address(from: &str) -> String {
    match (from.rfind('<'), from.rfind('>')) {
        (Some(start), Some(end)) if start < end => from[start + 1..end].trim().to_string(),
        _ => from.trim().to_string(),
    }
}

#[cfg(test)]
mod mail_address_tests {
    #[test]
    fn the_address_is_taken_from_a_display_form() {
        assert_eq!(
            super::mail_address("Crew Plots <no-reply@x.nl>"),
            "no-reply@x.nl"
        );
        assert_eq!(super::mail_address("jobs@x.nl"), "jobs@x.nl");
    }
}
