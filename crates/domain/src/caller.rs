//! Who is calling: an authenticated account or integration client, with its role and bindings.

use crate::role::Role;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The user's id, or for an integration client the client's id.
    pub id: i64,
    pub username: String,
    pub role: Role,
    pub unit_id: Option<i64>,
    pub deputy_id: Option<i64>,
    pub committee_id: Option<i64>,
    /// Scopes of an integration client (`suggestions:read`, ...); empty for people.
    pub scopes: Vec<String>,
}

impl Caller {
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }

    /// Admin manages accounts and reference data (DESIGN.md), not the content of suggestions.
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// A deputy's phone is shown whole to admin and staff only; everyone else sees it masked.
    pub fn sees_full_phone(&self) -> bool {
        matches!(self.role, Role::Admin | Role::Staff)
    }
}
