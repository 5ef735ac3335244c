//! Public settings (issue 14 F): the values the front end needs before anyone logs in, served from the one
//! place they live (the domain's privacy-notice version, the server's configuration) instead of being
//! repeated in TypeScript.

use actix_web::http::header;
use actix_web::{get, web, HttpResponse};
use crewplots_domain::accounts::PRIVACY_NOTICE_VERSION;

use crate::dto::PublicSettings;
use crate::state::AppState;

/// Settings anybody may read; cacheable for five minutes.
#[utoipa::path(tag = "meta", responses((status = 200, body = PublicSettings)))]
#[get("/api/settings/public")]
pub(crate) async fn public_settings(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
        .json(PublicSettings {
            privacy_notice_version: PRIVACY_NOTICE_VERSION.to_string(),
            retention_days: state.retention_policy.days,
            max_upload_bytes: state.document_max_bytes,
        })
}
