//! Accounts of people and integration clients, and the record of failed sign-ins.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use diesel::prelude::*;
use jianyi_domain::role::Binding;
use jianyi_domain::{Caller, FieldError, Refusal, Role, Scope};
use serde::Serialize;
use utoipa::ToSchema;

use crate::audit::{self, Entry};
use crate::error::{found, unique};
use crate::page::{Page, PageRequest};
use crate::schema::{clients, committees, deputies, login_failures, units, users};
use crate::time::{naive, utc};
use crate::{write, Ctx, DbConn, StoreError};

#[derive(Debug, Clone, Queryable)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub password_hash: String,
    pub role: String,
    pub display_name: String,
    pub unit_id: Option<i64>,
    pub deputy_id: Option<i64>,
    pub committee_id: Option<i64>,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub deactivated_at: Option<NaiveDateTime>,
}

impl UserRow {
    /// The caller this account acts as; `None` for a row with an unknown role.
    pub fn caller(&self) -> Option<Caller> {
        Some(Caller {
            id: self.id,
            username: self.username.clone(),
            role: Role::parse(&self.role)?,
            unit_id: self.unit_id,
            deputy_id: self.deputy_id,
            committee_id: self.committee_id,
            scopes: vec![],
        })
    }
}

/// An account as the API shows it (never its password hash).
#[derive(Debug, Serialize, ToSchema)]
pub struct User {
    #[schema(format = Int64, minimum = 1)]
    pub id: i64,
    pub username: String,
    pub role: Role,
    pub display_name: String,
    #[schema(format = Int64)]
    pub unit_id: Option<i64>,
    #[schema(format = Int64)]
    pub deputy_id: Option<i64>,
    #[schema(format = Int64)]
    pub committee_id: Option<i64>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub deactivated_at: Option<DateTime<Utc>>,
}

impl From<UserRow> for User {
    fn from(r: UserRow) -> User {
        User {
            id: r.id,
            username: r.username,
            role: Role::parse(&r.role).unwrap_or(Role::Auditor),
            display_name: r.display_name,
            unit_id: r.unit_id,
            deputy_id: r.deputy_id,
            committee_id: r.committee_id,
            active: r.active,
            created_at: utc(r.created_at),
            deactivated_at: r.deactivated_at.map(utc),
        }
    }
}

pub struct NewUser {
    pub username: String,
    pub password_hash: String,
    pub role: Role,
    pub display_name: String,
    pub unit_id: Option<i64>,
    pub deputy_id: Option<i64>,
    pub committee_id: Option<i64>,
}

/// Usernames: 3 to 64 of lowercase letters, digits, `.`, `_`, `-`.
pub fn check_username(username: &str) -> Result<(), Refusal> {
    let ok = (3..=64).contains(&username.len())
        && username.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(())
    } else {
        Err(Refusal::field("username", "must be 3 to 64 of a-z, 0-9, '.', '_', '-'"))
    }
}

/// A role's binding must be given and exist; bindings the role does not take must be absent.
fn check_bindings(conn: &mut DbConn, u: &NewUser) -> Result<(), StoreError> {
    let binding = u.role.binding();
    let unit = match u.unit_id {
        Some(id) => units::table.find(id).count().get_result::<i64>(conn)? > 0,
        None => false,
    };
    let deputy = match u.deputy_id {
        Some(id) => deputies::table.find(id).count().get_result::<i64>(conn)? > 0,
        None => false,
    };
    let committee = match u.committee_id {
        Some(id) => committees::table.find(id).count().get_result::<i64>(conn)? > 0,
        None => false,
    };
    let mut errors = vec![];
    for (field, value, wanted, exists) in [
        ("unit_id", u.unit_id, binding == Binding::Unit, unit),
        ("deputy_id", u.deputy_id, binding == Binding::Deputy, deputy),
        ("committee_id", u.committee_id, binding == Binding::Committee, committee),
    ] {
        let message = match (value, wanted) {
            (None, true) => format!("is required for role {}", u.role),
            (Some(_), false) => format!("does not apply to role {}", u.role),
            (Some(_), true) if !exists => "names no such record".to_owned(),
            _ => continue,
        };
        errors.push(FieldError::new(field, message));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Refusal::Validation(errors).into())
    }
}

/// Creates an account. `ctx` is `None` only when the system itself creates the first admin.
pub fn create_user(conn: &mut DbConn, ctx: Option<&Ctx>, u: NewUser) -> Result<User, StoreError> {
    check_username(&u.username)?;
    if !u.role.is_person() {
        return Err(
            Refusal::field("role", "integrations sign in as clients: create one with POST /api/v1/clients").into()
        );
    }
    write(conn, |conn| {
        check_bindings(conn, &u)?;
        let now = ctx.map_or_else(Utc::now, |c| c.now);
        let row: UserRow = diesel::insert_into(users::table)
            .values((
                users::username.eq(&u.username),
                users::password_hash.eq(&u.password_hash),
                users::role.eq(u.role.as_str()),
                users::display_name.eq(&u.display_name),
                users::unit_id.eq(u.unit_id),
                users::deputy_id.eq(u.deputy_id),
                users::committee_id.eq(u.committee_id),
                users::active.eq(true),
                users::created_at.eq(naive(now)),
            ))
            .returning(users::all_columns)
            .get_result(conn)
            .map_err(unique("username", format!("the username {} is taken", u.username)))?;
        if let Some(ctx) = ctx {
            audit::record(
                conn,
                ctx,
                Entry::new("create", "user", row.id).details(serde_json::json!({
                    "username": row.username, "role": row.role,
                    "unit_id": row.unit_id, "deputy_id": row.deputy_id, "committee_id": row.committee_id,
                })),
            )?;
        }
        Ok(row.into())
    })
}

