//! Requests first: hashing threads step aside while requests are being served.
//!
//! The hashing threads run at the lowest CPU priority, but the kernel ranks a thread only against the others
//! of its own scheduling group (see [`super`]). PostgreSQL and Redis usually run in groups of their own
//! (autogroup sessions, containers), and every request wakes them two or three times; each time one wakes
//! on a core where bcrypt is running, it can wait for the rest of a time slice. So the hasher also steps
//! aside by itself:
//!
//! - the HTTP layer serves every request inside [`Foreground::serve`], which counts it from its arrival
//!   until its response starts (a body streamed after that is not counted);
//! - after each round of bcrypt's key schedule (about 70 µs at cost 12) a hashing thread checks the count
//!   and, while requests are being served, parks until none is, so their store round trips find idle cores;
//! - a pause lasts at most [`Manners::max_pause`]; after a pause that ran out the thread hashes on for at
//!   least [`Manners::min_run`], so under a never-ending stream of requests logins still get a share of the
//!   cores (a third with the defaults) instead of none;
//! - a request that is itself waiting for the hasher (a login) is not counted while it waits.

use std::cell::Cell;
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// The requests being served, shared by the HTTP layer and the hashing threads. Cloning shares the count.
#[derive(Clone, Default)]
pub struct Foreground(Arc<Shared>);

impl std::fmt::Debug for Foreground {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Foreground")
            .field("serving", &self.serving())
            .finish_non_exhaustive()
    }
}

#[derive(Default)]
struct Shared {
    serving: AtomicUsize,
    /// Hashing threads parked (or about to park) until `serving` is zero.
    parked: AtomicUsize,
    lock: Mutex<()>,
    quiet: Condvar,
}

impl Shared {
    fn leave(&self) {
        // Sequentially consistent with the parking side (see `Manners::give_way`): either a parking thread
        // sees the count at zero, or this side sees it parked and wakes it under the lock.
        if self.serving.fetch_sub(1, Ordering::SeqCst) == 1
            && self.parked.load(Ordering::SeqCst) > 0
        {
            let _lock = self.lock.lock().unwrap_or_else(PoisonError::into_inner);
            self.quiet.notify_all();
        }
    }
}

tokio::task_local! {
    /// The request this task is serving, if it runs inside [`Foreground::serve`].
    static SERVING: Ticket;
}

/// One request's place in the count, held (counted) or set aside.
struct Ticket {
    shared: Arc<Shared>,
    held: Cell<bool>,
}

impl Ticket {
    fn new(shared: Arc<Shared>) -> Self {
        shared.serving.fetch_add(1, Ordering::SeqCst);
        Self {
            shared,
            held: Cell::new(true),
        }
    }

    fn set_aside(&self) {
        if self.held.replace(false) {
            self.shared.leave();
        }
    }

    fn take_up(&self) {
        if !self.held.replace(true) {
            self.shared.serving.fetch_add(1, Ordering::SeqCst);
        }
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        self.set_aside();
    }
}

impl Foreground {
    /// Runs `request`, counted as being served until it finishes or is dropped.
    pub async fn serve<F: Future>(&self, request: F) -> F::Output {
        SERVING
            .scope(Ticket::new(Arc::clone(&self.0)), request)
            .await
    }

    /// How many requests are being served now.
    pub fn serving(&self) -> usize {
        self.0.serving.load(Ordering::SeqCst)
    }

    /// How many hashing threads are parked in [`Manners::give_way`] now (tests).
    #[cfg(test)]
    fn parked(&self) -> usize {
        self.0.parked.load(Ordering::SeqCst)
    }

    /// A hashing thread's side of the count.
    pub(super) fn manners(&self, max_pause: Duration, min_run: Duration) -> Manners {
        Manners {
            shared: Arc::clone(&self.0),
            max_pause,
            min_run,
            run_until: None,
        }
    }
}

/// Awaits `wait` (for the hashing threads) with the current request, if any, not counted meanwhile: the
/// hasher must not step aside for the very request that waits for it.
pub(super) async fn set_aside_while<F: Future>(wait: F) -> F::Output {
    let _ = SERVING.try_with(Ticket::set_aside);
    let output = wait.await;
    let _ = SERVING.try_with(Ticket::take_up);
    output
}

