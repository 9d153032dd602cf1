//! User accounts, role grants, sessions, API tokens and the login-failure log.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, Query, UnionType};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::StoreResult;
use crate::entities::{api_token, employee, login_failure, role_grant, session, user_account};

pub async fn insert_user<C: ConnectionTrait>(c: &C, u: user_account::Model) -> StoreResult<()> {
    user_account::Entity::insert(u.into_active_model()).exec_without_returning(c).await?;
    Ok(())
}

pub async fn user<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<user_account::Model>> {
    Ok(user_account::Entity::find_by_id(id).one(c).await?)
}

pub async fn all_users<C: ConnectionTrait>(c: &C) -> StoreResult<Vec<user_account::Model>> {
    Ok(user_account::Entity::find().order_by_asc(user_account::Column::Username).all(c).await?)
}

pub async fn user_by_username<C: ConnectionTrait>(c: &C, username: &str) -> StoreResult<Option<user_account::Model>> {
    Ok(user_account::Entity::find().filter(user_account::Column::Username.eq(username)).one(c).await?)
}

pub async fn user_by_employee<C: ConnectionTrait>(c: &C, employee: Uuid) -> StoreResult<Option<user_account::Model>> {
    Ok(user_account::Entity::find().filter(user_account::Column::EmployeeId.eq(employee)).one(c).await?)
}

/// The active accounts of these employees: (user, employee). Read in chunks: a cycle launched
/// over a whole large organization asks for every account at once.
pub async fn users_of_employees<C: ConnectionTrait>(c: &C, employees: &[Uuid]) -> StoreResult<Vec<(Uuid, Uuid)>> {
    let mut out = Vec::new();
    for chunk in employees.chunks(1000) {
        let users = user_account::Entity::find()
            .filter(user_account::Column::EmployeeId.is_in(chunk.to_vec()))
            .filter(user_account::Column::Disabled.eq(false))
            .all(c)
            .await?;
        out.extend(users.into_iter().filter_map(|u| Some((u.id, u.employee_id?))));
    }
    Ok(out)
}

pub async fn set_password_hash<C: ConnectionTrait>(c: &C, user: Uuid, hash: &str) -> StoreResult<()> {
    user_account::Entity::update_many()
        .col_expr(user_account::Column::PasswordHash, Expr::value(hash))
        .filter(user_account::Column::Id.eq(user))
        .exec(c)
        .await?;
    Ok(())
}

pub async fn set_locale<C: ConnectionTrait>(c: &C, user: Uuid, locale: Option<&str>) -> StoreResult<()> {
    user_account::Entity::update_many()
        .col_expr(user_account::Column::Locale, Expr::value(locale.map(str::to_string)))
        .filter(user_account::Column::Id.eq(user))
        .exec(c)
        .await?;
    Ok(())
}

pub async fn grants<C: ConnectionTrait>(c: &C, user: Uuid) -> StoreResult<Vec<role_grant::Model>> {
    Ok(role_grant::Entity::find().filter(role_grant::Column::UserId.eq(user)).all(c).await?)
}

/// What an actor needs besides the user row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Roles {
    /// (role, unit) pairs; no unit means the whole organization.
    pub grants: Vec<(String, Option<Uuid>)>,
    /// The user's employee has direct reports.
    pub has_reports: bool,
}

/// Marks the row that says "has direct reports" in [`roles_of`]'s union; never a granted role.
const REPORTS_ROW: &str = "(has direct reports)";

