//! Suggestions: intake from draft to registration, reading, and the steps every lifecycle
//! operation shares. Every operation loads the suggestion as the caller may see it, asks the
//! domain's transition table, and writes the change with its audit row in one transaction.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Nullable, Text};
use jianyi_domain::deadlines::on_time;
use jianyi_domain::handling::{AssignmentRole, AssignmentState, ReplyState};
use jianyi_domain::lifecycle::{self, decide, Intake, ListScope};
use jianyi_domain::session::{congress_date, Serial};
use jianyi_domain::text::required;
use jianyi_domain::{
    Action, Actor, Caller, Facts, FieldError, Period, Refusal, Relation, ResultClass, SuggestionState,
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::assignments::{active_assignment, active_states, assignment_standing, end_handling, AssignmentRow};
use crate::audit::{self, Entry, Event};
use crate::dialect::dialect_expression;
use crate::error::found;
use crate::page::{Page, PageRequest};
use crate::reference::session_row;
use crate::schema::{
    assignments, categories, committee_categories, deputies, replies, sessions, suggestion_cosigners, suggestions,
};
use crate::time::{naive, utc};
use crate::{write, Ctx, DbConn, StoreError};

const TITLE_MAX: usize = 200;
const BODY_MAX: usize = 20_000;
const REASON_MAX: usize = 2_000;
/// A suggestion is signed by one lead deputy and at most this many co-signers.
pub const CO_SIGNERS_MAX: usize = 50;

#[derive(Debug, Clone, Queryable)]
pub struct SuggestionRow {
    pub id: i64,
    pub session_id: i64,
    pub serial: Option<i64>,
    pub code: Option<String>,
    pub title: String,
    pub body: String,
    pub category_id: Option<i64>,
    pub lead_deputy_id: i64,
    pub state: String,
    pub period: Option<String>,
    pub time_sensitive: bool,
    pub submitted_at: Option<NaiveDateTime>,
    pub registered_at: Option<NaiveDateTime>,
    pub closed_reason: Option<String>,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
    pub assigned_at: Option<NaiveDateTime>,
    pub reply_due_on: Option<NaiveDate>,
    pub round: i32,
    pub replied_at: Option<NaiveDateTime>,
    pub result_class: Option<String>,
    pub completed_at: Option<NaiveDateTime>,
    pub is_key: bool,
    pub key_leader: Option<String>,
    pub key_committee_id: Option<i64>,
    pub key_note: Option<String>,
    pub key_at: Option<NaiveDateTime>,
}

impl SuggestionRow {
    pub(crate) fn state(&self) -> SuggestionState {
        // Only this module writes the column, always from a SuggestionState.
        SuggestionState::parse(&self.state).unwrap_or(SuggestionState::Draft)
    }
}

pub use jianyi_domain::CosignStatus;

#[derive(Debug, Serialize, ToSchema)]
pub struct DeputyRef {
    #[schema(format = Int64, minimum = 1)]
    pub id: i64,
    pub name: String,
    pub delegation: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryRef {
    #[schema(format = Int64, minimum = 1)]
    pub id: i64,
    pub name: String,
}

/// A co-signing deputy (联名代表) and their answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct CoSigner {
    #[schema(format = Int64, minimum = 1)]
    pub deputy_id: i64,
    pub name: String,
    pub delegation: String,
    pub status: CosignStatus,
    pub answered_at: Option<DateTime<Utc>>,
}

/// A suggestion (代表建议) as the caller may see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Suggestion {
    #[schema(format = Int64, minimum = 1)]
    pub id: i64,
    #[schema(format = Int64, minimum = 1)]
    pub session_id: i64,
    /// The number within the session, given at registration: 1, 2, 3, … without gaps; never changes.
    #[schema(format = Int64, minimum = 1)]
    pub serial: Option<i64>,
    /// The serial as printed on letters: `第` + at least four digits + `号`, e.g. `第0001号`.
    #[schema(example = "第0001号")]
    pub code: Option<String>,
    pub title: String,
    pub body: String,
    /// Proposed by the deputy, confirmed or changed by the office at registration.
    pub category: Option<CategoryRef>,
    pub lead_deputy: DeputyRef,
    pub co_signers: Vec<CoSigner>,
    pub state: SuggestionState,
    /// Handed in during the meeting or the recess; set on submission.
    pub period: Option<Period>,
    pub time_sensitive: bool,
    pub submitted_at: Option<DateTime<Utc>>,
    pub registered_at: Option<DateTime<Utc>>,
    /// Why it was rejected or withdrawn.
    pub closed_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Increases with every change.
    #[schema(minimum = 1)]
    pub version: i32,
    /// The handling round: 1 for the first handling, one more for each rehandling.
    #[schema(minimum = 1)]
    pub round: i32,
    /// The formal assignment (交办) that starts every clock.
    pub assigned_at: Option<DateTime<Utc>>,
    /// When the current round's reply is due (3 months after assignment; 1 month for rehandling).
    pub reply_due_on: Option<NaiveDate>,
    /// When the suggestion last became `replied`.
    pub replied_at: Option<DateTime<Utc>>,
    /// The class the final review confirmed, or the completion's; null before.
    pub result_class: Option<ResultClass>,
    pub completed_at: Option<DateTime<Utc>>,
    /// A key suggestion (重点建议), chosen by the council.
    pub key: bool,
    /// For a key suggestion: who supervises it.
    pub key_supervision: Option<KeySupervision>,
    /// Current and past assignments (lead and assisting units).
    pub assignments: Vec<AssignmentSummary>,
    /// Where the rest of its handling is.
    pub links: Links,
}

