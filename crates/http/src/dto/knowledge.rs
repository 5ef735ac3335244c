//! Shapes of the knowledge base's routes (issue 15): categories, articles and their versions, reading and
//! read confirmations, search and images.

use chrono::{DateTime, Utc};
use crewplots_domain::knowledge as domain;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::NamedPerson;

/// A category; `locationId: null` is group-wide (every location).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct KnowledgeCategory {
    pub id: Uuid,
    pub location_id: Option<Uuid>,
    pub name: String,
    pub sort_order: i32,
}

impl From<&domain::Category> for KnowledgeCategory {
    fn from(c: &domain::Category) -> Self {
        Self {
            id: c.id,
            location_id: c.location,
            name: c.name.clone(),
            sort_order: c.sort_order,
        }
    }
}

/// `POST /api/knowledge/categories`. Leave `locationId` out for a group-wide category (administrators).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NewKnowledgeCategory {
    pub location_id: Option<Uuid>,
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]+$"
    )]
    pub name: String,
    #[serde(default)]
    pub sort_order: Option<i32>,
}

/// `PATCH /api/knowledge/categories/{id}`: what is given changes.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct KnowledgeCategoryChange {
    pub name: Option<String>,
    pub sort_order: Option<i32>,
}

/// `GET /api/knowledge/categories` and `GET /api/knowledge/must-read`.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct KnowledgeLocationQuery {
    /// Only this location's (and group-wide) entries.
    pub location: Option<Uuid>,
}

/// Draft or published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum KnowledgeArticleState {
    Draft,
    Published,
}

impl From<domain::ArticleState> for KnowledgeArticleState {
    fn from(s: domain::ArticleState) -> Self {
        match s {
            domain::ArticleState::Draft => Self::Draft,
            domain::ArticleState::Published => Self::Published,
        }
    }
}

impl From<KnowledgeArticleState> for domain::ArticleState {
    fn from(s: KnowledgeArticleState) -> Self {
        match s {
            KnowledgeArticleState::Draft => Self::Draft,
            KnowledgeArticleState::Published => Self::Published,
        }
    }
}

fn named(n: &domain::Named) -> NamedPerson {
    NamedPerson {
        id: n.id,
        name: n.name.clone(),
    }
}

/// An article without its body.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct KnowledgeArticleSummary {
    pub id: Uuid,
    /// `null`: group-wide.
    pub location_id: Option<Uuid>,
    pub category_id: Option<Uuid>,
    pub title: String,
    pub state: KnowledgeArticleState,
    pub must_read: bool,
    pub version: i32,
    pub updated_at: DateTime<Utc>,
    pub updated_by: Option<NamedPerson>,
    pub published_at: Option<DateTime<Utc>>,
}

impl From<&domain::ArticleSummary> for KnowledgeArticleSummary {
    fn from(a: &domain::ArticleSummary) -> Self {
        Self {
            id: a.id,
            location_id: a.location,
            category_id: a.category,
            title: a.title.clone(),
            state: a.state.into(),
            must_read: a.must_read,
            version: a.version,
            updated_at: a.updated_at,
            updated_by: a.updated_by.as_ref().map(named),
            published_at: a.published_at,
        }
    }
}

/// A confirmation of reading: the version read and when.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReadConfirmation {
    pub version: i32,
    pub confirmed_at: DateTime<Utc>,
}

/// A whole article, with what the caller may do with it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct KnowledgeArticle {
    pub article: KnowledgeArticleSummary,
    /// Sanitized HTML (images only from `/api/knowledge/images/{id}`).
    pub body_html: String,
    /// Confirmations of this version or later count (`null` until first published).
    pub confirm_from_version: Option<i32>,
    /// The caller may save, publish and delete it.
    pub can_edit: bool,
    /// The caller may see who has read it.
    pub can_view_read_status: bool,
    /// The caller's latest confirmation, if any.
    pub my_confirmation: Option<ReadConfirmation>,
    /// The caller is asked to confirm it and has not (at the version that counts).
    pub needs_my_confirmation: bool,
}

/// `GET /api/knowledge/articles`.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct KnowledgeArticlesQuery {
    /// Only this location's articles (and group-wide ones).
    pub location: Option<Uuid>,
    pub category: Option<Uuid>,
    /// Drafts are listed only for those who may edit them.
    pub state: Option<KnowledgeArticleState>,
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// One page of articles, newest change first.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct KnowledgeArticlePage {
    pub items: Vec<KnowledgeArticleSummary>,
    pub next_cursor: Option<String>,
}

