//! Reviews (V-1 … V-3): templates with their items, cycles with their stages, participants
//! and the reviews about them with their ratings.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;

use crate::entities::{
    calibration_move, calibration_session, feedback, goal, goal_owner, review, review_cycle, review_item,
    review_participant, review_rating, review_stage, review_template,
};
use crate::{StoreError, StoreResult, memo};
use waymark_domain::reviews::cycle::{CycleState, ReviewCycle, Stage, StageDates};
use waymark_domain::reviews::review::{Review, ReviewState};
use waymark_domain::reviews::scoring::Source;

/// Rows per multi-row insert: well inside both backends' limits on bound parameters.
const CHUNK: usize = 500;

// ---- templates ------------------------------------------------------------------------------

pub async fn templates<C: ConnectionTrait>(c: &C) -> StoreResult<Vec<review_template::Model>> {
    Ok(review_template::Entity::find().order_by_asc(review_template::Column::Name).all(c).await?)
}

pub async fn template<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<review_template::Model>> {
    memo::once(
        || memo::ids_key("review template", &[id]),
        || async { Ok(review_template::Entity::find_by_id(id).one(c).await?) },
    )
    .await
}

pub async fn items<C: ConnectionTrait>(c: &C, templates: &[Uuid]) -> StoreResult<Vec<review_item::Model>> {
    Ok(review_item::Entity::find()
        .filter(review_item::Column::TemplateId.is_in(templates.iter().copied()))
        .order_by_asc(review_item::Column::TemplateId)
        .order_by_asc(review_item::Column::Position)
        .all(c)
        .await?)
}

/// Writes a template with its items; an existing template's items are replaced (only while no
/// cycle uses it: ratings hang on the items).
pub async fn save_template<C: ConnectionTrait>(
    c: &C,
    t: review_template::Model,
    items: Vec<review_item::Model>,
    new: bool,
) -> StoreResult<()> {
    let id = t.id;
    if new {
        review_template::Entity::insert(t.into_active_model()).exec_without_returning(c).await?;
    } else {
        t.into_active_model().reset_all().update(c).await?;
        review_item::Entity::delete_many().filter(review_item::Column::TemplateId.eq(id)).exec(c).await?;
    }
    if !items.is_empty() {
        review_item::Entity::insert_many(items.into_iter().map(|i| i.into_active_model()))
            .exec_without_returning(c)
            .await?;
    }
    Ok(())
}

/// Whether any cycle reviews someone under the template.
pub async fn template_in_use<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<bool> {
    let cycles = review_cycle::Entity::find().filter(review_cycle::Column::TemplateId.eq(id)).count(c).await?;
    let participants =
        review_participant::Entity::find().filter(review_participant::Column::TemplateId.eq(id)).count(c).await?;
    Ok(cycles + participants > 0)
}

// ---- cycles ---------------------------------------------------------------------------------

fn to_cycle(m: review_cycle::Model) -> StoreResult<ReviewCycle> {
    Ok(ReviewCycle {
        id: m.id,
        name: m.name,
        period_id: m.period_id,
        template_id: m.template_id,
        units: serde_json::from_str(&m.units).map_err(|_| StoreError::Corrupt("review cycle units"))?,
        filter: serde_json::from_str(&m.filter).map_err(|_| StoreError::Corrupt("review cycle filter"))?,
        state: CycleState::parse(&m.state).ok_or(StoreError::Corrupt("review cycle state"))?,
        created_by: m.created_by,
        created_at: m.created_at,
        launched_at: m.launched_at,
    })
}

fn cycle_row(cy: ReviewCycle) -> review_cycle::Model {
    review_cycle::Model {
        id: cy.id,
        name: cy.name,
        period_id: cy.period_id,
        template_id: cy.template_id,
        units: serde_json::to_string(&cy.units).unwrap_or_else(|_| "[]".into()),
        filter: serde_json::to_string(&cy.filter).unwrap_or_else(|_| "{}".into()),
        state: cy.state.code().into(),
        created_by: cy.created_by,
        created_at: cy.created_at,
        launched_at: cy.launched_at,
    }
}

