//! Assignments (交办): proposals and objections, the formal assignment that starts every clock,
//! acknowledgement, reassignment requests and decisions, the assignment meeting (a whole session
//! at once), key suggestions and their checklist, and the waiver of an assist opinion.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use jianyi_domain::deadlines::{window_open, Step};
use jianyi_domain::handling::{
    AssignmentRole, AssignmentState, ChecklistItem, ConsultationState, ReassignmentState, MAX_UNITS,
};
use jianyi_domain::lifecycle::UnitStanding;
use jianyi_domain::lifecycle::{decide, from_states};
use jianyi_domain::session::congress_date;
use jianyi_domain::text::{optional, required, sane_date};
use jianyi_domain::{Action, Actor, Caller, Facts, FieldError, Refusal, Relation, SuggestionState};
use serde::Serialize;
use utoipa::ToSchema;

use crate::audit::{self, Entry};
use crate::error::found;
use crate::page::{Page, PageRequest};
use crate::schema::{assignments, committees, consultations, key_checklist, reassignment_requests, suggestions, units};
use crate::suggestions::{commit_change, decide_for, load, load_mut, write_then_view, Loaded, Note, Suggestion};
use crate::time::{naive, utc};
use crate::{write, Ctx, DbConn, StoreError};

const REASON_MAX: usize = 2_000;

/// The states in which an assignment still holds its suggestion, as stored (the domain says which).
pub(crate) fn active_states() -> [&'static str; 4] {
    AssignmentState::ACTIVE.map(AssignmentState::as_str)
}

#[derive(Debug, Clone, Queryable)]
pub struct AssignmentRow {
    pub id: i64,
    pub suggestion_id: i64,
    pub unit_id: i64,
    pub role: String,
    pub state: String,
    pub assigned_at: Option<NaiveDateTime>,
    pub acknowledge_due_on: Option<NaiveDate>,
    pub reassignment_window_ends_on: Option<NaiveDate>,
    pub opinion_due_on: Option<NaiveDate>,
    pub reply_due_on: Option<NaiveDate>,
    pub acknowledged_at: Option<NaiveDateTime>,
    pub objection: Option<String>,
    pub objected_at: Option<NaiveDateTime>,
    pub opinion_waived_reason: Option<String>,
    pub opinion_waived_at: Option<NaiveDateTime>,
    pub transferred_from: Option<i64>,
    pub ended_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl AssignmentRow {
    pub fn role(&self) -> AssignmentRole {
        AssignmentRole::parse(&self.role).unwrap_or(AssignmentRole::Assist)
    }

    pub fn state(&self) -> AssignmentState {
        AssignmentState::parse(&self.state).unwrap_or(AssignmentState::Cancelled)
    }

    pub fn standing(&self) -> UnitStanding {
        assignment_standing(self.role(), self.state())
    }
}

/// How an active assignment lets its unit act: proposed units only object; formal ones handle.
pub fn assignment_standing(role: AssignmentRole, state: AssignmentState) -> UnitStanding {
    match (state.is_formal(), role) {
        (false, _) => UnitStanding::Proposed,
        (true, AssignmentRole::Lead) => UnitStanding::Lead,
        (true, AssignmentRole::Assist) => UnitStanding::Assist,
    }
}

/// The unit's active assignment on a suggestion, if it holds one.
pub fn active_assignment(
    conn: &mut DbConn,
    suggestion_id: i64,
    unit_id: i64,
) -> Result<Option<AssignmentRow>, StoreError> {
    // The domain's ended states spelled as exclusions rather than `IN (…)`, so that the statement
    // is prepared once per connection (diesel does not cache statements with `IN` lists): it runs
    // on every unit request.
    let [ended, or_ended] = AssignmentState::ENDED;
    let query = assignments::table
        .filter(assignments::suggestion_id.eq(suggestion_id))
        .filter(assignments::unit_id.eq(unit_id))
        .filter(assignments::state.ne(ended.as_str()))
        .filter(assignments::state.ne(or_ended.as_str()));
    Ok(crate::on_backend!(conn, c => query.get_result(c).optional())?)
}

pub(crate) fn assignment_rows(conn: &mut DbConn, suggestion_id: i64) -> Result<Vec<AssignmentRow>, StoreError> {
    Ok(assignments::table
        .filter(assignments::suggestion_id.eq(suggestion_id))
        .order(assignments::id.asc())
        .load(conn)?)
}

/// An assignment as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Assignment {
    #[schema(format = Int64, minimum = 1)]
    pub id: i64,
    #[schema(format = Int64, minimum = 1)]
    pub suggestion_id: i64,
    #[schema(format = Int64, minimum = 1)]
    pub unit_id: i64,
    pub unit_name: String,
    pub role: AssignmentRole,
    pub state: AssignmentState,
    /// The formal assignment date, which starts this unit's clocks.
    pub assigned_at: Option<DateTime<Utc>>,
    /// 签收 due (3 working days after assignment).
    pub acknowledge_due_on: Option<NaiveDate>,
    /// Last day a reassignment may be requested (5 working days after assignment).
    pub reassignment_window_ends_on: Option<NaiveDate>,
    /// For an assisting unit: its opinion is due (1 month after assignment).
    pub opinion_due_on: Option<NaiveDate>,
    /// For a lead unit: its reply is due (3 months after assignment, or the rehandling date).
    pub reply_due_on: Option<NaiveDate>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// A proposed unit's objection.
    pub objection: Option<String>,
    /// Why the office waived this assisting unit's opinion.
    pub opinion_waived_reason: Option<String>,
    /// The assignment this one replaced after a reassignment.
    #[schema(format = Int64)]
    pub transferred_from: Option<i64>,
    pub created_at: DateTime<Utc>,
}

