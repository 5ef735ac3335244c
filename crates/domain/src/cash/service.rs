//! The submit use case over the port: idempotency first, then the correction's rules, the expected amount's
//! basis and the tolerance, then one store command. Decisions need no use case of their own: the store
//! applies [`super::rules::decide`] under the row lock.

use uuid::Uuid;

use super::model::{CashCount, NewCashCount};
use super::ports::{CashStore, InsertConflict};
use super::rules::{self, CorrectionRefused, PrepareRefused, Submission};
use crate::accounts::AuditEvent;
use crate::ports::StoreError;

/// What a submission led to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Submitted {
    /// A new count.
    Created(CashCount),
    /// The same submission came before (same idempotency key, same figures): the count it created.
    Repeated(CashCount),
}

/// Why a submission was refused.
#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The idempotency key was used for a different submission.
    #[error("the idempotency key was used for another submission")]
    KeyReused,
    #[error("the expected amount is required")]
    ExpectedRequired,
    /// A count of this type exists for the business date (its id).
    #[error("a count of this type exists for this business date")]
    CountExists(Uuid),
    /// The count to correct does not exist for the caller.
    #[error("the count to correct was not found")]
    CorrectsNotFound,
    #[error("the correction was refused: {0:?}")]
    Correction(CorrectionRefused),
}

async fn repeated(
    store: &dyn CashStore,
    submission: &Submission,
) -> Result<Option<Submitted>, SubmitError> {
    match store
        .by_client_key(submission.counted_by, submission.client_key)
        .await?
    {
        Some(existing) if rules::same_submission(submission, &existing) => {
            Ok(Some(Submitted::Repeated(existing)))
        }
        Some(_) => Err(SubmitError::KeyReused),
        None => Ok(None),
    }
}

/// Submits a count. `visible` says whether the caller may see a count (the one a correction names);
/// `audit` builds the audit line of the new count.
pub async fn submit(
    store: &dyn CashStore,
    submission: Submission,
    visible: impl Fn(&CashCount) -> bool + Send,
    audit: impl FnOnce(&NewCashCount) -> AuditEvent + Send,
) -> Result<Submitted, SubmitError> {
    if let Some(repeat) = repeated(store, &submission).await? {
        return Ok(repeat);
    }
    if let Some(original) = submission.corrects {
        let original = store
            .count(original)
            .await?
            .filter(|c| visible(c))
            .ok_or(SubmitError::CorrectsNotFound)?;
        rules::check_correction(&submission, &original).map_err(SubmitError::Correction)?;
    }
    let basis = store
        .basis(
            submission.location_id,
            submission.count_type,
            submission.business_date,
        )
        .await?;
    let tolerance = store
        .settings(submission.location_id)
        .await?
        .tolerance_cents;
    let count = rules::prepare(Uuid::new_v4(), submission.clone(), &basis, tolerance).map_err(
        |refused| match refused {
            PrepareRefused::ExpectedRequired => SubmitError::ExpectedRequired,
        },
    )?;
    let event = audit(&count);
    match store.insert(count, event).await? {
        Ok(created) => Ok(Submitted::Created(created)),
        Err(InsertConflict::ClientKey) => repeated(store, &submission)
            .await?
            .ok_or(SubmitError::KeyReused),
        // A double tap conflicts on both keys; whichever the database reports, the repeat wins.
        Err(InsertConflict::CountExists(id)) => match repeated(store, &submission).await? {
            Some(repeat) => Ok(repeat),
            None => Err(SubmitError::CountExists(id)),
        },
        Err(InsertConflict::AlreadyCorrected) => {
            Err(SubmitError::Correction(CorrectionRefused::AlreadyCorrected))
        }
    }
}