fn stage_rows(cycle: Uuid, stages: &[StageDates]) -> impl Iterator<Item = review_stage::ActiveModel> + '_ {
    stages.iter().map(move |s| {
        review_stage::Model {
            cycle_id: cycle,
            stage: s.stage.code().into(),
            opens_on: s.opens_on,
            closes_on: s.closes_on,
        }
        .into_active_model()
    })
}

pub async fn insert_cycle<C: ConnectionTrait>(c: &C, cycle: ReviewCycle, stages: &[StageDates]) -> StoreResult<()> {
    let id = cycle.id;
    review_cycle::Entity::insert(cycle_row(cycle).into_active_model()).exec_without_returning(c).await?;
    review_stage::Entity::insert_many(stage_rows(id, stages)).exec_without_returning(c).await?;
    Ok(())
}

pub async fn update_cycle<C: ConnectionTrait>(c: &C, cycle: ReviewCycle) -> StoreResult<()> {
    cycle_row(cycle).into_active_model().reset_all().update(c).await?;
    Ok(())
}

pub async fn replace_stages<C: ConnectionTrait>(c: &C, cycle: Uuid, stages: &[StageDates]) -> StoreResult<()> {
    review_stage::Entity::delete_many().filter(review_stage::Column::CycleId.eq(cycle)).exec(c).await?;
    review_stage::Entity::insert_many(stage_rows(cycle, stages)).exec_without_returning(c).await?;
    Ok(())
}

/// Every cycle, newest first (read once per page inside [`crate::memo::within`], as are
/// `cycle`, `stages_of` and `participations_of`).
pub async fn cycles<C: ConnectionTrait>(c: &C) -> StoreResult<Vec<ReviewCycle>> {
    memo::once(
        || "review cycles".into(),
        || async {
            review_cycle::Entity::find()
                .order_by_desc(review_cycle::Column::CreatedAt)
                .all(c)
                .await?
                .into_iter()
                .map(to_cycle)
                .collect()
        },
    )
    .await
}

pub async fn cycle<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<ReviewCycle>> {
    memo::once(
        || memo::ids_key("review cycle", &[id]),
        || async { review_cycle::Entity::find_by_id(id).one(c).await?.map(to_cycle).transpose() },
    )
    .await
}

/// The stages of each of these cycles, in stage order (a stage code that is not ours is
/// skipped: the cycle then reads as if that stage were not set up).
pub async fn stages_of<C: ConnectionTrait>(c: &C, cycles: &[Uuid]) -> StoreResult<HashMap<Uuid, Vec<StageDates>>> {
    memo::once(|| memo::ids_key("review stages of", cycles), || read_stages_of(c, cycles)).await
}

async fn read_stages_of<C: ConnectionTrait>(c: &C, cycles: &[Uuid]) -> StoreResult<HashMap<Uuid, Vec<StageDates>>> {
    let rows =
        review_stage::Entity::find().filter(review_stage::Column::CycleId.is_in(cycles.iter().copied())).all(c).await?;
    let mut out: HashMap<Uuid, Vec<StageDates>> = HashMap::new();
    for r in rows {
        if let Some(stage) = Stage::parse(&r.stage) {
            out.entry(r.cycle_id).or_default().push(StageDates { stage, opens_on: r.opens_on, closes_on: r.closes_on });
        }
    }
    for v in out.values_mut() {
        v.sort_by_key(|s| s.stage);
    }
    Ok(out)
}

/// One cycle's stages, in stage order.
pub async fn stage_dates<C: ConnectionTrait>(c: &C, cycle: Uuid) -> StoreResult<Vec<StageDates>> {
    Ok(stages_of(c, &[cycle]).await?.remove(&cycle).unwrap_or_default())
}

// ---- participants and reviews ---------------------------------------------------------------

