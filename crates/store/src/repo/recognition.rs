//! Recognition: values, kudos, points and rewards.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;

use crate::StoreResult;
use crate::entities::{
    company_value, kudos, kudos_flow, kudos_recipient, kudos_value, points_balance, points_entry, redemption, reward,
};

pub const PENDING: &str = "pending";

// ---- values ---------------------------------------------------------------------------------

pub async fn values<C: ConnectionTrait>(c: &C) -> StoreResult<Vec<company_value::Model>> {
    Ok(company_value::Entity::find().order_by_asc(company_value::Column::Position).all(c).await?)
}

pub async fn value<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<company_value::Model>> {
    Ok(company_value::Entity::find_by_id(id).one(c).await?)
}

pub async fn save_value<C: ConnectionTrait>(c: &C, v: company_value::Model, new: bool) -> StoreResult<()> {
    if new {
        company_value::Entity::insert(v.into_active_model()).exec_without_returning(c).await?;
    } else {
        v.into_active_model().reset_all().update(c).await?;
    }
    Ok(())
}

// ---- kudos ----------------------------------------------------------------------------------

/// Writes a kudos with its recipients and values, and counts it in the month's flow from the
/// giver to each recipient (`month`: the first day of the local month it was given in).
pub async fn insert_kudos<C: ConnectionTrait>(
    c: &C,
    k: kudos::Model,
    month: NaiveDate,
    recipients: &[Uuid],
    values: &[Uuid],
) -> StoreResult<()> {
    let (id, giver) = (k.id, k.giver_id);
    kudos::Entity::insert(k.into_active_model()).exec_without_returning(c).await?;
    let r = recipients.iter().map(|e| kudos_recipient::Model { kudos_id: id, employee_id: *e }.into_active_model());
    kudos_recipient::Entity::insert_many(r).exec_without_returning(c).await?;
    let v = values.iter().map(|v| kudos_value::Model { kudos_id: id, value_id: *v }.into_active_model());
    kudos_value::Entity::insert_many(v).exec_without_returning(c).await?;
    for r in recipients {
        let flow = kudos_flow::Model { month, giver_id: giver, recipient_id: *r, kudos: 1 };
        kudos_flow::Entity::insert(flow.into_active_model())
            .on_conflict(
                OnConflict::columns([
                    kudos_flow::Column::Month,
                    kudos_flow::Column::GiverId,
                    kudos_flow::Column::RecipientId,
                ])
                .value(kudos_flow::Column::Kudos, Expr::col((kudos_flow::Entity, kudos_flow::Column::Kudos)).add(1))
                .to_owned(),
            )
            .exec_without_returning(c)
            .await?;
    }
    Ok(())
}

/// The newest kudos, before `before` when paging.
pub async fn recent_kudos<C: ConnectionTrait>(
    c: &C,
    before: Option<DateTime<Utc>>,
    limit: u64,
) -> StoreResult<Vec<kudos::Model>> {
    let mut q = kudos::Entity::find().order_by_desc(kudos::Column::CreatedAt).limit(limit);
    if let Some(b) = before {
        q = q.filter(kudos::Column::CreatedAt.lt(b));
    }
    Ok(q.all(c).await?)
}

/// (kudos, recipient) and (kudos, value) pairs of several kudos, in two reads.
pub async fn recipients_and_values<C: ConnectionTrait>(
    c: &C,
    ids: &[Uuid],
) -> StoreResult<(Vec<(Uuid, Uuid)>, Vec<(Uuid, Uuid)>)> {
    let r = kudos_recipient::Entity::find()
        .select_only()
        .columns([kudos_recipient::Column::KudosId, kudos_recipient::Column::EmployeeId])
        .filter(kudos_recipient::Column::KudosId.is_in(ids.iter().copied()))
        .into_tuple()
        .all(c)
        .await?;
    let v = kudos_value::Entity::find()
        .select_only()
        .columns([kudos_value::Column::KudosId, kudos_value::Column::ValueId])
        .filter(kudos_value::Column::KudosId.is_in(ids.iter().copied()))
        .into_tuple()
        .all(c)
        .await?;
    Ok((r, v))
}

