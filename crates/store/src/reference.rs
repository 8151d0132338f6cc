//! Reference data that the administrator keeps: sessions and their categories, units, deputies,
//! committees.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use jianyi_domain::session::{Meeting, DEFAULT_CATEGORIES};
use jianyi_domain::text::{mask_phone, optional, required, sane_date, Phone};
use jianyi_domain::{Caller, FieldError, Refusal};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::audit::{self, Entry};
use crate::error::{found, unique};
use crate::page::{Page, PageRequest};
use crate::schema::{categories, committee_categories, committees, deputies, sessions, units};
use crate::time::{naive, utc};
use crate::{write, Ctx, DbConn, StoreError};

// ---- sessions and categories ----

#[derive(Debug, Clone, Queryable)]
pub struct SessionRow {
    pub id: i64,
    pub term: i32,
    pub session: i32,
    pub name: String,
    pub meeting_start: NaiveDate,
    pub meeting_end: NaiveDate,
    pub last_serial: i64,
    pub created_at: NaiveDateTime,
}

impl SessionRow {
    pub fn meeting(&self) -> Result<Meeting, Refusal> {
        Meeting::new(self.meeting_start, self.meeting_end)
    }
}

/// A congress session (届次、会次), e.g. 昆明市第十四届人民代表大会第六次会议.
#[derive(Debug, Serialize, ToSchema)]
pub struct Session {
    #[schema(format = Int64, minimum = 1)]
    pub id: i64,
    /// The congress's term (届), e.g. 14.
    #[schema(minimum = 1)]
    pub term: i32,
    /// The session within the term (次), e.g. 6.
    #[schema(minimum = 1)]
    pub session: i32,
    pub name: String,
    /// First day of the meeting (会议期间), in the congress's time zone.
    pub meeting_start: NaiveDate,
    /// Last day of the meeting.
    pub meeting_end: NaiveDate,
    /// How many suggestions this session has registered: the last serial given.
    #[schema(format = Int64, minimum = 0)]
    pub registered_count: i64,
    pub created_at: DateTime<Utc>,
}

impl From<SessionRow> for Session {
    fn from(r: SessionRow) -> Session {
        Session {
            id: r.id,
            term: r.term,
            session: r.session,
            name: r.name,
            meeting_start: r.meeting_start,
            meeting_end: r.meeting_end,
            registered_count: r.last_serial,
            created_at: utc(r.created_at),
        }
    }
}

pub struct NewSession {
    pub term: i32,
    pub session: i32,
    pub name: String,
    pub meeting_start: NaiveDate,
    pub meeting_end: NaiveDate,
}

/// Creates a session with the seven default categories.
pub fn create_session(conn: &mut DbConn, ctx: &Ctx, s: NewSession) -> Result<Session, StoreError> {
    let name = required("name", &s.name, 200)?;
    sane_date("meeting_start", s.meeting_start)?;
    sane_date("meeting_end", s.meeting_end)?;
    Meeting::new(s.meeting_start, s.meeting_end)?;
    write(conn, |conn| {
        let row: SessionRow = diesel::insert_into(sessions::table)
            .values((
                sessions::term.eq(s.term),
                sessions::session.eq(s.session),
                sessions::name.eq(&name),
                sessions::meeting_start.eq(s.meeting_start),
                sessions::meeting_end.eq(s.meeting_end),
                sessions::last_serial.eq(0i64),
                sessions::created_at.eq(naive(ctx.now)),
            ))
            .returning(sessions::all_columns)
            .get_result(conn)
            .map_err(unique("session", format!("term {} session {} or the name {name} exists", s.term, s.session)))?;
        for (i, category) in DEFAULT_CATEGORIES.iter().enumerate() {
            diesel::insert_into(categories::table)
                .values((
                    categories::session_id.eq(row.id),
                    categories::name.eq(*category),
                    categories::position.eq(i as i32 + 1),
                ))
                .execute(conn)?;
        }
        audit::record(
            conn,
            ctx,
            Entry::new("create", "session", row.id).details(serde_json::json!({
                "term": row.term, "session": row.session, "name": row.name,
                "meeting_start": row.meeting_start, "meeting_end": row.meeting_end,
            })),
        )?;
        Ok(row.into())
    })
}

