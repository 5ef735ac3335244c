//! The actix-session store: session state in Redis under `<prefix>session:<session key>`, every call bounded
//! by a timeout (actix-session has none of its own, so without it a Redis that stops answering would hang
//! every request that carries a session cookie).
//!
//! Every staff request pays for this store, so it does its work in one round trip:
//! - The session key of a logged-in session is `<user id>.<sid>` — the user and our own session id (see
//!   [`crate::SessionIndex`]). The key only ever travels inside the encrypted cookie. Knowing both from the
//!   key, loading is one pipeline: is the sid still in the user's index (revocation), the state, and the
//!   extension of its idle lifetime. A session whose sid was revoked loads as no session at all, so every
//!   caller sees revocation without asking the index again.
//! - Because loading extends the lifetime, the "extend on every request" step after the response is free.
//! - Each worker keeps one multiplexed connection taken out of the pool: a pool checkout costs deadpool's
//!   recycle check (an `UNWATCH` + `PING` round trip). The connection is replaced after any failure.
//!
//! Sessions without a user (none exist today) get a random key and no index check; a state that names a
//! user under such a key is refused, so no session can bypass revocation.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use actix_session::config::{BrowserSession, CookieContentSecurity, TtlExtensionPolicy};
use actix_session::storage::{LoadError, SaveError, SessionKey, SessionStore, UpdateError};
use actix_session::SessionMiddleware;
use actix_web::cookie::time::Duration as CookieDuration;
use actix_web::cookie::{Key, SameSite};
use deadpool_redis::redis::aio::MultiplexedConnection;
use deadpool_redis::redis::{self, Value};
use deadpool_redis::Pool;
use rand::distr::{Alphanumeric, SampleString};

use crate::KeyValue;

type SessionState = std::collections::HashMap<String, String>;

/// The session-state entry holding the user's id.
pub const USER_ID: &str = "uid";
/// The session-state entry holding our own session id, the member of the user's session index.
pub const SESSION_ID: &str = "sid";

/// The Redis key of a session's state.
pub(crate) fn state_key(prefix: &str, session_key: &str) -> String {
    format!("{prefix}session:{session_key}")
}

/// The session key of a logged-in session.
pub(crate) fn session_key_of(user: &str, sid: &str) -> String {
    format!("{user}.{sid}")
}

/// The user and sid a session key names, when it is the key of a logged-in session.
fn identity_of(session_key: &str) -> Option<(&str, &str)> {
    let (user, sid) = session_key.split_once('.')?;
    let user_ok = user.len() == 36 && user.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-');
    let sid_ok = !sid.is_empty()
        && sid
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    (user_ok && sid_ok).then_some((user, sid))
}

/// `GETEX key EX ttl`: the state, its idle timeout renewed in the same command (Redis ≥ 6.2).
fn get_and_touch(state_key: &str, ttl_seconds: i64) -> redis::Cmd {
    let mut command = redis::cmd("GETEX");
    command.arg(state_key).arg("EX").arg(ttl_seconds);
    command
}

/// The session key a state should be stored under: its identity when it has one.
fn key_for(state: &SessionState) -> Option<String> {
    let read = |name: &str| -> Option<String> { serde_json::from_str(state.get(name)?).ok() };
    let key = session_key_of(&read(USER_ID)?, &read(SESSION_ID)?);
    identity_of(&key).is_some().then_some(key)
}

/// The session store on Redis, every command under a time limit.
#[derive(Clone)]
pub struct BoundedRedisStore {
    pool: Pool,
    prefix: Arc<str>,
    timeout: Duration,
    idle_ttl_seconds: i64,
    /// This worker's connection; `None` until first use and after a failure.
    connection: Arc<Mutex<Option<MultiplexedConnection>>>,
}

impl std::fmt::Debug for BoundedRedisStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BoundedRedisStore")
            .field("prefix", &self.prefix)
            .field("timeout", &self.timeout)
            .field("idle_ttl_seconds", &self.idle_ttl_seconds)
            .finish_non_exhaustive()
    }
}

impl BoundedRedisStore {
    /// A store on the key-value handle's pool, prefix and timeout; states live `idle_timeout` past the
    /// last request. Building does not contact Redis.
    pub fn new(kv: &KeyValue, idle_timeout: Duration) -> Self {
        Self {
            pool: kv.pool().clone(),
            prefix: Arc::from(kv.prefix()),
            timeout: kv.timeout(),
            idle_ttl_seconds: i64::try_from(idle_timeout.as_secs().max(1)).unwrap_or(i64::MAX),
            connection: Arc::new(Mutex::new(None)),
        }
    }

    /// A copy with a connection slot of its own, for one server worker: the connection's I/O task then
    /// runs on the worker that uses it.
    pub fn for_worker(&self) -> Self {
        Self {
            connection: Arc::new(Mutex::new(None)),
            ..self.clone()
        }
    }

