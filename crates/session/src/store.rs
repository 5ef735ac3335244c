//! The actix-session store: actix-session's own Redis store on our deadpool-redis pool, with every call
//! bounded by a timeout. actix-session has no timeout of its own, so without this a Redis that stops
//! answering would hang every request that carries a session cookie.

use std::time::Duration;

use actix_session::config::{BrowserSession, CookieContentSecurity, TtlExtensionPolicy};
use actix_session::storage::{
    LoadError, RedisSessionStore, SaveError, SessionKey, SessionStore, UpdateError,
};
use actix_session::SessionMiddleware;
use actix_web::cookie::time::Duration as CookieDuration;
use actix_web::cookie::{Key, SameSite};
use deadpool_redis::Pool;

type SessionState = std::collections::HashMap<String, String>;

/// actix-session's Redis store with a time limit on every command.
#[derive(Clone)]
pub struct BoundedRedisStore {
    inner: RedisSessionStore,
    timeout: Duration,
}

impl std::fmt::Debug for BoundedRedisStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BoundedRedisStore")
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl BoundedRedisStore {
    /// Keys are `<prefix>session:<id>`. With a pool, building does not contact Redis.
    pub async fn new(pool: Pool, prefix: &str, timeout: Duration) -> anyhow::Result<Self> {
        let prefix = format!("{prefix}session:");
        let inner = RedisSessionStore::builder_pooled(pool)
            .cache_keygen(move |key| format!("{prefix}{key}"))
            .build()
            .await?;
        Ok(Self { inner, timeout })
    }

    async fn bounded<T, E>(
        &self,
        work: impl std::future::Future<Output = Result<T, E>>,
        wrap: impl FnOnce(anyhow::Error) -> E,
    ) -> Result<T, E> {
        match tokio::time::timeout(self.timeout, work).await {
            Ok(result) => result,
            Err(_) => Err(wrap(anyhow::anyhow!(
                "Redis did not answer within {:?}",
                self.timeout
            ))),
        }
    }
}

impl SessionStore for BoundedRedisStore {
    async fn load(&self, session_key: &SessionKey) -> Result<Option<SessionState>, LoadError> {
        self.bounded(self.inner.load(session_key), LoadError::Other)
            .await
    }

    async fn save(
        &self,
        session_state: SessionState,
        ttl: &CookieDuration,
    ) -> Result<SessionKey, SaveError> {
        self.bounded(self.inner.save(session_state, ttl), SaveError::Other)
            .await
    }

    async fn update(
        &self,
        session_key: SessionKey,
        session_state: SessionState,
        ttl: &CookieDuration,
    ) -> Result<SessionKey, UpdateError> {
        self.bounded(
            self.inner.update(session_key, session_state, ttl),
            UpdateError::Other,
        )
        .await
    }

    async fn update_ttl(
        &self,
        session_key: &SessionKey,
        ttl: &CookieDuration,
    ) -> Result<(), anyhow::Error> {
        self.bounded(self.inner.update_ttl(session_key, ttl), |e| e)
            .await
    }

    async fn delete(&self, session_key: &SessionKey) -> Result<(), anyhow::Error> {
        self.bounded(self.inner.delete(session_key), |e| e).await
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

/// The session middleware: a browser-session cookie (HttpOnly, SameSite=Lax, Path=/, Secure in
/// production, content signed and encrypted with a key derived from `SESSION_SECRET`) whose server-side
/// state lives `idle_timeout` past the last request. The absolute lifetime is enforced by the
/// authentication extractor, which knows when the session was created.
pub fn middleware(
    store: BoundedRedisStore,
    secret: &[u8],
    policy: &CookiePolicy,
) -> SessionMiddleware<BoundedRedisStore> {
    let idle =
        CookieDuration::seconds(i64::try_from(policy.idle_timeout.as_secs()).unwrap_or(i64::MAX));
    SessionMiddleware::builder(store, Key::derive_from(secret))
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
}
