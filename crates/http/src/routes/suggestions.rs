//! Suggestions from draft to registration: entering, editing, co-signing, submitting,
//! withdrawing, registering, rejecting; lists, one suggestion, its timeline.

use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use jianyi_domain::{Period, ResultClass, SuggestionState};
use jianyi_store::audit::Event;
use jianyi_store::suggestions::{self, NewSuggestion, Suggestion, SuggestionFilter, SuggestionPatch};
use jianyi_store::Page;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use super::accounts::created;
use super::nullable;
use crate::auth::Auth;
use crate::error::{ApiResult, Problem};
use crate::extract::{ApiJson, ApiQuery, Id, OptionalJson};
use crate::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create)
        .service(list)
        .service(get)
        .service(edit)
        .service(submit)
        .service(cosign)
        .service(withdraw)
        .service(register)
        .service(reject)
        .service(events);
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateSuggestion {
    #[schema(format = Int64, minimum = 1)]
    pub session_id: i64,
    /// One matter per suggestion (一事一议), usually 关于……的建议.
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200))]
    pub title: String,
    #[schema(min_length = 1, max_length = 20000)]
    #[validate(length(min = 1, max = 20000))]
    pub body: String,
    /// The proposed category, of the same session.
    #[schema(format = Int64, minimum = 1)]
    pub category_id: Option<i64>,
    /// Deputies invited to co-sign (联名), at most 50.
    #[serde(default)]
    #[schema(max_items = 50)]
    #[validate(length(max = 50, message = "at most 50 co-signers"))]
    pub co_signer_ids: Vec<i64>,
    #[serde(default)]
    pub time_sensitive: bool,
    /// Staff only, required then: the deputy who handed in the paper suggestion.
    #[schema(format = Int64, minimum = 1)]
    pub lead_deputy_id: Option<i64>,
    /// Staff only: when the paper suggestion was handed in (default now; not in the future).
    pub submitted_at: Option<DateTime<Utc>>,
}

/// Enter a suggestion (提出建议).
///
/// A deputy creates a `draft` that they lead. The office (`staff`) enters a paper suggestion on a
/// deputy's behalf (`lead_deputy_id` required): it is `submitted` at once, with its `period`.
#[utoipa::path(tag = "suggestions", security(("bearer" = [])), request_body = CreateSuggestion, responses(
    (status = 201, description = "Created", body = Suggestion, headers(("Location" = String, description = "The suggestion's address"))),
    (status = 403, description = "Only deputies and staff enter suggestions (`forbidden`)", body = Problem, content_type = "application/problem+json"),
))]
#[post("/suggestions")]
async fn create(state: web::Data<AppState>, auth: Auth, body: ApiJson<CreateSuggestion>) -> ApiResult<HttpResponse> {
    let s = body.0;
    let suggestion = state
        .call(auth, move |conn, ctx| {
            let new = NewSuggestion {
                session_id: s.session_id,
                title: s.title,
                body: s.body,
                category_id: s.category_id,
                co_signer_ids: s.co_signer_ids,
                time_sensitive: s.time_sensitive,
                lead_deputy_id: s.lead_deputy_id,
                submitted_at: s.submitted_at,
            };
            Ok(suggestions::create(conn, &ctx, new)?)
        })
        .await?;
    Ok(created(format!("/api/v1/suggestions/{}", suggestion.id), &suggestion))
}

#[derive(Debug, Deserialize, IntoParams, Validate)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SuggestionQuery {
    #[param(format = Int64, minimum = 1)]
    #[validate(range(min = 1))]
    pub session_id: Option<i64>,
    pub state: Option<SuggestionState>,
    #[param(format = Int64, minimum = 1)]
    #[validate(range(min = 1))]
    pub category_id: Option<i64>,
    #[param(format = Int64, minimum = 1)]
    #[validate(range(min = 1))]
    pub lead_deputy_id: Option<i64>,
    pub period: Option<Period>,
    pub time_sensitive: Option<bool>,
    /// The confirmed result class.
    pub result_class: Option<ResultClass>,
    /// Only key suggestions (or only the others).
    pub key: Option<bool>,
    /// Only suggestions this unit holds (proposed or formally assigned).
    #[param(format = Int64, minimum = 1)]
    #[validate(range(min = 1))]
    pub unit_id: Option<i64>,
    /// Items per page, 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500, format = Int64)]
    #[validate(range(min = 1, max = 500))]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    #[param(pattern = "^[0-9]{1,19}$", max_length = 19)]
    pub cursor: Option<String>,
}

