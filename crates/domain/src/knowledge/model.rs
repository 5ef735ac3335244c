//! The knowledge base's entities.

use chrono::{DateTime, Utc};
use uuid::Uuid;

/// Whether crew see an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArticleState {
    Draft,
    Published,
}

impl ArticleState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Published => "published",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Draft, Self::Published]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// A category; `location: None` is group-wide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub id: Uuid,
    pub location: Option<Uuid>,
    pub name: String,
    pub sort_order: i32,
}

/// A person named beside an article (author, reader); the name is gone when the person was erased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub id: Uuid,
    pub name: Option<String>,
}

/// An article without its body, as lists show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleSummary {
    pub id: Uuid,
    pub location: Option<Uuid>,
    pub category: Option<Uuid>,
    pub title: String,
    pub state: ArticleState,
    pub must_read: bool,
    pub version: i32,
    pub updated_at: DateTime<Utc>,
    pub updated_by: Option<Named>,
    pub published_at: Option<DateTime<Utc>>,
}

/// A whole article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    pub summary: ArticleSummary,
    /// Sanitized HTML.
    pub body_html: String,
    /// Confirmations of this version or later count (`None` until first published).
    pub confirm_from_version: Option<i32>,
}

/// What a save writes: a new article's or a new version's content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleContent {
    pub category: Option<Uuid>,
    pub title: String,
    /// Sanitized HTML.
    pub body_html: String,
    /// Its visible text, which search reads.
    pub body_text: String,
    pub must_read: bool,
}

/// One saved version: who saved what, when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleVersion {
    pub version: i32,
    pub title: String,
    pub body_html: String,
    pub category: Option<Uuid>,
    pub must_read: bool,
    pub saved_by: Option<Named>,
    pub saved_at: DateTime<Utc>,
}

/// A stored image; `location: None` belongs to group-wide articles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KbImage {
    pub id: Uuid,
    pub location: Option<Uuid>,
    pub content_type: ImageType,
    pub bytes: Vec<u8>,
    pub uploaded_by: Uuid,
}

/// The image types articles may show, decided from the first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageType {
    Png,
    Jpeg,
}

impl ImageType {
    /// Largest image accepted, in bytes.
    pub const MAX_BYTES: usize = 5 * 1024 * 1024;

    /// PNG or JPEG by magic bytes; anything else (GIF, SVG, HTML named `.png`, PDF) is `None`.
    pub fn sniff(prefix: &[u8]) -> Option<Self> {
        if prefix.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
            Some(Self::Png)
        } else if prefix.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Self::Jpeg)
        } else {
            None
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
        }
    }

    pub fn from_mime(mime: &str) -> Option<Self> {
        [Self::Png, Self::Jpeg]
            .into_iter()
            .find(|t| t.mime() == mime)
    }
}

/// One person of a must-read article's audience.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reader {
    pub id: Uuid,
    pub name: String,
    /// Their latest confirmation: version and time.
    pub confirmed: Option<(i32, DateTime<Utc>)>,
}

/// Who of the audience has confirmed reading (the required version or later) and who has not yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadStatus {
    pub required_version: Option<i32>,
    pub confirmed: Vec<Reader>,
    pub pending: Vec<Reader>,
}

impl ReadStatus {
    /// Splits the audience by whether each person's confirmation counts.
    pub fn of(required_version: Option<i32>, audience: Vec<Reader>) -> Self {
        let (confirmed, pending) = audience.into_iter().partition(|reader| {
            confirmation_counts(reader.confirmed.map(|c| c.0), required_version)
        });
        Self {
            required_version,
            confirmed,
            pending,
        }
    }
}

/// Whether a confirmation of `confirmed` counts for an article that asks for `required` or later.
pub fn confirmation_counts(confirmed: Option<i32>, required: Option<i32>) -> bool {
    match (confirmed, required) {
        (Some(confirmed), Some(required)) => confirmed >= required,
        (Some(_), None) => true,
        (None, _) => false,
    }
}

/// One search result.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    pub article: ArticleSummary,
    pub rank: f32,
    /// Plain text around the matches; matched words are wrapped in [`SNIPPET_START`] / [`SNIPPET_STOP`].
    pub snippet: String,
}

/// Marks the start of a matched word in a snippet (a control character no article text contains).
pub const SNIPPET_START: char = '\u{2}';
/// Marks the end of a matched word in a snippet.
pub const SNIPPET_STOP: char = '\u{3}';

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_png_and_jpeg_are_images() {
        assert_eq!(
            ImageType::sniff(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0]),
            Some(ImageType::Png)
        );
        assert_eq!(
            ImageType::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Some(ImageType::Jpeg)
        );
        for other in [
            &b"GIF89a"[..],
            b"<html><script>",
            b"%PDF-1.7",
            b"<svg xmlns",
            b"",
            b"\x89PNG",
        ] {
            assert_eq!(ImageType::sniff(other), None, "{other:?}");
        }
    }

    #[test]
    fn a_reconfirmation_makes_older_confirmations_stop_counting() {
        let reader = |id: u128, confirmed: Option<i32>| Reader {
            id: Uuid::from_u128(id),
            name: format!("R{id}"),
            confirmed: confirmed.map(|v| (v, Utc::now())),
        };
        let audience = vec![reader(1, Some(2)), reader(2, Some(4)), reader(3, None)];
        let status = ReadStatus::of(Some(3), audience.clone());
        assert_eq!(status.confirmed.len(), 1);
        assert_eq!(status.confirmed[0].id, Uuid::from_u128(2));
        assert_eq!(status.pending.len(), 2);
        let status = ReadStatus::of(Some(1), audience);
        assert_eq!(status.confirmed.len(), 2);
        assert!(!confirmation_counts(None, None));
    }
}