/// The supervision of a key suggestion.
#[derive(Debug, Serialize, ToSchema)]
pub struct KeySupervision {
    /// The supervising leader.
    pub leader: Option<String>,
    /// The supervising committee.
    #[schema(format = Int64)]
    pub committee_id: Option<i64>,
    pub note: Option<String>,
    pub chosen_at: Option<DateTime<Utc>>,
}

/// An assignment as the suggestion shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssignmentSummary {
    #[schema(format = Int64, minimum = 1)]
    pub id: i64,
    #[schema(format = Int64, minimum = 1)]
    pub unit_id: i64,
    pub unit_name: String,
    pub role: AssignmentRole,
    pub state: AssignmentState,
    pub assigned_at: Option<DateTime<Utc>>,
    pub acknowledged_at: Option<DateTime<Utc>>,
}

/// Addresses of a suggestion's parts.
#[derive(Debug, Serialize, ToSchema)]
pub struct Links {
    pub assignments: String,
    pub consultations: String,
    pub assist_opinions: String,
    pub replies: String,
    pub feedback: String,
    pub reviews: String,
    pub continuation_reports: String,
    pub visits: String,
    pub checklist: String,
    pub events: String,
}

impl Links {
    fn of(id: i64) -> Links {
        let at = |part: &str| format!("/api/v1/suggestions/{id}/{part}");
        Links {
            assignments: at("assignments"),
            consultations: at("consultations"),
            assist_opinions: at("assist-opinions"),
            replies: at("replies"),
            feedback: at("feedback"),
            reviews: at("reviews"),
            continuation_reports: at("continuation-reports"),
            visits: at("visits"),
            checklist: at("checklist"),
            events: at("events"),
        }
    }
}

/// What a caller asks for when entering a suggestion.
#[derive(Debug, Default)]
pub struct NewSuggestion {
    pub session_id: i64,
    pub title: String,
    pub body: String,
    pub category_id: Option<i64>,
    pub co_signer_ids: Vec<i64>,
    pub time_sensitive: bool,
    /// Staff only: the deputy who handed in the paper suggestion.
    pub lead_deputy_id: Option<i64>,
    /// Staff only: when the paper suggestion was handed in (default: now).
    pub submitted_at: Option<DateTime<Utc>>,
}

/// A change to a draft; `None` leaves a field as it is.
#[derive(Debug, Default)]
pub struct SuggestionPatch {
    pub title: Option<String>,
    pub body: Option<String>,
    pub category_id: Option<Option<i64>>,
    pub co_signer_ids: Option<Vec<i64>>,
    pub time_sensitive: Option<bool>,
}

#[derive(Debug, Default, Clone)]
pub struct SuggestionFilter {
    pub session_id: Option<i64>,
    pub state: Option<SuggestionState>,
    pub category_id: Option<i64>,
    pub lead_deputy_id: Option<i64>,
    pub period: Option<Period>,
    pub time_sensitive: Option<bool>,
    pub result_class: Option<ResultClass>,
    pub key: Option<bool>,
    /// Suggestions this unit holds (an active assignment, proposed or formal).
    pub unit_id: Option<i64>,
}

// ---- reading ----

/// A suggestion with its lead deputy's name and delegation, its category's name, and its
/// co-signers and assignments as JSON arrays (see [`SignersPart`] and [`AssignmentsPart`]).
type Joined = (SuggestionRow, String, String, Option<String>, String, String);
/// A co-signer as [`SignersPart`] and [`AssignmentsPart`] aggregates it: deputy, name, delegation, status, answered at.
type SignerPart = (i64, String, String, String, Option<String>);
/// An assignment as [`SignersPart`] and [`AssignmentsPart`] aggregates it: id, unit, unit name, role, state, assigned at,
/// acknowledged at.
type HeldPart = (i64, i64, String, String, String, Option<String>, Option<String>);

dialect_expression! {
    /// The co-signers of the suggestion in the enclosing query, as one JSON array of
    /// [`SignerPart`]s built by the database, so that a suggestion (or a page of them) is read in
    /// one statement.
    SignersPart: Text, on suggestions::table,
    sqlite: "(SELECT json_group_array(json_array(c.deputy_id, d.name, d.delegation, c.status, c.answered_at) \
             ORDER BY c.position) FROM suggestion_cosigners c JOIN deputies d ON d.id = c.deputy_id \
             WHERE c.suggestion_id = suggestions.id)",
    postgres: "(SELECT coalesce(json_agg(json_build_array(c.deputy_id, d.name, d.delegation, c.status, \
               c.answered_at) ORDER BY c.position), '[]')::text FROM suggestion_cosigners c \
               JOIN deputies d ON d.id = c.deputy_id WHERE c.suggestion_id = suggestions.id)",
}

dialect_expression! {
    /// The assignments of the suggestion in the enclosing query, as one JSON array of
    /// [`HeldPart`]s.
    AssignmentsPart: Text, on suggestions::table,
    sqlite: "(SELECT json_group_array(json_array(a.id, a.unit_id, u.name, a.role, a.state, a.assigned_at, \
             a.acknowledged_at) ORDER BY a.id) FROM assignments a JOIN units u ON u.id = a.unit_id \
             WHERE a.suggestion_id = suggestions.id)",
    postgres: "(SELECT coalesce(json_agg(json_build_array(a.id, a.unit_id, u.name, a.role, a.state, \
               a.assigned_at, a.acknowledged_at) ORDER BY a.id), '[]')::text FROM assignments a \
               JOIN units u ON u.id = a.unit_id WHERE a.suggestion_id = suggestions.id)",
}

