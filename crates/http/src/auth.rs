//! Who is asking: the session, the current user (read from the database on every request), the client
//! address, and the helpers login and logout share.

use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;

use actix_session::{Session, SessionExt};
use actix_web::{web, FromRequest, HttpRequest};
use base64::Engine as _;
use chrono::Utc;
use crewplots_domain::accounts::User;
use crewplots_domain::policy::Actor;
use crewplots_domain::UserStatus;
use rand::RngCore;
use uuid::Uuid;

use crate::error::ApiError;
use crate::state::AppState;

/// Session keys. The session store keys a logged-in session by its user and sid, and loads it only while
/// the sid is in the user's session index: a revoked session arrives here as no session at all.
use crewplots_session::{SESSION_ID, USER_ID};
const ISSUED_AT: &str = "iat";

/// The logged-in person as stored right now, and the id of this session.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub user: User,
    pub sid: String,
}

impl CurrentUser {
    pub fn actor(&self) -> Actor {
        Actor {
            id: self.user.id,
            role: self.user.role,
            locations: self.user.location_ids(),
        }
    }
}

impl FromRequest for CurrentUser {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _payload: &mut actix_web::dev::Payload) -> Self::Future {
        let session = req.get_session();
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let state =
                state.ok_or_else(|| ApiError::internal(std::io::Error::other("state missing")))?;
            authenticate(&session, &state).await
        })
    }
}

async fn authenticate(session: &Session, state: &AppState) -> Result<CurrentUser, ApiError> {
    let user_id = session.get::<Uuid>(USER_ID).ok().flatten();
    let sid = session.get::<String>(SESSION_ID).ok().flatten();
    let issued = session.get::<i64>(ISSUED_AT).ok().flatten();
    let (Some(user_id), Some(sid), Some(issued)) = (user_id, sid, issued) else {
        return Err(ApiError::Unauthorized);
    };
    let age = Utc::now().timestamp().saturating_sub(issued);
    if age < 0 || age as u64 > state.security.session_absolute_timeout.as_secs() {
        session.purge();
        return Err(ApiError::Unauthorized);
    }
    let user = state.accounts.user(user_id).await.map_err(ApiError::from)?;
    match user {
        Some(user) if user.status == UserStatus::Active => Ok(CurrentUser { user, sid }),
        _ => {
            session.purge();
            Err(ApiError::Unauthorized)
        }
    }
}

fn random_token(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buffer);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buffer)
}

/// A new single-use token for mails: 32 random bytes, URL-safe.
pub fn new_mail_token() -> String {
    random_token(32)
}

/// SHA-256 of a token, the only form in which tokens are stored.
pub fn token_hash(token: &str) -> Vec<u8> {
    ring::digest::digest(&ring::digest::SHA256, token.as_bytes())
        .as_ref()
        .to_vec()
}

/// Starts a fresh session for `user`: a new session id (the old cookie becomes worthless), our own session
/// id registered in the per-user index, and the time of issue for the absolute lifetime.
pub async fn start_session(
    session: &Session,
    state: &AppState,
    user: &User,
) -> Result<(), ApiError> {
    session.renew();
    session.clear();
    let sid = random_token(24);
    let insert = |key: &str, value: String| session.insert(key, value).map_err(ApiError::internal);
    insert(USER_ID, user.id.to_string())?;
    insert(SESSION_ID, sid.clone())?;
    session
        .insert(ISSUED_AT, Utc::now().timestamp())
        .map_err(ApiError::internal)?;
    state
        .sessions
        .add(
            &user.id.to_string(),
            &sid,
            state.security.session_absolute_timeout,
        )
        .await
        .map_err(|_| ApiError::ServiceUnavailable)
}

/// Ends the session on the server: removes it from the index and deletes its state.
pub async fn end_session(session: &Session, state: &AppState) -> Result<(), ApiError> {
    let user_id = session.get::<Uuid>(USER_ID).ok().flatten();
    let sid = session.get::<String>(SESSION_ID).ok().flatten();
    if let (Some(user_id), Some(sid)) = (user_id, sid) {
        state
            .sessions
            .remove(&user_id.to_string(), &sid)
            .await
            .map_err(|_| ApiError::ServiceUnavailable)?;
    }
    session.purge();
    Ok(())
}

/// The client's address: the peer, or behind a trusted proxy the last `X-Forwarded-For` entry (the one our
/// proxy appended; earlier entries are whatever the client claimed).
pub fn client_ip(req: &HttpRequest, trust_forwarded_for: bool) -> Option<IpAddr> {
    if trust_forwarded_for {
        let forwarded = req
            .headers()
            .get_all("x-forwarded-for")
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|part| part.trim().parse::<IpAddr>().ok())
            .last();
        if forwarded.is_some() {
            return forwarded;
        }
    }
    req.peer_addr().map(|a| a.ip())
}

/// The client's address (behind Traefik: from `X-Forwarded-For` when configured to trust it), for audit lines.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub Option<IpAddr>);

impl FromRequest for ClientIp {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _payload: &mut actix_web::dev::Payload) -> Self::Future {
        let trust = req
            .app_data::<actix_web::web::Data<crate::state::AppState>>()
            .is_some_and(|state| state.security.trust_forwarded_for);
        std::future::ready(Ok(Self(client_ip(req, trust))))
    }
}
