//! The authorization policy: one table of (role, action) → scope, used by every handler.
//!
//! Handlers never test roles themselves; they ask [`scope`] or [`allows`] with the actor read from the
//! database on this request (not from the session), so a role or location change takes effect at once.
//! Location scoping is part of the answer: a manager's `OwnLocations` means "only rows of the locations in
//! `Actor::locations`".

use uuid::Uuid;

use crate::roles::Role;

/// The person making a request, as stored right now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub id: Uuid,
    pub role: Role,
    /// Locations the person is assigned to (active assignments only).
    pub locations: Vec<Uuid>,
}

/// Everything the policy decides about. New capabilities add a variant and a row in [`rule`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Read one's own account (`/api/auth/me`) and change one's own password.
    ManageOwnAccount,
    /// List staff and crew accounts.
    ListUsers,
    /// Create accounts, change role, status and locations, revoke sessions.
    ManageUsers,
    /// Read the e-mail outbox.
    ViewOutbox,
    /// List locations with their details.
    ViewLocations,
    /// Create locations.
    CreateLocation,
    /// See documents awaiting review or expiring, across people.
    ReviewDocuments,
    /// Erase a person and all their data.
    ErasePeople,
    /// See the application board and application details.
    ViewApplications,
    /// Change application status, hire, schedule interviews, add walk-in applications.
    ManageApplications,
    /// Write internal notes about people.
    WriteNotes,
    /// Edit a location's details (archiving stays with administrators: `CreateLocation`).
    EditLocation,
    /// See the published weeks of a location.
    ViewSchedule,
    /// Assign people and edit shifts of draft weeks (floor managers too).
    EditSchedule,
    /// Create weeks, publish, edit published weeks and past shifts, override rules, keep templates.
    ManageSchedule,
    /// See a location's crew, positions and competencies, and whom the rules allow on a shift.
    ViewCrew,
    /// Change the roster, positions, competencies and people's levels.
    ManageCrew,
    /// One's own shifts, calendar feed, availability and time-off requests (people who work shifts).
    UseSelfService,
    /// See the requests of a location's crew (the inbox).
    ViewRequests,
    /// Approve or deny time off of a location's crew.
    DecideTimeOff,
    /// Approve or deny claims, offers and swaps at a location; change its request settings (managers).
    ApproveShiftRequests,
    /// See the compiled dashboard of a location (SPEC §4.8).
    ViewDashboard,
    /// Download CSV exports (crew hours, applications) and lock an exported hours period.
    ExportData,
    /// Read the audit log (administrators everything, managers the rows of their locations).
    ViewAudit,
    /// Put a person on retention hold (a legal reason to keep a rejected applicant's data).
    HoldRetention,
    /// Count a location's till and correct one's counts (SPEC §4.10).
    CountCash,
    /// See a location's cash counts and summaries (crew members: only their own submissions).
    ViewCash,
    /// Approve or dispute cash counts and set a location's cash tolerance.
    ApproveCash,
    /// Read the published knowledge base of a location and group-wide articles; confirm must-read articles.
    ReadKnowledge,
    /// Write categories, articles and images of a location (group-wide ones: administrators only).
    EditKnowledge,
    /// See who has (not yet) confirmed reading a must-read article.
    ViewReadConfirmations,
}

/// Where an action may be applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    Deny,
    /// Anywhere.
    Any,
    /// Only for the actor's own locations.
    OwnLocations,
    /// Only on the actor's own records.
    OwnRecords,
}

