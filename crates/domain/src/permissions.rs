//! What a role may do outside the lifecycle of a suggestion (DESIGN.md, "Who may do what").

use crate::caller::Caller;
use crate::error::Refusal;
use crate::role::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Capability {
    /// Accounts and integration clients.
    ManageAccounts,
    /// Sessions, categories, units, deputies, committees.
    ManageReferenceData,
}

/// Assist opinions are between the units and the office: deputies and clients read the reply,
/// not its preparation.
pub fn may_read_assist_opinions(caller: &Caller) -> Result<(), Refusal> {
    match caller.role {
        Role::Deputy | Role::Integration => {
            Err(Refusal::Forbidden("assist opinions are between the units and the office"))
        }
        _ => Ok(()),
    }
}

/// A unit's ledger of assignments: its own staff, the office, supervisors and auditors.
/// Everyone else is answered as if the unit had none to show (not found).
pub fn may_read_unit_ledger(caller: &Caller, unit_id: i64) -> bool {
    match caller.role {
        Role::UnitHandler | Role::UnitLeader => caller.unit_id == Some(unit_id),
        Role::Staff | Role::Supervisor | Role::Auditor => true,
        _ => false,
    }
}

pub fn require(caller: &Caller, capability: Capability) -> Result<(), Refusal> {
    let allowed = match capability {
        Capability::ManageAccounts | Capability::ManageReferenceData => caller.role == Role::Admin,
    };
    if allowed {
        Ok(())
    } else {
        Err(Refusal::Forbidden(match capability {
            Capability::ManageAccounts => "only the administrator manages accounts and clients",
            Capability::ManageReferenceData => {
                "only the administrator manages sessions, categories, units, deputies and committees"
            }
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_admin_manages_accounts_and_reference_data() {
        for role in Role::ALL {
            let caller = Caller {
                id: 1,
                username: "x".into(),
                role,
                unit_id: None,
                deputy_id: None,
                committee_id: None,
                scopes: vec![],
            };
            for cap in [Capability::ManageAccounts, Capability::ManageReferenceData] {
                assert_eq!(require(&caller, cap).is_ok(), role == Role::Admin, "{role} {cap:?}");
            }
        }
    }
}
