//! The authorization matrix: every route the router has (read from the generated OpenAPI document, which is
//! built from the same registrations as the router) is called as every role and anonymously, and the
//! outcome is checked against the domain's policy table. A route without an entry here fails the test.

use crewplots_domain::hiring::{self, Note, NoteAccess, NotePriority, NoteWorkflow, NOTE_ROLES};
use crewplots_domain::policy::{self, Action, Actor, PersonAccess, Subject};
use crewplots_domain::Role;
use reqwest::Method;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::support::{browser, small_pdf, spawn_app, spawn_app_with, test_vars, TestApp, PASSWORD};

/// Who may call a route.
#[derive(Debug, Clone, Copy)]
enum Access {
    /// Anybody, logged in or not.
    Public,
    /// Any logged-in person.
    LoggedIn,
    /// Those the policy table allows the action.
    Policy(Action),
    /// Those whose access to the fixture's person (`person_access`) has this right; people the caller may
    /// not see at all answer 404.
    Person(fn(&PersonAccess) -> bool),
    /// Applicants and crew members deleting their own account.
    SelfErasure,
    /// Only these roles (the caller acts on their own records); others 403.
    Roles(&'static [Role]),
    /// Only the fixture application's applicant; everybody else 404.
    Owner,
    /// The fixture application's applicant, or staff who see its location; others 404.
    OwnerOrStaff,
    /// Internal notes about the fixture's person: 404 when the person is invisible to the caller, 403 for
    /// roles that never read notes.
    Notes,
    /// One fixture note, written by an administrator for all staff roles: 404 as for `Notes` (and for notes
    /// the caller may not read), 403 without the right.
    Note(fn(&NoteAccess) -> bool),
}

/// What a call sends as its body.
enum Body {
    Json(Value),
    /// A small PDF as the multipart part `file`.
    Pdf,
    /// A small PNG as the multipart part `file`.
    Png,
}

/// What one matrix call sends.
struct Case {
    access: Access,
    path: String,
    body: Option<Body>,
}

/// The fixture every call runs against.
struct Fixture {
    venue: Uuid,
    target: Uuid,
    /// A document of the target.
    document: Uuid,
    /// An application of the applicant caller at the venue.
    application: Uuid,
    /// An interview of that application.
    interview: Uuid,
    /// A note about the target by an administrator, visible to all staff roles.
    note: Uuid,
    /// A manager of the venue (interviewer).
    interviewer: Uuid,
    /// The venue's application code.
    code: String,
    /// Scheduling: a position and a competency of the venue, a template, a draft week with a shift, and a
    /// published week.
    position: Uuid,
    competency: Uuid,
    template: Uuid,
    draft_week: Uuid,
    draft_iso: String,
    shift: Uuid,
    published_iso: String,
    /// A cash count of the venue submitted by the crew-member caller, with a receipt.
    cash_count: Uuid,
}

/// The path placeholder for a document that the call may delete: replaced by a fresh one each time.
const FRESH_DOCUMENT: &str = "{fresh-document}";
/// The path placeholder for a person the call may erase: a fresh crew member of the venue each time.
const FRESH_PERSON: &str = "{fresh-person}";
/// The placeholder for an application the call may change: a fresh applicant's application each time.
const FRESH_APPLICATION: &str = "{fresh-application}";
/// The placeholder for a person who applied at the venue (retention holds): a fresh applicant each time.
const FRESH_APPLICANT: &str = "{fresh-applicant}";
/// The placeholder for a note the call may delete: a fresh note about the target each time.
const FRESH_NOTE: &str = "{fresh-note}";
/// The placeholder for an interview the call may cancel.
const FRESH_INTERVIEW: &str = "{fresh-interview}";
/// The placeholder (in a path or a body) for a shift of the draft week the call may assign to or remove.
const FRESH_SHIFT: &str = "{fresh-shift}";
/// The placeholder for an assignment the call may remove.
const FRESH_ASSIGNMENT: &str = "{fresh-assignment}";
/// The placeholder for a template the call may delete.
const FRESH_TEMPLATE: &str = "{fresh-template}";

/// The placeholder for a pending time-off request of the fixture's crew member (the target).
const FRESH_TIME_OFF: &str = "{fresh-time-off}";

/// Knowledge base: a fresh published must-read article of the venue, a category of it, an image of it.
const FRESH_KB_ARTICLE: &str = "{fresh-kb-article}";
const FRESH_KB_CATEGORY: &str = "{fresh-kb-category}";
const FRESH_KB_IMAGE: &str = "{fresh-kb-image}";

fn small_png() -> Vec<u8> {
    let mut bytes = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    bytes.extend(std::iter::repeat_n(1u8, 64));
    bytes
}

/// Replaces the knowledge-base placeholders of `path` with things the administrator makes at the venue.
async fn knowledge_placeholders(
    app: &TestApp,
    admin: &reqwest::Client,
    venue: Uuid,
    path: &str,
) -> String {
    let mut path = path.to_string();
    if path.contains(FRESH_KB_ARTICLE) {
        let id = created(
            app,
            admin,
            "/api/knowledge/articles",
            json!({"locationId": venue, "title": "Matrix article", "bodyHtml": "<p>Matrix</p>", "mustRead": true}),
            "/article/id",
        )
        .await;
        created(
            app,
            admin,
            &format!("/api/knowledge/articles/{id}/publish"),
            json!({}),
            "/article/id",
        )
        .await;
        path = path.replace(FRESH_KB_ARTICLE, &id.to_string());
    }
    if path.contains(FRESH_KB_CATEGORY) {
        let id = created(
            app,
            admin,
            "/api/knowledge/categories",
            json!({"locationId": venue, "name": format!("K {}", Uuid::new_v4().simple())}),
            "/id",
        )
        .await;
        path = path.replace(FRESH_KB_CATEGORY, &id.to_string());
    }
    if path.contains(FRESH_KB_IMAGE) {
        let part = reqwest::multipart::Part::bytes(small_png()).file_name("m.png");
        let response = admin
            .post(app.url(&format!("/api/knowledge/images?location={venue}")))
            .multipart(reqwest::multipart::Form::new().part("file", part))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
        let id = response.json::<Value>().await.unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string();
        path = path.replace(FRESH_KB_IMAGE, &id);
    }
    path
}

/// A date `days` ahead, as `YYYY-MM-DD`.
fn days_ahead(days: i64) -> String {
    (crate::support::venue_today() + chrono::Duration::days(days)).to_string()
}

/// An interview slot no other call of this run has: a random day could repeat one (the same interviewer then
/// answers 422 `interview_overlap`; that failed the matrix once in four fresh-clone CI runs here).
fn future_slot(interviewer: Uuid) -> Value {
    static NEXT_DAY: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(30);
    let days = NEXT_DAY.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let date = (chrono::Utc::now() + chrono::Duration::days(days)).date_naive();
    json!({"date": date.to_string(), "time": "10:00", "durationMinutes": 30, "place": "Bar",
           "interviewerId": interviewer})
}

fn case_for(method: &str, route: &str, f: &Fixture) -> Option<Case> {
    let unique = Uuid::new_v4().simple().to_string();
    let person = |right: fn(&PersonAccess) -> bool| Access::Person(right);
    let (access, path, body): (Access, String, Option<Value>) = match (method, route) {
        ("GET", "/health") | ("GET", "/health/ready") | ("GET", "/api/openapi.json") => {
            (Access::Public, route.to_string(), None)
        }
        // Without a configured token the endpoint does not exist for anybody.
        ("GET", "/metrics") => (Access::Public, route.to_string(), None),
        ("GET", "/api/public/locations/{code}") => (
            Access::Public,
            "/api/public/locations/NOSUCHCODE".into(),
            None,
        ),
        ("POST", "/api/auth/register") => (
            Access::Public,
            route.into(),
            Some(
                json!({"firstName": "M", "lastName": "X", "email": format!("{unique}@example.test"),
                        "username": format!("m{}", &unique[..12]), "password": "matrix password",
                        "phone": "0612345678", "privacyConsent": {"version": "2026-11", "accepted": true}}),
            ),
        ),
        ("POST", "/api/auth/login") => (
            Access::Public,
            route.into(),
            Some(json!({"login": "nobody", "password": "nothing here"})),
        ),
        ("POST", "/api/auth/logout") => (Access::Public, route.into(), None),
        ("POST", "/api/auth/password-reset") => (
            Access::Public,
            route.into(),
            Some(json!({"email": "x@example.test"})),
        ),
        ("POST", "/api/auth/password-reset/confirm") => (
            Access::Public,
            route.into(),
            Some(json!({"token": "not-a-token", "newPassword": "a new password"})),
        ),
        ("GET", "/api/auth/me") => (Access::LoggedIn, route.into(), None),
        ("POST", "/api/auth/password") => (
            Access::LoggedIn,
            route.into(),
            Some(json!({"currentPassword": "not the password", "newPassword": "a new password"})),
        ),
        ("GET", "/api/locations") => (Access::Policy(Action::ViewLocations), route.into(), None),
        ("POST", "/api/locations") => (
            Access::Policy(Action::CreateLocation),
            route.into(),
            Some(json!({"name": "Matrix"})),
        ),
        ("GET", "/api/admin/users") => (Access::Policy(Action::ListUsers), route.into(), None),
        ("POST", "/api/admin/users") => (
            Access::Policy(Action::ManageUsers),
            route.into(),
            Some(
                json!({"firstName": "N", "lastName": "Y", "email": format!("{unique}@example.test"),
                        "username": format!("n{}", &unique[..12]), "role": "crew_member", "locationIds": [f.venue]}),
            ),
        ),
        ("PATCH", "/api/admin/users/{id}") => (
            Access::Policy(Action::ManageUsers),
            format!("/api/admin/users/{}", f.target),
            Some(json!({"role": "floor_manager"})),
        ),
        ("POST", "/api/admin/users/{id}/revoke-sessions") => (
            Access::Policy(Action::ManageUsers),
            format!("/api/admin/users/{}/revoke-sessions", f.target),
            None,
        ),
        ("GET", "/api/admin/outbox") => (Access::Policy(Action::ViewOutbox), route.into(), None),
        ("GET", "/api/people/{id}/profile") => (
            person(|a| a.visible),
            format!("/api/people/{}/profile", f.target),
            None,
        ),
        ("PUT", "/api/people/{id}/profile") => (
            person(|a| a.edit_profile),
            format!("/api/people/{}/profile", f.target),
            Some(json!({"phone": "0612345678"})),
        ),
        ("GET", "/api/people/{id}/documents") => (
            person(|a| a.documents),
            format!("/api/people/{}/documents", f.target),
            None,
        ),
        ("POST", "/api/people/{id}/documents") => {
            return Some(Case {
                access: person(|a| a.manage_documents),
                path: format!("/api/people/{}/documents?kind=other", f.target),
                body: Some(Body::Pdf),
            })
        }
        ("GET", "/api/documents/{id}/content") => (
            person(|a| a.documents),
            format!("/api/documents/{}/content", f.document),
            None,
        ),
        ("DELETE", "/api/documents/{id}") => (
            person(|a| a.manage_documents),
            format!("/api/documents/{FRESH_DOCUMENT}"),
            None,
        ),
        ("POST", "/api/documents/{id}/review") => (
            person(|a| a.review_documents),
            format!("/api/documents/{}/review", f.document),
            Some(json!({"decision": "approved"})),
        ),
        ("GET", "/api/documents/expiring") | ("GET", "/api/documents/review-queue") => {
            (Access::Policy(Action::ReviewDocuments), route.into(), None)
        }
        ("GET", "/api/me/export") => (Access::LoggedIn, route.into(), None),
        // Erases the caller: the matrix calls it as a throwaway account of each role.
        ("DELETE", "/api/me") => (Access::SelfErasure, route.into(), None),
        ("DELETE", "/api/people/{id}") => (
            Access::Policy(Action::ErasePeople),
            format!("/api/people/{FRESH_PERSON}"),
            None,
        ),
        ("GET", "/api/locations/{id}") | ("GET", "/api/locations/{id}/staff") => (
            Access::Policy(Action::ViewLocations),
            route.replace("{id}", &f.venue.to_string()),
            None,
        ),
        ("GET", "/api/locations/{id}/poster") => (
            Access::Policy(Action::ViewLocations),
            format!("/api/locations/{}/poster?format=svg", f.venue),
            None,
        ),
        ("PATCH", "/api/locations/{id}") => (
            Access::Policy(Action::EditLocation),
            format!("/api/locations/{}", f.venue),
            Some(json!({"contactPhone": "020 123 4567"})),
        ),
        ("GET", "/api/me/applications") => (Access::LoggedIn, route.into(), None),
        ("POST", "/api/applications") => (
            Access::Roles(&[Role::Applicant, Role::CrewMember]),
            route.into(),
            Some(json!({"locationCode": f.code, "position": "Bartender"})),
        ),
        ("POST", "/api/applications/manual") => (
            Access::Policy(Action::ManageApplications),
            route.into(),
            Some(
                json!({"locationId": f.venue, "firstName": "Walk", "lastName": "In",
                        "email": format!("{unique}@example.test"), "position": "Runner"}),
            ),
        ),
        ("GET", "/api/applications/board") => (
            Access::Policy(Action::ViewApplications),
            format!("/api/applications/board?location={}", f.venue),
            None,
        ),
        ("POST", "/api/applications/bulk-status") => (
            Access::Policy(Action::ManageApplications),
            route.into(),
            Some(json!({"ids": [FRESH_APPLICATION], "to": "contacted"})),
        ),
        ("GET", "/api/applications/{id}") => (
            Access::Policy(Action::ViewApplications),
            format!("/api/applications/{}", f.application),
            None,
        ),
        ("POST", "/api/applications/{id}/status") => (
            Access::Policy(Action::ManageApplications),
            format!("/api/applications/{FRESH_APPLICATION}/status"),
            Some(json!({"to": "contacted"})),
        ),
        ("POST", "/api/applications/{id}/hire") => (
            Access::Policy(Action::ManageApplications),
            format!("/api/applications/{FRESH_APPLICATION}/hire"),
            Some(json!({"position": "Bartender", "startDate": "2027-01-01"})),
        ),
        ("POST", "/api/applications/{id}/interviews") => (
            Access::Policy(Action::ManageApplications),
            format!("/api/applications/{FRESH_APPLICATION}/interviews"),
            Some(future_slot(f.interviewer)),
        ),
        ("POST", "/api/applications/{id}/withdraw") => (
            Access::Owner,
            format!("/api/applications/{}/withdraw", f.application),
            None,
        ),
        ("GET", "/api/applications/{id}/letter") => (
            Access::OwnerOrStaff,
            format!("/api/applications/{}/letter", f.application),
            None,
        ),
        ("PUT", "/api/applications/{id}/letter") => (
            Access::Owner,
            format!("/api/applications/{}/letter", f.application),
            Some(json!({"html": "<p>Motivated.</p>"})),
        ),
        ("PATCH", "/api/interviews/{id}") => (
            Access::Policy(Action::ManageApplications),
            format!("/api/interviews/{}", f.interview),
            Some(future_slot(f.interviewer)),
        ),
        ("POST", "/api/interviews/{id}/cancel") => (
            Access::Policy(Action::ManageApplications),
            format!("/api/interviews/{FRESH_INTERVIEW}/cancel"),
            Some(json!({})),
        ),
        ("POST", "/api/interviews/{id}/outcome") => (
            Access::Policy(Action::ManageApplications),
            format!("/api/interviews/{}/outcome", f.interview),
            Some(json!({"outcome": "passed"})),
        ),
        ("GET", "/api/interviews/{id}/ics") => (
            Access::OwnerOrStaff,
            format!("/api/interviews/{}/ics", f.interview),
            None,
        ),
        ("GET", "/api/people/{id}/notes") => (
            Access::Notes,
            format!("/api/people/{}/notes", f.target),
            None,
        ),
        ("POST", "/api/people/{id}/notes") => (
            Access::Notes,
            format!("/api/people/{}/notes", f.target),
            Some(json!({"html": "<p>Reliable.</p>"})),
        ),
        ("PATCH", "/api/notes/{id}") => (
            Access::Note(|a| a.edit),
            format!("/api/notes/{}", f.note),
            Some(json!({"priority": "high"})),
        ),
        ("DELETE", "/api/notes/{id}") => (
            Access::Note(|a| a.delete),
            format!("/api/notes/{FRESH_NOTE}"),
            None,
        ),
        ("GET", "/api/locations/{id}/positions") | ("GET", "/api/locations/{id}/competencies") => (
            Access::Policy(Action::ViewCrew),
            route.replace("{id}", &f.venue.to_string()),
            None,
        ),
        ("POST", "/api/locations/{id}/positions")
        | ("POST", "/api/locations/{id}/competencies") => (
            Access::Policy(Action::ManageCrew),
            route.replace("{id}", &f.venue.to_string()),
            Some(json!({"name": format!("M {}", &unique[..10])})),
        ),
        ("PATCH", "/api/positions/{id}") => (
            Access::Policy(Action::ManageCrew),
            format!("/api/positions/{}", f.position),
            Some(json!({"archived": false})),
        ),
        ("PATCH", "/api/competencies/{id}") => (
            Access::Policy(Action::ManageCrew),
            format!("/api/competencies/{}", f.competency),
            Some(json!({"archived": false})),
        ),
        ("GET", "/api/locations/{id}/crew") => (
            Access::Policy(Action::ViewCrew),
            format!("/api/locations/{}/crew", f.venue),
            None,
        ),
        ("GET", "/api/locations/{id}/crew/candidates") => (
            Access::Policy(Action::ManageCrew),
            format!("/api/locations/{}/crew/candidates", f.venue),
            None,
        ),
        ("POST", "/api/locations/{id}/crew") => (
            Access::Policy(Action::ManageCrew),
            format!("/api/locations/{}/crew", f.venue),
            Some(json!({"userId": f.target})),
        ),
        ("PATCH", "/api/locations/{id}/crew/{userId}") => (
            Access::Policy(Action::ManageCrew),
            format!("/api/locations/{}/crew/{}", f.venue, f.target),
            Some(json!({"contractedHours": 20})),
        ),
        ("GET", "/api/crew/{userId}") => (
            Access::Policy(Action::ViewCrew),
            format!("/api/crew/{}", f.target),
            None,
        ),
        ("PUT", "/api/crew/{userId}/competencies/{competencyId}") => (
            Access::Policy(Action::ManageCrew),
            format!("/api/crew/{}/competencies/{}", f.target, f.competency),
            Some(json!({"level": 3})),
        ),
        ("GET", "/api/locations/{id}/templates") => (
            Access::Policy(Action::EditSchedule),
            format!("/api/locations/{}/templates", f.venue),
            None,
        ),
        ("POST", "/api/locations/{id}/templates") => (
            Access::Policy(Action::ManageSchedule),
            format!("/api/locations/{}/templates", f.venue),
            Some(json!({"name": format!("T {}", &unique[..10]), "shifts": [
                {"weekday": 1, "positionId": f.position, "start": "10:00", "end": "14:00", "slots": 1}]})),
        ),
        ("GET", "/api/templates/{id}") => (
            Access::Policy(Action::EditSchedule),
            format!("/api/templates/{}", f.template),
            None,
        ),
        ("PUT", "/api/templates/{id}") => (
            Access::Policy(Action::ManageSchedule),
            format!("/api/templates/{}", f.template),
            Some(json!({"name": "Matrix template", "shifts": []})),
        ),
        ("DELETE", "/api/templates/{id}") => (
            Access::Policy(Action::ManageSchedule),
            format!("/api/templates/{FRESH_TEMPLATE}"),
            None,
        ),
        ("GET", "/api/locations/{id}/weeks") => (
            Access::Policy(Action::EditSchedule),
            format!("/api/locations/{}/weeks", f.venue),
            None,
        ),
        ("POST", "/api/locations/{id}/weeks") => {
            let n = Uuid::new_v4().as_u128();
            let iso = format!(
                "{}-W{:02}",
                2031 + (n % 60) as u32,
                1 + ((n >> 8) % 52) as u32
            );
            (
                Access::Policy(Action::ManageSchedule),
                format!("/api/locations/{}/weeks", f.venue),
                Some(json!({"isoWeek": iso, "source": "empty"})),
            )
        }
        ("GET", "/api/locations/{id}/weeks/{isoWeek}") => (
            Access::Policy(Action::EditSchedule),
            format!("/api/locations/{}/weeks/{}", f.venue, f.draft_iso),
            None,
        ),
        ("GET", "/api/locations/{id}/schedule/{isoWeek}") => (
            Access::Policy(Action::ViewSchedule),
            format!("/api/locations/{}/schedule/{}", f.venue, f.published_iso),
            None,
        ),
        ("PUT", "/api/locations/{id}/scheduling-rules") => (
            Access::Policy(Action::ManageSchedule),
            format!("/api/locations/{}/scheduling-rules", f.venue),
            Some(json!({"minRestMinutes": 660, "weeklyMaxMinutes": 2880})),
        ),
        ("GET", "/api/weeks/{id}/publish-preview") => (
            Access::Policy(Action::ManageSchedule),
            format!("/api/weeks/{}/publish-preview", f.draft_week),
            None,
        ),
        // The version is stale on purpose: allowed callers get 409 `week_changed`, others 403/404.
        ("POST", "/api/weeks/{id}/publish") => (
            Access::Policy(Action::ManageSchedule),
            format!("/api/weeks/{}/publish", f.draft_week),
            Some(json!({"expectedVersion": 0})),
        ),
        ("GET", "/api/weeks/{id}/changes") => (
            Access::Policy(Action::EditSchedule),
            format!("/api/weeks/{}/changes", f.draft_week),
            None,
        ),
        ("POST", "/api/weeks/{id}/shifts") => (
            Access::Policy(Action::EditSchedule),
            format!("/api/weeks/{}/shifts", f.draft_week),
            Some(matrix_shift(f)),
        ),
        ("PATCH", "/api/shifts/{id}") => (
            Access::Policy(Action::EditSchedule),
            format!("/api/shifts/{}", f.shift),
            Some(matrix_shift(f)),
        ),
        ("DELETE", "/api/shifts/{id}") => (
            Access::Policy(Action::EditSchedule),
            format!("/api/shifts/{FRESH_SHIFT}"),
            None,
        ),
        ("GET", "/api/shifts/{id}/eligible") => (
            Access::Policy(Action::EditSchedule),
            format!("/api/shifts/{}/eligible", f.shift),
            None,
        ),
        ("POST", "/api/shifts/{id}/assignments") => (
            Access::Policy(Action::EditSchedule),
            format!("/api/shifts/{FRESH_SHIFT}/assignments"),
            Some(json!({"userId": f.target})),
        ),
        ("DELETE", "/api/assignments/{id}") => (
            Access::Policy(Action::EditSchedule),
            format!("/api/assignments/{FRESH_ASSIGNMENT}"),
            None,
        ),
        // A short budget: three allowed callers run the solver.
        ("POST", "/api/weeks/{id}/suggest-fill") => (
            Access::Policy(Action::EditSchedule),
            format!("/api/weeks/{}/suggest-fill", f.draft_week),
            Some(json!({"timeBudgetMs": 100})),
        ),
        // The target on a fresh shift: allowed callers apply it (or, when the target overlaps an earlier
        // fresh shift, get 409 `suggestions_stale`), others 403/404.
        ("POST", "/api/weeks/{id}/suggestions/apply") => (
            Access::Policy(Action::EditSchedule),
            format!("/api/weeks/{}/suggestions/apply", f.draft_week),
            Some(json!({"items": [{"shiftId": FRESH_SHIFT, "userId": f.target}]})),
        ),
        ("GET", "/api/locations/{id}/autofill-settings") => (
            Access::Policy(Action::EditSchedule),
            format!("/api/locations/{}/autofill-settings", f.venue),
            None,
        ),
        ("PUT", "/api/locations/{id}/autofill-settings") => (
            Access::Policy(Action::ManageSchedule),
            format!("/api/locations/{}/autofill-settings", f.venue),
            Some(
                json!({"allowBorrowing": false, "weights": {"contractHours": 8, "preferred": 5,
                "interest": 6, "fairSpread": 4, "competencyMargin": 2, "homeVenue": 5, "fewSplitDays": 3}}),
            ),
        ),
        ("GET", "/api/me/shifts") => (Access::Policy(Action::UseSelfService), route.into(), None),
        ("GET", "/api/me/availability") => {
            (Access::Policy(Action::UseSelfService), route.into(), None)
        }
        ("PUT", "/api/me/availability") => (
            Access::Policy(Action::UseSelfService),
            route.into(),
            Some(json!({"effectiveFrom": days_ahead(2), "windows": [
                {"weekday": 1, "kind": "unavailable"},
                {"weekday": 5, "kind": "preferred", "start": "18:00", "end": "02:00"}]})),
        ),
        ("PUT", "/api/me/unavailable-days/{date}")
        | ("DELETE", "/api/me/unavailable-days/{date}") => (
            Access::Policy(Action::UseSelfService),
            format!("/api/me/unavailable-days/{}", days_ahead(12)),
            None,
        ),
        ("GET", "/api/me/calendar-feed")
        | ("POST", "/api/me/calendar-feed")
        | ("DELETE", "/api/me/calendar-feed") => {
            (Access::Policy(Action::UseSelfService), route.into(), None)
        }
        // Nobody holds this token: 404 for everyone, never 401.
        ("GET", "/api/calendar/{token}") => {
            (Access::Public, format!("/api/calendar/{unique}.ics"), None)
        }
        ("GET", "/api/me/time-off") => (Access::Policy(Action::UseSelfService), route.into(), None),
        ("POST", "/api/me/time-off") => (
            Access::Policy(Action::UseSelfService),
            route.into(),
            Some(
                json!({"firstDay": days_ahead(20), "lastDay": days_ahead(21), "category": "vacation"}),
            ),
        ),
        // The target's request: any other caller who may use self-service finds nothing (404).
        ("POST", "/api/me/time-off/{id}/cancel") => (
            Access::Policy(Action::UseSelfService),
            format!("/api/me/time-off/{FRESH_TIME_OFF}/cancel"),
            None,
        ),
        ("GET", "/api/locations/{id}/time-off") => (
            Access::Policy(Action::ViewRequests),
            format!("/api/locations/{}/time-off", f.venue),
            None,
        ),
        ("POST", "/api/time-off/{id}/decision") => (
            Access::Policy(Action::DecideTimeOff),
            format!("/api/time-off/{FRESH_TIME_OFF}/decision"),
            Some(json!({"decision": "approved"})),
        ),
        ("GET", "/api/me/open-shifts") | ("GET", "/api/me/requests") => {
            (Access::Policy(Action::UseSelfService), route.into(), None)
        }
        // A draft week's shift: nobody can claim it (404 for crew, 403 for roles without self-service).
        ("POST", "/api/shifts/{id}/claim")
        | ("PUT", "/api/shifts/{id}/interest")
        | ("DELETE", "/api/shifts/{id}/interest") => (
            Access::Policy(Action::UseSelfService),
            route.replace("{id}", &f.shift.to_string()),
            None,
        ),
        ("POST", "/api/assignments/{id}/offer") => (
            Access::Policy(Action::UseSelfService),
            route.replace("{id}", &Uuid::new_v4().to_string()),
            None,
        ),
        ("POST", "/api/assignments/{id}/swap") => (
            Access::Policy(Action::UseSelfService),
            route.replace("{id}", &Uuid::new_v4().to_string()),
            Some(json!({"targetAssignmentId": Uuid::new_v4()})),
        ),
        ("POST", "/api/requests/{id}/accept")
        | ("POST", "/api/requests/{id}/decline")
        | ("POST", "/api/requests/{id}/withdraw") => (
            Access::Policy(Action::UseSelfService),
            route.replace("{id}", &Uuid::new_v4().to_string()),
            None,
        ),
        ("POST", "/api/requests/{id}/approve") => (
            Access::Policy(Action::ApproveShiftRequests),
            route.replace("{id}", &Uuid::new_v4().to_string()),
            None,
        ),
        ("POST", "/api/requests/{id}/deny") => (
            Access::Policy(Action::ApproveShiftRequests),
            route.replace("{id}", &Uuid::new_v4().to_string()),
            Some(json!({"reason": "Matrix"})),
        ),
        ("GET", "/api/locations/{id}/requests")
        | ("GET", "/api/locations/{id}/request-settings") => (
            Access::Policy(Action::ViewRequests),
            route.replace("{id}", &f.venue.to_string()),
            None,
        ),
        ("PUT", "/api/locations/{id}/request-settings") => (
            Access::Policy(Action::ManageSchedule),
            route.replace("{id}", &f.venue.to_string()),
            Some(
                json!({"claimsNeedApproval": true, "swapsNeedApproval": true, "cutoffMinutes": 720}),
            ),
        ),
        ("POST", "/api/locations/{id}/requests/approve") => (
            Access::Policy(Action::ApproveShiftRequests),
            route.replace("{id}", &f.venue.to_string()),
            Some(json!({"ids": [Uuid::new_v4()]})),
        ),
        ("GET", "/api/requests/counts") => {
            (Access::Policy(Action::ViewRequests), route.into(), None)
        }
        ("GET", "/api/dashboard") => (
            Access::Policy(Action::ViewDashboard),
            format!("/api/dashboard?location={}", f.venue),
            None,
        ),
        ("GET", "/api/settings/public") => (Access::Public, route.into(), None),
        ("GET", "/api/people/{id}/retention") | ("DELETE", "/api/people/{id}/retention-hold") => (
            Access::Policy(Action::HoldRetention),
            route.replace("{id}", FRESH_APPLICANT),
            None,
        ),
        ("PUT", "/api/people/{id}/retention-hold") => (
            Access::Policy(Action::HoldRetention),
            route.replace("{id}", FRESH_APPLICANT),
            Some(json!({"reason": "Matrix: legal claim pending"})),
        ),
        ("GET", "/api/me/notifications") | ("GET", "/api/me/notification-settings") => {
            (Access::LoggedIn, route.into(), None)
        }
        ("POST", "/api/me/notifications/read") => (Access::LoggedIn, route.into(), Some(json!({}))),
        ("GET", "/api/exports/hours") => (
            Access::Policy(Action::ExportData),
            format!(
                "/api/exports/hours?location={}&from={}&to={}",
                f.venue,
                days_ahead(0),
                days_ahead(30)
            ),
            None,
        ),
        ("GET", "/api/exports/applications") => {
            (Access::Policy(Action::ExportData), route.into(), None)
        }
        ("GET", "/api/exports/audit") | ("GET", "/api/audit") => {
            (Access::Policy(Action::ViewAudit), route.into(), None)
        }
        ("GET", "/api/locations/{id}/hours-locks") => (
            Access::Policy(Action::ExportData),
            route.replace("{id}", &f.venue.to_string()),
            None,
        ),
        // A random far-future day per call, so allowed callers get 201 (or 409 on a rare repeat), never 403.
        ("POST", "/api/locations/{id}/hours-locks") => {
            let day = days_ahead(400 + (Uuid::new_v4().as_u128() % 20_000) as i64);
            (
                Access::Policy(Action::ExportData),
                route.replace("{id}", &f.venue.to_string()),
                Some(json!({"from": day, "to": day})),
            )
        }
        ("POST", "/api/locations/{id}/cash-counts") => (
            Access::Policy(Action::CountCash),
            route.replace("{id}", &f.venue.to_string()),
            Some(
                json!({"clientKey": Uuid::new_v4(), "type": "closing", "expected": "1",
                        "lines": [{"denomination": 100, "quantity": 1}]}),
            ),
        ),
        ("GET", "/api/locations/{id}/cash-counts") => (
            Access::Policy(Action::ViewCash),
            route.replace("{id}", &f.venue.to_string()),
            None,
        ),
        ("GET", "/api/locations/{id}/cash-counts/expected") => (
            Access::Policy(Action::CountCash),
            format!(
                "/api/locations/{}/cash-counts/expected?type=closing",
                f.venue
            ),
            None,
        ),
        // Crew members see only their own submissions: the fixture count is the crew caller's.
        ("GET", "/api/cash-counts/{id}") | ("GET", "/api/cash-counts/{id}/receipt") => (
            Access::Policy(Action::ViewCash),
            route.replace("{id}", &f.cash_count.to_string()),
            None,
        ),
        // The first allowed caller decides (200), later ones find it decided (409).
        ("POST", "/api/cash-counts/{id}/approve") => (
            Access::Policy(Action::ApproveCash),
            route.replace("{id}", &f.cash_count.to_string()),
            Some(json!({})),
        ),
        ("POST", "/api/cash-counts/{id}/dispute") => (
            Access::Policy(Action::ApproveCash),
            route.replace("{id}", &f.cash_count.to_string()),
            Some(json!({"reason": "Matrix"})),
        ),
        // The fixture count has its receipt: allowed callers get 409, never 403.
        ("POST", "/api/cash-counts/{id}/receipt") => {
            return Some(Case {
                access: Access::Policy(Action::CountCash),
                path: route.replace("{id}", &f.cash_count.to_string()),
                body: Some(Body::Pdf),
            })
        }
        // Crew members see their own counts but not the venue's totals.
        ("GET", "/api/locations/{id}/cash-summary") => (
            Access::Roles(&[Role::Administrator, Role::Manager, Role::FloorManager]),
            format!(
                "/api/locations/{}/cash-summary?week={}",
                f.venue, f.draft_iso
            ),
            None,
        ),
        ("GET", "/api/locations/{id}/cash-settings") => (
            Access::Policy(Action::CountCash),
            route.replace("{id}", &f.venue.to_string()),
            None,
        ),
        ("PUT", "/api/locations/{id}/cash-settings") => (
            Access::Policy(Action::ApproveCash),
            route.replace("{id}", &f.venue.to_string()),
            Some(json!({"tolerance": "5.00"})),
        ),
        ("GET", "/api/exports/cash") => (
            Access::Policy(Action::ExportData),
            format!(
                "/api/exports/cash?location={}&from={}&to={}",
                f.venue,
                days_ahead(-7),
                days_ahead(0)
            ),
            None,
        ),
        ("GET", "/api/knowledge/categories")
        | ("GET", "/api/knowledge/articles")
        | ("GET", "/api/knowledge/must-read") => {
            (Access::Policy(Action::ReadKnowledge), route.into(), None)
        }
        ("POST", "/api/knowledge/categories") => (
            Access::Policy(Action::EditKnowledge),
            route.into(),
            Some(json!({"locationId": f.venue, "name": format!("C {}", &unique[..10])})),
        ),
        ("PATCH", "/api/knowledge/categories/{id}")
        | ("DELETE", "/api/knowledge/categories/{id}") => (
            Access::Policy(Action::EditKnowledge),
            route.replace("{id}", FRESH_KB_CATEGORY),
            Some(json!({"sortOrder": 3})),
        ),
        ("POST", "/api/knowledge/articles") => (
            Access::Policy(Action::EditKnowledge),
            route.into(),
            Some(json!({"locationId": f.venue, "title": "Matrix", "bodyHtml": "<p>Matrix</p>"})),
        ),
        ("GET", "/api/knowledge/articles/{id}") => (
            Access::Policy(Action::ReadKnowledge),
            route.replace("{id}", FRESH_KB_ARTICLE),
            None,
        ),
        ("PUT", "/api/knowledge/articles/{id}") => (
            Access::Policy(Action::EditKnowledge),
            route.replace("{id}", FRESH_KB_ARTICLE),
            Some(
                json!({"expectedVersion": 1, "title": "Matrix 2", "bodyHtml": "<p>Two</p>", "mustRead": true}),
            ),
        ),
        ("POST", "/api/knowledge/articles/{id}/publish")
        | ("POST", "/api/knowledge/articles/{id}/unpublish") => (
            Access::Policy(Action::EditKnowledge),
            route.replace("{id}", FRESH_KB_ARTICLE),
            Some(json!({})),
        ),
        ("DELETE", "/api/knowledge/articles/{id}")
        | ("GET", "/api/knowledge/articles/{id}/versions") => (
            Access::Policy(Action::EditKnowledge),
            route.replace("{id}", FRESH_KB_ARTICLE),
            None,
        ),
        ("GET", "/api/knowledge/articles/{id}/versions/{n}") => (
            Access::Policy(Action::EditKnowledge),
            format!("/api/knowledge/articles/{FRESH_KB_ARTICLE}/versions/1"),
            None,
        ),
        ("POST", "/api/knowledge/articles/{id}/confirm-read") => (
            Access::Policy(Action::ReadKnowledge),
            route.replace("{id}", FRESH_KB_ARTICLE),
            Some(json!({})),
        ),
        ("GET", "/api/knowledge/articles/{id}/read-status") => (
            Access::Policy(Action::ViewReadConfirmations),
            route.replace("{id}", FRESH_KB_ARTICLE),
            None,
        ),
        ("GET", "/api/knowledge/search") => (
            Access::Policy(Action::ReadKnowledge),
            "/api/knowledge/search?q=matrix%20OR%20-fiets".into(),
            None,
        ),
        ("POST", "/api/knowledge/images") => {
            return Some(Case {
                access: Access::Policy(Action::EditKnowledge),
                path: format!("/api/knowledge/images?location={}", f.venue),
                body: Some(Body::Png),
            })
        }
        ("GET", "/api/knowledge/images/{id}") => (
            Access::Policy(Action::ReadKnowledge),
            route.replace("{id}", FRESH_KB_IMAGE),
            None,
        ),
        ("PUT", "/api/me/notification-settings") => (
            Access::LoggedIn,
            route.into(),
            Some(json!({"kind": "shift_offered", "email": false})),
        ),
        _ => return None,
    };
    Some(Case {
        access,
        path,
        body: body.map(Body::Json),
    })
}

/// A shift on the draft week's Tuesday, at a random hour so repeated calls do not overlap.
fn matrix_shift(f: &Fixture) -> Value {
    let week = crewplots_domain::scheduling::time::IsoWeek::parse(&f.draft_iso).unwrap();
    let hour = 6 + (Uuid::new_v4().as_u128() % 14) as u32;
    json!({"date": week.days()[1], "positionId": f.position, "start": format!("{hour:02}:00"),
           "end": format!("{:02}:30", hour + 1), "slots": 2})
}

/// Creates something through the API as the administrator and returns the id at `pointer`.
async fn created(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    body: Value,
    pointer: &str,
) -> Uuid {
    let response = client.post(app.url(path)).json(&body).send().await.unwrap();
    let status = response.status();
    let value: Value = response.json().await.unwrap();
    assert!(status.is_success(), "{path}: {value}");
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap()
        .parse()
        .unwrap()
}

/// The expected answer: `Ok(())` for access, `Err((status, code))` for a refusal. `owner` is the fixture
/// application's applicant, `note` the fixture note.
fn expected(
    access: Access,
    caller: Option<&Actor>,
    target: &Subject,
    owner: Uuid,
    note: &Note,
) -> Result<(), (u16, &'static str)> {
    const NOT_FOUND: (u16, &str) = (404, "not_found");
    match (access, caller) {
        (Access::Public, _) => Ok(()),
        (_, None) => Err((401, "unauthorized")),
        (Access::LoggedIn, Some(_)) => Ok(()),
        (Access::Policy(action), Some(actor)) => {
            if policy::allows(actor.role, action) {
                Ok(())
            } else {
                Err((403, "forbidden"))
            }
        }
        (Access::Roles(roles), Some(actor)) => {
            if roles.contains(&actor.role) {
                Ok(())
            } else {
                Err((403, "forbidden"))
            }
        }
        (Access::Owner, Some(actor)) => {
            if actor.id == owner {
                Ok(())
            } else {
                Err(NOT_FOUND)
            }
        }
        (Access::OwnerOrStaff, Some(actor)) => {
            // The fixture application is at the venue every staff caller works at.
            if actor.id == owner || policy::allows(actor.role, Action::ViewApplications) {
                Ok(())
            } else {
                Err(NOT_FOUND)
            }
        }
        (Access::Notes | Access::Note(_), Some(actor)) => {
            if !policy::person_access(actor, target).visible {
                return Err(NOT_FOUND);
            }
            if !policy::allows(actor.role, Action::WriteNotes) {
                return Err((403, "forbidden"));
            }
            match access {
                Access::Note(right) => {
                    let rights = hiring::note_access(actor.id, actor.role, true, note);
                    if !rights.view {
                        Err(NOT_FOUND)
                    } else if right(&rights) {
                        Ok(())
                    } else {
                        Err((403, "forbidden"))
                    }
                }
                _ => Ok(()),
            }
        }
        (Access::SelfErasure, Some(actor)) => {
            if matches!(actor.role, Role::Applicant | Role::CrewMember) {
                Ok(())
            } else {
                Err((403, "forbidden"))
            }
        }
        (Access::Person(right), Some(actor)) => {
            let access = policy::person_access(actor, target);
            if !access.visible {
                Err((404, "not_found"))
            } else if right(&access) {
                Ok(())
            } else {
                Err((403, "forbidden"))
            }
        }
    }
}

async fn book_interview(
    app: &TestApp,
    client: &reqwest::Client,
    application: Uuid,
    interviewer: Uuid,
) -> Uuid {
    let response = client
        .post(app.url(&format!("/api/applications/{application}/interviews")))
        .json(&future_slot(interviewer))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    response.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap()
}

async fn write_note(app: &TestApp, client: &reqwest::Client, about: Uuid) -> Uuid {
    let response = client
        .post(app.url(&format!("/api/people/{about}/notes")))
        .json(&json!({"html": "<p>Fixture note</p>"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    response.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap()
}

/// Every (method, path) of the OpenAPI document.
async fn routes(app: &TestApp) -> Vec<(String, String)> {
    let document: Value = app.get("/api/openapi.json").await.json().await.unwrap();
    let mut routes = Vec::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            routes.push((method.to_uppercase(), path.clone()));
        }
    }
    routes.sort();
    routes
}

#[tokio::test]
async fn every_route_is_covered_and_answers_every_role_as_the_policy_says() {
    // Every call comes from 127.0.0.1 and the login row fails on purpose: without this the per-address
    // throttle (rightly) starts delaying the matrix's own logins.
    let mut vars = test_vars().await;
    vars.insert("CREWPLOTS__THROTTLE__DELAY_BASE_MS".into(), "0".into());
    let app = spawn_app_with(vars).await;
    app.wait_until_ready(std::time::Duration::from_secs(20))
        .await;
    let venue = app.seed_location("Matrix venue").await;
    let target = app.seed_user(Role::CrewMember, &[venue.id]).await;
    let target_client = app.login(&target.username, PASSWORD).await;
    let target_subject = Subject {
        id: target.id,
        role: Role::CrewMember,
        locations: vec![venue.id],
    };
    let mut accounts = Vec::new();
    for role in Role::ALL {
        let locations = if policy::role_needs_locations(role) {
            vec![venue.id]
        } else {
            vec![]
        };
        let seeded = app.seed_user(role, &locations).await;
        let actor = Actor {
            id: seeded.id,
            role,
            locations,
        };
        accounts.push((actor, seeded));
    }
    let account = |role: Role| {
        accounts
            .iter()
            .find(|(a, _)| a.role == role)
            .map(|(a, s)| (a.clone(), s.username.clone()))
            .unwrap()
    };
    let (applicant, _) = account(Role::Applicant);
    let (manager, _) = account(Role::Manager);
    let (_, admin_name) = account(Role::Administrator);
    let admin_client = app.login(&admin_name, PASSWORD).await;
    let application = app.seed_application(applicant.id, venue.id).await;
    let position = created(
        &app,
        &admin_client,
        &format!("/api/locations/{}/positions", venue.id),
        json!({"name": "Matrix position"}),
        "/id",
    )
    .await;
    let competency = created(
        &app,
        &admin_client,
        &format!("/api/locations/{}/competencies", venue.id),
        json!({"name": "Matrix skill"}),
        "/id",
    )
    .await;
    let template = created(
        &app,
        &admin_client,
        &format!("/api/locations/{}/templates", venue.id),
        json!({"name": "Matrix week", "shifts": []}),
        "/id",
    )
    .await;
    let this_week = crewplots_domain::scheduling::time::IsoWeek::of(crate::support::venue_today());
    let draft_iso = this_week.plus(1).unwrap().to_string();
    let published_iso = this_week.plus(2).unwrap().to_string();
    let draft_week = created(
        &app,
        &admin_client,
        &format!("/api/locations/{}/weeks", venue.id),
        json!({"isoWeek": draft_iso, "source": "empty"}),
        "/week/id",
    )
    .await;
    let published_week = created(
        &app,
        &admin_client,
        &format!("/api/locations/{}/weeks", venue.id),
        json!({"isoWeek": published_iso, "source": "empty"}),
        "/week/id",
    )
    .await;
    let response = admin_client
        .post(app.url(&format!("/api/weeks/{published_week}/publish")))
        .json(&json!({"expectedVersion": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let mut fixture = Fixture {
        venue: venue.id,
        target: target.id,
        document: app
            .upload_pdf(&target_client, target.id, "kind=other")
            .await,
        application,
        interview: book_interview(&app, &admin_client, application, manager.id).await,
        note: write_note(&app, &admin_client, target.id).await,
        interviewer: manager.id,
        code: venue.application_code.clone(),
        position,
        competency,
        template,
        draft_week,
        draft_iso,
        shift: Uuid::nil(),
        published_iso,
        cash_count: Uuid::nil(),
    };
    let (_, crew_name) = account(Role::CrewMember);
    let crew_client = app.login(&crew_name, PASSWORD).await;
    fixture.cash_count = created(
        &app,
        &crew_client,
        &format!("/api/locations/{}/cash-counts", venue.id),
        json!({"clientKey": Uuid::new_v4(), "type": "opening", "expected": "0", "lines": []}),
        "/id",
    )
    .await;
    let receipt = crew_client
        .post(app.url(&format!("/api/cash-counts/{}/receipt", fixture.cash_count)))
        .multipart(reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(small_pdf()).file_name("till.pdf"),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(receipt.status(), 201);
    fixture.shift = created(
        &app,
        &admin_client,
        &format!("/api/weeks/{draft_week}/shifts"),
        matrix_shift(&fixture),
        "/shiftId",
    )
    .await;
    let fixture = fixture;
    let admin_id = account(Role::Administrator).0.id;
    let fixture_note = Note {
        id: fixture.note,
        subject_id: target.id,
        author: Some(hiring::PersonRef {
            id: admin_id,
            name: String::new(),
            role: Role::Administrator,
        }),
        application_id: None,
        workflow: NoteWorkflow::General,
        priority: NotePriority::Normal,
        visible_roles: NOTE_ROLES.to_vec(),
        created_at: chrono::Utc::now(),
        updated_at: chrono::Utc::now(),
    };

    let routes = routes(&app).await;
    assert!(routes.len() >= 27, "{routes:?}");
    let missing: Vec<String> = routes
        .iter()
        .filter(|(m, p)| case_for(m, p, &fixture).is_none())
        .map(|(m, p)| format!("{m} {p}"))
        .collect();
    assert!(
        missing.is_empty(),
        "routes without a matrix entry: {missing:?}"
    );

    let mut checked = 0;
    for (method, route) in &routes {
        let callers: Vec<Option<(&Actor, &str)>> = std::iter::once(None)
            .chain(accounts.iter().map(|(a, s)| Some((a, s.username.as_str()))))
            .collect();
        for caller in callers {
            let mut case = case_for(method, route, &fixture).unwrap();
            if case.path.contains(FRESH_DOCUMENT) {
                let fresh = app
                    .upload_pdf(&target_client, target.id, "kind=other")
                    .await;
                case.path = case.path.replace(FRESH_DOCUMENT, &fresh.to_string());
            }
            if case.path.contains(FRESH_APPLICATION) {
                let person = app.seed_user(Role::Applicant, &[]).await;
                let fresh = app.seed_application(person.id, venue.id).await;
                case.path = case.path.replace(FRESH_APPLICATION, &fresh.to_string());
                if let Some(Body::Json(body)) = &mut case.body {
                    *body = serde_json::from_str(
                        &body
                            .to_string()
                            .replace(FRESH_APPLICATION, &fresh.to_string()),
                    )
                    .unwrap();
                }
            }
            if matches!(&case.body, Some(Body::Json(b)) if b.to_string().contains(FRESH_APPLICATION))
            {
                let person = app.seed_user(Role::Applicant, &[]).await;
                let fresh = app.seed_application(person.id, venue.id).await;
                if let Some(Body::Json(body)) = &mut case.body {
                    *body = serde_json::from_str(
                        &body
                            .to_string()
                            .replace(FRESH_APPLICATION, &fresh.to_string()),
                    )
                    .unwrap();
                }
            }
            if case.path.contains(FRESH_APPLICANT) {
                let person = app.seed_user(Role::Applicant, &[]).await;
                app.seed_application(person.id, venue.id).await;
                case.path = case.path.replace(FRESH_APPLICANT, &person.id.to_string());
            }
            if case.path.contains(FRESH_NOTE) {
                let fresh = write_note(&app, &admin_client, target.id).await;
                case.path = case.path.replace(FRESH_NOTE, &fresh.to_string());
            }
            if case.path.contains(FRESH_INTERVIEW) {
                let person = app.seed_user(Role::Applicant, &[]).await;
                let fresh = app.seed_application(person.id, venue.id).await;
                let interview = book_interview(&app, &admin_client, fresh, manager.id).await;
                case.path = case.path.replace(FRESH_INTERVIEW, &interview.to_string());
            }
            if case.path.contains(FRESH_SHIFT) {
                let fresh = created(
                    &app,
                    &admin_client,
                    &format!("/api/weeks/{}/shifts", fixture.draft_week),
                    matrix_shift(&fixture),
                    "/shiftId",
                )
                .await;
                case.path = case.path.replace(FRESH_SHIFT, &fresh.to_string());
            }
            if matches!(&case.body, Some(Body::Json(b)) if b.to_string().contains(FRESH_SHIFT)) {
                let fresh = created(
                    &app,
                    &admin_client,
                    &format!("/api/weeks/{}/shifts", fixture.draft_week),
                    matrix_shift(&fixture),
                    "/shiftId",
                )
                .await;
                if let Some(Body::Json(body)) = &mut case.body {
                    *body = serde_json::from_str(
                        &body.to_string().replace(FRESH_SHIFT, &fresh.to_string()),
                    )
                    .unwrap();
                }
            }
            if case.path.contains(FRESH_ASSIGNMENT) {
                let shift = created(
                    &app,
                    &admin_client,
                    &format!("/api/weeks/{}/shifts", fixture.draft_week),
                    matrix_shift(&fixture),
                    "/shiftId",
                )
                .await;
                let person = app.seed_user(Role::CrewMember, &[venue.id]).await;
                let fresh = created(
                    &app,
                    &admin_client,
                    &format!("/api/shifts/{shift}/assignments"),
                    json!({"userId": person.id}),
                    "/assignment/id",
                )
                .await;
                case.path = case.path.replace(FRESH_ASSIGNMENT, &fresh.to_string());
            }
            if case.path.contains(FRESH_TEMPLATE) {
                let fresh = created(
                    &app,
                    &admin_client,
                    &format!("/api/locations/{}/templates", venue.id),
                    json!({"name": format!("Fresh {}", Uuid::new_v4().simple()), "shifts": []}),
                    "/id",
                )
                .await;
                case.path = case.path.replace(FRESH_TEMPLATE, &fresh.to_string());
            }
            if case.path.contains(FRESH_TIME_OFF) {
                // A fresh login: other rows of the matrix revoke the target's sessions.
                let target_now = app.login(&target.username, PASSWORD).await;
                let fresh = created(
                    &app,
                    &target_now,
                    "/api/me/time-off",
                    json!({"firstDay": days_ahead(40), "lastDay": days_ahead(41), "category": "personal"}),
                    "/id",
                )
                .await;
                case.path = case.path.replace(FRESH_TIME_OFF, &fresh.to_string());
            }
            case.path = knowledge_placeholders(&app, &admin_client, venue.id, &case.path).await;
            if case.path.contains(FRESH_PERSON) {
                let fresh = app.seed_user(Role::CrewMember, &[venue.id]).await;
                case.path = case.path.replace(FRESH_PERSON, &fresh.id.to_string());
            }
            // A fresh login per call: some routes (login, register, logout) replace or end the session, and
            // self-erasure runs as a throwaway account of the caller's role.
            let client = match caller {
                Some((actor, _)) if matches!(case.access, Access::SelfErasure) => {
                    let throwaway = app.seed_user(actor.role, &actor.locations).await;
                    app.login(&throwaway.username, PASSWORD).await
                }
                Some((_, username)) => app.login(username, PASSWORD).await,
                None => browser(),
            };
            let mut request = client.request(
                Method::from_bytes(method.as_bytes()).unwrap(),
                app.url(&case.path),
            );
            match &case.body {
                Some(Body::Json(body)) => request = request.json(body),
                Some(Body::Pdf) => {
                    let part = reqwest::multipart::Part::bytes(small_pdf()).file_name("m.pdf");
                    request = request.multipart(reqwest::multipart::Form::new().part("file", part));
                }
                Some(Body::Png) => {
                    let part = reqwest::multipart::Part::bytes(small_png()).file_name("m.png");
                    request = request.multipart(reqwest::multipart::Form::new().part("file", part));
                }
                None => {}
            }
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            let text = response.text().await.unwrap_or_default();
            assert!(
                !text.contains("$2b$"),
                "{method} {route} returned a password hash"
            );
            let code = serde_json::from_str::<Value>(&text)
                .ok()
                .and_then(|v| v["error"]["code"].as_str().map(str::to_string))
                .unwrap_or_default();
            let actor = caller.map(|(a, _)| a);
            let who = actor.map_or("anonymous", |a| a.role.as_str());
            match expected(
                case.access,
                actor,
                &target_subject,
                applicant.id,
                &fixture_note,
            ) {
                Ok(()) => assert!(
                    status != 403
                        && !(status == 401 && code == "unauthorized")
                        && !(matches!(
                            case.access,
                            Access::Person(_)
                                | Access::Owner
                                | Access::OwnerOrStaff
                                | Access::Notes
                                | Access::Note(_)
                        ) && status == 404),
                    "{method} {route} as {who}: expected access, got {status} {text}"
                ),
                Err(refusal) => assert_eq!(
                    (status, code.as_str()),
                    refusal,
                    "{method} {route} as {who}: {text}"
                ),
            }
            assert!(status < 500, "{method} {route} as {who}: {status} {text}");
            checked += 1;
        }
    }
    assert_eq!(checked, routes.len() * 6);
}

#[tokio::test]
async fn a_manager_of_another_location_gets_404_for_its_people() {
    let app = spawn_app().await;
    let a = app.seed_location("A").await;
    let b = app.seed_location("B").await;
    let at_b = app.seed_user(Role::CrewMember, &[b.id]).await;
    let manager_a = app.seed_user(Role::Manager, &[a.id]).await;
    let client = app.login(&manager_a.username, PASSWORD).await;
    for (method, path) in [
        (Method::PATCH, format!("/api/admin/users/{}", at_b.id)),
        (
            Method::POST,
            format!("/api/admin/users/{}/revoke-sessions", at_b.id),
        ),
        (
            Method::PATCH,
            format!("/api/admin/users/{}", Uuid::new_v4()),
        ),
    ] {
        let response = client
            .request(method.clone(), app.url(&path))
            .json(&json!({"role": "floor_manager"}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404, "{method} {path}");
    }
}
