//! Assignments (交办): proposals, the formal assignment, the assignment meeting, acknowledgement,
//! objections, reassignment requests and decisions, waivers, key suggestions and their checklist.

use actix_web::{get, post, web, HttpResponse};
use chrono::NaiveDate;
use jianyi_domain::handling::{AssignmentRole, AssignmentState, ChecklistItem};
use jianyi_store::assignments::{
    self, Assignment, ChecklistEntry, Decision, MeetingItem, MeetingResult, ReassignmentRequest, UnitChoice,
};
use jianyi_store::suggestions::Suggestion;
use jianyi_store::Page;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use super::accounts::created;
use super::suggestions::Reason;
use crate::auth::Auth;
use crate::error::{ApiResult, Problem};
use crate::extract::{ApiJson, ApiQuery, Id, Ids, MEETING_BODY_LIMIT};
use crate::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(add)
        .service(list)
        .service(assign)
        .service(object_to_proposal)
        .service(acknowledge)
        .service(request_reassignment)
        .service(list_requests)
        .service(get_request)
        .service(decide)
        .service(waive_opinion)
        .service(assign_session)
        .service(unit_assignments)
        .service(mark_key)
        .service(checklist)
        .service(tick);
}

const TRANSITION: &str = "The suggestion's state does not allow this (`invalid_transition`, with `state` and `action`)";

#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitAssignment {
    #[schema(format = Int64, minimum = 1)]
    pub unit_id: i64,
    /// `lead` replies; `assist` gives its opinion to the lead. Several leads: separate handling.
    pub role: AssignmentRole,
}

impl From<UnitAssignment> for UnitChoice {
    fn from(u: UnitAssignment) -> UnitChoice {
        UnitChoice { unit_id: u.unit_id, role: u.role }
    }
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct AddAssignments {
    /// At least one `lead`; a unit at most once.
    #[schema(min_items = 1, max_items = 50)]
    #[validate(length(min = 1, max = 50))]
    pub units: Vec<UnitAssignment>,
    /// `true`: a proposal (预交办) units may object to, replacing earlier proposals; `false`:
    /// the formal assignment, at once.
    #[serde(default)]
    pub proposed: bool,
}

/// Propose or assign units (预交办 / 交办): staff, on a `registered` suggestion.
///
/// The formal assignment stamps `assigned_at`, the clock of every later deadline, and the
/// suggestion becomes `assigned`.
#[utoipa::path(tag = "assignments", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), request_body = AddAssignments, responses(
    (status = 200, description = "The suggestion with its assignments", body = Suggestion),
    (status = 409, description = TRANSITION, body = Problem, content_type = "application/problem+json"),
))]
#[post("/suggestions/{id}/assignments")]
async fn add(
    state: web::Data<AppState>,
    auth: Auth,
    id: Id,
    body: ApiJson<AddAssignments>,
) -> ApiResult<web::Json<Suggestion>> {
    let b = body.0;
    let units: Vec<UnitChoice> = b.units.into_iter().map(UnitChoice::from).collect();
    state.call(auth, move |conn, ctx| Ok(assignments::add(conn, &ctx, id.0, &units, b.proposed)?)).await.map(web::Json)
}

/// A suggestion's assignments, current and past.
#[utoipa::path(tag = "assignments", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), responses(
    (status = 200, description = "Its assignments, oldest first", body = Vec<Assignment>),
))]
#[get("/suggestions/{id}/assignments")]
async fn list(state: web::Data<AppState>, auth: Auth, id: Id) -> ApiResult<web::Json<Vec<Assignment>>> {
    state
        .call(auth, move |conn, ctx| Ok(assignments::list_for_suggestion(conn, &ctx.caller, id.0)?))
        .await
        .map(web::Json)
}

/// Make the proposals formal (交办): staff.
#[utoipa::path(tag = "assignments", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), responses(
    (status = 200, description = "Assigned", body = Suggestion),
    (status = 409, description = TRANSITION, body = Problem, content_type = "application/problem+json"),
))]
#[post("/suggestions/{id}/assign")]
async fn assign(state: web::Data<AppState>, auth: Auth, id: Id) -> ApiResult<web::Json<Suggestion>> {
    state.call(auth, move |conn, ctx| Ok(assignments::assign_proposals(conn, &ctx, id.0)?)).await.map(web::Json)
}

