//! The audit log and its chain head. Appends lock the head row so that several app
//! instances still write one unbroken chain (SQLite has a single writer anyway).

use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;
use waymark_domain::audit::{AuditFields, ChainBreak, ChainHead, ChainVerifier, GENESIS, Record, chain_hash};

use crate::entities::{audit_head, audit_log, employee};
use crate::{StoreResult, WriteTxn};

/// The chain's hashing scheme on the head row (see migration m0027).
const SCHEME_LEGACY: i32 = 1;
const SCHEME_KEYED: i32 = 2;

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

/// The ids of a record as the hash reads them (text).
struct IdText {
    actor_user_id: Option<String>,
    subject_employee_id: Option<String>,
}

impl IdText {
    fn of(r: &Record) -> Self {
        Self {
            actor_user_id: r.actor_user_id.map(|u| u.to_string()),
            subject_employee_id: r.subject_employee_id.map(|u| u.to_string()),
        }
    }
}

fn to_record(m: audit_log::Model) -> Record {
    Record {
        seq: m.seq,
        id: m.id,
        occurred_at: m.occurred_at,
        actor: m.actor,
        actor_user_id: m.actor_user_id,
        entity_type: m.entity_type,
        entity_id: m.entity_id,
        subject_employee_id: m.subject_employee_id,
        action: m.action,
        before: m.before,
        after: m.after,
        reason: m.reason,
        prev_hash: m.prev_hash,
        hash: m.hash,
    }
}

fn record_row(r: Record) -> audit_log::Model {
    audit_log::Model {
        seq: r.seq,
        id: r.id,
        occurred_at: r.occurred_at,
        actor: r.actor,
        actor_user_id: r.actor_user_id,
        entity_type: r.entity_type,
        entity_id: r.entity_id,
        subject_employee_id: r.subject_employee_id,
        action: r.action,
        before: r.before,
        after: r.after,
        reason: r.reason,
        prev_hash: r.prev_hash,
        hash: r.hash,
    }
}

fn to_records(rows: Vec<audit_log::Model>) -> Vec<Record> {
    rows.into_iter().map(to_record).collect()
}

fn fields<'a>(r: &'a Record, ids: &'a IdText) -> AuditFields<'a> {
    AuditFields {
        seq: r.seq,
        id: &r.id,
        occurred_at: &r.occurred_at,
        actor: &r.actor,
        actor_user_id: ids.actor_user_id.as_deref(),
        entity_type: &r.entity_type,
        entity_id: &r.entity_id,
        subject_employee_id: ids.subject_employee_id.as_deref(),
        action: &r.action,
        before: r.before.as_deref(),
        after: r.after.as_deref(),
        reason: r.reason.as_deref(),
    }
}

/// Feeds one stored record to a verifier.
pub fn verify_record(v: &mut ChainVerifier, r: &Record) -> Result<(), ChainBreak> {
    let ids = IdText::of(r);
    v.check(&fields(r, &ids), &r.prev_hash, &r.hash)
}

/// Whether the chain is still of the first, unkeyed scheme (written before issue 21).
fn is_legacy(head: &audit_head::Model) -> bool {
    head.scheme == SCHEME_LEGACY
}

async fn lock_head<C: ConnectionTrait>(c: &C) -> StoreResult<audit_head::Model> {
    let mut q = audit_head::Entity::find_by_id(1);
    if c.get_database_backend() == DbBackend::Postgres {
        q = q.lock_exclusive();
    }
    q.one(c).await?.ok_or_else(|| sea_orm::DbErr::RecordNotFound("audit_head".into()).into())
}

