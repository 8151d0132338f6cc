//! The roles of DESIGN.md ("Who may do what") and the record each one is bound to.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A caller's role. Bindings: `deputy` needs a deputy, `unit_handler` and `unit_leader` a unit,
/// `committee` a committee; the others are bound to nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Deputy,
    UnitHandler,
    UnitLeader,
    Staff,
    Committee,
    Supervisor,
    Council,
    Auditor,
    Admin,
    Integration,
}

/// Which record a role must be bound to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binding {
    None,
    Unit,
    Deputy,
    Committee,
}

impl Role {
    pub const ALL: [Role; 10] = [
        Role::Deputy,
        Role::UnitHandler,
        Role::UnitLeader,
        Role::Staff,
        Role::Committee,
        Role::Supervisor,
        Role::Council,
        Role::Auditor,
        Role::Admin,
        Role::Integration,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Deputy => "deputy",
            Role::UnitHandler => "unit_handler",
            Role::UnitLeader => "unit_leader",
            Role::Staff => "staff",
            Role::Committee => "committee",
            Role::Supervisor => "supervisor",
            Role::Council => "council",
            Role::Auditor => "auditor",
            Role::Admin => "admin",
            Role::Integration => "integration",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn binding(self) -> Binding {
        match self {
            Role::Deputy => Binding::Deputy,
            Role::UnitHandler | Role::UnitLeader => Binding::Unit,
            Role::Committee => Binding::Committee,
            _ => Binding::None,
        }
    }

    /// People's accounts have passwords; `integration` is for clients, which use client credentials.
    pub fn is_person(self) -> bool {
        self != Role::Integration
    }

    pub fn is_unit(self) -> bool {
        matches!(self, Role::UnitHandler | Role::UnitLeader)
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_round_trips_through_its_name() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn bindings_follow_design() {
        assert_eq!(Role::Deputy.binding(), Binding::Deputy);
        assert_eq!(Role::UnitLeader.binding(), Binding::Unit);
        assert_eq!(Role::UnitHandler.binding(), Binding::Unit);
        assert_eq!(Role::Committee.binding(), Binding::Committee);
        assert_eq!(Role::Staff.binding(), Binding::None);
    }
}