/// How many recipients `giver` thanked since `since`.
pub async fn recipients_thanked_since<C: ConnectionTrait>(
    c: &C,
    giver: Uuid,
    since: DateTime<Utc>,
) -> StoreResult<u64> {
    let ids: Vec<Uuid> = kudos::Entity::find()
        .select_only()
        .column(kudos::Column::Id)
        .filter(kudos::Column::GiverId.eq(giver))
        .filter(kudos::Column::CreatedAt.gte(since))
        .into_tuple()
        .all(c)
        .await?;
    Ok(kudos_recipient::Entity::find().filter(kudos_recipient::Column::KudosId.is_in(ids)).count(c).await?)
}

/// Ids of the kudos `person` received, and of those they gave.
pub async fn kudos_of<C: ConnectionTrait>(c: &C, person: Uuid) -> StoreResult<(Vec<Uuid>, Vec<Uuid>)> {
    let received = kudos_recipient::Entity::find()
        .select_only()
        .column(kudos_recipient::Column::KudosId)
        .filter(kudos_recipient::Column::EmployeeId.eq(person))
        .into_tuple()
        .all(c)
        .await?;
    let given = kudos::Entity::find()
        .select_only()
        .column(kudos::Column::Id)
        .filter(kudos::Column::GiverId.eq(person))
        .into_tuple()
        .all(c)
        .await?;
    Ok((received, given))
}

// ---- points ---------------------------------------------------------------------------------

/// Adds points (any sign) with its ledger entry. Taking points away is refused (false) when
/// the balance would fall below zero: one guarded update, so two redemptions at once cannot
/// both spend the same points.
pub async fn add_points<C: ConnectionTrait>(c: &C, e: points_entry::Model) -> StoreResult<bool> {
    let (who, delta) = (e.employee_id, e.delta);
    if delta >= 0 {
        points_balance::Entity::insert(points_balance::Model { employee_id: who, balance: delta }.into_active_model())
            .on_conflict(
                OnConflict::column(points_balance::Column::EmployeeId)
                    // Qualified: in an upsert a bare `balance` could be the existing or the new row's.
                    .value(
                        points_balance::Column::Balance,
                        Expr::col((points_balance::Entity, points_balance::Column::Balance)).add(delta),
                    )
                    .to_owned(),
            )
            .exec_without_returning(c)
            .await?;
    } else {
        let r = points_balance::Entity::update_many()
            .col_expr(points_balance::Column::Balance, Expr::col(points_balance::Column::Balance).add(delta))
            .filter(points_balance::Column::EmployeeId.eq(who))
            .filter(points_balance::Column::Balance.gte(-delta))
            .exec(c)
            .await?;
        if r.rows_affected != 1 {
            return Ok(false);
        }
    }
    points_entry::Entity::insert(e.into_active_model()).exec_without_returning(c).await?;
    Ok(true)
}

pub async fn balance<C: ConnectionTrait>(c: &C, who: Uuid) -> StoreResult<i64> {
    Ok(points_balance::Entity::find_by_id(who).one(c).await?.map(|b| b.balance).unwrap_or(0))
}

pub async fn ledger<C: ConnectionTrait>(c: &C, who: Uuid, limit: u64) -> StoreResult<Vec<points_entry::Model>> {
    Ok(points_entry::Entity::find()
        .filter(points_entry::Column::EmployeeId.eq(who))
        .order_by_desc(points_entry::Column::CreatedAt)
        .limit(limit)
        .all(c)
        .await?)
}

// ---- rewards --------------------------------------------------------------------------------

pub async fn rewards<C: ConnectionTrait>(c: &C) -> StoreResult<Vec<reward::Model>> {
    Ok(reward::Entity::find().order_by_asc(reward::Column::Cost).all(c).await?)
}

pub async fn reward<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<reward::Model>> {
    Ok(reward::Entity::find_by_id(id).one(c).await?)
}

pub async fn save_reward<C: ConnectionTrait>(c: &C, r: reward::Model, new: bool) -> StoreResult<()> {
    if new {
        reward::Entity::insert(r.into_active_model()).exec_without_returning(c).await?;
    } else {
        r.into_active_model().reset_all().update(c).await?;
    }
    Ok(())
}

/// Moves a reward's stock by `delta` (-1 to reserve, +1 to give back); a reward without a stock
/// is unlimited. False when none is left to reserve.
pub async fn move_stock<C: ConnectionTrait>(c: &C, id: Uuid, delta: i32) -> StoreResult<bool> {
    let mut q = reward::Entity::update_many()
        .col_expr(reward::Column::Stock, Expr::col(reward::Column::Stock).add(delta))
        .filter(reward::Column::Id.eq(id))
        .filter(reward::Column::Stock.is_not_null());
    if delta < 0 {
        q = q.filter(reward::Column::Stock.gte(-delta));
    }
    let limited = q.exec(c).await?.rows_affected == 1;
    if limited {
        return Ok(true);
    }
    // Unlimited, or none left.
    Ok(reward::Entity::find_by_id(id).one(c).await?.is_some_and(|r| r.stock.is_none()))
}

