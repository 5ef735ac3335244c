//! In-app notifications and per-kind e-mail settings. A notice's mail goes to the outbox in the same
//! statement that checks the person's setting, so a muted kind never reaches the outbox.

use crewplots_domain::accounts::PageRequest;
use crewplots_domain::notifications::{Notice, NoticeKind, Notification};
use crewplots_domain::ports::{StoreError, StoreResult};
use deadpool_postgres::GenericClient;
use uuid::Uuid;

use crate::store::{db_error, CachedQuery};

/// Writes the notices (in-app rows, and each mail unless its person muted the kind by e-mail).
pub(crate) async fn insert_notices(
    client: &impl GenericClient,
    notices: &[Notice],
) -> StoreResult<()> {
    for notice in notices {
        let params: serde_json::Map<String, serde_json::Value> = notice
            .params
            .iter()
            .map(|(k, v)| ((*k).to_string(), serde_json::Value::String(v.clone())))
            .collect();
        client
            .execute(
                "INSERT INTO notifications (id, user_id, kind, params) VALUES ($1, $2, $3, $4)",
                &[
                    &Uuid::new_v4(),
                    &notice.user_id,
                    &notice.kind.as_str(),
                    &serde_json::Value::Object(params),
                ],
            )
            .await
            .map_err(db_error)?;
        if let Some(mail) = &notice.mail {
            client
                .execute(
                    "INSERT INTO email_outbox (id, to_address, subject, body_text, body_redacted)
                     SELECT $1, $2, $3, $4, $5
                     WHERE NOT EXISTS (SELECT 1 FROM notification_settings
                                       WHERE user_id = $6 AND kind = $7 AND NOT email)",
                    &[
                        &Uuid::new_v4(),
                        &mail.to,
                        &mail.subject,
                        &mail.body,
                        &mail.body_redacted,
                        &notice.user_id,
                        &notice.kind.as_str(),
                    ],
                )
                .await
                .map_err(db_error)?;
        }
    }
    Ok(())
}

pub(crate) async fn list(
    client: &impl GenericClient,
    user: Uuid,
    page: PageRequest,
) -> StoreResult<(Vec<Notification>, i64)> {
    let (after_at, after_id) = page.after.unzip();
    let limit = i64::from(page.limit);
    let rows = client
        .q(
            "SELECT id, kind, params, created_at, read_at FROM notifications
             WHERE user_id = $1 AND ($2::TIMESTAMPTZ IS NULL OR (created_at, id) < ($2, $3))
             ORDER BY created_at DESC, id DESC LIMIT $4",
            &[&user, &after_at, &after_id, &limit],
        )
        .await
        .map_err(db_error)?;
    let unread: i64 = client
        .q_one(
            "SELECT count(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL",
            &[&user],
        )
        .await
        .map_err(db_error)?
        .get(0);
    let items = rows
        .iter()
        .map(|row| {
            let kind: String = row.get("kind");
            let params: serde_json::Value = row.get("params");
            Ok(Notification {
                id: row.get("id"),
                kind: NoticeKind::parse(&kind)
                    .ok_or_else(|| StoreError::Other(format!("notice kind {kind}")))?,
                params: params
                    .as_object()
                    .map(|o| {
                        o.iter()
                            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                            .collect()
                    })
                    .unwrap_or_default(),
                created_at: row.get("created_at"),
                read_at: row.get("read_at"),
            })
        })
        .collect::<StoreResult<_>>()?;
    Ok((items, unread))
}

pub(crate) async fn mark_read(
    client: &impl GenericClient,
    user: Uuid,
    ids: Option<&[Uuid]>,
) -> StoreResult<i64> {
    let ids = ids.map(<[Uuid]>::to_vec);
    let changed = client
        .execute(
            "UPDATE notifications SET read_at = now()
             WHERE user_id = $1 AND read_at IS NULL AND ($2::UUID[] IS NULL OR id = ANY($2))",
            &[&user, &ids],
        )
        .await
        .map_err(db_error)?;
    Ok(i64::try_from(changed).unwrap_or(i64::MAX))
}

pub(crate) async fn settings(
    client: &impl GenericClient,
    user: Uuid,
) -> StoreResult<Vec<(NoticeKind, bool)>> {
    let rows = client
        .q(
            "SELECT kind, email FROM notification_settings WHERE user_id = $1",
            &[&user],
        )
        .await
        .map_err(db_error)?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            let kind: String = r.get(0);
            Some((NoticeKind::parse(&kind)?, r.get(1)))
        })
        .collect())
}

pub(crate) async fn set_setting(
    client: &impl GenericClient,
    user: Uuid,
    kind: NoticeKind,
    email: bool,
) -> StoreResult<()> {
    client
        .execute(
            "INSERT INTO notification_settings (user_id, kind, email) VALUES ($1, $2, $3)
             ON CONFLICT (user_id, kind) DO UPDATE SET email = EXCLUDED.email",
            &[&user, &kind.as_str(), &email],
        )
        .await
        .map_err(db_error)?;
    Ok(())
}
