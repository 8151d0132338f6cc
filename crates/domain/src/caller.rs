//! Who is calling: an authenticated account or integration client, with its role and bindings.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::role::Role;

/// What an integration client may read (DESIGN.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
pub enum Scope {
    #[serde(rename = "suggestions:read")]
    SuggestionsRead,
    #[serde(rename = "events:read")]
    EventsRead,
    #[serde(rename = "public:read")]
    PublicRead,
}

impl Scope {
    pub const ALL: [Scope; 3] = [Scope::SuggestionsRead, Scope::EventsRead, Scope::PublicRead];

    /// As stored and as granted in tokens (the same text the API reads and shows).
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::SuggestionsRead => "suggestions:read",
            Scope::EventsRead => "events:read",
            Scope::PublicRead => "public:read",
        }
    }
}

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
    pub fn has_scope(&self, scope: Scope) -> bool {
        self.scopes.iter().any(|s| s == scope.as_str())
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

#[cfg(test)]
mod tests {
    use super::Scope;

    /// The API reads and shows a scope by serde's name; tokens and the store hold `as_str`.
    #[test]
    fn a_scope_has_one_name() {
        for scope in Scope::ALL {
            assert_eq!(serde_json::to_value(scope).expect("a name"), scope.as_str());
        }
    }
}