/// The policy table.
pub fn rule(role: Role, action: Action) -> Rule {
    use Action::*;
    use Role::*;
    match (action, role) {
        (ManageOwnAccount, _) => Rule::OwnRecords,
        (ListUsers | ManageUsers, Administrator) => Rule::Any,
        (ListUsers | ManageUsers, Manager) => Rule::OwnLocations,
        (ListUsers | ManageUsers, _) => Rule::Deny,
        (ViewOutbox | CreateLocation, Administrator) => Rule::Any,
        (ViewOutbox | CreateLocation, _) => Rule::Deny,
        (ViewLocations, Administrator) => Rule::Any,
        (ViewLocations, Manager | FloorManager) => Rule::OwnLocations,
        (ViewLocations, CrewMember | Applicant) => Rule::Deny,
        (ReviewDocuments, Administrator) => Rule::Any,
        (ReviewDocuments, Manager) => Rule::OwnLocations,
        (ReviewDocuments, FloorManager | CrewMember | Applicant) => Rule::Deny,
        (ErasePeople, Administrator) => Rule::Any,
        (ErasePeople, _) => Rule::Deny,
        (ViewApplications | WriteNotes, Administrator) => Rule::Any,
        (ViewApplications | WriteNotes, Manager | FloorManager) => Rule::OwnLocations,
        (ViewApplications | WriteNotes, CrewMember | Applicant) => Rule::Deny,
        (ManageApplications | EditLocation, Administrator) => Rule::Any,
        (ManageApplications | EditLocation, Manager) => Rule::OwnLocations,
        (ManageApplications | EditLocation, FloorManager | CrewMember | Applicant) => Rule::Deny,
        (ViewSchedule, Administrator) => Rule::Any,
        (ViewSchedule, Manager | FloorManager | CrewMember) => Rule::OwnLocations,
        (ViewSchedule, Applicant) => Rule::Deny,
        (EditSchedule | ViewCrew, Administrator) => Rule::Any,
        (EditSchedule | ViewCrew, Manager | FloorManager) => Rule::OwnLocations,
        (EditSchedule | ViewCrew, CrewMember | Applicant) => Rule::Deny,
        (ManageSchedule | ManageCrew, Administrator) => Rule::Any,
        (ManageSchedule | ManageCrew, Manager) => Rule::OwnLocations,
        (ManageSchedule | ManageCrew, FloorManager | CrewMember | Applicant) => Rule::Deny,
        (UseSelfService, CrewMember | FloorManager) => Rule::OwnRecords,
        (UseSelfService, Administrator | Manager | Applicant) => Rule::Deny,
        (ViewRequests, Administrator) => Rule::Any,
        (ViewRequests, Manager | FloorManager) => Rule::OwnLocations,
        (ViewRequests, CrewMember | Applicant) => Rule::Deny,
        (DecideTimeOff, Administrator) => Rule::Any,
        (DecideTimeOff, Manager) => Rule::OwnLocations,
        (DecideTimeOff, FloorManager | CrewMember | Applicant) => Rule::Deny,
        (ApproveShiftRequests, Administrator) => Rule::Any,
        (ApproveShiftRequests, Manager | FloorManager) => Rule::OwnLocations,
        (ApproveShiftRequests, CrewMember | Applicant) => Rule::Deny,
        (ViewDashboard, Administrator) => Rule::Any,
        (ViewDashboard, Manager | FloorManager) => Rule::OwnLocations,
        (ViewDashboard, CrewMember | Applicant) => Rule::Deny,
        (ExportData | ViewAudit | HoldRetention, Administrator) => Rule::Any,
        (ExportData | ViewAudit | HoldRetention, Manager) => Rule::OwnLocations,
        (ExportData | ViewAudit | HoldRetention, FloorManager | CrewMember | Applicant) => {
            Rule::Deny
        }
        (CountCash, Administrator) => Rule::Any,
        (CountCash, Manager | FloorManager | CrewMember) => Rule::OwnLocations,
        (CountCash, Applicant) => Rule::Deny,
        (ViewCash, Administrator) => Rule::Any,
        (ViewCash, Manager | FloorManager) => Rule::OwnLocations,
        (ViewCash, CrewMember) => Rule::OwnRecords,
        (ViewCash, Applicant) => Rule::Deny,
        (ApproveCash, Administrator) => Rule::Any,
        (ApproveCash, Manager) => Rule::OwnLocations,
        (ApproveCash, FloorManager | CrewMember | Applicant) => Rule::Deny,
        (ReadKnowledge, Administrator) => Rule::Any,
        (ReadKnowledge, Manager | FloorManager | CrewMember) => Rule::OwnLocations,
        (ReadKnowledge, Applicant) => Rule::Deny,
        (EditKnowledge | ViewReadConfirmations, Administrator) => Rule::Any,
        (EditKnowledge | ViewReadConfirmations, Manager) => Rule::OwnLocations,
        (EditKnowledge | ViewReadConfirmations, FloorManager | CrewMember | Applicant) => {
            Rule::Deny
        }
    }
}

