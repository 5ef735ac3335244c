//! A fixed-window request counter in Redis, for public endpoints that must not reach the database for every
//! request of a flood (the calendar feed). One pipelined round trip per request: `INCR` and, for the first
//! request of a window, `EXPIRE`.

use std::time::Duration;

use deadpool_redis::redis;

use crate::{KeyValue, RedisError};

/// A limit of `limit` requests per `window` for each key.
#[derive(Debug, Clone)]
pub struct RateLimit {
    kv: KeyValue,
    name: &'static str,
    limit: u64,
    window: Duration,
}

/// What the counter says about one more request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateVerdict {
    Allowed,
    /// Over the limit until the window ends.
    Limited {
        retry_after: Duration,
    },
}

impl RateLimit {
    pub fn new(kv: KeyValue, name: &'static str, limit: u64, window: Duration) -> Self {
        Self {
            kv,
            name,
            limit,
            window,
        }
    }

    /// Counts one request for `who` and says whether it is within the limit.
    pub async fn hit(&self, who: &str) -> Result<RateVerdict, RedisError> {
        let key = self.kv.key(&format!("rate:{}:{who}", self.name));
        let window_ms = i64::try_from(self.window.as_millis()).unwrap_or(i64::MAX);
        let (count, ttl): (u64, i64) = self
            .kv
            .run(|mut conn| async move {
                Ok(redis::pipe()
                    .incr(&key, 1)
                    .cmd("PEXPIRE")
                    .arg(&key)
                    .arg(window_ms)
                    .arg("NX")
                    .ignore()
                    .pttl(&key)
                    .query_async(&mut conn)
                    .await?)
            })
            .await?;
        if count <= self.limit {
            return Ok(RateVerdict::Allowed);
        }
        let retry_after = Duration::from_millis(u64::try_from(ttl.max(1000)).unwrap_or(1000));
        Ok(RateVerdict::Limited { retry_after })
    }
}