pub fn session_row(conn: &mut DbConn, id: i64) -> Result<SessionRow, StoreError> {
    found(sessions::table.find(id).get_result(conn))
}

pub fn get_session(conn: &mut DbConn, id: i64) -> Result<Session, StoreError> {
    session_row(conn, id).map(Session::from)
}

pub fn list_sessions(conn: &mut DbConn, page: PageRequest) -> Result<Page<Session>, StoreError> {
    let rows: Vec<SessionRow> =
        sessions::table.filter(sessions::id.gt(page.after)).order(sessions::id.asc()).limit(page.fetch()).load(conn)?;
    Ok(page.page(rows, |r| r.id).map(Session::from))
}

/// A category of suggestions within a session (分类).
#[derive(Debug, Serialize, ToSchema, Queryable)]
pub struct Category {
    #[schema(format = Int64, minimum = 1)]
    pub id: i64,
    #[schema(format = Int64, minimum = 1)]
    pub session_id: i64,
    pub name: String,
    /// Its place in the session's list, from 1.
    #[schema(minimum = 1)]
    pub position: i32,
}

pub fn list_categories(conn: &mut DbConn, session_id: i64) -> Result<Vec<Category>, StoreError> {
    session_row(conn, session_id)?;
    Ok(categories::table
        .filter(categories::session_id.eq(session_id))
        .order((categories::position.asc(), categories::id.asc()))
        .load(conn)?)
}

pub fn add_category(conn: &mut DbConn, ctx: &Ctx, session_id: i64, name: &str) -> Result<Category, StoreError> {
    let name = required("name", name, 50)?;
    write(conn, |conn| {
        session_row(conn, session_id)?;
        let last: Option<i32> = categories::table
            .filter(categories::session_id.eq(session_id))
            .select(diesel::dsl::max(categories::position))
            .get_result(conn)?;
        let category: Category = diesel::insert_into(categories::table)
            .values((
                categories::session_id.eq(session_id),
                categories::name.eq(&name),
                categories::position.eq(last.unwrap_or(0) + 1),
            ))
            .returning(categories::all_columns)
            .get_result(conn)
            .map_err(unique("name", format!("the session has a category named {name}")))?;
        audit::record(
            conn,
            ctx,
            Entry::new("create", "category", category.id).details(serde_json::json!({
                "session_id": session_id, "name": category.name,
            })),
        )?;
        Ok(category)
    })
}

// ---- units ----

/// The kinds of handling units (承办单位).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// A government department (政府部门).
    Government,
    Court,
    Procuratorate,
    /// A party organ (党委部门).
    Party,
    /// A mass organisation (群团组织).
    MassOrganization,
    /// A state enterprise or utility (国有企业).
    Enterprise,
    Other,
}

