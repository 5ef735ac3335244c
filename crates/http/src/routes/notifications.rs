//! My notifications: the in-app list with the unread count, marking read, and which kinds also come by
//! e-mail. Every route acts on the caller only.

use actix_web::{get, post, put, web, HttpResponse};
use crewplots_domain::notifications::{email_settings, NoticeKind};

use crate::auth::CurrentUser;
use crate::dto::{
    EmailSetting, ErrorBody, MarkReadBody, MarkedRead, NotificationItem, NotificationPage,
    NotificationsQuery,
};
use crate::error::ApiError;
use crate::routes::{encode_cursor, page_request};
use crate::state::AppState;

/// My notifications, newest first, with the number unread.
#[utoipa::path(tag = "notifications", params(NotificationsQuery), responses(
    (status = 200, body = NotificationPage),
    (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
))]
#[get("/api/me/notifications")]
pub(crate) async fn list(
    current: CurrentUser,
    state: web::Data<AppState>,
    query: web::Query<NotificationsQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = page_request(query.limit, query.cursor.as_deref())?;
    let limit = page.limit as usize;
    let (items, unread) = state.requests.notifications(current.user.id, page).await?;
    let next_cursor = if items.len() == limit {
        encode_cursor(items.last().map(|n| (n.created_at, n.id)))
    } else {
        None
    };
    Ok(HttpResponse::Ok().json(NotificationPage {
        items: items
            .into_iter()
            .map(|n| NotificationItem {
                id: n.id,
                kind: n.kind.into(),
                params: n.params.into_iter().collect(),
                created_at: n.created_at,
                read_at: n.read_at,
            })
            .collect(),
        next_cursor,
        unread,
    }))
}

/// Marks some of my notifications (or all, without `ids`) read.
#[utoipa::path(tag = "notifications", request_body = MarkReadBody, responses(
    (status = 200, body = MarkedRead),
    (status = 401, body = ErrorBody), (status = 422, body = ErrorBody),
))]
#[post("/api/me/notifications/read")]
pub(crate) async fn mark_read(
    current: CurrentUser,
    state: web::Data<AppState>,
    body: web::Json<MarkReadBody>,
) -> Result<HttpResponse, ApiError> {
    if body.ids.as_ref().is_some_and(|ids| ids.len() > 200) {
        let mut errors = crewplots_domain::validation::FieldErrors::default();
        errors.add("ids", "too_many");
        return Err(errors.into());
    }
    let marked = state
        .requests
        .mark_read(current.user.id, body.ids.as_deref())
        .await?;
    let (_, unread) = state
        .requests
        .notifications(
            current.user.id,
            crewplots_domain::accounts::PageRequest {
                limit: 1,
                after: None,
            },
        )
        .await?;
    Ok(HttpResponse::Ok().json(MarkedRead { marked, unread }))
}

async fn settings(state: &AppState, current: &CurrentUser) -> Result<Vec<EmailSetting>, ApiError> {
    let stored = state.requests.email_settings(current.user.id).await?;
    Ok(email_settings(&stored)
        .into_iter()
        .map(|(kind, email)| EmailSetting {
            kind: kind.into(),
            email,
        })
        .collect())
}

/// Which kinds of notifications also come by e-mail (all, unless turned off).
#[utoipa::path(tag = "notifications", responses(
    (status = 200, body = Vec<EmailSetting>),
    (status = 401, body = ErrorBody),
))]
#[get("/api/me/notification-settings")]
pub(crate) async fn get_settings(
    current: CurrentUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(settings(&state, &current).await?))
}

/// Turns e-mail for one kind on or off; the in-app list keeps every notice.
#[utoipa::path(tag = "notifications", request_body = EmailSetting, responses(
    (status = 200, body = Vec<EmailSetting>),
    (status = 401, body = ErrorBody), (status = 422, body = ErrorBody),
))]
#[put("/api/me/notification-settings")]
pub(crate) async fn put_setting(
    current: CurrentUser,
    state: web::Data<AppState>,
    body: web::Json<EmailSetting>,
) -> Result<HttpResponse, ApiError> {
    let kind: NoticeKind = body.kind.into();
    state
        .requests
        .set_email_setting(current.user.id, kind, body.email)
        .await?;
    Ok(HttpResponse::Ok().json(settings(&state, &current).await?))
}