/// Which locations a listing may show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LocationScope {
    All,
    Only(Vec<Uuid>),
}

/// The scope of an action for this actor, or `None` when the action is denied.
pub fn scope(actor: &Actor, action: Action) -> Option<LocationScope> {
    match rule(actor.role, action) {
        Rule::Deny => None,
        Rule::Any | Rule::OwnRecords => Some(LocationScope::All),
        Rule::OwnLocations => Some(LocationScope::Only(actor.locations.clone())),
    }
}

/// Whether the role may perform the action at all (somewhere).
pub fn allows(role: Role, action: Action) -> bool {
    rule(role, action) != Rule::Deny
}

/// Names of the capabilities the UI shows, derived from the table.
pub fn permissions(role: Role) -> Vec<&'static str> {
    [
        (Action::ManageUsers, "users.manage"),
        (Action::ViewOutbox, "outbox.view"),
        (Action::CreateLocation, "locations.manage"),
        (Action::ReviewDocuments, "documents.review"),
        (Action::ViewApplications, "applications.view"),
        (Action::ManageApplications, "applications.manage"),
        (Action::WriteNotes, "notes.write"),
        (Action::EditLocation, "locations.edit"),
        (Action::ViewSchedule, "schedule.view"),
        (Action::EditSchedule, "schedule.edit"),
        (Action::ManageSchedule, "schedule.manage"),
        (Action::ViewCrew, "crew.view"),
        (Action::ManageCrew, "crew.manage"),
        (Action::UseSelfService, "self.service"),
        (Action::ViewRequests, "requests.view"),
        (Action::DecideTimeOff, "timeoff.decide"),
        (Action::ApproveShiftRequests, "requests.approve"),
        (Action::ViewDashboard, "dashboard.view"),
        (Action::ExportData, "exports.download"),
        (Action::ViewAudit, "audit.view"),
        (Action::HoldRetention, "retention.hold"),
        (Action::CountCash, "cash.count"),
        (Action::ViewCash, "cash.view"),
        (Action::ApproveCash, "cash.approve"),
        (Action::ReadKnowledge, "knowledge.read"),
        (Action::EditKnowledge, "knowledge.edit"),
        (Action::ViewReadConfirmations, "knowledge.confirmations"),
    ]
    .into_iter()
    .filter(|(action, _)| allows(role, *action))
    .map(|(_, name)| name)
    .collect()
}

/// What is known of an account an actor wants to see or change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    pub id: Uuid,
    pub role: Role,
    pub locations: Vec<Uuid>,
}

/// Why a change to an account is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ManageDenied {
    /// The actor may not see this account at all: answer as if it did not exist.
    #[error("not found")]
    Invisible,
    #[error("you may not give this role or these locations")]
    NotAllowed,
    #[error("you cannot change your own role or deactivate yourself")]
    OwnAccount,
}

/// Roles a manager may hand out and manage.
const MANAGER_MANAGES: [Role; 2] = [Role::CrewMember, Role::FloorManager];

fn subset(inner: &[Uuid], outer: &[Uuid]) -> bool {
    inner.iter().all(|l| outer.contains(l))
}

/// Whether `actor` may see the account `subject` in administration (404 otherwise).
pub fn can_see_user(actor: &Actor, subject: &Subject) -> bool {
    match rule(actor.role, Action::ListUsers) {
        Rule::Any => true,
        Rule::OwnLocations => {
            subject.role != Role::Administrator
                && subject
                    .locations
                    .iter()
                    .any(|l| actor.locations.contains(l))
        }
        Rule::Deny | Rule::OwnRecords => false,
    }
}