pub async fn insert_participants<C: ConnectionTrait>(c: &C, rows: Vec<review_participant::Model>) -> StoreResult<()> {
    for chunk in rows.chunks(CHUNK) {
        review_participant::Entity::insert_many(chunk.iter().cloned().map(|r| r.into_active_model()))
            .exec_without_returning(c)
            .await?;
    }
    Ok(())
}

fn to_review(m: review::Model) -> StoreResult<Review> {
    Ok(Review {
        id: m.id,
        participant_id: m.participant_id,
        cycle_id: m.cycle_id,
        reviewer_id: m.reviewer_id,
        source: Source::parse(&m.source).ok_or(StoreError::Corrupt("review source"))?,
        state: ReviewState::parse(&m.state).ok_or(StoreError::Corrupt("review state"))?,
        summary: m.summary,
        created_at: m.created_at,
        updated_at: m.updated_at,
        submitted_at: m.submitted_at,
    })
}

fn to_reviews(rows: Vec<review::Model>) -> StoreResult<Vec<Review>> {
    rows.into_iter().map(to_review).collect()
}

fn review_row(r: &Review) -> review::ActiveModel {
    review::Model {
        id: r.id,
        participant_id: r.participant_id,
        cycle_id: r.cycle_id,
        reviewer_id: r.reviewer_id,
        source: r.source.code().into(),
        state: r.state.code().into(),
        summary: r.summary.clone(),
        created_at: r.created_at,
        updated_at: r.updated_at,
        submitted_at: r.submitted_at,
    }
    .into_active_model()
}

/// The stored codes of these states, for filters that run in SQL.
fn codes(states: &[ReviewState]) -> Vec<&'static str> {
    states.iter().map(|s| s.code()).collect()
}

pub async fn insert_reviews<C: ConnectionTrait>(c: &C, rows: Vec<Review>) -> StoreResult<()> {
    for chunk in rows.chunks(CHUNK) {
        review::Entity::insert_many(chunk.iter().map(review_row)).exec_without_returning(c).await?;
    }
    Ok(())
}

/// Saves many reviews' state, summary and dates at once (reviews that exist: a cycle's reviews
/// written together), in a few statements instead of one a review.
pub async fn save_reviews<C: ConnectionTrait>(c: &C, rows: Vec<Review>) -> StoreResult<()> {
    use review::Column as K;
    for chunk in rows.chunks(CHUNK) {
        review::Entity::insert_many(chunk.iter().map(review_row))
            .on_conflict(
                sea_orm::sea_query::OnConflict::column(K::Id)
                    .update_columns([K::State, K::Summary, K::UpdatedAt, K::SubmittedAt])
                    .to_owned(),
            )
            .exec_without_returning(c)
            .await?;
    }
    Ok(())
}

pub async fn participants<C: ConnectionTrait>(c: &C, cycle: Uuid) -> StoreResult<Vec<review_participant::Model>> {
    Ok(review_participant::Entity::find().filter(review_participant::Column::CycleId.eq(cycle)).all(c).await?)
}

pub async fn participant_count<C: ConnectionTrait>(c: &C, cycle: Uuid) -> StoreResult<u64> {
    Ok(review_participant::Entity::find().filter(review_participant::Column::CycleId.eq(cycle)).count(c).await?)
}

pub async fn participant<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<review_participant::Model>> {
    Ok(review_participant::Entity::find_by_id(id).one(c).await?)
}

pub async fn participants_by_ids<C: ConnectionTrait>(
    c: &C,
    ids: &[Uuid],
) -> StoreResult<Vec<review_participant::Model>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(CHUNK) {
        out.extend(
            review_participant::Entity::find()
                .filter(review_participant::Column::Id.is_in(chunk.iter().copied()))
                .all(c)
                .await?,
        );
    }
    Ok(out)
}

