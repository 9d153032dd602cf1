//! A goal's weight among its owner's goals of the period (G-2), in basis points of a percent;
//! blank shares what the entered weights leave.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct M0004GoalWeight;

impl MigrationName for M0004GoalWeight {
    fn name(&self) -> &str {
        "m0004_goal_weight"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0004GoalWeight {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("goal").add_column(integer_null("weight_bp")).take()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("goal").drop_column("weight_bp").take()).await
    }
}