/// `POST /api/knowledge/articles`: a new draft. Leave `locationId` out for a group-wide article
/// (administrators).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NewKnowledgeArticle {
    pub location_id: Option<Uuid>,
    pub category_id: Option<Uuid>,
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]+$"
    )]
    pub title: String,
    pub body_html: String,
    #[serde(default)]
    pub must_read: bool,
}

/// `PUT /api/knowledge/articles/{id}`: saves a new version when the article is still at `expectedVersion`
/// (409 `version_conflict` otherwise).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct KnowledgeArticleSave {
    pub expected_version: i32,
    pub category_id: Option<Uuid>,
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]+$"
    )]
    pub title: String,
    pub body_html: String,
    #[serde(default)]
    pub must_read: bool,
    /// For a published must-read article: a material change, everybody confirms again.
    #[serde(default)]
    pub require_reconfirmation: bool,
}

/// `POST /api/knowledge/articles/{id}/publish`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct KnowledgePublish {
    /// Earlier read confirmations stop counting: everybody confirms the current version again.
    #[serde(default)]
    pub require_reconfirmation: bool,
}

/// A saved version without its body.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct KnowledgeVersionSummary {
    pub version: i32,
    pub title: String,
    pub category_id: Option<Uuid>,
    pub must_read: bool,
    pub saved_by: Option<NamedPerson>,
    pub saved_at: DateTime<Utc>,
}

impl From<&domain::ArticleVersion> for KnowledgeVersionSummary {
    fn from(v: &domain::ArticleVersion) -> Self {
        Self {
            version: v.version,
            title: v.title.clone(),
            category_id: v.category,
            must_read: v.must_read,
            saved_by: v.saved_by.as_ref().map(named),
            saved_at: v.saved_at,
        }
    }
}

/// One saved version, whole.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct KnowledgeVersion {
    #[serde(flatten)]
    pub summary: KnowledgeVersionSummary,
    pub body_html: String,
}

/// `POST /api/knowledge/articles/{id}/confirm-read`: the version read (optional; a newer current version
/// answers 409 `version_conflict`, so nobody confirms what they have not seen).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConfirmRead {
    pub version: Option<i32>,
}

/// A person of a must-read article's audience.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct KnowledgeReader {
    pub id: Uuid,
    pub name: String,
    pub confirmation: Option<ReadConfirmation>,
}

impl From<&domain::Reader> for KnowledgeReader {
    fn from(r: &domain::Reader) -> Self {
        Self {
            id: r.id,
            name: r.name.clone(),
            confirmation: r.confirmed.map(|(version, confirmed_at)| ReadConfirmation {
                version,
                confirmed_at,
            }),
        }
    }
}

/// Who has confirmed reading (the required version or later) and who has not yet.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct KnowledgeReadStatus {
    pub article_id: Uuid,
    pub required_version: Option<i32>,
    pub confirmed_count: usize,
    pub pending_count: usize,
    pub confirmed: Vec<KnowledgeReader>,
    /// Not yet confirmed (or confirmed an older version before a re-confirmation was asked).
    pub pending: Vec<KnowledgeReader>,
}

/// `GET /api/knowledge/search`.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct KnowledgeSearchQuery {
    /// Free text (Dutch or English; quotes, `or` and `-` work as on the web). At most 200 characters.
    pub q: Option<String>,
    pub location: Option<Uuid>,
    pub limit: Option<u32>,
}

/// One search result.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct KnowledgeSearchHit {
    pub article: KnowledgeArticleSummary,
    pub rank: f32,
    /// Plain text (never HTML) around the matches; each matched word sits between U+0002 and U+0003.
    pub snippet: String,
}

/// Search results, best first.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct KnowledgeSearchResult {
    pub items: Vec<KnowledgeSearchHit>,
}

/// `POST /api/knowledge/images`.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct KnowledgeImageQuery {
    /// The location whose articles show it; leave out for group-wide articles (administrators).
    pub location: Option<Uuid>,
}

/// A stored image and the address articles use for it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct KnowledgeImage {
    pub id: Uuid,
    pub url: String,
    pub content_type: String,
    pub size_bytes: usize,
}
