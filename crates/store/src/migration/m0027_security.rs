//! Issue 21: the audit chain's hashing scheme on its head row, and the index the risk rules'
//! sampled read of one goal's check-ins seeks by day (`repo::tracking::sampled_points`).
//! The scheme: 1: the first, unkeyed scheme
//! (chains written before this migration); 2: keyed with the server's key over every column.
//! A chain of scheme 1 is checked and re-hashed under the key before the next record is added.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct M0027Security;

impl MigrationName for M0027Security {
    fn name(&self) -> &str {
        "m0027_security"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0027Security {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("audit_head").add_column(integer("scheme").default(1)).take()).await?;
        m.create_index(
            Index::create()
                .name("ix_check_in_goal_day")
                .table("check_in")
                .col("goal_id")
                .col("on_date")
                .col("created_at")
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("ix_check_in_goal_day").table("check_in").to_owned()).await?;
        // Raw: sea-query writes no DROP COLUMN for SQLite, which has had one since 3.35.
        m.get_connection().execute_unprepared("ALTER TABLE audit_head DROP COLUMN scheme").await.map(|_| ())
    }
}
