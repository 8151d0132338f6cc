//! The domain's refusals. Each carries a stable code that the API shows as-is.

use crate::lifecycle::{Action, SuggestionState};

/// One invalid field of an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError { field: field.into(), message: message.into() }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The caller may not see the thing: answered as if it did not exist, so existence does not leak.
    #[error("not found")]
    NotFound,
    /// The caller sees the thing but their role or relation to it does not allow the action.
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    /// The action is not allowed from the current state.
    #[error("cannot {action} a suggestion that is {state}")]
    InvalidTransition { state: SuggestionState, action: Action },
    /// Input that is well-formed but wrong.
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    /// A gate (DESIGN.md) holds the action back: what is missing, and which other gates fail too.
    #[error("{code}: missing {missing:?}")]
    Gate { code: &'static str, missing: Vec<String>, other_gates: Vec<&'static str> },
    /// A rule of the domain refuses the action (e.g. `reassignment_window_closed`).
    #[error("{detail}")]
    Rule { code: &'static str, detail: String },
}

impl Refusal {
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        Refusal::Validation(vec![FieldError::new(field, message)])
    }

    pub fn code(&self) -> &'static str {
        match self {
            Refusal::NotFound => "not_found",
            Refusal::Forbidden(_) => "forbidden",
            Refusal::InvalidTransition { .. } => "invalid_transition",
            Refusal::Validation(_) => "validation_failed",
            Refusal::Gate { code, .. } | Refusal::Rule { code, .. } => code,
        }
    }
}