/// A proposed unit objects to its proposal, with a reason.
#[utoipa::path(tag = "assignments", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1), ("assignment_id" = i64, Path, minimum = 1)), request_body = Reason, responses(
    (status = 200, description = "Objected", body = Assignment),
    (status = 409, description = TRANSITION, body = Problem, content_type = "application/problem+json"),
))]
#[post("/suggestions/{id}/assignments/{assignment_id}/object")]
async fn object_to_proposal(
    state: web::Data<AppState>,
    auth: Auth,
    ids: Ids,
    body: ApiJson<Reason>,
) -> ApiResult<web::Json<Assignment>> {
    let reason = body.0.reason;
    state.call(auth, move |conn, ctx| Ok(assignments::object(conn, &ctx, ids.0, ids.1, &reason)?)).await.map(web::Json)
}

/// Acknowledge (签收): the unit confirms receipt. The last acknowledgement starts the handling.
#[utoipa::path(tag = "assignments", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1), ("assignment_id" = i64, Path, minimum = 1)), responses(
    (status = 200, description = "Acknowledged; the timeline says whether on time", body = Assignment),
    (status = 409, description = "Already acknowledged (`already_acknowledged`), or the state does not allow it", body = Problem, content_type = "application/problem+json"),
))]
#[post("/suggestions/{id}/assignments/{assignment_id}/acknowledge")]
async fn acknowledge(state: web::Data<AppState>, auth: Auth, ids: Ids) -> ApiResult<web::Json<Assignment>> {
    state.call(auth, move |conn, ctx| Ok(assignments::acknowledge(conn, &ctx, ids.0, ids.1)?)).await.map(web::Json)
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct RequestReassignment {
    #[schema(min_length = 1, max_length = 2000)]
    #[validate(length(min = 1, max = 2000))]
    pub reason: String,
    /// The unit that should handle it instead.
    #[schema(format = Int64, minimum = 1)]
    pub proposed_unit_id: Option<i64>,
}

/// Ask to be reassigned (改办), within 5 working days of the assignment.
#[utoipa::path(tag = "assignments", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1), ("assignment_id" = i64, Path, minimum = 1)), request_body = RequestReassignment, responses(
    (status = 201, description = "Requested; the suggestion waits for the office's decision", body = ReassignmentRequest, headers(("Location" = String, description = "The request's address"))),
    (status = 409, description = "A request of this unit is open (`reassignment_pending`), or the state does not allow it", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "After the window (`reassignment_window_closed`), or invalid input", body = Problem, content_type = "application/problem+json"),
))]
#[post("/suggestions/{id}/assignments/{assignment_id}/reassignment-requests")]
async fn request_reassignment(
    state: web::Data<AppState>,
    auth: Auth,
    ids: Ids,
    body: ApiJson<RequestReassignment>,
) -> ApiResult<HttpResponse> {
    let b = body.0;
    let r = state
        .call(auth, move |conn, ctx| {
            Ok(assignments::request_reassignment(conn, &ctx, ids.0, ids.1, &b.reason, b.proposed_unit_id)?)
        })
        .await?;
    Ok(created(format!("/api/v1/reassignment-requests/{}", r.id), &r))
}

/// A suggestion's reassignment requests.
#[utoipa::path(tag = "assignments", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), responses(
    (status = 200, description = "Its requests, oldest first", body = Vec<ReassignmentRequest>),
))]
#[get("/suggestions/{id}/reassignment-requests")]
async fn list_requests(
    state: web::Data<AppState>,
    auth: Auth,
    id: Id,
) -> ApiResult<web::Json<Vec<ReassignmentRequest>>> {
    state.call(auth, move |conn, ctx| Ok(assignments::list_requests(conn, &ctx.caller, id.0)?)).await.map(web::Json)
}

/// One reassignment request.
#[utoipa::path(tag = "assignments", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), responses(
    (status = 200, description = "The request", body = ReassignmentRequest),
))]
#[get("/reassignment-requests/{id}")]
async fn get_request(state: web::Data<AppState>, auth: Auth, id: Id) -> ApiResult<web::Json<ReassignmentRequest>> {
    state.call(auth, move |conn, ctx| Ok(assignments::get_request(conn, &ctx.caller, id.0)?)).await.map(web::Json)
}

