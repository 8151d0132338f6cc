//! Start-up: open and migrate the database, make sure the first admin exists, settle the token
//! secret, and serve. Every failure here is a [`StartError`]: one clear line, non-zero exit.

use std::net::TcpListener;
use std::path::{Path, PathBuf};

use actix_web::{web, HttpServer};
use jianyi_http::auth::{hash_password, Jwt};
use jianyi_http::AppState;
use jianyi_store::{accounts, Backend, Pool, SqliteSync};
use rand::distributions::Alphanumeric;
use rand::Rng;

use crate::config::{Config, Durability};

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("{0}")]
    Config(String),
    #[error("database: {0}")]
    Database(String),
    #[error("cannot serve on {bind}: {error}")]
    Bind { bind: String, error: std::io::Error },
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

impl From<jianyi_store::StoreError> for StartError {
    fn from(e: jianyi_store::StoreError) -> Self {
        match e {
            jianyi_store::StoreError::Config(c) => StartError::Config(c),
            other => StartError::Database(other.to_string()),
        }
    }
}

impl From<jianyi_http::ApiError> for StartError {
    fn from(e: jianyi_http::ApiError) -> Self {
        StartError::Config(e.to_string())
    }
}

fn random_password(len: usize) -> String {
    rand::thread_rng().sample_iter(&Alphanumeric).take(len).map(char::from).collect()
}

/// Opens the pool and applies pending migrations.
pub fn open(config: &Config) -> Result<Pool, StartError> {
    let sync = match config.sqlite_sync {
        Durability::Full => SqliteSync::Full,
        Durability::Normal => SqliteSync::Normal,
    };
    let pool = jianyi_store::connect(&config.database_url, sync, config.db_pool_size)?;
    let mut conn = pool.get().map_err(|e| StartError::Database(e.to_string()))?;
    let applied = jianyi_store::migrate(&mut conn)?;
    if applied > 0 {
        tracing::info!(applied, "migrations applied");
    }
    Ok(pool)
}

/// Creates the `admin` account on first start. Answers the password when it was generated, so
/// that it can be shown once.
pub fn ensure_admin(pool: &Pool, config: &Config) -> Result<Option<String>, StartError> {
    let mut conn = pool.get().map_err(|e| StartError::Database(e.to_string()))?;
    if accounts::username_exists(&mut conn, "admin")? {
        return Ok(None);
    }
    // An empty variable (as compose passes an unset one) counts as unset.
    let (password, generated) = match config.admin_password.as_ref().filter(|p| !p.is_empty()) {
        Some(p) if p.chars().count() < 12 => {
            return Err(StartError::Config("JIANYI_ADMIN_PASSWORD must be at least 12 characters".into()))
        }
        Some(p) => (p.clone(), false),
        None => (random_password(20), true),
    };
    let new = accounts::NewUser {
        username: "admin".into(),
        password_hash: hash_password(&password)?,
        role: jianyi_domain::Role::Admin,
        display_name: "Administrator".into(),
        unit_id: None,
        deputy_id: None,
        committee_id: None,
    };
    accounts::create_user(&mut conn, None, new)?;
    tracing::info!("created the admin account");
    Ok(generated.then_some(password))
}

/// The token secret: configured, or with SQLite generated once and kept beside the database.
pub fn jwt_secret(config: &Config) -> Result<Vec<u8>, StartError> {
    if let Some(secret) = &config.jwt_secret {
        if secret.len() < 32 {
            return Err(StartError::Config("JIANYI_JWT_SECRET must be at least 32 characters".into()));
        }
        return Ok(secret.as_bytes().to_vec());
    }
    match Backend::from_url(&config.database_url).map_err(StartError::Config)? {
        Backend::Postgres(_) => Err(StartError::Config(
            "JIANYI_JWT_SECRET is required with PostgreSQL (every replica must share it)".into(),
        )),
        Backend::Sqlite(path) => {
            let file = secret_file(Path::new(&path));
            if let Ok(existing) = std::fs::read_to_string(&file) {
                if existing.trim().len() >= 32 {
                    return Ok(existing.trim().as_bytes().to_vec());
                }
            }
            let secret = random_password(64);
            write_private(&file, &secret)?;
            tracing::warn!(file = %file.display(), "JIANYI_JWT_SECRET is not set: generated a token secret and kept it beside the database; set it explicitly in production");
            Ok(secret.into_bytes())
        }
    }
}

fn secret_file(db: &Path) -> PathBuf {
    let mut name = db.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".jwt-secret");
    db.with_file_name(name)
}

fn write_private(file: &Path, content: &str) -> Result<(), StartError> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options.open(file).map_err(|e| StartError::Config(format!("cannot write {}: {e}", file.display())))?;
    f.write_all(content.as_bytes())?;
    Ok(())
}

/// Everything a server needs, prepared: the pool migrated, the admin present, the secret known.
pub struct Prepared {
    pub pool: Pool,
    pub state: web::Data<AppState>,
    /// The admin password, when it was generated in this start.
    pub generated_admin_password: Option<String>,
}

pub fn prepare(config: &Config) -> Result<Prepared, StartError> {
    let pool = open(config)?;
    let generated_admin_password = ensure_admin(&pool, config)?;
    let jwt = Jwt::new(&jwt_secret(config)?, config.token_ttl_seconds);
    let state = web::Data::new(AppState::new(pool.clone(), jwt)?);
    Ok(Prepared { pool, state, generated_admin_password })
}

/// Binds the address; a port in use is a start error, not a panic.
pub fn bind(bind: &str) -> Result<TcpListener, StartError> {
    TcpListener::bind(bind).map_err(|error| StartError::Bind { bind: bind.to_owned(), error })
}

/// Serves the API on an already bound listener until the process is stopped.
pub fn server(
    state: web::Data<AppState>,
    listener: TcpListener,
    workers: Option<u16>,
) -> Result<actix_web::dev::Server, StartError> {
    let addr = listener.local_addr()?;
    let workers = workers.map_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()), usize::from);
    // Database work runs on blocking threads; more of them than pooled connections only wait
    // (and each keeps its own allocator arena), so each worker gets its share of the pool.
    let connections = state.pool.max_size() as usize;
    let blocking = connections.div_ceil(workers).max(2);
    let server = HttpServer::new(move || jianyi_http::app(state.clone()))
        .workers(workers)
        .worker_max_blocking_threads(blocking)
        .listen(listener)
        .map_err(|error| StartError::Bind { bind: addr.to_string(), error })?;
    Ok(server.run())
}
