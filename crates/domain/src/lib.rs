//! Jianyi's rules, without I/O: who may do what to a suggestion, in which state, and what a valid
//! value is. The store persists what this crate decides; the HTTP layer translates.

pub mod caller;
pub mod deadlines;
pub mod error;
pub mod handling;
pub mod lifecycle;
pub mod permissions;
pub mod role;
pub mod session;
pub mod text;

pub use caller::{Caller, Scope};
pub use error::{FieldError, Refusal};
pub use lifecycle::{Action, Actor, CosignStatus, Facts, Period, Relation, ResultClass, SuggestionState};
pub use role::Role;
