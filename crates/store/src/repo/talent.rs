//! Potential assessments and the nine-box names (V-7).

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter};
use uuid::Uuid;

use crate::StoreResult;
use crate::entities::{ninebox_names, potential_assessment};

const CHUNK: usize = 500;

/// Inserts or replaces the participant's assessment.
pub async fn save_potential<C: ConnectionTrait>(c: &C, m: potential_assessment::Model) -> StoreResult<()> {
    potential_assessment::Entity::delete_by_id(m.participant_id).exec(c).await?;
    potential_assessment::Entity::insert(m.into_active_model()).exec_without_returning(c).await?;
    Ok(())
}

/// Inserts first assessments of many participants at once (none of them assessed before).
pub async fn insert_potentials<C: ConnectionTrait>(c: &C, rows: Vec<potential_assessment::Model>) -> StoreResult<()> {
    for chunk in rows.chunks(CHUNK) {
        potential_assessment::Entity::insert_many(chunk.iter().cloned().map(|m| m.into_active_model()))
            .exec_without_returning(c)
            .await?;
    }
    Ok(())
}

pub async fn potential<C: ConnectionTrait>(
    c: &C,
    participant: Uuid,
) -> StoreResult<Option<potential_assessment::Model>> {
    Ok(potential_assessment::Entity::find_by_id(participant).one(c).await?)
}

pub async fn potentials<C: ConnectionTrait>(
    c: &C,
    participants: &[Uuid],
) -> StoreResult<Vec<potential_assessment::Model>> {
    let mut out = Vec::new();
    for chunk in participants.chunks(CHUNK) {
        out.extend(
            potential_assessment::Entity::find()
                .filter(potential_assessment::Column::ParticipantId.is_in(chunk.iter().copied()))
                .all(c)
                .await?,
        );
    }
    Ok(out)
}

pub async fn names<C: ConnectionTrait>(c: &C) -> StoreResult<Option<ninebox_names::Model>> {
    Ok(ninebox_names::Entity::find_by_id(1).one(c).await?)
}

pub async fn save_names<C: ConnectionTrait>(c: &C, m: ninebox_names::Model) -> StoreResult<()> {
    ninebox_names::Entity::delete_by_id(m.id).exec(c).await?;
    ninebox_names::Entity::insert(m.into_active_model()).exec_without_returning(c).await?;
    Ok(())
}
