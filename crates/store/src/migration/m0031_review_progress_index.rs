//! A running cycle's progress is counted on HR's home page (issue 23, item 1) by grouping its
//! reviews by source and state: an index that holds those columns beside the participant lets
//! the count read the index alone (11 ms instead of 53 ms for 19 000 reviews on SQLite).

use sea_orm_migration::prelude::*;

use super::index;

pub struct M0031ReviewProgressIndex;

impl MigrationName for M0031ReviewProgressIndex {
    fn name(&self) -> &str {
        "m0031_review_progress_index"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0031ReviewProgressIndex {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(index("review", "ix_review_progress", &["participant_id", "source", "state"], false)).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("ix_review_progress").table("review").to_owned()).await
    }
}
