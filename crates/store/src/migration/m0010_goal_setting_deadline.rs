//! The goal-setting deadline of a period (T-6: "goal-setting deadlines") and the switch for its
//! reminder on the organization's calendar.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct M0010GoalSettingDeadline;

impl MigrationName for M0010GoalSettingDeadline {
    fn name(&self) -> &str {
        "m0010_goal_setting_deadline"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0010GoalSettingDeadline {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite's ALTER TABLE adds one at a time.
        m.alter_table(Table::alter().table("goal_period").add_column(date_null("setting_due_on")).take()).await?;
        m.alter_table(Table::alter().table("org_calendar").add_column(boolean("goal_setting").default(true)).take())
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("org_calendar").drop_column("goal_setting").take()).await?;
        m.alter_table(Table::alter().table("goal_period").drop_column("setting_due_on").take()).await
    }
}
