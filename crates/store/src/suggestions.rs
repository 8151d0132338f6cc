//! Suggestions from draft to registration. Every operation loads the suggestion as the caller
//! may see it, asks the domain's transition table, and writes the change with its audit row in
//! one transaction.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use jianyi_domain::lifecycle::{self, decide, Intake, ListScope};
use jianyi_domain::session::Serial;
use jianyi_domain::text::required;
use jianyi_domain::{Action, Caller, FieldError, Period, Refusal, Relation, SuggestionState};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::audit::{self, Entry, Event};
use crate::error::found;
use crate::page::{Page, PageRequest};
use crate::reference::session_row;
use crate::schema::{categories, deputies, sessions, suggestion_cosigners, suggestions};
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
}

impl SuggestionRow {
    fn state(&self) -> SuggestionState {
        // Only this module writes the column, always from a SuggestionState.
        SuggestionState::parse(&self.state).unwrap_or(SuggestionState::Draft)
    }
}

/// A co-signer's answer to the invitation to sign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CosignStatus {
    Pending,
    Confirmed,
    Declined,
}

impl CosignStatus {
    fn as_str(self) -> &'static str {
        match self {
            CosignStatus::Pending => "pending",
            CosignStatus::Confirmed => "confirmed",
            CosignStatus::Declined => "declined",
        }
    }

    fn parse(s: &str) -> CosignStatus {
        match s {
            "confirmed" => CosignStatus::Confirmed,
            "declined" => CosignStatus::Declined,
            _ => CosignStatus::Pending,
        }
    }
}

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
}

// ---- reading ----

type Joined = (SuggestionRow, String, String, Option<String>);

fn co_signer_ids(conn: &mut DbConn, id: i64) -> Result<Vec<i64>, StoreError> {
    Ok(suggestion_cosigners::table
        .filter(suggestion_cosigners::suggestion_id.eq(id))
        .select(suggestion_cosigners::deputy_id)
        .load(conn)?)
}

/// Loads a suggestion the caller may see, with how the caller stands to it.
fn visible(conn: &mut DbConn, caller: &Caller, id: i64) -> Result<(SuggestionRow, Relation), StoreError> {
    let row: SuggestionRow = found(suggestions::table.find(id).first(conn))?;
    let relation = Relation::of(caller, row.lead_deputy_id, &co_signer_ids(conn, id)?);
    if !lifecycle::can_see(caller, row.state(), relation) {
        return Err(StoreError::not_found());
    }
    Ok((row, relation))
}

fn views(conn: &mut DbConn, rows: Vec<Joined>) -> Result<Vec<Suggestion>, StoreError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.0.id).collect();
    let signers: Vec<(i64, i64, String, String, String, Option<NaiveDateTime>)> = suggestion_cosigners::table
        .inner_join(deputies::table)
        .filter(suggestion_cosigners::suggestion_id.eq_any(&ids))
        .order((suggestion_cosigners::suggestion_id.asc(), suggestion_cosigners::position.asc()))
        .select((
            suggestion_cosigners::suggestion_id,
            suggestion_cosigners::deputy_id,
            deputies::name,
            deputies::delegation,
            suggestion_cosigners::status,
            suggestion_cosigners::answered_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(r, lead_name, lead_delegation, category_name)| {
            let co_signers = signers
                .iter()
                .filter(|s| s.0 == r.id)
                .map(|(_, deputy_id, name, delegation, status, answered_at)| CoSigner {
                    deputy_id: *deputy_id,
                    name: name.clone(),
                    delegation: delegation.clone(),
                    status: CosignStatus::parse(status),
                    answered_at: answered_at.map(utc),
                })
                .collect();
            Suggestion {
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
                code: r.code,
                title: r.title,
                body: r.body,
                closed_reason: r.closed_reason,
            }
        })
        .collect())
}

