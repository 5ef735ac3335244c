//! The OpenAPI document, generated from the routes and types in this crate.

use actix_web::{get, HttpResponse};

/// The OpenAPI 3.1 document of this API.
#[utoipa::path(tag = "meta", responses((status = 200, description = "OpenAPI 3.1 JSON")))]
#[get("/api/openapi.json")]
pub(crate) async fn openapi() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(crate::openapi_json())
}
