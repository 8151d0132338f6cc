//! `baseline`: the least an actix-web + diesel service can do for `GET /suggestions/{id}`: the
//! same pool as jianyi (`jianyi_store::connect`, same durability and size), one query by primary
//! key on the backend's own connection and a blocking thread (`web::block`), the row's columns as
//! JSON, no authentication.

use actix_web::{web, App, HttpResponse, HttpServer};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use jianyi_store::schema::suggestions;
use jianyi_store::{connect, on_backend, Pool, SqliteSync};
use serde::Serialize;

/// Every column of the table as it is now; selected by name (`as_select`), so that a column added
/// later does not break the build (add it here to keep the baseline answering the whole row).
#[derive(Debug, Queryable, Selectable, Serialize)]
#[diesel(table_name = suggestions)]
struct Row {
    id: i64,
    session_id: i64,
    serial: Option<i64>,
    code: Option<String>,
    title: String,
    body: String,
    category_id: Option<i64>,
    lead_deputy_id: i64,
    state: String,
    period: Option<String>,
    time_sensitive: bool,
    submitted_at: Option<NaiveDateTime>,
    registered_at: Option<NaiveDateTime>,
    closed_reason: Option<String>,
    created_by: i64,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    version: i32,
    assigned_at: Option<NaiveDateTime>,
    reply_due_on: Option<NaiveDate>,
    round: i32,
    replied_at: Option<NaiveDateTime>,
    result_class: Option<String>,
    completed_at: Option<NaiveDateTime>,
    is_key: bool,
    key_leader: Option<String>,
    key_committee_id: Option<i64>,
    key_note: Option<String>,
    key_at: Option<NaiveDateTime>,
}

/// How the row is read: `first` (`… LIMIT ?`, diesel's usual way and jianyi's) or `get-result`
/// (no LIMIT clause).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Query {
    First,
    GetResult,
}

async fn get(pool: web::Data<Pool>, query: web::Data<Query>, id: web::Path<i64>) -> HttpResponse {
    let id = id.into_inner();
    let pool = pool.into_inner();
    let query = *query.into_inner();
    let found = web::block(move || -> Result<Option<Row>, String> {
        let mut conn = pool.get().map_err(|e| e.to_string())?;
        // On the backend's own connection, as a service written for one database would run it.
        on_backend!(&mut *conn, c => {
            let row = suggestions::table.find(id).select(Row::as_select());
            match query {
                Query::First => row.first(c),
                Query::GetResult => row.get_result(c),
            }
        })
        .optional()
        .map_err(|e| e.to_string())
    })
    .await;
    match found {
        Ok(Ok(Some(row))) => HttpResponse::Ok().json(row),
        Ok(Ok(None)) => HttpResponse::NotFound().finish(),
        Ok(Err(e)) => HttpResponse::InternalServerError().body(e),
        Err(e) => HttpResponse::InternalServerError().body(e.to_string()),
    }
}

pub fn run(database_url: &str, bind: &str, sync: SqliteSync, pool_size: u32, query: Query) -> crate::Result<()> {
    let pool = web::Data::new(connect(database_url, sync, pool_size)?);
    let query = web::Data::new(query);
    actix_web::rt::System::new().block_on(async move {
        // Workers: one per core, as jianyi's default.
        HttpServer::new(move || {
            App::new().app_data(pool.clone()).app_data(query.clone()).route("/suggestions/{id}", web::get().to(get))
        })
        .bind(bind)?
        .run()
        .await
    })?;
    Ok(())
}
