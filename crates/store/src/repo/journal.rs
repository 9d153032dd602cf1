//! The key-event journal (F-5).

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use crate::StoreResult;
use crate::entities::{journal_entry, journal_goal};

/// Writes an entry with its goals (replacing the goals of an existing one).
pub async fn save<C: ConnectionTrait>(c: &C, e: journal_entry::Model, goals: &[Uuid], new: bool) -> StoreResult<()> {
    let id = e.id;
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

pub async fn entry<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<journal_entry::Model>> {
    Ok(journal_entry::Entity::find_by_id(id).one(c).await?)
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
) -> StoreResult<Vec<journal_entry::Model>> {
    Ok(journal_entry::Entity::find()
        .filter(journal_entry::Column::EmployeeId.eq(employee))
        .filter(journal_entry::Column::OccurredOn.between(from, to))
        .order_by_desc(journal_entry::Column::OccurredOn)
        .order_by_desc(journal_entry::Column::CreatedAt)
        .limit(limit)
        .all(c)
        .await?)
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