/// A person's participations, newest cycle first.
pub async fn participations_of<C: ConnectionTrait>(
    c: &C,
    employee: Uuid,
) -> StoreResult<Vec<review_participant::Model>> {
    memo::once(
        || memo::ids_key("participations of", &[employee]),
        || async {
            Ok(review_participant::Entity::find()
                .filter(review_participant::Column::EmployeeId.eq(employee))
                .order_by_desc(review_participant::Column::Id)
                .all(c)
                .await?)
        },
    )
    .await
}

pub async fn set_score<C: ConnectionTrait>(
    c: &C,
    id: Uuid,
    score_bp: Option<i32>,
    grade: Option<String>,
    explanation: String,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    review_participant::Entity::update_many()
        .col_expr(review_participant::Column::ScoreBp, score_bp.into())
        .col_expr(review_participant::Column::Grade, grade.into())
        .col_expr(review_participant::Column::Explanation, Some(explanation).into())
        .col_expr(review_participant::Column::ScoredAt, Some(at).into())
        .filter(review_participant::Column::Id.eq(id))
        .exec(c)
        .await?;
    Ok(())
}

/// Stores many participants' scores at once (their score, grade, explanation and when), in a
/// few statements instead of one a person; the rows' other columns are left as they are.
pub async fn set_scores<C: ConnectionTrait>(c: &C, rows: Vec<review_participant::Model>) -> StoreResult<()> {
    use review_participant::Column as K;
    for chunk in rows.chunks(CHUNK / 4) {
        review_participant::Entity::insert_many(chunk.iter().cloned().map(|r| r.into_active_model()))
            .on_conflict(
                sea_orm::sea_query::OnConflict::column(K::Id)
                    .update_columns([K::ScoreBp, K::Grade, K::Explanation, K::ScoredAt])
                    .to_owned(),
            )
            .exec_without_returning(c)
            .await?;
    }
    Ok(())
}

/// How many reviews of a cycle are in each (source, state): its progress in one grouped read,
/// however many thousand people it has.
pub async fn review_state_counts<C: ConnectionTrait>(
    c: &C,
    cycle: Uuid,
) -> StoreResult<Vec<(Source, ReviewState, i64)>> {
    // One range of the index (cycle, source, state) alone (m0033).
    let rows: Vec<(String, String, i64)> = review::Entity::find()
        .select_only()
        .column(review::Column::Source)
        .column(review::Column::State)
        .column_as(review::Column::CycleId.count(), "n")
        .filter(review::Column::CycleId.eq(cycle))
        .group_by(review::Column::Source)
        .group_by(review::Column::State)
        .into_tuple()
        .all(c)
        .await?;
    rows.into_iter()
        .map(|(source, state, n)| match (Source::parse(&source), ReviewState::parse(&state)) {
            (Some(source), Some(state)) => Ok((source, state, n)),
            _ => Err(StoreError::Corrupt("review source or state")),
        })
        .collect()
}

pub async fn reviews_of<C: ConnectionTrait>(c: &C, participants: &[Uuid]) -> StoreResult<Vec<Review>> {
    let mut out = Vec::new();
    for chunk in participants.chunks(CHUNK) {
        out.extend(to_reviews(
            review::Entity::find()
                .filter(review::Column::ParticipantId.is_in(chunk.iter().copied()))
                .order_by_asc(review::Column::CreatedAt)
                .all(c)
                .await?,
        )?);
    }
    Ok(out)
}

/// The reviews `reviewer` is asked to write (not the nominations still awaiting the manager).
pub async fn reviews_by<C: ConnectionTrait>(c: &C, reviewer: Uuid) -> StoreResult<Vec<Review>> {
    let asked: Vec<ReviewState> = ReviewState::ALL.into_iter().filter(|s| s.is_asked()).collect();
    to_reviews(
        review::Entity::find()
            .filter(review::Column::ReviewerId.eq(reviewer))
            .filter(review::Column::State.is_in(codes(&asked)))
            .order_by_desc(review::Column::CreatedAt)
            .all(c)
            .await?,
    )
}