fn views(conn: &mut DbConn, rows: Vec<AssignmentRow>) -> Result<Vec<Assignment>, StoreError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.unit_id).collect();
    let names: Vec<(i64, String)> =
        units::table.filter(units::id.eq_any(&ids)).select((units::id, units::name)).load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| Assignment {
            unit_name: names.iter().find(|n| n.0 == r.unit_id).map(|n| n.1.clone()).unwrap_or_default(),
            role: r.role(),
            state: r.state(),
            id: r.id,
            suggestion_id: r.suggestion_id,
            unit_id: r.unit_id,
            assigned_at: r.assigned_at.map(utc),
            acknowledge_due_on: r.acknowledge_due_on,
            reassignment_window_ends_on: r.reassignment_window_ends_on,
            opinion_due_on: r.opinion_due_on,
            reply_due_on: r.reply_due_on,
            acknowledged_at: r.acknowledged_at.map(utc),
            objection: r.objection,
            opinion_waived_reason: r.opinion_waived_reason,
            transferred_from: r.transferred_from,
            created_at: utc(r.created_at),
        })
        .collect())
}

fn assignment(conn: &mut DbConn, id: i64) -> Result<Assignment, StoreError> {
    let row: AssignmentRow = found(assignments::table.find(id).get_result(conn))?;
    views(conn, vec![row])?.pop().ok_or_else(StoreError::not_found)
}

/// A suggestion's assignments, to whoever may see the suggestion.
pub fn list_for_suggestion(conn: &mut DbConn, caller: &Caller, id: i64) -> Result<Vec<Assignment>, StoreError> {
    load(conn, caller, id)?;
    let rows = assignment_rows(conn, id)?;
    let mut list = views(conn, rows)?;
    // What passes between the units and the office (objections, waivers) is not the deputies'.
    if jianyi_domain::permissions::may_read_assist_opinions(caller).is_err() {
        for a in &mut list {
            a.objection = None;
            a.opinion_waived_reason = None;
        }
    }
    Ok(list)
}

/// A unit's assignments: its own staff see them, as do the office, supervisors and auditors.
pub fn list_for_unit(
    conn: &mut DbConn,
    caller: &Caller,
    unit_id: i64,
    state: Option<AssignmentState>,
    page: PageRequest,
) -> Result<Page<Assignment>, StoreError> {
    if !jianyi_domain::permissions::may_read_unit_ledger(caller, unit_id) {
        return Err(StoreError::not_found());
    }
    found(units::table.find(unit_id).select(units::id).get_result::<i64>(conn))?;
    let mut q =
        assignments::table.filter(assignments::unit_id.eq(unit_id)).filter(assignments::id.gt(page.after)).into_boxed();
    match state {
        Some(s) => q = q.filter(assignments::state.eq(s.as_str())),
        // By default the unit's current work: transferred and cancelled ones only when asked for.
        None => q = q.filter(assignments::state.eq_any(active_states())),
    }
    let rows: Vec<AssignmentRow> = q.order(assignments::id.asc()).limit(page.fetch()).load(conn)?;
    let page = page.page(rows, |r| r.id);
    Ok(Page { items: views(conn, page.items)?, next_cursor: page.next_cursor })
}

/// One unit of an assignment request.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct UnitChoice {
    pub unit_id: i64,
    pub role: AssignmentRole,
}

/// The units of one suggestion: see [`check_units_known`].
fn check_units(conn: &mut DbConn, field: &str, choices: &[UnitChoice]) -> Result<(), StoreError> {
    // Before the units are looked up.
    within_bound(|| field.to_owned(), choices)?;
    let ids: Vec<i64> = choices.iter().map(|c| c.unit_id).collect();
    let mut known: Vec<i64> = units::table.filter(units::id.eq_any(&ids)).select(units::id).load(conn)?;
    known.sort_unstable();
    Ok(check_units_known(&known, || field.to_owned(), choices)?)
}

/// The deadlines of a formal assignment made on `day`.
struct Clocks {
    acknowledge: NaiveDate,
    window: NaiveDate,
    opinion: Option<NaiveDate>,
    reply: Option<NaiveDate>,
}

fn clocks(day: NaiveDate, role: AssignmentRole) -> Clocks {
    Clocks {
        acknowledge: Step::Acknowledge.due(day),
        window: Step::ReassignmentWindow.due(day),
        opinion: (role == AssignmentRole::Assist).then(|| Step::AssistOpinion.due(day)),
        reply: (role == AssignmentRole::Lead).then(|| Step::Reply.due(day)),
    }
}

/// Ends the proposals (proposed or objected) of a suggestion, before new ones replace them.
fn cancel_proposals(conn: &mut DbConn, ctx: &Ctx, id: i64) -> Result<(), StoreError> {
    cancel_proposals_of(conn, ctx, &[id])
}

/// [`cancel_proposals`] for many suggestions in one statement.
fn cancel_proposals_of(conn: &mut DbConn, ctx: &Ctx, ids: &[i64]) -> Result<(), StoreError> {
    diesel::update(
        assignments::table.filter(assignments::suggestion_id.eq_any(ids)).filter(
            assignments::state.eq_any([AssignmentState::Proposed.as_str(), AssignmentState::Objected.as_str()]),
        ),
    )
    .set((
        assignments::state.eq(AssignmentState::Cancelled.as_str()),
        assignments::ended_at.eq(Some(naive(ctx.now))),
        assignments::updated_at.eq(naive(ctx.now)),
    ))
    .execute(conn)?;
    Ok(())
}

