use async_trait::async_trait;
use chrono::{DateTime, Utc};
use crewplots_domain::accounts::{
    AuditEvent, Credentials, LocationRef, NewMail, NewToken, NewUser, Page, PageRequest, User,
    UserChange, UserFilter,
};
use crewplots_domain::ports::{AccountStore, StoreError, StoreResult};
use crewplots_domain::{Role, UserStatus};
use deadpool_postgres::GenericClient;
use tokio_postgres::types::ToSql;
use tokio_postgres::Row;
use uuid::Uuid;

use crate::store::{db_error, insert_audit, PgStore};

/// The user with their locations and the locations they applied to: one row by its key. The lists are
/// the copy that triggers keep on `users` (migration V13), in the same transaction as each change to
/// `user_locations`, `locations` and `applications`; every authenticated request runs this.
const USER_SELECT: &str = "
    SELECT u.id, u.username, u.email, u.first_name, u.last_name, u.role, u.status, u.created_at,
           u.last_login_at, u.password_hash, u.signup_location_id,
           u.access_location_ids AS loc_ids, u.access_location_names AS loc_names,
           u.access_location_tzs AS loc_tzs, u.applied_location_ids AS applied_locations
    FROM users u";

fn user(row: &Row) -> Result<User, StoreError> {
    let role: String = row.get("role");
    let status: String = row.get("status");
    let ids: Vec<Uuid> = row.get("loc_ids");
    let names: Vec<String> = row.get("loc_names");
    let tzs: Vec<String> = row.get("loc_tzs");
    Ok(User {
        id: row.get("id"),
        username: row.get("username"),
        email: row.get("email"),
        first_name: row.get("first_name"),
        last_name: row.get("last_name"),
        role: Role::parse(&role)
            .ok_or_else(|| StoreError::Other(format!("unknown role {role}")))?,
        status: UserStatus::parse(&status)
            .ok_or_else(|| StoreError::Other(format!("unknown status {status}")))?,
        locations: ids
            .into_iter()
            .zip(names)
            .zip(tzs)
            .map(|((id, name), timezone)| LocationRef { id, name, timezone })
            .collect(),
        signup_location_id: row.get("signup_location_id"),
        applied_locations: row.get("applied_locations"),
        created_at: row.get("created_at"),
        last_login_at: row.get("last_login_at"),
    })
}

async fn load_user(client: &impl GenericClient, id: Uuid) -> StoreResult<Option<User>> {
    // Every authenticated request runs this: a statement cached per connection saves its parse and plan.
    let statement = client
        .prepare_cached(&format!("{USER_SELECT} WHERE u.id = $1"))
        .await
        .map_err(db_error)?;
    let row = client
        .query_opt(&statement, &[&id])
        .await
        .map_err(db_error)?;
    row.as_ref().map(user).transpose()
}

async fn insert_token(
    client: &impl GenericClient,
    user_id: Uuid,
    token: &NewToken,
) -> StoreResult<()> {
    // A new token of a purpose replaces any older unused one.
    client
        .execute(
            "UPDATE account_tokens SET used_at = now() WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL",
            &[&user_id, &token.purpose.as_str()],
        )
        .await
        .map_err(db_error)?;
    client
        .execute(
            "INSERT INTO account_tokens (token_hash, user_id, purpose, expires_at) VALUES ($1, $2, $3, $4)",
            &[&token.hash, &user_id, &token.purpose.as_str(), &token.expires_at],
        )
        .await
        .map_err(db_error)?;
    Ok(())
}

pub(crate) async fn insert_mail(client: &impl GenericClient, mail: &NewMail) -> StoreResult<()> {
    client
        .execute(
            "INSERT INTO email_outbox (id, to_address, subject, body_text, body_redacted,
                                       attachment_name, attachment_type, attachment)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            &[
                &Uuid::new_v4(),
                &mail.to,
                &mail.subject,
                &mail.body,
                &mail.body_redacted,
                &mail.attachment.as_ref().map(|a| a.file_name.as_str()),
                &mail.attachment.as_ref().map(|a| a.content_type.as_str()),
                &mail.attachment.as_ref().map(|a| a.content.as_slice()),
            ],
        )
        .await
        .map_err(db_error)?;
    Ok(())
}

async fn set_locations(
    client: &impl GenericClient,
    user_id: Uuid,
    ids: &[Uuid],
) -> StoreResult<()> {
    client
        .execute(
            "DELETE FROM user_locations WHERE user_id = $1 AND NOT (location_id = ANY($2))",
            &[&user_id, &ids],
        )
        .await
        .map_err(db_error)?;
    client
        .execute(
            "INSERT INTO user_locations (user_id, location_id)
             SELECT $1, unnest($2::UUID[]) ON CONFLICT (user_id, location_id) DO UPDATE SET status = 'active'",
            &[&user_id, &ids],
        )
        .await
        .map_err(db_error)?;
    Ok(())
}