    fn key(&self, session_key: &str) -> String {
        state_key(&self.prefix, session_key)
    }

    fn slot(&self) -> std::sync::MutexGuard<'_, Option<MultiplexedConnection>> {
        self.connection
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    async fn connection(&self) -> anyhow::Result<MultiplexedConnection> {
        if let Some(connection) = self.slot().clone() {
            return Ok(connection);
        }
        let pooled = self
            .pool
            .get()
            .await
            .map_err(|e| anyhow::anyhow!("no Redis connection: {e}"))?;
        let connection = deadpool_redis::Connection::take(pooled);
        *self.slot() = Some(connection.clone());
        Ok(connection)
    }

    /// Runs one pipeline under the time limit. A connection that failed is dropped; when it had been
    /// broken before this call (Redis restarted), the pipeline is tried once more on a fresh one.
    async fn query<T: redis::FromRedisValue>(&self, pipe: &redis::Pipeline) -> anyhow::Result<T> {
        let attempt = async {
            let mut connection = self.connection().await?;
            match pipe.query_async::<T>(&mut connection).await {
                Ok(value) => Ok(value),
                Err(error) if error.is_connection_dropped() || error.is_io_error() => {
                    self.slot().take();
                    let mut connection = self.connection().await?;
                    Ok(pipe.query_async::<T>(&mut connection).await?)
                }
                Err(error) => Err(error.into()),
            }
        };
        match tokio::time::timeout(self.timeout, attempt).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(error)) => {
                self.slot().take();
                Err(error)
            }
            Err(_) => {
                self.slot().take();
                Err(anyhow::anyhow!(
                    "Redis did not answer within {:?}",
                    self.timeout
                ))
            }
        }
    }

    /// Writes a state; `only_if` is `"NX"` (new key) or `"XX"` (existing key). `false` when the condition
    /// did not hold.
    async fn write(
        &self,
        session_key: &str,
        state: &SessionState,
        ttl: &CookieDuration,
        only_if: &str,
    ) -> anyhow::Result<bool> {
        let body = serde_json::to_string(state)?;
        let mut pipe = redis::pipe();
        pipe.cmd("SET")
            .arg(self.key(session_key))
            .arg(body)
            .arg(only_if)
            .arg("EX")
            .arg(ttl.whole_seconds().max(1));
        let (reply,): (Value,) = self.query(&pipe).await?;
        Ok(!matches!(reply, Value::Nil))
    }

    async fn save_new(
        &self,
        state: &SessionState,
        ttl: &CookieDuration,
    ) -> anyhow::Result<SessionKey> {
        let key =
            key_for(state).unwrap_or_else(|| Alphanumeric.sample_string(&mut rand::rng(), 64));
        if !self.write(&key, state, ttl, "NX").await? {
            anyhow::bail!("a session with this key exists already");
        }
        SessionKey::try_from(key).map_err(|e| anyhow::anyhow!("{e}"))
    }
}

impl SessionStore for BoundedRedisStore {
    async fn load(&self, session_key: &SessionKey) -> Result<Option<SessionState>, LoadError> {
        let key = session_key.as_ref();
        let state_key = self.key(key);
        let mut pipe = redis::pipe();
        let (listed, body) = match identity_of(key) {
            Some((user, sid)) => {
                pipe.sismember(crate::index::index_key(&self.prefix, user), sid)
                    .add_command(get_and_touch(&state_key, self.idle_ttl_seconds));
                self.query::<(bool, Option<String>)>(&pipe)
                    .await
                    .map_err(LoadError::Other)?
            }
            None => {
                pipe.add_command(get_and_touch(&state_key, self.idle_ttl_seconds));
                let (body,) = self
                    .query::<(Option<String>,)>(&pipe)
                    .await
                    .map_err(LoadError::Other)?;
                (true, body)
            }
        };
        let Some(body) = body.filter(|_| listed) else {
            return Ok(None);
        };
        let state: SessionState =
            serde_json::from_str(&body).map_err(|e| LoadError::Deserialization(e.into()))?;
        if identity_of(key).is_none() && state.contains_key(USER_ID) {
            // A logged-in state under a key that escapes the index check (a session from before keys
            // carried the identity): the person logs in again.
            return Ok(None);
        }
        Ok(Some(state))
    }

    async fn save(
        &self,
        session_state: SessionState,
        ttl: &CookieDuration,
    ) -> Result<SessionKey, SaveError> {
        self.save_new(&session_state, ttl)
            .await
            .map_err(SaveError::Other)
    }

    async fn update(
        &self,
        session_key: SessionKey,
        session_state: SessionState,
        ttl: &CookieDuration,
    ) -> Result<SessionKey, UpdateError> {
        let current = session_key.as_ref();
        if key_for(&session_state).is_some_and(|wanted| wanted != current) {
            // The state now names another identity than its key: store it under the right one.
            self.delete(&session_key)
                .await
                .map_err(UpdateError::Other)?;
            return self
                .save_new(&session_state, ttl)
                .await
                .map_err(UpdateError::Other);
        }
        if self
            .write(current, &session_state, ttl, "XX")
            .await
            .map_err(UpdateError::Other)?
        {
            Ok(session_key)
        } else {
            // The state expired between loading and now.
            self.save_new(&session_state, ttl)
                .await
                .map_err(UpdateError::Other)
        }
    }

