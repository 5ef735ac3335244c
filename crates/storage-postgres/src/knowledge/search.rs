//! Full-text search ([`KnowledgeSearch`]): Dutch and English stems, OR-ed.
//!
//! `websearch_to_tsquery` reads any user text (quotes, `or`, `-`, stray `&|!():*`) without ever raising an
//! error, so the query is passed as a plain parameter; the prefix query (for Dutch stems such as "fiets" →
//! "fiet" against "fietsen" → "fiets") is built from letters and digits only by the domain. Ranking happens in an inner query that stops at the
//! limit; headlines (the costly part) are made only for the rows returned, from the visible text, with
//! control-character markers instead of HTML, so a snippet can never carry markup. A headline highlights
//! the words of one configuration: English when the English query matches the text, else Dutch.

use async_trait::async_trait;
use crewplots_domain::knowledge::input::PrefixQuery;
use crewplots_domain::knowledge::ports::KnowledgeSearch;
use crewplots_domain::knowledge::SearchHit;
use crewplots_domain::policy::LocationScope;
use crewplots_domain::ports::StoreResult;
use uuid::Uuid;

use super::{scope_param, summary, SUMMARY_COLUMNS};
use crate::store::{db_error, CachedQuery, PgStore};

/// Headline options: control-character marks (never HTML), two fragments of up to 30 words.
const HEADLINE: &str =
    "StartSel=\u{2}, StopSel=\u{3}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=\" … \"";

#[async_trait]
impl KnowledgeSearch for PgStore {
    async fn search(
        &self,
        query: &str,
        prefix: Option<&PrefixQuery>,
        read: &LocationScope,
        location: Option<Uuid>,
        limit: i64,
    ) -> StoreResult<Vec<SearchHit>> {
        let client = self.client().await?;
        let sql = format!(
            "WITH q AS (SELECT websearch_to_tsquery('dutch', $1) || websearch_to_tsquery('english', $1)
                               || COALESCE(CASE WHEN numnode(to_tsquery('dutch', $6)) > 0
                                                THEN to_tsquery('dutch', $5) END, ''::TSQUERY) AS query,
                               websearch_to_tsquery('english', $1) AS english),
             hits AS (
                SELECT a.id, ts_rank(a.search, q.query) AS rank
                FROM kb_articles a, q
                WHERE a.state = 'published' AND a.search @@ q.query
                  AND (a.location_id IS NULL OR $2::UUID[] IS NULL OR a.location_id = ANY($2))
                  AND ($3::UUID IS NULL OR a.location_id = $3 OR a.location_id IS NULL)
                ORDER BY rank DESC, a.id
                LIMIT $4)
             SELECT {SUMMARY_COLUMNS}, hits.rank,
                    CASE WHEN numnode(q.english) > 0 AND to_tsvector('english', a.body_text) @@ q.english
                         THEN ts_headline('english', a.body_text, q.english, '{HEADLINE}')
                         ELSE ts_headline('dutch', a.body_text, q.query, '{HEADLINE}') END AS snippet
             FROM hits JOIN kb_articles a ON a.id = hits.id
             LEFT JOIN users ub ON ub.id = a.updated_by, q
             ORDER BY hits.rank DESC, a.id"
        );
        let rows = client
            .q(
                &sql,
                &[
                    &query,
                    &scope_param(read),
                    &location,
                    &limit,
                    &prefix.map(|p| p.query.as_str()),
                    &prefix.map(|p| p.words.as_str()),
                ],
            )
            .await
            .map_err(db_error)?;
        rows.iter()
            .map(|row| {
                Ok(SearchHit {
                    article: summary(row)?,
                    rank: row.get("rank"),
                    snippet: row.get("snippet"),
                })
            })
            .collect()
    }
}