/// Appends records in order, chained to the current head and hashed under the transaction's
/// key: by `WriteTxn::commit` only, so that no record is written apart from its change.
pub(crate) async fn append(tx: &WriteTxn, entries: Vec<NewAudit>) -> StoreResult<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let c = &tx.txn;
    let mut head = lock_head(c).await?;
    if is_legacy(&head) {
        upgrade_chain(tx, &head).await?;
        head = lock_head(c).await?;
    }
    let (mut seq, mut prev) = (head.seq, head.hash);
    let mut rows = Vec::with_capacity(entries.len());
    for e in entries {
        seq += 1;
        let mut row = Record {
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
        let ids = IdText::of(&row);
        row.hash = chain_hash(&tx.audit_key, &prev, &fields(&row, &ids));
        prev = row.hash.clone();
        rows.push(record_row(row));
    }
    let mut it = rows.into_iter().peekable();
    while it.peek().is_some() {
        let chunk: Vec<audit_log::ActiveModel> =
            it.by_ref().take(1000).map(IntoActiveModel::into_active_model).collect();
        audit_log::Entity::insert_many(chunk).exec_without_returning(c).await?;
    }
    set_head(c, seq, &prev, SCHEME_KEYED).await
}

async fn set_head<C: ConnectionTrait>(c: &C, seq: i64, hash: &str, scheme: i32) -> StoreResult<()> {
    audit_head::Entity::update_many()
        .col_expr(audit_head::Column::Seq, Expr::value(seq))
        .col_expr(audit_head::Column::Hash, Expr::value(hash))
        .col_expr(audit_head::Column::Scheme, Expr::value(scheme))
        .filter(audit_head::Column::Id.eq(1))
        .exec(c)
        .await?;
    Ok(())
}

/// A chain written before the key (scheme 1) is checked as it was written, then every record
/// is hashed again under the key, oldest first, in the caller's transaction. What the check
/// found is returned (and logged): at start the app records it in the chain itself, so a chain
/// that was already broken is not silently made whole.
async fn upgrade_chain(tx: &WriteTxn, head: &audit_head::Model) -> StoreResult<Option<ChainBreak>> {
    let c = &tx.txn;
    let mut legacy = ChainVerifier::legacy();
    let mut broken = None;
    let mut prev = GENESIS.to_string();
    let mut after = 0i64;
    loop {
        let page = page_after(c, after, 5000).await?;
        let Some(last) = page.last() else { break };
        after = last.seq;
        for r in page {
            if broken.is_none()
                && let Err(b) = verify_record(&mut legacy, &r)
            {
                broken = Some(b);
            }
            let ids = IdText::of(&r);
            let hash = chain_hash(&tx.audit_key, &prev, &fields(&r, &ids));
            audit_log::Entity::update_many()
                .col_expr(audit_log::Column::PrevHash, Expr::value(prev.clone()))
                .col_expr(audit_log::Column::Hash, Expr::value(hash.clone()))
                .filter(audit_log::Column::Seq.eq(r.seq))
                .exec(c)
                .await?;
            prev = hash;
        }
    }
    if broken.is_none()
        && let Err(b) = legacy.finish(head.seq, &head.hash)
    {
        broken = Some(b);
    }
    if let Some(b) = &broken {
        tracing::error!(finding = %b, "the audit chain written before the key was already broken when it was re-hashed");
    }
    set_head(c, after, &prev, SCHEME_KEYED).await?;
    Ok(broken)
}

/// What re-hashing a chain of the first scheme found.
pub struct Upgraded {
    /// The records re-hashed.
    pub records: i64,
    /// What the check of the old chain found (none: it was intact).
    pub finding: Option<ChainBreak>,
}

/// Re-hashes a chain of the first scheme under the key now (at start), so that the first
/// change after an upgrade does not wait for it. `None` when there was nothing to do (already
/// keyed, or no record yet).
pub async fn upgrade_if_legacy(tx: &WriteTxn) -> StoreResult<Option<Upgraded>> {
    let head = lock_head(&tx.txn).await?;
    if !is_legacy(&head) || head.seq == 0 {
        return Ok(None);
    }
    let finding = upgrade_chain(tx, &head).await?;
    Ok(Some(Upgraded { records: head.seq, finding }))
}

pub async fn head<C: ConnectionTrait>(c: &C) -> StoreResult<ChainHead> {
    let h = audit_head::Entity::find_by_id(1)
        .one(c)
        .await?
        .ok_or_else(|| sea_orm::DbErr::RecordNotFound("audit_head".into()))?;
    Ok(ChainHead { keyed: !is_legacy(&h), seq: h.seq, hash: h.hash })
}

