//! `jianyi-bench`: what `benches/run.sh` needs besides the service itself.
//!
//! - `seed`: a session with N registered and M submitted suggestions, inserted in batches;
//! - `baseline`: a bare actix-web + diesel server answering one suggestion row by id;
//! - `commit-rate`: the raw single-row commit rate of the database at jianyi's durability;
//! - `register-floor`: a registration's own writes as raw SQL, per second;
//! - `check-serials`: whether the serials of a session are gapless;
//! - `bulk-insert-rate`, `meeting`, `lifecycle`: issue 3's measures (the assignment meeting and
//!   a whole lifecycle through the API, against the raw insert rates);
//! - `create-db`, `drop-db`, `free-port`: plumbing for the script.

mod baseline;
mod commit_rate;
mod handling;
mod plumbing;
mod seed;
mod text;

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use jianyi_store::SqliteSync;

#[derive(Parser)]
#[command(name = "jianyi-bench", about = "Benchmark harness of Jianyi (see benches/run.sh)")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Durability {
    /// Jianyi's: every commit synced before it is acknowledged, syncs shared (group commit).
    Full,
    /// SQLite's own synchronous=FULL: the same durability, one sync inside every commit.
    FullEachCommit,
    Normal,
}

impl From<Durability> for SqliteSync {
    fn from(s: Durability) -> SqliteSync {
        match s {
            Durability::Full => SqliteSync::Full,
            Durability::FullEachCommit => SqliteSync::FullEachCommit,
            Durability::Normal => SqliteSync::Normal,
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Migrate, then load one session with N registered and M submitted suggestions. Prints
    /// `REGISTERED_FIRST=… REGISTERED_LAST=… SUBMITTED_FIRST=… SUBMITTED_LAST=…` on stdout.
    Seed {
        #[arg(long)]
        database_url: String,
        /// Registered suggestions (serials 1..N).
        #[arg(long)]
        count: u32,
        /// Submitted suggestions (no serial yet), for the register benchmark.
        #[arg(long, default_value_t = 0)]
        submitted: u32,
    },
    /// A bare actix-web + diesel server: `GET /suggestions/{id}` answers the row as JSON.
    Baseline {
        #[arg(long)]
        database_url: String,
        #[arg(long)]
        bind: String,
        #[arg(long, value_enum, default_value = "full")]
        sync: Durability,
        #[arg(long, default_value_t = 16)]
        pool_size: u32,
        /// `first` reads with `… LIMIT ?` as jianyi does; `get-result` without a LIMIT clause.
        #[arg(long, value_enum, default_value = "first")]
        query: baseline::Query,
    },
    /// Inserts one row per transaction for S seconds from several threads and prints
    /// `COMMIT_RATE=<commits per second>`.
    CommitRate {
        #[arg(long)]
        database_url: String,
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        #[arg(long, value_enum, default_value = "full")]
        sync: Durability,
        /// Writers, each on its own connection.
        #[arg(long, default_value_t = 4)]
        threads: usize,
    },
    /// Registers submitted suggestions LAST, LAST-1, … of a session with the registration's own
    /// writes as raw SQL (counter, suggestion, audit row; one transaction each); prints
    /// `REGISTER_FLOOR_RATE=<registrations per second>`.
    RegisterFloor {
        #[arg(long)]
        database_url: String,
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        #[arg(long, value_enum, default_value = "full-each-commit")]
        sync: Durability,
        #[arg(long, default_value_t = 4)]
        threads: usize,
        #[arg(long, default_value_t = 1)]
        session_id: i64,
        #[arg(long)]
        first: i64,
        #[arg(long)]
        last: i64,
    },
    /// Prints `REGISTERED=… MIN_SERIAL=… MAX_SERIAL=… DISTINCT_SERIALS=… LAST_SERIAL=… GAPLESS=yes|no`
    /// for a session; exits 1 when the serials are not gapless.
    CheckSerials {
        #[arg(long)]
        database_url: String,
        #[arg(long, default_value_t = 1)]
        session_id: i64,
    },
    /// Creates a PostgreSQL database `NAME` (jianyi_bench_*) on the server of `URL` and prints its URL.
    CreateDb {
        #[arg(long)]
        url: String,
        #[arg(long)]
        name: String,
    },
    /// Drops the PostgreSQL database `NAME` (jianyi_bench_*), closing its connections.
    DropDb {
        #[arg(long)]
        url: String,
        #[arg(long)]
        name: String,
    },
    /// Prints a TCP port on 127.0.0.1 that is free now.
    FreePort,
    /// Inserts into `assignments` the rows the meeting of suggestions FIRST..=LAST makes (two
    /// units each), 500 per statement, in one transaction, then deletes them; prints
    /// `BULK_INSERT_RATE=<rows per second>`. Run it before the meeting.
    BulkInsertRate {
        #[arg(long)]
        database_url: String,
        #[arg(long)]
        first: i64,
        #[arg(long)]
        last: i64,
        #[arg(long, value_enum, default_value = "full")]
        sync: Durability,
    },
    /// Assigns registered suggestions FIRST..=LAST of session 1, two units each, in one call of
    /// the running service; prints `MEETING_ASSIGNMENTS_PER_S=…`.
    Meeting {
        #[arg(long)]
        base_url: String,
        #[arg(long)]
        admin_password: String,
        #[arg(long)]
        first: i64,
        #[arg(long)]
        last: i64,
    },
    /// Takes COUNT suggestions from register to completed through the running service, CLIENTS
    /// at a time; prints `LIFECYCLE_ACTIONS_PER_S=…`.
    Lifecycle {
        #[arg(long)]
        base_url: String,
        #[arg(long)]
        admin_password: String,
        #[arg(long, default_value_t = 100)]
        count: usize,
        /// Concurrent clients, each taking its share of the suggestions one after another.
        #[arg(long, default_value_t = 1)]
        clients: usize,
    },
}

type Result<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Seed { database_url, count, submitted } => seed::run(&database_url, count, submitted),
        Command::Baseline { database_url, bind, sync, pool_size, query } => {
            baseline::run(&database_url, &bind, sync.into(), pool_size, query)
        }
        Command::CommitRate { database_url, seconds, sync, threads } => {
            commit_rate::run(&database_url, seconds, sync.into(), threads)
        }
        Command::RegisterFloor { database_url, seconds, sync, threads, session_id, first, last } => {
            commit_rate::register_floor(&database_url, seconds, sync.into(), threads, (session_id, first, last))
        }
        Command::CheckSerials { database_url, session_id } => {
            match plumbing::check_serials(&database_url, session_id) {
                Ok(true) => Ok(()),
                Ok(false) => return ExitCode::FAILURE,
                Err(e) => Err(e),
            }
        }
        Command::CreateDb { url, name } => plumbing::create_db(&url, &name),
        Command::DropDb { url, name } => plumbing::drop_db(&url, &name),
        Command::FreePort => plumbing::free_port(),
        Command::BulkInsertRate { database_url, first, last, sync } => {
            handling::bulk_insert_rate(&database_url, first, last, sync.into())
        }
        Command::Meeting { base_url, admin_password, first, last } => {
            handling::meeting(&base_url, &admin_password, first, last)
        }
        Command::Lifecycle { base_url, admin_password, count, clients } => {
            handling::lifecycle(&base_url, &admin_password, count, clients)
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("jianyi-bench: {e}");
            ExitCode::FAILURE
        }
    }
}
