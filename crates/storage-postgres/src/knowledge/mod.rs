//! The knowledge base in PostgreSQL (SPEC §4.10): one file per port of `crewplots_domain::knowledge::ports`.
//!
//! Invariants:
//! - Every query takes the caller's scope as a parameter (`NULL` = every location), so a manager's or crew
//!   member's query can never reach another location's rows; group-wide rows have `location_id IS NULL`.
//! - Saving is optimistic: `UPDATE … WHERE version = <the version read>`; the version row and the article
//!   change in one transaction, so the history never misses a version.
//! - The search vector is a stored generated column over the title and the visible text, so it can never be
//!   stale.

mod articles;
mod categories;
mod images;
mod reading;
mod search;

use crewplots_domain::knowledge::{Article, ArticleState, ArticleSummary, Named};
use crewplots_domain::policy::LocationScope;
use crewplots_domain::ports::{StoreError, StoreResult};
use tokio_postgres::Row;
use uuid::Uuid;

/// The columns of [`summary`], over `kb_articles a LEFT JOIN users ub ON ub.id = a.updated_by`.
pub(crate) const SUMMARY_COLUMNS: &str =
    "a.id, a.location_id, a.category_id, a.title, a.state, a.must_read,
    a.version, a.updated_at, a.updated_by, ub.first_name || ' ' || ub.last_name AS updated_by_name,
    a.published_at";

pub(crate) fn summary(row: &Row) -> StoreResult<ArticleSummary> {
    let state: String = row.get("state");
    Ok(ArticleSummary {
        id: row.get("id"),
        location: row.get("location_id"),
        category: row.get("category_id"),
        title: row.get("title"),
        state: ArticleState::parse(&state)
            .ok_or_else(|| StoreError::Other(format!("unknown article state {state}")))?,
        must_read: row.get("must_read"),
        version: row.get("version"),
        updated_at: row.get("updated_at"),
        updated_by: row.get::<_, Option<Uuid>>("updated_by").map(|id| Named {
            id,
            name: row.get("updated_by_name"),
        }),
        published_at: row.get("published_at"),
    })
}

pub(crate) fn article(row: &Row) -> StoreResult<Article> {
    Ok(Article {
        summary: summary(row)?,
        body_html: row.get("body_html"),
        confirm_from_version: row.get("confirm_from_version"),
    })
}

/// `NULL` for every location, or the ids of a scope.
pub(crate) fn scope_param(scope: &LocationScope) -> Option<Vec<Uuid>> {
    match scope {
        LocationScope::All => None,
        LocationScope::Only(ids) => Some(ids.clone()),
    }
}
