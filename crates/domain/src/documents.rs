//! A person's documents (SPEC §4.5): typed, reviewed, optionally expiring. Metadata lives in PostgreSQL;
//! the content lives sealed in GridFS and is only ever handled as a stream.

use std::pin::Pin;

use chrono::{DateTime, NaiveDate, Utc};
use futures_core::Stream;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    IdCard,
    Passport,
    Resume,
    Reference,
    Contract,
    WorkPermit,
    Other,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 7] = [
        Self::IdCard,
        Self::Passport,
        Self::Resume,
        Self::Reference,
        Self::Contract,
        Self::WorkPermit,
        Self::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::IdCard => "id_card",
            Self::Passport => "passport",
            Self::Resume => "resume",
            Self::Reference => "reference",
            Self::Contract => "contract",
            Self::WorkPermit => "work_permit",
            Self::Other => "other",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// `pending → approved | rejected`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewState {
    Pending,
    Approved,
    Rejected,
}

impl ReviewState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Pending, Self::Approved, Self::Rejected]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// The content types documents may have, decided from the first bytes of the content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SniffedType {
    Pdf,
    Jpeg,
    Png,
}

impl SniffedType {
    /// Bytes needed to decide.
    pub const PREFIX_LEN: usize = 8;

    /// Decides the type from the first bytes; `None` for anything else, whatever its name or declared type.
    pub fn sniff(prefix: &[u8]) -> Option<Self> {
        if prefix.starts_with(b"%PDF-") {
            Some(Self::Pdf)
        } else if prefix.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Self::Jpeg)
        } else if prefix.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
            Some(Self::Png)
        } else {
            None
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            Self::Jpeg => "jpg",
            Self::Png => "png",
        }
    }

    pub fn from_mime(mime: &str) -> Option<Self> {
        [Self::Pdf, Self::Jpeg, Self::Png]
            .into_iter()
            .find(|t| t.mime() == mime)
    }
}

/// A document's metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub id: Uuid,
    pub owner_id: Uuid,
    pub kind: DocumentKind,
    pub content_type: SniffedType,
    pub size_bytes: i64,
    pub expires_on: Option<NaiveDate>,
    pub review_state: ReviewState,
    pub reviewed_by: Option<Uuid>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub review_reason: Option<String>,
    pub uploaded_by: Option<Uuid>,
    pub uploaded_at: DateTime<Utc>,
    pub gridfs_id: String,
}

impl Document {
    /// The file name offered on download: chosen by the server, never the uploader's.
    pub fn download_name(&self) -> String {
        format!(
            "{}-{}.{}",
            self.kind.as_str(),
            &self.id.simple().to_string()[..8],
            self.content_type.extension()
        )
    }
}

/// Plain bytes flowing in or out of the vault, chunk by chunk. Not `Send`: an upload streams straight from
/// the HTTP request body, which lives on one worker thread. `Bytes`, so the request body's own buffers are
/// passed on instead of copied.
pub type ByteStream = Pin<Box<dyn Stream<Item = Result<bytes::Bytes, std::io::Error>>>>;

/// What the vault stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredContent {
    pub gridfs_id: String,
    /// Plaintext bytes.
    pub size: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_decides_the_type() {
        assert_eq!(SniffedType::sniff(b"%PDF-1.7\n"), Some(SniffedType::Pdf));
        assert_eq!(
            SniffedType::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Some(SniffedType::Jpeg)
        );
        assert_eq!(
            SniffedType::sniff(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]),
            Some(SniffedType::Png)
        );
        for other in [&b"<html>"[..], b"MZ\x90\x00", b"PK\x03\x04", b"", b"%PD"] {
            assert_eq!(SniffedType::sniff(other), None);
        }
    }

    #[test]
    fn kinds_round_trip_and_names_come_from_the_server() {
        for kind in DocumentKind::ALL {
            assert_eq!(DocumentKind::parse(kind.as_str()), Some(kind));
        }
        let document = Document {
            id: Uuid::from_u128(0xabcdef12_0000_0000_0000_000000000000),
            owner_id: Uuid::nil(),
            kind: DocumentKind::Resume,
            content_type: SniffedType::Pdf,
            size_bytes: 1,
            expires_on: None,
            review_state: ReviewState::Pending,
            reviewed_by: None,
            reviewed_at: None,
            review_reason: None,
            uploaded_by: None,
            uploaded_at: Utc::now(),
            gridfs_id: String::new(),
        };
        assert_eq!(document.download_name(), "resume-abcdef12.pdf");
    }
}
