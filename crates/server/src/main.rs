//! `crewplots-server`: run the server, or ask a running one whether it is ready.

use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
use crewplots_server::accounts::{self, AdminRequest};
use crewplots_server::retention::RetentionJob;
use crewplots_server::seed::{self, SeedOptions};
use crewplots_server::settings::Settings;
use crewplots_server::startup::{self, Application};
use crewplots_server::{healthcheck, rotation, telemetry};
use secrecy::ExposeSecret;

/// mimalloc instead of glibc's malloc: requests allocate and free many small buffers across threads, and
/// glibc's arenas spent a sixth of the server's own CPU time on `/api/auth/me` doing it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    version,
    about = "Crew Plots: hiring and scheduling for hospitality groups"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP server (the default).
    Serve,
    /// Apply pending database migrations, print them, and exit.
    Migrate,
    /// Create an administrator. The password is read from the terminal (not echoed) or from stdin.
    CreateAdmin {
        #[arg(long)]
        username: String,
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "Crew Plots")]
        first_name: String,
        #[arg(long, default_value = "Administrator")]
        last_name: String,
    },
    /// Seed a demo organisation (venues, staff, applicants in every status) into a database without
    /// locations; prints the demo accounts' passwords once. Does nothing on a database with locations
    /// unless --force.
    SeedDemo {
        /// Applicants (one application each), spread over the locations and the pipeline's statuses.
        #[arg(long, default_value_t = 20)]
        applications: usize,
        /// Venues; the demo manager works at all of them, the floor manager at the first.
        #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u16).range(1..=1000))]
        locations: u16,
        /// Crew members per venue, hired through the hiring commands (every fifth also works at the next venue).
        #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(0..=1000))]
        crew: u16,
        /// Schedule weeks per venue, ending with next week (a draft); this week and the ones before are
        /// published.
        #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u16).range(0..=104))]
        weeks: u16,
        /// Seed even though the database already has locations (usernames get a random suffix).
        #[arg(long)]
        force: bool,
    },
    /// Print the OpenAPI document of the HTTP API.
    Openapi,
    /// Remove encrypted content that has no database row (left by interrupted uploads or registrations)
    /// and is older than the grace period; prints what it checked and removed.
    Gc {
        #[arg(long, default_value_t = 60)]
        grace_minutes: u64,
    },
    /// Erase the applicants retention selects now (all applications rejected or withdrawn, last change
    /// older than RETENTION_DAYS, not on hold), one run under the same lock as the background job; prints
    /// the counts.
    Retention,
    /// Re-wrap every stored data key under the primary ENCRYPTION_KEY. Resumable: run it until it reports
    /// 0 remaining, then the keys in ENCRYPTION_OLD_KEYS are no longer needed.
    RotateKeys,
    /// Exit 0 when the server on this machine answers /health/ready with 200 (for container health checks).
    Healthcheck {
        #[arg(long, env = "PORT", default_value_t = 5000)]
        port: u16,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(),
        Command::Migrate => migrate(),
        Command::RotateKeys => rotate_keys(),
        Command::Gc { grace_minutes } => gc(grace_minutes),
        Command::Retention => retention(),
        Command::SeedDemo {
            applications,
            locations,
            crew,
            weeks,
            force,
        } => seed_demo(SeedOptions {
            applications,
            locations: usize::from(locations),
            crew: usize::from(crew),
            weeks: usize::from(weeks),
            force,
        }),
        Command::Openapi => {
            println!("{}", crewplots_http::openapi_json());
            ExitCode::SUCCESS
        }
        Command::CreateAdmin {
            username,
            email,
            first_name,
            last_name,
        } => create_admin(AdminRequest {
            username,
            email,
            first_name,
            last_name,
        }),
        Command::Healthcheck { port } => match healthcheck::check(port, Duration::from_secs(3)) {
            Ok(200) => ExitCode::SUCCESS,
            Ok(status) => {
                eprintln!("crewplots-server: not ready (HTTP {status})");
                ExitCode::FAILURE
            }
            Err(error) => {
                eprintln!("crewplots-server: no answer on port {port}: {error}");
                ExitCode::FAILURE
            }
        },
    }
}

fn runtime() -> Option<tokio::runtime::Runtime> {
    match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => Some(runtime),
        Err(error) => {
            eprintln!("crewplots-server: cannot start the async runtime: {error}");
            None
        }
    }
}

fn load_settings() -> Option<Settings> {
    match Settings::load() {
        Ok(settings) => Some(settings),
        Err(error) => {
            eprintln!("crewplots-server: {error}");
            None
        }
    }
}