/// Records after `after_seq`, oldest first, for verification in pages.
pub async fn page_after<C: ConnectionTrait>(c: &C, after_seq: i64, limit: u64) -> StoreResult<Vec<Record>> {
    Ok(to_records(
        audit_log::Entity::find()
            .filter(audit_log::Column::Seq.gt(after_seq))
            .order_by_asc(audit_log::Column::Seq)
            .limit(limit)
            .all(c)
            .await?,
    ))
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
    /// Leaves out the records about this person (HR reading the log is never shown what was
    /// recorded about themselves: their potential, their calibration).
    pub excluding_subject: Option<Uuid>,
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
            excluding_subject: None,
        }
    }
}

pub async fn list<C: ConnectionTrait>(c: &C, f: &AuditFilter) -> StoreResult<Vec<Record>> {
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
    if let Some(me) = f.excluding_subject {
        q = q.filter(
            Condition::any()
                .add(audit_log::Column::SubjectEmployeeId.is_null())
                .add(audit_log::Column::SubjectEmployeeId.ne(me)),
        );
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
    Ok(to_records(q.order_by_desc(audit_log::Column::Seq).limit(f.limit).all(c).await?))
}

/// Every record about the given entities (type, ids), oldest first: a thing's full history.
pub async fn history<C: ConnectionTrait>(c: &C, entities: &[(&str, Vec<Uuid>)]) -> StoreResult<Vec<Record>> {
    Ok(newest_history(c, entities, HISTORY_LIMIT).await?.0)
}

/// The most records [`history`] gives: a goal checked in on ten thousand times has as many
/// progress records.
pub const HISTORY_LIMIT: u64 = 2000;

/// The newest `limit` records about these entities, oldest first (before, the oldest 2 000
/// were read, so a long-lived goal's latest changes were missing from its history), and how
/// many there are in all.
pub async fn newest_history<C: ConnectionTrait>(
    c: &C,
    entities: &[(&str, Vec<Uuid>)],
    limit: u64,
) -> StoreResult<(Vec<Record>, u64)> {
    use sea_orm::PaginatorTrait;
    let mut any = Condition::any();
    for (t, ids) in entities.iter().filter(|(_, ids)| !ids.is_empty()) {
        let ids: Vec<String> = ids.iter().map(Uuid::to_string).collect();
        any = any.add(
            Condition::all().add(audit_log::Column::EntityType.eq(*t)).add(audit_log::Column::EntityId.is_in(ids)),
        );
    }
    let about = || audit_log::Entity::find().filter(any.clone());
    // The newest sequence numbers first, from the entity index alone, then only those rows: in
    // one statement the matching rows were all read (with their before and after) and sorted,
    // 42 ms for a goal with ten thousand progress records.
    let seqs: Vec<i64> = about()
        .select_only()
        .column(audit_log::Column::Seq)
        .order_by_desc(audit_log::Column::Seq)
        .limit(limit)
        .into_tuple()
        .all(c)
        .await?;
    let total = if (seqs.len() as u64) < limit { seqs.len() as u64 } else { about().count(c).await? };
    let mut rows = Vec::with_capacity(seqs.len());
    for chunk in seqs.chunks(1000) {
        rows.extend(audit_log::Entity::find().filter(audit_log::Column::Seq.is_in(chunk.to_vec())).all(c).await?);
    }
    rows.sort_by_key(|r| r.seq);
    Ok((to_records(rows), total))
}

/// What every AI draft about `subject` came back as (the `after` of its `receive` records,
/// newest first): the development report reads their fingerprints to refuse sharing a draft
/// no person has edited.
pub async fn ai_outcomes<C: ConnectionTrait>(c: &C, subject: Uuid) -> StoreResult<Vec<String>> {
    use audit_log::Column as A;
    let rows = audit_log::Entity::find()
        .filter(A::SubjectEmployeeId.eq(subject))
        .filter(A::EntityType.eq("ai_draft"))
        .filter(A::Action.eq("receive"))
        .order_by_desc(A::Seq)
        .limit(500)
        .all(c)
        .await?;
    Ok(rows.into_iter().filter_map(|r| r.after).collect())
}
