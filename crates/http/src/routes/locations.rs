//! Locations: the public look-up behind a QR link, the staff list and creation.

use actix_web::http::header;
use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use crewplots_domain::accounts::{AuditEvent, Location as DomainLocation};
use crewplots_domain::policy::{self, Action, LocationScope};
use crewplots_domain::ports::StoreError;
use crewplots_domain::validation::{self, FieldErrors};
use rand::Rng;
use uuid::Uuid;

use crate::auth::{client_ip, ClientIp, CurrentUser};
use crate::dto::{
    CreateLocationRequest, ErrorBody, Location, PersonName, PosterFormat, PosterQuery,
    PublicLocation, UpdateLocationRequest,
};
use crate::error::ApiError;
use crate::poster::{self as rendering, Poster};
use crate::state::AppState;

use crewplots_domain::accounts::UNAMBIGUOUS_ALPHABET as CODE_ALPHABET;

fn application_code() -> String {
    let mut rng = rand::rng();
    (0..8)
        .map(|_| char::from(CODE_ALPHABET[rng.random_range(0..CODE_ALPHABET.len())]))
        .collect()
}

/// Whether `code` has the shape every stored application code has (`^[A-Z0-9]{6,12}$` in the database,
/// matched case-insensitively). Anything else names no venue, and must not reach the query: PostgreSQL
/// refuses text with a NUL byte as an error, not as "no row".
pub(crate) fn could_be_application_code(code: &str) -> bool {
    (6..=12).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// The venue behind an application code (from a QR poster), for the registration page.
#[utoipa::path(tag = "locations", params(("code" = String, Path, description = "Application code")), responses(
    (status = 200, body = PublicLocation),
    (status = 404, body = ErrorBody, description = "No active location has this code"),
))]
#[get("/api/public/locations/{code}")]
pub(crate) async fn public_location(
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let code = code.into_inner();
    if !could_be_application_code(&code) {
        return Err(ApiError::NotFound);
    }
    let location = state
        .locations
        .by_code(&code)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Ok().json(PublicLocation {
        name: location.name,
        application_code: location.application_code,
        location_id: location.id,
    }))
}

/// Locations the caller works with: all for administrators, their own for managers and floor managers.
#[utoipa::path(tag = "locations", responses(
    (status = 200, body = Vec<Location>),
    (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody),
))]
#[get("/api/locations")]
pub(crate) async fn list(
    current: CurrentUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let locations = match policy::scope(&current.actor(), Action::ViewLocations) {
        None => return Err(ApiError::Forbidden),
        Some(LocationScope::All) => state.locations.list(None).await?,
        Some(LocationScope::Only(ids)) => state.locations.list(Some(&ids)).await?,
    };
    let url = &state.security.public_url;
    Ok(HttpResponse::Ok().json(
        locations
            .iter()
            .map(|l| Location::new(l, url))
            .collect::<Vec<_>>(),
    ))
}

/// Creates a location with a fresh application code (administrators).
#[utoipa::path(tag = "locations", request_body = CreateLocationRequest, responses(
    (status = 201, body = Location),
    (status = 403, body = ErrorBody),
    (status = 422, body = ErrorBody),
))]
#[post("/api/locations")]
pub(crate) async fn create(
    request: HttpRequest,
    current: CurrentUser,
    state: web::Data<AppState>,
    body: web::Json<CreateLocationRequest>,
) -> Result<HttpResponse, ApiError> {
    if policy::scope(&current.actor(), Action::CreateLocation).is_none() {
        return Err(ApiError::Forbidden);
    }
    let mut errors = FieldErrors::default();
    let name = validation::text(&body.name, 120, "name", &mut errors);
    let timezone = validation::timezone(
        body.timezone.as_deref().unwrap_or("Europe/Amsterdam"),
        "timezone",
        &mut errors,
    );
    let contact = Contact::validate(
        body.address.as_deref(),
        body.contact_email.as_deref(),
        body.contact_phone.as_deref(),
        &mut errors,
    );
    errors.into_result()?;
    let ip = client_ip(&request, state.security.trust_forwarded_for);
    // A clash of random codes is rare; try a few before giving up.
    for _ in 0..5 {
        let id = Uuid::new_v4();
        let location = DomainLocation {
            id,
            name: name.clone(),
            timezone: timezone.clone(),
            active: true,
            application_code: application_code(),
            address: contact.address.clone(),
            contact_email: contact.email.clone(),
            contact_phone: contact.phone.clone(),
        };
        let audit = AuditEvent::new("location.created")
            .actor(Some(current.user.id))
            .subject("location", id)
            .ip(ip);
        match state.locations.create(location, audit).await {
            Ok(created) => {
                return Ok(HttpResponse::Created()
                    .json(Location::new(&created, &state.security.public_url)))
            }
            Err(StoreError::Conflict(_)) => continue,
            Err(other) => return Err(other.into()),
        }
    }
    Err(ApiError::ServiceUnavailable)
}

/// A venue's optional contact details, validated.
struct Contact {
    address: Option<String>,
    email: Option<String>,
    phone: Option<String>,
}

