//! Suggest fill (SCHEDULING.md §5): propose people for the empty slots of draft weeks, apply what the
//! manager keeps, and a location's auto-fill settings.
//!
//! One use-case function per command over the ports — [`suggest`] (authorize every week, read the
//! snapshot, run the domain's solver on the blocking pool within the time budget) and [`apply`] (authorize
//! every item's week, one store batch through the manager's assignment path) — and handlers that parse,
//! call and map. Who decides what: the solver (`crewplots_domain::scheduling::autofill`) picks people among
//! those the rule engine allows; the store re-checks every applied item under the person's lock; PostgreSQL
//! refuses overlaps.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use actix_web::http::StatusCode;
use actix_web::{get, post, put, web, HttpResponse};
use chrono_tz::Tz;
use crewplots_domain::accounts::{AuditEvent, LocationRef as DomainLocation};
use crewplots_domain::policy::{self, Action, Actor, LocationScope};
use crewplots_domain::scheduling::autofill::{
    self, FillOptions, FillProposal, FillSettings, FillShift, FillWeights, SoftTerm,
};
use crewplots_domain::scheduling::model::{ScheduleWeek as DomainWeek, WeekStatus};
use crewplots_domain::scheduling::ports::{
    ApplyFill, FillApplied, FillItem, FillRefusal, FillSnapshot,
};
use crewplots_domain::scheduling::time::zone;
use crewplots_domain::validation::FieldErrors;
use uuid::Uuid;

use super::{refused, week_refused};
use crate::access;
use crate::auth::{ClientIp, CurrentUser};
use crate::dto::{
    self, AppliedItem, ApplyConflict, ApplySuggestionsRequest, ApplySuggestionsResult,
    AutofillSettings, ErrorBody, ErrorDetail, FillOpenShift, FillSuggestionItem, FillWhy,
    LocationRef, PersonName, ReasonCount, RuleReason, SuggestFillRequest, SuggestionsStale,
    WeekVersion,
};
use crate::error::ApiError;
use crate::state::AppState;

/// Most other venues one suggestion may fill at once.
const MAX_OTHER_LOCATIONS: usize = 20;
/// The solver's time budget, in milliseconds.
const TIME_BUDGET_MS: std::ops::RangeInclusive<i64> = 100..=10_000;
const DEFAULT_TIME_BUDGET_MS: i64 = 2_000;
/// Most suggestions applied in one go.
const MAX_APPLY_ITEMS: usize = 2_000;
/// Highest weight of a soft goal.
const MAX_WEIGHT: i64 = 10;

fn week_published(week: &DomainWeek) -> ApiError {
    refused(
        StatusCode::CONFLICT,
        "week_published",
        format!(
            "Week {} is published; suggest fill fills draft weeks only.",
            week.week
        ),
        &[("weekId", week.id.to_string())],
    )
}

/// The venues whose crew the caller may borrow: where they manage the crew (administrators: all).
fn borrow_scope(actor: &Actor) -> LocationScope {
    policy::scope(actor, Action::ManageCrew).unwrap_or(LocationScope::Only(Vec::new()))
}

/// A parsed suggest command.
struct SuggestCommand {
    others: Vec<Uuid>,
    budget: Duration,
}

fn parse_suggest(body: &SuggestFillRequest, week: &DomainWeek) -> Result<SuggestCommand, ApiError> {
    let mut errors = FieldErrors::default();
    let budget = body.time_budget_ms.unwrap_or(DEFAULT_TIME_BUDGET_MS);
    if !TIME_BUDGET_MS.contains(&budget) {
        errors.add("timeBudgetMs", "out_of_range");
    }
    let mut others: Vec<Uuid> = body
        .location_ids
        .iter()
        .copied()
        .filter(|id| *id != week.location_id)
        .collect();
    others.sort();
    others.dedup();
    if others.len() > MAX_OTHER_LOCATIONS {
        errors.add("locationIds", "too_many");
    }
    errors.into_result()?;
    Ok(SuggestCommand {
        others,
        budget: Duration::from_millis(u64::try_from(budget).unwrap_or(0)),
    })
}

/// What suggesting found: the snapshot it read and the solver's proposal.
struct Suggested {
    snapshot: FillSnapshot,
    proposal: FillProposal,
    solve: Duration,
}

