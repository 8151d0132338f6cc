//! What follows a reply: the deputies' feedback, rehandling, the initial and final reviews (and a
//! supervisor's endorsement), a B item's continuation to completion, and visits.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use jianyi_domain::deadlines::{on_time, Step};
use jianyi_domain::handling::{AssignmentRole, ReplyKind, ReplyState, ReviewDecision, ReviewStage, Satisfaction};
use jianyi_domain::session::congress_date;
use jianyi_domain::text::{optional, required, sane_instant};
use jianyi_domain::{Action, Caller, Facts, Refusal, Relation, ResultClass, SuggestionState};
use serde::Serialize;
use utoipa::ToSchema;

use crate::assignments::assignment_rows;
use crate::error::found;
use crate::schema::{assignments, continuation_reports, feedback, reviews, suggestions, visits};
use crate::suggestions::{commit_change, decide_for, load, load_mut, write_then_view, Loaded, Note, Suggestion};
use crate::time::{naive, utc};
use crate::work::{reply_rows, ReplyRow};
use crate::{write, Ctx, DbConn, StoreError};

const TEXT_MAX: usize = 20_000;

/// Starts another handling round: the reply due in a month (DOMAIN.md: rehandling), for the
/// suggestion and each lead unit holding it.
fn start_rehandling(conn: &mut DbConn, ctx: &Ctx, loaded: &Loaded) -> Result<NaiveDate, StoreError> {
    let due = Step::Rehandling.due(congress_date(ctx.now));
    diesel::update(suggestions::table.find(loaded.row.id))
        .set((suggestions::round.eq(loaded.row.round + 1), suggestions::reply_due_on.eq(Some(due))))
        .execute(conn)?;
    diesel::update(
        assignments::table
            .filter(assignments::suggestion_id.eq(loaded.row.id))
            .filter(assignments::role.eq(AssignmentRole::Lead.as_str()))
            .filter(assignments::state.eq("acknowledged")),
    )
    .set(assignments::reply_due_on.eq(Some(due)))
    .execute(conn)?;
    Ok(due)
}

/// The sent replies of the current round (not continuation replies).
fn round_replies(conn: &mut DbConn, loaded: &Loaded) -> Result<Vec<ReplyRow>, StoreError> {
    Ok(reply_rows(conn, loaded.row.id)?
        .into_iter()
        .filter(|r| r.round == loaded.row.round && r.state() == ReplyState::Sent && r.kind() != ReplyKind::Continuation)
        .collect())
}

/// The feedback window: 20 working days after the suggestion became replied.
fn feedback_due(loaded: &Loaded) -> Option<NaiveDate> {
    loaded.row.replied_at.map(|t| Step::Feedback.due(congress_date(utc(t))))
}

// ---- feedback ----

/// A deputy's rating of a reply (征询意见).
#[derive(Debug, Serialize, ToSchema)]
pub struct Feedback {
    #[schema(format = Int64, minimum = 1)]
    pub id: i64,
    #[schema(format = Int64, minimum = 1)]
    pub suggestion_id: i64,
    /// The handling round whose replies it rates.
    pub round: i32,
    #[schema(format = Int64, minimum = 1)]
    pub deputy_id: i64,
    /// The lead deputy's feedback decides rehandling; a co-signer's is recorded for the office.
    pub lead_deputy: bool,
    pub satisfaction: Satisfaction,
    /// The handling process, rated apart from the result.
    pub process_satisfaction: Option<Satisfaction>,
    pub comment: Option<String>,
    /// Within 20 working days of the reply.
    pub on_time: bool,
    pub created_at: DateTime<Utc>,
}

type FeedbackRow = (i64, i64, i32, i64, bool, String, Option<String>, Option<String>, bool, NaiveDateTime);

fn feedback_view(r: FeedbackRow) -> Feedback {
    let (id, suggestion_id, round, deputy_id, lead_deputy, satisfaction, process, comment, on_time, created_at) = r;
    Feedback {
        id,
        suggestion_id,
        round,
        deputy_id,
        lead_deputy,
        satisfaction: Satisfaction::parse(&satisfaction).unwrap_or(Satisfaction::Satisfied),
        process_satisfaction: process.as_deref().and_then(Satisfaction::parse),
        comment,
        on_time,
        created_at: utc(created_at),
    }
}