#[derive(Debug, Clone, Copy, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ReassignmentDecision {
    Approve,
    Refuse,
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct Decide {
    pub decision: ReassignmentDecision,
    /// Required to approve: the unit that takes over, with the same role and its own clock.
    #[schema(format = Int64, minimum = 1)]
    pub new_unit_id: Option<i64>,
    /// Required to refuse.
    #[schema(max_length = 2000)]
    #[validate(length(max = 2000))]
    pub note: Option<String>,
}

/// Decide a reassignment request: staff approve (the old assignment ends `transferred`, the new
/// unit is assigned) or refuse with a note.
#[utoipa::path(tag = "assignments", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), request_body = Decide, responses(
    (status = 200, description = "Decided", body = ReassignmentRequest),
    (status = 409, description = "Decided already (`already_decided`), or the state does not allow it", body = Problem, content_type = "application/problem+json"),
))]
#[post("/reassignment-requests/{id}/decision")]
async fn decide(
    state: web::Data<AppState>,
    auth: Auth,
    id: Id,
    body: ApiJson<Decide>,
) -> ApiResult<web::Json<ReassignmentRequest>> {
    let b = body.0;
    // Checked after the caller and the request: a stranger learns nothing from a bad body.
    let decision =
        Decision { approve: b.decision == ReassignmentDecision::Approve, new_unit_id: b.new_unit_id, note: b.note };
    state
        .call(auth, move |conn, ctx| Ok(assignments::decide_reassignment(conn, &ctx, id.0, decision)?))
        .await
        .map(web::Json)
}

/// Waive an assisting unit's missing opinion, with a reason: staff.
#[utoipa::path(tag = "assignments", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1), ("assignment_id" = i64, Path, minimum = 1)), request_body = Reason, responses(
    (status = 200, description = "Waived", body = Assignment),
    (status = 409, description = TRANSITION, body = Problem, content_type = "application/problem+json"),
))]
#[post("/suggestions/{id}/assignments/{assignment_id}/waive-opinion")]
async fn waive_opinion(
    state: web::Data<AppState>,
    auth: Auth,
    ids: Ids,
    body: ApiJson<Reason>,
) -> ApiResult<web::Json<Assignment>> {
    let reason = body.0.reason;
    state
        .call(auth, move |conn, ctx| Ok(assignments::waive_opinion(conn, &ctx, ids.0, ids.1, &reason)?))
        .await
        .map(web::Json)
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeetingSuggestion {
    #[schema(format = Int64, minimum = 1)]
    pub suggestion_id: i64,
    #[schema(min_items = 1, max_items = 50)]
    pub units: Vec<UnitAssignment>,
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct AssignSession {
    /// Every suggestion of the meeting with its units; up to 20,000 at once (a body of up to 16 MiB).
    #[schema(min_items = 1, max_items = 20000)]
    #[validate(length(min = 1, max = 20000))]
    pub items: Vec<MeetingSuggestion>,
}

/// The assignment meeting (交办会): assign a session's registered suggestions at once, all or
/// nothing: staff.
///
/// Every item is checked before anything is written; a refusal lists each item's errors
/// (`items[3].units[0].unit_id`).
#[utoipa::path(tag = "assignments", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), request_body = AssignSession, responses(
    (status = 200, description = "Assigned", body = MeetingResult),
))]
#[post("/sessions/{id}/assignments")]
async fn assign_session(
    state: web::Data<AppState>,
    auth: Auth,
    id: Id,
    body: ApiJson<AssignSession, MEETING_BODY_LIMIT>,
) -> ApiResult<web::Json<MeetingResult>> {
    let items: Vec<MeetingItem> = body
        .0
        .items
        .into_iter()
        .map(|i| MeetingItem {
            suggestion_id: i.suggestion_id,
            units: i.units.into_iter().map(UnitChoice::from).collect(),
        })
        .collect();
    state.call(auth, move |conn, ctx| Ok(assignments::assign_session(conn, &ctx, id.0, &items)?)).await.map(web::Json)
}

