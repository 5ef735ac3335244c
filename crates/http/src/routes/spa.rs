//! The front end: files of the built bundle, and `index.html` for every other non-API path so client-side
//! routes survive a reload.

use std::path::{Component, Path, PathBuf};

use actix_files::NamedFile;
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};

use crate::error::ApiError;
use crate::StaticFiles;

fn safe_join(root: &Path, request_path: &str) -> Option<PathBuf> {
    let relative = Path::new(request_path.trim_start_matches('/'));
    if relative
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
    {
        Some(root.join(relative))
    } else {
        None
    }
}

/// Everything no API route matched.
pub(crate) async fn fallback(
    request: HttpRequest,
    files: web::Data<StaticFiles>,
) -> Result<HttpResponse, ApiError> {
    let path = request.path();
    if path.starts_with("/api/") || path == "/api" || files.root.is_none() {
        return Err(ApiError::NotFound);
    }
    let Some(root) = files.root.as_deref() else {
        return Err(ApiError::NotFound);
    };
    if let Some(file) = safe_join(root, path).filter(|p| p.is_file()) {
        let named = NamedFile::open_async(file)
            .await
            .map_err(|_| ApiError::NotFound)?;
        return Ok(named.use_etag(true).into_response(&request));
    }
    if path.starts_with("/assets/") {
        return Err(ApiError::NotFound);
    }
    let index = NamedFile::open_async(root.join("index.html"))
        .await
        .map_err(|_| ApiError::NotFound)?;
    let mut response = index.into_response(&request);
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-cache"),
    );
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::safe_join;
    use std::path::Path;

    #[test]
    fn paths_cannot_leave_the_bundle() {
        let root = Path::new("/srv/app");
        assert_eq!(
            safe_join(root, "/assets/a.js").unwrap(),
            Path::new("/srv/app/assets/a.js")
        );
        assert!(safe_join(root, "/../etc/passwd").is_none());
        assert!(safe_join(root, "/assets/../../etc/passwd").is_none());
    }
}
