//! 1:1s (F-1): series, meetings and what a meeting holds (agenda, shared notes, private notes,
//! action items, linked goals); calendar subscriptions; HR's coaching prompts (F-8).

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Value,
};
use uuid::Uuid;

use waymark_domain::coaching::{Prompt, Topic};
use waymark_domain::one_on_one::{
    ActionItem, AgendaItem, Cadence, CalendarFeed, GoalLink, Meeting, MeetingState, PrivateNote, Series,
};

use crate::closure::raw;
use crate::entities::{
    calendar_feed, coaching_prompt, one_on_one, one_on_one_action, one_on_one_agenda, one_on_one_goal,
    one_on_one_private_note, one_on_one_series,
};
use crate::{StoreError, StoreResult};

// ---- the mapping: the only place that knows the stored codes ------------------------------
// A cadence, a meeting's state or a prompt's topic the app does not know is refused as corrupt:
// each decides what happens next (the meetings a series makes, whether a meeting can be held or
// counts as held, where a question is shown), and a guess would change it.

fn to_series(m: one_on_one_series::Model) -> StoreResult<Series> {
    Ok(Series {
        id: m.id,
        manager_id: m.manager_id,
        report_id: m.report_id,
        cadence: Cadence::parse(&m.cadence).ok_or(StoreError::Corrupt("1:1 cadence"))?,
        first_at: m.first_at,
        first_occurrence: m.first_occurrence,
        duration_min: m.duration_min,
        location: m.location,
        active: m.active,
        created_by: m.created_by,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn series_row(s: Series) -> one_on_one_series::Model {
    one_on_one_series::Model {
        id: s.id,
        manager_id: s.manager_id,
        report_id: s.report_id,
        cadence: s.cadence.code().into(),
        first_at: s.first_at,
        first_occurrence: s.first_occurrence,
        duration_min: s.duration_min,
        location: s.location,
        active: s.active,
        created_by: s.created_by,
        created_at: s.created_at,
        updated_at: s.updated_at,
    }
}

fn to_series_list(rows: Vec<one_on_one_series::Model>) -> StoreResult<Vec<Series>> {
    rows.into_iter().map(to_series).collect()
}

fn to_meeting(m: one_on_one::Model) -> StoreResult<Meeting> {
    Ok(Meeting {
        id: m.id,
        series_id: m.series_id,
        manager_id: m.manager_id,
        report_id: m.report_id,
        occurrence: m.occurrence,
        starts_at: m.starts_at,
        duration_min: m.duration_min,
        state: MeetingState::parse(&m.state).ok_or(StoreError::Corrupt("1:1 state"))?,
        moved: m.moved,
        shared_notes: m.shared_notes,
        notes_by: m.notes_by,
        notes_at: m.notes_at,
        held_at: m.held_at,
        sequence: m.sequence,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn meeting_row(m: Meeting) -> one_on_one::Model {
    one_on_one::Model {
        id: m.id,
        series_id: m.series_id,
        manager_id: m.manager_id,
        report_id: m.report_id,
        occurrence: m.occurrence,
        starts_at: m.starts_at,
        duration_min: m.duration_min,
        state: m.state.code().into(),
        moved: m.moved,
        shared_notes: m.shared_notes,
        notes_by: m.notes_by,
        notes_at: m.notes_at,
        held_at: m.held_at,
        sequence: m.sequence,
        created_at: m.created_at,
        updated_at: m.updated_at,
    }
}

fn to_meetings(rows: Vec<one_on_one::Model>) -> StoreResult<Vec<Meeting>> {
    rows.into_iter().map(to_meeting).collect()
}

fn to_agenda_item(a: one_on_one_agenda::Model) -> AgendaItem {
    AgendaItem {
        id: a.id,
        meeting_id: a.meeting_id,
        author_id: a.author_id,
        text: a.text,
        position: a.position,
        discussed: a.discussed,
        created_at: a.created_at,
    }
}

fn agenda_row(a: AgendaItem) -> one_on_one_agenda::Model {
    one_on_one_agenda::Model {
        id: a.id,
        meeting_id: a.meeting_id,
        author_id: a.author_id,
        text: a.text,
        position: a.position,
        discussed: a.discussed,
        created_at: a.created_at,
    }
}

fn to_action(a: one_on_one_action::Model) -> ActionItem {
    ActionItem {
        id: a.id,
        series_id: a.series_id,
        meeting_id: a.meeting_id,
        owner_id: a.owner_id,
        text: a.text,
        due_on: a.due_on,
        done_at: a.done_at,
        done_by: a.done_by,
        created_by: a.created_by,
        created_at: a.created_at,
    }
}

fn action_row(a: ActionItem) -> one_on_one_action::Model {
    one_on_one_action::Model {
        id: a.id,
        series_id: a.series_id,
        meeting_id: a.meeting_id,
        owner_id: a.owner_id,
        text: a.text,
        due_on: a.due_on,
        done_at: a.done_at,
        done_by: a.done_by,
        created_by: a.created_by,
        created_at: a.created_at,
    }
}

fn to_prompt(p: coaching_prompt::Model) -> StoreResult<Prompt> {
    Ok(Prompt {
        id: p.id,
        topic: Topic::parse(&p.category).ok_or(StoreError::Corrupt("coaching question topic"))?,
        text_zh: p.text_zh,
        text_en: p.text_en,
        active: p.active,
        created_by: p.created_by,
        created_at: p.created_at,
    })
}

fn prompt_row(p: Prompt) -> coaching_prompt::Model {
    coaching_prompt::Model {
        id: p.id,
        category: p.topic.code().into(),
        text_zh: p.text_zh,
        text_en: p.text_en,
        active: p.active,
        created_by: p.created_by,
        created_at: p.created_at,
    }
}

// ---- series -------------------------------------------------------------------------------

pub async fn series<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<Series>> {
    one_on_one_series::Entity::find_by_id(id).one(c).await?.map(to_series).transpose()
}

pub async fn series_of_pair<C: ConnectionTrait>(c: &C, manager: Uuid, report: Uuid) -> StoreResult<Option<Series>> {
    one_on_one_series::Entity::find()
        .filter(one_on_one_series::Column::ManagerId.eq(manager))
        .filter(one_on_one_series::Column::ReportId.eq(report))
        .one(c)
        .await?
        .map(to_series)
        .transpose()
}

/// The series a person takes part in, as manager or as report.
pub async fn series_of<C: ConnectionTrait>(c: &C, employee: Uuid) -> StoreResult<Vec<Series>> {
    to_series_list(
        one_on_one_series::Entity::find()
            .filter(
                Condition::any()
                    .add(one_on_one_series::Column::ManagerId.eq(employee))
                    .add(one_on_one_series::Column::ReportId.eq(employee)),
            )
            .all(c)
            .await?,
    )
}

pub async fn active_series<C: ConnectionTrait>(c: &C) -> StoreResult<Vec<Series>> {
    to_series_list(one_on_one_series::Entity::find().filter(one_on_one_series::Column::Active.eq(true)).all(c).await?)
}

pub async fn insert_series<C: ConnectionTrait>(c: &C, s: Series) -> StoreResult<()> {
    one_on_one_series::Entity::insert(series_row(s).into_active_model()).exec_without_returning(c).await?;
    Ok(())
}

pub async fn update_series<C: ConnectionTrait>(c: &C, s: Series) -> StoreResult<()> {
    series_row(s).into_active_model().reset_all().update(c).await?;
    Ok(())
}

// ---- meetings -----------------------------------------------------------------------------

pub async fn meeting<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<Meeting>> {
    one_on_one::Entity::find_by_id(id).one(c).await?.map(to_meeting).transpose()
}

/// A series' meetings starting at or after `from`, earliest first.
pub async fn meetings_of_series_from<C: ConnectionTrait>(
    c: &C,
    series: Uuid,
    from: DateTime<Utc>,
) -> StoreResult<Vec<Meeting>> {
    to_meetings(
        one_on_one::Entity::find()
            .filter(one_on_one::Column::SeriesId.eq(series))
            .filter(one_on_one::Column::StartsAt.gte(from))
            .order_by_asc(one_on_one::Column::StartsAt)
            .all(c)
            .await?,
    )
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
) -> StoreResult<Vec<Meeting>> {
    // Two index reads (as manager, as report) rather than one OR.
    let mut out = Vec::new();
    for col in [one_on_one::Column::ManagerId, one_on_one::Column::ReportId] {
        out.extend(to_meetings(
            one_on_one::Entity::find()
                .filter(col.eq(employee))
                .filter(one_on_one::Column::StartsAt.gte(from))
                .filter(one_on_one::Column::StartsAt.lt(to))
                .all(c)
                .await?,
        )?);
    }
    out.sort_by_key(|m| (m.starts_at, m.id));
    Ok(out)
}

pub async fn insert_meetings<C: ConnectionTrait>(c: &C, meetings: Vec<Meeting>) -> StoreResult<()> {
    let rows: Vec<one_on_one::Model> = meetings.into_iter().map(meeting_row).collect();
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

pub async fn update_meeting<C: ConnectionTrait>(c: &C, m: Meeting) -> StoreResult<()> {
    meeting_row(m).into_active_model().reset_all().update(c).await?;
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
        .filter(one_on_one::Column::State.eq(MeetingState::Held.code()))
        .filter(one_on_one::Column::StartsAt.gte(from))
        .filter(one_on_one::Column::StartsAt.lt(to))
        .group_by(one_on_one::Column::ReportId)
        .into_tuple()
        .all(c)
        .await?)
}

// ---- agenda -------------------------------------------------------------------------------

pub async fn agenda<C: ConnectionTrait>(c: &C, meeting: Uuid) -> StoreResult<Vec<AgendaItem>> {
    Ok(one_on_one_agenda::Entity::find()
        .filter(one_on_one_agenda::Column::MeetingId.eq(meeting))
        .order_by_asc(one_on_one_agenda::Column::Position)
        .order_by_asc(one_on_one_agenda::Column::CreatedAt)
        .all(c)
        .await?
        .into_iter()
        .map(to_agenda_item)
        .collect())
}

pub async fn agenda_item<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<AgendaItem>> {
    Ok(one_on_one_agenda::Entity::find_by_id(id).one(c).await?.map(to_agenda_item))
}

pub async fn insert_agenda_item<C: ConnectionTrait>(c: &C, a: AgendaItem) -> StoreResult<()> {
    one_on_one_agenda::Entity::insert(agenda_row(a).into_active_model()).exec_without_returning(c).await?;
    Ok(())
}

pub async fn update_agenda_item<C: ConnectionTrait>(c: &C, a: AgendaItem) -> StoreResult<()> {
    agenda_row(a).into_active_model().reset_all().update(c).await?;
    Ok(())
}

pub async fn delete_agenda_item<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<()> {
    one_on_one_agenda::Entity::delete_by_id(id).exec(c).await?;
    Ok(())
}

// ---- private notes ------------------------------------------------------------------------

/// The author's own private note on a meeting; there is no read of anyone else's.
pub async fn private_note<C: ConnectionTrait>(c: &C, meeting: Uuid, author: Uuid) -> StoreResult<Option<PrivateNote>> {
    Ok(one_on_one_private_note::Entity::find_by_id((meeting, author)).one(c).await?.map(|n| PrivateNote {
        meeting_id: n.meeting_id,
        author_id: n.author_id,
        text: n.text,
        updated_at: n.updated_at,
    }))
}

pub async fn put_private_note<C: ConnectionTrait>(c: &C, n: PrivateNote) -> StoreResult<()> {
    use one_on_one_private_note::Column as N;
    let row = one_on_one_private_note::Model {
        meeting_id: n.meeting_id,
        author_id: n.author_id,
        text: n.text,
        updated_at: n.updated_at,
    };
    one_on_one_private_note::Entity::insert(row.into_active_model())
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
pub async fn actions_of_series<C: ConnectionTrait>(c: &C, series: Uuid) -> StoreResult<Vec<ActionItem>> {
    Ok(one_on_one_action::Entity::find()
        .filter(one_on_one_action::Column::SeriesId.eq(series))
        .order_by_asc(one_on_one_action::Column::CreatedAt)
        .all(c)
        .await?
        .into_iter()
        .map(to_action)
        .collect())
}

pub async fn action<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<ActionItem>> {
    Ok(one_on_one_action::Entity::find_by_id(id).one(c).await?.map(to_action))
}

pub async fn actions_agreed_in<C: ConnectionTrait>(c: &C, meeting: Uuid) -> StoreResult<u64> {
    Ok(one_on_one_action::Entity::find().filter(one_on_one_action::Column::MeetingId.eq(meeting)).count(c).await?)
}

pub async fn insert_action<C: ConnectionTrait>(c: &C, a: ActionItem) -> StoreResult<()> {
    one_on_one_action::Entity::insert(action_row(a).into_active_model()).exec_without_returning(c).await?;
    Ok(())
}

pub async fn update_action<C: ConnectionTrait>(c: &C, a: ActionItem) -> StoreResult<()> {
    action_row(a).into_active_model().reset_all().update(c).await?;
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
pub async fn link_goal<C: ConnectionTrait>(c: &C, l: GoalLink) -> StoreResult<bool> {
    use one_on_one_goal::Column as G;
    let row = one_on_one_goal::Model {
        meeting_id: l.meeting_id,
        goal_id: l.goal_id,
        added_by: l.added_by,
        added_at: l.added_at,
    };
    let n = one_on_one_goal::Entity::insert(row.into_active_model())
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

pub async fn feed_of<C: ConnectionTrait>(c: &C, user: Uuid) -> StoreResult<Option<CalendarFeed>> {
    Ok(calendar_feed::Entity::find_by_id(user).one(c).await?.map(|f| CalendarFeed {
        user_id: f.user_id,
        token_hash: f.token_hash,
        created_at: f.created_at,
    }))
}

/// Sets a user's feed secret, replacing the one before (whose URL then stops working).
pub async fn put_feed<C: ConnectionTrait>(c: &C, f: CalendarFeed) -> StoreResult<()> {
    use calendar_feed::Column as F;
    let row = calendar_feed::Model { user_id: f.user_id, token_hash: f.token_hash, created_at: f.created_at };
    calendar_feed::Entity::insert(row.into_active_model())
        .on_conflict(OnConflict::column(F::UserId).update_columns([F::TokenHash, F::CreatedAt]).to_owned())
        .exec_without_returning(c)
        .await?;
    Ok(())
}

pub async fn delete_feed<C: ConnectionTrait>(c: &C, user: Uuid) -> StoreResult<bool> {
    Ok(calendar_feed::Entity::delete_by_id(user).exec(c).await?.rows_affected > 0)
}

// ---- coaching prompts ---------------------------------------------------------------------

pub async fn prompts<C: ConnectionTrait>(c: &C) -> StoreResult<Vec<Prompt>> {
    coaching_prompt::Entity::find()
        .order_by_asc(coaching_prompt::Column::CreatedAt)
        .all(c)
        .await?
        .into_iter()
        .map(to_prompt)
        .collect()
}

pub async fn prompt<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<Prompt>> {
    coaching_prompt::Entity::find_by_id(id).one(c).await?.map(to_prompt).transpose()
}

pub async fn insert_prompt<C: ConnectionTrait>(c: &C, p: Prompt) -> StoreResult<()> {
    coaching_prompt::Entity::insert(prompt_row(p).into_active_model()).exec_without_returning(c).await?;
    Ok(())
}

pub async fn update_prompt<C: ConnectionTrait>(c: &C, p: Prompt) -> StoreResult<()> {
    prompt_row(p).into_active_model().reset_all().update(c).await?;
    Ok(())
}