dialect_expression! {
    /// The co-signers of the suggestion in the enclosing query and their answers, as
    /// comma-separated `id:status` (see [`signing_ids`]: the domain says who signs).
    SigningPart: Nullable<Text>, on suggestions::table,
    sqlite: "(SELECT group_concat(c.deputy_id || ':' || c.status) FROM suggestion_cosigners c \
             WHERE c.suggestion_id = suggestions.id)",
    postgres: "(SELECT string_agg(c.deputy_id::text || ':' || c.status, ',') FROM suggestion_cosigners c \
               WHERE c.suggestion_id = suggestions.id)",
}

/// The columns of a [`Joined`] row, over suggestions joined with their lead deputy and category.
macro_rules! joined_columns {
    () => {
        (
            suggestions::all_columns,
            deputies::name,
            deputies::delegation,
            categories::name.nullable(),
            SignersPart,
            AssignmentsPart,
        )
    };
}

/// Reads what [`SignersPart`] and [`AssignmentsPart`] built; a part the database could not have built is a store failure.
fn part<T: serde::de::DeserializeOwned>(json: &str) -> Result<Vec<T>, StoreError> {
    serde_json::from_str(json).map_err(|e| StoreError::Db(diesel::result::Error::DeserializationError(Box::new(e))))
}

