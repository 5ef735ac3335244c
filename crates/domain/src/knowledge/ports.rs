//! The knowledge base's storage ports, one per use case; [`KnowledgeStore`] is all of them (what the HTTP
//! layer holds). Commands that change what crew see write their audit line in the same transaction.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::model::{
    Article, ArticleContent, ArticleState, ArticleSummary, ArticleVersion, Category, KbImage,
    Reader, SearchHit,
};
use crate::accounts::{AuditEvent, Page, PageRequest};
use crate::policy::LocationScope;
use crate::ports::StoreResult;

/// Which articles a list shows.
#[derive(Debug, Clone)]
pub struct ArticleFilter {
    /// Published articles of these locations, and group-wide ones.
    pub read: LocationScope,
    /// Drafts of these locations (`All` includes group-wide drafts); `None`: no drafts.
    pub drafts: Option<LocationScope>,
    /// Only this location's articles (and group-wide ones).
    pub location: Option<Uuid>,
    pub category: Option<Uuid>,
    pub state: Option<ArticleState>,
}

#[async_trait]
pub trait KnowledgeCategories: Send + Sync {
    /// Group-wide categories and those of the locations in `read` (only `location`'s when given), by sort
    /// order and name.
    async fn categories(
        &self,
        read: &LocationScope,
        location: Option<Uuid>,
    ) -> StoreResult<Vec<Category>>;
    async fn category(&self, id: Uuid) -> StoreResult<Option<Category>>;
    /// `Conflict("name")` when the location (or the group) has a category of that name.
    async fn create_category(&self, category: Category) -> StoreResult<Category>;
    /// Renames or re-sorts; `Conflict("name")` as for creating.
    async fn update_category(&self, category: Category) -> StoreResult<Category>;
    /// Deletes the category (its articles keep existing, without category) with its audit line.
    async fn delete_category(&self, id: Uuid, audit: AuditEvent) -> StoreResult<()>;
}

#[async_trait]
pub trait KnowledgeArticles: Send + Sync {
    /// A new draft at version 1, with its first version row.
    async fn create_article(
        &self,
        id: Uuid,
        location: Option<Uuid>,
        content: ArticleContent,
        author: Uuid,
    ) -> StoreResult<Article>;
    async fn article(&self, id: Uuid) -> StoreResult<Option<Article>>;
    /// Newest change first, without bodies.
    async fn articles(
        &self,
        filter: &ArticleFilter,
        page: PageRequest,
    ) -> StoreResult<Page<ArticleSummary>>;
    /// Saves version `expected_version + 1` (with its version row) when the article is still at
    /// `expected_version`, else `Conflict("version")`. `reconfirm` makes earlier confirmations stop counting
    /// (published articles); `audit` is written in the same transaction.
    async fn save_article(
        &self,
        id: Uuid,
        expected_version: i32,
        content: ArticleContent,
        author: Uuid,
        reconfirm: bool,
        audit: Option<AuditEvent>,
    ) -> StoreResult<Article>;
    /// Publishes the current version. The first publication, and one with `reconfirm`, sets the version from
    /// which confirmations count.
    async fn publish_article(
        &self,
        id: Uuid,
        reconfirm: bool,
        actor: Uuid,
        audit: AuditEvent,
    ) -> StoreResult<Article>;
    /// Back to draft: crew stop seeing it.
    async fn unpublish_article(
        &self,
        id: Uuid,
        actor: Uuid,
        audit: AuditEvent,
    ) -> StoreResult<Article>;
    /// Deletes the article with its versions and confirmations.
    async fn delete_article(&self, id: Uuid, audit: AuditEvent) -> StoreResult<()>;
    /// Every saved version, newest first (bodies included).
    async fn versions(&self, id: Uuid) -> StoreResult<Vec<ArticleVersion>>;
    async fn version(&self, id: Uuid, version: i32) -> StoreResult<Option<ArticleVersion>>;
}

#[async_trait]
pub trait KnowledgeReading: Send + Sync {
    /// Records that `user` read `version` (replacing an earlier confirmation); returns when.
    async fn confirm_read(
        &self,
        article: Uuid,
        user: Uuid,
        version: i32,
    ) -> StoreResult<DateTime<Utc>>;
    /// The person's latest confirmation of the article: version and time.
    async fn confirmation(
        &self,
        article: Uuid,
        user: Uuid,
    ) -> StoreResult<Option<(i32, DateTime<Utc>)>>;
    /// The must-read audience of an article at `location` (`None`: every location), limited to people of
    /// the locations in `scope`, by name, with their confirmations.
    async fn audience(
        &self,
        article: Uuid,
        location: Option<Uuid>,
        scope: &LocationScope,
    ) -> StoreResult<Vec<Reader>>;
    /// Published must-read articles of these locations (and group-wide ones) that `user` has not confirmed
    /// (at the version that counts), oldest publication first.
    async fn unconfirmed_must_read(
        &self,
        user: Uuid,
        locations: &[Uuid],
    ) -> StoreResult<Vec<ArticleSummary>>;
}

#[async_trait]
pub trait KnowledgeSearch: Send + Sync {
    /// Published articles matching `query` (Dutch or English stems, web-search syntax) or the Dutch
    /// `prefix` query ([`super::input::prefix_query`]), best first, of the locations in `read` (only
    /// `location`'s when given) and group-wide ones.
    async fn search(
        &self,
        query: &str,
        prefix: Option<&super::input::PrefixQuery>,
        read: &LocationScope,
        location: Option<Uuid>,
        limit: i64,
    ) -> StoreResult<Vec<SearchHit>>;
}

#[async_trait]
pub trait KnowledgeImages: Send + Sync {
    async fn insert_image(&self, image: KbImage) -> StoreResult<()>;
    async fn image(&self, id: Uuid) -> StoreResult<Option<KbImage>>;
}

/// Everything the knowledge base stores.
pub trait KnowledgeStore:
    KnowledgeCategories + KnowledgeArticles + KnowledgeReading + KnowledgeSearch + KnowledgeImages
{
}

impl<T> KnowledgeStore for T where
    T: KnowledgeCategories
        + KnowledgeArticles
        + KnowledgeReading
        + KnowledgeSearch
        + KnowledgeImages
{
}