pub async fn review<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<Review>> {
    review::Entity::find_by_id(id).one(c).await?.map(to_review).transpose()
}

pub async fn update_review<C: ConnectionTrait>(c: &C, r: Review) -> StoreResult<()> {
    review_row(&r).reset_all().update(c).await?;
    Ok(())
}

pub async fn delete_review<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<()> {
    review::Entity::delete_by_id(id).exec(c).await?;
    Ok(())
}

pub async fn ratings<C: ConnectionTrait>(c: &C, reviews: &[Uuid]) -> StoreResult<Vec<review_rating::Model>> {
    let mut out = Vec::new();
    for chunk in reviews.chunks(CHUNK) {
        out.extend(
            review_rating::Entity::find()
                .filter(review_rating::Column::ReviewId.is_in(chunk.iter().copied()))
                .all(c)
                .await?,
        );
    }
    Ok(out)
}

pub async fn replace_ratings<C: ConnectionTrait>(
    c: &C,
    review: Uuid,
    rows: Vec<review_rating::Model>,
) -> StoreResult<()> {
    review_rating::Entity::delete_many().filter(review_rating::Column::ReviewId.eq(review)).exec(c).await?;
    if !rows.is_empty() {
        review_rating::Entity::insert_many(rows.into_iter().map(|r| r.into_active_model()))
            .exec_without_returning(c)
            .await?;
    }
    Ok(())
}

/// Inserts the ratings of many reviews at once (reviews that had none).
pub async fn insert_ratings<C: ConnectionTrait>(c: &C, rows: Vec<review_rating::Model>) -> StoreResult<()> {
    for chunk in rows.chunks(CHUNK) {
        review_rating::Entity::insert_many(chunk.iter().cloned().map(|r| r.into_active_model()))
            .exec_without_returning(c)
            .await?;
    }
    Ok(())
}

// ---- a cycle's health -----------------------------------------------------------------------

