//! `cargo xtask …`: every developer and operator task of Crew Plots, declared in one place below.
//!
//! Kept lean on purpose: plain `std::process` for commands; only backup and restore start an async runtime
//! (for the MongoDB driver). Anything that needs the application's own code (migrations, administrators,
//! key rotation) runs the server binary's subcommands instead of linking the application here.

mod bench;
mod fuzz;
mod ops;
mod prereq;
mod process;
mod stack;
mod tasks;
mod ui;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Crew Plots developer and operator tasks"
)]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Install what is missing, start PostgreSQL, Redis and SecantusDB, migrate, build the front end and run
    /// the server on http://localhost:5000. Ctrl-C stops everything it started.
    Dev {
        /// Leave the demo organisation out (it is seeded only into a database without locations anyway).
        #[arg(long)]
        no_seed: bool,
    },
    /// Start, stop or inspect the local stack without the server.
    Services {
        #[command(subcommand)]
        action: ServicesAction,
        /// Act on the ephemeral test stack instead of the development stack.
        #[arg(long, global = true)]
        test: bool,
    },
    /// The test command: a fresh ephemeral stack, then every test suite of the repository.
    Test {
        /// Extra arguments passed to `cargo test` (e.g. a test name filter).
        #[arg(trailing_var_arg = true)]
        cargo_args: Vec<String>,
    },
    /// Apply migrations to the configured database (DATABASE_URL, else the development stack) and print them.
    Migrate,
    /// Release build of the server and the production front-end bundle.
    Build,
    /// Remove encrypted content that has no database row (interrupted uploads or registrations) once it is
    /// older than the grace period, and print the counts.
    Gc {
        #[arg(long, default_value_t = 60)]
        grace_minutes: u64,
    },
    /// Erase the applicants retention selects now (`crewplots-server retention`: all applications rejected or
    /// withdrawn, last change older than RETENTION_DAYS, not on hold) and print the counts.
    Retention,
    /// Write the server's OpenAPI document to frontend/src/api/openapi.json and regenerate the front end's
    /// TypeScript types from it.
    Openapi,
    /// Print fresh random values for every secret of deploy/.env, one NAME=value line each.
    GenSecrets,
    /// Run `docker compose -f deploy/docker-compose.yml --env-file deploy/.env ACTION …` from the
    /// repository root (`up` adds `-d --build`); exits with its exit code.
    Compose {
        action: ops::ComposeAction,
        /// The stack's settings file [default: deploy/.env].
        #[arg(long, value_name = "PATH")]
        env_file: Option<PathBuf>,
        /// Further arguments for compose, e.g. `-f app` for logs.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Create an administrator account with `crewplots-server create-admin` against the development stack
    /// (or DATABASE_URL); the server asks for the password without echo, or reads it from piped stdin.
    CreateAdmin {
        /// The login name.
        #[arg(long)]
        username: String,
        #[arg(long)]
        email: String,
        /// [default: the server's]
        #[arg(long)]
        first_name: Option<String>,
        /// [default: the server's]
        #[arg(long)]
        last_name: Option<String>,
    },
    /// Back up PostgreSQL and MongoDB (GridFS included) into one checksummed archive
    /// `crewplots-backup-<UTC time>.tar`. The encryption keys are never in it.
    Backup {
        /// Folder for the archive [default: backups/ in the repository].
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// After a successful backup, delete the backups older than N days from that folder.
        #[arg(long, value_name = "N")]
        keep_days: Option<u32>,
        #[command(flatten)]
        target: ops::Target,
    },
    /// Load run of scheduling: a release server on a fresh test-stack database with crew × locations ×
    /// weeks seeded by `seed-demo`, then wrk against /health (baseline), the week grid, the eligible list,
    /// the published week, and a crew member's "my shifts" and calendar feed; prints SQL statements per
    /// request, each round and the medians.
    BenchSchedule {
        /// Crew per location.
        #[arg(long, default_value_t = 50)]
        crew: u32,
        #[arg(long, default_value_t = 4)]
        locations: u32,
        #[arg(long, default_value_t = 12)]
        weeks: u32,
        #[command(flatten)]
        shape: bench::LoadShape,
    },
    /// Load run of every scenario against a raw baseline measured in the same run with the same client: a
    /// release server on a fresh test-stack database, seeded; /api/auth/me vs one Redis GET + one
    /// PostgreSQL primary-key select, the board and the scheduling screens vs pgbench of their own SQL
    /// statements, document upload/download vs raw GridFS, /api/auth/me p99 during a login storm and logins/s
    /// vs cores ÷ one bcrypt hash; RSS idle and after. A table and target/bench/<time>-<commit>.json.
    Bench {
        /// Scenarios to run, comma-separated [default: all].
        #[arg(long, value_delimiter = ',')]
        only: Vec<bench::Scenario>,
        #[command(flatten)]
        shape: bench::LoadShape,
        #[arg(long, default_value_t = 5000)]
        applications: u32,
        #[arg(long, default_value_t = 5)]
        locations: u32,
        /// Crew per location (schedule scenario).
        #[arg(long, default_value_t = 50)]
        crew: u32,
        #[arg(long, default_value_t = 12)]
        weeks: u32,
        /// Document sizes of the upload scenario, in MiB.
        #[arg(long, value_delimiter = ',', default_value = "1,20,100")]
        sizes: Vec<u32>,
        /// Clients logging in at once in the storm scenario.
        #[arg(long, default_value_t = 20)]
        storm_clients: u32,
        /// `/api/auth/me` requests a second while the storm scenario measures their p99.
        #[arg(long, default_value_t = 200.0)]
        storm_me_rate: f64,
        /// Measure this server binary instead of building the current one (e.g. an older commit's
        /// `target/release/crewplots-server`, for before/after figures from one machine).
        #[arg(long)]
        server_binary: Option<std::path::PathBuf>,
        /// The server's bcrypt cost (production: 12).
        #[arg(long, default_value_t = 12)]
        bcrypt_cost: u32,
    },
    /// `cargo xtask bench --only board`: the hiring board of one and of all locations against pgbench of
    /// its own SQL statements.
    BenchBoard {
        #[arg(long, default_value_t = 5000)]
        applications: u32,
        #[arg(long, default_value_t = 5)]
        locations: u32,
        #[command(flatten)]
        shape: bench::LoadShape,
    },
    /// A steady mixed load (logins, board, application details, notes, document uploads and downloads,
    /// week grid, my shifts) from several users against a release server on a fresh test-stack database;
    /// p50/p99, errors and RSS every minute; fails on any 5xx or RSS drift over 10 %.
    Soak {
        #[arg(long, default_value_t = 10)]
        minutes: u32,
        /// Requests per second, all users together.
        #[arg(long, default_value_t = 20)]
        rate: u32,
        /// Simulated users (half staff, half crew).
        #[arg(long, default_value_t = 8)]
        users: u32,
        /// The server's bcrypt cost (production: 12).
        #[arg(long, default_value_t = 12)]
        bcrypt_cost: u32,
        /// Keep the database afterwards.
        #[arg(long)]
        keep: bool,
    },
    /// Load run of knowledge-base search: a release server on a fresh test-stack database, N published
    /// articles of mixed Dutch and English text, then wrk as a crew member against /health (baseline),
    /// four searches, the article list and the must-read list; prints SQL statements per request, each
    /// round and the medians.
    BenchKnowledge {
        #[arg(long, default_value_t = 2000)]
        articles: u32,
        #[arg(long, default_value_t = 4)]
        locations: u32,
        #[command(flatten)]
        shape: bench::LoadShape,
        /// Use the debug server (checks the bench itself; its figures mean nothing).
        #[arg(long)]
        debug: bool,
    },
    /// Fuzz the API with schemathesis as every role (anonymous, applicant, crew member, floor manager,
    /// manager, administrator), each against a debug server on a fresh database of the test stack (started
    /// when needed); checks: no server errors, responses match the OpenAPI document.
    FuzzApi {
        /// Generated cases per operation and role.
        #[arg(long, default_value_t = 50)]
        cases: u32,
        /// Roles to fuzz, comma-separated [default: all]: anonymous, applicant, crew_member, floor_manager,
        /// manager, administrator.
        #[arg(long, value_delimiter = ',')]
        roles: Vec<String>,
        /// Replay a run: the `Seed:` a schemathesis report printed (e.g. in CI's output).
        #[arg(long)]
        seed: Option<String>,
    },
    /// Restore a backup archive after checking it against its .sha256 file and its manifest. Replaces data:
    /// asks first.
    Restore {
        archive: PathBuf,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
        #[command(flatten)]
        target: ops::Target,
    },
}

