//! 1:1s (F-1): series, meetings and what a meeting holds (agenda, shared notes, private notes,
//! action items, linked goals); calendar subscriptions; HR's coaching prompts (F-8).

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Value,
};
use uuid::Uuid;

use crate::StoreResult;
use crate::closure::raw;
use crate::entities::{
    calendar_feed, coaching_prompt, one_on_one, one_on_one_action, one_on_one_agenda, one_on_one_goal,
    one_on_one_private_note, one_on_one_series,
};

pub const SCHEDULED: &str = "scheduled";
pub const HELD: &str = "held";
pub const CANCELLED: &str = "cancelled";

// ---- series -------------------------------------------------------------------------------

pub async fn series<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<one_on_one_series::Model>> {
    Ok(one_on_one_series::Entity::find_by_id(id).one(c).await?)
}

pub async fn series_of_pair<C: ConnectionTrait>(
    c: &C,
    manager: Uuid,
    report: Uuid,
) -> StoreResult<Option<one_on_one_series::Model>> {
    Ok(one_on_one_series::Entity::find()
        .filter(one_on_one_series::Column::ManagerId.eq(manager))
        .filter(one_on_one_series::Column::ReportId.eq(report))
        .one(c)
        .await?)
}

/// The series a person takes part in, as manager or as report.
pub async fn series_of<C: ConnectionTrait>(c: &C, employee: Uuid) -> StoreResult<Vec<one_on_one_series::Model>> {
    Ok(one_on_one_series::Entity::find()
        .filter(
            Condition::any()
                .add(one_on_one_series::Column::ManagerId.eq(employee))
                .add(one_on_one_series::Column::ReportId.eq(employee)),
        )
        .all(c)
        .await?)
}

pub async fn active_series<C: ConnectionTrait>(c: &C) -> StoreResult<Vec<one_on_one_series::Model>> {
    Ok(one_on_one_series::Entity::find().filter(one_on_one_series::Column::Active.eq(true)).all(c).await?)
}

pub async fn insert_series<C: ConnectionTrait>(c: &C, s: one_on_one_series::Model) -> StoreResult<()> {
    one_on_one_series::Entity::insert(s.into_active_model()).exec_without_returning(c).await?;
    Ok(())
}

pub async fn update_series<C: ConnectionTrait>(c: &C, s: one_on_one_series::Model) -> StoreResult<()> {
    s.into_active_model().reset_all().update(c).await?;
    Ok(())
}

// ---- meetings -----------------------------------------------------------------------------

pub async fn meeting<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<one_on_one::Model>> {
    Ok(one_on_one::Entity::find_by_id(id).one(c).await?)
}

/// A series' meetings starting at or after `from`, earliest first.
pub async fn meetings_of_series_from<C: ConnectionTrait>(
    c: &C,
    series: Uuid,
    from: DateTime<Utc>,
) -> StoreResult<Vec<one_on_one::Model>> {
    Ok(one_on_one::Entity::find()
        .filter(one_on_one::Column::SeriesId.eq(series))
        .filter(one_on_one::Column::StartsAt.gte(from))
        .order_by_asc(one_on_one::Column::StartsAt)
        .all(c)
        .await?)
}

/// The meetings of a series just before and just after one starting at `at`.
pub async fn neighbours<C: ConnectionTrait>(
    c: &C,
    series: Uuid,
    at: DateTime<Utc>,
) -> StoreResult<(Option<Uuid>, Option<Uuid>)> {
    let of = || {
        one_on_one::Entity::find()
            .select_only()
            .column(one_on_one::Column::Id)
            .filter(one_on_one::Column::SeriesId.eq(series))
    };
    let before: Option<Uuid> = of()
        .filter(one_on_one::Column::StartsAt.lt(at))
        .order_by_desc(one_on_one::Column::StartsAt)
        .into_tuple()
        .one(c)
        .await?;
    let after: Option<Uuid> = of()
        .filter(one_on_one::Column::StartsAt.gt(at))
        .order_by_asc(one_on_one::Column::StartsAt)
        .into_tuple()
        .one(c)
        .await?;
    Ok((before, after))
}

