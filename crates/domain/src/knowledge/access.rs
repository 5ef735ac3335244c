//! Who may read and edit what in the knowledge base, as pure functions over the actor read on this request.
//!
//! The answers follow the house rule: a role that never may is refused (403); an article of a location the
//! caller does not work at, or a draft the caller may not edit, does not exist for them (404); one they see
//! but may not change is refused (403). Group-wide things (`location: None`) are read everywhere and edited
//! by administrators only.

use uuid::Uuid;

use crate::policy::{self, Action, Actor, LocationScope, Rule};
use crate::Role;

/// Why a knowledge-base request is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denied {
    /// Answer as if it did not exist (404).
    Invisible,
    /// Visible, but not for this caller to do (403).
    NotAllowed,
}

/// Whether the actor may edit things at `location` (`None`: group-wide, administrators only).
pub fn can_edit(actor: &Actor, location: Option<Uuid>) -> bool {
    match location {
        Some(location) => policy::allows_at(actor, Action::EditKnowledge, location),
        None => policy::rule(actor.role, Action::EditKnowledge) == Rule::Any,
    }
}

/// Reading something at `location`; a draft (`published: false`) only for those who may edit it.
pub fn read(actor: &Actor, location: Option<Uuid>, published: bool) -> Result<(), Denied> {
    if !policy::allows(actor.role, Action::ReadKnowledge) {
        return Err(Denied::NotAllowed);
    }
    if let Some(location) = location {
        if !policy::allows_at(actor, Action::ReadKnowledge, location) {
            return Err(Denied::Invisible);
        }
    }
    if !published && !can_edit(actor, location) {
        return Err(Denied::Invisible);
    }
    Ok(())
}

/// Changing something that exists at `location` (its state decides whether a reader sees it at all).
pub fn edit(actor: &Actor, location: Option<Uuid>, published: bool) -> Result<(), Denied> {
    if !policy::allows(actor.role, Action::EditKnowledge) {
        return Err(Denied::NotAllowed);
    }
    read(actor, location, published)?;
    if can_edit(actor, location) {
        Ok(())
    } else {
        Err(Denied::NotAllowed)
    }
}

/// Creating something at `location`.
pub fn create(actor: &Actor, location: Option<Uuid>) -> Result<(), Denied> {
    edit(actor, location, true)
}

/// Seeing who has read a must-read article at `location`: the scope of the readers the caller may list
/// (administrators everybody; managers the people of their own locations, also for group-wide articles).
pub fn read_status(
    actor: &Actor,
    location: Option<Uuid>,
    published: bool,
) -> Result<LocationScope, Denied> {
    if !policy::allows(actor.role, Action::ViewReadConfirmations) {
        return Err(Denied::NotAllowed);
    }
    read(actor, location, published)?;
    if let Some(location) = location {
        if !policy::allows_at(actor, Action::ViewReadConfirmations, location) {
            return Err(Denied::NotAllowed);
        }
    }
    policy::scope(actor, Action::ViewReadConfirmations).ok_or(Denied::NotAllowed)
}

/// The locations whose published articles the actor reads (group-wide ones always), or `None` when the role
/// never reads the knowledge base.
pub fn read_scope(actor: &Actor) -> Option<LocationScope> {
    policy::scope(actor, Action::ReadKnowledge)
}

/// The locations whose drafts the actor sees in lists: `All` includes group-wide drafts (administrators);
/// `Only` never does. `None`: no drafts at all.
pub fn draft_scope(actor: &Actor) -> Option<LocationScope> {
    policy::scope(actor, Action::EditKnowledge)
}

/// Whether the role is asked to confirm must-read articles (the people who work shifts).
pub fn in_must_read_audience(role: Role) -> bool {
    matches!(role, Role::CrewMember | Role::FloorManager)
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn crew_read_published_articles_of_their_venue_and_group_wide_ones() {
        let crew = actor(Role::CrewMember, &[1]);
        assert_eq!(read(&crew, Some(id(1)), true), Ok(()));
        assert_eq!(read(&crew, None, true), Ok(()));
        assert_eq!(read(&crew, Some(id(2)), true), Err(Denied::Invisible));
        assert_eq!(read(&crew, Some(id(1)), false), Err(Denied::Invisible));
        assert_eq!(read(&crew, None, false), Err(Denied::Invisible));
        assert_eq!(edit(&crew, Some(id(1)), true), Err(Denied::NotAllowed));
        let applicant = actor(Role::Applicant, &[]);
        assert_eq!(read(&applicant, None, true), Err(Denied::NotAllowed));
    }

    #[test]
    fn managers_edit_their_venues_and_administrators_the_group_wide_articles() {
        let manager = actor(Role::Manager, &[1]);
        assert_eq!(edit(&manager, Some(id(1)), false), Ok(()));
        assert_eq!(edit(&manager, Some(id(2)), true), Err(Denied::Invisible));
        assert_eq!(edit(&manager, None, true), Err(Denied::NotAllowed));
        assert_eq!(read(&manager, None, false), Err(Denied::Invisible));
        assert_eq!(create(&manager, None), Err(Denied::NotAllowed));
        let admin = actor(Role::Administrator, &[]);
        assert_eq!(create(&admin, None), Ok(()));
        assert_eq!(edit(&admin, Some(id(9)), false), Ok(()));
        let floor = actor(Role::FloorManager, &[1]);
        assert_eq!(read(&floor, Some(id(1)), true), Ok(()));
        assert_eq!(create(&floor, Some(id(1))), Err(Denied::NotAllowed));
    }

    #[test]
    fn read_status_is_for_managers_scoped_to_their_people() {
        let manager = actor(Role::Manager, &[1]);
        assert_eq!(
            read_status(&manager, None, true),
            Ok(LocationScope::Only(vec![id(1)]))
        );
        assert_eq!(
            read_status(&manager, Some(id(2)), true),
            Err(Denied::Invisible)
        );
        assert_eq!(
            read_status(&actor(Role::FloorManager, &[1]), Some(id(1)), true),
            Err(Denied::NotAllowed)
        );
        assert_eq!(
            read_status(&actor(Role::Administrator, &[]), Some(id(5)), false),
            Ok(LocationScope::All)
        );
    }

    #[test]
    fn only_people_who_work_shifts_are_asked_to_confirm() {
        assert!(in_must_read_audience(Role::CrewMember));
        assert!(in_must_read_audience(Role::FloorManager));
        assert!(!in_must_read_audience(Role::Manager));
        assert!(!in_must_read_audience(Role::Administrator));
        assert!(!in_must_read_audience(Role::Applicant));
    }
}