/// Suggest fill for `week` and the same ISO week's drafts at `others`: every week must be a draft the
/// caller may edit; the solver runs on the blocking pool until the budget is spent.
async fn suggest(
    state: &AppState,
    actor: &Actor,
    week: DomainWeek,
    command: SuggestCommand,
) -> Result<Suggested, ApiError> {
    for location in &command.others {
        access::allow_at(actor, Action::EditSchedule, *location)?;
    }
    if week.status == WeekStatus::Published {
        return Err(week_published(&week));
    }
    let mut week_ids = vec![week.id];
    if !command.others.is_empty() {
        let found = state.fill.fill_weeks(&command.others, week.week).await?;
        let mut errors = FieldErrors::default();
        for location in &command.others {
            match found.iter().find(|(l, _)| l.id == *location) {
                None => return Err(ApiError::NotFound),
                Some((_, None)) => errors.add("locationIds", "no_draft_week"),
                Some((_, Some(other))) if other.status == WeekStatus::Published => {
                    return Err(week_published(other))
                }
                Some((_, Some(other))) => week_ids.push(other.id),
            }
        }
        errors.into_result()?;
    }
    let snapshot = state
        .fill
        .fill_problem(&week_ids, &borrow_scope(actor))
        .await?;
    let budget = command.budget;
    let (snapshot, proposal, solve) = web::block(move || {
        let started = Instant::now();
        let deadline = started + budget;
        let proposal = autofill::suggest(&snapshot.problem, &FillOptions::default(), &|| {
            Instant::now() >= deadline
        });
        (snapshot, proposal, started.elapsed())
    })
    .await
    .map_err(ApiError::internal)?;
    Ok(Suggested {
        snapshot,
        proposal,
        solve,
    })
}

fn why(term: &SoftTerm, points: i64) -> FillWhy {
    let mut out = FillWhy {
        code: term.code().to_string(),
        points,
        week_minutes_after: None,
        contract_minutes: None,
        late_nights: None,
        weekends: None,
        margin: None,
        from_location_id: None,
    };
    match term {
        SoftTerm::ContractHours {
            week_minutes_after,
            contract_minutes,
        } => {
            out.week_minutes_after = Some(*week_minutes_after);
            out.contract_minutes = Some(*contract_minutes);
        }
        SoftTerm::FairSpread {
            late_nights,
            weekends,
        } => {
            out.late_nights = Some(*late_nights);
            out.weekends = Some(*weekends);
        }
        SoftTerm::CompetencyMargin { margin } => out.margin = Some(*margin),
        SoftTerm::Borrowed { from } => out.from_location_id = Some(*from),
        SoftTerm::Preferred | SoftTerm::Interested | SoftTerm::HomeVenue | SoftTerm::SplitDay => {}
    }
    out
}