fn view(conn: &mut DbConn, id: i64) -> Result<Suggestion, StoreError> {
    let row: Joined = found(
        suggestions::table
            .find(id)
            .inner_join(deputies::table)
            .left_join(categories::table)
            .select((suggestions::all_columns, deputies::name, deputies::delegation, categories::name.nullable()))
            .first(conn),
    )?;
    views(conn, vec![row])?.pop().ok_or_else(StoreError::not_found)
}

/// One suggestion, read once: who may see it is decided from the view itself.
pub fn get(conn: &mut DbConn, caller: &Caller, id: i64) -> Result<Suggestion, StoreError> {
    let suggestion = view(conn, id)?;
    let co_signers: Vec<i64> = suggestion.co_signers.iter().map(|c| c.deputy_id).collect();
    let relation = Relation::of(caller, suggestion.lead_deputy.id, &co_signers);
    if !lifecycle::can_see(caller, suggestion.state, relation) {
        return Err(StoreError::not_found());
    }
    Ok(suggestion)
}

pub fn events(conn: &mut DbConn, caller: &Caller, id: i64) -> Result<Vec<Event>, StoreError> {
    visible(conn, caller, id)?;
    audit::timeline(conn, id)
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
        .select((suggestions::all_columns, deputies::name, deputies::delegation, categories::name.nullable()))
        .into_boxed();
    match lifecycle::list_scope(caller) {
        ListScope::Nothing => return Ok(Page { items: vec![], next_cursor: None }),
        ListScope::AllSubmitted => q = q.filter(suggestions::state.ne(SuggestionState::Draft.as_str())),
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
    let rows: Vec<Joined> = q.order(suggestions::id.asc()).limit(page.fetch()).load(conn)?;
    let page = page.page(rows, |r| r.0.id);
    Ok(Page { items: views(conn, page.items)?, next_cursor: page.next_cursor })
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
        if at > ctx.now {
            return Err(Refusal::field("submitted_at", "must not be in the future").into());
        }
    }
    write(conn, |conn| {
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
        view(conn, id)
    })
}

/// Writes a decided change: the new state and fields, guarded by the version read, so that two
/// concurrent actions on one suggestion cannot both succeed.
fn commit_change(
    conn: &mut DbConn,
    ctx: &Ctx,
    row: &SuggestionRow,
    action: Action,
    next: SuggestionState,
    details: serde_json::Value,
) -> Result<(), StoreError> {
    let n = diesel::update(suggestions::table.find(row.id).filter(suggestions::version.eq(row.version)))
        .set((
            suggestions::state.eq(next.as_str()),
            suggestions::updated_at.eq(naive(ctx.now)),
            suggestions::version.eq(row.version + 1),
        ))
        .execute(conn)?;
    if n == 0 {
        let now: SuggestionRow = found(suggestions::table.find(row.id).first(conn))?;
        return Err(Refusal::InvalidTransition { state: now.state(), action }.into());
    }
    audit::record(
        conn,
        ctx,
        Entry::new(action.as_str(), "suggestion", row.id)
            .on_suggestion(row.id, row.state().as_str(), next.as_str())
            .details(details),
    )
}

/// Loads what the caller may see and asks the table whether the action is allowed.
fn decided(
    conn: &mut DbConn,
    ctx: &Ctx,
    id: i64,
    action: Action,
) -> Result<(SuggestionRow, SuggestionState), StoreError> {
    let (row, relation) = visible(conn, &ctx.caller, id)?;
    let next = decide(row.state(), action, ctx.caller.role, relation)?;
    Ok((row, next))
}

pub fn edit(conn: &mut DbConn, ctx: &Ctx, id: i64, p: SuggestionPatch) -> Result<Suggestion, StoreError> {
    let (title, body) = texts(p.title.as_deref(), p.body.as_deref())?;
    write(conn, |conn| {
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
        commit_change(conn, ctx, &row, Action::Edit, next, serde_json::json!({ "changed": changed }))?;
        view(conn, id)
    })
}

