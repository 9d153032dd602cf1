//! The write unit (issue 24): one way to write. A transaction carries the audit records of the
//! change made in it and appends them to the chain as it commits, so that a change and its
//! record are written together or not at all — a write that fails or is dropped leaves neither.
//! On SQLite it also holds the one writer lock until it commits or is dropped.

use std::sync::Mutex;

use sea_orm::DatabaseTransaction;
use tokio::sync::OwnedMutexGuard;

use crate::StoreResult;
use crate::repo::audit::{self, NewAudit};

pub struct WriteTxn {
    pub(crate) txn: DatabaseTransaction,
    _writer: Option<OwnedMutexGuard<()>>,
    /// The audit chain's key: the records are hashed under it.
    pub(crate) audit_key: [u8; 32],
    /// The records of this change, in the order they were made, appended at commit.
    audit: Mutex<Vec<NewAudit>>,
}

impl std::ops::Deref for WriteTxn {
    type Target = DatabaseTransaction;
    fn deref(&self) -> &Self::Target {
        &self.txn
    }
}

impl WriteTxn {
    pub(crate) fn new(txn: DatabaseTransaction, writer: Option<OwnedMutexGuard<()>>, audit_key: [u8; 32]) -> Self {
        WriteTxn { txn, _writer: writer, audit_key, audit: Mutex::new(Vec::new()) }
    }

    /// Records what this write changed; the records join the audit chain when it commits.
    pub fn audit(&self, records: Vec<NewAudit>) {
        self.audit.lock().unwrap_or_else(|p| p.into_inner()).extend(records);
    }

    /// Appends the change's records to the chain, then commits both. Appending last also holds
    /// the chain's head (locked on PostgreSQL) for the shortest time.
    pub async fn commit(self) -> StoreResult<()> {
        let records = std::mem::take(&mut *self.audit.lock().unwrap_or_else(|p| p.into_inner()));
        audit::append(&self, records).await?;
        Ok(self.txn.commit().await?)
    }
}