/// A user's grants and whether their employee has direct reports, in one round trip.
pub async fn roles_of<C: ConnectionTrait>(c: &C, user: Uuid, employee: Option<Uuid>) -> StoreResult<Roles> {
    let mut q = Query::select()
        .columns([role_grant::Column::Role, role_grant::Column::UnitId])
        .from(role_grant::Entity)
        .and_where(role_grant::Column::UserId.eq(user))
        .to_owned();
    if let Some(e) = employee {
        let reports = Query::select()
            .expr(Expr::val(1))
            .from(employee::Entity)
            .and_where(employee::Column::ManagerId.eq(e))
            .limit(1)
            .to_owned();
        let manager = Query::select()
            .expr(Expr::val(REPORTS_ROW))
            .expr(Expr::val(Option::<Uuid>::None))
            .and_where(Expr::exists(reports))
            .to_owned();
        q.union(UnionType::All, manager);
    }
    let mut roles = Roles::default();
    for r in c.query_all(&q).await? {
        let role = r.try_get_by_index::<String>(0)?;
        if role == REPORTS_ROW {
            roles.has_reports = true;
        } else {
            roles.grants.push((role, r.try_get_by_index::<Option<Uuid>>(1)?));
        }
    }
    Ok(roles)
}

pub async fn replace_grants<C: ConnectionTrait>(
    c: &C,
    user: Uuid,
    role: &str,
    grants: Vec<role_grant::Model>,
) -> StoreResult<()> {
    role_grant::Entity::delete_many()
        .filter(role_grant::Column::UserId.eq(user))
        .filter(role_grant::Column::Role.eq(role))
        .exec(c)
        .await?;
    if !grants.is_empty() {
        role_grant::Entity::insert_many(grants.into_iter().map(IntoActiveModel::into_active_model))
            .exec_without_returning(c)
            .await?;
    }
    Ok(())
}

// ---- sessions -------------------------------------------------------------------------------

pub async fn insert_session<C: ConnectionTrait>(c: &C, s: session::Model) -> StoreResult<()> {
    session::Entity::insert(s.into_active_model()).exec_without_returning(c).await?;
    Ok(())
}

/// Accounts in good standing: not locked, and not of a person who has left (issue 21: a
/// leaver's session, token or password no longer works, whichever way they left).
fn in_good_standing() -> sea_orm::Condition {
    let left = Query::select()
        .column(employee::Column::Id)
        .from(employee::Entity)
        .and_where(employee::Column::Status.eq(super::org::LEFT))
        .to_owned();
    sea_orm::Condition::all().add(user_account::Column::Disabled.eq(false)).add(
        sea_orm::Condition::any()
            .add(user_account::Column::EmployeeId.is_null())
            .add(user_account::Column::EmployeeId.not_in_subquery(left)),
    )
}

/// The user of a live session, in good standing, in one round trip.
pub async fn user_of_live_session<C: ConnectionTrait>(
    c: &C,
    token_hash: &str,
    now: DateTime<Utc>,
) -> StoreResult<Option<user_account::Model>> {
    let live = sea_orm::sea_query::Query::select()
        .column(session::Column::UserId)
        .from(session::Entity)
        .and_where(session::Column::TokenHash.eq(token_hash))
        .and_where(session::Column::ExpiresAt.gt(now))
        .to_owned();
    Ok(user_account::Entity::find()
        .filter(user_account::Column::Id.in_subquery(live))
        .filter(in_good_standing())
        .one(c)
        .await?)
}

/// The account with this id if it is in good standing (may sign in).
pub async fn user_in_good_standing<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<user_account::Model>> {
    Ok(user_account::Entity::find_by_id(id).filter(in_good_standing()).one(c).await?)
}

/// Locks or unlocks an account; true when it changed.
pub async fn set_disabled<C: ConnectionTrait>(c: &C, user: Uuid, disabled: bool) -> StoreResult<bool> {
    let r = user_account::Entity::update_many()
        .col_expr(user_account::Column::Disabled, Expr::value(disabled))
        .filter(user_account::Column::Id.eq(user))
        .filter(user_account::Column::Disabled.ne(disabled))
        .exec(c)
        .await?;
    Ok(r.rows_affected > 0)
}

/// Ends every session and revokes every token of these accounts; how many of each.
pub async fn end_access<C: ConnectionTrait>(c: &C, users: &[Uuid], now: DateTime<Utc>) -> StoreResult<(u64, u64)> {
    if users.is_empty() {
        return Ok((0, 0));
    }
    let sessions = session::Entity::delete_many().filter(session::Column::UserId.is_in(users.to_vec())).exec(c).await?;
    let tokens = api_token::Entity::update_many()
        .col_expr(api_token::Column::RevokedAt, Expr::value(now))
        .filter(api_token::Column::UserId.is_in(users.to_vec()))
        .filter(api_token::Column::RevokedAt.is_null())
        .exec(c)
        .await?;
    Ok((sessions.rows_affected, tokens.rows_affected))
}

