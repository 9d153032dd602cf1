//! When the nightly sweep last judged the lights (issue 22, item 5): the boards count the lights
//! the sweep and the check-ins stored, so they say as of when, and warn when today's sweep has
//! not run (a server down at midnight), instead of showing yesterday's lights as today's.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct M0032SweepRuns;

impl MigrationName for M0032SweepRuns {
    fn name(&self) -> &str {
        "m0032_sweep_runs"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0032SweepRuns {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("sweep_run")
                .col(date("on_date").primary_key())
                .col(timestamp_with_time_zone("finished_at"))
                .col(integer("goals"))
                .col(integer("status_changes"))
                .col(integer("alerts_raised"))
                .col(integer("alerts_resolved"))
                .col(big_integer("elapsed_ms"))
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("sweep_run").to_owned()).await
    }
}