/// List suggestions (建议列表).
///
/// A deputy sees the suggestions they lead or co-sign; staff, committees, supervisors, the
/// council and auditors see every suggestion but drafts; units see none until they have
/// assignments. Ordered by id; keyset-paginated.
#[utoipa::path(tag = "suggestions", security(("bearer" = [])), params(SuggestionQuery), responses(
    (status = 200, description = "A page of suggestions", body = Page<Suggestion>),
))]
#[get("/suggestions")]
async fn list(
    state: web::Data<AppState>,
    auth: Auth,
    q: ApiQuery<SuggestionQuery>,
) -> ApiResult<web::Json<Page<Suggestion>>> {
    let q = q.0;
    state
        .call(auth, move |conn, ctx| {
            let page = jianyi_store::page::PageRequest::parse(q.limit, q.cursor.as_deref())?;
            let filter = SuggestionFilter {
                session_id: q.session_id,
                state: q.state,
                category_id: q.category_id,
                lead_deputy_id: q.lead_deputy_id,
                period: q.period,
                time_sensitive: q.time_sensitive,
                result_class: q.result_class,
                key: q.key,
                unit_id: q.unit_id,
            };
            Ok(suggestions::list(conn, &ctx.caller, &filter, page)?)
        })
        .await
        .map(web::Json)
}

/// One suggestion.
#[utoipa::path(tag = "suggestions", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), responses(
    (status = 200, description = "The suggestion", body = Suggestion),
))]
#[get("/suggestions/{id}")]
async fn get(state: web::Data<AppState>, auth: Auth, id: Id) -> ApiResult<web::Json<Suggestion>> {
    state.call(auth, move |conn, ctx| Ok(suggestions::get(conn, &ctx.caller, id.0)?)).await.map(web::Json)
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct EditSuggestion {
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200))]
    pub title: Option<String>,
    #[schema(min_length = 1, max_length = 20000)]
    #[validate(length(min = 1, max = 20000))]
    pub body: Option<String>,
    /// `null` clears the proposed category.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(format = Int64, minimum = 1, nullable)]
    pub category_id: Option<Option<i64>>,
    /// Replaces the list; answers already given by deputies who stay are reset.
    #[schema(max_items = 50)]
    #[validate(length(max = 50, message = "at most 50 co-signers"))]
    pub co_signer_ids: Option<Vec<i64>>,
    pub time_sensitive: Option<bool>,
}

const INVALID_TRANSITION: &str =
    "The suggestion's state does not allow this (`invalid_transition`, with `state` and `action`)";

/// Edit a draft (修改草稿): its lead deputy only.
#[utoipa::path(tag = "suggestions", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), request_body = EditSuggestion, responses(
    (status = 200, description = "Changed", body = Suggestion),
    (status = 409, description = INVALID_TRANSITION, body = Problem, content_type = "application/problem+json"),
))]
#[patch("/suggestions/{id}")]
async fn edit(
    state: web::Data<AppState>,
    auth: Auth,
    id: Id,
    body: ApiJson<EditSuggestion>,
) -> ApiResult<web::Json<Suggestion>> {
    let p = body.0;
    state
        .call(auth, move |conn, ctx| {
            let patch = SuggestionPatch {
                title: p.title,
                body: p.body,
                category_id: p.category_id,
                co_signer_ids: p.co_signer_ids,
                time_sensitive: p.time_sensitive,
            };
            Ok(suggestions::edit(conn, &ctx, id.0, patch)?)
        })
        .await
        .map(web::Json)
}

