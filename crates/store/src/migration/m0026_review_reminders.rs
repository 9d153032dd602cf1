//! The review-writing reminder (V-1, T-6): the organization's switch for it, on by default.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct M0026ReviewReminders;

impl MigrationName for M0026ReviewReminders {
    fn name(&self) -> &str {
        "m0026_review_reminders"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0026ReviewReminders {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("org_calendar").add_column(boolean("review_writing").default(true)).take())
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("org_calendar").drop_column("review_writing").take()).await
    }
}