/// How a hashing thread gives way: see the module's notes.
pub(super) struct Manners {
    shared: Arc<Shared>,
    /// The longest one pause lasts.
    pub(super) max_pause: Duration,
    /// How long the thread hashes on, without pausing, after a pause that ran out.
    pub(super) min_run: Duration,
    run_until: Option<Instant>,
}

impl Manners {
    /// Called between rounds: returns at once when no request is being served, otherwise after a pause.
    pub(super) fn give_way(&mut self) {
        if self.shared.serving.load(Ordering::Relaxed) == 0 {
            return;
        }
        let now = Instant::now();
        if self.run_until.is_some_and(|until| now < until) {
            return;
        }
        let give_up_at = now + self.max_pause;
        self.shared.parked.fetch_add(1, Ordering::SeqCst);
        let mut lock = self
            .shared
            .lock
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        while self.shared.serving.load(Ordering::SeqCst) > 0 {
            let left = give_up_at.saturating_duration_since(Instant::now());
            if left.is_zero() {
                self.run_until = Some(Instant::now() + self.min_run);
                break;
            }
            lock = self
                .shared
                .quiet
                .wait_timeout(lock, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        drop(lock);
        self.shared.parked.fetch_sub(1, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LONG: Duration = Duration::from_secs(600);

    /// Waits (without a time limit; the test harness has one) until `condition` holds.
    fn until(condition: impl Fn() -> bool) {
        while !condition() {
            std::thread::yield_now();
        }
    }

    #[tokio::test]
    async fn requests_are_counted_while_served_and_not_after() {
        let foreground = Foreground::default();
        let inside = foreground.serve(async { foreground.serving() }).await;
        assert_eq!(inside, 1);
        assert_eq!(foreground.serving(), 0);
        // A request dropped half-way (its client went away) is not counted either.
        let (_never, pending) = tokio::sync::oneshot::channel::<()>();
        let mut request = Box::pin(foreground.serve(pending));
        assert!(futures_util::poll!(request.as_mut()).is_pending());
        assert_eq!(foreground.serving(), 1);
        drop(request);
        assert_eq!(foreground.serving(), 0);
    }

    #[tokio::test]
    async fn a_request_waiting_for_the_hasher_is_not_counted_meanwhile() {
        let foreground = Foreground::default();
        let (during, after) = foreground
            .serve(async {
                let during = set_aside_while(async { foreground.serving() }).await;
                (during, foreground.serving())
            })
            .await;
        assert_eq!((during, after), (0, 1));
        // Outside a request there is nothing to set aside.
        assert_eq!(set_aside_while(async { foreground.serving() }).await, 0);
    }

    #[tokio::test]
    async fn a_hashing_thread_waits_while_a_request_is_served_and_goes_on_after() {
        let foreground = Foreground::default();
        let mut manners = foreground.manners(LONG, LONG);
        let (finish, finished) = tokio::sync::oneshot::channel::<()>();
        let request = foreground.serve(finished);
        tokio::pin!(request);
        assert!(futures_util::poll!(request.as_mut()).is_pending());
        assert_eq!(foreground.serving(), 1);
        let hashing = std::thread::spawn(move || manners.give_way());
        until(|| foreground.parked() == 1);
        assert!(!hashing.is_finished());
        finish.send(()).unwrap();
        request.await.unwrap();
        hashing.join().unwrap();
        assert_eq!(foreground.parked(), 0);
    }

    #[test]
    fn a_pause_that_runs_out_is_followed_by_a_run_without_pauses() {
        let foreground = Foreground::default();
        // A request that never ends.
        let endless = Ticket::new(Arc::clone(&foreground.0));
        let mut manners = foreground.manners(Duration::from_millis(1), LONG);
        manners.give_way();
        let run = manners.run_until;
        assert!(run.is_some());
        // Within the run that follows, the thread does not park again although the request goes on (a
        // second pause would have run out too and set a later end of run).
        for _ in 0..1000 {
            manners.give_way();
        }
        assert_eq!(manners.run_until, run);
        drop(endless);
        assert_eq!(foreground.serving(), 0);
    }

    #[test]
    fn with_nothing_served_a_hashing_thread_never_waits() {
        let foreground = Foreground::default();
        let mut manners = foreground.manners(LONG, LONG);
        for _ in 0..1000 {
            manners.give_way();
        }
        assert!(manners.run_until.is_none());
    }
}
