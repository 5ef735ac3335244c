//! Password hashing with bcrypt. These functions are CPU-bound (~0.3 s at cost 12): the server runs them
//! through a [`PasswordHasher`], never on an async worker.
//!
//! A login storm must not take the machine from everybody else: the hasher runs bcrypt on a fixed number
//! of threads (one per core) behind a bounded queue, and refuses work past the bound at once
//! ([`HashingError::Busy`]) instead of letting requests queue for seconds; a job that still waited longer
//! than [`MAX_QUEUE_WAIT`] (the machine was busy with other work) is refused when its turn comes.
//!
//! Two things keep the hashing threads out of the requests' way:
//! - On Linux the threads run under `SCHED_IDLE`: a request thread of the server that wakes up takes a core
//!   from a hashing thread at once. (At nice 10 the scheduler let a hashing thread finish its time slice
//!   first: `/me` at a steady rate had p99 1.5 ms without a login storm and 5.4 ms during one.) Where the
//!   policy is refused, the threads run at the lowest nice value.
//! - The kernel applies the policy within a scheduling group only. Where PostgreSQL and Redis run in groups
//!   of their own (autogroup sessions, containers), the server's group as a whole competes with them as a
//!   normal one, and a store woken on a core where bcrypt runs may wait for a time slice. So the threads also
//!   step aside by themselves while requests are being served ([`foreground`]): between rounds of bcrypt's
//!   key schedule ([`rounds`]) they pause, for at most [`MAX_PAUSE`] at a time.

mod foreground;
mod rounds;

pub use foreground::Foreground;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use thread_priority::ThreadPriority;

use crate::sealed::CryptoError;
use foreground::Manners;

type Job = Box<dyn FnOnce(&mut Manners) + Send + 'static>;

/// The longest a hashing thread pauses at a time for requests being served.
pub const MAX_PAUSE: Duration = Duration::from_millis(10);
/// How long a hashing thread hashes on without pausing after a pause that ran out: under a never-ending
/// stream of requests, logins get `MIN_RUN / (MIN_RUN + MAX_PAUSE)` of the hashing threads' time.
pub const MIN_RUN: Duration = Duration::from_millis(5);

/// Why the hasher did not give an answer.
#[derive(Debug, thiserror::Error)]
pub enum HashingError {
    /// Every hashing thread is busy and the queue is full: try again in a moment.
    #[error("password hashing is at capacity")]
    Busy,
    /// The hashing threads are gone (the process is shutting down).
    #[error("the password hashing threads have stopped")]
    Stopped,
    #[error(transparent)]
    Crypto(#[from] CryptoError),
}

/// bcrypt on `threads` dedicated threads with at most `queue` jobs waiting. Cloning shares the threads.
#[derive(Clone)]
pub struct PasswordHasher {
    jobs: SyncSender<Job>,
    /// Jobs accepted and not yet finished (running or waiting).
    in_flight: Arc<AtomicUsize>,
    foreground: Foreground,
    cost: u32,
    threads: usize,
    queue: usize,
}

impl std::fmt::Debug for PasswordHasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordHasher")
            .field("cost", &self.cost)
            .field("threads", &self.threads)
            .field("queue", &self.queue)
            .finish_non_exhaustive()
    }
}

impl PasswordHasher {
    /// Starts the threads. `threads` is raised to at least one; hashes are made at `cost`.
    pub fn start(threads: usize, queue: usize, cost: u32) -> std::io::Result<Self> {
        let threads = threads.max(1);
        let (jobs, receiver) = mpsc::sync_channel::<Job>(queue);
        let receiver = Arc::new(Mutex::new(receiver));
        let foreground = Foreground::default();
        for number in 0..threads {
            let receiver = Arc::clone(&receiver);
            let manners = foreground.manners(MAX_PAUSE, MIN_RUN);
            std::thread::Builder::new()
                .name(format!("bcrypt-{number}"))
                .spawn(move || work(&receiver, manners))?;
        }
        Ok(Self {
            jobs,
            in_flight: Arc::new(AtomicUsize::new(0)),
            foreground,
            cost,
            threads,
            queue,
        })
    }

    /// Whether every thread is busy and the queue is full, so that work would be refused now. Callers use it
    /// to refuse early, before doing other work for a request that cannot be served.
    pub fn at_capacity(&self) -> bool {
        self.in_flight.load(Ordering::Relaxed) >= self.threads + self.queue
    }

    /// The requests the hashing threads step aside for: the HTTP layer serves each request through
    /// [`Foreground::serve`].
    pub fn foreground(&self) -> &Foreground {
        &self.foreground
    }