    /// Nothing to do: loading the state extended its lifetime already.
    async fn update_ttl(
        &self,
        _session_key: &SessionKey,
        _ttl: &CookieDuration,
    ) -> Result<(), anyhow::Error> {
        Ok(())
    }

    async fn delete(&self, session_key: &SessionKey) -> Result<(), anyhow::Error> {
        let mut pipe = redis::pipe();
        pipe.del(self.key(session_key.as_ref())).ignore();
        self.query::<()>(&pipe).await
    }
}

/// Cookie and lifetime policy of a session.
#[derive(Debug, Clone)]
pub struct CookiePolicy {
    /// `__Host-crewplots` in production (needs Secure and Path=/), `crewplots` over plain http.
    pub name: String,
    pub secure: bool,
    /// Server-side state expires after this much inactivity; every request extends it.
    pub idle_timeout: Duration,
}

impl CookiePolicy {
    /// `__Host-crewplots` with Secure in production; plain `crewplots` for development over http.
    pub fn for_environment(production: bool, idle_timeout: Duration) -> Self {
        Self {
            name: if production {
                "__Host-crewplots"
            } else {
                "crewplots"
            }
            .to_string(),
            secure: production,
            idle_timeout,
        }
    }
}

/// The session middleware of one server worker: a browser-session cookie (HttpOnly, SameSite=Lax, Path=/,
/// Secure in production, content signed and encrypted with a key derived from `SESSION_SECRET`) whose
/// server-side state lives `idle_timeout` past the last request. The absolute lifetime is enforced by the
/// authentication extractor, which knows when the session was created.
pub fn middleware(
    store: &BoundedRedisStore,
    secret: &[u8],
    policy: &CookiePolicy,
) -> SessionMiddleware<BoundedRedisStore> {
    let idle =
        CookieDuration::seconds(i64::try_from(policy.idle_timeout.as_secs()).unwrap_or(i64::MAX));
    SessionMiddleware::builder(store.for_worker(), Key::derive_from(secret))
        .cookie_name(policy.name.clone())
        .cookie_secure(policy.secure)
        .cookie_http_only(true)
        .cookie_same_site(SameSite::Lax)
        .cookie_path("/".to_string())
        .cookie_domain(None)
        .cookie_content_security(CookieContentSecurity::Private)
        .session_lifecycle(
            BrowserSession::default()
                .state_ttl(idle)
                .state_ttl_extension_policy(TtlExtensionPolicy::OnEveryRequest),
        )
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn production_cookies_use_the_host_prefix_and_are_secure() {
        let production = CookiePolicy::for_environment(true, Duration::from_secs(1800));
        assert_eq!(production.name, "__Host-crewplots");
        assert!(production.secure);
        let development = CookiePolicy::for_environment(false, Duration::from_secs(1800));
        assert_eq!(development.name, "crewplots");
        assert!(!development.secure);
    }

    fn logged_in(user: &str, sid: &str) -> SessionState {
        SessionState::from([
            (USER_ID.to_string(), serde_json::to_string(user).unwrap()),
            (SESSION_ID.to_string(), serde_json::to_string(sid).unwrap()),
            ("iat".to_string(), "1700000000".to_string()),
        ])
    }

    #[test]
    fn a_logged_in_state_is_keyed_by_its_user_and_sid() {
        let user = "4b8617fe-ba92-423c-a2cd-f2eaa38c924b";
        let key = key_for(&logged_in(user, "qbScYQ9TN8BFZk87ddL-rUj53VhMN7g3")).unwrap();
        assert_eq!(key, format!("{user}.qbScYQ9TN8BFZk87ddL-rUj53VhMN7g3"));
        assert_eq!(
            identity_of(&key),
            Some((user, "qbScYQ9TN8BFZk87ddL-rUj53VhMN7g3"))
        );
    }

    #[test]
    fn keys_that_do_not_name_a_well_formed_identity_get_no_index_check_and_no_user() {
        assert_eq!(identity_of("abcdefghij"), None);
        assert_eq!(identity_of("not-a-uuid.sid"), None);
        assert_eq!(
            identity_of("4b8617fe-ba92-423c-a2cd-f2eaa38c924b.bad sid:*"),
            None
        );
        assert_eq!(identity_of("4b8617fe-ba92-423c-a2cd-f2eaa38c924b."), None);
        // A state whose user is not a well-formed id gets a random key, which then refuses to load it.
        assert_eq!(key_for(&logged_in("someone", "sid")), None);
        assert_eq!(key_for(&SessionState::new()), None);
    }
}
