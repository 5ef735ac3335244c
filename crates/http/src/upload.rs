//! Reading one uploaded file from a multipart body for the document vault: the part named `file`, its type
//! decided from its first bytes (PDF, JPEG or PNG, whatever its name or declared type say), the rest streamed
//! through with a size limit that stops it as soon as it is exceeded. Nothing is buffered whole.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use actix_multipart::Multipart;
use crewplots_domain::documents::{ByteStream, SniffedType};
use crewplots_domain::ports::VaultError;
use futures_util::{StreamExt as _, TryStreamExt as _};

use crate::error::ApiError;

/// What is known of an upload whose content ([`ByteStream`]) goes to the vault.
pub(crate) struct Upload {
    /// The sender's file name, without control characters, at most 255 characters.
    pub file_name: String,
    pub sniffed: SniffedType,
    /// Set when the content passed the limit (the vault then fails with an input error).
    exceeded: Arc<AtomicBool>,
    limit: u64,
}

impl Upload {
    /// The answer to a failed `vault.store` of this upload: 413 past the limit, 400 when the upload broke
    /// off, otherwise the vault's failure.
    pub fn store_failure(&self, error: VaultError) -> ApiError {
        if self.exceeded.load(Ordering::SeqCst) {
            too_large(self.limit)
        } else if let VaultError::Input(_) = error {
            bad_upload("The upload was interrupted.")
        } else {
            vault_failure(error)
        }
    }
}

fn too_large(limit: u64) -> ApiError {
    ApiError::TooLarge {
        message: format!("Files may be at most {} MiB.", limit / (1024 * 1024)),
    }
}

fn bad_upload(message: &str) -> ApiError {
    ApiError::BadRequest {
        code: "invalid_upload",
        message: message.to_string(),
    }
}

/// A vault failure as the client sees it.
pub(crate) fn vault_failure(error: VaultError) -> ApiError {
    match error {
        VaultError::Unavailable(cause) => {
            tracing::warn!(%cause, "document store unavailable");
            ApiError::StoreUnavailable
        }
        VaultError::NotFound => ApiError::NotFound,
        VaultError::Integrity(_) => ApiError::DocumentCorrupted,
        other => ApiError::internal(other),
    }
}

/// The part named `file` of `payload`, sniffed, and its content, cut off past `limit` bytes. The caller
/// keeps `payload` alive until the content is read: the part's stream reads through it.
pub(crate) async fn read(
    payload: &mut Multipart,
    limit: u64,
) -> Result<(Upload, ByteStream), ApiError> {
    let mut field = loop {
        match payload
            .try_next()
            .await
            .map_err(|_| bad_upload("The upload could not be read."))?
        {
            Some(field) if field.name() == Some("file") => break field,
            Some(_) => continue,
            None => {
                return Err(bad_upload(
                    "Send the file as a multipart part named `file`.",
                ))
            }
        }
    };
    let file_name: String = field
        .content_disposition()
        .and_then(|d| d.get_filename())
        .unwrap_or("upload")
        .chars()
        .filter(|c| !c.is_control())
        .take(255)
        .collect();
    let mut head = Vec::new();
    while head.len() < SniffedType::PREFIX_LEN {
        match field
            .try_next()
            .await
            .map_err(|_| bad_upload("The upload was interrupted."))?
        {
            Some(bytes) => head.extend_from_slice(&bytes),
            None => break,
        }
    }
    let sniffed = SniffedType::sniff(&head).ok_or_else(|| ApiError::UnsupportedType {
        message: "Upload a PDF, JPEG or PNG file.".into(),
    })?;
    if head.len() as u64 > limit {
        return Err(too_large(limit));
    }
    let exceeded = Arc::new(AtomicBool::new(false));
    let flag = exceeded.clone();
    let mut total = head.len() as u64;
    let rest = field.map(move |chunk| {
        let bytes = chunk.map_err(|e| std::io::Error::other(e.to_string()))?;
        total += bytes.len() as u64;
        if total > limit {
            flag.store(true, Ordering::SeqCst);
            return Err(std::io::Error::other("upload too large"));
        }
        Ok(bytes)
    });
    let content: ByteStream =
        Box::pin(futures_util::stream::once(async move { Ok(head.into()) }).chain(rest));
    Ok((
        Upload {
            file_name,
            sniffed,
            exceeded,
            limit,
        },
        content,
    ))
}
