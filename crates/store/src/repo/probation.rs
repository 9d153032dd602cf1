//! Probations and their checkpoints (V-8).

use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder};
use uuid::Uuid;
use waymark_domain::reviews::probation::{ContractTerm, Focus, Probation, ProbationCheckpoint, ProbationState};

use crate::entities::{probation, probation_checkpoint};
use crate::{StoreError, StoreResult, unsigned as months};

// ---- the mapping --------------------------------------------------------------------------
// A state, contract or focus we did not write is refused as corrupt: the state decides whether
// a probation can still be decided, the contract its legal cap, the focus whether a checkpoint
// is the conversion.

fn to_probation(m: probation::Model) -> StoreResult<Probation> {
    let contract_months = m.contract_months.map(|v| months(v, "probation contract months")).transpose()?;
    Ok(Probation {
        id: m.id,
        employee_id: m.employee_id,
        term: ContractTerm::parse(&m.contract, contract_months).ok_or(StoreError::Corrupt("probation contract"))?,
        months: months(m.months, "probation months")?,
        starts_on: m.starts_on,
        ends_on: m.ends_on,
        state: ProbationState::parse(&m.state).ok_or(StoreError::Corrupt("probation state"))?,
        extended: m.extended,
        decision_note: m.decision_note,
        decided_by_name: m.decided_by_name,
        decided_at: m.decided_at,
        created_by_name: m.created_by_name,
        created_at: m.created_at,
    })
}

fn probation_row(p: Probation) -> probation::Model {
    let (contract, contract_months) = p.term.code();
    probation::Model {
        id: p.id,
        employee_id: p.employee_id,
        contract: contract.into(),
        contract_months: contract_months.map(|m| m as i32),
        months: p.months as i32,
        starts_on: p.starts_on,
        ends_on: p.ends_on,
        state: p.state.code().into(),
        extended: p.extended,
        decision_note: p.decision_note,
        decided_by_name: p.decided_by_name,
        decided_at: p.decided_at,
        created_by_name: p.created_by_name,
        created_at: p.created_at,
    }
}

fn to_checkpoint(k: probation_checkpoint::Model) -> StoreResult<ProbationCheckpoint> {
    Ok(ProbationCheckpoint {
        id: k.id,
        probation_id: k.probation_id,
        month: months(k.month, "probation checkpoint month")?,
        focus: Focus::parse(&k.focus).ok_or(StoreError::Corrupt("probation checkpoint focus"))?,
        due_on: k.due_on,
        note: k.note,
        held_by_name: k.held_by_name,
        held_at: k.held_at,
    })
}

fn checkpoint_row(k: ProbationCheckpoint) -> probation_checkpoint::Model {
    probation_checkpoint::Model {
        id: k.id,
        probation_id: k.probation_id,
        month: k.month as i32,
        focus: k.focus.code().into(),
        due_on: k.due_on,
        note: k.note,
        held_by_name: k.held_by_name,
        held_at: k.held_at,
    }
}

fn to_checkpoints(rows: Vec<probation_checkpoint::Model>) -> StoreResult<Vec<ProbationCheckpoint>> {
    rows.into_iter().map(to_checkpoint).collect()
}

pub async fn insert<C: ConnectionTrait>(c: &C, p: Probation, checkpoints: Vec<ProbationCheckpoint>) -> StoreResult<()> {
    probation::Entity::insert(probation_row(p).into_active_model()).exec_without_returning(c).await?;
    probation_checkpoint::Entity::insert_many(checkpoints.into_iter().map(|k| checkpoint_row(k).into_active_model()))
        .exec_without_returning(c)
        .await?;
    Ok(())
}

pub async fn of_employee<C: ConnectionTrait>(c: &C, employee: Uuid) -> StoreResult<Option<Probation>> {
    probation::Entity::find()
        .filter(probation::Column::EmployeeId.eq(employee))
        .one(c)
        .await?
        .map(to_probation)
        .transpose()
}

pub async fn get<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<Probation>> {
    probation::Entity::find_by_id(id).one(c).await?.map(to_probation).transpose()
}

pub async fn update<C: ConnectionTrait>(c: &C, p: Probation) -> StoreResult<()> {
    probation_row(p).into_active_model().reset_all().update(c).await?;
    Ok(())
}

/// Probations still running, ending soonest first.
pub async fn in_progress<C: ConnectionTrait>(c: &C) -> StoreResult<Vec<Probation>> {
    probation::Entity::find()
        .filter(probation::Column::State.eq(ProbationState::InProgress.code()))
        .order_by_asc(probation::Column::EndsOn)
        .all(c)
        .await?
        .into_iter()
        .map(to_probation)
        .collect()
}

pub async fn checkpoints<C: ConnectionTrait>(c: &C, probation: Uuid) -> StoreResult<Vec<ProbationCheckpoint>> {
    to_checkpoints(
        probation_checkpoint::Entity::find()
            .filter(probation_checkpoint::Column::ProbationId.eq(probation))
            .order_by_asc(probation_checkpoint::Column::DueOn)
            .all(c)
            .await?,
    )
}

/// The checkpoints of many probations in one read, by probation then date.
pub async fn checkpoints_of<C: ConnectionTrait>(c: &C, probations: &[Uuid]) -> StoreResult<Vec<ProbationCheckpoint>> {
    let mut out = Vec::new();
    for chunk in probations.chunks(500) {
        out.extend(to_checkpoints(
            probation_checkpoint::Entity::find()
                .filter(probation_checkpoint::Column::ProbationId.is_in(chunk.iter().copied()))
                .order_by_asc(probation_checkpoint::Column::DueOn)
                .all(c)
                .await?,
        )?);
    }
    Ok(out)
}

pub async fn checkpoint<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<ProbationCheckpoint>> {
    probation_checkpoint::Entity::find_by_id(id).one(c).await?.map(to_checkpoint).transpose()
}

pub async fn update_checkpoint<C: ConnectionTrait>(c: &C, k: ProbationCheckpoint) -> StoreResult<()> {
    checkpoint_row(k).into_active_model().reset_all().update(c).await?;
    Ok(())
}
