//! Writing and reading the audit trail (SPEC P-2). Services call [`entry`] for each change
//! and append the entries inside the change's own transaction.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use uuid::Uuid;
use waymark_domain::audit::{ChainBreak, ChainVerifier};
use waymark_store::entities::audit_log;
pub use waymark_store::entities::audit_log::Model as AuditRecord;
pub use waymark_store::repo::audit::AuditFilter;
use waymark_store::repo::audit::{self as repo, NewAudit};

use crate::policy::{Action, Actor, Facts, Resource, Scope, allowed};
use crate::{App, AppError, AppResult};

pub struct AuditService<'a> {
    pub(crate) app: &'a App,
}

/// Time as stored in the log: UTC, microseconds, so PostgreSQL and SQLite agree.
pub fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

pub fn json<T: Serialize>(v: &T) -> Option<String> {
    serde_json::to_string(v).ok()
}

/// One audit entry for a change made by `actor`.
#[allow(clippy::too_many_arguments)]
pub fn entry(
    actor: &Actor,
    now: DateTime<Utc>,
    entity_type: &str,
    entity_id: Uuid,
    subject_employee_id: Option<Uuid>,
    action: &str,
    before: Option<String>,
    after: Option<String>,
    reason: Option<String>,
) -> NewAudit {
    NewAudit {
        id: Uuid::now_v7(),
        occurred_at: stamp(now),
        actor: actor.label.clone(),
        actor_user_id: actor.user_id,
        entity_type: entity_type.into(),
        entity_id: entity_id.to_string(),
        subject_employee_id,
        action: action.into(),
        before,
        after,
        reason,
    }
}

/// The largest page of audit records one request may ask for.
pub const MAX_AUDIT_PAGE: u64 = 500;

/// The outcome of `waymark audit verify`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    Intact { records: u64 },
    Broken(ChainBreak),
}

impl AuditService<'_> {
    /// Walks the whole chain in pages; stops at the first bad record.
    pub async fn verify(&self) -> AppResult<Verification> {
        let c = &self.app.db.conn;
        let head = repo::head(c).await?;
        let mut v = ChainVerifier::default();
        let mut after = 0i64;
        loop {
            let page = repo::page_after(c, after, 5000).await?;
            let Some(last) = page.last() else { break };
            after = last.seq;
            for r in &page {
                if let Err(b) = v.check(&repo::fields(r), &r.prev_hash, &r.hash) {
                    return Ok(Verification::Broken(b));
                }
            }
        }
        Ok(match v.finish(head.seq, &head.hash) {
            Ok(n) => Verification::Intact { records: n },
            Err(b) => Verification::Broken(b),
        })
    }

    /// HR browses the log by entity and person: org-wide HR all of it, unit-scoped HR the
    /// records about their units and the people now in them.
    pub async fn list(&self, actor: &Actor, mut filter: AuditFilter) -> AppResult<Vec<audit_log::Model>> {
        if !allowed(actor, Action::Read, Resource::AuditLog, Facts::default()) {
            let in_scope = Facts { in_hr_scope: true, ..Facts::default() };
            match &actor.hr {
                Some(Scope::Units(units)) if allowed(actor, Action::Read, Resource::AuditLog, in_scope) => {
                    filter.within_units = Some(units.iter().copied().collect());
                }
                _ => return Err(AppError::Forbidden),
            }
        }
        if !(1..=MAX_AUDIT_PAGE).contains(&filter.limit) {
            return Err(AppError::field("limit", "out_of_range", format!("must be between 1 and {MAX_AUDIT_PAGE}")));
        }
        Ok(repo::list(&self.app.db.conn, &filter).await?)
    }
}