impl UnitKind {
    const ALL: [UnitKind; 7] = [
        UnitKind::Government,
        UnitKind::Court,
        UnitKind::Procuratorate,
        UnitKind::Party,
        UnitKind::MassOrganization,
        UnitKind::Enterprise,
        UnitKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::Government => "government",
            UnitKind::Court => "court",
            UnitKind::Procuratorate => "procuratorate",
            UnitKind::Party => "party",
            UnitKind::MassOrganization => "mass_organization",
            UnitKind::Enterprise => "enterprise",
            UnitKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<UnitKind> {
        UnitKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, Queryable)]
struct UnitRow {
    id: i64,
    name: String,
    kind: String,
    contact_name: Option<String>,
    contact_phone: Option<String>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

/// A handling unit (承办单位).
#[derive(Debug, Serialize, ToSchema)]
pub struct Unit {
    #[schema(format = Int64, minimum = 1)]
    pub id: i64,
    pub name: String,
    pub kind: UnitKind,
    /// The unit's contact person for suggestions.
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<UnitRow> for Unit {
    fn from(r: UnitRow) -> Unit {
        Unit {
            id: r.id,
            name: r.name,
            kind: UnitKind::parse(&r.kind).unwrap_or(UnitKind::Other),
            contact_name: r.contact_name,
            contact_phone: r.contact_phone,
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
        }
    }
}

/// A unit's fields; in a change, `None` leaves a field as it is and `Some(None)` clears it.
#[derive(Debug, Default)]
pub struct UnitInput {
    pub name: Option<String>,
    pub kind: Option<UnitKind>,
    pub contact_name: Option<Option<String>>,
    pub contact_phone: Option<Option<String>>,
}

fn clean_optional_phone(field: &str, v: Option<Option<String>>) -> Result<Option<Option<String>>, Refusal> {
    match v {
        Some(Some(p)) if !p.trim().is_empty() => Ok(Some(Some(Phone::parse(field, &p)?.as_str().to_owned()))),
        Some(_) => Ok(Some(None)),
        None => Ok(None),
    }
}

fn clean_optional_text(field: &str, v: Option<Option<String>>, max: usize) -> Result<Option<Option<String>>, Refusal> {
    match v {
        Some(t) => Ok(Some(optional(field, t.as_deref(), max)?)),
        None => Ok(None),
    }
}

/// Gathers the refusals of several fields into one answer.
fn all_fields(results: Vec<Result<(), Refusal>>) -> Result<(), Refusal> {
    let errors: Vec<FieldError> = results
        .into_iter()
        .filter_map(Result::err)
        .flat_map(|r| match r {
            Refusal::Validation(errors) => errors,
            other => vec![FieldError::new("", other.to_string())],
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Refusal::Validation(errors))
    }
}

struct CleanUnit {
    name: Option<String>,
    contact_name: Option<Option<String>>,
    contact_phone: Option<Option<String>>,
}

fn clean_unit(u: UnitInput) -> Result<CleanUnit, Refusal> {
    let name = u.name.as_deref().map(|n| required("name", n, 100)).transpose();
    let contact_name = clean_optional_text("contact_name", u.contact_name, 50);
    let contact_phone = clean_optional_phone("contact_phone", u.contact_phone);
    all_fields(vec![
        name.as_ref().map(|_| ()).map_err(Clone::clone),
        contact_name.as_ref().map(|_| ()).map_err(Clone::clone),
        contact_phone.as_ref().map(|_| ()).map_err(Clone::clone),
    ])?;
    Ok(CleanUnit { name: name?, contact_name: contact_name?, contact_phone: contact_phone? })
}

pub fn create_unit(conn: &mut DbConn, ctx: &Ctx, u: UnitInput) -> Result<Unit, StoreError> {
    let kind = u.kind.unwrap_or(UnitKind::Government);
    let c = clean_unit(u)?;
    let name = c.name.ok_or_else(|| Refusal::field("name", "is required"))?;
    write(conn, |conn| {
        let row: UnitRow = diesel::insert_into(units::table)
            .values((
                units::name.eq(&name),
                units::kind.eq(kind.as_str()),
                units::contact_name.eq(c.contact_name.flatten()),
                units::contact_phone.eq(c.contact_phone.flatten()),
                units::created_at.eq(naive(ctx.now)),
                units::updated_at.eq(naive(ctx.now)),
            ))
            .returning(units::all_columns)
            .get_result(conn)
            .map_err(unique("name", format!("a unit named {name} exists")))?;
        audit::record(
            conn,
            ctx,
            Entry::new("create", "unit", row.id).details(serde_json::json!({
                "name": row.name, "kind": row.kind,
            })),
        )?;
        Ok(row.into())
    })
}

pub fn update_unit(conn: &mut DbConn, ctx: &Ctx, id: i64, u: UnitInput) -> Result<Unit, StoreError> {
    let kind = u.kind;
    let c = clean_unit(u)?;
    write(conn, |conn| {
        let before: UnitRow = found(units::table.find(id).get_result(conn))?;
        let row: UnitRow = diesel::update(units::table.find(id))
            .set((
                units::name.eq(c.name.as_deref().unwrap_or(&before.name)),
                units::kind.eq(kind.map_or(before.kind.clone(), |k| k.as_str().to_owned())),
                units::contact_name.eq(c.contact_name.clone().unwrap_or(before.contact_name.clone())),
                units::contact_phone.eq(c.contact_phone.clone().unwrap_or(before.contact_phone.clone())),
                units::updated_at.eq(naive(ctx.now)),
            ))
            .returning(units::all_columns)
            .get_result(conn)
            .map_err(unique("name", "another unit has that name"))?;
        audit::record(conn, ctx, Entry::new("update", "unit", id).details(serde_json::json!({
            "before": {"name": before.name, "kind": before.kind, "contact_name": before.contact_name, "contact_phone": before.contact_phone},
            "after": {"name": row.name, "kind": row.kind, "contact_name": row.contact_name, "contact_phone": row.contact_phone},
        })))?;
        Ok(row.into())
    })
}

pub fn get_unit(conn: &mut DbConn, id: i64) -> Result<Unit, StoreError> {
    found(units::table.find(id).get_result::<UnitRow>(conn)).map(Unit::from)
}

pub fn list_units(conn: &mut DbConn, kind: Option<UnitKind>, page: PageRequest) -> Result<Page<Unit>, StoreError> {
    let mut q = units::table.filter(units::id.gt(page.after)).into_boxed();
    if let Some(kind) = kind {
        q = q.filter(units::kind.eq(kind.as_str()));
    }
    let rows: Vec<UnitRow> = q.order(units::id.asc()).limit(page.fetch()).load(conn)?;
    Ok(page.page(rows, |r| r.id).map(Unit::from))
}

// ---- deputies ----

#[derive(Debug, Clone, Queryable)]
struct DeputyRow {
    id: i64,
    name: String,
    delegation: String,
    phone: Option<String>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

/// A deputy (人大代表). The phone is whole for admin and staff, masked (`138****5678`) for others.
#[derive(Debug, Serialize, ToSchema)]
pub struct Deputy {
    #[schema(format = Int64, minimum = 1)]
    pub id: i64,
    pub name: String,
    /// The delegation (代表团) the deputy belongs to.
    pub delegation: String,
    pub phone: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Deputy {
    fn shown_to(r: DeputyRow, caller: &Caller) -> Deputy {
        let whole = caller.sees_full_phone();
        Deputy {
            id: r.id,
            name: r.name,
            delegation: r.delegation,
            phone: r.phone.map(|p| if whole { p } else { mask_phone(&p) }),
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
        }
    }
}

#[derive(Debug, Default)]
pub struct DeputyInput {
    pub name: Option<String>,
    pub delegation: Option<String>,
    pub phone: Option<Option<String>>,
}

struct CleanDeputy {
    name: Option<String>,
    delegation: Option<String>,
    phone: Option<Option<String>>,
}

fn clean_deputy(d: DeputyInput) -> Result<CleanDeputy, Refusal> {
    let name = d.name.as_deref().map(|n| required("name", n, 50)).transpose();
    let delegation = d.delegation.as_deref().map(|n| required("delegation", n, 100)).transpose();
    let phone = clean_optional_phone("phone", d.phone);
    all_fields(vec![
        name.as_ref().map(|_| ()).map_err(Clone::clone),
        delegation.as_ref().map(|_| ()).map_err(Clone::clone),
        phone.as_ref().map(|_| ()).map_err(Clone::clone),
    ])?;
    Ok(CleanDeputy { name: name?, delegation: delegation?, phone: phone? })
}

pub fn create_deputy(conn: &mut DbConn, ctx: &Ctx, d: DeputyInput) -> Result<Deputy, StoreError> {
    let c = clean_deputy(d)?;
    let mut missing = vec![];
    if c.name.is_none() {
        missing.push(FieldError::new("name", "is required"));
    }
    if c.delegation.is_none() {
        missing.push(FieldError::new("delegation", "is required"));
    }
    if !missing.is_empty() {
        return Err(Refusal::Validation(missing).into());
    }
    let (name, delegation) = (c.name.unwrap_or_default(), c.delegation.unwrap_or_default());
    write(conn, |conn| {
        let row: DeputyRow = diesel::insert_into(deputies::table)
            .values((
                deputies::name.eq(&name),
                deputies::delegation.eq(&delegation),
                deputies::phone.eq(c.phone.flatten()),
                deputies::created_at.eq(naive(ctx.now)),
                deputies::updated_at.eq(naive(ctx.now)),
            ))
            .returning(deputies::all_columns)
            .get_result(conn)
            .map_err(unique("name", format!("the delegation {delegation} has a deputy named {name}")))?;
        audit::record(
            conn,
            ctx,
            Entry::new("create", "deputy", row.id).details(serde_json::json!({
                "name": row.name, "delegation": row.delegation,
            })),
        )?;
        Ok(Deputy::shown_to(row, &ctx.caller))
    })
}

pub fn update_deputy(conn: &mut DbConn, ctx: &Ctx, id: i64, d: DeputyInput) -> Result<Deputy, StoreError> {
    let c = clean_deputy(d)?;
    write(conn, |conn| {
        let before: DeputyRow = found(deputies::table.find(id).get_result(conn))?;
        let row: DeputyRow = diesel::update(deputies::table.find(id))
            .set((
                deputies::name.eq(c.name.as_deref().unwrap_or(&before.name)),
                deputies::delegation.eq(c.delegation.as_deref().unwrap_or(&before.delegation)),
                deputies::phone.eq(c.phone.clone().unwrap_or(before.phone.clone())),
                deputies::updated_at.eq(naive(ctx.now)),
            ))
            .returning(deputies::all_columns)
            .get_result(conn)
            .map_err(unique("name", "the delegation has another deputy of that name"))?;
        // The phone is personal data: the log says that it changed, not what it is.
        audit::record(
            conn,
            ctx,
            Entry::new("update", "deputy", id).details(serde_json::json!({
                "before": {"name": before.name, "delegation": before.delegation},
                "after": {"name": row.name, "delegation": row.delegation},
                "phone_changed": before.phone != row.phone,
            })),
        )?;
        Ok(Deputy::shown_to(row, &ctx.caller))
    })
}

pub fn get_deputy(conn: &mut DbConn, caller: &Caller, id: i64) -> Result<Deputy, StoreError> {
    found(deputies::table.find(id).get_result::<DeputyRow>(conn)).map(|r| Deputy::shown_to(r, caller))
}

pub fn list_deputies(
    conn: &mut DbConn,
    caller: &Caller,
    delegation: Option<&str>,
    page: PageRequest,
) -> Result<Page<Deputy>, StoreError> {
    let mut q = deputies::table.filter(deputies::id.gt(page.after)).into_boxed();
    if let Some(d) = delegation {
        q = q.filter(deputies::delegation.eq(d));
    }
    let rows: Vec<DeputyRow> = q.order(deputies::id.asc()).limit(page.fetch()).load(conn)?;
    Ok(page.page(rows, |r| r.id).map(|r| Deputy::shown_to(r, caller)))
}

/// Names of the deputies with the given ids.
pub fn deputy_names(conn: &mut DbConn, ids: &[i64]) -> Result<Vec<(i64, String, String)>, StoreError> {
    Ok(deputies::table
        .filter(deputies::id.eq_any(ids))
        .select((deputies::id, deputies::name, deputies::delegation))
        .load(conn)?)
}

// ---- committees ----

/// A committee of the congress (专门委员会), and the categories of suggestions it reviews.
#[derive(Debug, Serialize, ToSchema)]
pub struct Committee {
    #[schema(format = Int64, minimum = 1)]
    pub id: i64,
    pub name: String,
    /// Names of the categories it covers, in every session.
    pub categories: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Default)]
pub struct CommitteeInput {
    pub name: Option<String>,
    pub categories: Option<Vec<String>>,
}

fn clean_categories(list: Option<Vec<String>>) -> Result<Option<Vec<String>>, Refusal> {
    let Some(list) = list else { return Ok(None) };
    let mut out = vec![];
    for (i, c) in list.iter().enumerate() {
        let c = required(&format!("categories[{i}]"), c, 50)?;
        if !out.contains(&c) {
            out.push(c);
        }
    }
    Ok(Some(out))
}

fn committee(conn: &mut DbConn, id: i64) -> Result<Committee, StoreError> {
    let (id, name, created_at, updated_at): (i64, String, NaiveDateTime, NaiveDateTime) =
        found(committees::table.find(id).get_result(conn))?;
    let categories = committee_categories::table
        .filter(committee_categories::committee_id.eq(id))
        .select(committee_categories::category_name)
        .order(committee_categories::category_name.asc())
        .load(conn)?;
    Ok(Committee { id, name, categories, created_at: utc(created_at), updated_at: utc(updated_at) })
}

fn set_categories(conn: &mut DbConn, id: i64, categories: &[String]) -> Result<(), StoreError> {
    diesel::delete(committee_categories::table.filter(committee_categories::committee_id.eq(id))).execute(conn)?;
    for c in categories {
        diesel::insert_into(committee_categories::table)
            .values((committee_categories::committee_id.eq(id), committee_categories::category_name.eq(c)))
            .execute(conn)?;
    }
    Ok(())
}

pub fn create_committee(conn: &mut DbConn, ctx: &Ctx, c: CommitteeInput) -> Result<Committee, StoreError> {
    let name = required("name", c.name.as_deref().unwrap_or(""), 100)?;
    let categories = clean_categories(c.categories)?.unwrap_or_default();
    write(conn, |conn| {
        let id: i64 = diesel::insert_into(committees::table)
            .values((
                committees::name.eq(&name),
                committees::created_at.eq(naive(ctx.now)),
                committees::updated_at.eq(naive(ctx.now)),
            ))
            .returning(committees::id)
            .get_result(conn)
            .map_err(unique("name", format!("a committee named {name} exists")))?;
        set_categories(conn, id, &categories)?;
        audit::record(
            conn,
            ctx,
            Entry::new("create", "committee", id).details(serde_json::json!({
                "name": name, "categories": categories,
            })),
        )?;
        committee(conn, id)
    })
}

pub fn update_committee(conn: &mut DbConn, ctx: &Ctx, id: i64, c: CommitteeInput) -> Result<Committee, StoreError> {
    let name = c.name.as_deref().map(|n| required("name", n, 100)).transpose()?;
    let categories = clean_categories(c.categories)?;
    write(conn, |conn| {
        let before = committee(conn, id)?;
        if let Some(name) = &name {
            diesel::update(committees::table.find(id))
                .set(committees::name.eq(name))
                .execute(conn)
                .map_err(unique("name", "another committee has that name"))?;
        }
        if let Some(categories) = &categories {
            set_categories(conn, id, categories)?;
        }
        diesel::update(committees::table.find(id)).set(committees::updated_at.eq(naive(ctx.now))).execute(conn)?;
        let after = committee(conn, id)?;
        audit::record(
            conn,
            ctx,
            Entry::new("update", "committee", id).details(serde_json::json!({
                "before": {"name": before.name, "categories": before.categories},
                "after": {"name": after.name, "categories": after.categories},
            })),
        )?;
        Ok(after)
    })
}

pub fn get_committee(conn: &mut DbConn, id: i64) -> Result<Committee, StoreError> {
    committee(conn, id)
}

pub fn list_committees(conn: &mut DbConn, page: PageRequest) -> Result<Page<Committee>, StoreError> {
    let ids: Vec<i64> = committees::table
        .filter(committees::id.gt(page.after))
        .order(committees::id.asc())
        .limit(page.fetch())
        .select(committees::id)
        .load(conn)?;
    let page = page.page(ids, |id| *id);
    let mut items = Vec::with_capacity(page.items.len());
    for id in page.items {
        items.push(committee(conn, id)?);
    }
    Ok(Page { items, next_cursor: page.next_cursor })
}
