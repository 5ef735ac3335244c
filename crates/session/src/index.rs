//! The per-user index of sessions. At login a session gets a random id of ours (`sid`) that is added to the
//! set `<prefix>user-sessions:<user id>`; every authenticated request checks membership. Removing ids from the
//! set ends those sessions at once, wherever they are used — "log out everywhere else" after a password
//! change, an administrator revoking a user's sessions, or deactivation.

use std::time::Duration;

use deadpool_redis::redis::{self, AsyncCommands};

use crate::{KeyValue, RedisError};

/// The index, on the shared key-value handle.
#[derive(Debug, Clone)]
pub struct SessionIndex {
    kv: KeyValue,
}

impl SessionIndex {
    pub fn new(kv: KeyValue) -> Self {
        Self { kv }
    }

    fn key(user: &str) -> String {
        format!("user-sessions:{user}")
    }

    /// Adds a session; the set lives at least as long as the longest session can.
    pub async fn add(&self, user: &str, sid: &str, lifetime: Duration) -> Result<(), RedisError> {
        let key = self.kv.key(&Self::key(user));
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

    pub async fn contains(&self, user: &str, sid: &str) -> Result<bool, RedisError> {
        let key = self.kv.key(&Self::key(user));
        self.kv
            .run(|mut conn| async move { Ok(conn.sismember(&key, sid).await?) })
            .await
    }

    pub async fn remove(&self, user: &str, sid: &str) -> Result<(), RedisError> {
        let key = self.kv.key(&Self::key(user));
        self.kv
            .run(|mut conn| async move { Ok(conn.srem::<_, _, ()>(&key, sid).await?) })
            .await
    }

    /// Ends every session of the user except `keep`; returns how many were ended.
    pub async fn revoke_all_except(
        &self,
        user: &str,
        keep: Option<&str>,
    ) -> Result<usize, RedisError> {
        let key = self.kv.key(&Self::key(user));
        self.kv
            .run(|mut conn| async move {
                let members: Vec<String> = conn.smembers(&key).await?;
                let ended: Vec<&String> = members
                    .iter()
                    .filter(|m| Some(m.as_str()) != keep)
                    .collect();
                if !ended.is_empty() {
                    conn.srem::<_, _, ()>(&key, ended.clone()).await?;
                }
                Ok(ended.len())
            })
            .await
    }
}
