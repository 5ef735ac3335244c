//! Loaders and guards the knowledge routes share: the article or category, when the caller may act on it,
//! answered the house way (404 invisible, 403 visible but not allowed). The role is checked before anything
//! is loaded, so a role that never may gets 403 whatever the id.

use crewplots_domain::knowledge::access::{self, Denied};
use crewplots_domain::knowledge::{Article, ArticleState, Category};
use crewplots_domain::policy::{self, Action};
use crewplots_domain::validation::FieldErrors;
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::dto::{KnowledgeArticle, ReadConfirmation};
use crate::error::ApiError;
use crate::state::AppState;

pub(super) fn denied(denied: Denied) -> ApiError {
    match denied {
        Denied::Invisible => ApiError::NotFound,
        Denied::NotAllowed => ApiError::Forbidden,
    }
}

/// 403 unless the role may perform `action` somewhere.
pub(super) fn role_may(current: &CurrentUser, action: Action) -> Result<(), ApiError> {
    if policy::allows(current.user.role, action) {
        Ok(())
    } else {
        Err(ApiError::Forbidden)
    }
}

pub(super) fn published(article: &Article) -> bool {
    article.summary.state == ArticleState::Published
}

/// An article the caller may read (drafts only for its editors).
pub(super) async fn readable_article(
    state: &AppState,
    current: &CurrentUser,
    id: Uuid,
) -> Result<Article, ApiError> {
    role_may(current, Action::ReadKnowledge)?;
    let article = state
        .knowledge
        .article(id)
        .await?
        .ok_or(ApiError::NotFound)?;
    access::read(
        &current.actor(),
        article.summary.location,
        published(&article),
    )
    .map_err(denied)?;
    Ok(article)
}

/// An article the caller may change.
pub(super) async fn editable_article(
    state: &AppState,
    current: &CurrentUser,
    id: Uuid,
) -> Result<Article, ApiError> {
    role_may(current, Action::EditKnowledge)?;
    let article = state
        .knowledge
        .article(id)
        .await?
        .ok_or(ApiError::NotFound)?;
    access::edit(
        &current.actor(),
        article.summary.location,
        published(&article),
    )
    .map_err(denied)?;
    Ok(article)
}

/// A category the caller may change.
pub(super) async fn editable_category(
    state: &AppState,
    current: &CurrentUser,
    id: Uuid,
) -> Result<Category, ApiError> {
    role_may(current, Action::EditKnowledge)?;
    let category = state
        .knowledge
        .category(id)
        .await?
        .ok_or(ApiError::NotFound)?;
    access::edit(&current.actor(), category.location, true).map_err(denied)?;
    Ok(category)
}

/// Creating at `location`: the caller may, and the location exists (422 `unknown_location` for an
/// administrator naming one that does not).
pub(super) async fn may_create_at(
    state: &AppState,
    current: &CurrentUser,
    location: Option<Uuid>,
) -> Result<(), ApiError> {
    role_may(current, Action::EditKnowledge)?;
    access::create(&current.actor(), location).map_err(denied)?;
    if let Some(location) = location {
        if state.locations.get(location).await?.is_none() {
            let mut errors = FieldErrors::default();
            errors.add("locationId", "unknown_location");
            return Err(errors.into());
        }
    }
    Ok(())
}

/// The category an article at `location` may be filed under: one of that location or a group-wide one.
pub(super) async fn check_category(
    state: &AppState,
    category: Option<Uuid>,
    location: Option<Uuid>,
    errors: &mut FieldErrors,
) -> Result<(), ApiError> {
    if let Some(id) = category {
        let fits = state
            .knowledge
            .category(id)
            .await?
            .is_some_and(|c| c.location.is_none() || c.location == location);
        if !fits {
            errors.add("categoryId", "unknown_category");
        }
    }
    Ok(())
}

/// The article as the caller sees it, with what they may do and their own confirmation.
pub(super) async fn article_view(
    state: &AppState,
    current: &CurrentUser,
    article: &Article,
) -> Result<KnowledgeArticle, ApiError> {
    let actor = current.actor();
    let location = article.summary.location;
    let mine = state
        .knowledge
        .confirmation(article.summary.id, actor.id)
        .await?;
    let asked = article.summary.must_read
        && published(article)
        && access::in_must_read_audience(actor.role)
        && location.is_none_or(|l| actor.locations.contains(&l));
    let needs = asked
        && !crewplots_domain::knowledge::confirmation_counts(
            mine.map(|m| m.0),
            article.confirm_from_version,
        );
    Ok(KnowledgeArticle {
        article: (&article.summary).into(),
        body_html: article.body_html.clone(),
        confirm_from_version: article.confirm_from_version,
        can_edit: access::can_edit(&actor, location),
        can_view_read_status: access::read_status(&actor, location, published(article)).is_ok(),
        my_confirmation: mine.map(|(version, confirmed_at)| ReadConfirmation {
            version,
            confirmed_at,
        }),
        needs_my_confirmation: needs,
    })
}
