//! The audit log and its chain head. Appends lock the head row so that several app
//! instances still write one unbroken chain (SQLite has a single writer anyway).

use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;
use waymark_domain::audit::{AuditFields, chain_hash};

use crate::StoreResult;
use crate::entities::{audit_head, audit_log, employee};

/// A change to record; the store assigns the sequence number and hashes.
#[derive(Debug, Clone)]
pub struct NewAudit {
    pub id: Uuid,
    pub occurred_at: String,
    pub actor: String,
    pub actor_user_id: Option<Uuid>,
    pub entity_type: String,
    pub entity_id: String,
    pub subject_employee_id: Option<Uuid>,
    pub action: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub reason: Option<String>,
}

pub fn fields(r: &audit_log::Model) -> AuditFields<'_> {
    AuditFields {
        seq: r.seq,
        id: &r.id,
        occurred_at: &r.occurred_at,
        actor: &r.actor,
        entity_type: &r.entity_type,
        entity_id: &r.entity_id,
        action: &r.action,
        before: r.before.as_deref(),
        after: r.after.as_deref(),
        reason: r.reason.as_deref(),
    }
}

async fn lock_head<C: ConnectionTrait>(c: &C) -> StoreResult<audit_head::Model> {
    let mut q = audit_head::Entity::find_by_id(1);
    if c.get_database_backend() == DbBackend::Postgres {
        q = q.lock_exclusive();
    }
    q.one(c).await?.ok_or_else(|| sea_orm::DbErr::RecordNotFound("audit_head".into()).into())
}

/// Appends records in order, chained to the current head; call inside the write transaction
/// of the change they describe.
pub async fn append<C: ConnectionTrait>(c: &C, entries: Vec<NewAudit>) -> StoreResult<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let head = lock_head(c).await?;
    let (mut seq, mut prev) = (head.seq, head.hash);
    let mut rows = Vec::with_capacity(entries.len());
    for e in entries {
        seq += 1;
        let mut row = audit_log::Model {
            seq,
            id: e.id.to_string(),
            occurred_at: e.occurred_at,
            actor: e.actor,
            actor_user_id: e.actor_user_id,
            entity_type: e.entity_type,
            entity_id: e.entity_id,
            subject_employee_id: e.subject_employee_id,
            action: e.action,
            before: e.before,
            after: e.after,
            reason: e.reason,
            prev_hash: prev.clone(),
            hash: String::new(),
        };
        row.hash = chain_hash(&prev, &fields(&row));
        prev = row.hash.clone();
        rows.push(row);
    }
    let mut it = rows.into_iter().peekable();
    while it.peek().is_some() {
        let chunk: Vec<audit_log::ActiveModel> =
            it.by_ref().take(1000).map(IntoActiveModel::into_active_model).collect();
        audit_log::Entity::insert_many(chunk).exec_without_returning(c).await?;
    }
    audit_head::Entity::update_many()
        .col_expr(audit_head::Column::Seq, Expr::value(seq))
        .col_expr(audit_head::Column::Hash, Expr::value(prev))
        .filter(audit_head::Column::Id.eq(1))
        .exec(c)
        .await?;
    Ok(())
}

pub async fn head<C: ConnectionTrait>(c: &C) -> StoreResult<audit_head::Model> {
    audit_head::Entity::find_by_id(1)
        .one(c)
        .await?
        .ok_or_else(|| sea_orm::DbErr::RecordNotFound("audit_head".into()).into())
}

/// Records after `after_seq`, oldest first, for verification in pages.
pub async fn page_after<C: ConnectionTrait>(c: &C, after_seq: i64, limit: u64) -> StoreResult<Vec<audit_log::Model>> {
    Ok(audit_log::Entity::find()
        .filter(audit_log::Column::Seq.gt(after_seq))
        .order_by_asc(audit_log::Column::Seq)
        .limit(limit)
        .all(c)
        .await?)
}

#[derive(Debug, Clone)]
pub struct AuditFilter {
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    pub subject_employee_id: Option<Uuid>,
    pub actor_user_id: Option<Uuid>,
    /// Newest first, strictly before this sequence number.
    pub before_seq: Option<i64>,
    pub limit: u64,
    /// Only records about these units or about people now in them (unit-scoped HR).
    pub within_units: Option<Vec<Uuid>>,
}

impl Default for AuditFilter {
    /// No filter, the newest hundred records.
    fn default() -> Self {
        Self {
            entity_type: None,
            entity_id: None,
            subject_employee_id: None,
            actor_user_id: None,
            before_seq: None,
            limit: 100,
            within_units: None,
        }
    }
}

pub async fn list<C: ConnectionTrait>(c: &C, f: &AuditFilter) -> StoreResult<Vec<audit_log::Model>> {
    let mut q = audit_log::Entity::find();
    if let Some(t) = &f.entity_type {
        q = q.filter(audit_log::Column::EntityType.eq(t.clone()));
    }
    if let Some(id) = &f.entity_id {
        q = q.filter(audit_log::Column::EntityId.eq(id.clone()));
    }
    if let Some(s) = f.subject_employee_id {
        q = q.filter(audit_log::Column::SubjectEmployeeId.eq(s));
    }
    if let Some(a) = f.actor_user_id {
        q = q.filter(audit_log::Column::ActorUserId.eq(a));
    }
    if let Some(b) = f.before_seq {
        q = q.filter(audit_log::Column::Seq.lt(b));
    }
    if let Some(units) = &f.within_units {
        let people = Query::select()
            .column(employee::Column::Id)
            .from(employee::Entity)
            .and_where(employee::Column::UnitId.is_in(units.iter().copied()))
            .to_owned();
        let unit_ids: Vec<String> = units.iter().map(Uuid::to_string).collect();
        q = q.filter(
            Condition::any().add(audit_log::Column::SubjectEmployeeId.in_subquery(people)).add(
                Condition::all()
                    .add(audit_log::Column::EntityType.eq("unit"))
                    .add(audit_log::Column::EntityId.is_in(unit_ids)),
            ),
        );
    }
    Ok(q.order_by_desc(audit_log::Column::Seq).limit(f.limit).all(c).await?)
}

/// Every record about the given entities (type, ids), oldest first: a thing's full history.
pub async fn history<C: ConnectionTrait>(c: &C, entities: &[(&str, Vec<Uuid>)]) -> StoreResult<Vec<audit_log::Model>> {
    let mut any = Condition::any();
    for (t, ids) in entities.iter().filter(|(_, ids)| !ids.is_empty()) {
        let ids: Vec<String> = ids.iter().map(Uuid::to_string).collect();
        any = any.add(
            Condition::all().add(audit_log::Column::EntityType.eq(*t)).add(audit_log::Column::EntityId.is_in(ids)),
        );
    }
    Ok(audit_log::Entity::find().filter(any).order_by_asc(audit_log::Column::Seq).limit(2000).all(c).await?)
}