/// The accounts of these employees, whatever their standing.
pub async fn accounts_of_employees<C: ConnectionTrait>(c: &C, employees: &[Uuid]) -> StoreResult<Vec<Uuid>> {
    let mut out = Vec::new();
    for chunk in employees.chunks(1000) {
        out.extend(
            user_account::Entity::find()
                .select_only()
                .column(user_account::Column::Id)
                .filter(user_account::Column::EmployeeId.is_in(chunk.to_vec()))
                .into_tuple::<Uuid>()
                .all(c)
                .await?,
        );
    }
    Ok(out)
}

pub async fn delete_session<C: ConnectionTrait>(c: &C, token_hash: &str) -> StoreResult<()> {
    session::Entity::delete_by_id(token_hash.to_string()).exec(c).await?;
    Ok(())
}

pub async fn delete_user_sessions<C: ConnectionTrait>(c: &C, user: Uuid) -> StoreResult<()> {
    session::Entity::delete_many().filter(session::Column::UserId.eq(user)).exec(c).await?;
    Ok(())
}

pub async fn delete_expired_sessions<C: ConnectionTrait>(c: &C, now: DateTime<Utc>) -> StoreResult<u64> {
    Ok(session::Entity::delete_many().filter(session::Column::ExpiresAt.lte(now)).exec(c).await?.rows_affected)
}

// ---- API tokens -----------------------------------------------------------------------------

pub async fn insert_token<C: ConnectionTrait>(c: &C, t: api_token::Model) -> StoreResult<()> {
    api_token::Entity::insert(t.into_active_model()).exec_without_returning(c).await?;
    Ok(())
}

pub async fn tokens_of<C: ConnectionTrait>(c: &C, user: Uuid) -> StoreResult<Vec<api_token::Model>> {
    Ok(api_token::Entity::find()
        .filter(api_token::Column::UserId.eq(user))
        .order_by_desc(api_token::Column::CreatedAt)
        .all(c)
        .await?)
}

pub async fn active_token<C: ConnectionTrait>(c: &C, token_hash: &str) -> StoreResult<Option<api_token::Model>> {
    Ok(api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(token_hash))
        .filter(api_token::Column::RevokedAt.is_null())
        .one(c)
        .await?)
}

pub async fn touch_token<C: ConnectionTrait>(c: &C, id: Uuid, now: DateTime<Utc>) -> StoreResult<()> {
    api_token::Entity::update_many()
        .col_expr(api_token::Column::LastUsedAt, Expr::value(now))
        .filter(api_token::Column::Id.eq(id))
        .exec(c)
        .await?;
    Ok(())
}

/// Revokes a token of `user`; false when there is no such live token.
pub async fn revoke_token<C: ConnectionTrait>(c: &C, user: Uuid, id: Uuid, now: DateTime<Utc>) -> StoreResult<bool> {
    let r = api_token::Entity::update_many()
        .col_expr(api_token::Column::RevokedAt, Expr::value(now))
        .filter(api_token::Column::Id.eq(id))
        .filter(api_token::Column::UserId.eq(user))
        .filter(api_token::Column::RevokedAt.is_null())
        .exec(c)
        .await?;
    Ok(r.rows_affected > 0)
}

// ---- login throttling -----------------------------------------------------------------------

/// Records an attempt as a failure; returns its id (removed again if the password was right).
pub async fn record_login_failure<C: ConnectionTrait>(
    c: &C,
    username: &str,
    ip: &str,
    at: DateTime<Utc>,
) -> StoreResult<Uuid> {
    let id = Uuid::now_v7();
    let row = login_failure::Model { id, username: username.to_string(), ip: ip.to_string(), at };
    login_failure::Entity::insert(row.into_active_model()).exec_without_returning(c).await?;
    Ok(id)
}