pub async fn insert_redemption<C: ConnectionTrait>(c: &C, r: redemption::Model) -> StoreResult<()> {
    redemption::Entity::insert(r.into_active_model()).exec_without_returning(c).await?;
    Ok(())
}

pub async fn redemption<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<redemption::Model>> {
    Ok(redemption::Entity::find_by_id(id).one(c).await?)
}

pub async fn redemptions_of<C: ConnectionTrait>(c: &C, who: Uuid, limit: u64) -> StoreResult<Vec<redemption::Model>> {
    Ok(redemption::Entity::find()
        .filter(redemption::Column::EmployeeId.eq(who))
        .order_by_desc(redemption::Column::CreatedAt)
        .limit(limit)
        .all(c)
        .await?)
}

pub async fn pending_redemptions<C: ConnectionTrait>(c: &C, limit: u64) -> StoreResult<Vec<redemption::Model>> {
    Ok(redemption::Entity::find()
        .filter(redemption::Column::State.eq(PENDING))
        .order_by_asc(redemption::Column::CreatedAt)
        .limit(limit)
        .all(c)
        .await?)
}

/// Decides a pending redemption; false when it was no longer pending.
pub async fn decide<C: ConnectionTrait>(
    c: &C,
    id: Uuid,
    state: &str,
    by: Uuid,
    note: &str,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let r = redemption::Entity::update_many()
        .col_expr(redemption::Column::State, Expr::value(state))
        .col_expr(redemption::Column::DecidedBy, Expr::value(Some(by)))
        .col_expr(redemption::Column::DecidedAt, Expr::value(Some(now)))
        .col_expr(redemption::Column::Note, Expr::value(note))
        .filter(redemption::Column::Id.eq(id))
        .filter(redemption::Column::State.eq(PENDING))
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

// ---- the network (R-3) ----------------------------------------------------------------------

/// (month, giver, recipient, kudos) for the months from `from` up to `to` (first days).
pub async fn flows<C: ConnectionTrait>(
    c: &C,
    from: NaiveDate,
    to: NaiveDate,
) -> StoreResult<Vec<(NaiveDate, Uuid, Uuid, i32)>> {
    Ok(kudos_flow::Entity::find()
        .select_only()
        .columns([
            kudos_flow::Column::Month,
            kudos_flow::Column::GiverId,
            kudos_flow::Column::RecipientId,
            kudos_flow::Column::Kudos,
        ])
        .filter(kudos_flow::Column::Month.gte(from))
        .filter(kudos_flow::Column::Month.lt(to))
        .into_tuple()
        .all(c)
        .await?)
}

/// (recipient, kudos) received in the months from `from` up to `to` (first days).
pub async fn received_between<C: ConnectionTrait>(
    c: &C,
    from: NaiveDate,
    to: NaiveDate,
) -> StoreResult<Vec<(Uuid, i64)>> {
    Ok(kudos_flow::Entity::find()
        .select_only()
        .column(kudos_flow::Column::RecipientId)
        .column_as(kudos_flow::Column::Kudos.sum(), "n")
        .filter(kudos_flow::Column::Month.gte(from))
        .filter(kudos_flow::Column::Month.lt(to))
        .group_by(kudos_flow::Column::RecipientId)
        .into_tuple()
        .all(c)
        .await?)
}

/// The kudos `person` received in [from, to), newest first: the stories of a quarter's stars.
pub async fn received_kudos<C: ConnectionTrait>(
    c: &C,
    person: Uuid,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    limit: u64,
) -> StoreResult<Vec<kudos::Model>> {
    let ids: Vec<Uuid> = kudos_recipient::Entity::find()
        .select_only()
        .column(kudos_recipient::Column::KudosId)
        .filter(kudos_recipient::Column::EmployeeId.eq(person))
        .into_tuple()
        .all(c)
        .await?;
    Ok(kudos::Entity::find()
        .filter(kudos::Column::Id.is_in(ids))
        .filter(kudos::Column::CreatedAt.gte(from))
        .filter(kudos::Column::CreatedAt.lt(to))
        .order_by_desc(kudos::Column::CreatedAt)
        .limit(limit)
        .all(c)
        .await?)
}
