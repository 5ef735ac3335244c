//! The per-user index of sessions. At login a session gets a random id of ours (`sid`) that is added to the
//! set `<prefix>user-sessions:<user id>`. The session store checks membership in the same round trip that
//! loads a session's state (see [`crate::BoundedRedisStore`]), so removing ids from the set ends those
//! sessions at once, wherever they are used — "log out everywhere else" after a password change, an
//! administrator revoking a user's sessions, or deactivation. Ending a session also deletes its state.

use std::time::Duration;

use deadpool_redis::redis::{self, AsyncCommands};

use crate::store::{session_key_of, state_key};
use crate::{KeyValue, RedisError};

/// The Redis key of a user's session index.
pub(crate) fn index_key(prefix: &str, user: &str) -> String {
    format!("{prefix}user-sessions:{user}")
}

/// The index, on the shared key-value handle.
#[derive(Debug, Clone)]
pub struct SessionIndex {
    kv: KeyValue,
}

impl SessionIndex {
    pub fn new(kv: KeyValue) -> Self {
        Self { kv }
    }

    fn key(&self, user: &str) -> String {
        index_key(self.kv.prefix(), user)
    }

    fn state_key(&self, user: &str, sid: &str) -> String {
        state_key(self.kv.prefix(), &session_key_of(user, sid))
    }

    /// Adds a session; the set lives at least as long as the longest session can.
    pub async fn add(&self, user: &str, sid: &str, lifetime: Duration) -> Result<(), RedisError> {
        let key = self.key(user);
        let seconds = i64::try_from(lifetime.as_secs()).unwrap_or(i64::MAX);
        self.kv
            .run(|mut conn| async move {
                redis::pipe()
                    .atomic()
                    .sadd(&key, sid)
                    .ignore()
                    .expire(&key, seconds)
                    .ignore()
                    .query_async::<()>(&mut conn)
                    .await?;
                Ok(())
            })
            .await
    }

    /// Whether the session is still listed.
    pub async fn contains(&self, user: &str, sid: &str) -> Result<bool, RedisError> {
        let key = self.key(user);
        self.kv
            .run(|mut conn| async move { Ok(conn.sismember(&key, sid).await?) })
            .await
    }

    /// Ends one session.
    pub async fn remove(&self, user: &str, sid: &str) -> Result<(), RedisError> {
        let key = self.key(user);
        let state = self.state_key(user, sid);
        self.kv
            .run(|mut conn| async move {
                redis::pipe()
                    .srem(&key, sid)
                    .ignore()
                    .del(&state)
                    .ignore()
                    .query_async::<()>(&mut conn)
                    .await?;
                Ok(())
            })
            .await
    }

    /// Ends every session of the user except `keep`; returns how many were ended.
    pub async fn revoke_all_except(
        &self,
        user: &str,
        keep: Option<&str>,
    ) -> Result<usize, RedisError> {
        let key = self.key(user);
        self.kv
            .run(|mut conn| async move {
                let members: Vec<String> = conn.smembers(&key).await?;
                let ended: Vec<&String> = members
                    .iter()
                    .filter(|m| Some(m.as_str()) != keep)
                    .collect();
                if !ended.is_empty() {
                    let states: Vec<String> =
                        ended.iter().map(|sid| self.state_key(user, sid)).collect();
                    redis::pipe()
                        .srem(&key, ended.clone())
                        .ignore()
                        .del(states)
                        .ignore()
                        .query_async::<()>(&mut conn)
                        .await?;
                }
                Ok(ended.len())
            })
            .await
    }
}