#[derive(Debug, Deserialize, IntoParams, Validate)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UnitAssignmentQuery {
    /// Default: the current ones (proposed, objected, assigned, acknowledged).
    pub state: Option<AssignmentState>,
    #[param(minimum = 1, maximum = 500, format = Int64)]
    #[validate(range(min = 1, max = 500))]
    pub limit: Option<i64>,
    #[param(pattern = "^[0-9]{1,19}$", max_length = 19)]
    pub cursor: Option<String>,
}

/// A unit's assignments (台账 of the unit): its own staff, the office, supervisors, auditors.
#[utoipa::path(tag = "assignments", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1), UnitAssignmentQuery), responses(
    (status = 200, description = "A page of assignments", body = Page<Assignment>),
))]
#[get("/units/{id}/assignments")]
async fn unit_assignments(
    state: web::Data<AppState>,
    auth: Auth,
    id: Id,
    q: ApiQuery<UnitAssignmentQuery>,
) -> ApiResult<web::Json<Page<Assignment>>> {
    let q = q.0;
    state
        .call(auth, move |conn, ctx| {
            let page = jianyi_store::page::PageRequest::parse(q.limit, q.cursor.as_deref())?;
            Ok(assignments::list_for_unit(conn, &ctx.caller, id.0, q.state, page)?)
        })
        .await
        .map(web::Json)
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct MarkKey {
    /// The supervising leader.
    #[schema(min_length = 1, max_length = 100)]
    #[validate(length(min = 1, max = 100))]
    pub leader: String,
    /// The supervising committee.
    #[schema(format = Int64, minimum = 1)]
    pub committee_id: Option<i64>,
    #[schema(max_length = 2000)]
    #[validate(length(max = 2000))]
    pub note: Option<String>,
}

/// Choose a key suggestion (重点建议): the council.
#[utoipa::path(tag = "assignments", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), request_body = MarkKey, responses(
    (status = 200, description = "Marked key", body = Suggestion),
    (status = 409, description = TRANSITION, body = Problem, content_type = "application/problem+json"),
))]
#[post("/suggestions/{id}/key")]
async fn mark_key(
    state: web::Data<AppState>,
    auth: Auth,
    id: Id,
    body: ApiJson<MarkKey>,
) -> ApiResult<web::Json<Suggestion>> {
    let b = body.0;
    state
        .call(auth, move |conn, ctx| {
            Ok(assignments::mark_key(conn, &ctx, id.0, &b.leader, b.committee_id, b.note.as_deref())?)
        })
        .await
        .map(web::Json)
}

/// A key suggestion's 五个一 checklist.
#[utoipa::path(tag = "assignments", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), responses(
    (status = 200, description = "The five items, done or not", body = Vec<ChecklistEntry>),
    (status = 422, description = "Not a key suggestion (`not_key`)", body = Problem, content_type = "application/problem+json"),
))]
#[get("/suggestions/{id}/checklist")]
async fn checklist(state: web::Data<AppState>, auth: Auth, id: Id) -> ApiResult<web::Json<Vec<ChecklistEntry>>> {
    state.call(auth, move |conn, ctx| Ok(assignments::checklist(conn, &ctx.caller, id.0)?)).await.map(web::Json)
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct Tick {
    pub item: ChecklistItem,
    pub done_on: NaiveDate,
    /// The document that shows it.
    #[schema(min_length = 1, max_length = 500)]
    #[validate(length(min = 1, max = 500))]
    pub document: String,
}

/// Tick a checklist item with its date and document: the lead unit.
#[utoipa::path(tag = "assignments", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), request_body = Tick, responses(
    (status = 200, description = "The checklist", body = Vec<ChecklistEntry>),
    (status = 409, description = TRANSITION, body = Problem, content_type = "application/problem+json"),
))]
#[post("/suggestions/{id}/checklist")]
async fn tick(
    state: web::Data<AppState>,
    auth: Auth,
    id: Id,
    body: ApiJson<Tick>,
) -> ApiResult<web::Json<Vec<ChecklistEntry>>> {
    let b = body.0;
    state
        .call(auth, move |conn, ctx| Ok(assignments::tick(conn, &ctx, id.0, b.item, b.done_on, &b.document)?))
        .await
        .map(web::Json)
}