pub struct NewFeedback {
    pub satisfaction: Satisfaction,
    pub process_satisfaction: Option<Satisfaction>,
    pub comment: Option<String>,
}

/// A deputy rates the replies of the current round, once per round. The lead deputy's
/// `dissatisfied` sends the suggestion back for rehandling, due in a month.
pub fn give_feedback(conn: &mut DbConn, ctx: &Ctx, id: i64, f: NewFeedback) -> Result<Feedback, StoreError> {
    let comment = optional("comment", f.comment.as_deref(), TEXT_MAX)?;
    write(conn, |conn| {
        let loaded = load_mut(conn, ctx, id)?;
        let lead = loaded.relation == Relation::LeadDeputy;
        let facts =
            Facts { lead_dissatisfied: lead && f.satisfaction == Satisfaction::Dissatisfied, ..Facts::default() };
        let next = decide_for(conn, ctx, &loaded, Action::GiveFeedback, &facts)?;
        let deputy_id = ctx.caller.deputy_id.unwrap_or_default();
        let due = feedback_due(&loaded);
        let note = Note::new(serde_json::json!({
            "round": loaded.row.round, "deputy_id": deputy_id, "lead_deputy": lead,
            "satisfaction": f.satisfaction.as_str(), "process_satisfaction": f.process_satisfaction.map(Satisfaction::as_str),
        }))
        .deadline(ctx, due);
        let fid: i64 = diesel::insert_into(feedback::table)
            .values((
                feedback::suggestion_id.eq(id),
                feedback::round.eq(loaded.row.round),
                feedback::deputy_id.eq(deputy_id),
                feedback::is_lead.eq(lead),
                feedback::satisfaction.eq(f.satisfaction.as_str()),
                feedback::process_satisfaction.eq(f.process_satisfaction.map(Satisfaction::as_str)),
                feedback::comment.eq(comment.as_deref()),
                feedback::on_time.eq(note.on_time.unwrap_or(true)),
                feedback::created_at.eq(naive(ctx.now)),
            ))
            .returning(feedback::id)
            .get_result(conn)
            .map_err(|e| match e {
                diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _) => {
                    StoreError::Conflict {
                        code: "feedback_given",
                        field: "satisfaction",
                        detail: "this deputy has rated this round's reply already".into(),
                    }
                }
                other => StoreError::Db(other),
            })?;
        let mut note = note;
        if next == SuggestionState::Handling {
            note.details["rehandling_due_on"] = serde_json::json!(start_rehandling(conn, ctx, &loaded)?);
        }
        commit_change(conn, ctx, &loaded.row, Action::GiveFeedback, next, note)?;
        Ok(feedback_view(found(feedback::table.find(fid).get_result(conn))?))
    })
}

pub fn list_feedback(conn: &mut DbConn, caller: &Caller, id: i64) -> Result<Vec<Feedback>, StoreError> {
    load(conn, caller, id)?;
    let rows: Vec<FeedbackRow> =
        feedback::table.filter(feedback::suggestion_id.eq(id)).order(feedback::id.asc()).load(conn)?;
    Ok(rows.into_iter().map(feedback_view).collect())
}

/// The office orders rehandling (e.g. after a co-signer's dissatisfaction), with a reason.
pub fn rehandle(conn: &mut DbConn, ctx: &Ctx, id: i64, reason: &str) -> Result<Suggestion, StoreError> {
    let reason = required("reason", reason, TEXT_MAX)?;
    write_then_view(conn, id, |conn| {
        let loaded = load_mut(conn, ctx, id)?;
        let next = decide_for(conn, ctx, &loaded, Action::Rehandle, &Facts::default())?;
        let due = start_rehandling(conn, ctx, &loaded)?;
        commit_change(
            conn,
            ctx,
            &loaded.row,
            Action::Rehandle,
            next,
            Note::new(serde_json::json!({
                "reason": reason, "round": loaded.row.round + 1, "rehandling_due_on": due,
            })),
        )?;
        Ok(())
    })
}

// ---- reviews ----

