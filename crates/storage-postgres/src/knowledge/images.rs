//! Article images ([`KnowledgeImages`]): bytes in PostgreSQL (not personal data), with the type sniffed on
//! upload.

use async_trait::async_trait;
use crewplots_domain::knowledge::ports::KnowledgeImages;
use crewplots_domain::knowledge::{ImageType, KbImage};
use crewplots_domain::ports::{StoreError, StoreResult};
use uuid::Uuid;

use crate::store::{db_error, PgStore};

#[async_trait]
impl KnowledgeImages for PgStore {
    async fn insert_image(&self, image: KbImage) -> StoreResult<()> {
        let client = self.client().await?;
        let size = i32::try_from(image.bytes.len()).unwrap_or(i32::MAX);
        client
            .execute(
                "INSERT INTO kb_images (id, location_id, content_type, bytes, size_bytes, uploaded_by)
                 VALUES ($1, $2, $3, $4, $5, $6)",
                &[
                    &image.id,
                    &image.location,
                    &image.content_type.mime(),
                    &image.bytes,
                    &size,
                    &image.uploaded_by,
                ],
            )
            .await
            .map_err(db_error)?;
        Ok(())
    }

    async fn image(&self, id: Uuid) -> StoreResult<Option<KbImage>> {
        let client = self.client().await?;
        let row = client
            .query_opt(
                "SELECT id, location_id, content_type, bytes, uploaded_by FROM kb_images WHERE id = $1",
                &[&id],
            )
            .await
            .map_err(db_error)?;
        row.map(|row| {
            let mime: String = row.get("content_type");
            Ok(KbImage {
                id: row.get("id"),
                location: row.get("location_id"),
                content_type: ImageType::from_mime(&mime)
                    .ok_or_else(|| StoreError::Other(format!("unknown image type {mime}")))?,
                bytes: row.get("bytes"),
                uploaded_by: row
                    .get::<_, Option<Uuid>>("uploaded_by")
                    .unwrap_or_default(),
            })
        })
        .transpose()
    }
}
