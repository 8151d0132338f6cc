//! After the reply: feedback, rehandling, reviews and endorsement, continuation and completion,
//! visits.

use actix_web::{get, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use jianyi_domain::handling::{ReviewDecision, ReviewStage, Satisfaction};
use jianyi_domain::ResultClass;
use jianyi_store::outcome::{self, ContinuationReport, Feedback, NewFeedback, NewReview, Review, Visit};
use jianyi_store::suggestions::Suggestion;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use super::accounts::created;
use super::suggestions::Reason;
use crate::auth::Auth;
use crate::error::{ApiResult, Problem};
use crate::extract::{ApiJson, Id, Ids};
use crate::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(give_feedback)
        .service(list_feedback)
        .service(rehandle)
        .service(review)
        .service(list_reviews)
        .service(endorse)
        .service(report)
        .service(list_reports)
        .service(complete)
        .service(visit)
        .service(list_visits);
}

const TRANSITION: &str = "The suggestion's state does not allow this (`invalid_transition`, with `state` and `action`)";

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct GiveFeedback {
    /// 满意 / 基本满意 / 不满意, of the result.
    pub satisfaction: Satisfaction,
    /// Of the handling process, when rated apart.
    pub process_satisfaction: Option<Satisfaction>,
    #[schema(max_length = 20000)]
    #[validate(length(max = 20000))]
    pub comment: Option<String>,
}

/// A deputy rates the reply (征询意见): the lead deputy or a co-signer, once per reply version.
///
/// The lead deputy's `dissatisfied` sends the suggestion back to `handling` for rehandling, due in
/// a month; a co-signer's is recorded for the office, which may order rehandling.
#[utoipa::path(tag = "review", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), request_body = GiveFeedback, responses(
    (status = 201, description = "Recorded", body = Feedback, headers(("Location" = String, description = "The suggestion's feedback"))),
    (status = 409, description = "Given already for this version (`feedback_given`), or the state does not allow it", body = Problem, content_type = "application/problem+json"),
))]
#[post("/suggestions/{id}/feedback")]
async fn give_feedback(
    state: web::Data<AppState>,
    auth: Auth,
    id: Id,
    body: ApiJson<GiveFeedback>,
) -> ApiResult<HttpResponse> {
    let b = body.0;
    let f =
        NewFeedback { satisfaction: b.satisfaction, process_satisfaction: b.process_satisfaction, comment: b.comment };
    let fb = state.call(auth, move |conn, ctx| Ok(outcome::give_feedback(conn, &ctx, id.0, f)?)).await?;
    Ok(created(format!("/api/v1/suggestions/{}/feedback", fb.suggestion_id), &fb))
}

/// A suggestion's feedback, every round.
#[utoipa::path(tag = "review", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), responses(
    (status = 200, description = "Its feedback, oldest first", body = Vec<Feedback>),
))]
#[get("/suggestions/{id}/feedback")]
async fn list_feedback(state: web::Data<AppState>, auth: Auth, id: Id) -> ApiResult<web::Json<Vec<Feedback>>> {
    state.call(auth, move |conn, ctx| Ok(outcome::list_feedback(conn, &ctx.caller, id.0)?)).await.map(web::Json)
}

/// Order rehandling (重新办理), with a reason: staff. The reply is due again in a month.
#[utoipa::path(tag = "review", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), request_body = Reason, responses(
    (status = 200, description = "Back in handling", body = Suggestion),
    (status = 409, description = TRANSITION, body = Problem, content_type = "application/problem+json"),
))]
#[post("/suggestions/{id}/rehandle")]
async fn rehandle(
    state: web::Data<AppState>,
    auth: Auth,
    id: Id,
    body: ApiJson<Reason>,
) -> ApiResult<web::Json<Suggestion>> {
    let reason = body.0.reason;
    state.call(auth, move |conn, ctx| Ok(outcome::rehandle(conn, &ctx, id.0, &reason)?)).await.map(web::Json)
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateReview {
    /// `initial`: a committee covering the category; `final`: staff, after an approved initial
    /// review and the lead deputy's feedback (or the end of its window).
    pub stage: ReviewStage,
    pub decision: ReviewDecision,
    /// The class the reviewer confirms; the unit's is kept beside it.
    pub result_class: Option<ResultClass>,
    /// Required to return.
    #[schema(max_length = 20000)]
    #[validate(length(max = 20000))]
    pub reason: Option<String>,
}

/// Review the result (初审 / 复审). A return sends it back for rehandling; a final approval makes
/// A and C `completed` and B `continuing`.
#[utoipa::path(tag = "review", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), request_body = CreateReview, responses(
    (status = 201, description = "Reviewed", body = Review, headers(("Location" = String, description = "The suggestion's reviews"))),
    (status = 409, description = TRANSITION, body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "No approved initial review (`initial_review_missing`), the lead deputy's feedback awaited (`feedback_pending`), or invalid input", body = Problem, content_type = "application/problem+json"),
))]
#[post("/suggestions/{id}/reviews")]
async fn review(
    state: web::Data<AppState>,
    auth: Auth,
    id: Id,
    body: ApiJson<CreateReview>,
) -> ApiResult<HttpResponse> {
    let b = body.0;
    let r = NewReview { stage: b.stage, decision: b.decision, result_class: b.result_class, reason: b.reason };
    let review = state.call(auth, move |conn, ctx| Ok(outcome::review(conn, &ctx, id.0, r)?)).await?;
    Ok(created(format!("/api/v1/suggestions/{}/reviews", review.suggestion_id), &review))
}

