//! Route table. Every route the application serves is registered here.

mod health;

use actix_web::{web, HttpRequest, HttpResponse};

use crate::error::ApiError;

pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/health", web::get().to(health::alive))
        .route("/health/ready", web::get().to(health::ready))
        .route("/metrics", web::get().to(health::metrics));
}

/// Anything no route matched.
pub(crate) async fn not_found(_request: HttpRequest) -> Result<HttpResponse, ApiError> {
    Err(ApiError::NotFound)
}