fn migrate() -> ExitCode {
    let Some(settings) = load_settings() else {
        return ExitCode::from(2);
    };
    let Some(runtime) = runtime() else {
        return ExitCode::FAILURE;
    };
    let url = settings.database_url.expose_secret().to_string();
    match runtime.block_on(crewplots_storage_postgres::migrate(&url)) {
        Ok(applied) if applied.is_empty() => {
            println!("schema is up to date");
            ExitCode::SUCCESS
        }
        Ok(applied) => {
            for migration in applied {
                println!("applied V{} {}", migration.version, migration.name);
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("crewplots-server: {error}");
            ExitCode::FAILURE
        }
    }
}

fn create_admin(request: AdminRequest) -> ExitCode {
    let Some(settings) = load_settings() else {
        return ExitCode::from(2);
    };
    let password = match accounts::read_password() {
        Ok(password) => password,
        Err(error) => {
            eprintln!("crewplots-server: {error}");
            return ExitCode::FAILURE;
        }
    };
    let Some(runtime) = runtime() else {
        return ExitCode::FAILURE;
    };
    let username = request.username.clone();
    match runtime.block_on(accounts::create_admin(&settings, request, password)) {
        Ok(id) => {
            println!("created administrator {username} ({id})");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("crewplots-server: cannot create the administrator: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn gc(grace_minutes: u64) -> ExitCode {
    let Some(settings) = load_settings() else {
        return ExitCode::from(2);
    };
    let Some(runtime) = runtime() else {
        return ExitCode::FAILURE;
    };
    let grace = Duration::from_secs(grace_minutes * 60);
    match runtime.block_on(startup::sweep_once(&settings, grace)) {
        Ok(report) => {
            println!("{report}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("crewplots-server: sweep failed: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn retention() -> ExitCode {
    let Some(settings) = load_settings() else {
        return ExitCode::from(2);
    };
    let Some(runtime) = runtime() else {
        return ExitCode::FAILURE;
    };
    let result = runtime.block_on(async {
        let job = RetentionJob::connect(&settings).await?;
        job.run_once(chrono::Utc::now()).await
    });
    match result {
        Ok(report) if report.stopped_content_unavailable => {
            eprintln!("crewplots-server: {report}");
            ExitCode::FAILURE
        }
        Ok(report) => {
            println!("{report}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("crewplots-server: retention stopped: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn seed_demo(options: SeedOptions) -> ExitCode {
    let Some(settings) = load_settings() else {
        return ExitCode::from(2);
    };
    let Some(runtime) = runtime() else {
        return ExitCode::FAILURE;
    };
    let report = match runtime.block_on(seed::run(&settings, options)) {
        Ok(report) => report,
        Err(error) => {
            eprintln!("crewplots-server: seeding stopped: {error:#}");
            return ExitCode::FAILURE;
        }
    };
    if report.skipped {
        println!("demo data: skipped, the database already has locations");
        return ExitCode::SUCCESS;
    }
    println!(
        "demo data: {} locations, {} applications, {} letters, {} notes, {} documents, {} interviews",
        report.locations,
        report.applications,
        report.letters,
        report.notes,
        report.documents,
        report.interviews
    );
    println!(
        "schedules: {} crew, {} weeks, {} shifts, {} assignments",
        report.crew, report.weeks, report.shifts, report.assignments
    );
    // The only place the passwords ever appear in clear: the database keeps bcrypt hashes.
    println!();
    println!("  Demo accounts (shown once):");
    for account in &report.accounts {
        println!(
            "    {:<14} {:<24} / password {}   ({})",
            account.role.as_str().replace('_', " "),
            account.username,
            account.password.expose_secret(),
            account.name
        );
    }
    println!();
    ExitCode::SUCCESS
}

fn rotate_keys() -> ExitCode {
    let Some(settings) = load_settings() else {
        return ExitCode::from(2);
    };
    let Some(runtime) = runtime() else {
        return ExitCode::FAILURE;
    };
    match runtime.block_on(rotation::rotate(&settings)) {
        Ok(0) => ExitCode::SUCCESS,
        Ok(remaining) => {
            eprintln!("crewplots-server: {remaining} objects are still under old keys; run rotate-keys again");
            ExitCode::FAILURE
        }
        Err(error) => {
            eprintln!("crewplots-server: key rotation stopped: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn serve() -> ExitCode {
    // Configuration errors are printed as one plain line before logging starts, so an operator sees
    // exactly which variable to fix.
    let Some(settings) = load_settings() else {
        return ExitCode::from(2);
    };
    telemetry::init();
    let Some(runtime) = runtime() else {
        return ExitCode::FAILURE;
    };
    let result = runtime.block_on(async {
        let application = Application::build(settings).await?;
        application.run_until_stopped().await?;
        anyhow::Ok(())
    });
    match result {
        Ok(()) => {
            tracing::info!("stopped");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("crewplots-server: {error:#}");
            ExitCode::FAILURE
        }
    }
}
