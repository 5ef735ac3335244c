//! Must-read articles: the crew's confirmations, their own open list (the crew-home reminder) and the
//! managers' view of who has not confirmed yet.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use crewplots_domain::knowledge::{access, ReadStatus};
use crewplots_domain::policy::Action;
use uuid::Uuid;

use super::guard::{denied, published, readable_article, role_may};
use crate::auth::CurrentUser;
use crate::dto::{
    ConfirmRead, ErrorBody, KnowledgeArticleSummary, KnowledgeReadStatus, KnowledgeReader,
    ReadConfirmation,
};
use crate::error::ApiError;
use crate::state::AppState;

fn refused(code: &'static str, message: &str) -> ApiError {
    ApiError::Refused {
        status: StatusCode::CONFLICT,
        code,
        message: message.into(),
        fields: Default::default(),
    }
}

/// Confirms having read the current version of a published must-read article (again after a
/// re-confirmation was asked). Send the version read to be sure it is still the current one.
#[utoipa::path(tag = "knowledge", params(("id" = Uuid, Path)), request_body = ConfirmRead, responses(
    (status = 200, body = ReadConfirmation),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody, description = "`version_conflict` (a newer version exists), `not_must_read`, `not_published`"),
))]
#[post("/api/knowledge/articles/{id}/confirm-read")]
pub(crate) async fn confirm_read(
    current: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: Option<web::Json<ConfirmRead>>,
) -> Result<HttpResponse, ApiError> {
    let article = readable_article(&state, &current, *id).await?;
    if !published(&article) {
        return Err(refused(
            "not_published",
            "This article is a draft; it can be confirmed once published.",
        ));
    }
    if !article.summary.must_read {
        return Err(refused(
            "not_must_read",
            "This article does not ask for a read confirmation.",
        ));
    }
    let version = article.summary.version;
    if body.and_then(|b| b.version).is_some_and(|v| v != version) {
        return Err(ApiError::Refused {
            status: StatusCode::CONFLICT,
            code: "version_conflict",
            message: "This article changed since you opened it. Read the current version first."
                .into(),
            fields: [("currentVersion".to_string(), version.to_string())].into(),
        });
    }
    let confirmed_at = state
        .knowledge
        .confirm_read(article.summary.id, current.user.id, version)
        .await?;
    Ok(HttpResponse::Ok().json(ReadConfirmation {
        version,
        confirmed_at,
    }))
}

/// Who of the article's audience (active crew members and floor managers of its location; every location
/// when group-wide) has confirmed reading it, and who has not yet. Managers see the people of their own
/// locations.
#[utoipa::path(tag = "knowledge", params(("id" = Uuid, Path)), responses(
    (status = 200, body = KnowledgeReadStatus),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
))]
#[get("/api/knowledge/articles/{id}/read-status")]
pub(crate) async fn read_status(
    current: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    role_may(&current, Action::ViewReadConfirmations)?;
    let article = readable_article(&state, &current, *id).await?;
    let scope = access::read_status(
        &current.actor(),
        article.summary.location,
        published(&article),
    )
    .map_err(denied)?;
    let audience = state
        .knowledge
        .audience(article.summary.id, article.summary.location, &scope)
        .await?;
    let status = ReadStatus::of(article.confirm_from_version, audience);
    Ok(HttpResponse::Ok().json(KnowledgeReadStatus {
        article_id: article.summary.id,
        required_version: status.required_version,
        confirmed_count: status.confirmed.len(),
        pending_count: status.pending.len(),
        confirmed: status.confirmed.iter().map(KnowledgeReader::from).collect(),
        pending: status.pending.iter().map(KnowledgeReader::from).collect(),
    }))
}

/// The caller's published must-read articles not yet confirmed (at the version that counts), oldest first:
/// the reminder on the crew home. Empty for people who are not asked to confirm (managers, administrators).
#[utoipa::path(tag = "knowledge", responses(
    (status = 200, body = Vec<KnowledgeArticleSummary>),
    (status = 403, body = ErrorBody),
))]
#[get("/api/knowledge/must-read")]
pub(crate) async fn my_must_read(
    current: CurrentUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    role_may(&current, Action::ReadKnowledge)?;
    let actor = current.actor();
    if !access::in_must_read_audience(actor.role) {
        return Ok(HttpResponse::Ok().json(Vec::<KnowledgeArticleSummary>::new()));
    }
    let open = state
        .knowledge
        .unconfirmed_must_read(actor.id, &actor.locations)
        .await?;
    Ok(HttpResponse::Ok().json(
        open.iter()
            .map(KnowledgeArticleSummary::from)
            .collect::<Vec<_>>(),
    ))
}