/// Inserts assignments, proposed or formal, in batches.
fn insert_assignments(
    conn: &mut DbConn,
    ctx: &Ctx,
    items: &[(i64, UnitChoice)],
    formal: bool,
    transferred_from: Option<i64>,
) -> Result<(), StoreError> {
    use crate::time::{Day, Stamp};
    let day = congress_date(ctx.now);
    let state = if formal { AssignmentState::Assigned } else { AssignmentState::Proposed };
    // Every row has the same time and, per role, the same dates: written out once each.
    let now = Stamp::new(naive(ctx.now));
    let dates = |role| {
        let k = clocks(day, role);
        (Day::new(k.acknowledge), Day::new(k.window), k.opinion.map(Day::new), k.reply.map(Day::new))
    };
    let (lead, assist) = (dates(AssignmentRole::Lead), dates(AssignmentRole::Assist));
    let rows: Vec<_> = items
        .iter()
        .map(|(suggestion_id, c)| {
            let (acknowledge, window, opinion, reply) = if c.role == AssignmentRole::Lead { lead } else { assist };
            (
                assignments::suggestion_id.eq(*suggestion_id),
                assignments::unit_id.eq(c.unit_id),
                assignments::role.eq(c.role.as_str()),
                assignments::state.eq(state.as_str()),
                assignments::assigned_at.eq(formal.then_some(now)),
                assignments::acknowledge_due_on.eq(formal.then_some(acknowledge)),
                assignments::reassignment_window_ends_on.eq(formal.then_some(window)),
                assignments::opinion_due_on.eq(opinion.filter(|_| formal)),
                assignments::reply_due_on.eq(reply.filter(|_| formal)),
                assignments::transferred_from.eq(transferred_from),
                assignments::created_at.eq(now),
                assignments::updated_at.eq(now),
            )
        })
        .collect();
    crate::insert_many!(conn, assignments::table, &rows).map_err(|e| match e {
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _) => {
            StoreError::Conflict {
                code: "already_assigned",
                field: "units",
                detail: "a unit already holds this suggestion".into(),
            }
        }
        other => StoreError::Db(other),
    })?;
    Ok(())
}

/// Makes every proposal of a suggestion formal.
fn formalize_proposals(conn: &mut DbConn, ctx: &Ctx, id: i64) -> Result<usize, StoreError> {
    let day = congress_date(ctx.now);
    let proposals: Vec<AssignmentRow> = assignments::table
        .filter(assignments::suggestion_id.eq(id))
        .filter(assignments::state.eq_any([AssignmentState::Proposed.as_str(), AssignmentState::Objected.as_str()]))
        .load(conn)?;
    for p in &proposals {
        let k = clocks(day, p.role());
        diesel::update(assignments::table.find(p.id))
            .set((
                assignments::state.eq(AssignmentState::Assigned.as_str()),
                assignments::assigned_at.eq(Some(naive(ctx.now))),
                assignments::acknowledge_due_on.eq(Some(k.acknowledge)),
                assignments::reassignment_window_ends_on.eq(Some(k.window)),
                assignments::opinion_due_on.eq(k.opinion),
                assignments::reply_due_on.eq(k.reply),
                assignments::updated_at.eq(naive(ctx.now)),
            ))
            .execute(conn)?;
    }
    Ok(proposals.len())
}

/// Stamps the formal assignment on the suggestion: the clock of every later deadline.
fn stamp_assigned(conn: &mut DbConn, ctx: &Ctx, id: i64) -> Result<NaiveDate, StoreError> {
    let due = Step::Reply.due(congress_date(ctx.now));
    diesel::update(suggestions::table.find(id))
        .set((suggestions::assigned_at.eq(Some(naive(ctx.now))), suggestions::reply_due_on.eq(Some(due))))
        .execute(conn)?;
    Ok(due)
}

/// `POST /suggestions/{id}/assignments`: proposes units (replacing earlier proposals) or assigns
/// them formally at once.
pub fn add(
    conn: &mut DbConn,
    ctx: &Ctx,
    id: i64,
    choices: &[UnitChoice],
    proposed: bool,
) -> Result<Suggestion, StoreError> {
    write_then_view(conn, id, |conn| {
        let loaded = load_mut(conn, ctx, id)?;
        let action = if proposed { Action::Propose } else { Action::Assign };
        let next = decide_for(conn, ctx, &loaded, action, &Facts::default())?;
        check_units(conn, "units", choices)?;
        cancel_proposals(conn, ctx, id)?;
        let items: Vec<(i64, UnitChoice)> = choices.iter().map(|c| (id, *c)).collect();
        insert_assignments(conn, ctx, &items, !proposed, None)?;
        let mut note = Note::new(serde_json::json!({ "units": choices, "proposed": proposed }));
        if !proposed {
            let due = stamp_assigned(conn, ctx, id)?;
            note.details["reply_due_on"] = serde_json::json!(due);
        }
        commit_change(conn, ctx, &loaded.row, action, next, note)?;
        Ok(())
    })
}

/// `POST /suggestions/{id}/assign`: the proposals become the formal assignment.
pub fn assign_proposals(conn: &mut DbConn, ctx: &Ctx, id: i64) -> Result<Suggestion, StoreError> {
    write_then_view(conn, id, |conn| {
        let loaded = load_mut(conn, ctx, id)?;
        let next = decide_for(conn, ctx, &loaded, Action::Assign, &Facts::default())?;
        let proposals: Vec<AssignmentRow> = assignment_rows(conn, id)?
            .into_iter()
            .filter(|a| matches!(a.state(), AssignmentState::Proposed | AssignmentState::Objected))
            .collect();
        if !proposals.iter().any(|a| a.role() == AssignmentRole::Lead) {
            return Err(Refusal::Rule {
                code: "no_proposed_lead",
                detail: "propose the units first (POST …/assignments with proposed: true), one of them the lead".into(),
            }
            .into());
        }
        let n = formalize_proposals(conn, ctx, id)?;
        let due = stamp_assigned(conn, ctx, id)?;
        commit_change(
            conn,
            ctx,
            &loaded.row,
            Action::Assign,
            next,
            Note::new(serde_json::json!({
                "units": n, "reply_due_on": due, "from_proposals": true,
            })),
        )?;
        Ok(())
    })
}

/// One suggestion of the assignment meeting, and its units.
#[derive(Debug, Clone)]
pub struct MeetingItem {
    pub suggestion_id: i64,
    pub units: Vec<UnitChoice>,
}

