//! The roster of a location, adding crew from another of the manager's venues, a crew member's page and
//! competency assessments.

use actix_web::{get, patch, post, put, web, HttpResponse};
use chrono::{Duration, Utc};
use crewplots_domain::accounts::AuditEvent;
use crewplots_domain::policy::{self, Action, LocationScope};
use crewplots_domain::ports::StoreError;
use crewplots_domain::scheduling::model::{self, CrewStatus as DomainStatus};
use crewplots_domain::scheduling::ports::{CrewChange, RosterFilter};
use crewplots_domain::scheduling::rules::person_week;
use crewplots_domain::scheduling::time::{zone, IsoWeek};
use crewplots_domain::validation::FieldErrors;
use crewplots_domain::Role;
use uuid::Uuid;

use super::clock_at;
use crate::access;
use crate::auth::{ClientIp, CurrentUser};
use crate::dto::{
    AddCrewRequest, AssessRequest, Assessment, Competency, CrewMember, CrewPage, ErrorBody,
    LocationRef, Membership, PersonName, Position, RosterQuery, RuleReason, UpcomingShift,
    UpdateCrewRequest, WeekHours,
};
use crate::error::ApiError;
use crate::state::AppState;

/// Contracted hours (0–80, decimal) as minutes.
fn contract_minutes(hours: Option<f64>, errors: &mut FieldErrors) -> Option<u32> {
    let hours = hours?;
    if !hours.is_finite() || !(0.0..=80.0).contains(&hours) {
        errors.add("contractedHours", "out_of_range");
        return None;
    }
    Some((hours * 60.0).round() as u32)
}

/// Positions that belong to the location and are not archived.
async fn check_positions(
    state: &AppState,
    location: Uuid,
    ids: &[Uuid],
    errors: &mut FieldErrors,
) -> Result<(), ApiError> {
    if ids.is_empty() {
        return Ok(());
    }
    let known = state.crew.positions(location).await?;
    if !ids
        .iter()
        .all(|id| known.iter().any(|p| p.id == *id && !p.archived))
    {
        errors.add("positionIds", "unknown_position");
    }
    Ok(())
}

/// The crew of a location, filtered by position and status.
#[utoipa::path(tag = "scheduling", params(("id" = Uuid, Path), ("position" = Option<Uuid>, Query),
    ("status" = Option<crate::dto::CrewStatus>, Query)), responses(
    (status = 200, body = Vec<CrewMember>),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
))]
#[get("/api/locations/{id}/crew")]
pub(crate) async fn roster(
    current: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    query: web::Query<RosterQuery>,
) -> Result<HttpResponse, ApiError> {
    let location = access::location(&state, &current, *id, Action::ViewCrew).await?;
    let filter = RosterFilter {
        position_id: query.position,
        status: query.status.map(Into::into),
    };
    let crew = state.crew.roster(location.id, &filter).await?;
    Ok(HttpResponse::Ok().json(crew.iter().map(CrewMember::from).collect::<Vec<_>>()))
}

/// Crew of the caller's other venues who are not on this location's crew yet.
#[utoipa::path(tag = "scheduling", params(("id" = Uuid, Path)), responses(
    (status = 200, body = Vec<CrewMember>),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
))]
#[get("/api/locations/{id}/crew/candidates")]
pub(crate) async fn candidates(
    current: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let location = access::location(&state, &current, *id, Action::ManageCrew).await?;
    let others: Vec<Uuid> = match policy::scope(&current.actor(), Action::ManageCrew) {
        Some(LocationScope::All) => state
            .locations
            .list(None)
            .await?
            .into_iter()
            .map(|l| l.id)
            .collect(),
        Some(LocationScope::Only(ids)) => ids,
        None => return Err(ApiError::Forbidden),
    };
    let here: Vec<Uuid> = state
        .crew
        .roster(location.id, &RosterFilter::default())
        .await?
        .iter()
        .map(|m| m.person.id)
        .collect();
    let mut found: Vec<model::CrewMember> = Vec::new();
    for other in others.into_iter().filter(|l| *l != location.id) {
        for member in state.crew.roster(other, &RosterFilter::default()).await? {
            if member.status != DomainStatus::Inactive
                && !here.contains(&member.person.id)
                && !found.iter().any(|f| f.person.id == member.person.id)
            {
                found.push(member);
            }
        }
    }
    found.sort_by(|a, b| a.person.name.cmp(&b.person.name));
    Ok(HttpResponse::Ok().json(found.iter().map(CrewMember::from).collect::<Vec<_>>()))
}

