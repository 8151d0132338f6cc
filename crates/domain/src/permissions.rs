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
