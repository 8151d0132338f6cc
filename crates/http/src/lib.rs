//! Jianyi's HTTP API: `/api/v1` routes, authentication, problem answers and the OpenAPI document.

pub mod app;
pub mod auth;
pub mod error;
pub mod extract;
mod middleware;
pub mod openapi;
pub mod routes;

pub use app::{app, AppState};
pub use error::{ApiError, ApiResult, Problem};
