//! Global roles and account states (SPEC §1). One name per concept: the same snake_case strings are used in
//! SQL, JSON and TypeScript.

use serde::{Deserialize, Serialize};

/// Exactly one global role per user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Administrator,
    Manager,
    FloorManager,
    CrewMember,
    Applicant,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Administrator,
        Role::Manager,
        Role::FloorManager,
        Role::CrewMember,
        Role::Applicant,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Administrator => "administrator",
            Self::Manager => "manager",
            Self::FloorManager => "floor_manager",
            Self::CrewMember => "crew_member",
            Self::Applicant => "applicant",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == text)
    }

    /// Staff act on locations; crew members and applicants act on themselves.
    pub fn is_staff(self) -> bool {
        matches!(
            self,
            Self::Administrator | Self::Manager | Self::FloorManager
        )
    }

    /// Rank used for "nobody can raise their own role": higher is more powerful.
    pub fn rank(self) -> u8 {
        match self {
            Self::Administrator => 4,
            Self::Manager => 3,
            Self::FloorManager => 2,
            Self::CrewMember => 1,
            Self::Applicant => 0,
        }
    }
}

/// Whether an account may log in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserStatus {
    Active,
    /// Created by staff; the person has not set a password yet.
    Invited,
    Deactivated,
}

impl UserStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Invited => "invited",
            Self::Deactivated => "deactivated",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Active, Self::Invited, Self::Deactivated]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
            let json = serde_json_like(role);
            assert_eq!(json, role.as_str());
        }
        assert_eq!(Role::parse("root"), None);
    }

    fn serde_json_like(role: Role) -> String {
        // serde's snake_case must match as_str, which SQL CHECK constraints use.
        format!("{role:?}")
            .chars()
            .enumerate()
            .flat_map(|(i, c)| {
                if c.is_uppercase() && i > 0 {
                    vec!['_', c.to_ascii_lowercase()]
                } else {
                    vec![c.to_ascii_lowercase()]
                }
            })
            .collect()
    }
}
