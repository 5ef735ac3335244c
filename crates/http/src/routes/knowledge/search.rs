//! Full-text search over the published articles the caller may read (Dutch and English stems).

use actix_web::http::StatusCode;
use actix_web::{get, web, HttpResponse};
use crewplots_domain::knowledge::access;
use crewplots_domain::knowledge::input::{self, MAX_QUERY_CHARS};
use crewplots_domain::policy::Action;

use super::guard::{denied, role_may};
use crate::auth::CurrentUser;
use crate::dto::{ErrorBody, KnowledgeSearchHit, KnowledgeSearchQuery, KnowledgeSearchResult};
use crate::error::ApiError;
use crate::state::AppState;

/// Published articles matching `q`, best first, with plain-text snippets. Any text is accepted as a query
/// (operators never fail); an empty one finds nothing; past 200 characters 422 `query_too_long`.
#[utoipa::path(tag = "knowledge", params(KnowledgeSearchQuery), responses(
    (status = 200, body = KnowledgeSearchResult),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody, description = "Not one of the caller's locations"),
    (status = 422, body = ErrorBody, description = "`query_too_long`"),
))]
#[get("/api/knowledge/search")]
pub(crate) async fn search(
    current: CurrentUser,
    state: web::Data<AppState>,
    query: web::Query<KnowledgeSearchQuery>,
) -> Result<HttpResponse, ApiError> {
    role_may(&current, Action::ReadKnowledge)?;
    let actor = current.actor();
    if let Some(location) = query.location {
        access::read(&actor, Some(location), true).map_err(denied)?;
    }
    let text = match input::search_query(query.q.as_deref().unwrap_or_default()) {
        Ok(Some(text)) => text,
        Ok(None) => return Ok(HttpResponse::Ok().json(KnowledgeSearchResult { items: vec![] })),
        Err(_) => {
            return Err(ApiError::Refused {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                code: "query_too_long",
                message: format!("Search for at most {MAX_QUERY_CHARS} characters."),
                fields: [
                    ("q".to_string(), "too_long".to_string()),
                    ("max".to_string(), MAX_QUERY_CHARS.to_string()),
                ]
                .into(),
            })
        }
    };
    let scope = access::read_scope(&actor).ok_or(ApiError::Forbidden)?;
    let limit = i64::from(query.limit.unwrap_or(20).clamp(1, 50));
    let hits = state
        .knowledge
        .search(
            &text,
            input::prefix_parts(&text).as_ref(),
            &scope,
            query.location,
            limit,
        )
        .await?;
    Ok(HttpResponse::Ok().json(KnowledgeSearchResult {
        items: hits
            .iter()
            .map(|hit| KnowledgeSearchHit {
                article: (&hit.article).into(),
                rank: hit.rank,
                snippet: hit.snippet.clone(),
            })
            .collect(),
    }))
}