pub fn user_by_username(conn: &mut DbConn, username: &str) -> Result<Option<UserRow>, StoreError> {
    Ok(users::table.filter(users::username.eq(username)).get_result(conn).optional()?)
}

/// The account behind a token, read on every request: on the backend's own connection, which
/// skips the multi-backend layer's rewriting of the statement (see `db::on_backend`).
pub fn user_row(conn: &mut DbConn, id: i64) -> Result<Option<UserRow>, StoreError> {
    Ok(crate::on_backend!(conn, c => users::table.find(id).get_result(c).optional())?)
}

/// The name a person signs with: their account's display name (a stand-in caller's username).
pub fn display_name(conn: &mut DbConn, caller: &Caller) -> Result<String, StoreError> {
    if caller.role == Role::Integration {
        return Ok(caller.username.clone());
    }
    let name: Option<String> = users::table
        .find(caller.id)
        .filter(users::username.eq(&caller.username))
        .select(users::display_name)
        .get_result(conn)
        .optional()?;
    Ok(name.unwrap_or_else(|| caller.username.clone()))
}

pub fn get_user(conn: &mut DbConn, id: i64) -> Result<User, StoreError> {
    found(users::table.find(id).get_result::<UserRow>(conn)).map(User::from)
}

pub fn list_users(conn: &mut DbConn, role: Option<Role>, page: PageRequest) -> Result<Page<User>, StoreError> {
    let mut q = users::table.filter(users::id.gt(page.after)).into_boxed();
    if let Some(role) = role {
        q = q.filter(users::role.eq(role.as_str()));
    }
    let rows: Vec<UserRow> = q.order(users::id.asc()).limit(page.fetch()).load(conn)?;
    Ok(page.page(rows, |r| r.id).map(User::from))
}

pub fn deactivate_user(conn: &mut DbConn, ctx: &Ctx, id: i64) -> Result<User, StoreError> {
    if id == ctx.caller.id && ctx.caller.role == Role::Admin {
        return Err(StoreError::Conflict {
            code: "cannot_deactivate_self",
            field: "id",
            detail: "an administrator cannot deactivate their own account".into(),
        });
    }
    write(conn, |conn| {
        let row: UserRow = found(users::table.find(id).get_result(conn))?;
        if row.active {
            diesel::update(users::table.find(id))
                .set((users::active.eq(false), users::deactivated_at.eq(Some(naive(ctx.now)))))
                .execute(conn)?;
            audit::record(conn, ctx, Entry::new("deactivate", "user", id))?;
        }
        get_user(conn, id)
    })
}

/// Whether any account has the given username (used to create the first admin once).
pub fn username_exists(conn: &mut DbConn, username: &str) -> Result<bool, StoreError> {
    Ok(users::table.filter(users::username.eq(username)).count().get_result::<i64>(conn)? > 0)
}

pub fn set_password(conn: &mut DbConn, username: &str, password_hash: &str) -> Result<(), StoreError> {
    write(conn, |conn| {
        diesel::update(users::table.filter(users::username.eq(username)))
            .set(users::password_hash.eq(password_hash))
            .execute(conn)
    })?;
    Ok(())
}

// ---- integration clients ----

#[derive(Debug, Clone, Queryable)]
pub struct ClientRow {
    pub id: i64,
    pub client_id: String,
    pub name: String,
    pub secret_hash: String,
    pub scopes: String,
    pub active: bool,
    pub created_at: NaiveDateTime,
}

impl ClientRow {
    pub fn caller(&self) -> Caller {
        Caller {
            id: self.id,
            username: self.client_id.clone(),
            role: Role::Integration,
            unit_id: None,
            deputy_id: None,
            committee_id: None,
            scopes: self.scopes.split_whitespace().map(str::to_owned).collect(),
        }
    }
}

/// An integration client as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Client {
    #[schema(format = Int64, minimum = 1)]
    pub id: i64,
    /// What the client signs in with, with its secret.
    pub client_id: String,
    pub name: String,
    pub scopes: Vec<String>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

impl From<ClientRow> for Client {
    fn from(r: ClientRow) -> Client {
        Client {
            id: r.id,
            client_id: r.client_id,
            name: r.name,
            scopes: r.scopes.split_whitespace().map(str::to_owned).collect(),
            active: r.active,
            created_at: utc(r.created_at),
        }
    }
}