/// What the assignment meeting did.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeetingResult {
    #[schema(format = Int64, minimum = 1)]
    pub session_id: i64,
    /// How many suggestions were assigned.
    #[schema(format = Int64, minimum = 1)]
    pub assigned: usize,
    /// How many assignments were made.
    #[schema(format = Int64, minimum = 1)]
    pub assignments: usize,
    pub assigned_at: DateTime<Utc>,
}

/// The assignment meeting (交办会): a whole session's suggestions assigned at once, all or
/// nothing. Every item is checked before anything is written; the refusal lists each item's
/// errors (`items[3].units[0].unit_id`).
pub fn assign_session(
    conn: &mut DbConn,
    ctx: &Ctx,
    session_id: i64,
    items: &[MeetingItem],
) -> Result<MeetingResult, StoreError> {
    // Who may hold the meeting, from the table (a registered suggestion by this caller).
    let staff = Actor::new(ctx.caller.role, Relation::None);
    let next = decide(SuggestionState::Registered, Action::Assign, staff, &Facts::default())?;
    if items.is_empty() {
        return Err(Refusal::field("items", "at least one suggestion").into());
    }
    write(conn, |conn| {
        crate::reference::session_row(conn, session_id)?;
        let ids: Vec<i64> = items.iter().map(|i| i.suggestion_id).collect();
        // Only what the checks need (id, session, state): the rows' texts would be read for nothing.
        // Not locked (on PostgreSQL, locking ten thousand rows writes each of them once more):
        // the state change below is guarded, and a suggestion changed since this read fails the
        // whole meeting.
        let mut rows: Vec<(i64, i64, String)> = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(5_000) {
            let query = suggestions::table.filter(suggestions::id.eq_any(chunk)).select((
                suggestions::id,
                suggestions::session_id,
                suggestions::state,
            ));
            rows.extend(query.load::<(i64, i64, String)>(conn)?);
        }
        let mut unit_ids: Vec<i64> = units::table.select(units::id).load(conn)?;
        unit_ids.sort_unstable();
        // Thousands of items: look them up, never scan.
        let mut checked: std::collections::HashMap<i64, (i64, SuggestionState)> =
            std::collections::HashMap::with_capacity(rows.len());
        for (id, session, state) in &rows {
            let state = SuggestionState::parse(state)
                .ok_or_else(|| StoreError::Config(format!("suggestion {id} is {state:?}")))?;
            checked.insert(*id, (*session, state));
        }
        let mut seen = std::collections::HashSet::with_capacity(items.len());
        let mut errors = vec![];
        for (i, item) in items.iter().enumerate() {
            // The field's name is written out only for an error.
            let suggestion = || format!("items[{i}].suggestion_id");
            if !seen.insert(item.suggestion_id) {
                errors.push(FieldError::new(suggestion(), "is listed twice"));
                continue;
            }
            match checked.get(&item.suggestion_id) {
                None => errors.push(FieldError::new(suggestion(), "names no such suggestion")),
                Some((session, _)) if *session != session_id => {
                    errors.push(FieldError::new(suggestion(), "belongs to another session"))
                }
                // Each item as the table decides it; a refusal is the item's error, in its words.
                Some((_, state)) => {
                    if let Err(refusal) = decide(*state, Action::Assign, staff, &Facts::default()) {
                        errors.push(FieldError::new(suggestion(), refusal.to_string()));
                    }
                }
            }
            if let Err(Refusal::Validation(e)) =
                check_units_known(&unit_ids, || format!("items[{i}].units"), &item.units)
            {
                errors.extend(e);
            }
        }
        if !errors.is_empty() {
            return Err(Refusal::Validation(errors).into());
        }
        let flat: Vec<(i64, UnitChoice)> =
            items.iter().flat_map(|i| i.units.iter().map(move |c| (i.suggestion_id, *c))).collect();
        for chunk in ids.chunks(5_000) {
            cancel_proposals_of(conn, ctx, chunk)?;
        }
        insert_assignments(conn, ctx, &flat, true, None)?;
        let due = Step::Reply.due(congress_date(ctx.now));
        let assignable: Vec<&str> = from_states(Action::Assign).iter().map(|s| s.as_str()).collect();
        for chunk in ids.chunks(5_000) {
            // Guarded like every transition: a suggestion that changed since it was checked
            // (withdrawn, assigned by another call) fails the whole meeting.
            let changed = diesel::update(
                suggestions::table.filter(suggestions::id.eq_any(chunk)).filter(suggestions::state.eq_any(&assignable)),
            )
            .set((
                suggestions::state.eq(next.as_str()),
                suggestions::assigned_at.eq(Some(naive(ctx.now))),
                suggestions::reply_due_on.eq(Some(due)),
                suggestions::updated_at.eq(naive(ctx.now)),
                suggestions::version.eq(suggestions::version + 1),
            ))
            .execute(conn)?;
            if changed != chunk.len() {
                return Err(Refusal::Rule {
                    code: "concurrent_change",
                    detail: "some suggestions changed while the meeting was checked; nothing was assigned: try again"
                        .into(),
                }
                .into());
            }
        }
        audit::record_many(
            conn,
            ctx,
            items.iter().map(|item| {
                Entry::new(Action::Assign.as_str(), "suggestion", item.suggestion_id)
                    .on_suggestion(item.suggestion_id, checked[&item.suggestion_id].1.as_str(), next.as_str())
                    .details_of(&MeetingDetails {
                        units: &item.units,
                        reply_due_on: due,
                        assignment_meeting: session_id,
                    })
            }),
        )?;
        Ok(MeetingResult { session_id, assigned: items.len(), assignments: flat.len(), assigned_at: ctx.now })
    })
}

/// What the meeting's audit row says of each suggestion.
#[derive(serde::Serialize)]
struct MeetingDetails<'a> {
    units: &'a [UnitChoice],
    reply_due_on: NaiveDate,
    assignment_meeting: i64,
}

