//! `cargo xtask …`: every developer and operator task of Crew Plots, declared in one place below.
//!
//! Kept lean on purpose: plain `std::process` for commands, no async runtime. Anything that needs the
//! application's own code (migrations, key rotation) runs the server binary's subcommands instead of
//! linking the application here.

mod prereq;
mod stack;
mod tasks;
mod ui;

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
        /// Leave the demo organisation out (once seeding exists).
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
        Task::Migrate => tasks::migrate(),
        Task::Build => tasks::build(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            ui::failure(&format!("{error:#}"));
            ExitCode::FAILURE
        }
    }
}