/// How many goals each person owns in the period.
pub async fn goal_counts<C: ConnectionTrait>(c: &C, period: Uuid) -> StoreResult<HashMap<Uuid, i64>> {
    let ids: Vec<Uuid> = goal::Entity::find()
        .select_only()
        .column(goal::Column::Id)
        .filter(goal::Column::PeriodId.eq(period))
        .filter(goal::Column::Status.ne("archived"))
        .into_tuple()
        .all(c)
        .await?;
    let mut out: HashMap<Uuid, i64> = HashMap::new();
    for chunk in ids.chunks(CHUNK) {
        let owners: Vec<Uuid> = goal_owner::Entity::find()
            .select_only()
            .column(goal_owner::Column::EmployeeId)
            .filter(goal_owner::Column::GoalId.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(c)
            .await?;
        for o in owners {
            *out.entry(o).or_default() += 1;
        }
    }
    Ok(out)
}

/// How much feedback each person received in [from, to).
pub async fn feedback_counts<C: ConnectionTrait>(
    c: &C,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> StoreResult<HashMap<Uuid, i64>> {
    let rows: Vec<(Uuid, i64)> = feedback::Entity::find()
        .select_only()
        .column(feedback::Column::RecipientId)
        .column_as(feedback::Column::Id.count(), "n")
        .filter(feedback::Column::CreatedAt.gte(from))
        .filter(feedback::Column::CreatedAt.lt(to))
        .group_by(feedback::Column::RecipientId)
        .into_tuple()
        .all(c)
        .await?;
    Ok(rows.into_iter().collect())
}

// ---- calibration (V-4) ------------------------------------------------------------------------

pub async fn insert_session<C: ConnectionTrait>(c: &C, s: calibration_session::Model) -> StoreResult<()> {
    calibration_session::Entity::insert(s.into_active_model()).exec_without_returning(c).await?;
    Ok(())
}

pub async fn session<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<calibration_session::Model>> {
    Ok(calibration_session::Entity::find_by_id(id).one(c).await?)
}

pub async fn sessions<C: ConnectionTrait>(c: &C, cycle: Uuid) -> StoreResult<Vec<calibration_session::Model>> {
    Ok(calibration_session::Entity::find()
        .filter(calibration_session::Column::CycleId.eq(cycle))
        .order_by_asc(calibration_session::Column::CreatedAt)
        .all(c)
        .await?)
}

pub async fn update_session<C: ConnectionTrait>(c: &C, s: calibration_session::Model) -> StoreResult<()> {
    s.into_active_model().reset_all().update(c).await?;
    Ok(())
}

/// Records a move and sets the participant's calibrated grade, in the caller's transaction.
pub async fn move_grade<C: ConnectionTrait>(c: &C, m: calibration_move::Model) -> StoreResult<()> {
    review_participant::Entity::update_many()
        .col_expr(review_participant::Column::CalibratedGrade, Some(m.to_grade.clone()).into())
        .filter(review_participant::Column::Id.eq(m.participant_id))
        .exec(c)
        .await?;
    calibration_move::Entity::insert(m.into_active_model()).exec_without_returning(c).await?;
    Ok(())
}

pub async fn moves<C: ConnectionTrait>(c: &C, session: Uuid) -> StoreResult<Vec<calibration_move::Model>> {
    Ok(calibration_move::Entity::find()
        .filter(calibration_move::Column::SessionId.eq(session))
        .order_by_desc(calibration_move::Column::MovedAt)
        .all(c)
        .await?)
}

/// A participant's moves over all sessions, oldest first.
pub async fn moves_of_participant<C: ConnectionTrait>(
    c: &C,
    participant: Uuid,
) -> StoreResult<Vec<calibration_move::Model>> {
    Ok(calibration_move::Entity::find()
        .filter(calibration_move::Column::ParticipantId.eq(participant))
        .order_by_asc(calibration_move::Column::MovedAt)
        .all(c)
        .await?)
}

// ---- review-writing reminders (V-1, T-6) ----------------------------------------------------

/// The writing stages (self, peer and manager review) of launched cycles that close between
/// `from` and `to`, inclusive.
pub async fn writing_stages_closing<C: ConnectionTrait>(
    c: &C,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
) -> StoreResult<Vec<review_stage::Model>> {
    use sea_orm::sea_query::Query;
    Ok(review_stage::Entity::find()
        .filter(review_stage::Column::Stage.is_in(["self_review", "peer_review", "manager_review"]))
        .filter(review_stage::Column::ClosesOn.between(from, to))
        .filter(
            review_stage::Column::CycleId.in_subquery(
                Query::select()
                    .column(review_cycle::Column::Id)
                    .from(review_cycle::Entity)
                    .and_where(review_cycle::Column::State.ne(CycleState::Draft.code()))
                    .to_owned(),
            ),
        )
        .all(c)
        .await?)
}

/// Who still has reviews of `source` to write in the cycle (open or a draft), with how many.
/// One grouped query: a cycle of 10 000 participants has some 30 000 reviews.
pub async fn unsubmitted_reviewers<C: ConnectionTrait>(
    c: &C,
    cycle: Uuid,
    source: Source,
) -> StoreResult<Vec<(Uuid, i64)>> {
    use sea_orm::sea_query::Query;
    Ok(review::Entity::find()
        .select_only()
        .column(review::Column::ReviewerId)
        .column_as(review::Column::Id.count(), "n")
        .filter(review::Column::Source.eq(source.code()))
        .filter(review::Column::State.is_in(codes(&[ReviewState::Open, ReviewState::Draft])))
        .filter(
            review::Column::ParticipantId.in_subquery(
                Query::select()
                    .column(review_participant::Column::Id)
                    .from(review_participant::Entity)
                    .and_where(review_participant::Column::CycleId.eq(cycle))
                    .to_owned(),
            ),
        )
        .group_by(review::Column::ReviewerId)
        .into_tuple()
        .all(c)
        .await?)
}
