//! Jianyi's persistence: one schema over SQLite and PostgreSQL, the operations the API performs
//! (each a single transaction that asks the domain crate what to do and records it in the audit
//! log), and the views the API shows.

pub mod accounts;
pub mod assignments;
pub mod audit;
pub mod db;
mod dialect;
pub mod error;
pub mod outcome;
pub mod page;
pub mod reference;
pub mod schema;
pub mod suggestions;
mod time;
pub mod work;
mod writer;

pub use db::{checkout, connect, migrate, write, Backend, DbConn, Pool, PooledConn, SqliteSync};
pub use error::StoreError;
pub use page::Page;

use chrono::{DateTime, Utc};
use jianyi_domain::Caller;

/// Who acts, and in which request: what every write needs for its audit row.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub caller: Caller,
    pub request_id: Option<String>,
    pub now: DateTime<Utc>,
}

impl Ctx {
    pub fn new(caller: Caller, request_id: Option<String>) -> Ctx {
        Ctx { caller, request_id, now: Utc::now() }
    }
}
