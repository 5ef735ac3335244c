//! The compiled dashboard (SPEC §4.8, issue 14 A): parse the optional location, call the domain's use case
//! (which decides the scope and the parts), map to the DTO. 403 for roles without the dashboard, 404 for a
//! location the caller cannot see.

use actix_web::http::header;
use actix_web::{get, web, HttpResponse};
use chrono::Utc;
use crewplots_domain::dashboard::{compile, DashboardError};

use crate::auth::CurrentUser;
use crate::dto::{DashboardParams, DashboardView, ErrorBody};
use crate::error::ApiError;
use crate::state::AppState;

impl From<DashboardError> for ApiError {
    fn from(error: DashboardError) -> Self {
        match error {
            DashboardError::Forbidden => Self::Forbidden,
            DashboardError::NotFound => Self::NotFound,
            DashboardError::Store(error) => error.into(),
        }
    }
}

/// The dashboard of one location, or of every location the caller may see.
#[utoipa::path(tag = "dashboard", params(DashboardParams), responses(
    (status = 200, body = DashboardView),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
))]
#[get("/api/dashboard")]
pub(crate) async fn dashboard(
    current: CurrentUser,
    state: web::Data<AppState>,
    query: web::Query<DashboardParams>,
) -> Result<HttpResponse, ApiError> {
    let compiled = compile(
        state.locations.as_ref(),
        state.dashboard.as_ref(),
        &current.actor(),
        query.location,
        Utc::now(),
    )
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(DashboardView::from(compiled)))
}
