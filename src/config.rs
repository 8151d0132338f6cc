//! Configuration from the environment (or flags), with `--help` text for each setting.

use clap::{Args, ValueEnum};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Durability {
    /// Every acknowledged write survives a power cut, as with SQLite's synchronous=FULL; concurrent
    /// writes share their syncs to disk (group commit).
    Full,
    /// Faster; a power cut may lose the last writes, never corrupt the database (synchronous=NORMAL).
    Normal,
}

#[derive(Debug, Clone, Args)]
pub struct Config {
    /// The database: `sqlite://PATH` (embedded, the default) or `postgres://USER:PASSWORD@HOST:PORT/DB`.
    #[arg(
        long,
        env = "JIANYI_DATABASE_URL",
        default_value = "sqlite://jianyi.db",
        global = true,
        hide_env_values = true
    )]
    pub database_url: String,

    /// Address and port to serve on.
    #[arg(long, env = "JIANYI_BIND", default_value = "127.0.0.1:8080", global = true)]
    pub bind: String,

    /// Secret that signs access tokens, at least 32 characters. Required with PostgreSQL; with
    /// SQLite one is generated once and kept beside the database file (`<file>.jwt-secret`).
    #[arg(long, env = "JIANYI_JWT_SECRET", global = true, hide_env_values = true)]
    pub jwt_secret: Option<String>,

    /// Password the `admin` account gets when it is first created (at least 12 characters);
    /// without it a random one is printed once.
    #[arg(long, env = "JIANYI_ADMIN_PASSWORD", global = true, hide_env_values = true)]
    pub admin_password: Option<String>,

    /// Log format on stderr; the level follows RUST_LOG (default `info`).
    #[arg(long, env = "JIANYI_LOG_FORMAT", value_enum, default_value = "text", global = true)]
    pub log_format: LogFormat,

    /// Lifetime of access tokens, in seconds.
    #[arg(long, env = "JIANYI_TOKEN_TTL_SECONDS", default_value_t = 3600, global = true,
          value_parser = clap::value_parser!(i64).range(60..=86_400))]
    pub token_ttl_seconds: i64,

    /// SQLite durability: `full` (acknowledged means durable) or `normal`.
    #[arg(long, env = "JIANYI_SQLITE_SYNC", value_enum, default_value = "full", global = true)]
    pub sqlite_sync: Durability,

    /// Database connections per process.
    #[arg(long, env = "JIANYI_DB_POOL_SIZE", default_value_t = 16, global = true,
          value_parser = clap::value_parser!(u32).range(1..=512))]
    pub db_pool_size: u32,

    /// HTTP worker threads (default: one per core).
    #[arg(long, env = "JIANYI_WORKERS", global = true, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub workers: Option<u16>,
}
