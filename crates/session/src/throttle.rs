//! Login throttling: failure counters per account and per client IP in Redis, with a growing delay.
//!
//! Each failed login increments both counters (one-hour windows) and sets a "wait until" marker whose length
//! grows with the count. A login attempt is refused with 429 while a marker exists or once a counter reached
//! its hourly maximum — then even the right password waits until the window ends. A successful login clears
//! the account's counter and marker.

use std::time::Duration;

use deadpool_redis::redis::{self, AsyncCommands};

use crate::{KeyValue, RedisError};

/// Limits of the throttle.
#[derive(Debug, Clone, Copy)]
pub struct ThrottlePolicy {
    pub window: Duration,
    pub max_failures_per_account: u64,
    pub max_failures_per_ip: u64,
    /// Failures without any delay.
    pub free_failures: u64,
    /// The first delay after the free failures; doubles with each further failure. Zero disables delays.
    pub delay_base: Duration,
    pub delay_max: Duration,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        Self {
            window: Duration::from_secs(3600),
            max_failures_per_account: 100,
            max_failures_per_ip: 1000,
            free_failures: 5,
            delay_base: Duration::from_secs(1),
            delay_max: Duration::from_secs(60),
        }
    }
}

impl ThrottlePolicy {
    /// The wait imposed after the `failures`-th failure.
    pub fn delay_after(&self, failures: u64) -> Duration {
        if failures <= self.free_failures || self.delay_base.is_zero() {
            return Duration::ZERO;
        }
        let doublings = u32::try_from((failures - self.free_failures - 1).min(30)).unwrap_or(30);
        self.delay_base
            .checked_mul(1u32 << doublings)
            .unwrap_or(self.delay_max)
            .min(self.delay_max)
    }
}

/// The throttle, on the shared key-value handle.
#[derive(Debug, Clone)]
pub struct LoginThrottle {
    kv: KeyValue,
    policy: ThrottlePolicy,
}

/// What the throttle says about an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    /// Refused; try again after this long.
    Wait(Duration),
}

fn ms(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

impl LoginThrottle {
    pub fn new(kv: KeyValue, policy: ThrottlePolicy) -> Self {
        Self { kv, policy }
    }

    fn keys(&self, kind: &str, who: &str) -> (String, String) {
        (
            self.kv.key(&format!("login-failures:{kind}:{who}")),
            self.kv.key(&format!("login-wait:{kind}:{who}")),
        )
    }

    /// Whether an attempt for `account` (normalised login) from `ip` may be checked now.
    pub async fn check(&self, account: &str, ip: &str) -> Result<Verdict, RedisError> {
        let mut longest = Duration::ZERO;
        for (kind, who, max) in [
            ("account", account, self.policy.max_failures_per_account),
            ("ip", ip, self.policy.max_failures_per_ip),
        ] {
            let (count_key, wait_key) = self.keys(kind, who);
            let (count, count_ttl, wait_ttl): (Option<u64>, i64, i64) = self
                .kv
                .run(|mut conn| async move {
                    Ok(redis::pipe()
                        .get(&count_key)
                        .pttl(&count_key)
                        .pttl(&wait_key)
                        .query_async(&mut conn)
                        .await?)
                })
                .await?;
            if count.unwrap_or(0) >= max && count_ttl > 0 {
                longest = longest.max(Duration::from_millis(count_ttl.unsigned_abs()));
            }
            if wait_ttl > 0 {
                longest = longest.max(Duration::from_millis(wait_ttl.unsigned_abs()));
            }
        }
        Ok(if longest.is_zero() {
            Verdict::Allowed
        } else {
            Verdict::Wait(longest)
        })
    }

    /// Records a failed attempt; returns the account's failure count in this window.
    pub async fn failed(&self, account: &str, ip: &str) -> Result<u64, RedisError> {
        let mut account_count = 0;
        for (kind, who) in [("account", account), ("ip", ip)] {
            let (count_key, wait_key) = self.keys(kind, who);
            let window = i64::try_from(self.policy.window.as_secs()).unwrap_or(3600);
            let count: u64 = self
                .kv
                .run(|mut conn| async move {
                    let (count,): (u64,) = redis::pipe()
                        .atomic()
                        .incr(&count_key, 1)
                        .cmd("EXPIRE")
                        .arg(&count_key)
                        .arg(window)
                        .arg("NX")
                        .ignore()
                        .query_async(&mut conn)
                        .await?;
                    Ok(count)
                })
                .await?;
            let delay = self.policy.delay_after(count);
            if !delay.is_zero() {
                self.kv
                    .run(|mut conn| async move {
                        conn.pset_ex::<_, _, ()>(
                            &wait_key,
                            1,
                            u64::try_from(ms(delay)).unwrap_or(u64::MAX),
                        )
                        .await?;
                        Ok(())
                    })
                    .await?;
            }
            if kind == "account" {
                account_count = count;
            }
        }
        Ok(account_count)
    }

    /// A successful login clears the account's failures.
    pub async fn succeeded(&self, account: &str) -> Result<(), RedisError> {
        let (count_key, wait_key) = self.keys("account", account);
        self.kv
            .run(|mut conn| async move { Ok(conn.del::<_, ()>(&[count_key, wait_key]).await?) })
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_first_failures_are_free_then_the_delay_doubles_up_to_its_cap() {
        let policy = ThrottlePolicy::default();
        assert_eq!(policy.delay_after(5), Duration::ZERO);
        assert_eq!(policy.delay_after(6), Duration::from_secs(1));
        assert_eq!(policy.delay_after(7), Duration::from_secs(2));
        assert_eq!(policy.delay_after(10), Duration::from_secs(16));
        assert_eq!(policy.delay_after(99), Duration::from_secs(60));
    }

    proptest! {
        #[test]
        fn delays_never_shrink_and_never_exceed_the_cap(n in 0u64..10_000, base_ms in 0u64..5000) {
            let policy = ThrottlePolicy { delay_base: Duration::from_millis(base_ms), ..ThrottlePolicy::default() };
            prop_assert!(policy.delay_after(n) <= policy.delay_after(n + 1));
            prop_assert!(policy.delay_after(n) <= policy.delay_max);
        }
    }
}
