//! Every error the API answers is an RFC 9457 problem (`application/problem+json`), made here
//! and only here.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use jianyi_domain::{FieldError, Refusal};
use jianyi_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

/// An RFC 9457 problem: what went wrong, a stable `code` to act on, and the fields at fault.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem: `urn:jianyi:problem:<code>`.
    #[serde(rename = "type")]
    pub type_: String,
    pub title: String,
    #[schema(minimum = 400, maximum = 599)]
    pub status: u16,
    pub detail: String,
    /// Stable and machine-readable: `validation_failed`, `malformed_json`, `not_found`,
    /// `method_not_allowed`, `unsupported_media_type`, `payload_too_large`, `unauthorized`,
    /// `invalid_credentials`, `too_many_attempts`, `forbidden`, `invalid_transition`,
    /// `already_exists`, `cannot_deactivate_self`, the gates (`gate_missing_assist_opinion`,
    /// `gate_missing_consultation`, `gate_reply_incomplete`, `gate_continuation_unsolved`), the
    /// lifecycle's rules (`reassignment_window_closed`, `reassignment_pending`, `already_decided`,
    /// `already_acknowledged`, `already_assigned`, `no_proposed_lead`, `booking_closed`,
    /// `consultation_closed`, `reply_draft_exists`, `already_replied`, `reply_sent`,
    /// `feedback_given`, `initial_review_missing`, `feedback_pending`, `not_final_review`,
    /// `continuation_reply_missing`, `not_key`), `internal_error`, `service_unavailable`.
    pub code: String,
    /// For `validation_failed`: each field at fault and what is wrong with it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemField>,
    /// For `invalid_transition`: the suggestion's current state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// For `invalid_transition`: the action refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// For a gate (`gate_missing_assist_opinion`, `gate_missing_consultation`,
    /// `gate_reply_incomplete`, `gate_continuation_unsolved`): what is missing.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
    /// For a gate: the other gates that fail too.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other_gates: Vec<String>,
    /// For `internal_error`: quote it when reporting the failure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProblemField {
    /// The field's path in the input, e.g. `title` or `co_signer_ids[2]`.
    pub field: String,
    pub message: String,
}

/// An error on its way to becoming a problem answer.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    /// Boxed: errors travel through every `Result` of the API, which should stay small.
    pub problem: Box<Problem>,
    /// Seconds, for `Retry-After` on 429 and 503.
    pub retry_after: Option<i64>,
    /// Methods the resource allows, for `Allow` on 405.
    pub allow: Option<String>,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.status.as_u16(), self.problem.code, self.problem.detail)
    }
}

impl ApiError {
    pub fn new(status: StatusCode, code: &str, detail: impl Into<String>) -> ApiError {
        ApiError {
            status,
            problem: Box::new(Problem {
                type_: format!("urn:jianyi:problem:{code}"),
                title: status.canonical_reason().unwrap_or("Error").to_owned(),
                status: status.as_u16(),
                detail: detail.into(),
                code: code.to_owned(),
                errors: vec![],
                state: None,
                action: None,
                missing: vec![],
                other_gates: vec![],
                request_id: None,
            }),
            retry_after: None,
            allow: None,
        }
    }

    pub fn validation(errors: Vec<FieldError>) -> ApiError {
        let detail = match errors.as_slice() {
            [one] => format!("{} {}", one.field, one.message),
            _ => format!("{} fields are invalid", errors.len()),
        };
        let mut e = ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", detail);
        e.problem.errors = errors.into_iter().map(|f| ProblemField { field: f.field, message: f.message }).collect();
        e
    }

    pub fn field(field: &str, message: impl Into<String>) -> ApiError {
        ApiError::validation(vec![FieldError::new(field, message)])
    }

    pub fn not_found() -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such resource, or not visible to you")
    }

    pub fn unauthorized(detail: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", detail)
    }

    pub fn forbidden(detail: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", detail)
    }

    /// A failure that is not the client's: logged with its cause, answered without it.
    pub fn internal(cause: impl std::fmt::Display) -> ApiError {
        tracing::error!(error = %cause, "request failed");
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal_error", "the server failed to handle the request")
    }
}

impl From<Refusal> for ApiError {
    fn from(r: Refusal) -> ApiError {
        match r {
            Refusal::NotFound => ApiError::not_found(),
            Refusal::Forbidden(why) => ApiError::forbidden(why),
            Refusal::InvalidTransition { state, action } => {
                let mut e = ApiError::new(
                    StatusCode::CONFLICT,
                    "invalid_transition",
                    format!("cannot {action} a suggestion that is {state}"),
                );
                e.problem.state = Some(state.as_str().to_owned());
                e.problem.action = Some(action.as_str().to_owned());
                e
            }
            Refusal::Validation(errors) => ApiError::validation(errors),
            Refusal::Gate { code, missing, other_gates } => {
                let detail = format!("refused by {code}: missing {}", missing.join("; "));
                let mut e = ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, detail);
                e.problem.missing = missing;
                e.problem.other_gates = other_gates.into_iter().map(str::to_owned).collect();
                e
            }
            Refusal::Rule { code, detail } => {
                // Rules about the current state of a part answer 409; rules about the request, 422.
                let status = if RULE_CONFLICTS.contains(&code) {
                    StatusCode::CONFLICT
                } else {
                    StatusCode::UNPROCESSABLE_ENTITY
                };
                ApiError::new(status, code, detail)
            }
        }
    }
}

/// Rule codes that say a part of the suggestion is already past the step asked for.
const RULE_CONFLICTS: [&str; 9] = [
    "already_acknowledged",
    "reassignment_pending",
    "already_decided",
    "booking_closed",
    "consultation_closed",
    "reply_draft_exists",
    "already_replied",
    "reply_sent",
    "not_final_review",
];

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        match e {
            StoreError::Refused(r) => r.into(),
            StoreError::Conflict { code, field, detail } => {
                let mut e = ApiError::new(StatusCode::CONFLICT, code, detail.clone());
                e.problem.errors = vec![ProblemField { field: field.to_owned(), message: detail }];
                e
            }
            StoreError::Unavailable(why) => {
                tracing::error!(error = %why, "database unavailable");
                let mut e = ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "service_unavailable",
                    "the database is unavailable; try again shortly",
                );
                e.retry_after = Some(5);
                e
            }
            other => ApiError::internal(other),
        }
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(e: actix_web::error::BlockingError) -> ApiError {
        ApiError::internal(e)
    }
}

pub const PROBLEM_JSON: &str = "application/problem+json";

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut res = HttpResponse::build(self.status);
        res.insert_header((header::CONTENT_TYPE, PROBLEM_JSON));
        if let Some(seconds) = self.retry_after {
            res.insert_header((header::RETRY_AFTER, seconds.max(1).to_string()));
        }
        if let Some(allow) = &self.allow {
            res.insert_header((header::ALLOW, allow.clone()));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            res.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
        }
        res.body(serde_json::to_string(&self.problem).unwrap_or_default())
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