pub fn submit(conn: &mut DbConn, ctx: &Ctx, id: i64) -> Result<Suggestion, StoreError> {
    write(conn, |conn| {
        let (row, next) = decided(conn, ctx, id, Action::Submit)?;
        let period = session_row(conn, row.session_id)?.meeting()?.period_of(ctx.now);
        diesel::update(suggestions::table.find(id))
            .set((suggestions::submitted_at.eq(Some(naive(ctx.now))), suggestions::period.eq(Some(period.as_str()))))
            .execute(conn)?;
        commit_change(conn, ctx, &row, Action::Submit, next, serde_json::json!({ "period": period }))?;
        view(conn, id)
    })
}

pub fn cosign(conn: &mut DbConn, ctx: &Ctx, id: i64, confirm: bool) -> Result<Suggestion, StoreError> {
    write(conn, |conn| {
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
            serde_json::json!({
                "deputy_id": deputy_id, "status": status,
            }),
        )?;
        view(conn, id)
    })
}

pub fn withdraw(conn: &mut DbConn, ctx: &Ctx, id: i64, reason: &str) -> Result<Suggestion, StoreError> {
    let reason = required("reason", reason, REASON_MAX)?;
    write(conn, |conn| {
        let (row, next) = decided(conn, ctx, id, Action::Withdraw)?;
        diesel::update(suggestions::table.find(id)).set(suggestions::closed_reason.eq(Some(&reason))).execute(conn)?;
        commit_change(conn, ctx, &row, Action::Withdraw, next, serde_json::json!({ "reason": reason }))?;
        view(conn, id)
    })
}

pub fn reject(conn: &mut DbConn, ctx: &Ctx, id: i64, reason: &str) -> Result<Suggestion, StoreError> {
    let reason = required("reason", reason, REASON_MAX)?;
    write(conn, |conn| {
        let (row, next) = decided(conn, ctx, id, Action::Reject)?;
        diesel::update(suggestions::table.find(id)).set(suggestions::closed_reason.eq(Some(&reason))).execute(conn)?;
        commit_change(conn, ctx, &row, Action::Reject, next, serde_json::json!({ "reason": reason }))?;
        view(conn, id)
    })
}

/// Registers a submitted suggestion: the next serial of its session, taken by incrementing the
/// session's counter in this transaction, so that serials are gapless and unique however many
/// registrations run at once (the counter's row lock on PostgreSQL, the write lock on SQLite).
pub fn register(conn: &mut DbConn, ctx: &Ctx, id: i64, category_id: Option<i64>) -> Result<Suggestion, StoreError> {
    write(conn, |conn| {
        let (row, next) = decided(conn, ctx, id, Action::Register)?;
        let category = match category_id.or(row.category_id) {
            Some(c) => c,
            None => return Err(Refusal::field("category_id", "is required: the suggestion has no category yet").into()),
        };
        check_category(conn, row.session_id, category)?;
        let serial: i64 = diesel::update(sessions::table.find(row.session_id))
            .set(sessions::last_serial.eq(sessions::last_serial + 1))
            .returning(sessions::last_serial)
            .get_result(conn)?;
        let serial = Serial::new(serial).ok_or_else(|| StoreError::Config(format!("session counter gave {serial}")))?;
        diesel::update(suggestions::table.find(id))
            .set((
                suggestions::serial.eq(Some(serial.get())),
                suggestions::code.eq(Some(serial.code())),
                suggestions::category_id.eq(Some(category)),
                suggestions::registered_at.eq(Some(naive(ctx.now))),
            ))
            .execute(conn)?;
        commit_change(
            conn,
            ctx,
            &row,
            Action::Register,
            next,
            serde_json::json!({
                "serial": serial.get(), "code": serial.code(),
                "category_id": category, "proposed_category_id": row.category_id,
            }),
        )?;
        view(conn, id)
    })
}
