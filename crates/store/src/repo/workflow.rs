//! The goal-setting workflow's rules and pending approvals (G-10), resource commitments
//! (G-12), and who should hear about a pending step.

use sea_orm::sea_query::{ExprTrait, Query};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::StoreResult;
use crate::entities::{goal_approval, goal_approval_rule, goal_commitment, role_grant, user_account};

// ---- rules ---------------------------------------------------------------------------------

pub async fn rules<C: ConnectionTrait>(c: &C) -> StoreResult<Vec<goal_approval_rule::Model>> {
    Ok(goal_approval_rule::Entity::find().order_by_asc(goal_approval_rule::Column::UpdatedAt).all(c).await?)
}

/// Inserts or replaces the rule for (unit, level).
pub async fn put_rule<C: ConnectionTrait>(c: &C, r: goal_approval_rule::Model) -> StoreResult<()> {
    delete_rule(c, r.unit_id, r.level.as_deref()).await?;
    goal_approval_rule::Entity::insert(r.into_active_model()).exec_without_returning(c).await?;
    Ok(())
}

pub async fn delete_rule<C: ConnectionTrait>(c: &C, unit: Option<Uuid>, level: Option<&str>) -> StoreResult<u64> {
    let mut q = goal_approval_rule::Entity::delete_many();
    q = match unit {
        Some(u) => q.filter(goal_approval_rule::Column::UnitId.eq(u)),
        None => q.filter(goal_approval_rule::Column::UnitId.is_null()),
    };
    q = match level {
        Some(l) => q.filter(goal_approval_rule::Column::Level.eq(l)),
        None => q.filter(goal_approval_rule::Column::Level.is_null()),
    };
    Ok(q.exec(c).await?.rows_affected)
}

// ---- pending approvals ---------------------------------------------------------------------

pub async fn approval<C: ConnectionTrait>(c: &C, goal: Uuid) -> StoreResult<Option<goal_approval::Model>> {
    Ok(goal_approval::Entity::find_by_id(goal).one(c).await?)
}

pub async fn put_approval<C: ConnectionTrait>(c: &C, a: goal_approval::Model) -> StoreResult<()> {
    clear_approval(c, a.goal_id).await?;
    goal_approval::Entity::insert(a.into_active_model()).exec_without_returning(c).await?;
    Ok(())
}

/// Many new pending approvals at once (demo and bulk assignment).
pub async fn insert_approvals<C: ConnectionTrait>(c: &C, rows: Vec<goal_approval::Model>) -> StoreResult<()> {
    for chunk in rows.chunks(200) {
        goal_approval::Entity::insert_many(chunk.iter().cloned().map(IntoActiveModel::into_active_model))
            .exec_without_returning(c)
            .await?;
    }
    Ok(())
}

pub async fn clear_approval<C: ConnectionTrait>(c: &C, goal: Uuid) -> StoreResult<()> {
    goal_approval::Entity::delete_by_id(goal).exec(c).await?;
    Ok(())
}

/// Goals waiting for one employee's approval as manager or skip-level manager, oldest first.
pub async fn waiting_for_employee<C: ConnectionTrait>(c: &C, approver: Uuid) -> StoreResult<Vec<goal_approval::Model>> {
    Ok(goal_approval::Entity::find()
        .filter(goal_approval::Column::ApproverId.eq(approver))
        .order_by_asc(goal_approval::Column::SubmittedAt)
        .all(c)
        .await?)
}

/// Goals waiting for HR filing, in the given units (`None`: every unit), oldest first.
pub async fn waiting_for_filing<C: ConnectionTrait>(
    c: &C,
    units: Option<&[Uuid]>,
) -> StoreResult<Vec<goal_approval::Model>> {
    let base = goal_approval::Entity::find()
        .filter(goal_approval::Column::Step.eq("hr_filing"))
        .order_by_asc(goal_approval::Column::SubmittedAt);
    match units {
        None => Ok(base.all(c).await?),
        Some(units) => {
            let mut out = Vec::new();
            for chunk in units.chunks(500) {
                out.extend(base.clone().filter(goal_approval::Column::UnitId.is_in(chunk.to_vec())).all(c).await?);
            }
            out.sort_by_key(|a| a.submitted_at);
            Ok(out)
        }
    }
}

// ---- who hears about it --------------------------------------------------------------------

/// The active user accounts of the given employees, in one read.
pub async fn users_of_employees<C: ConnectionTrait>(c: &C, employees: &[Uuid]) -> StoreResult<Vec<Uuid>> {
    Ok(employee_users(c, employees).await?.into_iter().map(|(_, u)| u).collect())
}

/// (employee, user account) for the active accounts of the given employees.
pub async fn employee_users<C: ConnectionTrait>(c: &C, employees: &[Uuid]) -> StoreResult<Vec<(Uuid, Uuid)>> {
    let mut out = Vec::new();
    for chunk in employees.chunks(500) {
        let rows = user_account::Entity::find()
            .filter(user_account::Column::EmployeeId.is_in(chunk.to_vec()))
            .filter(user_account::Column::Disabled.eq(false))
            .all(c)
            .await?;
        out.extend(rows.into_iter().filter_map(|u| u.employee_id.map(|e| (e, u.id))));
    }
    Ok(out)
}

/// Active users holding the HR role for the whole organization or for one of `units` (a unit
/// and its ancestors: HR of a unit also covers the units below it).
pub async fn hr_users_covering<C: ConnectionTrait>(c: &C, units: &[Uuid]) -> StoreResult<Vec<Uuid>> {
    let active = Query::select()
        .column(user_account::Column::Id)
        .from(user_account::Entity)
        .and_where(user_account::Column::Disabled.eq(false))
        .to_owned();
    let scope = role_grant::Column::UnitId.is_null().or(role_grant::Column::UnitId.is_in(units.to_vec()));
    let mut users: Vec<Uuid> = role_grant::Entity::find()
        .filter(role_grant::Column::Role.eq("hr"))
        .filter(scope)
        .filter(role_grant::Column::UserId.in_subquery(active))
        .all(c)
        .await?
        .into_iter()
        .map(|g| g.user_id)
        .collect();
    users.sort();
    users.dedup();
    Ok(users)
}

// ---- commitments ---------------------------------------------------------------------------

pub async fn insert_commitment<C: ConnectionTrait>(c: &C, m: goal_commitment::Model) -> StoreResult<()> {
    goal_commitment::Entity::insert(m.into_active_model()).exec_without_returning(c).await?;
    Ok(())
}

pub async fn update_commitment<C: ConnectionTrait>(c: &C, m: goal_commitment::Model) -> StoreResult<()> {
    m.into_active_model().reset_all().update(c).await?;
    Ok(())
}

pub async fn commitment<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<goal_commitment::Model>> {
    Ok(goal_commitment::Entity::find_by_id(id).one(c).await?)
}

pub async fn commitments<C: ConnectionTrait>(c: &C, goal: Uuid) -> StoreResult<Vec<goal_commitment::Model>> {
    Ok(goal_commitment::Entity::find()
        .filter(goal_commitment::Column::GoalId.eq(goal))
        .order_by_asc(goal_commitment::Column::CreatedAt)
        .all(c)
        .await?)
}
