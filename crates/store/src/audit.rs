//! The audit log: one row for every write, in the write's own transaction. A suggestion's
//! timeline is read from it.

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::schema::audit_log;
use crate::time::{naive, utc, Stamp};
use crate::{Ctx, DbConn, StoreError};

/// What one write did.
pub struct Entry {
    pub action: &'static str,
    pub target_type: &'static str,
    pub target_id: i64,
    pub suggestion_id: Option<i64>,
    pub before_state: Option<&'static str>,
    pub after_state: Option<&'static str>,
    /// What the action changed or said, as JSON text.
    pub details: String,
    /// The unit that acted, or whose assignment the action concerns.
    pub unit_id: Option<i64>,
    /// Where a deadline applied: its last day, and whether the action met it.
    pub due_on: Option<chrono::NaiveDate>,
    pub on_time: Option<bool>,
}

impl Entry {
    pub fn new(action: &'static str, target_type: &'static str, target_id: i64) -> Entry {
        Entry {
            action,
            target_type,
            target_id,
            suggestion_id: None,
            before_state: None,
            after_state: None,
            details: "{}".to_owned(),
            unit_id: None,
            due_on: None,
            on_time: None,
        }
    }

    pub fn unit(mut self, unit_id: Option<i64>) -> Self {
        self.unit_id = unit_id;
        self
    }

    /// Records the deadline that applied and whether the action met it.
    pub fn deadline(mut self, due_on: Option<chrono::NaiveDate>, on_time: Option<bool>) -> Self {
        self.due_on = due_on;
        self.on_time = on_time;
        self
    }

    pub fn details(mut self, details: serde_json::Value) -> Self {
        self.details = details.to_string();
        self
    }

    /// The details written straight from a value (the meeting's ten thousand rows would each
    /// build a JSON tree only to write it out).
    pub fn details_of(mut self, details: &impl serde::Serialize) -> Self {
        match serde_json::to_string(details) {
            Ok(text) => self.details = text,
            // Only a map with keys that are not strings fails: a bug, not the caller's.
            Err(e) => tracing::error!(action = self.action, "the audit details could not be written: {e}"),
        }
        self
    }

    /// A step in a suggestion's life: it appears on the suggestion's timeline.
    pub fn on_suggestion(mut self, id: i64, before: &'static str, after: &'static str) -> Self {
        self.suggestion_id = Some(id);
        self.before_state = Some(before);
        self.after_state = Some(after);
        self
    }
}

/// An audit row as it is inserted; `None` is stored as NULL (never the column's default), so
/// that every insert has the same text and stays prepared. The caller's texts are borrowed for
/// one row and owned for many (a statement diesel keeps prepared owns its values).
#[derive(Insertable)]
#[diesel(table_name = audit_log, treat_none_as_default_value = false)]
struct NewRow<'a> {
    at: Stamp,
    actor_id: Option<i64>,
    actor_name: Cow<'a, str>,
    role: &'static str,
    action: &'static str,
    target_type: &'static str,
    target_id: i64,
    suggestion_id: Option<i64>,
    request_id: Option<Cow<'a, str>>,
    before_state: Option<&'static str>,
    after_state: Option<&'static str>,
    details: String,
    unit_id: Option<i64>,
    due_on: Option<chrono::NaiveDate>,
    on_time: Option<bool>,
}

impl<'a> NewRow<'a> {
    fn of(ctx: &'a Ctx, at: Stamp, entry: Entry) -> NewRow<'a> {
        NewRow {
            at,
            actor_id: Some(ctx.caller.id),
            actor_name: Cow::Borrowed(&ctx.caller.username),
            role: ctx.caller.role.as_str(),
            action: entry.action,
            target_type: entry.target_type,
            target_id: entry.target_id,
            suggestion_id: entry.suggestion_id,
            request_id: ctx.request_id.as_deref().map(Cow::Borrowed),
            before_state: entry.before_state,
            after_state: entry.after_state,
            details: entry.details,
            unit_id: entry.unit_id,
            due_on: entry.due_on,
            on_time: entry.on_time,
        }
    }
}

/// Records one write, in the write's transaction (on the backend's own connection: it runs on
/// every write, and the multi-backend layer would write its text out again each time).
pub fn record(conn: &mut DbConn, ctx: &Ctx, entry: Entry) -> Result<(), StoreError> {
    let at = Stamp::new(naive(ctx.now));
    let row = NewRow::of(ctx, at, entry);
    crate::on_backend!(conn, c => diesel::insert_into(audit_log::table).values(&row).execute(c))?;
    Ok(())
}

/// Records many entries at once (the assignment meeting), in statements of 500 rows.
pub fn record_many(conn: &mut DbConn, ctx: &Ctx, entries: impl Iterator<Item = Entry>) -> Result<(), StoreError> {
    let at = Stamp::new(naive(ctx.now));
    let rows: Vec<NewRow<'static>> = entries
        .map(|entry| {
            let row = NewRow::of(ctx, at, entry);
            NewRow {
                actor_name: Cow::Owned(row.actor_name.into_owned()),
                request_id: row.request_id.map(|r| Cow::Owned(r.into_owned())),
                ..row
            }
        })
        .collect();
    crate::insert_many!(conn, audit_log::table, &rows)?;
    Ok(())
}

/// One step on a suggestion's timeline.
#[derive(Debug, Serialize, ToSchema)]
pub struct Event {
    #[schema(format = Int64, minimum = 1)]
    pub id: i64,
    pub at: DateTime<Utc>,
    /// What was done: `create`, `edit`, `submit`, `cosign`, `withdraw`, `register`, `reject`.
    pub action: String,
    /// The account that did it.
    pub actor: String,
    #[schema(format = Int64)]
    pub actor_id: Option<i64>,
    /// The role it acted in.
    pub role: String,
    pub before_state: Option<String>,
    pub after_state: Option<String>,
    pub request_id: Option<String>,
    /// What the action changed or said (a reason, a serial, an answer).
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
    /// The unit that acted, or whose assignment the action concerns.
    #[schema(format = Int64)]
    pub unit_id: Option<i64>,
    /// Where a deadline applied: its last day (in the congress's time zone)…
    pub due_on: Option<chrono::NaiveDate>,
    /// …and whether the action met it. Being late never blocks an action; it is recorded.
    pub on_time: Option<bool>,
}

type EventRow = (
    (i64, chrono::NaiveDateTime, String, Option<i64>, String, String),
    (Option<String>, Option<String>, Option<String>, String, Option<i64>, Option<chrono::NaiveDate>, Option<bool>),
);

pub fn timeline(conn: &mut DbConn, suggestion_id: i64) -> Result<Vec<Event>, StoreError> {
    let rows: Vec<EventRow> = audit_log::table
        .filter(audit_log::suggestion_id.eq(suggestion_id))
        .order(audit_log::id.asc())
        .select((
            (
                audit_log::id,
                audit_log::at,
                audit_log::action,
                audit_log::actor_id,
                audit_log::actor_name,
                audit_log::role,
            ),
            (
                audit_log::before_state,
                audit_log::after_state,
                audit_log::request_id,
                audit_log::details,
                audit_log::unit_id,
                audit_log::due_on,
                audit_log::on_time,
            ),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(
                (id, at, action, actor_id, actor, role),
                (before_state, after_state, request_id, details, unit_id, due_on, on_time),
            )| Event {
                id,
                at: utc(at),
                action,
                actor,
                actor_id,
                role,
                before_state,
                after_state,
                request_id,
                details: serde_json::from_str(&details).unwrap_or(serde_json::Value::Null),
                unit_id,
                due_on,
                on_time,
            },
        )
        .collect())
}