/// The units of one suggestion: at least one, at most [`MAX_UNITS`], one of them the lead; a
/// unit at most once; every unit exists, by the sorted ids of `known` (the meeting checks
/// thousands at once against every unit).
/// `field` names the list, written out only for an error.
fn check_units_known(known: &[i64], field: impl Fn() -> String, choices: &[UnitChoice]) -> Result<(), Refusal> {
    // The bound first, alone: the checks below compare every unit with those before it.
    within_bound(&field, choices)?;
    let mut errors = vec![];
    if choices.is_empty() {
        errors.push(FieldError::new(field(), "at least one unit, one of them the lead"));
    } else if !choices.iter().any(|c| c.role == AssignmentRole::Lead) {
        errors.push(FieldError::new(field(), "at least one unit must lead"));
    }
    for (i, c) in choices.iter().enumerate() {
        if choices[..i].iter().any(|o| o.unit_id == c.unit_id) {
            errors.push(FieldError::new(
                format!("{}[{i}].unit_id", field()),
                "is listed twice: a unit is assigned at most once",
            ));
        } else if known.binary_search(&c.unit_id).is_err() {
            errors.push(FieldError::new(format!("{}[{i}].unit_id", field()), "names no such unit"));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Refusal::Validation(errors))
    }
}

/// At most [`MAX_UNITS`] units for one suggestion.
fn within_bound(field: impl Fn() -> String, choices: &[UnitChoice]) -> Result<(), Refusal> {
    match choices.len() > MAX_UNITS {
        true => Err(Refusal::field(field(), format!("at most {MAX_UNITS} units"))),
        false => Ok(()),
    }
}

/// The caller's unit's assignment named in the path: it must be theirs.
fn own_assignment(loaded: &Loaded, assignment_id: i64) -> Result<&AssignmentRow, StoreError> {
    match &loaded.assignment {
        Some(a) if a.id == assignment_id => Ok(a),
        // Another unit's assignment, or none: as if it did not exist.
        _ => Err(StoreError::not_found()),
    }
}

/// Whether the suggestion may start handling: every formal assignment acknowledged, no proposal
/// left and no reassignment request open.
fn handling_ready(conn: &mut DbConn, id: i64) -> Result<bool, StoreError> {
    let rows = assignment_rows(conn, id)?;
    let all_acknowledged =
        rows.iter().filter(|a| a.state().is_active()).all(|a| a.state() == AssignmentState::Acknowledged);
    let open: i64 = reassignment_requests::table
        .filter(reassignment_requests::suggestion_id.eq(id))
        .filter(reassignment_requests::state.eq(ReassignmentState::Open.as_str()))
        .count()
        .get_result(conn)?;
    Ok(all_acknowledged && open == 0 && rows.iter().any(|a| a.state().is_active()))
}

/// A proposed unit objects to its proposal.
pub fn object(
    conn: &mut DbConn,
    ctx: &Ctx,
    id: i64,
    assignment_id: i64,
    reason: &str,
) -> Result<Assignment, StoreError> {
    let reason = required("reason", reason, REASON_MAX)?;
    write(conn, |conn| {
        let loaded = load_mut(conn, ctx, id)?;
        let next = decide_for(conn, ctx, &loaded, Action::Object, &Facts::default())?;
        let a = own_assignment(&loaded, assignment_id)?.clone();
        diesel::update(assignments::table.find(a.id))
            .set((
                assignments::state.eq(AssignmentState::Objected.as_str()),
                assignments::objection.eq(Some(&reason)),
                assignments::objected_at.eq(Some(naive(ctx.now))),
                assignments::updated_at.eq(naive(ctx.now)),
            ))
            .execute(conn)?;
        commit_change(
            conn,
            ctx,
            &loaded.row,
            Action::Object,
            next,
            Note::new(serde_json::json!({
                "assignment_id": a.id, "reason": reason,
            }))
            .unit(a.unit_id),
        )?;
        assignment(conn, a.id)
    })
}

/// 签收: the unit confirms receipt; the last acknowledgement starts the handling.
pub fn acknowledge(conn: &mut DbConn, ctx: &Ctx, id: i64, assignment_id: i64) -> Result<Assignment, StoreError> {
    write(conn, |conn| {
        let loaded = load_mut(conn, ctx, id)?;
        // Who and when first; whether all are acknowledged is known only after this one.
        decide_for(conn, ctx, &loaded, Action::Acknowledge, &Facts::default())?;
        let a = own_assignment(&loaded, assignment_id)?.clone();
        if a.state() != AssignmentState::Assigned {
            return Err(Refusal::Rule {
                code: "already_acknowledged",
                detail: format!("this assignment is {}, not waiting for acknowledgement", a.state()),
            }
            .into());
        }
        diesel::update(assignments::table.find(a.id))
            .set((
                assignments::state.eq(AssignmentState::Acknowledged.as_str()),
                assignments::acknowledged_at.eq(Some(naive(ctx.now))),
                assignments::updated_at.eq(naive(ctx.now)),
            ))
            .execute(conn)?;
        let facts = Facts { handling_ready: handling_ready(conn, id)?, ..Facts::default() };
        let next = decide_for(conn, ctx, &loaded, Action::Acknowledge, &facts)?;
        let note =
            Note::new(serde_json::json!({ "assignment_id": a.id })).unit(a.unit_id).deadline(ctx, a.acknowledge_due_on);
        commit_change(conn, ctx, &loaded.row, Action::Acknowledge, next, note)?;
        assignment(conn, a.id)
    })
}