#[async_trait]
impl AccountStore for PgStore {
    async fn create_user(
        &self,
        new: NewUser,
        token: Option<NewToken>,
        mail: Option<NewMail>,
        audit: AuditEvent,
    ) -> StoreResult<User> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_error)?;
        let consent_at: Option<DateTime<Utc>> =
            new.privacy_consent_version.as_ref().map(|_| Utc::now());
        tx.execute(
            "INSERT INTO users (id, username, email, first_name, last_name, role, status, password_hash,
                                signup_location_id, privacy_consent_version, privacy_consent_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            &[
                &new.id,
                &new.username,
                &new.email,
                &new.first_name,
                &new.last_name,
                &new.role.as_str(),
                &new.status.as_str(),
                &new.password_hash,
                &new.signup_location_id,
                &new.privacy_consent_version,
                &consent_at,
            ],
        )
        .await
        .map_err(db_error)?;
        set_locations(&tx, new.id, &new.location_ids).await?;
        if let Some(token) = &token {
            insert_token(&tx, new.id, token).await?;
        }
        if let Some(mail) = &mail {
            insert_mail(&tx, mail).await?;
        }
        insert_audit(&tx, &audit).await?;
        let created = load_user(&tx, new.id).await?.ok_or(StoreError::NotFound)?;
        tx.commit().await.map_err(db_error)?;
        Ok(created)
    }

    async fn credentials(&self, login: &str) -> StoreResult<Option<Credentials>> {
        let client = self.client().await?;
        let row = client
            .query_opt(
                &format!("{USER_SELECT} WHERE u.username = lower($1) OR lower(u.email) = lower($1) LIMIT 1"),
                &[&login.trim()],
            )
            .await
            .map_err(db_error)?;
        row.map(|row| {
            Ok(Credentials {
                password_hash: row.get("password_hash"),
                user: user(&row)?,
            })
        })
        .transpose()
    }

    async fn user(&self, id: Uuid) -> StoreResult<Option<User>> {
        let client = self.user_reader().await?;
        load_user(&*client, id).await
    }

    async fn user_by_email(&self, email: &str) -> StoreResult<Option<User>> {
        let client = self.client().await?;
        let row = client
            .query_opt(
                &format!("{USER_SELECT} WHERE lower(u.email) = lower($1)"),
                &[&email.trim()],
            )
            .await
            .map_err(db_error)?;
        row.as_ref().map(user).transpose()
    }

    async fn password_hash(&self, id: Uuid) -> StoreResult<Option<String>> {
        let client = self.client().await?;
        let row = client
            .query_opt("SELECT password_hash FROM users WHERE id = $1", &[&id])
            .await
            .map_err(db_error)?;
        Ok(row.and_then(|r| r.get(0)))
    }

    async fn list_users(&self, filter: &UserFilter, page: PageRequest) -> StoreResult<Page<User>> {
        let client = self.client().await?;
        let mut conditions: Vec<String> = Vec::new();
        let mut params: Vec<Box<dyn ToSql + Sync + Send>> = Vec::new();
        fn bind(
            value: Box<dyn ToSql + Sync + Send>,
            params: &mut Vec<Box<dyn ToSql + Sync + Send>>,
        ) -> String {
            params.push(value);
            format!("${}", params.len())
        }
        if let Some(locations) = &filter.locations {
            let p = bind(Box::new(locations.clone()), &mut params);
            conditions.push(format!(
                "EXISTS (SELECT 1 FROM user_locations x WHERE x.user_id = u.id AND x.location_id = ANY({p}))"
            ));
        }
        if filter.exclude_administrators {
            conditions.push("u.role <> 'administrator'".into());
        }
        if let Some(role) = filter.role {
            let p = bind(Box::new(role.as_str().to_string()), &mut params);
            conditions.push(format!("u.role = {p}"));
        }
        if let Some(query) = filter.query.as_ref().filter(|q| !q.trim().is_empty()) {
            let escaped = query
                .trim()
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            let p = bind(Box::new(format!("%{escaped}%")), &mut params);
            conditions.push(format!(
                "(u.username ILIKE {p} OR u.email ILIKE {p} OR (u.first_name || ' ' || u.last_name) ILIKE {p})"
            ));
        }
        if let Some((at, id)) = page.after {
            let a = bind(Box::new(at), &mut params);
            let b = bind(Box::new(id), &mut params);
            conditions.push(format!("(u.created_at, u.id) < ({a}, {b})"));
        }
        let limit = i64::from(page.limit.clamp(1, 200));
        let l = bind(Box::new(limit + 1), &mut params);
        let where_clause = if conditions.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conditions.join(" AND "))
        };
        let sql =
            format!("{USER_SELECT} {where_clause} ORDER BY u.created_at DESC, u.id DESC LIMIT {l}");
        let refs: Vec<&(dyn ToSql + Sync)> = params
            .iter()
            .map(|p| p.as_ref() as &(dyn ToSql + Sync))
            .collect();
        let rows = client.query(&sql, &refs).await.map_err(db_error)?;
        let mut items = rows.iter().map(user).collect::<Result<Vec<_>, _>>()?;
        let next = if items.len() as i64 > limit {
            items.truncate(limit as usize);
            items.last().map(|u| (u.created_at, u.id))
        } else {
            None
        };
        Ok(Page { items, next })
    }

    async fn update_user(
        &self,
        id: Uuid,
        change: UserChange,
        audit: AuditEvent,
    ) -> StoreResult<User> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_error)?;
        let updated = tx
            .execute(
                "UPDATE users SET role = COALESCE($2, role), status = COALESCE($3, status), updated_at = now()
                 WHERE id = $1",
                &[&id, &change.role.map(Role::as_str), &change.status.map(UserStatus::as_str)],
            )
            .await
            .map_err(db_error)?;
        if updated == 0 {
            return Err(StoreError::NotFound);
        }
        if let Some(ids) = &change.location_ids {
            set_locations(&tx, id, ids).await?;
        }
        insert_audit(&tx, &audit).await?;
        let user = load_user(&tx, id).await?.ok_or(StoreError::NotFound)?;
        tx.commit().await.map_err(db_error)?;
        Ok(user)
    }

    async fn set_password(
        &self,
        id: Uuid,
        hash: String,
        audit: Option<AuditEvent>,
    ) -> StoreResult<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_error)?;
        tx.execute(
            "UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1",
            &[&id, &hash],
        )
        .await
        .map_err(db_error)?;
        if let Some(audit) = &audit {
            insert_audit(&tx, audit).await?;
        }
        tx.commit().await.map_err(db_error)
    }

    async fn record_login(&self, id: Uuid) -> StoreResult<()> {
        let client = self.client().await?;
        client
            .execute(
                "UPDATE users SET last_login_at = now() WHERE id = $1",
                &[&id],
            )
            .await
            .map_err(db_error)?;
        Ok(())
    }

    async fn issue_token(
        &self,
        user_id: Uuid,
        token: NewToken,
        mail: NewMail,
        audit: AuditEvent,
    ) -> StoreResult<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_error)?;
        insert_token(&tx, user_id, &token).await?;
        insert_mail(&tx, &mail).await?;
        insert_audit(&tx, &audit).await?;
        tx.commit().await.map_err(db_error)
    }

    async fn erase_user(&self, id: Uuid, audit: AuditEvent) -> StoreResult<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_error)?;
        // Other people's documents this person uploaded or reviewed keep their row; the reference goes.
        let deleted = tx
            .execute("DELETE FROM users WHERE id = $1", &[&id])
            .await
            .map_err(db_error)?;
        if deleted == 0 {
            return Err(StoreError::NotFound);
        }
        insert_audit(&tx, &audit).await?;
        tx.commit().await.map_err(db_error)
    }

    async fn existing_users(&self, ids: &[Uuid]) -> StoreResult<Vec<Uuid>> {
        let client = self.client().await?;
        let rows = client
            .query("SELECT id FROM users WHERE id = ANY($1)", &[&ids])
            .await
            .map_err(db_error)?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    async fn redeem_token(
        &self,
        hash: &[u8],
        new_password_hash: String,
        now: DateTime<Utc>,
        ip: Option<std::net::IpAddr>,
    ) -> StoreResult<Option<Uuid>> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_error)?;
        let Some(row) = tx
            .query_opt(
                "UPDATE account_tokens SET used_at = $2
                 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
                 RETURNING user_id, purpose",
                &[&hash, &now],
            )
            .await
            .map_err(db_error)?
        else {
            return Ok(None);
        };
        let user_id: Uuid = row.get(0);
        let purpose: String = row.get(1);
        let updated = tx
            .execute(
                "UPDATE users SET password_hash = $2, updated_at = now(),
                        status = CASE WHEN status = 'invited' THEN 'active' ELSE status END
                 WHERE id = $1 AND status <> 'deactivated'",
                &[&user_id, &new_password_hash],
            )
            .await
            .map_err(db_error)?;
        if updated == 0 {
            // A deactivated account cannot be revived through a token.
            return Ok(None);
        }
        tx.execute(
            "UPDATE account_tokens SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL",
            &[&user_id, &now],
        )
        .await
        .map_err(db_error)?;
        let action = if purpose == "invitation" {
            "account.invitation_accepted"
        } else {
            "account.password_reset"
        };
        insert_audit(
            &tx,
            &AuditEvent::new(action)
                .actor(Some(user_id))
                .subject("user", user_id)
                .ip(ip),
        )
        .await?;
        tx.commit().await.map_err(db_error)?;
        Ok(Some(user_id))
    }
}