/// Adds a crew member of another of the caller's venues to this venue's crew.
#[utoipa::path(tag = "scheduling", params(("id" = Uuid, Path)), request_body = AddCrewRequest, responses(
    (status = 201, body = CrewMember),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
))]
#[post("/api/locations/{id}/crew")]
pub(crate) async fn add(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<AddCrewRequest>,
) -> Result<HttpResponse, ApiError> {
    let location = access::location(&state, &current, *id, Action::ManageCrew).await?;
    let actor = current.actor();
    let mut errors = FieldErrors::default();
    // Only people already on the crew of a venue the caller manages (administrators: of any venue).
    let memberships = state.crew.memberships(body.user_id).await?;
    let person = state.accounts.user(body.user_id).await?;
    let reachable = person.as_ref().is_some_and(|p| {
        matches!(p.role, Role::CrewMember | Role::FloorManager)
            && memberships.iter().any(|m| {
                m.status != DomainStatus::Inactive
                    && policy::allows_at(&actor, Action::ManageCrew, m.location_id)
            })
    });
    if !reachable {
        errors.add("userId", "not_crew_elsewhere");
    }
    let minutes = contract_minutes(body.contracted_hours, &mut errors);
    check_positions(&state, location.id, &body.position_ids, &mut errors).await?;
    errors.into_result()?;
    let change = CrewChange {
        user_id: body.user_id,
        location_id: location.id,
        position_ids: body.position_ids.clone(),
        contracted_minutes: minutes,
        start_date: body.start_date,
        status: DomainStatus::Active,
    };
    let audit = AuditEvent::new("crew.added")
        .actor(Some(current.user.id))
        .subject("user", body.user_id)
        .location(location.id)
        .ip(ip.0);
    match state.crew.add_crew(change, audit).await {
        Ok(member) => Ok(HttpResponse::Created().json(CrewMember::from(&member))),
        Err(StoreError::Conflict(_)) => Err(ApiError::Conflict {
            code: "already_crew",
            message: "This person is already on this location's crew.".into(),
        }),
        Err(other) => Err(other.into()),
    }
}

/// Changes a crew membership: positions, contracted hours, start date, status.
#[utoipa::path(tag = "scheduling", params(("id" = Uuid, Path), ("userId" = Uuid, Path)),
    request_body = UpdateCrewRequest, responses(
    (status = 200, body = CrewMember),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody),
))]
#[patch("/api/locations/{id}/crew/{userId}")]
pub(crate) async fn update(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    path: web::Path<(Uuid, Uuid)>,
    body: web::Json<UpdateCrewRequest>,
) -> Result<HttpResponse, ApiError> {
    let (location_id, user_id) = path.into_inner();
    let location = access::location(&state, &current, location_id, Action::ManageCrew).await?;
    let member = state
        .crew
        .memberships(user_id)
        .await?
        .into_iter()
        .find(|m| m.location_id == location.id)
        .ok_or(ApiError::NotFound)?;
    let mut errors = FieldErrors::default();
    let minutes = match body.contracted_hours {
        Some(_) => contract_minutes(body.contracted_hours, &mut errors),
        None => member.contracted_minutes,
    };
    let positions = body
        .position_ids
        .clone()
        .unwrap_or_else(|| member.position_ids.clone());
    if body.position_ids.is_some() {
        check_positions(&state, location.id, &positions, &mut errors).await?;
    }
    errors.into_result()?;
    let status = body.status.map_or(member.status, Into::into);
    let mut audit = AuditEvent::new("crew.updated")
        .actor(Some(current.user.id))
        .subject("user", user_id)
        .location(location.id)
        .ip(ip.0);
    if status != member.status {
        audit = audit.detail("status", status.as_str());
    }
    let change = CrewChange {
        user_id,
        location_id: location.id,
        position_ids: positions,
        contracted_minutes: minutes,
        start_date: body.start_date.or(member.start_date),
        status,
    };
    let updated = state.crew.update_crew(change, audit).await?;
    Ok(HttpResponse::Ok().json(CrewMember::from(&updated)))
}