/// A reassignment request (改办).
#[derive(Debug, Serialize, ToSchema)]
pub struct ReassignmentRequest {
    #[schema(format = Int64, minimum = 1)]
    pub id: i64,
    #[schema(format = Int64, minimum = 1)]
    pub assignment_id: i64,
    #[schema(format = Int64, minimum = 1)]
    pub suggestion_id: i64,
    #[schema(format = Int64, minimum = 1)]
    pub unit_id: i64,
    pub reason: String,
    /// The unit the requester thinks should handle it.
    #[schema(format = Int64)]
    pub proposed_unit_id: Option<i64>,
    pub state: ReassignmentState,
    /// The office's note on its decision.
    pub note: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    /// After an approval: the new unit's assignment.
    #[schema(format = Int64)]
    pub new_assignment_id: Option<i64>,
    pub created_at: DateTime<Utc>,
}

type RequestRow = (
    i64,
    i64,
    i64,
    i64,
    String,
    Option<i64>,
    String,
    Option<String>,
    Option<NaiveDateTime>,
    Option<i64>,
    Option<i64>,
    NaiveDateTime,
);

fn request_view(r: RequestRow) -> ReassignmentRequest {
    let (
        id,
        assignment_id,
        suggestion_id,
        unit_id,
        reason,
        proposed_unit_id,
        state,
        note,
        decided_at,
        _,
        new_assignment_id,
        created_at,
    ) = r;
    ReassignmentRequest {
        id,
        assignment_id,
        suggestion_id,
        unit_id,
        reason,
        proposed_unit_id,
        state: ReassignmentState::parse(&state).unwrap_or(ReassignmentState::Open),
        note,
        decided_at: decided_at.map(utc),
        new_assignment_id,
        created_at: utc(created_at),
    }
}

fn request(conn: &mut DbConn, id: i64) -> Result<RequestRow, StoreError> {
    found(reassignment_requests::table.find(id).get_result(conn))
}

/// A unit asks to be replaced, within its window (default 5 working days after its assignment).
pub fn request_reassignment(
    conn: &mut DbConn,
    ctx: &Ctx,
    id: i64,
    assignment_id: i64,
    reason: &str,
    proposed_unit_id: Option<i64>,
) -> Result<ReassignmentRequest, StoreError> {
    let reason = required("reason", reason, REASON_MAX)?;
    write(conn, |conn| {
        let loaded = load_mut(conn, ctx, id)?;
        let next = decide_for(conn, ctx, &loaded, Action::RequestReassignment, &Facts::default())?;
        let a = own_assignment(&loaded, assignment_id)?.clone();
        if let Some(last) = a.reassignment_window_ends_on {
            window_open("reassignment_window_closed", congress_date(ctx.now), last)?;
        }
        let open: i64 = reassignment_requests::table
            .filter(reassignment_requests::assignment_id.eq(a.id))
            .filter(reassignment_requests::state.eq(ReassignmentState::Open.as_str()))
            .count()
            .get_result(conn)?;
        if open > 0 {
            return Err(Refusal::Rule {
                code: "reassignment_pending",
                detail: "a request of this unit awaits the office's decision".into(),
            }
            .into());
        }
        if let Some(p) = proposed_unit_id {
            if units::table.find(p).count().get_result::<i64>(conn)? == 0 {
                return Err(Refusal::field("proposed_unit_id", "names no such unit").into());
            }
        }
        let rid: i64 = diesel::insert_into(reassignment_requests::table)
            .values((
                reassignment_requests::assignment_id.eq(a.id),
                reassignment_requests::suggestion_id.eq(id),
                reassignment_requests::unit_id.eq(a.unit_id),
                reassignment_requests::reason.eq(&reason),
                reassignment_requests::proposed_unit_id.eq(proposed_unit_id),
                reassignment_requests::state.eq(ReassignmentState::Open.as_str()),
                reassignment_requests::created_at.eq(naive(ctx.now)),
            ))
            .returning(reassignment_requests::id)
            .get_result(conn)?;
        let note = Note::new(serde_json::json!({
            "request_id": rid, "assignment_id": a.id, "reason": reason, "proposed_unit_id": proposed_unit_id,
        }))
        .unit(a.unit_id)
        .deadline(ctx, a.reassignment_window_ends_on);
        commit_change(conn, ctx, &loaded.row, Action::RequestReassignment, next, note)?;
        Ok(request_view(request(conn, rid)?))
    })
}

/// The office's decision on a reassignment request, as asked.
pub struct Decision {
    pub approve: bool,
    /// Required to approve.
    pub new_unit_id: Option<i64>,
    /// Required to refuse.
    pub note: Option<String>,
}

