//! The light 360 (F-6). The marks of those who answered and the answers are written and read
//! apart: no function here returns or takes both for one person.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use waymark_domain::light360::Survey;

use crate::entities::{light360, light360_answered, light360_invitee, light360_response};
use crate::{StoreError, StoreResult};

/// Questions or a mark key that do not read are refused: read as none, the questions would
/// show an empty survey, and an empty key would make every answered mark guessable.
fn to_survey(m: light360::Model) -> StoreResult<Survey> {
    Ok(Survey {
        id: m.id,
        subject_id: m.subject_id,
        creator_id: m.creator_id,
        project: m.project,
        ended_on: m.ended_on,
        closes_on: m.closes_on,
        questions: serde_json::from_str(&m.questions).map_err(|_| StoreError::Corrupt("light 360 questions"))?,
        mark_key: hex::decode(&m.mark_key)
            .ok()
            .filter(|k| !k.is_empty())
            .ok_or(StoreError::Corrupt("light 360 mark key"))?,
        created_at: m.created_at,
        closed_at: m.closed_at,
    })
}

fn to_surveys(rows: Vec<light360::Model>) -> StoreResult<Vec<Survey>> {
    rows.into_iter().map(to_survey).collect()
}

pub async fn insert_survey<C: ConnectionTrait>(c: &C, s: Survey, invitees: &[Uuid]) -> StoreResult<()> {
    let id = s.id;
    let row = light360::Model {
        id: s.id,
        subject_id: s.subject_id,
        creator_id: s.creator_id,
        project: s.project,
        ended_on: s.ended_on,
        closes_on: s.closes_on,
        questions: serde_json::to_string(&s.questions).unwrap_or_else(|_| "[]".into()),
        mark_key: hex::encode(&s.mark_key),
        created_at: s.created_at,
        closed_at: s.closed_at,
    };
    light360::Entity::insert(row.into_active_model()).exec_without_returning(c).await?;
    let rows = invitees.iter().map(|e| light360_invitee::Model { survey_id: id, employee_id: *e }.into_active_model());
    light360_invitee::Entity::insert_many(rows).exec_without_returning(c).await?;
    Ok(())
}

pub async fn survey<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<Survey>> {
    light360::Entity::find_by_id(id).one(c).await?.map(to_survey).transpose()
}

pub async fn invitees<C: ConnectionTrait>(c: &C, survey: Uuid) -> StoreResult<Vec<Uuid>> {
    Ok(light360_invitee::Entity::find()
        .select_only()
        .column(light360_invitee::Column::EmployeeId)
        .filter(light360_invitee::Column::SurveyId.eq(survey))
        .into_tuple()
        .all(c)
        .await?)
}

/// Surveys about `subject` or set up by `creator`, newest first.
pub async fn surveys_about_or_by<C: ConnectionTrait>(c: &C, person: Uuid, limit: u64) -> StoreResult<Vec<Survey>> {
    to_surveys(
        light360::Entity::find()
            .filter(light360::Column::SubjectId.eq(person).or(light360::Column::CreatorId.eq(person)))
            .order_by_desc(light360::Column::CreatedAt)
            .limit(limit)
            .all(c)
            .await?,
    )
}

/// Surveys `person` is invited to whose last day is `today` or later, soonest closing first.
pub async fn open_invitations<C: ConnectionTrait>(c: &C, person: Uuid, today: NaiveDate) -> StoreResult<Vec<Survey>> {
    let ids: Vec<Uuid> = light360_invitee::Entity::find()
        .select_only()
        .column(light360_invitee::Column::SurveyId)
        .filter(light360_invitee::Column::EmployeeId.eq(person))
        .into_tuple()
        .all(c)
        .await?;
    to_surveys(
        light360::Entity::find()
            .filter(light360::Column::Id.is_in(ids))
            .filter(light360::Column::ClosesOn.gte(today))
            .filter(light360::Column::ClosedAt.is_null())
            .order_by_asc(light360::Column::ClosesOn)
            .all(c)
            .await?,
    )
}

/// Leaves a mark; false when it was already there (a second answer).
pub async fn leave_mark<C: ConnectionTrait>(c: &C, survey: Uuid, mark: String) -> StoreResult<bool> {
    let r = light360_answered::Entity::insert(light360_answered::Model { survey_id: survey, mark }.into_active_model())
        .on_conflict(
            OnConflict::columns([light360_answered::Column::SurveyId, light360_answered::Column::Mark])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(c)
        .await?;
    Ok(r == 1)
}

pub async fn has_mark<C: ConnectionTrait>(c: &C, survey: Uuid, mark: &str) -> StoreResult<bool> {
    Ok(light360_answered::Entity::find_by_id((survey, mark.to_string())).one(c).await?.is_some())
}

pub async fn insert_response<C: ConnectionTrait>(c: &C, survey: Uuid, id: Uuid, answers: String) -> StoreResult<()> {
    let row = light360_response::Model { survey_id: survey, id, answers };
    light360_response::Entity::insert(row.into_active_model()).exec_without_returning(c).await?;
    Ok(())
}

pub async fn response_count<C: ConnectionTrait>(c: &C, survey: Uuid) -> StoreResult<u64> {
    Ok(light360_response::Entity::find().filter(light360_response::Column::SurveyId.eq(survey)).count(c).await?)
}

/// The answers, in the order of their random ids.
pub async fn responses<C: ConnectionTrait>(c: &C, survey: Uuid) -> StoreResult<Vec<String>> {
    Ok(light360_response::Entity::find()
        .select_only()
        .column(light360_response::Column::Answers)
        .filter(light360_response::Column::SurveyId.eq(survey))
        .order_by_asc(light360_response::Column::Id)
        .into_tuple()
        .all(c)
        .await?)
}

/// Closes an open survey; false when it was already closed.
pub async fn close<C: ConnectionTrait>(c: &C, survey: Uuid, now: DateTime<Utc>) -> StoreResult<bool> {
    let r = light360::Entity::update_many()
        .col_expr(light360::Column::ClosedAt, Expr::value(Some(now)))
        .filter(light360::Column::Id.eq(survey))
        .filter(light360::Column::ClosedAt.is_null())
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}