    /// The cost new hashes are made with.
    pub fn cost(&self) -> u32 {
        self.cost
    }

    /// Hashes a password at the configured cost.
    pub async fn hash(&self, password: String) -> Result<String, HashingError> {
        let cost = self.cost;
        Ok(self
            .run(move |manners| rounds::hash(&password, cost, &mut || manners.give_way()))
            .await??)
    }

    /// Whether the password matches the hash.
    pub async fn verify(&self, password: String, hash: String) -> Result<bool, HashingError> {
        self.run(move |manners| rounds::verify(&password, &hash, &mut || manners.give_way()))
            .await
    }

    /// Runs `work` on a hashing thread; the request waiting for it, if any, is not counted as being served
    /// meanwhile (the thread would step aside for the very request that waits for it).
    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Manners) -> T + Send + 'static,
    ) -> Result<T, HashingError> {
        let (answer, answered) = tokio::sync::oneshot::channel();
        let in_flight = Arc::clone(&self.in_flight);
        let queued_at = Instant::now();
        let job: Job = Box::new(move |manners| {
            // The caller may have gone away (its request was cancelled); nothing to tell it then.
            let _ = if queued_at.elapsed() > MAX_QUEUE_WAIT {
                answer.send(Err(HashingError::Busy))
            } else {
                answer.send(Ok(work(manners)))
            };
            in_flight.fetch_sub(1, Ordering::Relaxed);
        });
        self.in_flight.fetch_add(1, Ordering::Relaxed);
        let refused = match self.jobs.try_send(job) {
            Ok(()) => {
                return foreground::set_aside_while(answered)
                    .await
                    .map_err(|_| HashingError::Stopped)?
            }
            Err(TrySendError::Full(_)) => HashingError::Busy,
            Err(TrySendError::Disconnected(_)) => HashingError::Stopped,
        };
        self.in_flight.fetch_sub(1, Ordering::Relaxed);
        Err(refused)
    }
}

/// The longest a job may wait in the queue: past it, the job is refused (`Busy`) instead of run, since its
/// caller would rather be told to try again than wait on.
pub const MAX_QUEUE_WAIT: Duration = Duration::from_secs(2);

/// Jobs the queue holds for `threads` threads when a hash takes `one_hash`: about one second of work, the
/// shortest wait a `Retry-After` can ask for, so the clients that were told to come back find the threads
/// still busy rather than idle (at least two per thread).
pub fn queue_for(threads: usize, one_hash: Duration) -> usize {
    let per_thread = (1.0 / one_hash.as_secs_f64().max(1e-3)).ceil();
    // At most 1000 per thread (a hash under a millisecond); the cast cannot truncate.
    threads.max(1) * (per_thread.min(1000.0) as usize).max(2)
}

/// Lowers the calling thread's CPU priority below request handling's (see the module's notes). Public for
/// the bench, whose storm control spins threads at the same priority.
pub fn lower_priority() {
    #[cfg(target_os = "linux")]
    {
        use thread_priority::{NormalThreadSchedulePolicy, ThreadSchedulePolicy};
        if thread_priority::unix::set_thread_priority_and_policy(
            thread_priority::unix::thread_native_id(),
            ThreadPriority::Min,
            ThreadSchedulePolicy::Normal(NormalThreadSchedulePolicy::Idle),
        )
        .is_ok()
        {
            return;
        }
    }
    // Where the platform refuses, the thread hashes at normal priority; the bounds still hold.
    let _ = thread_priority::set_current_thread_priority(ThreadPriority::Min);
}

/// One hashing thread: takes jobs until the hasher is dropped.
fn work(receiver: &Mutex<Receiver<Job>>, mut manners: Manners) {
    lower_priority();
    loop {
        let job = receiver
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .recv();
        match job {
            Ok(job) => job(&mut manners),
            Err(_) => return,
        }
    }
}

/// Hashes a password at the given cost, on the calling thread (tools and seeding; the server uses a
/// [`PasswordHasher`]).
pub fn hash(password: &str, cost: u32) -> Result<String, CryptoError> {
    rounds::hash(password, cost, &mut || {})
}

/// Whether the password matches the hash, on the calling thread. A malformed hash never matches.
pub fn verify(password: &str, hash: &str) -> bool {
    rounds::verify(password, hash, &mut || {})
}