/// Approves (the old assignment ends `transferred`, the new unit gets its own assignment and
/// clock) or refuses a reassignment request.
pub fn decide_reassignment(
    conn: &mut DbConn,
    ctx: &Ctx,
    request_id: i64,
    decision: Decision,
) -> Result<ReassignmentRequest, StoreError> {
    write(conn, |conn| {
        let r = request(conn, request_id)?;
        let (_, assignment_id, suggestion_id, ..) = r;
        let loaded = load_mut(conn, ctx, suggestion_id)?;
        // Permission and state first, with the facts of the outcome computed below.
        decide_for(conn, ctx, &loaded, Action::DecideReassignment, &Facts::default())?;
        if r.6 != ReassignmentState::Open.as_str() {
            return Err(Refusal::Rule { code: "already_decided", detail: format!("this request is {}", r.6) }.into());
        }
        let old: AssignmentRow = found(assignments::table.find(assignment_id).get_result(conn))?;
        let note = optional("note", decision.note.as_deref(), REASON_MAX)?;
        let (state, note, new_assignment) = match (decision.approve, decision.new_unit_id, note) {
            (true, None, _) => return Err(Refusal::field("new_unit_id", "is required to approve").into()),
            (false, _, None) => return Err(Refusal::field("note", "is required to refuse").into()),
            (true, Some(new_unit_id), note) => {
                let new_unit_id = &new_unit_id;
                if units::table.find(*new_unit_id).count().get_result::<i64>(conn)? == 0 {
                    return Err(Refusal::field("new_unit_id", "names no such unit").into());
                }
                if active_assignment(conn, suggestion_id, *new_unit_id)?.is_some() {
                    return Err(Refusal::field("new_unit_id", "already holds this suggestion").into());
                }
                diesel::update(assignments::table.find(old.id))
                    .set((
                        assignments::state.eq(AssignmentState::Transferred.as_str()),
                        assignments::ended_at.eq(Some(naive(ctx.now))),
                        assignments::updated_at.eq(naive(ctx.now)),
                    ))
                    .execute(conn)?;
                // The old unit's open bookings go with it: nobody could record them now.
                diesel::update(
                    consultations::table.filter(consultations::assignment_id.eq(old.id)).filter(
                        consultations::state
                            .eq_any([ConsultationState::Proposed.as_str(), ConsultationState::Confirmed.as_str()]),
                    ),
                )
                .set((
                    consultations::state.eq(ConsultationState::Cancelled.as_str()),
                    consultations::updated_at.eq(naive(ctx.now)),
                ))
                .execute(conn)?;
                let choice = UnitChoice { unit_id: *new_unit_id, role: old.role() };
                insert_assignments(conn, ctx, &[(suggestion_id, choice)], true, Some(old.id))?;
                let new_id: i64 = assignments::table
                    .filter(assignments::suggestion_id.eq(suggestion_id))
                    .filter(assignments::unit_id.eq(new_unit_id))
                    .filter(assignments::state.eq(AssignmentState::Assigned.as_str()))
                    .select(assignments::id)
                    .get_result(conn)?;
                // The suggestion's reply is due when its latest lead's is.
                if old.role() == AssignmentRole::Lead {
                    let latest: Option<NaiveDate> = assignments::table
                        .filter(assignments::suggestion_id.eq(suggestion_id))
                        .filter(assignments::role.eq(AssignmentRole::Lead.as_str()))
                        .filter(assignments::state.eq_any(active_states()))
                        .select(diesel::dsl::max(assignments::reply_due_on))
                        .get_result(conn)?;
                    diesel::update(suggestions::table.find(suggestion_id))
                        .set(suggestions::reply_due_on.eq(latest))
                        .execute(conn)?;
                }
                (ReassignmentState::Approved, note, Some(new_id))
            }
            (false, _, note) => (ReassignmentState::Refused, note, None),
        };
        diesel::update(reassignment_requests::table.find(request_id))
            .set((
                reassignment_requests::state.eq(state.as_str()),
                reassignment_requests::note.eq(note.as_deref()),
                reassignment_requests::decided_at.eq(Some(naive(ctx.now))),
                reassignment_requests::decided_by.eq(Some(ctx.caller.id)),
                reassignment_requests::new_assignment_id.eq(new_assignment),
            ))
            .execute(conn)?;
        let facts = Facts { handling_ready: handling_ready(conn, suggestion_id)?, ..Facts::default() };
        let next = decide_for(conn, ctx, &loaded, Action::DecideReassignment, &facts)?;
        let due = Step::ReassignmentDecision.due(congress_date(utc(r.11)));
        let note = Note::new(serde_json::json!({
            "request_id": request_id, "decision": state.as_str(), "note": note, "new_assignment_id": new_assignment,
        }))
        .unit(old.unit_id)
        .deadline(ctx, Some(due));
        commit_change(conn, ctx, &loaded.row, Action::DecideReassignment, next, note)?;
        Ok(request_view(request(conn, request_id)?))
    })
}

pub fn get_request(conn: &mut DbConn, caller: &Caller, id: i64) -> Result<ReassignmentRequest, StoreError> {
    let r = request(conn, id)?;
    load(conn, caller, r.2)?;
    Ok(request_view(r))
}

pub fn list_requests(conn: &mut DbConn, caller: &Caller, id: i64) -> Result<Vec<ReassignmentRequest>, StoreError> {
    load(conn, caller, id)?;
    let rows: Vec<RequestRow> = reassignment_requests::table
        .filter(reassignment_requests::suggestion_id.eq(id))
        .order(reassignment_requests::id.asc())
        .load(conn)?;
    Ok(rows.into_iter().map(request_view).collect())
}

/// The office waives an assisting unit's missing opinion, with a reason (gate 1).
pub fn waive_opinion(
    conn: &mut DbConn,
    ctx: &Ctx,
    id: i64,
    assignment_id: i64,
    reason: &str,
) -> Result<Assignment, StoreError> {
    let reason = required("reason", reason, REASON_MAX)?;
    write(conn, |conn| {
        let loaded = load_mut(conn, ctx, id)?;
        let next = decide_for(conn, ctx, &loaded, Action::WaiveOpinion, &Facts::default())?;
        let a: AssignmentRow =
            found(assignments::table.find(assignment_id).filter(assignments::suggestion_id.eq(id)).get_result(conn))?;
        if a.role() != AssignmentRole::Assist || !a.state().is_formal() {
            return Err(Refusal::field("assignment_id", "is not an assisting unit's current assignment").into());
        }
        diesel::update(assignments::table.find(a.id))
            .set((
                assignments::opinion_waived_reason.eq(Some(&reason)),
                assignments::opinion_waived_at.eq(Some(naive(ctx.now))),
                assignments::updated_at.eq(naive(ctx.now)),
            ))
            .execute(conn)?;
        commit_change(
            conn,
            ctx,
            &loaded.row,
            Action::WaiveOpinion,
            next,
            Note::new(serde_json::json!({
                "assignment_id": a.id, "reason": reason,
            }))
            .unit(a.unit_id),
        )?;
        assignment(conn, a.id)
    })
}

