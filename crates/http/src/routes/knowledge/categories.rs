//! Categories of the knowledge base: listed for readers, kept by managers (their locations) and
//! administrators (group-wide ones too).

use actix_web::{delete, get, patch, post, web, HttpResponse};
use crewplots_domain::accounts::AuditEvent;
use crewplots_domain::knowledge::{access, input, Category};
use crewplots_domain::policy::Action;
use crewplots_domain::ports::StoreError;
use crewplots_domain::validation::FieldErrors;
use uuid::Uuid;

use super::guard::{denied, editable_category, may_create_at, role_may};
use crate::auth::{ClientIp, CurrentUser};
use crate::dto::{
    ErrorBody, KnowledgeCategory, KnowledgeCategoryChange, KnowledgeLocationQuery,
    NewKnowledgeCategory,
};
use crate::error::ApiError;
use crate::state::AppState;

fn name_taken(error: StoreError) -> ApiError {
    match error {
        StoreError::Conflict(_) => ApiError::Refused {
            status: actix_web::http::StatusCode::CONFLICT,
            code: "category_exists",
            message: "This location already has a category of that name.".into(),
            fields: [("name".to_string(), "taken".to_string())].into(),
        },
        other => other.into(),
    }
}

/// Group-wide categories and those of the caller's locations (only `location`'s when given), in their order.
#[utoipa::path(tag = "knowledge", params(KnowledgeLocationQuery), responses(
    (status = 200, body = Vec<KnowledgeCategory>),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody, description = "Not one of the caller's locations"),
))]
#[get("/api/knowledge/categories")]
pub(crate) async fn list_categories(
    current: CurrentUser,
    state: web::Data<AppState>,
    query: web::Query<KnowledgeLocationQuery>,
) -> Result<HttpResponse, ApiError> {
    role_may(&current, Action::ReadKnowledge)?;
    let actor = current.actor();
    if let Some(location) = query.location {
        access::read(&actor, Some(location), true).map_err(denied)?;
    }
    let scope = access::read_scope(&actor).ok_or(ApiError::Forbidden)?;
    let categories = state.knowledge.categories(&scope, query.location).await?;
    Ok(HttpResponse::Ok().json(
        categories
            .iter()
            .map(KnowledgeCategory::from)
            .collect::<Vec<_>>(),
    ))
}

/// Adds a category to a location (or, for administrators, a group-wide one).
#[utoipa::path(tag = "knowledge", request_body = NewKnowledgeCategory, responses(
    (status = 201, body = KnowledgeCategory),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody, description = "`category_exists`"),
    (status = 422, body = ErrorBody),
))]
#[post("/api/knowledge/categories")]
pub(crate) async fn create_category(
    current: CurrentUser,
    state: web::Data<AppState>,
    body: web::Json<NewKnowledgeCategory>,
) -> Result<HttpResponse, ApiError> {
    may_create_at(&state, &current, body.location_id).await?;
    let mut errors = FieldErrors::default();
    let name = input::category_name(&body.name, &mut errors);
    errors.into_result()?;
    let category = state
        .knowledge
        .create_category(Category {
            id: Uuid::new_v4(),
            location: body.location_id,
            name,
            sort_order: body.sort_order.unwrap_or(0),
        })
        .await
        .map_err(name_taken)?;
    Ok(HttpResponse::Created().json(KnowledgeCategory::from(&category)))
}

/// Renames or re-sorts a category.
#[utoipa::path(tag = "knowledge", params(("id" = Uuid, Path)), request_body = KnowledgeCategoryChange, responses(
    (status = 200, body = KnowledgeCategory),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody, description = "`category_exists`"),
    (status = 422, body = ErrorBody),
))]
#[patch("/api/knowledge/categories/{id}")]
pub(crate) async fn update_category(
    current: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<KnowledgeCategoryChange>,
) -> Result<HttpResponse, ApiError> {
    let mut category = editable_category(&state, &current, *id).await?;
    let mut errors = FieldErrors::default();
    if let Some(name) = &body.name {
        category.name = input::category_name(name, &mut errors);
    }
    errors.into_result()?;
    if let Some(order) = body.sort_order {
        category.sort_order = order;
    }
    let category = state
        .knowledge
        .update_category(category)
        .await
        .map_err(name_taken)?;
    Ok(HttpResponse::Ok().json(KnowledgeCategory::from(&category)))
}

/// Deletes a category; its articles stay, without a category.
#[utoipa::path(tag = "knowledge", params(("id" = Uuid, Path)), responses(
    (status = 204, description = "Deleted"),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
))]
#[delete("/api/knowledge/categories/{id}")]
pub(crate) async fn delete_category(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let category = editable_category(&state, &current, *id).await?;
    let mut audit = AuditEvent::new("knowledge.category.deleted")
        .actor(Some(current.user.id))
        .subject("knowledge_category", category.id)
        .ip(ip.0)
        .detail("name", category.name.clone());
    if let Some(location) = category.location {
        audit = audit.location(location);
    }
    state.knowledge.delete_category(category.id, audit).await?;
    Ok(HttpResponse::NoContent().finish())
}