/// Maps a proposal onto the labels of its snapshot.
fn proposal_dto(found: &Suggested) -> dto::FillProposal {
    let snapshot = &found.snapshot;
    let locations: HashMap<Uuid, &DomainLocation> =
        snapshot.locations.iter().map(|l| (l.id, l)).collect();
    let location = |id: Uuid| {
        locations.get(&id).map_or(
            LocationRef {
                id,
                name: String::new(),
                timezone: String::new(),
            },
            |l| LocationRef::from(*l),
        )
    };
    let shifts: HashMap<Uuid, &FillShift> = snapshot
        .problem
        .shifts
        .iter()
        .map(|s| (s.facts.shift.shift_id, s))
        .collect();
    let week_of: HashMap<Uuid, Uuid> = snapshot.shift_weeks.iter().copied().collect();
    let people: HashMap<Uuid, PersonName> = snapshot
        .people
        .iter()
        .map(|p| (p.id, PersonName::from(p)))
        .collect();
    let tz_of = |id: Uuid| -> Tz { locations.get(&id).map_or(zone(""), |l| zone(&l.timezone)) };
    let clock = |at: chrono::NaiveDateTime| at.format("%H:%M").to_string();
    let mut suggestions: Vec<FillSuggestionItem> = found
        .proposal
        .suggestions
        .iter()
        .filter_map(|s| {
            let Some(shift) = shifts.get(&s.shift_id) else {
                tracing::warn!(shift = %s.shift_id, "a suggestion for a shift outside the problem");
                return None;
            };
            let tz = tz_of(shift.location_id);
            Some(FillSuggestionItem {
                shift_id: s.shift_id,
                week_id: week_of.get(&s.shift_id).copied().unwrap_or_default(),
                location: location(shift.location_id),
                position_name: shift.position_name.clone(),
                date: shift.facts.shift.local_date,
                starts_at: shift.facts.shift.starts_at,
                ends_at: shift.facts.shift.ends_at,
                local_start: clock(shift.facts.local_start),
                local_end: clock(shift.facts.local_end),
                person: people.get(&s.user_id).cloned().unwrap_or(PersonName {
                    id: s.user_id,
                    name: String::new(),
                    role: dto::Role::CrewMember,
                }),
                borrowed_from: s.borrowed_from.map(location),
                why: s.why.iter().map(|(t, p)| why(t, *p)).collect(),
                warnings: s.warnings.iter().map(|r| RuleReason::new(r, tz)).collect(),
            })
        })
        .collect();
    suggestions.sort_by(|a, b| {
        (a.starts_at, a.shift_id, &a.person.name, a.person.id).cmp(&(
            b.starts_at,
            b.shift_id,
            &b.person.name,
            b.person.id,
        ))
    });
    let mut open: Vec<FillOpenShift> = found
        .proposal
        .open
        .iter()
        .filter_map(|o| {
            let shift = shifts.get(&o.shift_id)?;
            Some(FillOpenShift {
                shift_id: o.shift_id,
                week_id: week_of.get(&o.shift_id).copied().unwrap_or_default(),
                location: location(shift.location_id),
                position_name: shift.position_name.clone(),
                date: shift.facts.shift.local_date,
                starts_at: shift.facts.shift.starts_at,
                ends_at: shift.facts.shift.ends_at,
                local_start: clock(shift.facts.local_start),
                local_end: clock(shift.facts.local_end),
                open_slots: o.open,
                candidates: o.candidates,
                reasons: o
                    .refusals
                    .iter()
                    .map(|(code, count)| ReasonCount {
                        code: (*code).to_string(),
                        count: *count,
                    })
                    .collect(),
            })
        })
        .collect();
    open.sort_by_key(|o| (o.starts_at, o.shift_id));
    let open_before: u32 = snapshot
        .problem
        .shifts
        .iter()
        .map(|s| {
            u32::from(s.facts.slots)
                .saturating_sub(u32::try_from(s.facts.assigned.len()).unwrap_or(u32::MAX))
        })
        .sum();
    dto::FillProposal {
        iso_week: snapshot
            .weeks
            .first()
            .map(|w| w.week.week.to_string())
            .unwrap_or_default(),
        weeks: snapshot
            .weeks
            .iter()
            .map(|w| dto::FillWeek {
                week_id: w.week.id,
                location: LocationRef::from(&w.location),
                version: w.week.version,
            })
            .collect(),
        filled: u32::try_from(suggestions.len()).unwrap_or(u32::MAX),
        suggestions,
        open,
        score: found.proposal.score,
        stopped_early: found.proposal.stopped_early,
        solve_ms: u64::try_from(found.solve.as_millis()).unwrap_or(u64::MAX),
        open_before,
    }
}

/// Proposes people for the empty slots of a draft week — and, with `locationIds`, of the same ISO week's
/// drafts at other venues — as a diff to review: each suggestion says why this person (and, when borrowed
/// from another venue of the manager's, from where), each slot left open says why nobody fits. The same
/// state of the weeks gives the same proposal. Nothing is saved.
#[utoipa::path(tag = "scheduling", params(("id" = Uuid, Path)),
    request_body(content = SuggestFillRequest, description = "`{}` fills this week with the default budget"),
    responses(
    (status = 200, body = dto::FillProposal),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody, description = "`week_published`: a week to fill is published"),
    (status = 422, body = ErrorBody, description = "`fields.timeBudgetMs`, `fields.locationIds`"),
))]
#[post("/api/weeks/{id}/suggest-fill")]
pub(crate) async fn suggest_fill(
    current: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<SuggestFillRequest>,
) -> Result<HttpResponse, ApiError> {
    let week = access::week(&state, &current, *id, Action::EditSchedule).await?;
    let command = parse_suggest(&body, &week)?;
    let found = suggest(&state, &current.actor(), week, command).await?;
    Ok(HttpResponse::Ok().json(proposal_dto(&found)))
}

/// A parsed apply command.
fn parse_apply(body: &ApplySuggestionsRequest) -> Result<Vec<FillItem>, ApiError> {
    let mut errors = FieldErrors::default();
    if body.items.is_empty() || body.items.len() > MAX_APPLY_ITEMS {
        errors.add("items", "between_1_and_2000");
    }
    let mut items: Vec<FillItem> = body
        .items
        .iter()
        .map(|i| FillItem {
            user_id: i.user_id,
            shift_id: i.shift_id,
        })
        .collect();
    items.sort();
    let count = items.len();
    items.dedup();
    if items.len() != count {
        errors.add("items", "duplicate_item");
    }
    errors.into_result()?;
    Ok(items)
}