/// The occurrences a series has made already (to make only the missing ones).
pub async fn occurrences_of<C: ConnectionTrait>(c: &C, series: Uuid) -> StoreResult<Vec<i32>> {
    Ok(one_on_one::Entity::find()
        .select_only()
        .column(one_on_one::Column::Occurrence)
        .filter(one_on_one::Column::SeriesId.eq(series))
        .into_tuple()
        .all(c)
        .await?)
}

/// A person's meetings (as manager or report) starting from `from` to `to`, earliest first.
pub async fn meetings_of<C: ConnectionTrait>(
    c: &C,
    employee: Uuid,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> StoreResult<Vec<one_on_one::Model>> {
    // Two index reads (as manager, as report) rather than one OR.
    let mut out = Vec::new();
    for col in [one_on_one::Column::ManagerId, one_on_one::Column::ReportId] {
        out.extend(
            one_on_one::Entity::find()
                .filter(col.eq(employee))
                .filter(one_on_one::Column::StartsAt.gte(from))
                .filter(one_on_one::Column::StartsAt.lt(to))
                .all(c)
                .await?,
        );
    }
    out.sort_by_key(|m| (m.starts_at, m.id));
    Ok(out)
}

pub async fn insert_meetings<C: ConnectionTrait>(c: &C, rows: Vec<one_on_one::Model>) -> StoreResult<()> {
    for chunk in rows.chunks(200) {
        let chunk: Vec<_> = chunk.iter().cloned().map(IntoActiveModel::into_active_model).collect();
        one_on_one::Entity::insert_many(chunk)
            .on_conflict(
                OnConflict::columns([one_on_one::Column::SeriesId, one_on_one::Column::Occurrence])
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(c)
            .await?;
    }
    Ok(())
}

pub async fn update_meeting<C: ConnectionTrait>(c: &C, m: one_on_one::Model) -> StoreResult<()> {
    m.into_active_model().reset_all().update(c).await?;
    Ok(())
}

pub async fn delete_meetings<C: ConnectionTrait>(c: &C, ids: &[Uuid]) -> StoreResult<()> {
    if !ids.is_empty() {
        one_on_one::Entity::delete_many().filter(one_on_one::Column::Id.is_in(ids.to_vec())).exec(c).await?;
    }
    Ok(())
}

/// Meetings of these series that hold something (agenda items, notes, private notes, action
/// items or goals): a change of cadence keeps them.
pub async fn meetings_with_content<C: ConnectionTrait>(c: &C, ids: &[Uuid]) -> StoreResult<Vec<Uuid>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let b = c.get_database_backend();
    let marks: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let list = marks.join(",");
    let sql = format!(
        "SELECT meeting_id AS id FROM one_on_one_agenda WHERE meeting_id IN ({list})
         UNION SELECT meeting_id FROM one_on_one_private_note WHERE meeting_id IN ({list})
         UNION SELECT meeting_id FROM one_on_one_action WHERE meeting_id IN ({list})
         UNION SELECT meeting_id FROM one_on_one_goal WHERE meeting_id IN ({list})
         UNION SELECT id FROM one_on_one WHERE id IN ({list}) AND shared_notes <> ''"
    );
    #[derive(FromQueryResult)]
    struct Id {
        id: Uuid,
    }
    let values: Vec<Value> = ids.iter().map(|i| Value::from(*i)).collect();
    Ok(Id::find_by_statement(raw(b, &sql, values)).all(c).await?.into_iter().map(|r| r.id).collect())
}

/// Held 1:1s per report of `manager` with a start in `[from, to)`: the follow-up rate's 1:1s.
pub async fn held_by_report<C: ConnectionTrait>(
    c: &C,
    manager: Uuid,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> StoreResult<Vec<(Uuid, i64)>> {
    Ok(one_on_one::Entity::find()
        .select_only()
        .column(one_on_one::Column::ReportId)
        .column_as(one_on_one::Column::Id.count(), "n")
        .filter(one_on_one::Column::ManagerId.eq(manager))
        .filter(one_on_one::Column::State.eq(HELD))
        .filter(one_on_one::Column::StartsAt.gte(from))
        .filter(one_on_one::Column::StartsAt.lt(to))
        .group_by(one_on_one::Column::ReportId)
        .into_tuple()
        .all(c)
        .await?)
}

// ---- agenda -------------------------------------------------------------------------------

pub async fn agenda<C: ConnectionTrait>(c: &C, meeting: Uuid) -> StoreResult<Vec<one_on_one_agenda::Model>> {
    Ok(one_on_one_agenda::Entity::find()
        .filter(one_on_one_agenda::Column::MeetingId.eq(meeting))
        .order_by_asc(one_on_one_agenda::Column::Position)
        .order_by_asc(one_on_one_agenda::Column::CreatedAt)
        .all(c)
        .await?)
}

pub async fn agenda_item<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<one_on_one_agenda::Model>> {
    Ok(one_on_one_agenda::Entity::find_by_id(id).one(c).await?)
}

pub async fn insert_agenda_item<C: ConnectionTrait>(c: &C, a: one_on_one_agenda::Model) -> StoreResult<()> {
    one_on_one_agenda::Entity::insert(a.into_active_model()).exec_without_returning(c).await?;
    Ok(())
}

pub async fn update_agenda_item<C: ConnectionTrait>(c: &C, a: one_on_one_agenda::Model) -> StoreResult<()> {
    a.into_active_model().reset_all().update(c).await?;
    Ok(())
}

pub async fn delete_agenda_item<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<()> {
    one_on_one_agenda::Entity::delete_by_id(id).exec(c).await?;
    Ok(())
}

// ---- private notes ------------------------------------------------------------------------

/// The author's own private note on a meeting; there is no read of anyone else's.
pub async fn private_note<C: ConnectionTrait>(
    c: &C,
    meeting: Uuid,
    author: Uuid,
) -> StoreResult<Option<one_on_one_private_note::Model>> {
    Ok(one_on_one_private_note::Entity::find_by_id((meeting, author)).one(c).await?)
}

pub async fn put_private_note<C: ConnectionTrait>(c: &C, n: one_on_one_private_note::Model) -> StoreResult<()> {
    use one_on_one_private_note::Column as N;
    one_on_one_private_note::Entity::insert(n.into_active_model())
        .on_conflict(
            OnConflict::columns([N::MeetingId, N::AuthorId]).update_columns([N::Text, N::UpdatedAt]).to_owned(),
        )
        .exec_without_returning(c)
        .await?;
    Ok(())
}

// ---- action items -------------------------------------------------------------------------

/// A series' action items still open, and those done in or since `meeting` was agreed — what
/// a meeting shows: the open ones carried forward, and what was closed there.
pub async fn actions_of_series<C: ConnectionTrait>(c: &C, series: Uuid) -> StoreResult<Vec<one_on_one_action::Model>> {
    Ok(one_on_one_action::Entity::find()
        .filter(one_on_one_action::Column::SeriesId.eq(series))
        .order_by_asc(one_on_one_action::Column::CreatedAt)
        .all(c)
        .await?)
}

pub async fn action<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<one_on_one_action::Model>> {
    Ok(one_on_one_action::Entity::find_by_id(id).one(c).await?)
}

pub async fn actions_agreed_in<C: ConnectionTrait>(c: &C, meeting: Uuid) -> StoreResult<u64> {
    Ok(one_on_one_action::Entity::find().filter(one_on_one_action::Column::MeetingId.eq(meeting)).count(c).await?)
}

pub async fn insert_action<C: ConnectionTrait>(c: &C, a: one_on_one_action::Model) -> StoreResult<()> {
    one_on_one_action::Entity::insert(a.into_active_model()).exec_without_returning(c).await?;
    Ok(())
}

pub async fn update_action<C: ConnectionTrait>(c: &C, a: one_on_one_action::Model) -> StoreResult<()> {
    a.into_active_model().reset_all().update(c).await?;
    Ok(())
}

// ---- linked goals -------------------------------------------------------------------------

pub async fn goals_of_meeting<C: ConnectionTrait>(c: &C, meeting: Uuid) -> StoreResult<Vec<Uuid>> {
    Ok(one_on_one_goal::Entity::find()
        .select_only()
        .column(one_on_one_goal::Column::GoalId)
        .filter(one_on_one_goal::Column::MeetingId.eq(meeting))
        .order_by_asc(one_on_one_goal::Column::AddedAt)
        .into_tuple()
        .all(c)
        .await?)
}

/// Links a goal; false if it was linked already.
pub async fn link_goal<C: ConnectionTrait>(c: &C, l: one_on_one_goal::Model) -> StoreResult<bool> {
    use one_on_one_goal::Column as G;
    let n = one_on_one_goal::Entity::insert(l.into_active_model())
        .on_conflict(OnConflict::columns([G::MeetingId, G::GoalId]).do_nothing().to_owned())
        .exec_without_returning(c)
        .await?;
    Ok(n > 0)
}

pub async fn unlink_goal<C: ConnectionTrait>(c: &C, meeting: Uuid, goal: Uuid) -> StoreResult<bool> {
    let r = one_on_one_goal::Entity::delete_by_id((meeting, goal)).exec(c).await?;
    Ok(r.rows_affected > 0)
}

// ---- calendar feeds -----------------------------------------------------------------------

pub async fn feed_user<C: ConnectionTrait>(c: &C, token_hash: &str) -> StoreResult<Option<Uuid>> {
    Ok(calendar_feed::Entity::find()
        .filter(calendar_feed::Column::TokenHash.eq(token_hash))
        .one(c)
        .await?
        .map(|f| f.user_id))
}

pub async fn feed_of<C: ConnectionTrait>(c: &C, user: Uuid) -> StoreResult<Option<calendar_feed::Model>> {
    Ok(calendar_feed::Entity::find_by_id(user).one(c).await?)
}

/// Sets a user's feed secret, replacing the one before (whose URL then stops working).
pub async fn put_feed<C: ConnectionTrait>(c: &C, f: calendar_feed::Model) -> StoreResult<()> {
    use calendar_feed::Column as F;
    calendar_feed::Entity::insert(f.into_active_model())
        .on_conflict(OnConflict::column(F::UserId).update_columns([F::TokenHash, F::CreatedAt]).to_owned())
        .exec_without_returning(c)
        .await?;
    Ok(())
}

pub async fn delete_feed<C: ConnectionTrait>(c: &C, user: Uuid) -> StoreResult<bool> {
    Ok(calendar_feed::Entity::delete_by_id(user).exec(c).await?.rows_affected > 0)
}

// ---- coaching prompts ---------------------------------------------------------------------

pub async fn prompts<C: ConnectionTrait>(c: &C) -> StoreResult<Vec<coaching_prompt::Model>> {
    Ok(coaching_prompt::Entity::find().order_by_asc(coaching_prompt::Column::CreatedAt).all(c).await?)
}

pub async fn prompt<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<coaching_prompt::Model>> {
    Ok(coaching_prompt::Entity::find_by_id(id).one(c).await?)
}

pub async fn insert_prompt<C: ConnectionTrait>(c: &C, p: coaching_prompt::Model) -> StoreResult<()> {
    coaching_prompt::Entity::insert(p.into_active_model()).exec_without_returning(c).await?;
    Ok(())
}

pub async fn update_prompt<C: ConnectionTrait>(c: &C, p: coaching_prompt::Model) -> StoreResult<()> {
    p.into_active_model().reset_all().update(c).await?;
    Ok(())
}