/// Submit a draft (提交): stamps `submitted_at` and sets `period` from the session's meeting dates.
#[utoipa::path(tag = "suggestions", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), responses(
    (status = 200, description = "Submitted", body = Suggestion),
    (status = 409, description = INVALID_TRANSITION, body = Problem, content_type = "application/problem+json"),
))]
#[post("/suggestions/{id}/submit")]
async fn submit(state: web::Data<AppState>, auth: Auth, id: Id) -> ApiResult<web::Json<Suggestion>> {
    state.call(auth, move |conn, ctx| Ok(suggestions::submit(conn, &ctx, id.0)?)).await.map(web::Json)
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct Cosign {
    /// `true` to sign, `false` to decline.
    pub confirm: bool,
}

/// A co-signer's answer (联名确认): confirm or decline, while the suggestion is a draft or submitted.
#[utoipa::path(tag = "suggestions", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), request_body = Cosign, responses(
    (status = 200, description = "Answered", body = Suggestion),
    (status = 409, description = INVALID_TRANSITION, body = Problem, content_type = "application/problem+json"),
))]
#[post("/suggestions/{id}/cosign")]
async fn cosign(
    state: web::Data<AppState>,
    auth: Auth,
    id: Id,
    body: ApiJson<Cosign>,
) -> ApiResult<web::Json<Suggestion>> {
    let confirm = body.0.confirm;
    state.call(auth, move |conn, ctx| Ok(suggestions::cosign(conn, &ctx, id.0, confirm)?)).await.map(web::Json)
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct Reason {
    #[schema(min_length = 1, max_length = 2000)]
    #[validate(length(min = 1, max = 2000))]
    pub reason: String,
}

/// Withdraw (撤回): the lead deputy, any time before a reply has been sent.
#[utoipa::path(tag = "suggestions", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), request_body = Reason, responses(
    (status = 200, description = "Withdrawn", body = Suggestion),
    (status = 409, description = INVALID_TRANSITION, body = Problem, content_type = "application/problem+json"),
))]
#[post("/suggestions/{id}/withdraw")]
async fn withdraw(
    state: web::Data<AppState>,
    auth: Auth,
    id: Id,
    body: ApiJson<Reason>,
) -> ApiResult<web::Json<Suggestion>> {
    let reason = body.0.reason;
    state.call(auth, move |conn, ctx| Ok(suggestions::withdraw(conn, &ctx, id.0, &reason)?)).await.map(web::Json)
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct Register {
    /// Confirms or changes the category; required when the suggestion has none.
    #[schema(format = Int64, minimum = 1)]
    pub category_id: Option<i64>,
}

/// Register (登记编号): staff give the next serial of the session and its code (`第0001号`).
///
/// Serials are 1, 2, 3, … per session: gapless, unique and never changed, however many
/// registrations run at once. The body may be empty.
#[utoipa::path(tag = "suggestions", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), request_body(content = Option<Register>, description = "Optional: no body at all, or a JSON object"), responses(
    (status = 200, description = "Registered", body = Suggestion),
    (status = 409, description = INVALID_TRANSITION, body = Problem, content_type = "application/problem+json"),
))]
#[post("/suggestions/{id}/register")]
async fn register(
    state: web::Data<AppState>,
    auth: Auth,
    id: Id,
    body: OptionalJson<Register>,
) -> ApiResult<web::Json<Suggestion>> {
    let category = body.0.category_id;
    state.call(auth, move |conn, ctx| Ok(suggestions::register(conn, &ctx, id.0, category)?)).await.map(web::Json)
}

/// Reject (不予立案): staff end a submitted suggestion that is not handled as one, with a reason.
#[utoipa::path(tag = "suggestions", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), request_body = Reason, responses(
    (status = 200, description = "Rejected", body = Suggestion),
    (status = 409, description = INVALID_TRANSITION, body = Problem, content_type = "application/problem+json"),
))]
#[post("/suggestions/{id}/reject")]
async fn reject(
    state: web::Data<AppState>,
    auth: Auth,
    id: Id,
    body: ApiJson<Reason>,
) -> ApiResult<web::Json<Suggestion>> {
    let reason = body.0.reason;
    state.call(auth, move |conn, ctx| Ok(suggestions::reject(conn, &ctx, id.0, &reason)?)).await.map(web::Json)
}

/// The timeline (办理轨迹): every action on the suggestion with actor, role, time and details.
#[utoipa::path(tag = "suggestions", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), responses(
    (status = 200, description = "The events, oldest first", body = Vec<Event>),
))]
#[get("/suggestions/{id}/events")]
async fn events(state: web::Data<AppState>, auth: Auth, id: Id) -> ApiResult<web::Json<Vec<Event>>> {
    state.call(auth, move |conn, ctx| Ok(suggestions::events(conn, &ctx.caller, id.0)?)).await.map(web::Json)
}