#[derive(Subcommand, Clone, Copy)]
enum ServicesAction {
    /// Start the stack (installing prerequisites when possible).
    Up,
    /// Stop every process of the stack.
    Down,
    /// Print each service, its port, its URL and whether it answers.
    Status,
    /// Print the environment variables that point the server or the tests at the stack.
    Env,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.task {
        Task::Dev { no_seed } => tasks::dev(no_seed),
        Task::BenchSchedule {
            crew,
            locations,
            weeks,
            shape,
        } => bench::bench_schedule(&bench::ScheduleBench {
            crew,
            locations,
            weeks,
            shape,
        }),
        Task::Bench {
            only,
            shape,
            applications,
            locations,
            crew,
            weeks,
            sizes,
            storm_clients,
            storm_me_rate,
            server_binary,
            bcrypt_cost,
        } => bench::bench(&bench::BenchOptions {
            only,
            shape,
            applications,
            locations,
            crew,
            weeks,
            sizes_mib: sizes,
            storm_clients,
            storm_me_rate,
            server_binary,
            bcrypt_cost,
        }),
        Task::BenchBoard {
            applications,
            locations,
            shape,
        } => bench::bench(&bench::BenchOptions {
            only: vec![bench::Scenario::Board],
            shape,
            applications,
            locations,
            crew: 0,
            weeks: 0,
            sizes_mib: Vec::new(),
            storm_clients: 0,
            storm_me_rate: 0.0,
            server_binary: None,
            bcrypt_cost: 12,
        }),
        Task::Soak {
            minutes,
            rate,
            users,
            bcrypt_cost,
            keep,
        } => bench::soak(&bench::SoakOptions {
            minutes,
            rate,
            users,
            bcrypt_cost,
            keep,
        }),
        Task::BenchKnowledge {
            articles,
            locations,
            shape,
            debug,
        } => bench::bench_knowledge(&bench::KnowledgeBench {
            articles,
            locations,
            shape,
            debug,
        }),
        Task::Services { action, test } => {
            let profile = if test {
                stack::Profile::Test
            } else {
                stack::Profile::Dev
            };
            match action {
                ServicesAction::Up => tasks::services_up(profile),
                ServicesAction::Down => tasks::services_down(profile),
                ServicesAction::Status => tasks::services_status(profile),
                ServicesAction::Env => tasks::services_env(profile),
            }
        }
        Task::Test { cargo_args } => tasks::test(&cargo_args),
        Task::FuzzApi { cases, roles, seed } => fuzz::roles_named(&roles)
            .and_then(|roles| fuzz::fuzz_api(fuzz::Plan { cases, roles, seed })),
        Task::Migrate => tasks::migrate(),
        Task::Build => tasks::build(),
        Task::Gc { grace_minutes } => tasks::gc(grace_minutes),
        Task::Retention => tasks::retention(),
        Task::Openapi => tasks::openapi(),
        Task::GenSecrets => ops::gen_secrets(),
        Task::Compose {
            action,
            env_file,
            args,
        } => ops::compose(action, env_file.as_deref(), &args),
        Task::CreateAdmin {
            username,
            email,
            first_name,
            last_name,
        } => ops::create_admin(
            &username,
            &email,
            first_name.as_deref(),
            last_name.as_deref(),
        ),
        Task::Backup {
            out,
            keep_days,
            target,
        } => ops::backup(out.as_deref(), keep_days, &target),
        Task::Restore {
            archive,
            yes,
            target,
        } => ops::restore(&archive, yes, &target),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            ui::failure(&format!("{error:#}"));
            ExitCode::FAILURE
        }
    }
}