/// What applying did, item by item, with each week's time zone for the messages.
struct Applied {
    results: Vec<(FillItem, Result<FillApplied, FillRefusal>)>,
    zones: HashMap<Uuid, Tz>,
}

/// Applies suggestions in one transaction: every item's shift must be in a week of the same ISO week at a
/// location where the caller edits schedules (404/403 otherwise, 422 for another week); each item then goes
/// through the manager's assignment path on the state of now.
async fn apply(
    state: &AppState,
    current: &CurrentUser,
    ip: &ClientIp,
    week: &DomainWeek,
    items: Vec<FillItem>,
) -> Result<Applied, ApiError> {
    let actor = current.actor();
    let mut shift_ids: Vec<Uuid> = items.iter().map(|i| i.shift_id).collect();
    shift_ids.sort();
    shift_ids.dedup();
    let found = state.fill.shift_weeks(&shift_ids).await?;
    let mut errors = FieldErrors::default();
    let mut zones = HashMap::new();
    for (shift, at) in &found {
        access::allow_at(&actor, Action::EditSchedule, at.week.location_id)?;
        if at.week.week != week.week {
            errors.add("items", "other_week");
        }
        zones.insert(*shift, zone(&at.location.timezone));
    }
    errors.into_result()?;
    let audit = AuditEvent::new("schedule.autofill_applied")
        .actor(Some(current.user.id))
        .ip(ip.0);
    let results = state
        .fill
        .apply_fill(ApplyFill {
            items,
            actor_id: current.user.id,
            borrow_from: borrow_scope(&actor),
            audit,
        })
        .await?;
    Ok(Applied { results, zones })
}

fn conflict(item: FillItem, refusal: &FillRefusal, tz: Tz) -> ApplyConflict {
    let (code, message) = match refusal {
        FillRefusal::ShiftGone => (
            "shift_not_found".to_string(),
            "This shift no longer exists.".to_string(),
        ),
        FillRefusal::WeekPublished => (
            "week_published".to_string(),
            "This shift's week has been published; suggestions fill draft weeks only.".to_string(),
        ),
        FillRefusal::Week(refusal) => {
            let error = week_refused(refusal, tz);
            (error.code().to_string(), error.message().to_string())
        }
    };
    ApplyConflict {
        shift_id: item.shift_id,
        user_id: item.user_id,
        code,
        message,
    }
}

/// Applies the suggestions the manager keeps (all, some), in one transaction: each goes through the
/// normal assignment path — the rules re-checked on the state of now, no override, PostgreSQL refusing
/// overlaps — and a borrowed person is first made crew at the venue. Items that no longer fit (the slot
/// was filled meanwhile, the person took another shift, a second manager applied first) come back as
/// conflicts while the rest applies; when none applies the answer is 409 `suggestions_stale`.
#[utoipa::path(tag = "scheduling", params(("id" = Uuid, Path)), request_body = ApplySuggestionsRequest,
    responses(
    (status = 200, body = ApplySuggestionsResult, description = "At least one item applied"),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 409, body = SuggestionsStale, description = "`suggestions_stale`: no item could be applied"),
    (status = 422, body = ErrorBody, description = "`fields.items`: 1–2000 distinct items of this ISO week"),
))]
#[post("/api/weeks/{id}/suggestions/apply")]
pub(crate) async fn apply_suggestions(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<ApplySuggestionsRequest>,
) -> Result<HttpResponse, ApiError> {
    let week = access::week(&state, &current, *id, Action::EditSchedule).await?;
    let items = parse_apply(&body)?;
    let done = apply(&state, &current, &ip, &week, items).await?;
    let mut applied = Vec::new();
    let mut conflicts = Vec::new();
    let mut versions: BTreeMap<Uuid, i64> = BTreeMap::new();
    for (item, outcome) in &done.results {
        match outcome {
            Ok(made) => {
                let week = &made.assigned.week;
                let version = versions.entry(week.id).or_insert(week.version);
                *version = (*version).max(week.version);
                applied.push(AppliedItem {
                    shift_id: item.shift_id,
                    user_id: item.user_id,
                    assignment_id: made.assigned.assignment.id,
                    borrowed_from: made.borrowed_from,
                });
            }
            Err(refusal) => {
                let tz = done
                    .zones
                    .get(&item.shift_id)
                    .copied()
                    .unwrap_or_else(|| zone(""));
                conflicts.push(conflict(*item, refusal, tz));
            }
        }
    }
    if applied.is_empty() {
        return Ok(HttpResponse::Conflict().json(SuggestionsStale {
            error: ErrorDetail {
                code: "suggestions_stale".into(),
                message: "None of these suggestions fits the schedule as it is now. Suggest again."
                    .into(),
                fields: None,
                reasons: None,
            },
            applied,
            conflicts,
            weeks: Vec::new(),
        }));
    }
    Ok(HttpResponse::Ok().json(ApplySuggestionsResult {
        applied,
        conflicts,
        weeks: versions
            .into_iter()
            .map(|(week_id, version)| WeekVersion { week_id, version })
            .collect(),
    }))
}

