//! Goal templates and the key-result library (G-8), and what a bulk assignment reads.

use std::collections::HashSet;

use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use crate::StoreResult;
use crate::entities::{employee, goal, goal_owner, goal_template, kr_library_item};

// ---- templates -----------------------------------------------------------------------------

pub async fn insert_template<C: ConnectionTrait>(c: &C, t: goal_template::Model) -> StoreResult<()> {
    goal_template::Entity::insert(t.into_active_model()).exec_without_returning(c).await?;
    Ok(())
}

pub async fn update_template<C: ConnectionTrait>(c: &C, t: goal_template::Model) -> StoreResult<()> {
    t.into_active_model().reset_all().update(c).await?;
    Ok(())
}

pub async fn template<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<goal_template::Model>> {
    Ok(goal_template::Entity::find_by_id(id).one(c).await?)
}

/// Every template, by title; archived ones only when asked for.
pub async fn templates<C: ConnectionTrait>(c: &C, include_archived: bool) -> StoreResult<Vec<goal_template::Model>> {
    let mut q = goal_template::Entity::find();
    if !include_archived {
        q = q.filter(goal_template::Column::Archived.eq(false));
    }
    Ok(q.order_by_asc(goal_template::Column::Title).all(c).await?)
}

// ---- library items -------------------------------------------------------------------------

pub async fn insert_item<C: ConnectionTrait>(c: &C, i: kr_library_item::Model) -> StoreResult<()> {
    kr_library_item::Entity::insert(i.into_active_model()).exec_without_returning(c).await?;
    Ok(())
}

pub async fn update_item<C: ConnectionTrait>(c: &C, i: kr_library_item::Model) -> StoreResult<()> {
    i.into_active_model().reset_all().update(c).await?;
    Ok(())
}

pub async fn items_by_ids<C: ConnectionTrait>(c: &C, ids: &[Uuid]) -> StoreResult<Vec<kr_library_item::Model>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(kr_library_item::Entity::find().filter(kr_library_item::Column::Id.is_in(ids.to_vec())).all(c).await?)
}

/// Every library item, by title; archived ones only when asked for.
pub async fn items<C: ConnectionTrait>(c: &C, include_archived: bool) -> StoreResult<Vec<kr_library_item::Model>> {
    let mut q = kr_library_item::Entity::find();
    if !include_archived {
        q = q.filter(kr_library_item::Column::Archived.eq(false));
    }
    Ok(q.order_by_asc(kr_library_item::Column::Title).all(c).await?)
}

// ---- bulk assignment -----------------------------------------------------------------------

/// People currently employed in `unit` (and, with `below`, every unit under it); `None`: the
/// whole organization. By employee number, so a preview lists them in a stable order.
pub async fn current_members<C: ConnectionTrait>(
    c: &C,
    unit: Option<Uuid>,
    below: bool,
) -> StoreResult<Vec<waymark_domain::org::Employee>> {
    let mut q = employee::Entity::find().filter(employee::Column::Status.ne(super::org::LEFT));
    if let Some(u) = unit {
        let mut units = Condition::any().add(employee::Column::UnitId.eq(u));
        if below {
            let sub = Query::select()
                .column("unit_id")
                .from("unit_tree")
                .and_where(Expr::col("ancestor_id").eq(u))
                .to_owned();
            units = units.add(employee::Column::UnitId.in_subquery(sub));
        }
        q = q.filter(units);
    }
    Ok(super::org::employees(q.order_by_asc(employee::Column::EmployeeNo).all(c).await?))
}

/// Owners who already have a live goal in `period` made from `template` or titled `title`:
/// a bulk assignment skips them.
pub async fn owners_having<C: ConnectionTrait>(
    c: &C,
    period: Uuid,
    template: Uuid,
    title: &str,
) -> StoreResult<HashSet<Uuid>> {
    let goals = Query::select()
        .column(goal::Column::Id)
        .from(goal::Entity)
        .and_where(goal::Column::PeriodId.eq(period))
        .and_where(goal::Column::Status.ne("archived"))
        .cond_where(Condition::any().add(goal::Column::TemplateId.eq(template)).add(goal::Column::Title.eq(title)))
        .to_owned();
    let owners: Vec<Uuid> = goal_owner::Entity::find()
        .select_only()
        .column(goal_owner::Column::EmployeeId)
        .filter(goal_owner::Column::GoalId.in_subquery(goals))
        .into_tuple()
        .all(c)
        .await?;
    Ok(owners.into_iter().collect())
}