pub fn create_client(
    conn: &mut DbConn,
    ctx: &Ctx,
    name: &str,
    client_id: &str,
    secret_hash: &str,
    scopes: &[Scope],
) -> Result<Client, StoreError> {
    let name = jianyi_domain::text::required("name", name, 100)?;
    let mut scopes: Vec<&str> = scopes.iter().map(|s| s.as_str()).collect();
    scopes.sort_unstable();
    scopes.dedup();
    write(conn, |conn| {
        let row: ClientRow = diesel::insert_into(clients::table)
            .values((
                clients::client_id.eq(client_id),
                clients::name.eq(&name),
                clients::secret_hash.eq(secret_hash),
                clients::scopes.eq(scopes.join(" ")),
                clients::active.eq(true),
                clients::created_at.eq(naive(ctx.now)),
            ))
            .returning(clients::all_columns)
            .get_result(conn)
            .map_err(unique("name", format!("a client named {name} exists")))?;
        audit::record(
            conn,
            ctx,
            Entry::new("create", "client", row.id).details(serde_json::json!({
                "name": row.name, "client_id": row.client_id, "scopes": row.scopes,
            })),
        )?;
        Ok(row.into())
    })
}

pub fn client_by_client_id(conn: &mut DbConn, client_id: &str) -> Result<Option<ClientRow>, StoreError> {
    Ok(clients::table.filter(clients::client_id.eq(client_id)).get_result(conn).optional()?)
}

pub fn client_row(conn: &mut DbConn, id: i64) -> Result<Option<ClientRow>, StoreError> {
    Ok(crate::on_backend!(conn, c => clients::table.find(id).get_result(c).optional())?)
}

pub fn get_client(conn: &mut DbConn, id: i64) -> Result<Client, StoreError> {
    found(clients::table.find(id).get_result::<ClientRow>(conn)).map(Client::from)
}

pub fn list_clients(conn: &mut DbConn, page: PageRequest) -> Result<Page<Client>, StoreError> {
    let rows: Vec<ClientRow> =
        clients::table.filter(clients::id.gt(page.after)).order(clients::id.asc()).limit(page.fetch()).load(conn)?;
    Ok(page.page(rows, |r| r.id).map(Client::from))
}

pub fn deactivate_client(conn: &mut DbConn, ctx: &Ctx, id: i64) -> Result<Client, StoreError> {
    write(conn, |conn| {
        let row: ClientRow = found(clients::table.find(id).get_result(conn))?;
        if row.active {
            diesel::update(clients::table.find(id)).set(clients::active.eq(false)).execute(conn)?;
            audit::record(conn, ctx, Entry::new("deactivate", "client", id))?;
        }
        get_client(conn, id)
    })
}

// ---- failed sign-ins ----

/// How failed sign-ins are slowed: after `free_failures` within `window`, the name is locked for
/// `base_lock`, doubling with each further failure up to `max_lock`.
#[derive(Debug, Clone, Copy)]
pub struct Throttle {
    pub free_failures: i32,
    pub window: Duration,
    pub base_lock: Duration,
    pub max_lock: Duration,
}

impl Default for Throttle {
    fn default() -> Self {
        Throttle {
            free_failures: 5,
            window: Duration::minutes(15),
            base_lock: Duration::seconds(30),
            max_lock: Duration::minutes(15),
        }
    }
}

/// If the name is locked now, until when.
pub fn locked_until(
    conn: &mut DbConn,
    username: &str,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, StoreError> {
    let until: Option<Option<NaiveDateTime>> =
        login_failures::table.find(username).select(login_failures::locked_until).get_result(conn).optional()?;
    Ok(until.flatten().map(utc).filter(|t| *t > now))
}

/// Counts a failure; answers the lock it causes, if any.
pub fn record_failure(
    conn: &mut DbConn,
    username: &str,
    now: DateTime<Utc>,
    t: Throttle,
) -> Result<Option<DateTime<Utc>>, StoreError> {
    write(conn, |conn| {
        let current: Option<(i32, NaiveDateTime)> = login_failures::table
            .find(username)
            .select((login_failures::failures, login_failures::first_failed_at))
            .get_result(conn)
            .optional()?;
        let (failures, first) = match current {
            Some((n, first)) if utc(first) + t.window > now => (n + 1, first),
            _ => (1, naive(now)),
        };
        // The `free_failures`th failure locks the name; each further one doubles the lock.
        let lock = (failures >= t.free_failures).then(|| {
            let doublings = (failures - t.free_failures).clamp(0, 16) as u32;
            let length = (t.base_lock * 2i32.pow(doublings)).min(t.max_lock);
            now + length
        });
        diesel::delete(login_failures::table.find(username)).execute(conn)?;
        diesel::insert_into(login_failures::table)
            .values((
                login_failures::username.eq(username),
                login_failures::failures.eq(failures),
                login_failures::first_failed_at.eq(first),
                login_failures::locked_until.eq(lock.map(naive)),
            ))
            .execute(conn)?;
        Ok(lock)
    })
}

pub fn clear_failures(conn: &mut DbConn, username: &str) -> Result<(), StoreError> {
    write(conn, |conn| diesel::delete(login_failures::table.find(username)).execute(conn))?;
    Ok(())
}
