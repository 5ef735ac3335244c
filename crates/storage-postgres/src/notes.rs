//! Metadata of internal notes (the bodies are sealed in MongoDB under the note's id).

use async_trait::async_trait;
use crewplots_domain::accounts::AuditEvent;
use crewplots_domain::hiring::{Note, NotePriority, NoteWorkflow, PersonRef};
use crewplots_domain::ports::{NoteStore, StoreError, StoreResult};
use crewplots_domain::Role;
use deadpool_postgres::GenericClient;
use tokio_postgres::Row;
use uuid::Uuid;

use crate::store::{db_error, insert_audit, PgStore};

const NOTE_SELECT: &str = "
    SELECT n.id, n.subject_id, n.application_id, n.workflow, n.priority, n.visible_roles, n.created_at,
           n.updated_at, a.id AS author_id, a.first_name || ' ' || a.last_name AS author_name,
           a.role AS author_role
    FROM notes n LEFT JOIN users a ON a.id = n.author_id";

fn other(what: &str, value: &str) -> StoreError {
    StoreError::Other(format!("unknown {what} {value}"))
}

fn note(row: &Row) -> StoreResult<Note> {
    let workflow: String = row.get("workflow");
    let priority: String = row.get("priority");
    let roles: Vec<String> = row.get("visible_roles");
    let author = match row.get::<_, Option<Uuid>>("author_id") {
        None => None,
        Some(id) => {
            let role: String = row.get("author_role");
            Some(PersonRef {
                id,
                name: row.get("author_name"),
                role: Role::parse(&role).ok_or_else(|| other("role", &role))?,
            })
        }
    };
    Ok(Note {
        id: row.get("id"),
        subject_id: row.get("subject_id"),
        author,
        application_id: row.get("application_id"),
        workflow: NoteWorkflow::parse(&workflow).ok_or_else(|| other("workflow", &workflow))?,
        priority: NotePriority::parse(&priority).ok_or_else(|| other("priority", &priority))?,
        visible_roles: roles
            .iter()
            .map(|r| Role::parse(r).ok_or_else(|| other("role", r)))
            .collect::<StoreResult<_>>()?,
        created_at: row.get("created_at"),
        updated_at: row.get("updated_at"),
    })
}

async fn load(client: &impl GenericClient, id: Uuid) -> StoreResult<Option<Note>> {
    let row = client
        .query_opt(&format!("{NOTE_SELECT} WHERE n.id = $1"), &[&id])
        .await
        .map_err(db_error)?;
    row.as_ref().map(note).transpose()
}

fn role_names(roles: &[Role]) -> Vec<&'static str> {
    roles.iter().map(|r| r.as_str()).collect()
}

#[async_trait]
impl NoteStore for PgStore {
    async fn insert_note(&self, new: Note, audit: AuditEvent) -> StoreResult<Note> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_error)?;
        tx.execute(
            "INSERT INTO notes (id, subject_id, author_id, application_id, workflow, priority, visible_roles)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            &[
                &new.id,
                &new.subject_id,
                &new.author.as_ref().map(|a| a.id),
                &new.application_id,
                &new.workflow.as_str(),
                &new.priority.as_str(),
                &role_names(&new.visible_roles),
            ],
        )
        .await
        .map_err(db_error)?;
        insert_audit(&tx, &audit).await?;
        let stored = load(&tx, new.id).await?.ok_or(StoreError::NotFound)?;
        tx.commit().await.map_err(db_error)?;
        Ok(stored)
    }

    async fn note(&self, id: Uuid) -> StoreResult<Option<Note>> {
        load(&self.client().await?, id).await
    }

    async fn notes_about(&self, subject: Uuid) -> StoreResult<Vec<Note>> {
        let client = self.client().await?;
        let rows = client
            .query(
                &format!(
                    "{NOTE_SELECT} WHERE n.subject_id = $1 ORDER BY n.created_at DESC, n.id DESC"
                ),
                &[&subject],
            )
            .await
            .map_err(db_error)?;
        rows.iter().map(note).collect()
    }

    async fn update_note(
        &self,
        id: Uuid,
        workflow: NoteWorkflow,
        priority: NotePriority,
        visible_roles: Vec<Role>,
        audit: AuditEvent,
    ) -> StoreResult<Note> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_error)?;
        let changed = tx
            .execute(
                "UPDATE notes SET workflow = $2, priority = $3, visible_roles = $4, updated_at = now() WHERE id = $1",
                &[&id, &workflow.as_str(), &priority.as_str(), &role_names(&visible_roles)],
            )
            .await
            .map_err(db_error)?;
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        insert_audit(&tx, &audit).await?;
        let stored = load(&tx, id).await?.ok_or(StoreError::NotFound)?;
        tx.commit().await.map_err(db_error)?;
        Ok(stored)
    }

    async fn delete_note(&self, id: Uuid, audit: AuditEvent) -> StoreResult<Option<Note>> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_error)?;
        let Some(existing) = load(&tx, id).await? else {
            return Ok(None);
        };
        tx.execute("DELETE FROM notes WHERE id = $1", &[&id])
            .await
            .map_err(db_error)?;
        insert_audit(&tx, &audit).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(Some(existing))
    }

    async fn known_body_ids(&self, ids: &[Uuid]) -> StoreResult<Vec<Uuid>> {
        let client = self.client().await?;
        let rows = client
            .query(
                "SELECT id FROM notes WHERE id = ANY($1)
                 UNION SELECT id FROM applications WHERE id = ANY($1)",
                &[&ids],
            )
            .await
            .map_err(db_error)?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }
}