/// Whether a stored hash was made with a lower cost than configured (and should be upgraded at the next
/// successful login).
pub fn needs_rehash(hash: &str, cost: u32) -> bool {
    // Format: $2b$12$<53 characters>
    hash.get(4..6)
        .and_then(|c| c.parse::<u32>().ok())
        .is_none_or(|stored| stored < cost)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_report_their_cost() {
        let hashed = hash("correct horse battery", 4).unwrap();
        assert!(verify("correct horse battery", &hashed));
        assert!(!verify("correct horse batterz", &hashed));
        assert!(!verify("anything", "not a hash"));
        assert!(needs_rehash(&hashed, 5));
        assert!(!needs_rehash(&hashed, 4));
        assert!(needs_rehash("garbage", 4));
    }

    #[tokio::test]
    async fn the_hasher_hashes_and_verifies_on_its_threads() {
        let hasher = PasswordHasher::start(2, 4, 4).unwrap();
        let hashed = hasher.hash("correct horse battery".into()).await.unwrap();
        assert!(!needs_rehash(&hashed, 4));
        assert!(hasher
            .verify("correct horse battery".into(), hashed.clone())
            .await
            .unwrap());
        assert!(!hasher.verify("wrong".into(), hashed).await.unwrap());
    }

    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn hashing_threads_run_under_sched_idle() {
        let hasher = PasswordHasher::start(1, 1, 4).unwrap();
        let stat = hasher
            .run(|_| std::fs::read_to_string("/proc/thread-self/stat").unwrap())
            .await
            .unwrap();
        // Field 41 is the scheduling policy (SCHED_IDLE is 5); the fields after the parenthesised name
        // start at field 3.
        let after_name = &stat[stat.rfind(')').unwrap() + 2..];
        let policy: i32 = after_name.split(' ').nth(38).unwrap().parse().unwrap();
        assert_eq!(policy, 5, "{stat}");
    }

    #[test]
    fn the_queue_holds_about_a_second_of_work() {
        assert_eq!(queue_for(2, Duration::from_millis(250)), 8);
        assert_eq!(queue_for(4, Duration::from_millis(300)), 16);
        // Fast hashes (a low cost in tests) are capped; slow ones still queue two per thread.
        assert_eq!(queue_for(1, Duration::from_nanos(1)), 1000);
        assert_eq!(queue_for(2, Duration::from_secs(3)), 4);
        assert_eq!(queue_for(0, Duration::from_millis(500)), 2);
    }

    #[tokio::test]
    async fn a_job_that_waited_past_the_limit_is_refused_not_run() {
        let hasher = PasswordHasher::start(1, 2, 4).unwrap();
        let blocker =
            hasher.run(|_| std::thread::sleep(MAX_QUEUE_WAIT + Duration::from_millis(200)));
        let ran = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&ran);
        let late = hasher.run(move |_| counter.fetch_add(1, Ordering::Relaxed));
        let (first, second) = tokio::join!(blocker, late);
        assert!(first.is_ok());
        assert!(matches!(second, Err(HashingError::Busy)), "{second:?}");
        assert_eq!(ran.load(Ordering::Relaxed), 0);
    }

    #[tokio::test]
    async fn past_the_queue_bound_work_is_refused_at_once_and_taken_again_when_there_is_room() {
        // One thread and one queue place: with a job running and one waiting, the next is refused.
        let hasher = PasswordHasher::start(1, 1, 4).unwrap();
        assert!(!hasher.at_capacity());
        let (started, has_started) = mpsc::channel::<()>();
        let (release, released) = mpsc::channel::<()>();
        let running = tokio::spawn({
            let hasher = hasher.clone();
            async move {
                hasher
                    .run(move |_| {
                        started.send(()).unwrap();
                        released.recv().unwrap();
                    })
                    .await
            }
        });
        while has_started.try_recv().is_err() {
            tokio::task::yield_now().await;
        }
        let waiting = tokio::spawn({
            let hasher = hasher.clone();
            async move { hasher.run(|_| ()).await }
        });
        while hasher.in_flight.load(Ordering::Relaxed) < 2 {
            tokio::task::yield_now().await;
        }
        assert!(hasher.at_capacity());

        let refused = hasher.hash("anything at all".into()).await;
        assert!(matches!(refused, Err(HashingError::Busy)), "{refused:?}");
        assert_eq!(hasher.in_flight.load(Ordering::Relaxed), 2);

        release.send(()).unwrap();
        running.await.unwrap().unwrap();
        waiting.await.unwrap().unwrap();
        assert!(!hasher.at_capacity());
        assert!(!hasher
            .verify("x".into(), "not a hash".into())
            .await
            .unwrap());
    }
}