/// Checks creating (`subject` = `None`) or changing an account to `new_role` at `new_locations`, and
/// (de)activating it when `status_change` is set.
pub fn check_user_change(
    actor: &Actor,
    subject: Option<&Subject>,
    new_role: Role,
    new_locations: &[Uuid],
    status_change: bool,
) -> Result<(), ManageDenied> {
    if let Some(subject) = subject {
        if !can_see_user(actor, subject) {
            return Err(ManageDenied::Invisible);
        }
        if subject.id == actor.id && (new_role != actor.role || status_change) {
            return Err(ManageDenied::OwnAccount);
        }
    }
    match rule(actor.role, Action::ManageUsers) {
        Rule::Any => Ok(()),
        Rule::OwnLocations => {
            let subject_ok = subject.is_none_or(|s| {
                MANAGER_MANAGES.contains(&s.role) && subset(&s.locations, &actor.locations)
            });
            let change_ok = MANAGER_MANAGES.contains(&new_role)
                && !new_locations.is_empty()
                && subset(new_locations, &actor.locations);
            if subject_ok && change_ok {
                Ok(())
            } else {
                Err(ManageDenied::NotAllowed)
            }
        }
        Rule::Deny | Rule::OwnRecords => Err(ManageDenied::NotAllowed),
    }
}

/// How much of a person's sensitive profile an actor may read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfileAccess {
    None,
    /// Floor managers reach people by phone, nothing more.
    PhoneOnly,
    Full,
}

/// What an actor may do with one person's data: profile and documents (SPEC §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PersonAccess {
    /// The person exists for this actor at all; otherwise every route answers 404.
    pub visible: bool,
    pub profile: ProfileAccess,
    pub edit_profile: bool,
    /// List and download documents.
    pub documents: bool,
    /// Upload and delete documents.
    pub manage_documents: bool,
    /// Approve or reject documents.
    pub review_documents: bool,
}

impl PersonAccess {
    const NONE: Self = Self {
        visible: false,
        profile: ProfileAccess::None,
        edit_profile: false,
        documents: false,
        manage_documents: false,
        review_documents: false,
    };
}

/// The access of `actor` to the person `subject` (whose `locations` are where they work or applied).
pub fn person_access(actor: &Actor, subject: &Subject) -> PersonAccess {
    if actor.id == subject.id {
        return PersonAccess {
            visible: true,
            profile: ProfileAccess::Full,
            edit_profile: true,
            documents: true,
            manage_documents: true,
            review_documents: false,
        };
    }
    let shares_location = subject
        .locations
        .iter()
        .any(|l| actor.locations.contains(l));
    match actor.role {
        Role::Administrator => PersonAccess {
            visible: true,
            profile: ProfileAccess::Full,
            edit_profile: true,
            documents: true,
            manage_documents: true,
            review_documents: true,
        },
        Role::Manager if shares_location && subject.role != Role::Administrator => PersonAccess {
            visible: true,
            profile: ProfileAccess::Full,
            edit_profile: false,
            documents: true,
            manage_documents: true,
            review_documents: true,
        },
        Role::FloorManager if shares_location && subject.role != Role::Administrator => {
            PersonAccess {
                visible: true,
                profile: ProfileAccess::PhoneOnly,
                ..PersonAccess::NONE
            }
        }
        _ => PersonAccess::NONE,
    }
}

/// Whether `action` may be applied at `location` by this actor.
pub fn allows_at(actor: &Actor, action: Action, location: Uuid) -> bool {
    match rule(actor.role, action) {
        Rule::Any => true,
        Rule::OwnLocations => actor.locations.contains(&location),
        Rule::Deny | Rule::OwnRecords => false,
    }
}

/// What an actor may do with an application at `location` (staff only; applicants reach their own
/// applications through their portal, never through the staff routes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApplicationAccess {
    /// Otherwise every staff route answers 404 for this application.
    pub visible: bool,
    /// Status changes, hire, interviews.
    pub manage: bool,
    /// Internal notes.
    pub comment: bool,
}

pub fn application_access(actor: &Actor, location: Uuid) -> ApplicationAccess {
    ApplicationAccess {
        visible: allows_at(actor, Action::ViewApplications, location),
        manage: allows_at(actor, Action::ManageApplications, location),
        comment: allows_at(actor, Action::WriteNotes, location),
    }
}

/// How much of a location's cash counts an actor sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CashVisibility {
    /// Every count of the location.
    All,
    /// Only the counts the actor submitted (crew members, at their own locations).
    OwnSubmissions,
}