/// Serializes sign-in bookkeeping across instances for the rest of the transaction (SQLite
/// already has one writer): counting the failures and recording the attempt are then one step.
pub async fn lock_sign_in_bookkeeping<C: ConnectionTrait>(c: &C) -> StoreResult<()> {
    if c.get_database_backend() == sea_orm::DbBackend::Postgres {
        // An arbitrary, fixed advisory lock number for "sign-in bookkeeping".
        c.execute_unprepared("SELECT pg_advisory_xact_lock(2126021)").await?;
    }
    Ok(())
}

/// Failures since `since` for this username, for this address, and for this username since
/// `recent`.
pub async fn login_failures_since<C: ConnectionTrait>(
    c: &C,
    username: &str,
    ip: &str,
    since: DateTime<Utc>,
    recent: DateTime<Utc>,
) -> StoreResult<(u64, u64, u64)> {
    use login_failure::Column as F;
    use sea_orm::sea_query::Func;
    // One read of the window's rows for this account or address, counted three ways: the
    // counts are taken under the sign-in lock, so every round trip there holds up every sign-in.
    let count_if = |cond: sea_orm::Condition| Expr::expr(Func::sum(Expr::case(cond, 1).finally(0)));
    let row: Option<(Option<i64>, Option<i64>, Option<i64>)> = login_failure::Entity::find()
        .select_only()
        .column_as(count_if(sea_orm::Condition::all().add(F::Username.eq(username))), "by_account")
        .column_as(count_if(sea_orm::Condition::all().add(F::Ip.eq(ip))), "by_address")
        .column_as(
            count_if(sea_orm::Condition::all().add(F::Username.eq(username)).add(F::At.gt(recent))),
            "by_account_recent",
        )
        .filter(F::At.gt(since))
        .filter(sea_orm::Condition::any().add(F::Username.eq(username)).add(F::Ip.eq(ip)))
        .into_tuple()
        .one(c)
        .await?;
    let n = |v: Option<i64>| v.unwrap_or(0).max(0) as u64;
    Ok(row.map(|(a, b, r)| (n(a), n(b), n(r))).unwrap_or_default())
}

/// Failures since `since` by account and by address: (name, failures, last), most first.
pub type FailureCount = (String, u64, DateTime<Utc>);

pub async fn failure_counts<C: ConnectionTrait>(
    c: &C,
    since: DateTime<Utc>,
) -> StoreResult<(Vec<FailureCount>, Vec<FailureCount>)> {
    // Counted by the database, one row per account or address.
    async fn by<C: ConnectionTrait>(
        c: &C,
        since: DateTime<Utc>,
        col: login_failure::Column,
    ) -> StoreResult<Vec<FailureCount>> {
        let rows: Vec<(String, i64, DateTime<Utc>)> = login_failure::Entity::find()
            .select_only()
            .column(col)
            .column_as(Expr::expr(sea_orm::sea_query::Func::count(Expr::col(login_failure::Column::Id))), "failures")
            .column_as(Expr::expr(sea_orm::sea_query::Func::max(Expr::col(login_failure::Column::At))), "last_at")
            .filter(login_failure::Column::At.gt(since))
            .group_by(col)
            .into_tuple()
            .all(c)
            .await?;
        let mut v: Vec<FailureCount> = rows.into_iter().map(|(k, n, at)| (k, n as u64, at)).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        Ok(v)
    }
    Ok((by(c, since, login_failure::Column::Username).await?, by(c, since, login_failure::Column::Ip).await?))
}

/// Removes one recorded attempt (the one just let through turned out right).
pub async fn delete_login_failure<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<()> {
    login_failure::Entity::delete_by_id(id).exec(c).await?;
    Ok(())
}

/// Forgets failures older than `before` (outside every window).
pub async fn purge_login_failures<C: ConnectionTrait>(c: &C, before: DateTime<Utc>) -> StoreResult<()> {
    login_failure::Entity::delete_many().filter(login_failure::Column::At.lt(before)).exec(c).await?;
    Ok(())
}