/// A suggestion's reviews.
#[utoipa::path(tag = "review", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), responses(
    (status = 200, description = "Its reviews, oldest first", body = Vec<Review>),
))]
#[get("/suggestions/{id}/reviews")]
async fn list_reviews(state: web::Data<AppState>, auth: Auth, id: Id) -> ApiResult<web::Json<Vec<Review>>> {
    state.call(auth, move |conn, ctx| Ok(outcome::list_reviews(conn, &ctx.caller, id.0)?)).await.map(web::Json)
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct Endorse {
    #[schema(min_length = 1, max_length = 20000)]
    #[validate(length(min = 1, max = 20000))]
    pub endorsement: String,
}

/// A supervision office endorses a final review.
#[utoipa::path(tag = "review", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1), ("review_id" = i64, Path, minimum = 1)), request_body = Endorse, responses(
    (status = 200, description = "Endorsed", body = Review),
    (status = 409, description = "Not an approving final review (`not_final_review`), or the state does not allow it", body = Problem, content_type = "application/problem+json"),
))]
#[post("/suggestions/{id}/reviews/{review_id}/endorsement")]
async fn endorse(
    state: web::Data<AppState>,
    auth: Auth,
    ids: Ids,
    body: ApiJson<Endorse>,
) -> ApiResult<web::Json<Review>> {
    let e = body.0.endorsement;
    state.call(auth, move |conn, ctx| Ok(outcome::endorse(conn, &ctx, ids.0, ids.1, &e)?)).await.map(web::Json)
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct ReportContinuation {
    #[schema(min_length = 1, max_length = 20000)]
    #[validate(length(min = 1, max = 20000))]
    pub progress: String,
    /// The matter is solved: then `reply_id` names the sent continuation reply.
    #[serde(default)]
    pub solved: bool,
    #[schema(format = Int64, minimum = 1)]
    pub reply_id: Option<i64>,
}

/// Report progress on a B item (续办): the lead unit.
#[utoipa::path(tag = "review", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), request_body = ReportContinuation, responses(
    (status = 201, description = "Reported", body = ContinuationReport, headers(("Location" = String, description = "The suggestion's reports"))),
    (status = 409, description = TRANSITION, body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Solved without a continuation reply (`continuation_reply_missing`), or invalid input", body = Problem, content_type = "application/problem+json"),
))]
#[post("/suggestions/{id}/continuation-reports")]
async fn report(
    state: web::Data<AppState>,
    auth: Auth,
    id: Id,
    body: ApiJson<ReportContinuation>,
) -> ApiResult<HttpResponse> {
    let b = body.0;
    let r = state
        .call(auth, move |conn, ctx| {
            Ok(outcome::report_continuation(conn, &ctx, id.0, &b.progress, b.solved, b.reply_id)?)
        })
        .await?;
    Ok(created(format!("/api/v1/suggestions/{}/continuation-reports", r.suggestion_id), &r))
}

/// A suggestion's continuation reports.
#[utoipa::path(tag = "review", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), responses(
    (status = 200, description = "Its reports, oldest first", body = Vec<ContinuationReport>),
))]
#[get("/suggestions/{id}/continuation-reports")]
async fn list_reports(state: web::Data<AppState>, auth: Auth, id: Id) -> ApiResult<web::Json<Vec<ContinuationReport>>> {
    state.call(auth, move |conn, ctx| Ok(outcome::list_continuation(conn, &ctx.caller, id.0)?)).await.map(web::Json)
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct Complete {
    /// The final class, usually A.
    pub result_class: ResultClass,
}

/// Complete a B item (办结): staff, after a continuation report that declares it solved.
#[utoipa::path(tag = "review", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), request_body = Complete, responses(
    (status = 200, description = "Completed", body = Suggestion),
    (status = 409, description = TRANSITION, body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "No report declares it solved (`gate_continuation_unsolved`)", body = Problem, content_type = "application/problem+json"),
))]
#[post("/suggestions/{id}/complete")]
async fn complete(
    state: web::Data<AppState>,
    auth: Auth,
    id: Id,
    body: ApiJson<Complete>,
) -> ApiResult<web::Json<Suggestion>> {
    let class = body.0.result_class;
    state.call(auth, move |conn, ctx| Ok(outcome::complete(conn, &ctx, id.0, class)?)).await.map(web::Json)
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateVisit {
    /// Not in the future.
    pub visited_at: DateTime<Utc>,
    #[schema(min_length = 1, max_length = 20000)]
    #[validate(length(min = 1, max = 20000))]
    pub findings: String,
}

/// Record a visit (回访): staff, a committee of the field, or a supervision office.
#[utoipa::path(tag = "review", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), request_body = CreateVisit, responses(
    (status = 201, description = "Recorded", body = Visit, headers(("Location" = String, description = "The suggestion's visits"))),
    (status = 409, description = TRANSITION, body = Problem, content_type = "application/problem+json"),
))]
#[post("/suggestions/{id}/visits")]
async fn visit(state: web::Data<AppState>, auth: Auth, id: Id, body: ApiJson<CreateVisit>) -> ApiResult<HttpResponse> {
    let b = body.0;
    let v = state.call(auth, move |conn, ctx| Ok(outcome::visit(conn, &ctx, id.0, b.visited_at, &b.findings)?)).await?;
    Ok(created(format!("/api/v1/suggestions/{}/visits", v.suggestion_id), &v))
}

/// A suggestion's visits.
#[utoipa::path(tag = "review", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), responses(
    (status = 200, description = "Its visits, oldest first", body = Vec<Visit>),
))]
#[get("/suggestions/{id}/visits")]
async fn list_visits(state: web::Data<AppState>, auth: Auth, id: Id) -> ApiResult<web::Json<Vec<Visit>>> {
    state.call(auth, move |conn, ctx| Ok(outcome::list_visits(conn, &ctx.caller, id.0)?)).await.map(web::Json)
}