/// What of `location`'s cash counts `actor` sees: `None` when the location's cash is invisible to them.
pub fn cash_visibility(actor: &Actor, location: Uuid) -> Option<CashVisibility> {
    match rule(actor.role, Action::ViewCash) {
        Rule::Any => Some(CashVisibility::All),
        Rule::OwnLocations if actor.locations.contains(&location) => Some(CashVisibility::All),
        Rule::OwnRecords if actor.locations.contains(&location) => {
            Some(CashVisibility::OwnSubmissions)
        }
        Rule::OwnLocations | Rule::OwnRecords | Rule::Deny => None,
    }
}

/// Roles that work at locations need at least one; administrators and applicants have none.
pub fn role_needs_locations(role: Role) -> bool {
    matches!(role, Role::Manager | Role::FloorManager | Role::CrewMember)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn actor(role: Role, locations: &[u128]) -> Actor {
        Actor {
            id: id(1000),
            role,
            locations: locations.iter().copied().map(id).collect(),
        }
    }

    fn subject(role: Role, locations: &[u128]) -> Subject {
        Subject {
            id: id(2000),
            role,
            locations: locations.iter().copied().map(id).collect(),
        }
    }

    #[test]
    fn applications_are_scoped_to_the_staff_members_locations() {
        let manager = actor(Role::Manager, &[1]);
        let here = application_access(&manager, id(1));
        assert!(here.visible && here.manage && here.comment);
        assert!(!application_access(&manager, id(2)).visible);
        let floor = application_access(&actor(Role::FloorManager, &[1]), id(1));
        assert!(floor.visible && !floor.manage && floor.comment);
        let admin = application_access(&actor(Role::Administrator, &[]), id(7));
        assert!(admin.visible && admin.manage);
        for role in [Role::CrewMember, Role::Applicant] {
            let access = application_access(&actor(role, &[1]), id(1));
            assert!(!access.visible && !access.manage && !access.comment);
        }
    }

    #[test]
    fn scheduling_follows_the_capability_table() {
        let at = |role, action| allows_at(&actor(role, &[1]), action, id(1));
        for (role, view, edit, manage, crew, manage_crew) in [
            (Role::Administrator, true, true, true, true, true),
            (Role::Manager, true, true, true, true, true),
            (Role::FloorManager, true, true, false, true, false),
            (Role::CrewMember, true, false, false, false, false),
            (Role::Applicant, false, false, false, false, false),
        ] {
            assert_eq!(at(role, Action::ViewSchedule), view, "{role:?}");
            assert_eq!(at(role, Action::EditSchedule), edit, "{role:?}");
            assert_eq!(at(role, Action::ManageSchedule), manage, "{role:?}");
            assert_eq!(at(role, Action::ViewCrew), crew, "{role:?}");
            assert_eq!(at(role, Action::ManageCrew), manage_crew, "{role:?}");
        }
        for action in [
            Action::ViewSchedule,
            Action::EditSchedule,
            Action::ManageSchedule,
        ] {
            assert!(!allows_at(&actor(Role::Manager, &[1]), action, id(2)));
            assert!(!allows_at(&actor(Role::CrewMember, &[1]), action, id(2)));
        }
    }

    #[test]
    fn dashboard_exports_audit_and_holds_follow_the_capability_table() {
        use Role::*;
        // (role, dashboard, exports, audit, hold) at one of the actor's own locations.
        for (role, dashboard, exports, audit, hold) in [
            (Administrator, true, true, true, true),
            (Manager, true, true, true, true),
            (FloorManager, true, false, false, false),
            (CrewMember, false, false, false, false),
            (Applicant, false, false, false, false),
        ] {
            let at = |action| allows_at(&actor(role, &[1]), action, id(1));
            assert_eq!(at(Action::ViewDashboard), dashboard, "{role:?}");
            assert_eq!(at(Action::ExportData), exports, "{role:?}");
            assert_eq!(at(Action::ViewAudit), audit, "{role:?}");
            assert_eq!(at(Action::HoldRetention), hold, "{role:?}");
        }
        for action in [
            Action::ViewDashboard,
            Action::ExportData,
            Action::ViewAudit,
            Action::HoldRetention,
        ] {
            assert!(!allows_at(&actor(Role::Manager, &[1]), action, id(2)));
        }
    }

    #[test]
    fn cash_follows_the_capability_table() {
        use Role::*;
        // (role, count, see, approve) at one of the actor's own locations.
        for (role, count, see, approve) in [
            (Administrator, true, Some(CashVisibility::All), true),
            (Manager, true, Some(CashVisibility::All), true),
            (FloorManager, true, Some(CashVisibility::All), false),
            (
                CrewMember,
                true,
                Some(CashVisibility::OwnSubmissions),
                false,
            ),
            (Applicant, false, None, false),
        ] {
            let me = actor(role, &[1]);
            assert_eq!(allows_at(&me, Action::CountCash, id(1)), count, "{role:?}");
            assert_eq!(cash_visibility(&me, id(1)), see, "{role:?}");
            assert_eq!(
                allows_at(&me, Action::ApproveCash, id(1)),
                approve,
                "{role:?}"
            );
        }
        for role in [Manager, FloorManager, CrewMember] {
            let me = actor(role, &[1]);
            assert!(!allows_at(&me, Action::CountCash, id(2)), "{role:?}");
            assert_eq!(cash_visibility(&me, id(2)), None, "{role:?}");
            assert!(!allows_at(&me, Action::ApproveCash, id(2)), "{role:?}");
        }
        assert_eq!(
            cash_visibility(&actor(Administrator, &[]), id(9)),
            Some(CashVisibility::All)
        );
    }

    #[test]
    fn the_knowledge_base_follows_the_capability_table() {
        use Role::*;
        // (role, read, edit, read confirmations) at one of the actor's own locations.
        for (role, read, edit, confirmations) in [
            (Administrator, true, true, true),
            (Manager, true, true, true),
            (FloorManager, true, false, false),
            (CrewMember, true, false, false),
            (Applicant, false, false, false),
        ] {
            let at = |action| allows_at(&actor(role, &[1]), action, id(1));
            assert_eq!(at(Action::ReadKnowledge), read, "{role:?}");
            assert_eq!(at(Action::EditKnowledge), edit, "{role:?}");
            assert_eq!(at(Action::ViewReadConfirmations), confirmations, "{role:?}");
        }
        for action in [
            Action::ReadKnowledge,
            Action::EditKnowledge,
            Action::ViewReadConfirmations,
        ] {
            assert!(!allows_at(&actor(Role::Manager, &[1]), action, id(2)));
            assert!(!allows_at(&actor(Role::CrewMember, &[1]), action, id(2)));
        }
    }

    #[test]
    fn only_administrators_see_the_outbox_and_create_locations() {
        for role in Role::ALL {
            let admin = role == Role::Administrator;
            assert_eq!(allows(role, Action::ViewOutbox), admin);
            assert_eq!(allows(role, Action::CreateLocation), admin);
        }
    }

    #[test]
    fn managers_list_users_of_their_own_locations_only() {
        let manager = actor(Role::Manager, &[1, 2]);
        assert_eq!(
            scope(&manager, Action::ListUsers),
            Some(LocationScope::Only(vec![id(1), id(2)]))
        );
        assert!(can_see_user(&manager, &subject(Role::CrewMember, &[2, 3])));
        assert!(!can_see_user(&manager, &subject(Role::CrewMember, &[3])));
        assert!(!can_see_user(&manager, &subject(Role::Administrator, &[1])));
        assert_eq!(
            scope(&actor(Role::CrewMember, &[1]), Action::ListUsers),
            None
        );
    }

    #[test]
    fn managers_manage_crew_and_floor_managers_within_their_locations() {
        let manager = actor(Role::Manager, &[1, 2]);
        let crew = subject(Role::CrewMember, &[1]);
        assert_eq!(
            check_user_change(&manager, Some(&crew), Role::FloorManager, &[id(1)], false),
            Ok(())
        );
        assert_eq!(
            check_user_change(&manager, Some(&crew), Role::Manager, &[id(1)], false),
            Err(ManageDenied::NotAllowed)
        );
        assert_eq!(
            check_user_change(&manager, Some(&crew), Role::CrewMember, &[id(3)], false),
            Err(ManageDenied::NotAllowed)
        );
        let elsewhere = subject(Role::CrewMember, &[3]);
        assert_eq!(
            check_user_change(
                &manager,
                Some(&elsewhere),
                Role::CrewMember,
                &[id(1)],
                false
            ),
            Err(ManageDenied::Invisible)
        );
        let shared = subject(Role::CrewMember, &[1, 3]);
        assert_eq!(
            check_user_change(&manager, Some(&shared), Role::CrewMember, &[id(1)], false),
            Err(ManageDenied::NotAllowed)
        );
        assert_eq!(
            check_user_change(&manager, None, Role::CrewMember, &[id(2)], false),
            Ok(())
        );
        assert_eq!(
            check_user_change(&manager, None, Role::CrewMember, &[], false),
            Err(ManageDenied::NotAllowed)
        );
    }

    #[test]
    fn nobody_changes_their_own_role_or_deactivates_themselves() {
        let admin = actor(Role::Administrator, &[]);
        let me = Subject {
            id: admin.id,
            role: Role::Administrator,
            locations: vec![],
        };
        assert_eq!(
            check_user_change(&admin, Some(&me), Role::Manager, &[id(1)], false),
            Err(ManageDenied::OwnAccount)
        );
        assert_eq!(
            check_user_change(&admin, Some(&me), Role::Administrator, &[], true),
            Err(ManageDenied::OwnAccount)
        );
        assert_eq!(
            check_user_change(&admin, Some(&me), Role::Administrator, &[], false),
            Ok(())
        );
    }

    #[test]
    fn people_reach_their_own_data_and_staff_reach_their_locations_people() {
        let applicant = subject(Role::Applicant, &[1]);
        let own = Actor {
            id: applicant.id,
            role: Role::Applicant,
            locations: vec![],
        };
        let mine = person_access(&own, &applicant);
        assert!(mine.visible && mine.documents && mine.manage_documents && mine.edit_profile);
        assert!(!mine.review_documents, "nobody reviews their own documents");

        let manager = person_access(&actor(Role::Manager, &[1]), &applicant);
        assert!(manager.documents && manager.review_documents);
        assert_eq!(manager.profile, ProfileAccess::Full);
        assert!(!person_access(&actor(Role::Manager, &[2]), &applicant).visible);

        let floor = person_access(&actor(Role::FloorManager, &[1]), &applicant);
        assert_eq!(floor.profile, ProfileAccess::PhoneOnly);
        assert!(floor.visible && !floor.documents);

        for role in [Role::CrewMember, Role::Applicant] {
            assert_eq!(
                person_access(&actor(role, &[1]), &applicant),
                PersonAccess::NONE
            );
        }
        assert!(person_access(&actor(Role::Administrator, &[]), &applicant).review_documents);
        let admin_subject = subject(Role::Administrator, &[1]);
        assert!(!person_access(&actor(Role::Manager, &[1]), &admin_subject).visible);
    }

    fn any_role() -> impl Strategy<Value = Role> {
        prop::sample::select(Role::ALL.to_vec())
    }

    proptest! {
        /// Whatever the inputs, nobody below administrator can create or produce an account ranked at or
        /// above their own, and nobody can change their own role.
        #[test]
        fn no_change_raises_anyone_to_or_above_a_non_administrators_rank(
            actor_role in any_role(),
            subject_role in any_role(),
            new_role in any_role(),
            actor_locs in prop::collection::vec(0u128..4, 0..3),
            subject_locs in prop::collection::vec(0u128..4, 0..3),
            new_locs in prop::collection::vec(0u128..4, 0..3),
            same_person in any::<bool>(),
        ) {
            let acting = actor(actor_role, &actor_locs);
            let mut target = subject(subject_role, &subject_locs);
            if same_person {
                target.id = acting.id;
                target.role = acting.role;
            }
            let new_locs: Vec<Uuid> = new_locs.into_iter().map(id).collect();
            if check_user_change(&acting, Some(&target), new_role, &new_locs, false).is_ok() {
                if actor_role != Role::Administrator {
                    prop_assert!(new_role.rank() < actor_role.rank());
                    prop_assert!(new_locs.iter().all(|l| acting.locations.contains(l)));
                }
                if same_person {
                    prop_assert_eq!(new_role, actor_role);
                }
            }
        }
    }
}
