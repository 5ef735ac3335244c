//! Articles: listing, writing (every save is a version), publishing and the version history.
//!
//! Saving is optimistic: the client sends the version it edited; a newer one answers 409 `version_conflict`
//! with the current version in `fields`, and nothing is lost. Publishing, unpublishing and deleting go to the
//! audit log (a must-read publication as `knowledge.must_read_published`).

use actix_web::http::StatusCode;
use actix_web::{delete, get, post, put, web, HttpResponse};
use crewplots_domain::accounts::AuditEvent;
use crewplots_domain::knowledge::ports::ArticleFilter;
use crewplots_domain::knowledge::{access, input, Article, ArticleContent, ArticleState};
use crewplots_domain::policy::Action;
use crewplots_domain::ports::StoreError;
use crewplots_domain::validation::FieldErrors;
use uuid::Uuid;

use super::guard::{
    article_view, check_category, denied, editable_article, may_create_at, published,
    readable_article, role_may,
};
use crate::auth::{ClientIp, CurrentUser};
use crate::dto::{
    ErrorBody, KnowledgeArticle, KnowledgeArticlePage, KnowledgeArticleSave,
    KnowledgeArticleSummary, KnowledgeArticlesQuery, KnowledgePublish, KnowledgeVersion,
    KnowledgeVersionSummary, NewKnowledgeArticle,
};
use crate::error::ApiError;
use crate::routes::{encode_cursor, page_request};
use crate::state::AppState;

/// Checks a title, body and category; the content to store.
async fn content(
    state: &AppState,
    location: Option<Uuid>,
    category: Option<Uuid>,
    title: &str,
    body_html: &str,
    must_read: bool,
) -> Result<ArticleContent, ApiError> {
    let mut errors = FieldErrors::default();
    let title = input::title(title, &mut errors);
    let (body_html, body_text) = input::body(body_html, &mut errors);
    check_category(state, category, location, &mut errors).await?;
    errors.into_result()?;
    Ok(ArticleContent {
        category,
        title,
        body_html,
        body_text,
        must_read,
    })
}

fn audit(
    action: &'static str,
    current: &CurrentUser,
    ip: &ClientIp,
    article: &Article,
) -> AuditEvent {
    let mut event = AuditEvent::new(action)
        .actor(Some(current.user.id))
        .subject("knowledge_article", article.summary.id)
        .ip(ip.0)
        .detail("title", article.summary.title.clone())
        .detail("version", article.summary.version.to_string())
        .detail("mustRead", article.summary.must_read.to_string());
    if let Some(location) = article.summary.location {
        event = event.location(location);
    }
    event
}

/// Articles the caller may read, without bodies, newest change first: published ones of their locations and
/// group-wide ones, and drafts where they may edit.
#[utoipa::path(tag = "knowledge", params(KnowledgeArticlesQuery), responses(
    (status = 200, body = KnowledgeArticlePage),
    (status = 400, body = ErrorBody, description = "`invalid_cursor`"),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody, description = "Not one of the caller's locations"),
))]
#[get("/api/knowledge/articles")]
pub(crate) async fn list_articles(
    current: CurrentUser,
    state: web::Data<AppState>,
    query: web::Query<KnowledgeArticlesQuery>,
) -> Result<HttpResponse, ApiError> {
    role_may(&current, Action::ReadKnowledge)?;
    let actor = current.actor();
    if let Some(location) = query.location {
        access::read(&actor, Some(location), true).map_err(denied)?;
    }
    let page = page_request(query.limit, query.cursor.as_deref())?;
    let filter = ArticleFilter {
        read: access::read_scope(&actor).ok_or(ApiError::Forbidden)?,
        drafts: access::draft_scope(&actor),
        location: query.location,
        category: query.category,
        state: query.state.map(ArticleState::from),
    };
    let page = state.knowledge.articles(&filter, page).await?;
    Ok(HttpResponse::Ok().json(KnowledgeArticlePage {
        items: page
            .items
            .iter()
            .map(KnowledgeArticleSummary::from)
            .collect(),
        next_cursor: encode_cursor(page.next),
    }))
}

/// Writes a new draft (version 1).
#[utoipa::path(tag = "knowledge", request_body = NewKnowledgeArticle, responses(
    (status = 201, body = KnowledgeArticle),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 413, body = ErrorBody, description = "`too_large`"),
    (status = 422, body = ErrorBody),
))]
#[post("/api/knowledge/articles")]
pub(crate) async fn create_article(
    current: CurrentUser,
    state: web::Data<AppState>,
    body: web::Json<NewKnowledgeArticle>,
) -> Result<HttpResponse, ApiError> {
    may_create_at(&state, &current, body.location_id).await?;
    let content = content(
        &state,
        body.location_id,
        body.category_id,
        &body.title,
        &body.body_html,
        body.must_read,
    )
    .await?;
    let article = state
        .knowledge
        .create_article(Uuid::new_v4(), body.location_id, content, current.user.id)
        .await?;
    Ok(HttpResponse::Created().json(article_view(&state, &current, &article).await?))
}

/// One article with its body (drafts only for their editors).
#[utoipa::path(tag = "knowledge", params(("id" = Uuid, Path)), responses(
    (status = 200, body = KnowledgeArticle),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
))]
#[get("/api/knowledge/articles/{id}")]
pub(crate) async fn get_article(
    current: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let article = readable_article(&state, &current, *id).await?;
    Ok(HttpResponse::Ok().json(article_view(&state, &current, &article).await?))
}

