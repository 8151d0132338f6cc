//! `jianyi`: serve the API, migrate, print the spec, manage accounts, load the demo.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use jianyi::config::{Config, LogFormat};
use jianyi::startup::{self, StartError};
use jianyi_domain::Role;

#[derive(Parser)]
#[command(
    name = "jianyi",
    version,
    about = "Jianyi (建议): handling of people's congress deputies' suggestions",
    after_help = "Environment: every option above can be set by the variable named with it; \
                  RUST_LOG sets the log level (default info). Without a command, `serve` runs."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    config: Config,
}

#[derive(Subcommand)]
enum Command {
    /// Apply migrations, create the first admin if needed, and serve the API.
    Serve {
        /// On an empty database, load the demo congress first.
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending migrations and exit.
    Migrate,
    /// Print the OpenAPI document (JSON) on stdout.
    Openapi,
    /// Manage accounts.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Load the demo congress into the configured database and print its accounts.
    Demo,
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create an account.
    Create {
        #[arg(long)]
        username: String,
        #[arg(long)]
        password: String,
        /// deputy, unit_handler, unit_leader, staff, committee, supervisor, council, auditor, admin
        #[arg(long)]
        role: String,
        #[arg(long)]
        display_name: Option<String>,
        #[arg(long)]
        unit_id: Option<i64>,
        #[arg(long)]
        deputy_id: Option<i64>,
        #[arg(long)]
        committee_id: Option<i64>,
    },
}

fn init_logs(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into());
    // Logs go to stderr so that stdout stays clean for `jianyi openapi > file`.
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    match format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}

/// glibc's allocator keeps what large allocations free (an argon2 hash takes 19 MiB) and gives
/// every thread its own arena; a server with many blocking threads then holds far more memory
/// than it uses. Large blocks are mapped and unmapped instead, and arenas are few.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn tune_allocator() {
    // SAFETY: mallopt only sets allocator parameters; it is called before any other thread
    // exists, and a refused setting leaves the default in place.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_allocator() {}

fn main() -> ExitCode {
    tune_allocator();
    let cli = Cli::parse();
    if matches!(cli.command, Some(Command::Openapi)) {
        use std::io::Write;
        let spec = jianyi_http::app::spec().to_pretty_json().unwrap_or_default();
        // A closed pipe (`jianyi openapi | head`) is not an error worth a panic.
        return match writeln!(std::io::stdout(), "{spec}") {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("jianyi: error: {e}");
                ExitCode::FAILURE
            }
        };
    }
    init_logs(cli.config.log_format);
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One line, whatever the cause says (libpq's messages span several).
            let line = e.to_string().split_whitespace().collect::<Vec<_>>().join(" ");
            eprintln!("jianyi: error: {line}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<(), StartError> {
    let config = cli.config;
    match cli.command.unwrap_or(Command::Serve { demo: false }) {
        Command::Openapi => Ok(()),
        Command::Migrate => startup::open(&config).map(|_| ()),
        Command::Admin {
            command: AdminCommand::Create { username, password, role, display_name, unit_id, deputy_id, committee_id },
        } => {
            let role = Role::parse(&role).ok_or_else(|| StartError::Config(format!("unknown role {role}")))?;
            if password.chars().count() < 12 {
                return Err(StartError::Config("the password must be at least 12 characters".into()));
            }
            let pool = startup::open(&config)?;
            let mut conn = pool.get().map_err(|e| StartError::Database(e.to_string()))?;
            let new = jianyi_store::accounts::NewUser {
                display_name: display_name.unwrap_or_else(|| username.clone()),
                username,
                password_hash: jianyi_http::auth::hash_password(&password)?,
                role,
                unit_id,
                deputy_id,
                committee_id,
            };
            let user = jianyi_store::accounts::create_user(&mut conn, None, new).map_err(describe)?;
            println!("created account {} (id {}, role {})", user.username, user.id, user.role);
            Ok(())
        }
        Command::Demo => {
            let prepared = startup::prepare(&config)?;
            announce_admin(&prepared);
            let mut conn = prepared.pool.get().map_err(|e| StartError::Database(e.to_string()))?;
            let report = jianyi::demo::load(&mut conn).map_err(|e| StartError::Config(e.to_string()))?;
            jianyi::demo::print(&report);
            Ok(())
        }
        Command::Serve { demo } => {
            let listener = startup::bind(&config.bind)?;
            let prepared = startup::prepare(&config)?;
            announce_admin(&prepared);
            if demo {
                let mut conn = prepared.pool.get().map_err(|e| StartError::Database(e.to_string()))?;
                if jianyi::demo::has_sessions(&mut conn)? {
                    tracing::info!("the database holds sessions already: not loading the demo");
                } else {
                    let report = jianyi::demo::load(&mut conn).map_err(|e| StartError::Config(e.to_string()))?;
                    jianyi::demo::print(&report);
                }
            }
            let addr = listener.local_addr()?;
            tracing::info!(%addr, "serving; the API's documentation is at http://{addr}/docs/");
            let server = startup::server(prepared.state, listener, config.workers)?;
            actix_web::rt::System::new().block_on(server)?;
            Ok(())
        }
    }
}

fn announce_admin(prepared: &startup::Prepared) {
    if let Some(password) = &prepared.generated_admin_password {
        // On stdout only, never in the logs, which collectors keep.
        tracing::warn!("created the admin account with a generated password, printed once on stdout");
        println!("admin password (shown once): {password}");
    }
}

fn describe(e: jianyi_store::StoreError) -> StartError {
    match e {
        jianyi_store::StoreError::Refused(jianyi_domain::Refusal::Validation(errors)) => StartError::Config(
            errors.iter().map(|f| format!("{} {}", f.field, f.message)).collect::<Vec<_>>().join("; "),
        ),
        other => StartError::from(other),
    }
}
