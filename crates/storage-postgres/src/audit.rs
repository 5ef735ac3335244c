use async_trait::async_trait;
use crewplots_domain::accounts::AuditEvent;
use crewplots_domain::ports::{AuditLog, StoreResult};

use crate::store::{insert_audit, PgStore};

#[async_trait]
impl AuditLog for PgStore {
    async fn record(&self, event: AuditEvent) -> StoreResult<()> {
        let client = self.client().await?;
        insert_audit(&client, &event).await
    }
}
