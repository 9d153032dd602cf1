//! HR's home counts a running cycle's reviews by source and state (issue 23, item 1). Through the
//! participants that is one index seek per review: 15–21 ms for a cycle of 9 687 people (19 373
//! reviews) on SQLite, the largest part of HR's home. Each review now carries its cycle, so the
//! count reads one range of one index. The column is filled for the reviews that exist and set
//! on every review written after; it stays nullable only because existing rows gain it here.
//! m0031's index (participant, source, state) served only that count and goes: lookups of a
//! participant's reviews use the unique index that starts with the participant.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::index;

pub struct M0033ReviewCycle;

impl MigrationName for M0033ReviewCycle {
    fn name(&self) -> &str {
        "m0033_review_cycle"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0033ReviewCycle {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("review").add_column(uuid_null("cycle_id")).take()).await?;
        m.get_connection()
            .execute_unprepared(
                "UPDATE review SET cycle_id = \
                 (SELECT p.cycle_id FROM review_participant p WHERE p.id = review.participant_id)",
            )
            .await?;
        m.create_index(index("review", "ix_review_cycle_progress", &["cycle_id", "source", "state"], false)).await?;
        m.drop_index(Index::drop().name("ix_review_progress").table("review").to_owned()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(index("review", "ix_review_progress", &["participant_id", "source", "state"], false)).await?;
        m.drop_index(Index::drop().name("ix_review_cycle_progress").table("review").to_owned()).await?;
        m.alter_table(Table::alter().table("review").drop_column("cycle_id").take()).await
    }
}