/// Withdrawal ends the handling: open assignments are cancelled, bookings and requests closed.
pub(crate) fn end_handling(conn: &mut DbConn, ctx: &Ctx, id: i64) -> Result<(), StoreError> {
    diesel::update(
        assignments::table.filter(assignments::suggestion_id.eq(id)).filter(assignments::state.eq_any(active_states())),
    )
    .set((
        assignments::state.eq(AssignmentState::Cancelled.as_str()),
        assignments::ended_at.eq(Some(naive(ctx.now))),
        assignments::updated_at.eq(naive(ctx.now)),
    ))
    .execute(conn)?;
    diesel::update(consultations::table.filter(consultations::suggestion_id.eq(id)).filter(
        consultations::state.eq_any([ConsultationState::Proposed.as_str(), ConsultationState::Confirmed.as_str()]),
    ))
    .set((consultations::state.eq(ConsultationState::Cancelled.as_str()), consultations::updated_at.eq(naive(ctx.now))))
    .execute(conn)?;
    diesel::update(
        reassignment_requests::table
            .filter(reassignment_requests::suggestion_id.eq(id))
            .filter(reassignment_requests::state.eq(ReassignmentState::Open.as_str())),
    )
    .set((
        reassignment_requests::state.eq(ReassignmentState::Refused.as_str()),
        reassignment_requests::note.eq(Some("the suggestion was withdrawn")),
        reassignment_requests::decided_at.eq(Some(naive(ctx.now))),
    ))
    .execute(conn)?;
    Ok(())
}

// ---- key suggestions ----

/// The council chooses a key suggestion (重点建议, 代表法 art. 52), with its supervising leader and committee.
pub fn mark_key(
    conn: &mut DbConn,
    ctx: &Ctx,
    id: i64,
    leader: &str,
    committee_id: Option<i64>,
    note: Option<&str>,
) -> Result<Suggestion, StoreError> {
    let leader = required("leader", leader, 100)?;
    let note = optional("note", note, REASON_MAX)?;
    write_then_view(conn, id, |conn| {
        let loaded = load_mut(conn, ctx, id)?;
        let next = decide_for(conn, ctx, &loaded, Action::MarkKey, &Facts::default())?;
        if let Some(c) = committee_id {
            if committees::table.find(c).count().get_result::<i64>(conn)? == 0 {
                return Err(Refusal::field("committee_id", "names no such committee").into());
            }
        }
        diesel::update(suggestions::table.find(id))
            .set((
                suggestions::is_key.eq(true),
                suggestions::key_leader.eq(Some(&leader)),
                suggestions::key_committee_id.eq(committee_id),
                suggestions::key_note.eq(note.as_deref()),
                suggestions::key_at.eq(Some(naive(ctx.now))),
            ))
            .execute(conn)?;
        commit_change(
            conn,
            ctx,
            &loaded.row,
            Action::MarkKey,
            next,
            Note::new(serde_json::json!({
                "leader": leader, "committee_id": committee_id, "note": note,
            })),
        )?;
        Ok(())
    })
}

/// One item of a key suggestion's 五个一 checklist.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChecklistEntry {
    pub item: ChecklistItem,
    /// Null while not done.
    pub done_on: Option<NaiveDate>,
    /// The document that shows it (a file reference or title).
    pub document: Option<String>,
    pub ticked_at: Option<DateTime<Utc>>,
}

pub fn checklist(conn: &mut DbConn, caller: &Caller, id: i64) -> Result<Vec<ChecklistEntry>, StoreError> {
    let loaded = load(conn, caller, id)?;
    if !loaded.row.is_key {
        return Err(Refusal::Rule { code: "not_key", detail: "only key suggestions carry the checklist".into() }.into());
    }
    let rows: Vec<(String, NaiveDate, String, NaiveDateTime)> = key_checklist::table
        .filter(key_checklist::suggestion_id.eq(id))
        .select((key_checklist::item, key_checklist::done_on, key_checklist::document, key_checklist::ticked_at))
        .load(conn)?;
    Ok(ChecklistItem::ALL
        .iter()
        .map(|item| {
            let done = rows.iter().find(|r| r.0 == item.as_str());
            ChecklistEntry {
                item: *item,
                done_on: done.map(|r| r.1),
                document: done.map(|r| r.2.clone()),
                ticked_at: done.map(|r| utc(r.3)),
            }
        })
        .collect())
}

/// The lead unit ticks a checklist item with its date and document.
pub fn tick(
    conn: &mut DbConn,
    ctx: &Ctx,
    id: i64,
    item: ChecklistItem,
    done_on: NaiveDate,
    document: &str,
) -> Result<Vec<ChecklistEntry>, StoreError> {
    let document = required("document", document, 500)?;
    sane_date("done_on", done_on)?;
    if done_on > congress_date(ctx.now) {
        return Err(Refusal::field("done_on", "must not be in the future").into());
    }
    write(conn, |conn| {
        let loaded = load_mut(conn, ctx, id)?;
        let next = decide_for(conn, ctx, &loaded, Action::TickChecklist, &Facts::default())?;
        if !loaded.row.is_key {
            return Err(
                Refusal::Rule { code: "not_key", detail: "only key suggestions carry the checklist".into() }.into()
            );
        }
        diesel::delete(
            key_checklist::table
                .filter(key_checklist::suggestion_id.eq(id))
                .filter(key_checklist::item.eq(item.as_str())),
        )
        .execute(conn)?;
        diesel::insert_into(key_checklist::table)
            .values((
                key_checklist::suggestion_id.eq(id),
                key_checklist::item.eq(item.as_str()),
                key_checklist::done_on.eq(done_on),
                key_checklist::document.eq(&document),
                key_checklist::ticked_by.eq(ctx.caller.id),
                key_checklist::ticked_at.eq(naive(ctx.now)),
            ))
            .execute(conn)?;
        let unit = loaded.assignment.as_ref().map(|a| a.unit_id);
        let mut note =
            Note::new(serde_json::json!({ "item": item.as_str(), "done_on": done_on, "document": document }));
        note.unit_id = unit;
        commit_change(conn, ctx, &loaded.row, Action::TickChecklist, next, note)?;
        checklist(conn, &ctx.caller, id)
    })
}
