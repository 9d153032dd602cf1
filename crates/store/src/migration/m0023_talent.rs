//! The nine-box (V-7): each participant's potential, assessed apart from the review, and the
//! organization's names for the nine boxes.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::fk;

pub struct M0023Talent;

impl MigrationName for M0023Talent {
    fn name(&self) -> &str {
        "m0023_talent"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0023Talent {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("potential_assessment")
                .col(uuid("participant_id").primary_key())
                // 0 low, 1 medium, 2 high.
                .col(integer("level"))
                .col(text("rationale"))
                .col(string("assessed_by_name"))
                .col(timestamp_with_time_zone("assessed_at"))
                .foreign_key(
                    &mut fk("potential_assessment", "participant_id", "review_participant")
                        .on_delete(ForeignKeyAction::Cascade)
                        .take(),
                )
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("ninebox_names")
                // One row: the organization's.
                .col(integer("id").primary_key())
                // JSON: nine names, box 1 (low performance, low potential) to 9.
                .col(text("names"))
                .col(string("updated_by_name"))
                .col(timestamp_with_time_zone("updated_at"))
                .take(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("ninebox_names").to_owned()).await?;
        m.drop_table(Table::drop().table("potential_assessment").to_owned()).await
    }
}
