//! Password hashing with bcrypt. These functions are CPU-bound (~0.3 s at cost 12): the server runs them
//! through a [`PasswordHasher`], never on an async worker.
//!
//! A login storm must not take the machine from everybody else: the hasher runs bcrypt on a fixed number
//! of threads (one per core) behind a bounded queue, and refuses work past the bound at once
//! ([`HashingError::Busy`]) instead of letting requests queue for seconds. The threads run at a lower CPU
//! priority (nice 10) than request handling, so while they hash, other requests still get a core as soon
//! as they need one; when nothing else runs, hashing has the cores to itself.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex, PoisonError};

use thread_priority::{ThreadPriority, ThreadPriorityValue};

use crate::sealed::CryptoError;

type Job = Box<dyn FnOnce() + Send + 'static>;

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
        for number in 0..threads {
            let receiver = Arc::clone(&receiver);
            std::thread::Builder::new()
                .name(format!("bcrypt-{number}"))
                .spawn(move || work(&receiver))?;
        }
        Ok(Self {
            jobs,
            in_flight: Arc::new(AtomicUsize::new(0)),
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

    /// The cost new hashes are made with.
    pub fn cost(&self) -> u32 {
        self.cost
    }

    /// Hashes a password at the configured cost.
    pub async fn hash(&self, password: String) -> Result<String, HashingError> {
        let cost = self.cost;
        Ok(self.run(move || hash(&password, cost)).await??)
    }

    /// Whether the password matches the hash.
    pub async fn verify(&self, password: String, hash: String) -> Result<bool, HashingError> {
        self.run(move || verify(&password, &hash)).await
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, HashingError> {
        let (answer, answered) = tokio::sync::oneshot::channel();
        let in_flight = Arc::clone(&self.in_flight);
        let job: Job = Box::new(move || {
            // The caller may have gone away (its request was cancelled); nothing to tell it then.
            let _ = answer.send(work());
            in_flight.fetch_sub(1, Ordering::Relaxed);
        });
        self.in_flight.fetch_add(1, Ordering::Relaxed);
        let refused = match self.jobs.try_send(job) {
            Ok(()) => return answered.await.map_err(|_| HashingError::Stopped),
            Err(TrySendError::Full(_)) => HashingError::Busy,
            Err(TrySendError::Disconnected(_)) => HashingError::Stopped,
        };
        self.in_flight.fetch_sub(1, Ordering::Relaxed);
        Err(refused)
    }
}

/// The hashing threads' priority on the crate's 0–99 scale: on Linux, nice 10, so request handling (nice 0)
/// weighs about ten times as much (checked by a test).
const PRIORITY: u8 = 22;

/// One hashing thread: takes jobs until the hasher is dropped.
fn work(receiver: &Mutex<Receiver<Job>>) {
    // Where the platform refuses, the thread hashes at normal priority; the bounds still hold.
    if let Ok(priority) = ThreadPriorityValue::try_from(PRIORITY) {
        let _ =
            thread_priority::set_current_thread_priority(ThreadPriority::Crossplatform(priority));
    }
    loop {
        let job = receiver
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .recv();
        match job {
            Ok(job) => job(),
            Err(_) => return,
        }
    }
}

/// Hashes a password at the given cost.
pub fn hash(password: &str, cost: u32) -> Result<String, CryptoError> {
    bcrypt::hash(password, cost).map_err(|_| CryptoError::Random)
}

/// Whether the password matches the hash. A malformed hash never matches.
pub fn verify(password: &str, hash: &str) -> bool {
    bcrypt::verify(password, hash).unwrap_or(false)
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
    async fn hashing_threads_run_at_nice_10() {
        let hasher = PasswordHasher::start(1, 1, 4).unwrap();
        let stat = hasher
            .run(|| std::fs::read_to_string("/proc/thread-self/stat").unwrap())
            .await
            .unwrap();
        // Field 19 is the nice value; the fields after the parenthesised name start at field 3.
        let after_name = &stat[stat.rfind(')').unwrap() + 2..];
        let nice: i32 = after_name.split(' ').nth(16).unwrap().parse().unwrap();
        assert_eq!(nice, 10, "{stat}");
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
                    .run(move || {
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
            async move { hasher.run(|| ()).await }
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
