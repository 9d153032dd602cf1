//! A review template's choice to count a goal set part-way through the period for the part it
//! was held (issue 22, item 11); off by default, so existing templates score as before.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct M0029ProrateLateGoals;

impl MigrationName for M0029ProrateLateGoals {
    fn name(&self) -> &str {
        "m0029_prorate_late_goals"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0029ProrateLateGoals {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter().table("review_template").add_column(boolean("prorate_late_goals").default(false)).take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("review_template").drop_column("prorate_late_goals").take()).await
    }
}