/// Saves a new version (409 `version_conflict` when `expectedVersion` is not the current one). A published
/// article stays published with the new text.
#[utoipa::path(tag = "knowledge", params(("id" = Uuid, Path)), request_body = KnowledgeArticleSave, responses(
    (status = 200, body = KnowledgeArticle),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody, description = "`version_conflict`: someone saved a newer version; `fields.currentVersion`"),
    (status = 413, body = ErrorBody, description = "`too_large`"),
    (status = 422, body = ErrorBody),
))]
#[put("/api/knowledge/articles/{id}")]
pub(crate) async fn save_article(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<KnowledgeArticleSave>,
) -> Result<HttpResponse, ApiError> {
    let article = editable_article(&state, &current, *id).await?;
    let location = article.summary.location;
    let content = content(
        &state,
        location,
        body.category_id,
        &body.title,
        &body.body_html,
        body.must_read,
    )
    .await?;
    let reconfirm = body.require_reconfirmation && published(&article) && body.must_read;
    let audit_line = reconfirm.then(|| {
        audit(
            "knowledge.must_read_reconfirmation",
            &current,
            &ip,
            &article,
        )
    });
    match state
        .knowledge
        .save_article(
            article.summary.id,
            body.expected_version,
            content,
            current.user.id,
            reconfirm,
            audit_line,
        )
        .await
    {
        Ok(saved) => Ok(HttpResponse::Ok().json(article_view(&state, &current, &saved).await?)),
        Err(StoreError::Conflict(_)) => {
            let current_version = state
                .knowledge
                .article(article.summary.id)
                .await?
                .map_or(article.summary.version, |a| a.summary.version);
            Err(ApiError::Refused {
                status: StatusCode::CONFLICT,
                code: "version_conflict",
                message: "Someone saved a newer version of this article. Reload it and apply your changes again."
                    .into(),
                fields: [("currentVersion".to_string(), current_version.to_string())].into(),
            })
        }
        Err(other) => Err(other.into()),
    }
}

/// Publishes the current version: crew of its location (every location when group-wide) see it.
#[utoipa::path(tag = "knowledge", params(("id" = Uuid, Path)), request_body = KnowledgePublish, responses(
    (status = 200, body = KnowledgeArticle),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
))]
#[post("/api/knowledge/articles/{id}/publish")]
pub(crate) async fn publish_article(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<KnowledgePublish>,
) -> Result<HttpResponse, ApiError> {
    let article = editable_article(&state, &current, *id).await?;
    let action = if article.summary.must_read {
        "knowledge.must_read_published"
    } else {
        "knowledge.article.published"
    };
    let line = audit(action, &current, &ip, &article).detail(
        "requireReconfirmation",
        body.require_reconfirmation.to_string(),
    );
    let published = state
        .knowledge
        .publish_article(
            article.summary.id,
            body.require_reconfirmation,
            current.user.id,
            line,
        )
        .await?;
    Ok(HttpResponse::Ok().json(article_view(&state, &current, &published).await?))
}

/// Takes an article back to draft: crew stop seeing it (confirmations are kept).
#[utoipa::path(tag = "knowledge", params(("id" = Uuid, Path)), responses(
    (status = 200, body = KnowledgeArticle),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
))]
#[post("/api/knowledge/articles/{id}/unpublish")]
pub(crate) async fn unpublish_article(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let article = editable_article(&state, &current, *id).await?;
    let line = audit("knowledge.article.unpublished", &current, &ip, &article);
    let article = state
        .knowledge
        .unpublish_article(article.summary.id, current.user.id, line)
        .await?;
    Ok(HttpResponse::Ok().json(article_view(&state, &current, &article).await?))
}

/// Deletes an article with its versions and read confirmations.
#[utoipa::path(tag = "knowledge", params(("id" = Uuid, Path)), responses(
    (status = 204, description = "Deleted"),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
))]
#[delete("/api/knowledge/articles/{id}")]
pub(crate) async fn delete_article(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let article = editable_article(&state, &current, *id).await?;
    let line = audit("knowledge.article.deleted", &current, &ip, &article);
    state
        .knowledge
        .delete_article(article.summary.id, line)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Every saved version (who saved it, when), newest first, without bodies. For the article's editors.
#[utoipa::path(tag = "knowledge", params(("id" = Uuid, Path)), responses(
    (status = 200, body = Vec<KnowledgeVersionSummary>),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
))]
#[get("/api/knowledge/articles/{id}/versions")]
pub(crate) async fn list_versions(
    current: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let article = editable_article(&state, &current, *id).await?;
    let versions = state.knowledge.versions(article.summary.id).await?;
    Ok(HttpResponse::Ok().json(
        versions
            .iter()
            .map(KnowledgeVersionSummary::from)
            .collect::<Vec<_>>(),
    ))
}

/// One saved version, whole. For the article's editors.
#[utoipa::path(tag = "knowledge", params(("id" = Uuid, Path), ("n" = i32, Path)), responses(
    (status = 200, body = KnowledgeVersion),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
))]
#[get("/api/knowledge/articles/{id}/versions/{n}")]
pub(crate) async fn get_version(
    current: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<(Uuid, i32)>,
) -> Result<HttpResponse, ApiError> {
    let (id, n) = path.into_inner();
    let article = editable_article(&state, &current, id).await?;
    let version = state
        .knowledge
        .version(article.summary.id, n)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Ok().json(KnowledgeVersion {
        summary: (&version).into(),
        body_html: version.body_html.clone(),
    }))
}
