//! The key-event journal (F-5).

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use waymark_domain::journal::{Entry, Kind};

use crate::entities::{journal_entry, journal_goal};
use crate::{StoreError, StoreResult};

/// A kind or links the app cannot read are refused: a guessed kind would file a problem as a
/// contribution, and links read as none would hide evidence.
fn to_entry(m: journal_entry::Model) -> StoreResult<Entry> {
    Ok(Entry {
        id: m.id,
        employee_id: m.employee_id,
        author_id: m.author_id,
        kind: Kind::parse(&m.kind).ok_or(StoreError::Corrupt("journal entry kind"))?,
        occurred_on: m.occurred_on,
        title: m.title,
        evidence: m.evidence,
        links: serde_json::from_str(&m.links).map_err(|_| StoreError::Corrupt("journal entry links"))?,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn entry_row(e: Entry) -> journal_entry::Model {
    journal_entry::Model {
        id: e.id,
        employee_id: e.employee_id,
        author_id: e.author_id,
        kind: e.kind.code().into(),
        occurred_on: e.occurred_on,
        title: e.title,
        evidence: e.evidence,
        links: serde_json::to_string(&e.links).unwrap_or_else(|_| "[]".into()),
        created_at: e.created_at,
        updated_at: e.updated_at,
    }
}

/// Writes an entry with its goals (replacing the goals of an existing one).
pub async fn save<C: ConnectionTrait>(c: &C, e: Entry, goals: &[Uuid], new: bool) -> StoreResult<()> {
    let id = e.id;
    let e = entry_row(e);
    if new {
        journal_entry::Entity::insert(e.into_active_model()).exec_without_returning(c).await?;
    } else {
        e.into_active_model().reset_all().update(c).await?;
        journal_goal::Entity::delete_many().filter(journal_goal::Column::EntryId.eq(id)).exec(c).await?;
    }
    if !goals.is_empty() {
        let rows = goals.iter().map(|g| journal_goal::Model { entry_id: id, goal_id: *g }.into_active_model());
        journal_goal::Entity::insert_many(rows).exec_without_returning(c).await?;
    }
    Ok(())
}

pub async fn entry<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<Entry>> {
    journal_entry::Entity::find_by_id(id).one(c).await?.map(to_entry).transpose()
}

pub async fn delete<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<()> {
    journal_entry::Entity::delete_by_id(id).exec(c).await?;
    Ok(())
}

/// One person's entries dated within [from, to], newest event first.
pub async fn of_employee<C: ConnectionTrait>(
    c: &C,
    employee: Uuid,
    from: NaiveDate,
    to: NaiveDate,
    limit: u64,
) -> StoreResult<Vec<Entry>> {
    journal_entry::Entity::find()
        .filter(journal_entry::Column::EmployeeId.eq(employee))
        .filter(journal_entry::Column::OccurredOn.between(from, to))
        .order_by_desc(journal_entry::Column::OccurredOn)
        .order_by_desc(journal_entry::Column::CreatedAt)
        .limit(limit)
        .all(c)
        .await?
        .into_iter()
        .map(to_entry)
        .collect()
}

/// The (entry, goal) links of several entries, in one read.
pub async fn goals_of<C: ConnectionTrait>(c: &C, entries: &[Uuid]) -> StoreResult<Vec<(Uuid, Uuid)>> {
    Ok(journal_goal::Entity::find()
        .select_only()
        .column(journal_goal::Column::EntryId)
        .column(journal_goal::Column::GoalId)
        .filter(journal_goal::Column::EntryId.is_in(entries.iter().copied()))
        .into_tuple()
        .all(c)
        .await?)
}