fn settings_dto(s: FillSettings) -> AutofillSettings {
    let w = s.weights;
    AutofillSettings {
        allow_borrowing: s.allow_borrowing,
        weights: dto::FillWeights {
            contract_hours: i64::from(w.contract_hours),
            preferred: i64::from(w.preferred),
            interest: i64::from(w.interest),
            fair_spread: i64::from(w.fair_spread),
            competency_margin: i64::from(w.competency_margin),
            home_venue: i64::from(w.home_venue),
            few_split_days: i64::from(w.few_split_days),
        },
    }
}

/// Settings as typed: every weight 0–10 (`fields.weights.<name>: out_of_range` otherwise).
fn parse_settings(body: &AutofillSettings) -> Result<FillSettings, ApiError> {
    let w = &body.weights;
    let mut errors = FieldErrors::default();
    let mut weight = |name: &'static str, value: i64| {
        u8::try_from(value)
            .ok()
            .filter(|v| i64::from(*v) <= MAX_WEIGHT)
            .unwrap_or_else(|| {
                errors.add(name, "out_of_range");
                0
            })
    };
    let weights = FillWeights {
        contract_hours: weight("weights.contractHours", w.contract_hours),
        preferred: weight("weights.preferred", w.preferred),
        interest: weight("weights.interest", w.interest),
        fair_spread: weight("weights.fairSpread", w.fair_spread),
        competency_margin: weight("weights.competencyMargin", w.competency_margin),
        home_venue: weight("weights.homeVenue", w.home_venue),
        few_split_days: weight("weights.fewSplitDays", w.few_split_days),
    };
    errors.into_result()?;
    Ok(FillSettings {
        allow_borrowing: body.allow_borrowing,
        weights,
    })
}

/// A location's auto-fill settings: whether its open slots may be filled by crew of the manager's other
/// venues, and the weight of each soft goal.
#[utoipa::path(tag = "scheduling", params(("id" = Uuid, Path)), responses(
    (status = 200, body = AutofillSettings),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
))]
#[get("/api/locations/{id}/autofill-settings")]
pub(crate) async fn get_autofill_settings(
    current: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let location = access::location(&state, &current, *id, Action::EditSchedule).await?;
    let settings = state
        .fill
        .fill_settings(location.id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Ok().json(settings_dto(settings)))
}

/// Changes a location's auto-fill settings (managers).
#[utoipa::path(tag = "scheduling", params(("id" = Uuid, Path)), request_body = AutofillSettings, responses(
    (status = 200, body = AutofillSettings),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 422, body = ErrorBody, description = "`fields.weights.<name>`: each weight 0–10"),
))]
#[put("/api/locations/{id}/autofill-settings")]
pub(crate) async fn put_autofill_settings(
    current: CurrentUser,
    ip: ClientIp,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<AutofillSettings>,
) -> Result<HttpResponse, ApiError> {
    let location = access::location(&state, &current, *id, Action::ManageSchedule).await?;
    let settings = parse_settings(&body)?;
    let w = settings.weights;
    let audit = AuditEvent::new("location.autofill_settings")
        .actor(Some(current.user.id))
        .subject("location", location.id)
        .location(location.id)
        .ip(ip.0)
        .detail("allowBorrowing", settings.allow_borrowing.to_string())
        .detail(
            "weights",
            format!(
                "contractHours={} preferred={} interest={} fairSpread={} competencyMargin={} homeVenue={} fewSplitDays={}",
                w.contract_hours,
                w.preferred,
                w.interest,
                w.fair_spread,
                w.competency_margin,
                w.home_venue,
                w.few_split_days
            ),
        );
    state
        .fill
        .set_fill_settings(location.id, settings, audit)
        .await?;
    Ok(HttpResponse::Ok().json(settings_dto(settings)))
}