impl Contact {
    fn validate(
        address: Option<&str>,
        email: Option<&str>,
        phone: Option<&str>,
        errors: &mut FieldErrors,
    ) -> Self {
        let present = |v: Option<&str>| {
            v.map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        Self {
            address: present(address).map(|a| validation::text(&a, 300, "address", errors)),
            email: present(email).map(|e| validation::email(&e, "contactEmail", errors)),
            phone: present(phone).map(|p| validation::phone(&p, "contactPhone", errors)),
        }
    }
}

/// The location, if the caller may see it (administrators: all; staff: their own); 404 otherwise.
async fn visible_location(
    state: &AppState,
    current: &CurrentUser,
    id: Uuid,
) -> Result<DomainLocation, ApiError> {
    if !policy::allows(current.user.role, Action::ViewLocations) {
        return Err(ApiError::Forbidden);
    }
    let location = state.locations.get(id).await?.ok_or(ApiError::NotFound)?;
    if policy::allows_at(&current.actor(), Action::ViewLocations, location.id) {
        Ok(location)
    } else {
        Err(ApiError::NotFound)
    }
}

/// One location with its details and application link.
#[utoipa::path(tag = "locations", params(("id" = Uuid, Path)), responses(
    (status = 200, body = Location),
    (status = 404, body = ErrorBody),
))]
#[get("/api/locations/{id}")]
pub(crate) async fn get_one(
    current: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let location = visible_location(&state, &current, *id).await?;
    Ok(HttpResponse::Ok().json(Location::new(&location, &state.security.public_url)))
}

/// Edits a location: administrators any, managers their own; archiving (`active`) is for administrators.
#[utoipa::path(tag = "locations", params(("id" = Uuid, Path)), request_body = UpdateLocationRequest, responses(
    (status = 200, body = Location),
    (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody),
    (status = 422, body = ErrorBody),
))]
#[patch("/api/locations/{id}")]
pub(crate) async fn update(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<UpdateLocationRequest>,
) -> Result<HttpResponse, ApiError> {
    let location = visible_location(&state, &current, *id).await?;
    let actor = current.actor();
    if !policy::allows_at(&actor, Action::EditLocation, location.id) {
        return Err(ApiError::Forbidden);
    }
    let body = body.into_inner();
    if body.active.is_some_and(|a| a != location.active)
        && policy::scope(&actor, Action::CreateLocation).is_none()
    {
        return Err(ApiError::Forbidden);
    }
    let mut errors = FieldErrors::default();
    let name = body.name.as_deref().map_or_else(
        || location.name.clone(),
        |n| validation::text(n, 120, "name", &mut errors),
    );
    let timezone = body.timezone.as_deref().map_or_else(
        || location.timezone.clone(),
        |t| validation::timezone(t, "timezone", &mut errors),
    );
    // A field left out stays; a field sent empty is cleared.
    let keep_or = |sent: &Option<String>, old: &Option<String>| match sent {
        None => old.clone(),
        Some(v) => Some(v.clone()),
    };
    let contact = Contact::validate(
        keep_or(&body.address, &location.address).as_deref(),
        keep_or(&body.contact_email, &location.contact_email).as_deref(),
        keep_or(&body.contact_phone, &location.contact_phone).as_deref(),
        &mut errors,
    );
    errors.into_result()?;
    let active = body.active.unwrap_or(location.active);
    let mut audit = AuditEvent::new("location.updated")
        .actor(Some(current.user.id))
        .subject("location", location.id)
        .ip(ip.0);
    if active != location.active {
        audit = audit.detail("active", active.to_string());
    }
    let updated = state
        .locations
        .update(
            DomainLocation {
                name,
                timezone,
                active,
                address: contact.address,
                contact_email: contact.email,
                contact_phone: contact.phone,
                ..location
            },
            audit,
        )
        .await?;
    Ok(HttpResponse::Ok().json(Location::new(&updated, &state.security.public_url)))
}

/// A print-ready A4 recruiting poster with the QR code of the location's application link.
#[utoipa::path(tag = "locations", params(("id" = Uuid, Path), PosterQuery), responses(
    (status = 200, content_type = "image/svg+xml", description = "SVG poster (default)"),
    (status = 200, content_type = "image/png", description = "PNG poster with `format=png`"),
    (status = 404, body = ErrorBody),
))]
#[get("/api/locations/{id}/poster")]
pub(crate) async fn get_poster(
    current: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    query: web::Query<PosterQuery>,
) -> Result<HttpResponse, ApiError> {
    let location = visible_location(&state, &current, *id).await?;
    let url = crate::dto::application_url(&state.security.public_url, &location.application_code);
    let format = query.format.unwrap_or(PosterFormat::Svg);
    let slug: String = location
        .name
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let rendered = web::block(move || {
        let poster = Poster {
            venue: &location.name,
            url: &url,
            headline: "We're hiring!",
            call_to_action: "Scan the code with your phone camera to apply.",
        };
        match format {
            PosterFormat::Svg => rendering::svg(&poster).map(String::into_bytes),
            PosterFormat::Png => rendering::png(&poster, 1240),
        }
    })
    .await
    .map_err(ApiError::internal)?
    .map_err(ApiError::internal)?;
    let (content_type, extension) = match format {
        PosterFormat::Svg => ("image/svg+xml", "svg"),
        PosterFormat::Png => ("image/png", "png"),
    };
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("inline; filename=\"poster-{slug}.{extension}\""),
        ))
        .insert_header((header::CACHE_CONTROL, "private, max-age=300"))
        .body(rendered))
}

/// Staff who can interview at the location (for the interviewer picker).
#[utoipa::path(tag = "locations", params(("id" = Uuid, Path)), responses(
    (status = 200, body = Vec<PersonName>),
    (status = 404, body = ErrorBody),
))]
#[get("/api/locations/{id}/staff")]
pub(crate) async fn staff(
    current: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let location = visible_location(&state, &current, *id).await?;
    let staff = state.locations.staff(location.id).await?;
    Ok(HttpResponse::Ok().json(staff.iter().map(PersonName::from).collect::<Vec<_>>()))
}
