//! The store's one error type: a domain refusal, a conflict with what is stored, or a failure.

use jianyi_domain::Refusal;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(transparent)]
    Refused(#[from] Refusal),
    /// The input collides with a stored value that must be unique.
    #[error("{detail}")]
    Conflict { code: &'static str, field: &'static str, detail: String },
    #[error("bad configuration: {0}")]
    Config(String),
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("migration failed: {0}")]
    Migration(String),
    #[error("database error: {0}")]
    Db(diesel::result::Error),
}

impl From<diesel::result::Error> for StoreError {
    /// A connection the server closed (a restart, a failover) is the database being unavailable
    /// for a moment, not a failure of the request: answered 503, and the pool drops it.
    fn from(e: diesel::result::Error) -> Self {
        match e {
            diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::ClosedConnection, info) => {
                StoreError::Unavailable(info.message().to_owned())
            }
            other => StoreError::Db(other),
        }
    }
}

impl StoreError {
    pub fn not_found() -> StoreError {
        StoreError::Refused(Refusal::NotFound)
    }
}

impl From<diesel::r2d2::PoolError> for StoreError {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        StoreError::Unavailable(e.to_string())
    }
}

/// Turns a unique violation into a conflict on `field`; any other error passes through.
pub fn unique(field: &'static str, detail: impl Into<String>) -> impl FnOnce(diesel::result::Error) -> StoreError {
    let detail = detail.into();
    move |e| match e {
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _) => {
            StoreError::Conflict { code: "already_exists", field, detail }
        }
        other => StoreError::Db(other),
    }
}

/// `NotFound` from diesel is the domain's "not found".
pub fn found<T>(r: Result<T, diesel::result::Error>) -> Result<T, StoreError> {
    r.map_err(|e| match e {
        diesel::result::Error::NotFound => StoreError::not_found(),
        other => StoreError::Db(other),
    })
}