/// A crew member's page: their memberships at the caller's locations, competency levels with history,
/// upcoming shifts there and this week's hours (every location) against the contract.
#[utoipa::path(tag = "scheduling", params(("userId" = Uuid, Path)), responses(
    (status = 200, body = CrewPage),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
))]
#[get("/api/crew/{userId}")]
pub(crate) async fn page(
    current: CurrentUser,
    state: web::Data<AppState>,
    user_id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let actor = current.actor();
    if !policy::allows(actor.role, Action::ViewCrew) {
        return Err(ApiError::Forbidden);
    }
    let user_id = *user_id;
    let all = state.crew.memberships(user_id).await?;
    let visible: Vec<_> = all
        .iter()
        .filter(|m| policy::allows_at(&actor, Action::ViewCrew, m.location_id))
        .cloned()
        .collect();
    let Some(first) = visible.first() else {
        return Err(ApiError::NotFound);
    };
    let mut memberships = Vec::new();
    let mut competency_ids = Vec::new();
    let mut first_tz = None;
    for member in &visible {
        let location = state
            .locations
            .get(member.location_id)
            .await?
            .ok_or(ApiError::NotFound)?;
        let (positions, competencies) = tokio::try_join!(
            state.crew.positions(location.id),
            state.crew.competencies(location.id)
        )?;
        competency_ids.extend(competencies.iter().map(|c| c.id));
        first_tz.get_or_insert_with(|| location.timezone.clone());
        memberships.push(Membership {
            location: LocationRef {
                id: location.id,
                name: location.name.clone(),
                timezone: location.timezone.clone(),
            },
            member: CrewMember::from(member),
            positions: positions.iter().map(Position::from).collect(),
            competencies: competencies.iter().map(Competency::from).collect(),
            can_manage: policy::allows_at(&actor, Action::ManageCrew, location.id),
        });
    }
    let assessments = state.crew.assessments(user_id).await?;
    let tz = zone(first_tz.as_deref().unwrap_or("Europe/Amsterdam"));
    let now = Utc::now();
    let week = IsoWeek::of(now.with_timezone(&tz).date_naive());
    let (start, end) = week.bounds(tz);
    let booked = state
        .schedule
        .booked_between(user_id, start - Duration::days(8), end + Duration::days(8))
        .await?;
    let contract: Option<u32> = {
        let active: Vec<u32> = all
            .iter()
            .filter(|m| m.status == DomainStatus::Active)
            .filter_map(|m| m.contracted_minutes)
            .collect();
        (!active.is_empty()).then(|| active.iter().sum())
    };
    let summary = person_week(&booked, week, contract, &Default::default());
    let visible_ids: Vec<Uuid> = visible.iter().map(|m| m.location_id).collect();
    let upcoming = state
        .schedule
        .upcoming(user_id, now, 50)
        .await?
        .into_iter()
        .filter(|s| visible_ids.contains(&s.location.id))
        .take(20)
        .map(|s| {
            let tz = zone(&s.location.timezone);
            UpcomingShift {
                shift_id: s.shift_id,
                location: (&s.location).into(),
                position_name: s.position_name.clone(),
                date: s.local_date,
                starts_at: s.starts_at,
                ends_at: s.ends_at,
                local_start: clock_at(tz, s.starts_at),
                local_end: clock_at(tz, s.ends_at),
                paid_minutes: model::paid_minutes(s.starts_at, s.ends_at, s.break_minutes),
                published: s.published,
            }
        })
        .collect();
    let keep = |a: &&model::Assessment| competency_ids.contains(&a.competency_id);
    Ok(HttpResponse::Ok().json(CrewPage {
        person: PersonName::from(&first.person),
        memberships,
        levels: assessments
            .current
            .iter()
            .filter(keep)
            .map(Assessment::from)
            .collect(),
        history: assessments
            .history
            .iter()
            .filter(keep)
            .map(Assessment::from)
            .collect(),
        upcoming,
        this_week: WeekHours {
            iso_week: week.to_string(),
            minutes: summary.minutes,
            contract_minutes: contract,
            reasons: summary
                .reasons
                .iter()
                .map(|r| RuleReason::new(r, tz))
                .collect(),
        },
    }))
}

/// Records a person's level of a competency (0–5) with the assessor, date and note; the history keeps
/// every assessment.
#[utoipa::path(tag = "scheduling", params(("userId" = Uuid, Path), ("competencyId" = Uuid, Path)),
    request_body = AssessRequest, responses(
    (status = 200, body = Assessment),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody),
))]
#[put("/api/crew/{userId}/competencies/{competencyId}")]
pub(crate) async fn assess(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    path: web::Path<(Uuid, Uuid)>,
    body: web::Json<AssessRequest>,
) -> Result<HttpResponse, ApiError> {
    let (user_id, competency_id) = path.into_inner();
    let actor = current.actor();
    if !policy::allows(actor.role, Action::ManageCrew) {
        return Err(ApiError::Forbidden);
    }
    let competency = state
        .crew
        .competency(competency_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    access::allow_at(&actor, Action::ManageCrew, competency.location_id)?;
    let member = state
        .crew
        .memberships(user_id)
        .await?
        .into_iter()
        .find(|m| m.location_id == competency.location_id)
        .ok_or(ApiError::NotFound)?;
    let tz = state
        .schedule
        .location_rules(competency.location_id)
        .await?
        .map_or(chrono_tz::Europe::Amsterdam, |(_, tz)| zone(&tz));
    let today = Utc::now().with_timezone(&tz).date_naive();
    let mut errors = FieldErrors::default();
    if body.level > model::MAX_LEVEL {
        errors.add("level", "out_of_range");
    }
    let note = crewplots_domain::validation::optional_note(
        body.note.as_deref(),
        model::MAX_NOTE_CHARS,
        "note",
        &mut errors,
    );
    let assessed_on = body.assessed_on.unwrap_or(today);
    if assessed_on > today {
        errors.add("assessedOn", "in_future");
    }
    if competency.archived {
        errors.add("competencyId", "archived");
    }
    errors.into_result()?;
    let audit = AuditEvent::new("crew.assessed")
        .actor(Some(current.user.id))
        .subject("user", member.person.id)
        .location(competency.location_id)
        .ip(ip.0)
        .detail("competency", competency.id.to_string())
        .detail("level", body.level.to_string());
    let saved = state
        .crew
        .assess(
            model::Assessment {
                user_id,
                competency_id,
                level: body.level,
                assessor: Some(crewplots_domain::hiring::PersonRef {
                    id: current.user.id,
                    name: current.user.display_name(),
                    role: current.user.role,
                }),
                assessed_on,
                note,
                recorded_at: Utc::now(),
            },
            audit,
        )
        .await?;
    Ok(HttpResponse::Ok().json(Assessment::from(&saved)))
}
