//! `crewplots-server create-admin`: the only way to create the first administrator. There are no default
//! credentials anywhere; the password is read from the terminal without echo (or from standard input when
//! piped) and never printed or logged.

use std::io::{BufRead, IsTerminal};

use anyhow::{bail, Context as _};
use crewplots_domain::accounts::{AuditEvent, NewUser};
use crewplots_domain::ports::{AccountStore, StoreError};
use crewplots_domain::validation::{self, FieldErrors};
use crewplots_domain::{Role, UserStatus};
use crewplots_storage_postgres::{PgStore, PoolOptions};
use secrecy::ExposeSecret;
use uuid::Uuid;

use crate::settings::Settings;

/// Who to create.
#[derive(Debug, Clone)]
pub struct AdminRequest {
    pub username: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
}

/// Reads the password: twice without echo on a terminal, one line otherwise.
pub fn read_password() -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password (10–72 bytes): ")?;
        let second = rpassword::prompt_password("Repeat the password: ")?;
        if first != second {
            bail!("the passwords differ");
        }
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        Ok(line.trim_end_matches(['\r', '\n']).to_string())
    }
}

/// Creates an active administrator after applying migrations.
pub async fn create_admin(
    settings: &Settings,
    request: AdminRequest,
    password: String,
) -> anyhow::Result<Uuid> {
    let mut errors = FieldErrors::default();
    let username = validation::username(&request.username, "--username", &mut errors);
    let email = validation::email(&request.email, "--email", &mut errors);
    let first_name = validation::text(&request.first_name, 100, "--first-name", &mut errors);
    let last_name = validation::text(&request.last_name, 100, "--last-name", &mut errors);
    validation::password(&password, "password", &mut errors);
    if let Err(errors) = errors.into_result() {
        let list: Vec<String> = errors
            .0
            .iter()
            .map(|(field, code)| format!("{field}: {code}"))
            .collect();
        bail!("{}", list.join(", "));
    }
    let url = settings.database_url.expose_secret();
    crewplots_storage_postgres::migrate(url)
        .await
        .context("migrations")?;
    let pool = crewplots_storage_postgres::build_pool(url, PoolOptions::default())?;
    let cost = settings.bcrypt_cost;
    let hash =
        tokio::task::spawn_blocking(move || crewplots_crypto::password::hash(&password, cost))
            .await??;
    let id = Uuid::new_v4();
    let store = PgStore::new(pool);
    let created = store
        .create_user(
            NewUser {
                id,
                username,
                email,
                first_name,
                last_name,
                role: Role::Administrator,
                status: UserStatus::Active,
                password_hash: Some(hash),
                location_ids: Vec::new(),
                signup_location_id: None,
                privacy_consent_version: None,
            },
            None,
            None,
            AuditEvent::new("user.created_by_command")
                .subject("user", id)
                .detail("role", "administrator"),
        )
        .await;
    match created {
        Ok(user) => Ok(user.id),
        Err(StoreError::Conflict(field)) => bail!("an account with this {field} already exists"),
        Err(other) => Err(other.into()),
    }
}
