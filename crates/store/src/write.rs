//! The write unit (issue 24): one way to write. A transaction carries the audit records of the
//! change made in it and appends them to the chain as it commits, so that a change and its
//! record are written together or not at all — a write that fails or is dropped leaves neither.
//! The same for the inbox messages the change sends, and the jobs that deliver them by e-mail
//! and IM: nobody is told of a change that did not happen.
//! On SQLite it also holds the one writer lock until it commits or is dropped.

use std::sync::Mutex;

use sea_orm::DatabaseTransaction;
use tokio::sync::OwnedMutexGuard;

use waymark_domain::jobs::JobRecord;
use waymark_domain::notify::Notification;

use crate::StoreResult;
use crate::repo::audit::{self, NewAudit};
use crate::repo::{inbox, jobs};

pub struct WriteTxn {
    pub(crate) txn: DatabaseTransaction,
    _writer: Option<OwnedMutexGuard<()>>,
    /// The audit chain's key: the records are hashed under it.
    pub(crate) audit_key: [u8; 32],
    /// The records of this change, in the order they were made, appended at commit.
    audit: Mutex<Vec<NewAudit>>,
    /// The inbox messages this change sends and the jobs that deliver them, written at commit.
    messages: Mutex<Messages>,
}

#[derive(Default)]
struct Messages {
    inbox: Vec<Notification>,
    deliveries: Vec<JobRecord>,
}

impl std::ops::Deref for WriteTxn {
    type Target = DatabaseTransaction;
    fn deref(&self) -> &Self::Target {
        &self.txn
    }
}

impl WriteTxn {
    pub(crate) fn new(txn: DatabaseTransaction, writer: Option<OwnedMutexGuard<()>>, audit_key: [u8; 32]) -> Self {
        WriteTxn { txn, _writer: writer, audit_key, audit: Mutex::new(Vec::new()), messages: Mutex::default() }
    }

    /// Records what this write changed; the records join the audit chain when it commits.
    pub fn audit(&self, records: Vec<NewAudit>) {
        self.audit.lock().unwrap_or_else(|p| p.into_inner()).extend(records);
    }

    /// Sends inbox messages with this write, and queues the jobs that deliver them elsewhere;
    /// both are written when it commits.
    pub fn notify(&self, inbox: Vec<Notification>, deliveries: Vec<JobRecord>) {
        let mut m = self.messages.lock().unwrap_or_else(|p| p.into_inner());
        m.inbox.extend(inbox);
        m.deliveries.extend(deliveries);
    }

    /// Writes the change's messages, appends its records to the chain, then commits them all.
    /// Appending last also holds the chain's head (locked on PostgreSQL) for the shortest time.
    pub async fn commit(self) -> StoreResult<()> {
        let m = std::mem::take(&mut *self.messages.lock().unwrap_or_else(|p| p.into_inner()));
        if !m.inbox.is_empty() {
            inbox::insert(&self.txn, m.inbox).await?;
        }
        if !m.deliveries.is_empty() {
            jobs::insert(&self.txn, m.deliveries).await?;
        }
        let records = std::mem::take(&mut *self.audit.lock().unwrap_or_else(|p| p.into_inner()));
        audit::append(&self, records).await?;
        Ok(self.txn.commit().await?)
    }
}