/// A review of a suggestion's result (初审 / 复审).
#[derive(Debug, Serialize, ToSchema)]
pub struct Review {
    #[schema(format = Int64, minimum = 1)]
    pub id: i64,
    #[schema(format = Int64, minimum = 1)]
    pub suggestion_id: i64,
    pub round: i32,
    pub stage: ReviewStage,
    pub decision: ReviewDecision,
    /// The class the reviewer confirms (may differ from the unit's).
    pub result_class: Option<ResultClass>,
    /// The class the lead unit gave in its reply; with several lead units, their classes
    /// combined (B if any part is B, else A if any is A, else C).
    pub unit_result_class: Option<ResultClass>,
    pub reason: Option<String>,
    /// For an initial review: the reviewing committee.
    #[schema(format = Int64)]
    pub committee_id: Option<i64>,
    pub reviewer: String,
    /// A supervision office's endorsement of a final review.
    pub endorsement: Option<String>,
    pub endorsed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

type ReviewRow = (
    (i64, i64, i32, String, String, Option<String>, Option<String>, Option<String>),
    (Option<i64>, i64, String, Option<String>, Option<i64>, Option<NaiveDateTime>, NaiveDateTime),
);

fn review_view(r: ReviewRow) -> Review {
    let (
        (id, suggestion_id, round, stage, decision, class, unit_class, reason),
        (committee_id, _, reviewer, endorsement, _, endorsed_at, created_at),
    ) = r;
    Review {
        id,
        suggestion_id,
        round,
        stage: ReviewStage::parse(&stage).unwrap_or(ReviewStage::Initial),
        decision: ReviewDecision::parse(&decision).unwrap_or(ReviewDecision::Return),
        result_class: class.as_deref().and_then(ResultClass::parse),
        unit_result_class: unit_class.as_deref().and_then(ResultClass::parse),
        reason,
        committee_id,
        reviewer,
        endorsement,
        endorsed_at: endorsed_at.map(utc),
        created_at: utc(created_at),
    }
}

fn review_rows(conn: &mut DbConn, id: i64) -> Result<Vec<ReviewRow>, StoreError> {
    Ok(reviews::table
        .filter(reviews::suggestion_id.eq(id))
        .order(reviews::id.asc())
        .select((
            (
                reviews::id,
                reviews::suggestion_id,
                reviews::round,
                reviews::stage,
                reviews::decision,
                reviews::result_class,
                reviews::unit_result_class,
                reviews::reason,
            ),
            (
                reviews::committee_id,
                reviews::reviewer_id,
                reviews::reviewer_name,
                reviews::endorsement,
                reviews::endorsed_by,
                reviews::endorsed_at,
                reviews::created_at,
            ),
        ))
        .load(conn)?)
}

pub struct NewReview {
    pub stage: ReviewStage,
    pub decision: ReviewDecision,
    pub result_class: Option<ResultClass>,
    pub reason: Option<String>,
}

/// Reviews the current round's result. Initial: a committee covering the category. Final: the
/// office, after an approved initial review and the lead deputy's feedback (or the end of its
/// window). A return sends the suggestion back for rehandling; a final approval ends A and C as
/// `completed` and makes B `continuing`.
pub fn review(conn: &mut DbConn, ctx: &Ctx, id: i64, r: NewReview) -> Result<Review, StoreError> {
    let reason = optional("reason", r.reason.as_deref(), TEXT_MAX)?;
    if r.decision == ReviewDecision::Return && reason.is_none() {
        return Err(Refusal::field("reason", "is required to return a reply for rehandling").into());
    }
    write(conn, |conn| {
        let loaded = load_mut(conn, ctx, id)?;
        let action = match r.stage {
            ReviewStage::Initial => Action::ReviewInitial,
            ReviewStage::Final => Action::ReviewFinal,
        };
        let replies = round_replies(conn, &loaded)?;
        let unit_class = ResultClass::combined(replies.iter().filter_map(ReplyRow::class));
        let earlier = review_rows(conn, id)?;
        let initial = earlier
            .iter()
            .rev()
            .find(|x| x.0 .2 == loaded.row.round && x.0 .3 == ReviewStage::Initial.as_str())
            .filter(|i| i.0 .4 == ReviewDecision::Approve.as_str());
        let lead_feedback: i64 = feedback::table
            .filter(feedback::suggestion_id.eq(id))
            .filter(feedback::round.eq(loaded.row.round))
            .filter(feedback::is_lead.eq(true))
            .count()
            .get_result(conn)?;
        let window_over = feedback_due(&loaded).is_some_and(|due| !on_time(congress_date(ctx.now), due));
        let mut class = r.result_class;
        if r.stage == ReviewStage::Final {
            class = class.or(initial.and_then(|i| i.0 .5.as_deref().and_then(ResultClass::parse))).or(unit_class);
        }
        let approve = r.decision == ReviewDecision::Approve;
        let facts = Facts {
            approve,
            final_class: class,
            initial_approved: initial.is_some(),
            feedback_settled: lead_feedback > 0 || window_over,
            ..Facts::default()
        };
        let next = decide_for(conn, ctx, &loaded, action, &facts)?;
        if r.stage == ReviewStage::Final && approve && class.is_none() {
            return Err(Refusal::field("result_class", "is required: no class was given before").into());
        }
        let rid: i64 = diesel::insert_into(reviews::table)
            .values((
                reviews::suggestion_id.eq(id),
                reviews::round.eq(loaded.row.round),
                reviews::stage.eq(r.stage.as_str()),
                reviews::decision.eq(r.decision.as_str()),
                reviews::result_class.eq(class.map(ResultClass::as_str)),
                reviews::unit_result_class.eq(unit_class.map(ResultClass::as_str)),
                reviews::reason.eq(reason.as_deref()),
                reviews::committee_id.eq(if r.stage == ReviewStage::Initial { ctx.caller.committee_id } else { None }),
                reviews::reviewer_id.eq(ctx.caller.id),
                reviews::reviewer_name.eq(crate::accounts::display_name(conn, &ctx.caller)?),
                reviews::created_at.eq(naive(ctx.now)),
            ))
            .returning(reviews::id)
            .get_result(conn)?;
        let mut note = Note::new(serde_json::json!({
            "review_id": rid, "stage": r.stage.as_str(), "decision": r.decision.as_str(),
            "result_class": class.map(ResultClass::as_str), "unit_result_class": unit_class.map(ResultClass::as_str),
            "reason": reason,
        }));
        match next {
            SuggestionState::Handling => {
                note.details["rehandling_due_on"] = serde_json::json!(start_rehandling(conn, ctx, &loaded)?);
            }
            SuggestionState::Completed | SuggestionState::Continuing => {
                diesel::update(suggestions::table.find(id))
                    .set((
                        suggestions::result_class.eq(class.map(ResultClass::as_str)),
                        suggestions::completed_at.eq((next == SuggestionState::Completed).then(|| naive(ctx.now))),
                    ))
                    .execute(conn)?;
            }
            _ => {}
        }
        commit_change(conn, ctx, &loaded.row, action, next, note)?;
        review_rows(conn, id)?.into_iter().find(|x| x.0 .0 == rid).map(review_view).ok_or_else(StoreError::not_found)
    })
}

pub fn list_reviews(conn: &mut DbConn, caller: &Caller, id: i64) -> Result<Vec<Review>, StoreError> {
    load(conn, caller, id)?;
    Ok(review_rows(conn, id)?.into_iter().map(review_view).collect())
}

/// A supervision office adds its endorsement to a final review.
pub fn endorse(conn: &mut DbConn, ctx: &Ctx, id: i64, review_id: i64, endorsement: &str) -> Result<Review, StoreError> {
    let endorsement = required("endorsement", endorsement, TEXT_MAX)?;
    write(conn, |conn| {
        let loaded = load_mut(conn, ctx, id)?;
        let next = decide_for(conn, ctx, &loaded, Action::Endorse, &Facts::default())?;
        let row = review_rows(conn, id)?.into_iter().find(|x| x.0 .0 == review_id).ok_or_else(StoreError::not_found)?;
        if row.0 .3 != ReviewStage::Final.as_str() || row.0 .4 != ReviewDecision::Approve.as_str() {
            return Err(Refusal::Rule {
                code: "not_final_review",
                detail: "only an approving final review is endorsed".into(),
            }
            .into());
        }
        diesel::update(reviews::table.find(review_id))
            .set((
                reviews::endorsement.eq(Some(&endorsement)),
                reviews::endorsed_by.eq(Some(ctx.caller.id)),
                reviews::endorsed_at.eq(Some(naive(ctx.now))),
            ))
            .execute(conn)?;
        commit_change(
            conn,
            ctx,
            &loaded.row,
            Action::Endorse,
            next,
            Note::new(serde_json::json!({
                "review_id": review_id, "endorsement": endorsement,
            })),
        )?;
        review_rows(conn, id)?
            .into_iter()
            .find(|x| x.0 .0 == review_id)
            .map(review_view)
            .ok_or_else(StoreError::not_found)
    })
}

// ---- continuation and completion ----

/// A lead unit's progress report on a B item (续办).
#[derive(Debug, Serialize, ToSchema)]
pub struct ContinuationReport {
    #[schema(format = Int64, minimum = 1)]
    pub id: i64,
    #[schema(format = Int64, minimum = 1)]
    pub suggestion_id: i64,
    #[schema(format = Int64, minimum = 1)]
    pub unit_id: i64,
    pub progress: String,
    /// The matter is solved; then `reply_id` names the continuation reply (续复).
    pub solved: bool,
    #[schema(format = Int64)]
    pub reply_id: Option<i64>,
    pub created_at: DateTime<Utc>,
}

type ReportRow = (i64, i64, i64, String, bool, Option<i64>, i64, NaiveDateTime);

fn report_view(r: ReportRow) -> ContinuationReport {
    let (id, suggestion_id, unit_id, progress, solved, reply_id, _, created_at) = r;
    ContinuationReport { id, suggestion_id, unit_id, progress, solved, reply_id, created_at: utc(created_at) }
}

pub fn report_continuation(
    conn: &mut DbConn,
    ctx: &Ctx,
    id: i64,
    progress: &str,
    solved: bool,
    reply_id: Option<i64>,
) -> Result<ContinuationReport, StoreError> {
    let progress = required("progress", progress, TEXT_MAX)?;
    write(conn, |conn| {
        let loaded = load_mut(conn, ctx, id)?;
        let next = decide_for(conn, ctx, &loaded, Action::ReportContinuation, &Facts::default())?;
        let unit_id = loaded.assignment.as_ref().map(|a| a.unit_id).ok_or_else(StoreError::not_found)?;
        match (solved, reply_id) {
            (true, None) => {
                return Err(Refusal::Rule {
                    code: "continuation_reply_missing",
                    detail: "a report that declares the matter solved names its continuation reply (reply_id)".into(),
                }
                .into())
            }
            (_, Some(rid)) => {
                let ok = reply_rows(conn, id)?.iter().any(|r| {
                    r.id == rid
                        && r.unit_id == unit_id
                        && r.kind() == ReplyKind::Continuation
                        && r.state() == ReplyState::Sent
                });
                if !ok {
                    return Err(Refusal::field("reply_id", "names no sent continuation reply of this unit").into());
                }
            }
            (false, None) => {}
        }
        let report_id: i64 = diesel::insert_into(continuation_reports::table)
            .values((
                continuation_reports::suggestion_id.eq(id),
                continuation_reports::unit_id.eq(unit_id),
                continuation_reports::progress.eq(&progress),
                continuation_reports::solved.eq(solved),
                continuation_reports::reply_id.eq(reply_id),
                continuation_reports::created_by.eq(ctx.caller.id),
                continuation_reports::created_at.eq(naive(ctx.now)),
            ))
            .returning(continuation_reports::id)
            .get_result(conn)?;
        commit_change(
            conn,
            ctx,
            &loaded.row,
            Action::ReportContinuation,
            next,
            Note::new(serde_json::json!({
                "report_id": report_id, "solved": solved, "reply_id": reply_id,
            }))
            .unit(unit_id),
        )?;
        Ok(report_view(found(continuation_reports::table.find(report_id).get_result(conn))?))
    })
}

pub fn list_continuation(conn: &mut DbConn, caller: &Caller, id: i64) -> Result<Vec<ContinuationReport>, StoreError> {
    load(conn, caller, id)?;
    let rows: Vec<ReportRow> = continuation_reports::table
        .filter(continuation_reports::suggestion_id.eq(id))
        .order(continuation_reports::id.asc())
        .load(conn)?;
    Ok(rows.into_iter().map(report_view).collect())
}

/// The office completes a B item: only after a report that declares it solved (gate 5).
pub fn complete(conn: &mut DbConn, ctx: &Ctx, id: i64, class: ResultClass) -> Result<Suggestion, StoreError> {
    write_then_view(conn, id, |conn| {
        let loaded = load_mut(conn, ctx, id)?;
        let solved: i64 = continuation_reports::table
            .filter(continuation_reports::suggestion_id.eq(id))
            .filter(continuation_reports::solved.eq(true))
            .count()
            .get_result(conn)?;
        // Gate 5 is the table's: not completed without a report that declares it solved.
        let next =
            decide_for(conn, ctx, &loaded, Action::Complete, &Facts { solved_report: solved > 0, ..Facts::default() })?;
        diesel::update(suggestions::table.find(id))
            .set((
                suggestions::result_class.eq(Some(class.as_str())),
                suggestions::completed_at.eq(Some(naive(ctx.now))),
            ))
            .execute(conn)?;
        commit_change(
            conn,
            ctx,
            &loaded.row,
            Action::Complete,
            next,
            Note::new(serde_json::json!({
                "result_class": class.as_str(), "previous_class": loaded.row.result_class,
            })),
        )?;
        Ok(())
    })
}

// ---- visits ----

/// A later check on what was promised (回访 / 回头看).
#[derive(Debug, Serialize, ToSchema)]
pub struct Visit {
    #[schema(format = Int64, minimum = 1)]
    pub id: i64,
    #[schema(format = Int64, minimum = 1)]
    pub suggestion_id: i64,
    pub visited_at: DateTime<Utc>,
    pub findings: String,
    pub visitor: String,
    pub role: String,
    pub created_at: DateTime<Utc>,
}

type VisitRow = (i64, i64, NaiveDateTime, String, i64, String, String, NaiveDateTime);

fn visit_view(r: VisitRow) -> Visit {
    let (id, suggestion_id, visited_at, findings, _, visitor, role, created_at) = r;
    Visit { id, suggestion_id, visited_at: utc(visited_at), findings, visitor, role, created_at: utc(created_at) }
}

pub fn visit(
    conn: &mut DbConn,
    ctx: &Ctx,
    id: i64,
    visited_at: DateTime<Utc>,
    findings: &str,
) -> Result<Visit, StoreError> {
    let findings = required("findings", findings, TEXT_MAX)?;
    sane_instant("visited_at", visited_at)?;
    if visited_at > ctx.now {
        return Err(Refusal::field("visited_at", "must not be in the future").into());
    }
    write(conn, |conn| {
        let loaded = load_mut(conn, ctx, id)?;
        let next = decide_for(conn, ctx, &loaded, Action::Visit, &Facts::default())?;
        if loaded.row.assigned_at.is_some_and(|a| visited_at < utc(a)) {
            return Err(Refusal::field("visited_at", "must not be before the suggestion's assignment").into());
        }
        let vid: i64 = diesel::insert_into(visits::table)
            .values((
                visits::suggestion_id.eq(id),
                visits::visited_at.eq(naive(visited_at)),
                visits::findings.eq(&findings),
                visits::visitor_id.eq(ctx.caller.id),
                visits::visitor_name.eq(crate::accounts::display_name(conn, &ctx.caller)?),
                visits::role.eq(ctx.caller.role.as_str()),
                visits::created_at.eq(naive(ctx.now)),
            ))
            .returning(visits::id)
            .get_result(conn)?;
        commit_change(
            conn,
            ctx,
            &loaded.row,
            Action::Visit,
            next,
            Note::new(serde_json::json!({
                "visit_id": vid, "visited_at": visited_at,
            })),
        )?;
        Ok(visit_view(found(visits::table.find(vid).get_result(conn))?))
    })
}

pub fn list_visits(conn: &mut DbConn, caller: &Caller, id: i64) -> Result<Vec<Visit>, StoreError> {
    load(conn, caller, id)?;
    let rows: Vec<VisitRow> = visits::table.filter(visits::suggestion_id.eq(id)).order(visits::id.asc()).load(conn)?;
    Ok(rows.into_iter().map(visit_view).collect())
}

/// Whether every lead unit holding the suggestion has acknowledged (used by the demo's checks).
pub fn lead_units(conn: &mut DbConn, id: i64) -> Result<Vec<i64>, StoreError> {
    Ok(assignment_rows(conn, id)?
        .into_iter()
        .filter(|a| a.role() == AssignmentRole::Lead && a.state().is_formal())
        .map(|a| a.unit_id)
        .collect())
}