/// A timestamp inside an aggregated part: SQLite keeps diesel's `2026-01-05 09:30:00.123`,
/// PostgreSQL's JSON writes `2026-01-05T09:30:00.123`.
fn part_time(t: Option<&str>) -> Result<Option<DateTime<Utc>>, StoreError> {
    let Some(t) = t else { return Ok(None) };
    NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S%.f")
        .or_else(|_| NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%.f"))
        .map(|n| Some(utc(n)))
        .map_err(|e| StoreError::Db(diesel::result::Error::DeserializationError(Box::new(e))))
}

fn co_signer_ids(conn: &mut DbConn, id: i64) -> Result<Vec<i64>, StoreError> {
    Ok(suggestion_cosigners::table
        .filter(suggestion_cosigners::suggestion_id.eq(id))
        .select(suggestion_cosigners::deputy_id)
        .load(conn)?)
}

/// How the caller stands to a suggestion: as one of its deputies, or through their unit's
/// active assignment (which is answered too).
pub(crate) fn standing(
    conn: &mut DbConn,
    caller: &Caller,
    suggestion_id: i64,
    lead_deputy_id: i64,
    co_signers: &[i64],
) -> Result<(Relation, Option<AssignmentRow>), StoreError> {
    if caller.role.is_unit() {
        let Some(unit_id) = caller.unit_id else { return Ok((Relation::None, None)) };
        let assignment = active_assignment(conn, suggestion_id, unit_id)?;
        let standing = assignment.as_ref().map(AssignmentRow::standing);
        return Ok((Relation::of_unit(caller, standing), assignment));
    }
    Ok((Relation::of(caller, lead_deputy_id, co_signers), None))
}

/// A suggestion the caller may see, with how they stand to it.
pub(crate) struct Loaded {
    pub row: SuggestionRow,
    pub relation: Relation,
    /// The caller's unit's active assignment, for unit callers.
    pub assignment: Option<AssignmentRow>,
}

impl Loaded {
    pub fn state(&self) -> SuggestionState {
        self.row.state()
    }
}

fn signing_ids(part: Option<&str>) -> Result<Vec<i64>, StoreError> {
    let Some(part) = part else { return Ok(vec![]) };
    let mut ids = vec![];
    for pair in part.split(',') {
        let (id, status) = pair.split_once(':').unwrap_or((pair, ""));
        let id = id
            .trim()
            .parse::<i64>()
            .map_err(|e| StoreError::Db(diesel::result::Error::DeserializationError(Box::new(e))))?;
        if CosignStatus::parse(status.trim()).signs() {
            ids.push(id);
        }
    }
    Ok(ids)
}

/// Loads a suggestion the caller may see, with how the caller stands to it: the suggestion and
/// its signing deputies in one statement, and for a unit caller its unit's active assignment.
pub(crate) fn load(conn: &mut DbConn, caller: &Caller, id: i64) -> Result<Loaded, StoreError> {
    let query = suggestions::table.find(id).select((suggestions::all_columns, SigningPart));
    let (row, signing): (SuggestionRow, Option<String>) = found(crate::on_backend!(conn, c => query.get_result(c)))?;
    standing_of(conn, caller, row, signing.as_deref())
}

fn standing_of(
    conn: &mut DbConn,
    caller: &Caller,
    row: SuggestionRow,
    signing: Option<&str>,
) -> Result<Loaded, StoreError> {
    let co_signers = signing_ids(signing)?;
    let (relation, assignment) = standing(conn, caller, row.id, row.lead_deputy_id, &co_signers)?;
    if !lifecycle::can_see(caller, row.state(), relation) {
        return Err(StoreError::not_found());
    }
    Ok(Loaded { row, relation, assignment })
}

/// Like [`load`], inside a write: on PostgreSQL the suggestion's row is locked first, so that
/// concurrent actions on one suggestion queue (as SQLite's write lock makes them) instead of
/// failing on the version check. The lock is its own statement: a statement that waited for it
/// would see the newest suggestion but its co-signers as they were when it began.
///
/// Only a deputy's standing depends on the co-signers: for everyone else the suggestion is
/// locked and read in one statement (the row it returns is the newest, read after the lock).
pub(crate) fn load_mut(conn: &mut DbConn, ctx: &Ctx, id: i64) -> Result<Loaded, StoreError> {
    if let DbConn::Pg(pg) = conn {
        if !Relation::depends_on_co_signers(&ctx.caller) {
            let query = suggestions::table.find(id).select((suggestions::all_columns, SigningPart)).for_update();
            let (row, signing): (SuggestionRow, Option<String>) = found(query.get_result(pg))?;
            return standing_of(conn, &ctx.caller, row, signing.as_deref());
        }
        suggestions::table.find(id).select(suggestions::id).for_update().load::<i64>(pg)?;
    }
    load(conn, &ctx.caller, id)
}

fn visible(conn: &mut DbConn, caller: &Caller, id: i64) -> Result<(SuggestionRow, Relation), StoreError> {
    let loaded = load(conn, caller, id)?;
    Ok((loaded.row, loaded.relation))
}

/// Whether the caller's committee covers the suggestion's category (by the category's name).
fn covers_category(conn: &mut DbConn, caller: &Caller, category_id: Option<i64>) -> Result<bool, StoreError> {
    let (Some(committee), Some(category)) = (caller.committee_id, category_id) else { return Ok(false) };
    let name: Option<String> = categories::table.find(category).select(categories::name).get_result(conn).optional()?;
    let Some(name) = name else { return Ok(false) };
    let n: i64 = committee_categories::table
        .filter(committee_categories::committee_id.eq(committee))
        .filter(committee_categories::category_name.eq(name))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// The caller as the transition table sees them.
pub(crate) fn actor(conn: &mut DbConn, caller: &Caller, loaded: &Loaded) -> Result<Actor, StoreError> {
    let covers_category =
        caller.role == jianyi_domain::Role::Committee && covers_category(conn, caller, loaded.row.category_id)?;
    Ok(Actor { role: caller.role, relation: loaded.relation, covers_category })
}

/// Asks the table whether the caller may take the action now, and where it leads.
pub(crate) fn decide_for(
    conn: &mut DbConn,
    ctx: &Ctx,
    loaded: &Loaded,
    action: Action,
    facts: &Facts,
) -> Result<SuggestionState, StoreError> {
    let actor = actor(conn, &ctx.caller, loaded)?;
    Ok(decide(loaded.state(), action, actor, facts)?)
}

fn views(rows: Vec<Joined>) -> Result<Vec<Suggestion>, StoreError> {
    rows.into_iter()
        .map(|(r, lead_name, lead_delegation, category_name, signers, held)| {
            let assignments = part::<HeldPart>(&held)?
                .into_iter()
                .map(|(id, unit_id, unit_name, role, state, assigned_at, acknowledged_at)| {
                    Ok(AssignmentSummary {
                        id,
                        unit_id,
                        unit_name,
                        role: AssignmentRole::parse(&role).unwrap_or(AssignmentRole::Assist),
                        state: AssignmentState::parse(&state).unwrap_or(AssignmentState::Cancelled),
                        assigned_at: part_time(assigned_at.as_deref())?,
                        acknowledged_at: part_time(acknowledged_at.as_deref())?,
                    })
                })
                .collect::<Result<Vec<_>, StoreError>>()?;
            let co_signers = part::<SignerPart>(&signers)?
                .into_iter()
                .map(|(deputy_id, name, delegation, status, answered_at)| {
                    Ok(CoSigner {
                        deputy_id,
                        name,
                        delegation,
                        status: CosignStatus::parse(&status),
                        answered_at: part_time(answered_at.as_deref())?,
                    })
                })
                .collect::<Result<Vec<_>, StoreError>>()?;
            Ok(Suggestion {
                id: r.id,
                session_id: r.session_id,
                serial: r.serial,
                category: r.category_id.zip(category_name).map(|(id, name)| CategoryRef { id, name }),
                lead_deputy: DeputyRef { id: r.lead_deputy_id, name: lead_name, delegation: lead_delegation },
                co_signers,
                state: r.state(),
                period: r.period.as_deref().and_then(Period::parse),
                time_sensitive: r.time_sensitive,
                submitted_at: r.submitted_at.map(utc),
                registered_at: r.registered_at.map(utc),
                created_at: utc(r.created_at),
                updated_at: utc(r.updated_at),
                version: r.version,
                round: r.round,
                assigned_at: r.assigned_at.map(utc),
                reply_due_on: r.reply_due_on,
                replied_at: r.replied_at.map(utc),
                result_class: r.result_class.as_deref().and_then(ResultClass::parse),
                completed_at: r.completed_at.map(utc),
                key: r.is_key,
                key_supervision: r.is_key.then(|| KeySupervision {
                    leader: r.key_leader.clone(),
                    committee_id: r.key_committee_id,
                    note: r.key_note.clone(),
                    chosen_at: r.key_at.map(utc),
                }),
                assignments,
                links: Links::of(r.id),
                code: r.code,
                title: r.title,
                body: r.body,
                closed_reason: r.closed_reason,
            })
        })
        .collect()
}

/// One suggestion as the API shows it, read in one statement.
pub(crate) fn view(conn: &mut DbConn, id: i64) -> Result<Suggestion, StoreError> {
    let query =
        suggestions::table.find(id).inner_join(deputies::table).left_join(categories::table).select(joined_columns!());
    // On the backend's own connection: the multi-backend layer would write this long statement's
    // text out again on every call.
    let row: Joined = found(crate::on_backend!(conn, c => query.get_result(c)))?;
    views(vec![row])?.pop().ok_or_else(StoreError::not_found)
}

/// One suggestion, read once: who may see it is decided from the view itself.
pub fn get(conn: &mut DbConn, caller: &Caller, id: i64) -> Result<Suggestion, StoreError> {
    let suggestion = view(conn, id)?;
    let co_signers: Vec<i64> = suggestion.co_signers.iter().filter(|c| c.status.signs()).map(|c| c.deputy_id).collect();
    let relation = if caller.role.is_unit() {
        let unit = caller.unit_id;
        let holds = suggestion.assignments.iter().find(|a| Some(a.unit_id) == unit && a.state.is_active());
        Relation::of_unit(caller, holds.map(|a| assignment_standing(a.role, a.state)))
    } else {
        Relation::of(caller, suggestion.lead_deputy.id, &co_signers)
    };
    if !lifecycle::can_see(caller, suggestion.state, relation) {
        return Err(StoreError::not_found());
    }
    Ok(suggestion)
}

pub fn events(conn: &mut DbConn, caller: &Caller, id: i64) -> Result<Vec<Event>, StoreError> {
    visible(conn, caller, id)?;
    let mut events = audit::timeline(conn, id)?;
    // Deputies and clients see that the units objected, gave opinions or had them waived, and
    // when; what was said stays between the units and the office.
    if jianyi_domain::permissions::may_read_assist_opinions(caller).is_err() {
        for e in &mut events {
            if matches!(e.action.as_str(), "object" | "give_assist_opinion" | "waive_opinion") {
                e.details = serde_json::json!({});
            }
        }
    }
    Ok(events)
}

pub fn list(
    conn: &mut DbConn,
    caller: &Caller,
    f: &SuggestionFilter,
    page: PageRequest,
) -> Result<Page<Suggestion>, StoreError> {
    let mut q = suggestions::table
        .inner_join(deputies::table)
        .left_join(categories::table)
        .filter(suggestions::id.gt(page.after))
        .select(joined_columns!())
        .into_boxed();
    match lifecycle::list_scope(caller) {
        ListScope::Nothing => return Ok(Page { items: vec![], next_cursor: None }),
        ListScope::AllSubmitted => q = q.filter(suggestions::state.ne(SuggestionState::Draft.as_str())),
        ListScope::AssignedToUnit(u) => {
            let held = assignments::table
                .filter(assignments::unit_id.eq(u))
                .filter(assignments::state.eq_any(active_states()))
                .select(assignments::suggestion_id);
            q = q.filter(suggestions::id.eq_any(held));
        }
        ListScope::OwnAsDeputy(d) => {
            let co_signed = suggestion_cosigners::table
                .filter(suggestion_cosigners::deputy_id.eq(d))
                .select(suggestion_cosigners::suggestion_id);
            q = q.filter(suggestions::lead_deputy_id.eq(d).or(suggestions::id.eq_any(co_signed)));
        }
    }
    if let Some(v) = f.session_id {
        q = q.filter(suggestions::session_id.eq(v));
    }
    if let Some(v) = f.state {
        q = q.filter(suggestions::state.eq(v.as_str()));
    }
    if let Some(v) = f.category_id {
        q = q.filter(suggestions::category_id.eq(v));
    }
    if let Some(v) = f.lead_deputy_id {
        q = q.filter(suggestions::lead_deputy_id.eq(v));
    }
    if let Some(v) = f.period {
        q = q.filter(suggestions::period.eq(v.as_str()));
    }
    if let Some(v) = f.time_sensitive {
        q = q.filter(suggestions::time_sensitive.eq(v));
    }
    if let Some(v) = f.result_class {
        q = q.filter(suggestions::result_class.eq(v.as_str()));
    }
    if let Some(v) = f.key {
        q = q.filter(suggestions::is_key.eq(v));
    }
    if let Some(u) = f.unit_id {
        let held = assignments::table
            .filter(assignments::unit_id.eq(u))
            .filter(assignments::state.eq_any(active_states()))
            .select(assignments::suggestion_id);
        q = q.filter(suggestions::id.eq_any(held));
    }
    let rows: Vec<Joined> = q.order(suggestions::id.asc()).limit(page.fetch()).load(conn)?;
    let page = page.page(rows, |r| r.0.id);
    Ok(Page { items: views(page.items)?, next_cursor: page.next_cursor })
}

// ---- checks shared by create and edit ----

fn check_category(conn: &mut DbConn, session_id: i64, category_id: i64) -> Result<(), StoreError> {
    let n: i64 = categories::table
        .filter(categories::id.eq(category_id).and(categories::session_id.eq(session_id)))
        .count()
        .get_result(conn)?;
    if n == 0 {
        return Err(Refusal::field("category_id", "names no category of the suggestion's session").into());
    }
    Ok(())
}

/// Co-signers: distinct deputies that exist, not the lead deputy, at most [`CO_SIGNERS_MAX`].
fn check_co_signers(conn: &mut DbConn, lead: i64, ids: &[i64]) -> Result<(), StoreError> {
    let mut errors = vec![];
    if ids.len() > CO_SIGNERS_MAX {
        errors.push(FieldError::new("co_signer_ids", format!("at most {CO_SIGNERS_MAX} co-signers")));
    }
    let known: Vec<i64> = deputies::table.filter(deputies::id.eq_any(ids)).select(deputies::id).load(conn)?;
    for (i, id) in ids.iter().enumerate() {
        let field = format!("co_signer_ids[{i}]");
        if *id == lead {
            errors.push(FieldError::new(field, "is the lead deputy"));
        } else if ids[..i].contains(id) {
            errors.push(FieldError::new(field, "is listed twice"));
        } else if !known.contains(id) {
            errors.push(FieldError::new(field, "names no such deputy"));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Refusal::Validation(errors).into())
    }
}

fn set_co_signers(conn: &mut DbConn, id: i64, ids: &[i64]) -> Result<(), StoreError> {
    diesel::delete(suggestion_cosigners::table.filter(suggestion_cosigners::suggestion_id.eq(id))).execute(conn)?;
    for (position, deputy_id) in ids.iter().enumerate() {
        diesel::insert_into(suggestion_cosigners::table)
            .values((
                suggestion_cosigners::suggestion_id.eq(id),
                suggestion_cosigners::deputy_id.eq(deputy_id),
                suggestion_cosigners::position.eq(position as i32),
                suggestion_cosigners::status.eq(CosignStatus::Pending.as_str()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

fn texts(title: Option<&str>, body: Option<&str>) -> Result<(Option<String>, Option<String>), Refusal> {
    let title = title.map(|t| required("title", t, TITLE_MAX));
    let body = body.map(|b| required("body", b, BODY_MAX));
    match (title.transpose(), body.transpose()) {
        (Ok(t), Ok(b)) => Ok((t, b)),
        (Err(Refusal::Validation(mut a)), Err(Refusal::Validation(b))) => {
            a.extend(b);
            Err(Refusal::Validation(a))
        }
        (Err(e), _) | (_, Err(e)) => Err(e),
    }
}

// ---- writing ----

/// Enters a suggestion: a deputy's draft, or a paper suggestion the office enters as submitted.
pub fn create(conn: &mut DbConn, ctx: &Ctx, s: NewSuggestion) -> Result<Suggestion, StoreError> {
    let intake = lifecycle::intake(&ctx.caller)?;
    let (title, body) = texts(Some(&s.title), Some(&s.body))?;
    let (title, body) = (title.unwrap_or_default(), body.unwrap_or_default());
    let lead_deputy_id = match (intake, s.lead_deputy_id) {
        (Intake::Draft { lead_deputy_id }, None) => lead_deputy_id,
        (Intake::Draft { .. }, Some(_)) => {
            return Err(Refusal::field(
                "lead_deputy_id",
                "is set by the office only: a deputy leads their own suggestions",
            )
            .into())
        }
        (Intake::OnPaper, Some(id)) => id,
        (Intake::OnPaper, None) => {
            return Err(Refusal::field("lead_deputy_id", "is required for a suggestion entered by the office").into())
        }
    };
    if matches!(intake, Intake::Draft { .. }) && s.submitted_at.is_some() {
        return Err(Refusal::field("submitted_at", "is set by the office only: a draft is dated when submitted").into());
    }
    if let Some(at) = s.submitted_at {
        jianyi_domain::text::sane_instant("submitted_at", at)?;
        if at > ctx.now {
            return Err(Refusal::field("submitted_at", "must not be in the future").into());
        }
    }
    let id = write(conn, |conn| {
        let session = session_row(conn, s.session_id).map_err(|e| match e {
            StoreError::Refused(Refusal::NotFound) => Refusal::field("session_id", "names no such session").into(),
            other => other,
        })?;
        if deputies::table.find(lead_deputy_id).count().get_result::<i64>(conn)? == 0 {
            return Err(Refusal::field("lead_deputy_id", "names no such deputy").into());
        }
        if let Some(c) = s.category_id {
            check_category(conn, session.id, c)?;
        }
        check_co_signers(conn, lead_deputy_id, &s.co_signer_ids)?;
        let state = intake.initial_state();
        let submitted_at = (state == SuggestionState::Submitted).then(|| s.submitted_at.unwrap_or(ctx.now));
        let period = submitted_at.map(|at| session.meeting().map(|m| m.period_of(at).as_str())).transpose()?;
        let id: i64 = diesel::insert_into(suggestions::table)
            .values((
                suggestions::session_id.eq(session.id),
                suggestions::title.eq(&title),
                suggestions::body.eq(&body),
                suggestions::category_id.eq(s.category_id),
                suggestions::lead_deputy_id.eq(lead_deputy_id),
                suggestions::state.eq(state.as_str()),
                suggestions::period.eq(period),
                suggestions::time_sensitive.eq(s.time_sensitive),
                suggestions::submitted_at.eq(submitted_at.map(naive)),
                suggestions::created_by.eq(ctx.caller.id),
                suggestions::created_at.eq(naive(ctx.now)),
                suggestions::updated_at.eq(naive(ctx.now)),
                suggestions::version.eq(1),
            ))
            .returning(suggestions::id)
            .get_result(conn)?;
        set_co_signers(conn, id, &s.co_signer_ids)?;
        audit::record(
            conn,
            ctx,
            Entry::new("create", "suggestion", id).on_suggestion(id, "", state.as_str()).details(serde_json::json!({
                "title": title, "lead_deputy_id": lead_deputy_id, "co_signer_ids": s.co_signer_ids,
                "category_id": s.category_id, "period": period,
            })),
        )?;
        Ok::<_, StoreError>(id)
    })?;
    // The answer is read after the commit, outside the write.
    view(conn, id)
}

/// Runs an action's writes in one transaction, then answers with the suggestion as it is after
/// the commit: read outside the write, so that the write lock is held for the writes only.
pub(crate) fn write_then_view(
    conn: &mut DbConn,
    id: i64,
    f: impl FnOnce(&mut DbConn) -> Result<(), StoreError> + Send,
) -> Result<Suggestion, StoreError> {
    write(conn, f)?;
    view(conn, id)
}

/// What an action's audit row says beyond the state change.
#[derive(Debug, Default)]
pub(crate) struct Note {
    pub details: serde_json::Value,
    pub unit_id: Option<i64>,
    pub due_on: Option<NaiveDate>,
    pub on_time: Option<bool>,
}

impl Note {
    pub fn new(details: serde_json::Value) -> Note {
        Note { details, ..Default::default() }
    }

    pub fn unit(mut self, unit_id: i64) -> Note {
        self.unit_id = Some(unit_id);
        self
    }

    /// The deadline that applied and whether the action, done at `ctx.now`, met it.
    pub fn deadline(mut self, ctx: &Ctx, due_on: Option<NaiveDate>) -> Note {
        self.due_on = due_on;
        self.on_time = due_on.map(|due| on_time(congress_date(ctx.now), due));
        self
    }
}

/// Writes a decided change: the new state, guarded by the version read, so that two concurrent
/// actions on one suggestion cannot both succeed; and its audit row.
pub(crate) fn commit_change(
    conn: &mut DbConn,
    ctx: &Ctx,
    row: &SuggestionRow,
    action: Action,
    next: SuggestionState,
    note: Note,
) -> Result<(), StoreError> {
    let update = diesel::update(suggestions::table.find(row.id).filter(suggestions::version.eq(row.version))).set((
        suggestions::state.eq(next.as_str()),
        suggestions::updated_at.eq(naive(ctx.now)),
        suggestions::version.eq(row.version + 1),
    ));
    // On the backend's own connection: every lifecycle action runs this statement.
    let n = crate::on_backend!(&mut *conn, c => update.execute(c))?;
    if n == 0 {
        return Err(stale(conn, row.id, action));
    }
    audit::record(
        conn,
        ctx,
        Entry::new(action.as_str(), "suggestion", row.id)
            .on_suggestion(row.id, row.state().as_str(), next.as_str())
            .details(note.details)
            .unit(note.unit_id)
            .deadline(note.due_on, note.on_time),
    )
}

/// Another action changed the suggestion since it was read: the refusal says its state now.
fn stale(conn: &mut DbConn, id: i64, action: Action) -> StoreError {
    match found(suggestions::table.find(id).get_result::<SuggestionRow>(conn)) {
        Ok(now) => Refusal::InvalidTransition { state: now.state(), action }.into(),
        Err(e) => e,
    }
}

/// Loads what the caller may see and asks the table whether the action is allowed.
fn decided(
    conn: &mut DbConn,
    ctx: &Ctx,
    id: i64,
    action: Action,
) -> Result<(SuggestionRow, SuggestionState), StoreError> {
    let loaded = load_mut(conn, ctx, id)?;
    let facts = Facts { reply_sent: action == Action::Withdraw && any_reply_sent(conn, id)?, ..Facts::default() };
    let next = decide_for(conn, ctx, &loaded, action, &facts)?;
    Ok((loaded.row, next))
}

fn any_reply_sent(conn: &mut DbConn, id: i64) -> Result<bool, StoreError> {
    let n: i64 = replies::table
        .filter(replies::suggestion_id.eq(id))
        .filter(replies::state.eq(ReplyState::Sent.as_str()))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

pub fn edit(conn: &mut DbConn, ctx: &Ctx, id: i64, p: SuggestionPatch) -> Result<Suggestion, StoreError> {
    let (title, body) = texts(p.title.as_deref(), p.body.as_deref())?;
    write_then_view(conn, id, |conn| {
        let (row, next) = decided(conn, ctx, id, Action::Edit)?;
        if let Some(Some(c)) = p.category_id {
            check_category(conn, row.session_id, c)?;
        }
        if let Some(ids) = &p.co_signer_ids {
            check_co_signers(conn, row.lead_deputy_id, ids)?;
        }
        diesel::update(suggestions::table.find(id))
            .set((
                suggestions::title.eq(title.as_deref().unwrap_or(&row.title)),
                suggestions::body.eq(body.as_deref().unwrap_or(&row.body)),
                suggestions::category_id.eq(p.category_id.unwrap_or(row.category_id)),
                suggestions::time_sensitive.eq(p.time_sensitive.unwrap_or(row.time_sensitive)),
            ))
            .execute(conn)?;
        if let Some(ids) = &p.co_signer_ids {
            if *ids != co_signer_ids(conn, id)? {
                set_co_signers(conn, id, ids)?;
            }
        }
        let changed: Vec<&str> = [
            ("title", p.title.is_some()),
            ("body", p.body.is_some()),
            ("category_id", p.category_id.is_some()),
            ("co_signer_ids", p.co_signer_ids.is_some()),
            ("time_sensitive", p.time_sensitive.is_some()),
        ]
        .into_iter()
        .filter_map(|(f, c)| c.then_some(f))
        .collect();
        commit_change(conn, ctx, &row, Action::Edit, next, Note::new(serde_json::json!({ "changed": changed })))?;
        Ok(())
    })
}

pub fn submit(conn: &mut DbConn, ctx: &Ctx, id: i64) -> Result<Suggestion, StoreError> {
    write_then_view(conn, id, |conn| {
        let (row, next) = decided(conn, ctx, id, Action::Submit)?;
        let period = session_row(conn, row.session_id)?.meeting()?.period_of(ctx.now);
        diesel::update(suggestions::table.find(id))
            .set((suggestions::submitted_at.eq(Some(naive(ctx.now))), suggestions::period.eq(Some(period.as_str()))))
            .execute(conn)?;
        commit_change(conn, ctx, &row, Action::Submit, next, Note::new(serde_json::json!({ "period": period })))?;
        Ok(())
    })
}

pub fn cosign(conn: &mut DbConn, ctx: &Ctx, id: i64, confirm: bool) -> Result<Suggestion, StoreError> {
    write_then_view(conn, id, |conn| {
        let (row, next) = decided(conn, ctx, id, Action::Cosign)?;
        let status = if confirm { CosignStatus::Confirmed } else { CosignStatus::Declined };
        let deputy_id = ctx.caller.deputy_id.unwrap_or_default();
        diesel::update(
            suggestion_cosigners::table
                .filter(suggestion_cosigners::suggestion_id.eq(id))
                .filter(suggestion_cosigners::deputy_id.eq(deputy_id)),
        )
        .set((
            suggestion_cosigners::status.eq(status.as_str()),
            suggestion_cosigners::answered_at.eq(Some(naive(ctx.now))),
        ))
        .execute(conn)?;
        commit_change(
            conn,
            ctx,
            &row,
            Action::Cosign,
            next,
            Note::new(serde_json::json!({ "deputy_id": deputy_id, "status": status })),
        )?;
        Ok(())
    })
}

pub fn withdraw(conn: &mut DbConn, ctx: &Ctx, id: i64, reason: &str) -> Result<Suggestion, StoreError> {
    let reason = required("reason", reason, REASON_MAX)?;
    write_then_view(conn, id, |conn| {
        let (row, next) = decided(conn, ctx, id, Action::Withdraw)?;
        diesel::update(suggestions::table.find(id)).set(suggestions::closed_reason.eq(Some(&reason))).execute(conn)?;
        end_handling(conn, ctx, id)?;
        commit_change(conn, ctx, &row, Action::Withdraw, next, Note::new(serde_json::json!({ "reason": reason })))?;
        Ok(())
    })
}

pub fn reject(conn: &mut DbConn, ctx: &Ctx, id: i64, reason: &str) -> Result<Suggestion, StoreError> {
    let reason = required("reason", reason, REASON_MAX)?;
    write_then_view(conn, id, |conn| {
        let (row, next) = decided(conn, ctx, id, Action::Reject)?;
        diesel::update(suggestions::table.find(id)).set(suggestions::closed_reason.eq(Some(&reason))).execute(conn)?;
        commit_change(conn, ctx, &row, Action::Reject, next, Note::new(serde_json::json!({ "reason": reason })))?;
        Ok(())
    })
}

/// Registers a submitted suggestion: the next serial of its session, taken by incrementing the
/// session's counter in this transaction, so that serials are gapless and unique however many
/// registrations run at once (the counter's row lock on PostgreSQL, the write lock on SQLite).
pub fn register(conn: &mut DbConn, ctx: &Ctx, id: i64, category_id: Option<i64>) -> Result<Suggestion, StoreError> {
    write_then_view(conn, id, |conn| {
        let (row, next) = decided(conn, ctx, id, Action::Register)?;
        let category = match category_id.or(row.category_id) {
            Some(c) => c,
            None => return Err(Refusal::field("category_id", "is required: the suggestion has no category yet").into()),
        };
        check_category(conn, row.session_id, category)?;
        // The serial comes last, just before the commit, so that the session's counter row is
        // held (on PostgreSQL, locked) for as short a time as possible.
        let serial: i64 = diesel::update(sessions::table.find(row.session_id))
            .set(sessions::last_serial.eq(sessions::last_serial + 1))
            .returning(sessions::last_serial)
            .get_result(conn)?;
        let serial = Serial::new(serial).ok_or_else(|| StoreError::Config(format!("session counter gave {serial}")))?;
        let n = diesel::update(suggestions::table.find(id).filter(suggestions::version.eq(row.version)))
            .set((
                suggestions::state.eq(next.as_str()),
                suggestions::serial.eq(Some(serial.get())),
                suggestions::code.eq(Some(serial.code())),
                suggestions::category_id.eq(Some(category)),
                suggestions::registered_at.eq(Some(naive(ctx.now))),
                suggestions::updated_at.eq(naive(ctx.now)),
                suggestions::version.eq(row.version + 1),
            ))
            .execute(conn)?;
        if n == 0 {
            return Err(stale(conn, id, Action::Register));
        }
        audit::record(
            conn,
            ctx,
            Entry::new(Action::Register.as_str(), "suggestion", id)
                .on_suggestion(id, row.state().as_str(), next.as_str())
                .details(serde_json::json!({
                    "serial": serial.get(), "code": serial.code(),
                    "category_id": category, "proposed_category_id": row.category_id,
                })),
        )
    })
}
